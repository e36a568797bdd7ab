#!/usr/bin/env bash
# Scenario 1: SIGKILL of the bridge every 10–20 s under steady signed load,
# restarted at once, CYCLES times; then every acknowledged event must reach
# every destination exactly once per id, and the audit chain must verify.
#
#   scenario-1-kill-loop.sh sqlite|postgres [CYCLES (10)] [RATE (40/s)]
#
# Recovery: seconds from the last kill until every acknowledged event was delivered.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
STORE="$1"
CYCLES="${2:-10}"
RATE="${3:-40}"
KINDS=meta,tiktok

rel_setup "1-kill-loop-$STORE"
[ "$STORE" = postgres ] && rel_postgres_start
rel_start_fleet --delay-ms 20
rel_config 1 "$STORE" "$KINDS" "max_wait_ms: 200"
rel_start 1

# Kill times: 10–20 s apart (fixed seed per run: reproducible within a run, varied across runs).
mapfile -t PAUSES < <(python3 -c "import random, sys; r = random.Random(sys.argv[1]); print('\n'.join(str(r.uniform(10, 20)) for _ in range(int(sys.argv[2]))))" "$REL_RUN" "$CYCLES")
# The load runs until 5 s after the last restart (SIGUSR1 stops it; the bound is generous).
TOTAL=$(python3 -c "import sys; print(int(sum(map(float, sys.argv[1:]))) + 60 + 10 * len(sys.argv[1:]))" "${PAUSES[@]}")
rel_load_start "$TOTAL" "$RATE" 1
for cycle in $(seq 1 "$CYCLES"); do
    sleep "${PAUSES[$((cycle - 1))]}"
    rel_log "cycle $cycle: SIGKILL"
    rel_kill 1
    LAST_KILL=$(date +%s.%N)
    rel_start 1
done
sleep 5
kill -USR1 "$LOAD_PID" 2>/dev/null || true
rel_load_wait
rel_wait_delivered "$KINDS" "$LAST_KILL" 180 || true
rel_stop 1
AUDIT=$(rel_audit_verify 1)
rel_report "1: SIGKILL every 10–20 s under load, $CYCLES cycles" "$STORE" "$AUDIT" \
    --notes "$RATE events/s signed webhooks until 5 s after the last restart, 2 destinations (meta, tiktok mocks, 20 ms); recovery = last kill → all delivered"
