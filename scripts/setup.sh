#!/usr/bin/env bash
# Installs whatever svcdoctor's build and tests need and is missing, and
# nothing else: the wasm target, Trunk, wasm-bindgen-cli at Cargo.lock's
# version, wasm-opt and playwright-core from npm, Chromium and chromedriver
# from Debian. Idempotent: with everything present it only checks versions.
# Nothing is downloaded from GitHub; Trunk runs with --offline everywhere.
#
# Source scripts/env.sh afterwards (serve.sh and test.sh do) to get the tools
# on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh

say() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# 1. Rust toolchain and wasm target (rust-toolchain.toml pins the version).
toolchain=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
  say "installing Rust $toolchain"
  rustup toolchain install "$toolchain" --profile minimal --component rustfmt,clippy
fi
if ! rustup target list --installed --toolchain "$toolchain" | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown --toolchain "$toolchain"
fi

# 2. Trunk, pinned: 0.22 needs a newer rustc than the pinned one.
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION from crates.io (a few minutes, once)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# 3. wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly,
#    or Trunk would try to download one. Not --locked: its lockfile asks for a
#    webpki-roots release the registry lacks.
wb_version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if [ -z "$wb_version" ]; then
  say "cannot find the wasm-bindgen version in Cargo.lock"
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wb_version" ] ||
  ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $wb_version from crates.io (a few minutes, once)"
  cargo install --force wasm-bindgen-cli --version "$wb_version"
fi

# 4. Chromium and chromedriver from Debian, for wasm tests and end-to-end
#    tests; shellcheck for the collector script; unzip and python3 for the
#    release archive's tests (the zip is read back, and the page is served
#    the way HOSTING.md tells learners to).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! command -v shellcheck >/dev/null ||
  ! command -v unzip >/dev/null || ! command -v python3 >/dev/null; then
  say "installing chromium, chromium-driver, shellcheck, unzip and python3 from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver shellcheck unzip python3 >/dev/null
fi

# 5. wasm-opt (binaryen 132), playwright-core and axe-core (the accessibility
#    checks of the end-to-end tests) from npm, as package-lock.json pins them.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  say "Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none))"
  exit 1
fi
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] ||
  [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm tools (binaryen, playwright-core, axe-core)"
  npm ci --no-audit --no-fund --loglevel=error
fi
