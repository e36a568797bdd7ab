#!/usr/bin/env bash
# Builds fixtures/stores/v4-sqlite/: an outbox written by capi-bridge before
# the typed pipeline (commit 2c8a0ca: canonical JSON event bodies, JSON
# identifiers sealed without a key id, deliveries holding the platform's JSON
# item and their own sealed clear fields, a v1 audit chain), with work queued
# in both stages:
#   - 4 events prepared into pending `webhook` deliveries (the receiver was down),
#   - 3 events accepted but not yet prepared (the process was killed while an
#     enrichment lookup hung).
# UpgradeTests (EndToEndTests) start today's `serve` on a copy and check that
# everything is delivered and the audit chain continues.
#
#   scripts/make-upgrade-fixture.sh OLD_CAPI_BRIDGE_BINARY
#
# OLD_CAPI_BRIDGE_BINARY: `swift build --product capi-bridge` of commit 2c8a0ca.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=${1:?path to the old capi-bridge binary}
OUT=fixtures/stores/v4-sqlite
SEAL_KEY="q3v1PqRxt7cTtXQ7o0nbn8lKcm8G0c8O9XKxJ0o3Qzk="
AUDIT_KEY="upgrade-fixture-audit-key"
SECRET="whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="
WORK=$(mktemp -d /tmp/capi-upgrade-fixture.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; cat "$WORK"/*.log >&2 2>/dev/null; rm -rf "$WORK"' EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 200); do (echo > /dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; return 1; }
PORT=$(free_port)
HANG=$(free_port)

# A lookup service that accepts connections and never answers.
python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', $HANG)); s.listen(64)
held = []
while True:
    c, _ = s.accept(); held.append(c)
" & 

config() {  # $1: extra YAML (enrichment)
cat > "$WORK/bridge.yaml" <<YAML
server: {host: 127.0.0.1, port: $PORT}
store: {path: $WORK/outbox.sqlite, seal_key: "$SEAL_KEY"}
sources:
  - {name: backend, kind: standard-webhooks, secrets: ["$SECRET"]}
destinations:
  - {name: warehouse, kind: webhook, url: "http://127.0.0.1:9/hooks", secret: "$SECRET", max_event_age_days: 3650}
audit: {dir: $WORK/audit, digest_key: "$AUDIT_KEY"}
logging: {level: warning}
$1
YAML
}

post() {  # $1: index
python3 - "$PORT" "$1" "$SECRET" <<'PY'
import base64, hashlib, hmac, json, sys, time, urllib.request
port, index, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3]
event = {"event_id": f"sale:upgrade:{index}", "event_name": "Purchase", "event_time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
         "order_id": f"U-{index}", "value": "19.90", "currency": "EUR",
         "customer": {"email": f"upgrade.buyer{index}@example.com", "external_id": f"cust-{index}"},
         "client": {"ip_address": f"198.51.100.{40 + index}", "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"},
         "consent": {"ad_user_data": "granted", "ad_personalization": "granted"}, "test": False}
body = json.dumps({"type": "conversion.purchase", "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "data": event}).encode()
msg_id, ts = f"msg_upgrade_{index}", str(int(time.time()))
key = base64.b64decode(secret[len("whsec_"):])
sig = base64.b64encode(hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/webhooks/backend", data=body, method="POST",
    headers={"content-type": "application/json", "webhook-id": msg_id, "webhook-timestamp": ts, "webhook-signature": "v1," + sig})
assert urllib.request.urlopen(req).status == 202
PY
}

count() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$WORK/outbox.sqlite" "$1"; }

# 1. Four events prepared into deliveries that cannot be sent yet.
config ""
"$OLD" serve --config "$WORK/bridge.yaml" 2>"$WORK/1.log" & BRIDGE=$!
wait_port "$PORT"
for i in 0 1 2 3; do post $i; done
for _ in $(seq 1 100); do [ "$(count "select count(*) from deliveries where attempts > 0")" = 4 ] && break; sleep 0.1; done
kill -TERM $BRIDGE; wait $BRIDGE || true

# 2. Three more accepted; preparing them hangs on the lookup; the process is killed.
config "enrichment: {budget_ms: 10000, providers: [{name: crm, kind: http, url: \"http://127.0.0.1:$HANG/lookup\", timeout_ms: 10000, lookup_keys: [external_id], map: {phone: /phone}}]}"
"$OLD" serve --config "$WORK/bridge.yaml" 2>"$WORK/2.log" & BRIDGE=$!
wait_port "$PORT"
for i in 4 5 6; do post $i; done
sleep 1
kill -KILL $BRIDGE; wait $BRIDGE 2>/dev/null || true

test "$(count "select count(*) from events where prepared_at_ms is null")" = 3
test "$(count "select count(*) from deliveries where state = 'pending'")" = 4
rm -rf "$OUT"; mkdir -p "$OUT"
sqlite3 "$WORK/outbox.sqlite" "VACUUM INTO '$PWD/$OUT/outbox.sqlite'" 2>/dev/null || python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute(\"VACUUM INTO '\" + sys.argv[2] + \"'\")" "$WORK/outbox.sqlite" "$PWD/$OUT/outbox.sqlite"
cp -r "$WORK/audit" "$OUT/audit"
echo "wrote $OUT: $(count 'select count(*) from events') events, 4 pending deliveries, 3 unprepared; seal key $SEAL_KEY"
