# shellcheck shell=bash
# Shared helpers for ./dev and .ci/run. Source this file; don't execute it.
# Every ensure_* function is idempotent: it checks first and only installs
# or starts what is missing, so running it on a ready machine is a no-op.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# System packages the build and the test suite need (Debian/Ubuntu names).
# libsqlite is not listed: SQLx bundles SQLite. sqlite3 is for poking at DBs.
# shellcheck disable=SC2034 # used by ./dev
BASE_APT_PACKAGES=(
  build-essential pkg-config curl ca-certificates git sqlite3
  python3 python3-venv python3-pip postgresql-client
)

PG_HOST=127.0.0.1
PG_PORT=5432
PG_DEFAULT_URL="postgres://postgres@${PG_HOST}:${PG_PORT}/postgres"
PG_WAIT_SECONDS=30

# ---------------------------------------------------------------- output ---

log() { printf '    %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

banner() {
  printf '\n==> %s\n' "$*" >&2
}

# "75" -> "1m15s"
fmt_duration() {
  local s=$1
  if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

have() { command -v "$1" >/dev/null 2>&1; }

# Run a command as root: directly when we are root (CI), else through sudo.
as_root() {
  if ((EUID == 0)); then
    "$@"
  elif have sudo; then
    sudo "$@"
  else
    die "need root or sudo to run: $*"
  fi
}

# Prepend a directory to PATH unless it is already there.
path_prepend() {
  case ":$PATH:" in
    *":$1:"*) ;;
    *) export PATH="$1:$PATH" ;;
  esac
}

# -------------------------------------------------------- apt packages -----

APT_UPDATED=0 # `apt-get update` at most once per run

# Print the packages from the arguments that are not installed.
apt_missing() {
  local pkg status
  for pkg in "$@"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [[ $status == "install ok installed" ]] || printf '%s\n' "$pkg"
  done
}

ensure_apt_packages() {
  if ! have dpkg-query || ! have apt-get; then
    warn "not a Debian/Ubuntu system; make sure these are installed: $*"
    return 0
  fi
  local missing=()
  mapfile -t missing < <(apt_missing "$@")
  if ((${#missing[@]} == 0)); then
    log "already installed: $*"
    return 0
  fi

  log "installing system packages: ${missing[*]}"
  if ((APT_UPDATED == 0)); then
    apt_quietly update
    APT_UPDATED=1
  fi
  apt_quietly install -y --no-install-recommends "${missing[@]}"
}

# apt/dpkg progress output is noise in logs: capture it, show it only on failure.
apt_quietly() {
  local out rc=0
  out="$(mktemp)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -q "$@" >"$out" 2>&1 || rc=$?
  if ((rc != 0)); then
    cat "$out" >&2
    rm -f "$out"
    die "apt-get $1 failed (exit $rc)"
  fi
  rm -f "$out"
}

# ------------------------------------------------------------------ rust ---

required_rust_version() {
  sed -n 's/^rust-version *= *"\([0-9.]*\)".*/\1/p' "$REPO_ROOT/Cargo.toml" | head -n 1
}

# version_ge A B: true when version A >= version B.
version_ge() {
  [[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" == "$2" ]]
}

# True when a cargo/rustc new enough for the workspace's rust-version is active.
rust_is_recent() {
  local have_version
  have cargo || return 1
  have_version="$(rustc --version 2>/dev/null | awk '{print $2}')" || return 1
  [[ -n $have_version ]] || return 1
  version_ge "${have_version%%-*}" "$(required_rust_version)"
}

install_rustup() {
  log "installing Rust (rustup, stable toolchain)"
  # --no-modify-path: don't edit the user's dotfiles; we set PATH ourselves.
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
    sh -s -- -y --no-modify-path --profile minimal \
      --default-toolchain stable --component rustfmt,clippy
  hash -r
}

# ensure_rust_component COMPONENT CARGO_SUBCOMMAND
ensure_rust_component() {
  local component=$1 subcommand=$2
  cargo "$subcommand" --version >/dev/null 2>&1 && return 0
  have rustup || die "'cargo $subcommand' does not work and rustup is not available to add $component"
  log "adding Rust component: $component"
  rustup component add "$component"
}

ensure_rust() {
  path_prepend "${CARGO_HOME:-$HOME/.cargo}/bin"
  if ! rust_is_recent; then
    if have rustup; then
      # Default toolchain missing or too old: use an up-to-date stable for
      # this run only, rather than changing the user's rustup default.
      log "Rust >= $(required_rust_version) not active; installing stable for this project"
      rustup toolchain install stable --profile minimal --component rustfmt,clippy
      export RUSTUP_TOOLCHAIN=stable
    else
      install_rustup
    fi
    rust_is_recent || die "Rust >= $(required_rust_version) is required, found: $(rustc --version 2>&1 || true)"
  fi
  ensure_rust_component rustfmt fmt
  ensure_rust_component clippy clippy
  log "$(rustc --version)"
}

# -------------------------------------------------------------- postgres ---

pg_ready() {
  have pg_isready && pg_isready -q -h "$PG_HOST" -p "$PG_PORT"
}

wait_for_postgres() {
  local i
  for ((i = 0; i < PG_WAIT_SECONDS; i++)); do
    pg_ready && return 0
    sleep 1
  done
  die "PostgreSQL did not accept connections on $PG_HOST:$PG_PORT within ${PG_WAIT_SECONDS}s"
}

# Newest PostgreSQL server version installed by the Debian packages.
pg_server_version() {
  find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null |
    sort -V | tail -n 1
}

# Tests connect as postgres without a password, so trust local connections.
# Only ever applied to a cluster this script started itself (a throwaway
# dev/CI server), never to one that was already running.
configure_pg_trust() {
  local hba=$1 marker="# godconfig dev/test: trust local connections"
  as_root grep -qxF "$marker" "$hba" && return 0
  log "configuring trust auth in $hba"
  local tmp
  tmp="$(mktemp)"
  {
    printf '%s\n' "$marker" "local all all trust" "host all all ${PG_HOST}/32 trust"
    as_root cat "$hba"
  } >"$tmp"
  as_root cp "$tmp" "$hba" # cp onto the existing file keeps its owner/mode
  rm -f "$tmp"
}

# Debian/Ubuntu: create the "main" cluster if needed, trust, then start.
start_local_postgres() {
  have pg_ctlcluster || die "no PostgreSQL on $PG_HOST:$PG_PORT and no pg_ctlcluster to start one; start PostgreSQL or set GODCONFIG_TEST_PG_URL"
  local ver
  ver="$(pg_server_version)"
  [[ -n $ver ]] || die "postgresql is installed but no server version found in /usr/lib/postgresql"

  if [[ ! -f /etc/postgresql/$ver/main/pg_hba.conf ]]; then
    log "creating PostgreSQL $ver cluster 'main' on port $PG_PORT"
    as_root pg_createcluster --port "$PG_PORT" "$ver" main
  fi
  configure_pg_trust "/etc/postgresql/$ver/main/pg_hba.conf"

  if as_root pg_ctlcluster "$ver" main status >/dev/null 2>&1; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main reload
  else
    log "starting PostgreSQL $ver/main"
    # Skip the systemd redirect: containers and CI runners have no systemd.
    as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start
  fi
}

ensure_postgres() {
  if [[ -n ${GODCONFIG_TEST_PG_URL:-} ]]; then
    log "using GODCONFIG_TEST_PG_URL from the environment"
  elif pg_ready; then
    log "PostgreSQL already accepting connections on $PG_HOST:$PG_PORT"
  else
    log "no PostgreSQL on $PG_HOST:$PG_PORT; setting up a local server"
    ensure_apt_packages postgresql
    start_local_postgres
    wait_for_postgres
  fi
  export GODCONFIG_TEST_PG_URL="${GODCONFIG_TEST_PG_URL:-$PG_DEFAULT_URL}"
  # Fail here with a clear message rather than deep inside the test suite.
  # -w: never prompt for a password (CI has no stdin).
  psql -w -qAtX -c 'select 1' "$GODCONFIG_TEST_PG_URL" >/dev/null ||
    die "cannot connect to $GODCONFIG_TEST_PG_URL (is trust auth for user postgres configured?)"
}

# ---------------------------------------------------------------- python ---

# The MCP tests spawn Python servers that need the `mcp` package. A venv
# keeps it off the system Python (PEP 668 forbids pip there on Debian).
ensure_python_mcp() {
  local venv="$REPO_ROOT/.venv"
  local py="$venv/bin/python"
  local probe='import mcp, importlib.metadata as m; print(m.version("mcp"))'
  local mcp_version
  if ! "$py" -c '' >/dev/null 2>&1; then
    log "creating Python venv at $venv"
    python3 -m venv --clear "$venv"
  fi
  if ! mcp_version="$("$py" -c "$probe" 2>/dev/null)"; then
    log "installing Python package: mcp"
    "$py" -m pip install --quiet --disable-pip-version-check mcp
    mcp_version="$("$py" -c "$probe")"
  fi
  export GODCONFIG_PYTHON="$py"
  log "$("$py" --version), mcp $mcp_version"
}

