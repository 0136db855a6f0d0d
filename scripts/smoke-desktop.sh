#!/usr/bin/env bash
# Start the real desktop binary under Xvfb on a fresh data folder and check that the directory
# screen rendered: the frontend signals "ready" once its first results are drawn (Shell.Ready),
# the screenshot is not blank, and the process is still alive.
set -euo pipefail
bin=${1:?usage: smoke-desktop.sh BINARY OUTDIR}
out=${2:?usage: smoke-desktop.sh BINARY OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

export PASSERELLE_DATA_DIR="$data" PASSERELLE_READY_FILE="$data/ready"
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  "$0" >"$1/app.log" 2>&1 & pid=$!
  for i in $(seq 1 240); do
    [ -s "$PASSERELLE_READY_FILE" ] && break
    kill -0 $pid 2>/dev/null || { echo "smoke: the app exited early"; cat "$1/app.log"; exit 1; }
    sleep 0.25
  done
  [ -s "$PASSERELLE_READY_FILE" ] || { echo "smoke: no ready signal after 60 s"; cat "$1/app.log"; kill $pid; exit 1; }
  sleep 1 # let the compositor paint the last frame
  import -window root "$1/screenshot.png"
  kill -0 $pid || { echo "smoke: the app died after start"; exit 1; }
  kill $pid; wait $pid 2>/dev/null || true
' "$(realpath "$bin")" "$out"

ready=$(cat "$data/ready")
echo "smoke: frontend said: $ready"
case "$ready" in
  *"results=0"*|"") echo "smoke: the directory screen showed no result"; exit 1 ;;
esac
# A blank or near-blank window has almost no variation and very few colours.
sd=$(convert "$out/screenshot.png" -colorspace Gray -format '%[fx:standard_deviation]' info:)
colours=$(convert "$out/screenshot.png" -format '%k' info:)
echo "smoke: screenshot $out/screenshot.png (grey standard deviation $sd, $colours colours)"
awk -v sd="$sd" -v c="$colours" 'BEGIN { exit !(sd > 0.05 && c > 64) }' || { echo "smoke: the screenshot looks blank"; exit 1; }
grep -q 'frontend ready' "$out/app.log" || { echo "smoke: no 'frontend ready' in the log"; exit 1; }
echo "smoke: OK"
