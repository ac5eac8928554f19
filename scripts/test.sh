#!/usr/bin/env bash
# Installs what is missing, then runs every check CI runs: formatting, clippy,
# native tests, the app's wasm tests in headless Chromium, the release build
# and its archives, and end-to-end tests of the built page and of the
# unpacked archive in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# shellcheck source=scripts/env.sh
source scripts/env.sh

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "shellcheck (collector, scripts)"
shellcheck collect/collect.sh collect/testdata/fake-kubectl collect/testdata/node-bin/* scripts/*.sh .ci/run

step "cargo clippy (native and wasm)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p svcdoctor-web --target wasm32-unknown-unknown --all-targets -- -D warnings

step "native tests of every crate"
cargo test --workspace

step "accuracy on the corpus, the realistic scenarios and real pastes; metamorphic transforms"
cargo test -q -p svcdoctor-engine --test corpus --test realistic --test threads --test metamorphic -- --nocapture --test-threads=1 2>&1 |
  grep -E 'corpus without|realistic scenarios|real pastes|known:|metamorphic:'

step "wasm tests of the app in headless Chromium"
cargo test -p svcdoctor-web --target wasm32-unknown-unknown

step "release build (trunk build --release --offline)"
trunk build --release --offline

step "release archives (scripts/package.sh --no-build)"
scripts/package.sh --no-build

step "bundle budget (node scripts/bundle-size.mjs)"
node scripts/bundle-size.mjs dist

step "end-to-end tests of dist/ in headless Chromium"
cargo build --bin svcdoctor --bin svcdoctor-gen
node --test e2e/
