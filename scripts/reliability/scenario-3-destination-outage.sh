#!/usr/bin/env bash
# Scenario 3: one destination down (503 from its mock) for OUTAGE seconds
# (10 minutes by default) under steady load, then back. The other
# destination keeps delivering; the backlog drains once the platform is
# back; nothing acknowledged is lost; the requests sent to the down
# platform stay bounded by the backoff; alerts are raised for it and
# resolved after it recovers.
#
#   scenario-3-destination-outage.sh [OUTAGE SECONDS (600)] [RATE (20/s)]
#
# The destination's retry cap is 60 s (retry_cap_seconds; default 600) and
# the alert thresholds are shortened (oldest undelivered 1 min, error spike
# over 1 min, clear after 30 s) so that a 10-minute outage exercises them.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUTAGE="${1:-600}"
RATE="${2:-20}"
KINDS=meta,tiktok

rel_setup 3-destination-outage
rel_start_fleet --delay-ms 20
rel_config 1 sqlite "$KINDS" "max_wait_ms: 200, retry_cap_seconds: 60"
cat >>"$WORK/bridge-1.yaml" <<'YAML'
alerts:
  check_interval_seconds: 2
  oldest_undelivered_minutes: 1
  clear_after_minutes: 0.5
  error_spike: {error_percent: 25, window_minutes: 1, min_attempts: 5}
YAML
rel_start 1
rel_load_start $((OUTAGE + 600)) "$RATE" 1
sleep 10
rel_fleet_script meta 503 100000000
DOWN=$(date +%s)
REQUESTS_BEFORE=$(rel_fleet_count meta)
rel_log "meta down for $OUTAGE s"
sleep "$OUTAGE"
REQUESTS_DURING=$(( $(rel_fleet_count meta) - REQUESTS_BEFORE ))
rel_fleet_clear meta
BACK=$(date +%s.%N)
rel_log "meta back; $REQUESTS_DURING requests reached it while down"
sleep 20
kill -USR1 "$LOAD_PID" 2>/dev/null || true
rel_load_wait
rel_wait_delivered "$KINDS" "$BACK" 300 || true
# Resolution needs 30 s clear after the backlog drained.
RESOLVED=none
for _ in $(seq 1 60); do
    RESOLVED=$(rel_alerts 1 resolve meta)
    [ "$RESOLVED" != none ] && [ "$(rel_alerts 1 raise meta)" = "$RESOLVED" ] && break
    sleep 2
done
RAISED=$(rel_alerts 1 raise meta)
rel_stop 1
AUDIT=$(rel_audit_verify 1)
PER_MINUTE=$(python3 -c "import sys; print(round(int(sys.argv[1]) / (int(sys.argv[2]) / 60), 1))" "$REQUESTS_DURING" "$OUTAGE")
NOTES="$RATE events/s; meta mock answering 503 for $OUTAGE s, tiktok up; $REQUESTS_DURING requests to meta while down ($PER_MINUTE/min, retry cap 60 s); alerts raised: $RAISED, resolved: $RESOLVED; recovery = meta back → all delivered"
if [ "$RAISED" = none ] || [ "$RESOLVED" != "$RAISED" ]; then
    rel_report "3: destination down (503) for $OUTAGE s under load" sqlite "$AUDIT" --notes "$NOTES; **FAILED: every alert raised must be resolved**" || true
    exit 1
fi
rel_report "3: destination down (503) for $OUTAGE s under load" sqlite "$AUDIT" --notes "$NOTES"
