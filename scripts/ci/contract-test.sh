#!/usr/bin/env bash
# The API contract, checked against a running bridge:
#   1. docs/openapi.yaml is in step with the event schema and the binary's
#      copy (scripts/embed-openapi.py --check) and a valid OpenAPI 3.1
#      document (openapi-spec-validator);
#   2. `capi-bridge serve` on loopback with every route and token configured
#      (scripts/ci/contract-bridge.yaml) answers unsigned webhooks with the
#      documented 401 problems (scripts/ci/contract-preflight.py);
#   3. schemathesis runs every operation (examples, coverage and fuzzing
#      phases, at most CONTRACT_MAX_EXAMPLES (100) generated cases per operation
#      and phase, seed CONTRACT_SEED; about a minute): no 5xx, and every answer's status,
#      content type, headers and body conform to the document; three in
#      four webhook cases are signed for a configured source
#      (scripts/ci/schemathesis_hooks.py), so the fuzzer reaches each
#      adapter's parser, the fourth stays unsigned and must be a 4xx problem;
#   4. every source answered some signed case past its signature check
#      (scripts/ci/contract-reach.py reads /metrics);
#   5. the bridge logged no unhandled error and stops cleanly on SIGTERM.
# Needs the built binary (.build/debug/capi-bridge, or CAPI_BRIDGE_BINARY)
# and python3 with venv; installs the pinned tools in .venv-ci/.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/ci/bridge-lib.sh

scripts/ci/python-venv.sh
venv=.venv-ci/bin

python3 scripts/embed-openapi.py --check
"$venv/openapi-spec-validator" docs/openapi.yaml

workdir="$(mktemp -d "${TMPDIR:-/tmp}/capi-contract.XXXXXX")"
RECEIVER_PID=""
finish() {
    local status=$?
    [ -n "${BRIDGE_PID:-}" ] && { kill -TERM "$BRIDGE_PID" 2>/dev/null; wait "$BRIDGE_PID" 2>/dev/null || true; }
    [ -n "$RECEIVER_PID" ] && { kill "$RECEIVER_PID" 2>/dev/null; wait "$RECEIVER_PID" 2>/dev/null || true; }
    if [ "$status" -ne 0 ] && [ -f "$workdir/bridge.log" ]; then
        echo "--- the bridge's last log lines ---" >&2
        tail -n 40 "$workdir/bridge.log" >&2
    fi
    rm -rf "$workdir"
    exit "$status"
}
trap finish EXIT

export CAPI_ADMIN_TOKEN="$(random_token)" CAPI_EVENTS_TOKEN="$(random_token)" CAPI_METRICS_TOKEN="$(random_token)"
export CAPI_SEAL_KEY="$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
export CAPI_AUDIT_KEY="$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
export SHOPIFY_SECRET="shpss_$(random_token 16)" STRIPE_WEBHOOK_SECRET="whsec_$(random_token 16)" WOOCOMMERCE_SECRET="$(random_token 16)"
export BACKEND_WEBHOOK_SECRET="whsec_$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(24)).decode())')"

python3 scripts/ci/refusing-receiver.py > "$workdir/receiver.port" &
RECEIVER_PID=$!
for _ in $(seq 1 100); do [ -s "$workdir/receiver.port" ] && break; sleep 0.05; done
export REFUSING_RECEIVER_URL="http://127.0.0.1:$(cat "$workdir/receiver.port")/hooks"

start_bridge "$PWD/scripts/ci/contract-bridge.yaml" "$workdir"
export BRIDGE_URL
echo "bridge listening at $BRIDGE_URL"

python3 scripts/ci/contract-preflight.py

PYTHONPATH="$PWD/scripts/ci" SCHEMATHESIS_HOOKS=schemathesis_hooks \
"$venv/schemathesis" --config-file scripts/ci/schemathesis.toml run docs/openapi.yaml \
    --url "$BRIDGE_URL" \
    --phases examples,coverage,fuzzing \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --max-examples "${CONTRACT_MAX_EXAMPLES:-100}" \
    --seed "${CONTRACT_SEED:-20260514}" \
    --generation-database none \
    --request-timeout 10 \
    --workers 1 \
    --no-color

python3 scripts/ci/contract-reach.py

if grep -q '"msg":"unhandled error"' "$workdir/bridge.log"; then
    echo "the bridge logged unhandled errors:" >&2
    grep '"msg":"unhandled error"' "$workdir/bridge.log" | head -n 20 >&2
    exit 1
fi
stop_bridge
echo "contract test passed"
