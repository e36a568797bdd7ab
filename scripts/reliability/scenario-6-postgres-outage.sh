#!/usr/bin/env bash
# Scenario 6: PostgreSQL restarted under load, then unreachable for 30 s.
# Two instances on one PostgreSQL take signed load; the server is restarted
# (pg_ctl restart -m fast), and 20 s later stopped for OUTAGE seconds and
# started again. Ingest must answer 503 with Retry-After while the database
# is away, within the load generator's 10 s (no "timeout" answers), the
# bridge processes must stay up (no restart), afterwards every acknowledged
# event must be delivered, and each instance must exit on SIGTERM.
#
#   scenario-6-postgres-outage.sh [OUTAGE SECONDS (30)] [RATE (30/s)]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUTAGE="${1:-30}"
RATE="${2:-30}"
KINDS=meta,tiktok

rel_setup 6-postgres-outage
rel_postgres_start
rel_start_fleet --delay-ms 20
for n in 1 2; do rel_config "$n" postgres "$KINDS" "max_wait_ms: 200"; done
for n in 1 2; do rel_start "$n"; done
rel_load_start 600 "$RATE" 1 2
sleep 15
rel_log "restarting PostgreSQL"
rel_pg_ctl -m fast -w -t 60 restart >/dev/null
sleep 20
rel_log "stopping PostgreSQL for $OUTAGE s"
rel_pg_ctl -m fast -w -t 60 stop >/dev/null
sleep "$OUTAGE"
rel_pg_ctl -w -t 60 start >/dev/null
BACK=$(date +%s.%N)
ALIVE=yes
for n in 1 2; do kill -0 "${PIDS[$n]}" 2>/dev/null || ALIVE=no; done
rel_log "PostgreSQL back (bridge processes alive throughout: $ALIVE)"
sleep 15
kill -USR1 "$LOAD_PID" 2>/dev/null || true
rel_load_wait
rel_wait_delivered "$KINDS" "$BACK" 180 || true
for n in 1 2; do kill -0 "${PIDS[$n]}" 2>/dev/null || ALIVE=no; done
for n in 1 2; do rel_stop "$n"; done
AUDIT=$(rel_audit_verify 1)
STATUSES=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["statuses"])' "$WORK/load.json")
NOTES="$RATE events/s over 2 instances; PostgreSQL restarted, then stopped for $OUTAGE s; answers $STATUSES; bridge processes never restarted: $ALIVE; recovery = PostgreSQL back → all delivered"
if [ "$ALIVE" != yes ] || [[ "$STATUSES" != *"'503'"* ]] || [[ "$STATUSES" == *"without Retry-After"* ]] \
    || [[ "$STATUSES" == *"'timeout'"* ]]; then
    rel_report "6: PostgreSQL restarted, then down for $OUTAGE s" postgres "$AUDIT" \
        --notes "$NOTES; **FAILED: 503 with Retry-After within 10 s while down, no process restart**" || true
    exit 1
fi
rel_report "6: PostgreSQL restarted, then down for $OUTAGE s" postgres "$AUDIT" --notes "$NOTES"
