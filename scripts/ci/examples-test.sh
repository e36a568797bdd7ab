#!/usr/bin/env bash
# Runs the client examples (examples/python, examples/node, examples/php)
# against a live `capi-bridge serve` on loopback: each must get 202 for its
# signed Standard Webhooks purchase and for its /v1/events batch, and every
# event they sent must be in the store afterwards (`capi-bridge events`).
# Fails when python3, node or php is missing (.ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/ci/bridge-lib.sh

for tool in python3 node php; do
    command -v "$tool" >/dev/null || { echo "examples-test.sh: $tool is not installed" >&2; exit 1; }
done

workdir="$(mktemp -d "${TMPDIR:-/tmp}/capi-examples.XXXXXX")"
finish() {
    local status=$?
    [ -n "${BRIDGE_PID:-}" ] && { kill -TERM "$BRIDGE_PID" 2>/dev/null; wait "$BRIDGE_PID" 2>/dev/null || true; }
    if [ "$status" -ne 0 ] && [ -f "$workdir/bridge.log" ]; then
        echo "--- the bridge's last log lines ---" >&2
        tail -n 40 "$workdir/bridge.log" >&2
    fi
    rm -rf "$workdir"
    exit "$status"
}
trap finish EXIT

export CAPI_EVENTS_TOKEN="$(random_token)"
export CAPI_SEAL_KEY="$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
export CAPI_AUDIT_KEY="$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
export BACKEND_WEBHOOK_SECRET="whsec_$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"

config="$PWD/scripts/ci/examples-bridge.yaml"
start_bridge "$config" "$workdir"
export CAPI_BRIDGE_URL="$BRIDGE_URL" CAPI_SOURCE=backend

run_example() {
    local name="$1"; shift
    local output
    if ! output="$("$@" 2>&1)"; then
        echo "$name example failed:" >&2
        echo "$output" >&2
        return 1
    fi
    echo "$output" | sed "s/^/$name: /"
    for what in "signed webhook" "events batch"; do
        if ! grep -q "^$what: HTTP 202 " <<<"$output"; then
            echo "$name example: expected '$what: HTTP 202'" >&2
            return 1
        fi
    done
}

run_example python python3 examples/python/send_conversions.py
run_example node node examples/node/send-conversions.mjs
run_example php php examples/php/send-conversions.php

stop_bridge
# Each example stored one event under the webhook source and two under the events API.
stored="$(cd "$workdir" && "$BRIDGE_BINARY" events --config "$config" --limit 1000)"
for prefix in py node php; do
    count="$(awk -F'\t' -v prefix="sale:backend:$prefix-" 'index($3, prefix) == 1' <<<"$stored" | wc -l)"
    if [ "$count" -ne 3 ]; then
        echo "expected 3 stored events with ids sale:backend:$prefix-…, found $count:" >&2
        echo "$stored" >&2
        exit 1
    fi
done
echo "examples test passed: $(head -n 1 <<<"$stored")"
