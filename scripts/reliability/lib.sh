# Shared by scripts/reliability/*.sh (sourced, not run): the mock fleet,
# bridge instances on loopback, the PostgreSQL server, load, tally.
#
#   rel_setup NAME             a fresh work directory $WORK for scenario NAME
#   rel_start_fleet [ARGS…]    ReliabilityFleet (its event log: $WORK/fleet-events.tsv)
#   rel_config N STORE KINDS [EXTRA]
#                              $WORK/bridge-N.yaml for instance N on STORE
#                              (sqlite | postgres), forwarding to the fleet's
#                              KINDS (comma-separated); EXTRA: destination keys
#   rel_start N / rel_kill N / rel_stop N
#                              serve instance N (port ${PORTS[N]}, log
#                              $WORK/bridge-N.log); kill = SIGKILL; stop =
#                              SIGTERM, and a hang of more than 20 s is
#                              recorded in $STOP_HUNG (notes mark it FAILED)
#   rel_postgres_start / rel_postgres_stop
#                              a throwaway PostgreSQL (scripts/start-test-postgres.sh)
#                              with a fresh database per scenario: $PG_URL
#   rel_load ARGS…             scripts/reliability/load.py against every instance
#   rel_wait_delivered / rel_report
#                              scripts/reliability/tally.py: waits for delivery and
#                              counts; appends the row to RELIABILITY.md
#
# Everything listens on 127.0.0.1; every wait is bounded.

REL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REL_BIN="${CAPI_RELIABILITY_BIN:-$REL_ROOT/.build/debug}"
BRIDGE="$REL_BIN/capi-bridge"
FLEET="$REL_BIN/ReliabilityFleet"
REL_RUN="${REL_RUN:-$(date -u +%Y%m%dT%H%M%SZ)}"
REL_BASE="${REL_BASE:-/tmp/capi-reliability/$REL_RUN}"
RELIABILITY_MD="${RELIABILITY_MD:-$REL_ROOT/RELIABILITY.md}"
WEBHOOK_SECRET="whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="
ADMIN_TOKEN="reliability-admin-token-0123456789abcdef"
declare -a PORTS PIDS

rel_log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
rel_fail() { rel_log "FAIL: $*"; exit 1; }

rel_free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
rel_key() { python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())'; }

rel_setup() {
    SCENARIO="$1"
    WORK="$REL_BASE/$SCENARIO"
    rm -rf "$WORK"
    mkdir -p "$WORK/audit"
    SEAL_KEY=$(rel_key)
    AUDIT_KEY=$(rel_key)
    PORTS=()
    PIDS=()
    [ -x "$BRIDGE" ] && [ -x "$FLEET" ] || rel_fail "no $BRIDGE or $FLEET: run swift build first (or set CAPI_RELIABILITY_BIN)"
    trap rel_cleanup EXIT
    rel_log "scenario $SCENARIO: work directory $WORK"
}

rel_cleanup() {
    local n
    for n in "${!PIDS[@]}"; do
        [ -n "${PIDS[$n]}" ] && kill -KILL "${PIDS[$n]}" 2>/dev/null || true
    done
    [ -n "${FLEET_PID:-}" ] && kill -TERM "$FLEET_PID" 2>/dev/null || true
    [ -n "${LOAD_PID:-}" ] && kill -TERM "$LOAD_PID" 2>/dev/null || true
    rel_postgres_stop
    wait 2>/dev/null || true
}

rel_start_fleet() {
    rm -f "$WORK/fleet.json"
    "$FLEET" --log "$WORK/fleet-events.tsv" --state "$WORK/fleet.json" "$@" >"$WORK/fleet.log" 2>&1 &
    FLEET_PID=$!
    local _
    for _ in $(seq 1 300); do
        [ -s "$WORK/fleet.json" ] && break
        kill -0 "$FLEET_PID" 2>/dev/null || { cat "$WORK/fleet.log" >&2; rel_fail "the fleet exited"; }
        sleep 0.1
    done
    [ -s "$WORK/fleet.json" ] || rel_fail "the fleet did not start within 30 s"
    FLEET_CONTROL=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["control"])' "$WORK/fleet.json")
}

# rel_fleet_script KIND STATUS TIMES [RETRY_AFTER] / rel_fleet_clear KIND
rel_fleet_script() {
    curl -fsS -X POST "$FLEET_CONTROL/script/$1?status=$2&times=$3${4:+&retry_after=$4}" >/dev/null
}
rel_fleet_clear() { curl -fsS -X POST "$FLEET_CONTROL/clear/$1" >/dev/null; }

rel_postgres_start() {
    eval "$("$REL_ROOT/scripts/start-test-postgres.sh" 2>"$REL_BASE/postgres-start.log")"
    REL_PG_DIR="$CAPI_TEST_POSTGRES_DIR"
    PG_URL="$CAPI_TEST_POSTGRES_URL"
    PG_ADMIN_URL="$PG_URL"
}

rel_postgres_stop() {
    if [ -n "${REL_PG_DIR:-}" ]; then
        "$REL_ROOT/scripts/stop-test-postgres.sh" "$REL_PG_DIR" 2>/dev/null || true
        REL_PG_DIR=""
    fi
}

rel_psql() { psql "$PG_ADMIN_URL" -X -q -t -A -v ON_ERROR_STOP=1 -c "$1"; }

# rel_config N STORE KINDS [EXTRA DESTINATION KEYS] [EXTRA STORE KEYS]
rel_config() {
    local n="$1" store="$2" kinds="$3" extra="${4:-}" store_extra="${5:-}"
    [ -n "${PORTS[$n]:-}" ] || PORTS[$n]=$(rel_free_port)
    local store_yaml
    case "$store" in
        sqlite) store_yaml="{kind: sqlite, path: \"$WORK/outbox.sqlite\", seal_key: \"$SEAL_KEY\"$store_extra}" ;;
        postgres) store_yaml="{kind: postgres, url: \"$PG_URL\", seal_key: \"$SEAL_KEY\", instance_id: bridge-$n$store_extra}" ;;
        *) rel_fail "unknown store $store" ;;
    esac
    python3 - "$WORK/fleet.json" "$kinds" "$extra" >"$WORK/destinations-$n.yaml" <<'PY'
import json, sys
state, kinds, extra = json.load(open(sys.argv[1])), sys.argv[2].split(","), sys.argv[3]
for kind in kinds:
    entry = state["destinations"][kind].strip()
    print("  " + (entry[:-1] + ", " + extra + "}" if extra else entry))
PY
    cat >"$WORK/bridge-$n.yaml" <<YAML
server: {host: 127.0.0.1, port: ${PORTS[$n]}, admin_token: "$ADMIN_TOKEN", shutdown_timeout_seconds: 5}
store: $store_yaml
sources:
  - {name: backend, kind: standard-webhooks, secrets: ["$WEBHOOK_SECRET"], tolerance_seconds: 3600}
destinations:
$(cat "$WORK/destinations-$n.yaml")
audit: {dir: "$WORK/audit", digest_key: "$AUDIT_KEY"}
logging: {level: info}
YAML
}

rel_start() {
    local n="$1"
    (cd "$WORK" && SWIFT_BACKTRACE="enable=yes,threads=all,interactive=no,color=no" exec "$BRIDGE" serve --config "$WORK/bridge-$n.yaml") \
        >>"$WORK/bridge-$n.log" 2>&1 &
    PIDS[$n]=$!
    local _
    for _ in $(seq 1 600); do
        curl -fsS "http://127.0.0.1:${PORTS[$n]}/healthz" >/dev/null 2>&1 && return 0
        kill -0 "${PIDS[$n]}" 2>/dev/null || { tail -20 "$WORK/bridge-$n.log" >&2; rel_fail "instance $n exited before listening"; }
        sleep 0.1
    done
    rel_fail "instance $n did not listen within 60 s"
}

rel_kill() {
    local n="$1"
    kill -KILL "${PIDS[$n]}" 2>/dev/null || true
    wait "${PIDS[$n]}" 2>/dev/null || true
    PIDS[$n]=""
}

rel_stop() {
    local n="$1" status=0 _
    [ -n "${PIDS[$n]:-}" ] || return 0
    kill -TERM "${PIDS[$n]}" 2>/dev/null || true
    # shutdown_timeout_seconds is 5: give it 20 s, then record a hang (with
    # every thread's backtrace in the log) and SIGKILL.
    for _ in $(seq 1 200); do
        kill -0 "${PIDS[$n]}" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "${PIDS[$n]}" 2>/dev/null; then
        rel_log "instance $n still running 20 s after SIGTERM"
        STOP_HUNG="${STOP_HUNG:+$STOP_HUNG, }instance $n"
        # SIGABRT: Swift's backtracer writes every thread's stack to the instance's log.
        kill -ABRT "${PIDS[$n]}" 2>/dev/null || true
        for _ in $(seq 1 300); do
            kill -0 "${PIDS[$n]}" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "${PIDS[$n]}" 2>/dev/null || true
    fi
    wait "${PIDS[$n]}" || status=$?
    PIDS[$n]=""
    [ "$status" -eq 0 ] || rel_log "instance $n exited with status $status after SIGTERM"
}

# The URLs of instances 1..N (for load.py).
rel_urls() {
    local n urls=""
    for n in "$@"; do urls="${urls:+$urls,}http://127.0.0.1:${PORTS[$n]}"; done
    echo "$urls"
}

# rel_load_start SECONDS RATE INSTANCES… : signed load in the background ($LOAD_PID)
rel_load_start() {
    local seconds="$1" rate="$2"
    shift 2
    python3 "$REL_ROOT/scripts/reliability/load.py" --urls "$(rel_urls "$@")" --secret "$WEBHOOK_SECRET" \
        --seconds "$seconds" --rate "$rate" --run "$SCENARIO-$REL_RUN" --acked "$WORK/acked.txt" --summary "$WORK/load.json" \
        2>>"$WORK/load.log" &
    LOAD_PID=$!
}

rel_load_wait() {
    wait "$LOAD_PID" || rel_fail "the load generator failed (see $WORK/load.log)"
    LOAD_PID=""
}

# rel_audit_verify N : "intact" or "BROKEN …" for the shared audit directory
rel_audit_verify() {
    local out
    if out=$("$BRIDGE" audit verify "$WORK/audit" --config "$WORK/bridge-$1.yaml" 2>&1); then
        echo "intact"
    else
        echo "$out" >"$WORK/audit-verify.txt"
        echo "BROKEN (see audit-verify.txt)"
    fi
}

# rel_wait_delivered KINDS SINCE TIMEOUT : waits until every acknowledged event
# reached every destination kind (or TIMEOUT), counts into $WORK/tally.json
rel_wait_delivered() {
    python3 "$REL_ROOT/scripts/reliability/tally.py" wait --acked "$WORK/acked.txt" --fleet-log "$WORK/fleet-events.tsv" \
        --load "$WORK/load.json" --work "$WORK" --kinds "$1" --since "$2" --timeout "$3" 2>>"$WORK/tally.log"
}

# rel_report SCENARIO STORE AUDIT [tally.py append options…] : appends the row to RELIABILITY.md
rel_report() {
    local scenario="$1" store="$2" audit="$3"
    shift 3
    if [ -n "${STOP_HUNG:-}" ]; then audit="$audit; **FAILED: did not exit on SIGTERM: $STOP_HUNG**"; fi
    python3 "$REL_ROOT/scripts/reliability/tally.py" append --work "$WORK" --report "$RELIABILITY_MD" \
        --scenario "$scenario" --store "$store" --audit "$audit" "$@"
}

# rel_fleet_count KIND : requests the fleet's KIND mock answered so far
rel_fleet_count() {
    curl -fsS "$FLEET_CONTROL/counts" | python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]][0])' "$1"
}

# rel_alerts N ACTION [SUBJECT] : alert log lines of instance N with alert.action ACTION (raise | resolve)
rel_alerts() {
    python3 - "$WORK/bridge-$1.log" "$2" "${3:-}" <<'PY'
import json, sys
path, action, subject = sys.argv[1], sys.argv[2], sys.argv[3]
found = []
for line in open(path, encoding="utf-8", errors="replace"):
    try:
        entry = json.loads(line)
    except ValueError:
        continue
    if entry.get("msg") == "alert" and entry.get("alert.action") == action and (not subject or entry.get("alert.subject") == subject):
        found.append(entry.get("alert.condition", "?"))
print(",".join(sorted(set(found))) if found else "none")
PY
}

# rel_pg_ctl ARGS… : pg_ctl on the harness's PostgreSQL (as its owner when root)
rel_pg_ctl() {
    local pg_bin="${PG_BIN:-/usr/lib/postgresql/${PG_VERSION:-15}/bin}" owner
    owner=$(stat -c %U "$REL_PG_DIR/data")
    if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then
        runuser -u "$owner" -- "$pg_bin/pg_ctl" -D "$REL_PG_DIR/data" -l "$REL_PG_DIR/server.log" "$@"
    else
        "$pg_bin/pg_ctl" -D "$REL_PG_DIR/data" -l "$REL_PG_DIR/server.log" "$@"
    fi
}
