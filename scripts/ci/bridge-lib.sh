# Shared by scripts/ci/*.sh (sourced, not run): start and stop a
# `capi-bridge serve` on loopback for a test, and random secrets.
#
#   start_bridge CONFIG WORKDIR   starts serve with CONFIG, the working
#                                 directory WORKDIR (relative paths land
#                                 there) and its log in WORKDIR/bridge.log;
#                                 sets BRIDGE_PID and BRIDGE_URL
#   stop_bridge                   SIGTERM, waits; fails unless it exits 0
#   random_token [BYTES]          hex of BYTES random bytes (default 24)

ci_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BRIDGE_BINARY="${CAPI_BRIDGE_BINARY:-$ci_root/.build/debug/capi-bridge}"

random_token() { python3 -c "import secrets, sys; print(secrets.token_hex(int(sys.argv[1])))" "${1:-24}"; }

start_bridge() {
    local config="$1" workdir="$2"
    if [ ! -x "$BRIDGE_BINARY" ]; then
        echo "no capi-bridge binary at $BRIDGE_BINARY: run swift build (or set CAPI_BRIDGE_BINARY)" >&2
        return 1
    fi
    (cd "$workdir" && exec "$BRIDGE_BINARY" serve --config "$config") 2>"$workdir/bridge.log" >/dev/null &
    BRIDGE_PID=$!
    local port=""
    for _ in $(seq 1 300); do
        port="$(python3 - "$workdir/bridge.log" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    try:
        entry = json.loads(line)
    except ValueError:
        continue
    if entry.get("msg") == "listening":
        print(entry.get("server.port", ""))
        break
PY
)"
        [ -n "$port" ] && break
        if ! kill -0 "$BRIDGE_PID" 2>/dev/null; then
            echo "capi-bridge serve exited before listening; its log:" >&2
            cat "$workdir/bridge.log" >&2
            return 1
        fi
        sleep 0.1
    done
    if [ -z "$port" ]; then
        echo "capi-bridge serve did not listen within 30 s; its log:" >&2
        cat "$workdir/bridge.log" >&2
        return 1
    fi
    BRIDGE_URL="http://127.0.0.1:$port"
}

stop_bridge() {
    [ -n "${BRIDGE_PID:-}" ] || return 0
    local status=0
    kill -TERM "$BRIDGE_PID" 2>/dev/null || true
    wait "$BRIDGE_PID" || status=$?
    BRIDGE_PID=""
    if [ "$status" -ne 0 ]; then
        echo "capi-bridge serve exited with status $status after SIGTERM" >&2
        return 1
    fi
}
