#!/usr/bin/env bash
# Renders a match-quality HTML report (capi-bridge report --format html) to a
# PNG with headless Chromium from Debian, so it can be looked at without a
# browser. Installs the `chromium` package with apt-get when it is missing.
#
#   scripts/render-report.sh REPORT.html [OUT.png] [WIDTH] [HEIGHT]
#
# WIDTH defaults to 1366 (a laptop screen); HEIGHT to one that fits the whole
# page (estimated from the number of sections). Prints the PNG's path.
set -euo pipefail
IN="${1:?usage: scripts/render-report.sh REPORT.html [OUT.png] [WIDTH] [HEIGHT]}"
OUT="${2:-${IN%.html}.png}"
WIDTH="${3:-1366}"
[ -f "$IN" ] || { echo "no such file: $IN" >&2; exit 1; }
if [ -z "${4:-}" ]; then
    SECTIONS=$(grep -o '<section' "$IN" | wc -l)
    HEIGHT=$((260 + 1150 * (SECTIONS > 0 ? SECTIONS : 1)))
else
    HEIGHT="$4"
fi

BROWSER="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$BROWSER" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "installing chromium (Debian package)..." >&2
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >&2
    BROWSER="$(command -v chromium)"
fi

ABS="$(cd "$(dirname "$IN")" && pwd)/$(basename "$IN")"
OUT_ABS="$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")"
PROFILE="$(mktemp -d /tmp/capi-render.XXXXXX)"
trap 'rm -rf "$PROFILE"' EXIT
# --no-sandbox: Chromium refuses to run as root otherwise (CI and containers
# run as root); the page is our own, script-free HTML.
"$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$PROFILE" \
    --force-device-scale-factor=1 --window-size="$WIDTH,$HEIGHT" --screenshot="$OUT_ABS" "file://$ABS" >/dev/null 2>&1
[ -s "$OUT_ABS" ] || { echo "chromium produced no screenshot" >&2; exit 1; }
echo "$OUT_ABS"
