#!/usr/bin/env bash
# Scenario 5: disk full. The SQLite store, the audit directory and the
# sandbox destination's file live on a 24 MB tmpfs the harness mounts (root
# only: without root the scenario fails, it never skips). Under signed load
# the filesystem is filled to the last byte for 20 s, then space returns.
# While full, ingest must answer 503 with Retry-After (never 5xx without it,
# never 2xx for an event it did not store) and the bridge must keep running;
# afterwards every acknowledged event must reach both destinations, the
# audit chain must verify, and the sandbox file must hold whole JSON lines.
#
#   scenario-5-disk-full.sh [RATE (40/s)] [FULL SECONDS (20)]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RATE="${1:-40}"
FULL_SECONDS="${2:-20}"
KINDS=meta

[ "$(id -u)" = 0 ] || rel_fail "scenario 5 mounts a small tmpfs and needs root (CI runs as root); not skipped"
rel_setup 5-disk-full
DISK="$WORK/disk"
mkdir -p "$DISK"
mount -t tmpfs -o size=24m,mode=0755 tmpfs "$DISK" || rel_fail "could not mount a tmpfs on $DISK"
disk_cleanup() { rel_cleanup; umount -l "$DISK" 2>/dev/null || true; }
trap disk_cleanup EXIT
rel_start_fleet --delay-ms 20
rel_config 1 sqlite "$KINDS" "max_wait_ms: 200"
# The store, the audit directory and a sandbox destination on the small filesystem.
sed -i "s|path: \"$WORK/outbox.sqlite\"|path: \"$DISK/outbox.sqlite\"|; s|dir: \"$WORK/audit\"|dir: \"$DISK/audit\"|" "$WORK/bridge-1.yaml"
sed -i "/^destinations:/a\\  - {name: sandbox, kind: sandbox, path: \"$DISK/sandbox.jsonl\"}" "$WORK/bridge-1.yaml"
mkdir -p "$DISK/audit"
rel_start 1
rel_load_start 600 "$RATE" 1
sleep 15
rel_log "filling $DISK"
dd if=/dev/zero of="$DISK/filler" bs=64k status=none 2>/dev/null || true
FILLED=$(date +%s.%N)
df -h "$DISK" >&2
sleep "$FULL_SECONDS"
# A probe while the disk is full: the answer and its Retry-After.
PROBE=$(python3 - "http://127.0.0.1:${PORTS[1]}" "$WEBHOOK_SECRET" <<'PY'
import base64, hashlib, hmac, http.client, json, sys, time, urllib.parse
url, secret = urllib.parse.urlsplit(sys.argv[1]), sys.argv[2]
key = base64.b64decode(secret[len("whsec_"):])
now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
body = json.dumps({"type": "conversion.purchase", "timestamp": now, "data": {"event_id": "sale:probe:1", "event_name": "Purchase",
    "event_time": now, "order_id": "probe-1", "value": "1.00", "currency": "USD", "customer": {"email": "probe@example.com"}}}).encode()
ts = str(int(time.time()))
signature = base64.b64encode(hmac.new(key, f"msg_probe.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
connection.request("POST", "/v1/webhooks/backend", body=body, headers={"content-type": "application/json", "webhook-id": "msg_probe",
    "webhook-timestamp": ts, "webhook-signature": "v1," + signature})
response = connection.getresponse()
print(f"{response.status} retry-after={response.getheader('retry-after')} type={json.loads(response.read() or b'{}').get('type', '-')}")
PY
)
rel_log "while full: $PROBE"
kill -0 "${PIDS[1]}" 2>/dev/null && ALIVE=yes || ALIVE=no
rm -f "$DISK/filler"
FREED=$(date +%s.%N)
rel_log "space returned (bridge alive while full: $ALIVE)"
[ "$ALIVE" = yes ] || { rel_log "the bridge died on the full disk; restarting it"; tail -5 "$WORK/bridge-1.log" >&2; rel_start 1; }
sleep 15
kill -USR1 "$LOAD_PID" 2>/dev/null || true
rel_load_wait
rel_wait_delivered "$KINDS" "$FREED" 120 || true
rel_stop 1
# The sandbox file holds whole JSON lines (a torn line would be a corrupt record).
BAD_LINES=$(python3 -c '
import json, sys
bad = 0
for line in open(sys.argv[1], "rb"):
    try: json.loads(line)
    except ValueError: bad += 1
print(bad)' "$DISK/sandbox.jsonl")
AUDIT=$("$BRIDGE" audit verify "$DISK/audit" --config "$WORK/bridge-1.yaml" >"$WORK/audit-verify.txt" 2>&1 && echo intact || echo "BROKEN (see audit-verify.txt)")
STATUSES=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["statuses"])' "$WORK/load.json")
NOTES="$RATE events/s, 24 MB tmpfs (store, audit, sandbox file) filled for $FULL_SECONDS s; while full: probe $PROBE, bridge alive: $ALIVE; answers $STATUSES; torn sandbox lines: $BAD_LINES; recovery = space back → all delivered"
EXTRA=()
if [ "$ALIVE" != yes ] || [ "$BAD_LINES" != 0 ] || [[ "$PROBE" != "503 retry-after="[0-9]* ]] || [[ "$STATUSES" == *"without Retry-After"* ]]; then
    NOTES="$NOTES; **FAILED: the bridge must stay up, answer 503 with Retry-After, and keep whole sandbox lines**"
    EXTRA=(--notes "$NOTES")
    rel_report "5: disk full for $FULL_SECONDS s under load" sqlite "$AUDIT" "${EXTRA[@]}" || true
    exit 1
fi
rel_report "5: disk full for $FULL_SECONDS s under load" sqlite "$AUDIT" --notes "$NOTES"
