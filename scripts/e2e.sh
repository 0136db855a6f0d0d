#!/usr/bin/env bash
# End-to-end tests: the dev-tagged binary (the real Go backend) serves the real UI on loopback;
# Playwright drives Debian's Chromium through real flows (frontend/e2e/*.spec.mjs).
set -euo pipefail
bin=${1:?usage: e2e.sh DEV_BINARY OUTDIR}
out=${2:?usage: e2e.sh DEV_BINARY OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
data=$(mktemp -d)
port=${E2E_PORT:-34115}
trap 'kill -- -$xpid 2>/dev/null || true; wait $xpid 2>/dev/null || true; rm -rf "$data"' EXIT

# The dev binary reads its Wails settings from the environment: devserver (where to serve the
# UI and bindings) and assetdir (the built frontend).
PASSERELLE_DATA_DIR="$data" devserver="127.0.0.1:$port" assetdir="$root/frontend/dist" \
  setsid xvfb-run -a -s "-screen 0 1280x800x24" "$(realpath "$bin")" >"$out/app.log" 2>&1 &
xpid=$!
for i in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
  kill -0 $xpid 2>/dev/null || { echo "e2e: the app exited early"; cat "$out/app.log"; exit 1; }
  sleep 0.25
done
curl -fs "http://127.0.0.1:$port/" >/dev/null || { echo "e2e: the app does not answer on $port"; cat "$out/app.log"; exit 1; }

cd "$root/frontend"
BASE_URL="http://127.0.0.1:$port" E2E_OUT="$out" E2E_DATA_DIR="$data" CLI="$root/build/bin/passerelle" \
  node e2e/run.mjs "${3:-}"
