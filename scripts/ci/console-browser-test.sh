#!/usr/bin/env bash
# The console in a real browser: starts the platform mocks
# (scripts/ci/console-mock-platforms.py) and `capi-bridge serve` with
# scripts/ci/console-bridge.yaml on loopback, then drives the console with
# Selenium and Debian's headless chromium + chromium-driver
# (scripts/ci/console_browser_test.py). Screenshots of every page land in
# console-artifacts/ (ignored by git); `--update-docs` also copies the
# README's few into docs/console/. About a minute.
# Needs the built binary, chromium and chromium-driver (.ci/run installs
# them), and python3 with venv (installs the pinned tools in .venv-ci/).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/ci/bridge-lib.sh

scripts/ci/python-venv.sh
for tool in chromium chromedriver; do
    command -v "$tool" >/dev/null || { echo "console-browser-test.sh: $tool is missing (apt-get install chromium chromium-driver)" >&2; exit 1; }
done

workdir="$(mktemp -d "${TMPDIR:-/tmp}/capi-console.XXXXXX")"
MOCK_PID=""
finish() {
    local status=$?
    [ -n "${BRIDGE_PID:-}" ] && { kill -TERM "$BRIDGE_PID" 2>/dev/null; wait "$BRIDGE_PID" 2>/dev/null || true; }
    [ -n "$MOCK_PID" ] && { kill "$MOCK_PID" 2>/dev/null; wait "$MOCK_PID" 2>/dev/null || true; }
    if [ "$status" -ne 0 ] && [ -f "$workdir/bridge.log" ]; then
        echo "--- the bridge's last log lines ---" >&2
        tail -n 40 "$workdir/bridge.log" >&2
    fi
    rm -rf "$workdir"
    exit "$status"
}
trap finish EXIT

key32() { python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())'; }
export CAPI_ADMIN_TOKEN="$(random_token)" CAPI_CONSOLE_ANNA_TOKEN="$(random_token)"
export CAPI_SEAL_KEY="$(key32)" CAPI_AUDIT_KEY="$(key32)" CAPI_CONSOLE_SESSION_KEY="$(key32)"
export BACKEND_WEBHOOK_SECRET="whsec_$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(24)).decode())')"

python3 scripts/ci/console-mock-platforms.py > "$workdir/mock.port" &
MOCK_PID=$!
for _ in $(seq 1 100); do [ -s "$workdir/mock.port" ] && break; sleep 0.05; done
export MOCK_URL="http://127.0.0.1:$(cat "$workdir/mock.port")"

start_bridge "$PWD/scripts/ci/console-bridge.yaml" "$workdir"
export BRIDGE_URL
export CONSOLE_ARTIFACTS="$PWD/console-artifacts"
rm -rf "$CONSOLE_ARTIFACTS"
.venv-ci/bin/python scripts/ci/console_browser_test.py
if [ "${1:-}" = "--update-docs" ]; then
    mkdir -p docs/console
    for page in overview sale-journey-delivered dead-letters match-quality; do cp "$CONSOLE_ARTIFACTS/$page.png" docs/console/; done
fi
stop_bridge
