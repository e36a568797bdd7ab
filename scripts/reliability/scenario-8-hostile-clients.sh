#!/usr/bin/env bash
# Scenario 8: slow clients and a connection flood against a live bridge
# under signed load, with the production-safety limits (idle_timeout 3 s,
# body_timeout 5 s, max_connections 512). For 40 s, 300 connections trickle
# never-ending header blocks or bodies and 1,500 more are opened and held
# idle (hostile-clients.py). The load must go on being acknowledged (its
# p99 from first send to 2xx is recorded), nothing acknowledged is lost,
# and the bridge must have cut the slow connections.
#
#   scenario-8-hostile-clients.sh [RATE (40/s)] [SLOW (300)] [FLOOD (1500)]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RATE="${1:-40}"
SLOW="${2:-300}"
FLOOD="${3:-1500}"
KINDS=meta

ulimit -n 65536 2>/dev/null || ulimit -n 8192 2>/dev/null || true
rel_setup 8-hostile-clients
rel_start_fleet --delay-ms 20
rel_config 1 sqlite "$KINDS" "max_wait_ms: 200"
sed -i 's/^server: {host: 127.0.0.1, /server: {host: 127.0.0.1, idle_timeout_seconds: 3, body_timeout_seconds: 5, max_connections: 512, /' "$WORK/bridge-1.yaml"
rel_start 1
rel_load_start 600 "$RATE" 1
sleep 10
rel_log "$SLOW slow and $FLOOD idle connections for 40 s"
HOSTILE=$(python3 "$REL_ROOT/scripts/reliability/hostile-clients.py" 127.0.0.1 "${PORTS[1]}" 40 "$SLOW" "$FLOOD")
rel_log "hostile clients: $HOSTILE"
kill -0 "${PIDS[1]}" 2>/dev/null && ALIVE=yes || ALIVE=no
sleep 5
kill -USR1 "$LOAD_PID" 2>/dev/null || true
rel_load_wait
LOAD_ENDED=$(date +%s.%N)
rel_wait_delivered "$KINDS" "$LOAD_ENDED" 120 || true
rel_stop 1
AUDIT=$(rel_audit_verify 1)
LOAD=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print("answers", d["statuses"], "first send → 2xx", d.get("ack_seconds"))' "$WORK/load.json")
NOTES="$RATE events/s; $SLOW slow (trickled headers/bodies) + $FLOOD idle connections for 40 s, limits idle 3 s, body 5 s, 512 connections; hostile clients: $HOSTILE; load: $LOAD; bridge alive: $ALIVE; recovery = last event → all delivered"
CUT=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["closed_by_server"])' "$HOSTILE")
if [ "$ALIVE" != yes ] || [ "$CUT" -eq 0 ]; then
    rel_report "8: slow clients and a connection flood under load" sqlite "$AUDIT" --notes "$NOTES; **FAILED: the bridge must stay up and cut slow connections**" || true
    exit 1
fi
rel_report "8: slow clients and a connection flood under load" sqlite "$AUDIT" --notes "$NOTES"
