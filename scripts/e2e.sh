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
srvdata=$(mktemp -d)
xpid=""
spid=""
trap '[ -z "$xpid" ] || { kill -- -$xpid 2>/dev/null || true; wait $xpid 2>/dev/null || true; }
  [ -z "$spid" ] || { kill $spid 2>/dev/null || true; wait $spid 2>/dev/null || true; }
  rm -rf "$data" "$srvdata"' EXIT

# A sync server for the sync spec (j-sync): a fresh data folder, a free loopback port.
server_bin="$root/build/bin/passerelle-server"
server_url=""
[ -x "$server_bin" ] || { echo "e2e: $server_bin is missing (make server)"; exit 1; }
if true; then
  "$server_bin" serve --addr 127.0.0.1:0 --data-dir "$srvdata" >"$out/server.out" 2>"$out/server.log" &
  spid=$!
  for i in $(seq 1 40); do
    server_url=$(sed -n 's/^.* sur \(http:[^ ]*\)$/\1/p' "$out/server.out")
    [ -n "$server_url" ] && break
    sleep 0.25
  done
  [ -n "$server_url" ] || { echo "e2e: passerelle-server does not start"; cat "$out/server.log"; exit 1; }
fi

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
  SYNC_SERVER_URL="$server_url" SYNC_SERVER_BIN="$server_bin" SYNC_SERVER_DATA_DIR="$srvdata" \
  node e2e/run.mjs "${3:-}"
