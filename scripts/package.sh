#!/usr/bin/env bash
# Builds the release page and packs it for docs sites and offline use:
#
#   target/package/svcdoctor-web-VERSION.tar.gz
#   target/package/svcdoctor-web-VERSION.zip
#   target/package/SHA256SUMS
#
# Each archive holds one folder, svcdoctor-web-VERSION/: the files of dist/,
# each with precompressed .br and .gz siblings, and HOSTING.md (how to serve
# it under a sub-path, the headers to send, how to run it offline).
#
#   scripts/package.sh [--no-build]
#
# --no-build packs the dist/ that is there (the test command builds it
# first). VERSION is [workspace.package] version in Cargo.toml, the version
# the page and `svcdoctor --version` show.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *)
      printf 'package: unknown argument %s (try --help)\n' "$arg" >&2
      exit 2
      ;;
  esac
done

if [ "$build" -eq 1 ]; then
  scripts/setup.sh
  # shellcheck source=scripts/env.sh
  source scripts/env.sh
  trunk build --release --offline
fi

# Time stamps in the archives: the last commit's, so that a rebuild of the
# same commit gives the same bytes.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)
fi
export SOURCE_DATE_EPOCH
mkdir -p target/package
node scripts/package.mjs dist target/package
