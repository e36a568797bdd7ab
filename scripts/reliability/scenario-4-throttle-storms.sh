#!/usr/bin/env bash
# Scenario 4: 429 storms, per platform. One instance forwards every sale to
# all eight ad platforms' mocks; 10 s into the load each mock answers its
# next STORM requests with a bare 429 and Retry-After: 2, then the next
# STORM with its own throttling answer (Meta's code 17/80004 user request
# limit, TikTok's 40100, Google's RESOURCE_EXHAUSTED, …, as MockPlatformAPI
# words each). Nothing acknowledged may be lost (a throttle is retried,
# never dead-lettered) and every platform must drain.
#
#   scenario-4-throttle-storms.sh [STORM (20)] [RATE (10/s)]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
STORM="${1:-20}"
RATE="${2:-10}"
KINDS=meta,google,tiktok,snapchat,pinterest,linkedin,reddit,ga4

rel_setup 4-throttle-storms
rel_start_fleet --delay-ms 20
rel_config 1 sqlite "$KINDS" "max_wait_ms: 200, retry_cap_seconds: 30"
rel_start 1
rel_load_start 600 "$RATE" 1
sleep 10
for kind in ${KINDS//,/ }; do
    rel_fleet_script "$kind" 429 "$STORM" 2
    curl -fsS -X POST "$FLEET_CONTROL/script/$kind?native=1&times=$STORM" >/dev/null
done
STORM_STARTED=$(date +%s.%N)
rel_log "429 storms queued on every platform ($STORM bare + $STORM native each)"
sleep 20
kill -USR1 "$LOAD_PID" 2>/dev/null || true
rel_load_wait
LOAD_ENDED=$(date +%s.%N)
rel_wait_delivered "$KINDS" "$LOAD_ENDED" 300 || true
PENDING=$(curl -fsS "$FLEET_CONTROL/counts")
rel_stop 1
AUDIT=$(rel_audit_verify 1)
rel_report "4: 429 storms (Retry-After and platform-native) on 8 platforms" sqlite "$AUDIT" \
    --notes "$RATE events/s for 30 s; per platform $STORM bare 429s (Retry-After: 2) then $STORM native throttles, 10 s in; retry cap 30 s; mock [requests, events]: $PENDING; recovery = last event acknowledged → all delivered everywhere"
