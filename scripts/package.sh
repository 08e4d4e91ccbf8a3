# shellcheck shell=bash
# The .deb and .rpm (`./dev package`), and the installed-package scenario CI runs on them
# (`./dev test`). Sourced by ./dev after scripts/lib.sh.

# What checks the packages: desktop-file-validate for the desktop entry, rpm to list the .rpm.
PACKAGE_APT_PACKAGES=(desktop-file-utils rpm)
# Debian's name for the package: the product name, lower-cased, spaces as dashes.
DEB_NAME=god-config
# What Tauri's bundler packs: the `dist` profile's binaries (Cargo.toml) copied where it looks
# for them (`<target dir>/release/`, with CARGO_TARGET_DIR pointing here), and the examples.
# tauri.conf.json's `files` name the same paths.
DIST_STAGE=target/dist-stage
BUNDLE_DIR=$DIST_STAGE/release/bundle
EXAMPLES_STAGE=$DIST_STAGE/examples
# Where the finished packages go.
PACKAGES_DIR=target/packages
# The icon sizes the packages install under /usr/share/icons/hicolor (tauri.conf.json).
ICON_SIZES=(16x16 24x24 32x32 48x48 64x64 128x128 256x256)

# The example connectors as committed (connectors/ at HEAD): never a generated mcp.py, a cache
# or a local change that is not committed, so the package holds what its commit says.
stage_examples() {
  git -C "$REPO_ROOT" rev-parse --verify --quiet HEAD >/dev/null ||
    die "packaging needs a git checkout with a commit: the examples are connectors/ as committed"
  mkdir -p "$REPO_ROOT/$EXAMPLES_STAGE"
  git -C "$REPO_ROOT" archive --format=tar HEAD connectors |
    tar -x -C "$REPO_ROOT/$EXAMPLES_STAGE" --strip-components=1
  local count
  count=$(find "$REPO_ROOT/$EXAMPLES_STAGE" -mindepth 2 -maxdepth 2 -name manifest.yaml | wc -l)
  ((count > 0)) || die "no example connector found in connectors/"
  log "staged $count example connectors in $EXAMPLES_STAGE"
}

# Builds the app and CLI (`dist` profile: release without debug info), then the .deb and .rpm
# from them with Tauri's bundler.
build_packages() {
  step "package: build UI (ui/dist)"
  npm run --silent ui:build
  step "package: build app + sentinel (profile dist)"
  cargo build --profile dist -p godconfig-app -p sentinel-cli
  step "package: stage the binaries and the example connectors"
  rm -rf "${REPO_ROOT:?}/$DIST_STAGE"
  mkdir -p "$REPO_ROOT/$DIST_STAGE/release"
  cp "$REPO_ROOT/target/dist/godconfig" "$REPO_ROOT/target/dist/sentinel" "$REPO_ROOT/$DIST_STAGE/release/"
  stage_examples
  step "package: .deb and .rpm (tauri bundle)"
  # `bundle` packs what cargo just built (`tauri build` would build the app again, in release).
  CARGO_TARGET_DIR="$REPO_ROOT/$DIST_STAGE" npx --no-install tauri bundle --bundles deb,rpm --ci
  # The bundler names the files after the product ("God Config_0.1.0_amd64.deb"); give them the
  # package's own name, as apt and dnf users expect (god-config_0.1.0_amd64.deb).
  rm -rf "${REPO_ROOT:?}/$PACKAGES_DIR"
  mkdir -p "$REPO_ROOT/$PACKAGES_DIR"
  local file
  for file in "$REPO_ROOT/$BUNDLE_DIR"/deb/*.deb "$REPO_ROOT/$BUNDLE_DIR"/rpm/*.rpm; do
    [[ -f $file ]] || die "the bundler made no package in $BUNDLE_DIR (output above)"
    mv "$file" "$REPO_ROOT/$PACKAGES_DIR/$(tr 'A-Z ' 'a-z-' <<<"${file##*/}")"
  done
  package_report
}

deb_file() { compgen -G "$REPO_ROOT/$PACKAGES_DIR/*.deb" | head -n 1; }
rpm_file() { compgen -G "$REPO_ROOT/$PACKAGES_DIR/*.rpm" | head -n 1; }

# Each package's path and size.
package_report() {
  local file
  for file in "$(deb_file)" "$(rpm_file)"; do
    [[ -f $file ]] || die "no package in $PACKAGES_DIR: run ./dev package"
    printf 'package: %s  %s bytes (%s)\n' "${file#"$REPO_ROOT"/}" "$(stat -c %s "$file")" "$(du -h "$file" | cut -f1)"
  done
}

# What both packages must hold, read off the package files themselves.
check_package_contents() {
  local deb rpm listing path deb_paths rpm_paths size
  deb=$(deb_file) rpm=$(rpm_file)
  # Each file's absolute path, one per line (dpkg-deb -c prints ls -l columns, then the path).
  deb_paths=$(dpkg-deb -c "$deb" | sed -E 's/^([^ ]+ +){5}//; s|^\./|/|; s|^([^/])|/\1|')
  rpm_paths=$(rpm -qpl "$rpm" 2>/dev/null)
  local wanted=(/usr/bin/godconfig /usr/bin/sentinel "/usr/share/applications/God Config.desktop"
    /usr/share/godconfig/examples/stripe/manifest.yaml /usr/share/godconfig/examples/AGENTS.md)
  for size in "${ICON_SIZES[@]}"; do wanted+=("/usr/share/icons/hicolor/$size/apps/godconfig.png"); done
  for path in "${wanted[@]}"; do
    grep -qxF "$path" <<<"$deb_paths" || die "$deb does not hold $path"
    grep -qxF "$path" <<<"$rpm_paths" || die "$rpm does not hold $path"
  done
  listing=$(dpkg-deb -f "$deb" Depends)
  for dep in libwebkit2gtk-4.1-0 python3 gnome-keyring; do
    [[ $listing == *"$dep"* ]] || die "$deb does not depend on $dep (Depends: $listing)"
  done
  listing=$(rpm -qpR "$rpm" 2>/dev/null)
  for dep in webkit2gtk4.1 python3 gnome-keyring; do
    [[ $listing == *"$dep"* ]] || die "$rpm does not require $dep (Requires: $listing)"
  done
  log "both packages hold the app, sentinel, the desktop entry, ${#ICON_SIZES[@]} icon sizes and the examples, and declare their runtime dependencies"
}

# Installs the .deb, checks what it put on the machine, drives the installed app through the
# first run (e2e/installed/), removes the package, and checks that only the user's data is left.
installed_package_scenario() {
  local deb files home version
  deb=$(deb_file)
  step "package: install the .deb (apt)"
  ensure_apt_packages "${PACKAGE_APT_PACKAGES[@]}"
  check_package_contents
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -q install -y --reinstall "$deb" >/dev/null ||
    die "apt-get install $deb failed"
  files=$(mktemp)
  TEMP_DIRS+=("$files")
  dpkg-query -L "$DEB_NAME" >"$files"

  step "package: the installed sentinel and desktop entry"
  [[ $(command -v sentinel) == /usr/bin/sentinel ]] || die "sentinel is not on the PATH at /usr/bin/sentinel (found: $(command -v sentinel || echo none))"
  version=$(/usr/bin/sentinel --version)
  [[ $version =~ ^sentinel\ [0-9]+\.[0-9]+\.[0-9]+\ \(commit\ [0-9a-f]{7,}(-dirty)?,\ registry\ schema\ [0-9]+\)$ ]] ||
    die "unexpected sentinel --version: $version"
  log "$version"
  local desktop="/usr/share/applications/God Config.desktop"
  desktop-file-validate "$desktop" || die "$desktop is not a valid desktop entry (above)"
  grep -qx 'Exec=godconfig' "$desktop" || die "$desktop does not start godconfig: $(grep Exec= "$desktop")"
  grep -qx 'Icon=godconfig' "$desktop" || die "$desktop names no godconfig icon"

  step "package: the installed app's first run (e2e/installed/)"
  home=$(mktemp -d -t godconfig-installed.XXXXXX)
  TEMP_DIRS+=("$home")
  GODCONFIG_INSTALLED_HOME="$home" node_test_summed --test-concurrency=1 e2e/installed/*.test.mjs

  step "package: remove the .deb, keep the user's data"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -q remove -y "$DEB_NAME" >/dev/null ||
    die "apt-get remove $DEB_NAME failed"
  [[ $(dpkg-query -W -f='${Status}' "$DEB_NAME" 2>/dev/null) != *" installed" ]] ||
    die "$DEB_NAME is still installed after apt-get remove"
  local path left=0
  while IFS= read -r path; do
    [[ -d $path ]] && continue # shared folders such as /usr/bin stay
    if [[ -e $path ]]; then
      warn "left behind: $path"
      left=$((left + 1))
    fi
  done <"$files"
  ((left == 0)) || die "$left files of $DEB_NAME are still on the machine after removal"
  [[ ! -e /usr/share/godconfig ]] || die "/usr/share/godconfig is still there after removal"
  for path in GodConfig/connectors/stripe/manifest.yaml GodConfig/connectors/stripe/mcp.py \
    data/godconfig/registry.db config/godconfig/settings.json; do
    [[ -f $home/$path ]] || die "the user's $path is gone after removing the package"
  done
  log "removed: none of its $(wc -l <"$files") paths is left; the user's folder, registry and settings are"
}
