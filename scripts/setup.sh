#!/usr/bin/env bash
# Installs what building and testing the wallet needs, skipping whatever is already there at the
# right version. Only package registries are used (Debian, crates.io, npm, PyPI); Trunk itself
# never downloads anything (Trunk.toml: offline).
#
# Sourced by scripts/serve and scripts/test; exports PATH with the tools in front.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
# The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' "$ROOT/Cargo.lock")"
SETUP_LOG_DIR="$ROOT/e2e/.cache/setup-logs"
mkdir -p "$SETUP_LOG_DIR"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else say "need root for: $*  (run it as root, then run this again)"; return 1; fi
}

setup_apt() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} (Debian packages)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >"$SETUP_LOG_DIR/apt.log" 2>&1 \
      || { tail -20 "$SETUP_LOG_DIR/apt.log"; return 1; }
  fi
}

setup_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  # The release build compiles the standard library with the wallet (build_release).
  if ! rustup component list --installed | grep -qx 'rust-src'; then
    say "adding the rust-src component (the standard library's source)"
    rustup component add rust-src
  fi
  local pids=() names=()
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (cargo install, about 13 minutes on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked >"$SETUP_LOG_DIR/trunk.log" 2>&1 &
    pids+=($!); names+=(trunk)
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (cargo install, about 5 minutes)"
    # Not --locked: its lockfile wants a webpki-roots version the registry here does not serve.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" >"$SETUP_LOG_DIR/wasm-bindgen.log" 2>&1 &
    pids+=($!); names+=(wasm-bindgen)
  fi
  local i
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      tail -30 "$SETUP_LOG_DIR/${names[$i]}.log"; say "installing ${names[$i]} failed"; return 1
    fi
  done
}

setup_npm() {
  # wasm-opt 132 (npm binaryen; Debian's binaryen 108 builds bundles that fail in the browser),
  # playwright-core (drives Debian's Chromium), and the sandbox peers (Credo-ts).
  local stamp="$ROOT/e2e/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$ROOT/e2e/package-lock.json" -nt "$stamp" ]; then
    say "installing npm packages (e2e/)"
    (cd "$ROOT/e2e" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  fi
  if [ -f "$ROOT/e2e/sandbox/setup.mjs" ]; then
    node "$ROOT/e2e/sandbox/setup.mjs"
  fi
}

# The release bundle. The standard library is compiled with the wallet, for size rather than
# speed, and a panic stops the module at once instead of formatting a message first: 23 KB
# (brotli) less over the three modules (README, "Size and speed"). Those are unstable options of
# cargo and rustc, which RUSTC_BOOTSTRAP opens on this stable toolchain for this build only; its
# own target folder keeps the tests' builds from being redone each time (proc-macro2 rebuilds
# when RUSTC_BOOTSTRAP changes).
build_release() {
  local minor
  minor=$(rustc --version | sed -nE 's/^rustc 1\.([0-9]+)\..*/\1/p')
  if [ "${minor:-0}" -lt 92 ]; then
    # -Cpanic=immediate-abort came with Rust 1.92; older ones build the larger bundle.
    say "WARNING: $(rustc --version) is older than 1.92: building without the size options (rustup update stable)"
    trunk build --release "$@"
    return
  fi
  RUSTC_BOOTSTRAP=1 \
  CARGO_TARGET_DIR="$ROOT/target/bundle" \
  CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
  CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
    trunk build --release "$@"
}

setup_all() {
  setup_apt
  setup_rust_tools
  setup_npm
  export PATH="$ROOT/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
  export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
  export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/webdriver.json"
  (cd "$ROOT" && cargo fetch --locked -q)
  # Trunk must find exactly the pinned tools on PATH.
  [ "$(wasm-opt --version)" = "wasm-opt version 132 (version_132)" ] || { say "wrong wasm-opt on PATH: $(command -v wasm-opt)"; return 1; }
}
