#!/usr/bin/env bash
# Scenario 2: three instances on one PostgreSQL under signed load; instance 1
# is SIGKILLed while it holds prepare and delivery claims (the load stops
# being offered at that moment), and restarted 30 s later. Every
# acknowledged event must be delivered by the others within 20 s of the kill
# (leases of 15 s, renewed every 5 s), none twice under different ids.
#
#   scenario-2-instance-takeover.sh [RATE (60/s)]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RATE="${1:-60}"
KINDS=meta,tiktok

rel_setup 2-instance-takeover
rel_postgres_start
# 300 ms answers: batches stay in flight, so the victim holds delivery claims when it dies.
rel_start_fleet --delay-ms 300
for n in 1 2 3; do rel_config "$n" postgres "$KINDS" "max_wait_ms: 200"; done
for n in 1 2 3; do rel_start "$n"; done
rel_load_start 120 "$RATE" 1 2 3
sleep 8
HELD=""
for _ in $(seq 1 200); do
    NOW_MS=$(date +%s%3N)
    HELD=$(rel_psql "SELECT (SELECT count(*) FROM events WHERE lease_owner LIKE 'bridge-1/%' AND lease_until_ms > $NOW_MS) || ' ' ||
                            (SELECT count(*) FROM deliveries WHERE lease_owner LIKE 'bridge-1/%' AND lease_until_ms > $NOW_MS)")
    read -r PREPARE_CLAIMS DELIVERY_CLAIMS <<<"$HELD"
    if [ "$PREPARE_CLAIMS" -gt 0 ] && [ "$DELIVERY_CLAIMS" -gt 0 ]; then break; fi
    sleep 0.05
done
rel_kill 1
KILLED=$(date +%s.%N)
kill -USR1 "$LOAD_PID" 2>/dev/null || true
rel_log "instance 1 killed holding $PREPARE_CLAIMS prepare and $DELIVERY_CLAIMS delivery claims"
[ "$PREPARE_CLAIMS" -gt 0 ] && [ "$DELIVERY_CLAIMS" -gt 0 ] || rel_log "warning: instance 1 did not hold both kinds of claims"
rel_load_wait
rel_wait_delivered "$KINDS" "$KILLED" 120 || true
RECOVERY=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["recovery_seconds"])' "$WORK/tally.json")
# Restart the victim later (at least 30 s after the kill): it releases its previous run's leases and joins.
sleep "$(python3 -c "import time, sys; print(max(0.0, float(sys.argv[1]) + 30 - time.time()))" "$KILLED")"
rel_start 1
sleep 3
for n in 1 2 3; do rel_stop "$n"; done
AUDIT=$(rel_audit_verify 2)
rel_report "2: 3 instances, one SIGKILLed holding claims, restarted after 30 s" postgres "$AUDIT" --require-recovery 20 \
    --notes "$RATE events/s over 3 instances; killed holding $PREPARE_CLAIMS prepare + $DELIVERY_CLAIMS delivery claims; recovery = kill → all delivered (target ≤ 20 s)"
