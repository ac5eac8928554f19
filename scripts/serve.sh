#!/usr/bin/env bash
# Installs what is missing, then serves the app at http://127.0.0.1:8080/
# (PORT=NNNN to change), rebuilding on every change.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# shellcheck source=scripts/env.sh
source scripts/env.sh
# No autoreload: Trunk would inject an inline script, which the page's
# Content-Security-Policy refuses. Reload the tab after a rebuild.
exec trunk serve --offline --no-autoreload --address 127.0.0.1 --port "${PORT:-8080}" "$@"
