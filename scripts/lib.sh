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

# What the Tauri desktop app needs to build (WebKitGTK 4.1, GTK 3) and what the
# end-to-end suite needs to drive it headless: WebKitWebDriver (webkit2gtk-driver),
# a virtual X server (xvfb, xauth) and a D-Bus session bus (dbus-x11, at-spi2-core).
# shellcheck disable=SC2034 # used by ./dev
TAURI_APT_PACKAGES=(
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libsoup-3.0-dev
  libjavascriptcoregtk-4.1-dev libssl-dev file libxdo-dev
  webkit2gtk-driver xvfb xauth dbus-x11 at-spi2-core
)

# The OS keyring the vault (crates/vault) talks to: gnome-keyring's Secret Service on the
# D-Bus session bus, and secret-tool (libsecret-tools) to check it from the shell and e2e.
# shellcheck disable=SC2034 # used by ./dev
KEYRING_APT_PACKAGES=(gnome-keyring libsecret-tools)

# The WebDriver intermediary between the e2e tests and WebKitWebDriver.
TAURI_DRIVER_VERSION=2.1.0
NATIVE_WEBDRIVER=/usr/bin/WebKitWebDriver
XVFB_WAIT_SECONDS=10
KEYRING_WAIT_SECONDS=10
# Password of the throwaway login keyring ensure_keyring creates when no keyring runs. It
# protects nothing: that keyring lives in a temporary directory for one run, with test entries.
KEYRING_PASSWORD=godconfig-ci

# Background processes started by ensure_* (Xvfb, dbus-daemon, gnome-keyring-daemon) and their
# scratch directories; the caller's EXIT trap stops and removes them with stop_background_processes.
BACKGROUND_PIDS=()
BACKGROUND_DIRS=()

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

# Stop what ensure_xvfb and friends started (newest first), then remove their scratch
# directories. For EXIT traps.
stop_background_processes() {
  local i pid
  for ((i = ${#BACKGROUND_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${BACKGROUND_PIDS[i]}
    kill "$pid" 2>/dev/null || true
  done
  BACKGROUND_PIDS=()
  ((${#BACKGROUND_DIRS[@]} == 0)) || rm -rf "${BACKGROUND_DIRS[@]}" 2>/dev/null || true
  BACKGROUND_DIRS=()
}

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
# What goes in is scripts/requirements-mcp.txt: every package at an exact version with the
# SHA-256 of its files (pip's hash mode), so a new release or a tampered file never gets in.
MCP_REQUIREMENTS="$REPO_ROOT/scripts/requirements-mcp.txt"

# Installs when mcp is missing, is not the pinned version, or the requirements file changed
# since the last install (a stamp in the venv holds its checksum).
ensure_python_mcp() {
  local venv="$REPO_ROOT/.venv"
  local py="$venv/bin/python"
  local stamp="$venv/.requirements-mcp.sha256"
  local probe='import mcp, importlib.metadata as m; print(m.version("mcp"))'
  local pinned mcp_version sum
  [[ -f $MCP_REQUIREMENTS ]] || die "missing $MCP_REQUIREMENTS (the pinned Python packages)"
  pinned="$(sed -n 's/^mcp==\([^ ]*\).*/\1/p' "$MCP_REQUIREMENTS")"
  [[ -n $pinned ]] || die "no 'mcp==VERSION' line in $MCP_REQUIREMENTS"
  sum="$(sha256sum "$MCP_REQUIREMENTS" | cut -d' ' -f1)"
  if ! "$py" -c '' >/dev/null 2>&1; then
    log "creating Python venv at $venv"
    python3 -m venv --clear "$venv"
  fi
  mcp_version="$("$py" -c "$probe" 2>/dev/null)" || mcp_version=""
  if [[ $mcp_version != "$pinned" || "$(cat "$stamp" 2>/dev/null)" != "$sum" ]]; then
    log "installing Python packages: mcp $pinned and its dependencies, hash-checked (found: mcp ${mcp_version:-none})"
    rm -f "$stamp"
    "$py" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
      -r "$MCP_REQUIREMENTS" ||
      die "pip could not install ${MCP_REQUIREMENTS#"$REPO_ROOT/"} into $venv. Its hashes cover CPython 3.11 on Linux x86_64; this is $("$py" --version 2>&1) on $(uname -m). A hash mismatch means a file differs from the one pinned: do not bypass it. To upgrade or support another Python, regenerate the file as its header says"
    mcp_version="$("$py" -c "$probe")"
    [[ $mcp_version == "$pinned" ]] || die "mcp $pinned was installed, but $py reports mcp $mcp_version"
    printf '%s\n' "$sum" >"$stamp"
  fi
  export GODCONFIG_PYTHON="$py"
  log "$("$py" --version), mcp $mcp_version (pinned, hash-checked)"
}

# ---------------------------------------------------------- supply chain ---

# cargo-deny checks every crate in Cargo.lock against deny.toml: RustSec advisories, licences,
# sources (crates.io only) and bans. It goes into the user's cargo root, like tauri-driver.
CARGO_DENY_VERSION=0.20.2
# CI reaches the package registries but not GitHub, so the RustSec database is never fetched:
# it is read from a snapshot beside the clone (plain files and a SNAPSHOT file naming the
# commit and its date). GODCONFIG_ADVISORY_DB points at another copy.
ADVISORY_DB_SNAPSHOT="${GODCONFIG_ADVISORY_DB:-$REPO_ROOT/../shared/advisory-db}"
# cargo-deny opens the database as a git repository under deny.toml's db-path
# (target/advisory-dbs, relative to the repo root), in a directory named after db-urls.
ADVISORY_DB_DIR="$REPO_ROOT/target/advisory-dbs/advisory-db-3157b0e258782691"

cargo_deny_version() {
  cargo deny --version 2>/dev/null | awk '{print $2}'
}

ensure_cargo_deny() {
  path_prepend "${CARGO_HOME:-$HOME/.cargo}/bin"
  local found
  found="$(cargo_deny_version)" || found=""
  if [[ $found != "$CARGO_DENY_VERSION" ]]; then
    log "installing cargo-deny $CARGO_DENY_VERSION (found: ${found:-none}); it compiles for a few minutes, once"
    cargo install --locked "cargo-deny@$CARGO_DENY_VERSION"
    found="$(cargo_deny_version)" || found=""
    [[ $found == "$CARGO_DENY_VERSION" ]] ||
      die "cargo-deny $CARGO_DENY_VERSION did not install (cargo deny --version says: ${found:-nothing})"
  fi
  log "cargo-deny $CARGO_DENY_VERSION"
}

# Rebuilds ADVISORY_DB_DIR from the snapshot (about a second): a git repository whose only
# commit, and whose .git/HEAD file, carry the snapshot's date, so cargo-deny's staleness check
# (maximum-db-staleness in deny.toml) measures the snapshot's real age.
prepare_advisory_db() {
  local snap=$ADVISORY_DB_SNAPSHOT date commit
  if [[ ! -f $snap/SNAPSHOT || ! -d $snap/crates ]]; then
    die "no RustSec advisory database snapshot at $snap (a SNAPSHOT file and crates/ expected). cargo deny reads the advisories from it and never fetches them (CI cannot reach GitHub). Put a copy of github.com/rustsec/advisory-db there, plain files plus a SNAPSHOT file that names its commit and date, or set GODCONFIG_ADVISORY_DB to one"
  fi
  snap="$(cd "$snap" && pwd)"
  date="$(grep -o '[0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\}' "$snap/SNAPSHOT" | head -n 1)"
  [[ -n $date ]] || die "$snap/SNAPSHOT does not say when the snapshot was taken (a YYYY-MM-DD date)"
  commit="$(grep -o '[0-9a-f]\{40\}' "$snap/SNAPSHOT" | head -n 1)"
  rm -rf "$ADVISORY_DB_DIR"
  mkdir -p "$ADVISORY_DB_DIR"
  cp -R "$snap/." "$ADVISORY_DB_DIR/"
  chmod -R u+w "$ADVISORY_DB_DIR" # the snapshot is read-only; the copy must not be
  (
    cd "$ADVISORY_DB_DIR" || exit 1
    export GIT_AUTHOR_DATE="${date}T00:00:00Z" GIT_COMMITTER_DATE="${date}T00:00:00Z"
    git init -q &&
      git add -A &&
      git -c user.name=godconfig -c user.email=ci@godconfig.invalid -c commit.gpgsign=false \
        commit -q --no-verify -m "rustsec/advisory-db ${commit:-snapshot} ($date)" &&
      touch -d "${date}T00:00:00Z" .git/HEAD
  ) || die "could not turn the advisory database snapshot into a git repository at $ADVISORY_DB_DIR"
  log "RustSec advisory database: snapshot ${commit:0:12} of $date ($((($(date +%s) - $(date -d "$date" +%s)) / 86400)) days old), from $snap"
}

# The check itself; never installs (ensure_cargo_deny does). Fails, never skips, when the
# snapshot is missing. `cargo fetch` reaches crates.io only; `--offline` then keeps cargo-deny
# from fetching the database and cargo metadata from the network, `--locked` checks exactly
# the committed Cargo.lock.
run_cargo_deny() {
  path_prepend "${CARGO_HOME:-$HOME/.cargo}/bin"
  local found
  found="$(cargo_deny_version)" || found=""
  [[ $found == "$CARGO_DENY_VERSION" ]] ||
    die "cargo-deny $CARGO_DENY_VERSION is not installed (found: ${found:-none}): run ./dev test once, or cargo install --locked cargo-deny@$CARGO_DENY_VERSION"
  prepare_advisory_db
  (cd "$REPO_ROOT" && cargo fetch --locked --quiet) ||
    die "cargo fetch --locked failed: cargo deny needs every crate in Cargo.lock downloaded from crates.io (network), and Cargo.lock up to date with the Cargo.toml files (build once, then commit Cargo.lock)"
  if ! (cd "$REPO_ROOT" && cargo deny --offline --locked check --hide-inclusion-graph advisories licenses sources bans); then
    die "cargo deny failed (errors above; deny.toml says what is allowed and why). An advisory: upgrade the crate (cargo update -p NAME --precise FIXED) or, only if it cannot affect God Config, add its id to [advisories] ignore with the reason. A licence: allow it in [licenses] only if it is compatible with MIT distribution. A source: depend on crates.io releases only. A yanked crate: cargo update -p NAME. A ban: remove the wildcard or banned crate. 'repository is stale': refresh the snapshot at $ADVISORY_DB_SNAPSHOT. To rerun just this check from the repo root: cargo deny --offline --locked check"
  fi
}

# ------------------------------------------------------------------ node ---

# The UI build, its checks and the e2e suite need the packages in package-lock.json.
# Installs them when node_modules is missing or older than the lock file. `npm install`, not
# `npm ci`: the registry these machines use serves only the Linux builds of @tauri-apps/cli's
# per-platform optional packages, so the lock cannot list the others and `npm ci` refuses it.
# The lock still pins every version that is installed.
ensure_node_deps() {
  have node || die "node is not installed; Node.js 20 or newer (with npm) is required"
  have npm || die "npm is not installed; it comes with Node.js 20 or newer"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  ((major >= 20)) || die "Node.js 20 or newer is required, found $(node --version)"

  local lock="$REPO_ROOT/package-lock.json" stamp="$REPO_ROOT/node_modules/.package-lock.json"
  [[ -f $lock ]] || die "missing $lock; run 'npm install' once and commit the lock file"
  if [[ ! -f $stamp || $lock -nt $stamp ]]; then
    log "installing Node packages (npm install, from package-lock.json)"
    (cd "$REPO_ROOT" && npm install --no-audit --no-fund --loglevel=error)
  fi
  log "node $(node --version), npm $(npm --version)"
}

# ------------------------------------------------------------------- e2e ---

# `tauri-driver` has no --version; ask cargo what it installed under ROOT.
tauri_driver_installed_version() {
  local root=$1
  [[ -x $root/bin/tauri-driver ]] || return 0
  cargo install --list --root "$root" 2>/dev/null |
    sed -n 's/^tauri-driver v\([0-9][0-9.]*\):$/\1/p'
}

# tauri-driver goes into the user's cargo root, not the repo: it is a tool, shared by checkouts.
ensure_tauri_driver() {
  local root="${CARGO_HOME:-$HOME/.cargo}"
  path_prepend "$root/bin"
  [[ -x $NATIVE_WEBDRIVER ]] ||
    die "$NATIVE_WEBDRIVER not found (Debian package webkit2gtk-driver)"
  if [[ "$(tauri_driver_installed_version "$root")" != "$TAURI_DRIVER_VERSION" ]]; then
    log "installing tauri-driver $TAURI_DRIVER_VERSION into $root"
    cargo install tauri-driver --version "$TAURI_DRIVER_VERSION" --locked --root "$root"
    [[ "$(tauri_driver_installed_version "$root")" == "$TAURI_DRIVER_VERSION" ]] ||
      die "tauri-driver $TAURI_DRIVER_VERSION did not install into $root"
  fi
  log "tauri-driver $TAURI_DRIVER_VERSION ($root/bin/tauri-driver), native driver $NATIVE_WEBDRIVER"
}

# True when $DISPLAY names an X server that accepts connections (no xdpyinfo needed:
# local displays are checked through their socket, others through TCP).
x_display_answers() {
  local display=${DISPLAY:-} host num
  [[ -n $display ]] || return 1
  host=${display%%:*}
  num=${display#*:}
  num=${num%%.*}
  [[ $num =~ ^[0-9]+$ ]] || return 1
  if [[ -z $host || $host == unix ]]; then
    [[ -S /tmp/.X11-unix/X$num ]]
  else
    (exec 3<>"/dev/tcp/$host/$((6000 + num))") 2>/dev/null
  fi
}

# A display for the desktop app: the current one if it answers, else a private Xvfb
# that lives as long as this shell (stop_background_processes). Also makes sure there
# is a D-Bus session bus, which WebKitGTK expects.
ensure_xvfb() {
  if x_display_answers; then
    log "using X display $DISPLAY"
  else
    have Xvfb || die "Xvfb not found (Debian package xvfb)"
    # -displayfd: Xvfb picks a free display number and writes it once it accepts
    # connections, so there is no race with other X servers (or other test runs).
    local fdfile errfile pid num="" i
    fdfile="$(mktemp)" errfile="$(mktemp)"
    Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp 3>"$fdfile" 2>"$errfile" &
    pid=$!
    BACKGROUND_PIDS+=("$pid")
    for ((i = 0; i < XVFB_WAIT_SECONDS * 10; i++)); do
      num="$(tr -dc '0-9' <"$fdfile")"
      [[ -n $num && -S /tmp/.X11-unix/X$num ]] && break
      kill -0 "$pid" 2>/dev/null || break
      num=""
      sleep 0.1
    done
    if [[ -z $num ]]; then
      cat "$errfile" >&2
      rm -f "$fdfile" "$errfile"
      die "Xvfb did not start within ${XVFB_WAIT_SECONDS}s"
    fi
    rm -f "$fdfile" "$errfile"
    export DISPLAY=":$num"
    log "started Xvfb on $DISPLAY (pid $pid)"
  fi

  ensure_dbus_session
}

# A D-Bus session bus: the current one ($DBUS_SESSION_BUS_ADDRESS), else a private one that
# lives as long as this shell (stop_background_processes). WebKitGTK expects one, and the
# keyring (Secret Service) lives on it.
ensure_dbus_session() {
  if [[ -n ${DBUS_SESSION_BUS_ADDRESS:-} ]]; then
    log "using D-Bus session bus $DBUS_SESSION_BUS_ADDRESS"
    return 0
  fi
  have dbus-launch || die "dbus-launch not found (Debian package dbus-x11)"
  local dbus_env
  dbus_env="$(dbus-launch --sh-syntax)" || die "dbus-launch failed"
  eval "$dbus_env"
  export DBUS_SESSION_BUS_ADDRESS
  BACKGROUND_PIDS+=("$DBUS_SESSION_BUS_PID")
  log "started a D-Bus session bus (pid $DBUS_SESSION_BUS_PID)"
}

# ---------------------------------------------------------------- keyring ---

# True when something owns the Secret Service name on the session bus. Asking the bus (rather
# than the service) never D-Bus-activates a daemon, which would come up with its login keyring
# locked or missing.
secret_service_running() {
  dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -qw true
}

# Store, read back and clear a probe item in the default collection: proves the keyring works
# and is unlocked. The timeout stops a locked keyring's unlock prompt from hanging the run.
keyring_probe() {
  local attrs=(service godconfig-probe user "probe-$$") value
  timeout 30 secret-tool store --label='God Config probe' "${attrs[@]}" <<<"x" || return 1
  value="$(timeout 30 secret-tool lookup "${attrs[@]}")" || return 1
  timeout 30 secret-tool clear "${attrs[@]}" || return 1
  [[ $value == x ]]
}

# A private gnome-keyring (Secret Service only) whose login keyring is created and unlocked
# with KEYRING_PASSWORD, in a temporary directory: never the user's keyrings, and its own
# control directory, so it cannot replace a desktop's daemon. Lives as long as this shell.
start_keyring_daemon() {
  have gnome-keyring-daemon || die "gnome-keyring-daemon not found (Debian package gnome-keyring)"
  local dir pid i line
  dir="$(mktemp -d -t godconfig-keyring.XXXXXX)"
  BACKGROUND_DIRS+=("$dir")
  mkdir -m 700 "$dir/data" "$dir/control"
  # --unlock reads the password from stdin; --foreground keeps the pid ours to stop.
  printf '%s' "$KEYRING_PASSWORD" |
    XDG_DATA_HOME="$dir/data" gnome-keyring-daemon --foreground --unlock --components=secrets \
      --control-directory="$dir/control" >"$dir/env" 2>"$dir/log" &
  pid=$!
  BACKGROUND_PIDS+=("$pid")
  for ((i = 0; i < KEYRING_WAIT_SECONDS * 10; i++)); do
    secret_service_running && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! secret_service_running; then
    cat "$dir/log" >&2
    die "gnome-keyring-daemon did not provide the Secret Service within ${KEYRING_WAIT_SECONDS}s"
  fi
  # What the daemon prints (GNOME_KEYRING_CONTROL=...), for clients that look for it.
  while IFS= read -r line; do
    if [[ $line =~ ^(GNOME_KEYRING_[A-Z_]+)=(.*)$ ]]; then
      export "${BASH_REMATCH[1]}=${BASH_REMATCH[2]}"
    fi
  done <"$dir/env"
  log "started gnome-keyring-daemon (pid $pid), login keyring unlocked, in $dir"
}

# An unlocked OS keyring for the vault tests and the app: the Secret Service already on the
# session bus (a desktop's keyring: the probe item is stored and cleared there), else a private
# gnome-keyring. Starts a D-Bus session bus first when there is none.
ensure_keyring() {
  ensure_dbus_session
  have dbus-send || die "dbus-send not found (Debian package dbus-bin)"
  have secret-tool || die "secret-tool not found (Debian package libsecret-tools)"
  if secret_service_running; then
    log "using the Secret Service already on the session bus"
  else
    start_keyring_daemon
  fi
  keyring_probe ||
    die "the Secret Service on $DBUS_SESSION_BUS_ADDRESS cannot store and read back an item; start or unlock your login keyring (gnome-keyring, KWallet), or unset DBUS_SESSION_BUS_ADDRESS to use a private one"
  log "keyring works (secret-tool store/lookup/clear)"
}
