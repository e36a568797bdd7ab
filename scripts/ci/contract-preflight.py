#!/usr/bin/env python3
"""Before the fuzzer: checks by hand what the contract promises about
unsigned webhooks, and seeds the bridge so the admin routes answer with real
rows. Standard library only. Environment: BRIDGE_URL, CAPI_EVENTS_TOKEN,
CAPI_ADMIN_TOKEN. Exits 1 with a message on the first broken promise.

1. An unsigned POST to every source kind is 401 application/problem+json
   with one of the documented signature problem types.
2. A batch of two canonical events to /v1/events is 202; the `refusing`
   destination dead-letters them, so /v1/dead-letters lists them (waits up
   to 60 s).
"""
import datetime
import json
import os
import sys
import time
import urllib.error
import urllib.request

BASE = os.environ["BRIDGE_URL"]
SIGNATURE_PROBLEMS = {
    "urn:capi-bridge:problem:missing-signature",
    "urn:capi-bridge:problem:bad-signature",
}


def call(method, path, body=None, headers=None):
    request = urllib.request.Request(BASE + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def fail(message):
    print(f"contract preflight: {message}", file=sys.stderr)
    sys.exit(1)


for source in ["shop", "stripe", "woo", "backend"]:
    status, content_type, body = call(
        "POST", f"/v1/webhooks/{source}", b'{"id": 1, "type": "conversion.purchase"}', {"Content-Type": "application/json"})
    problem = json.loads(body) if content_type == "application/problem+json" else {}
    if status != 401 or problem.get("type") not in SIGNATURE_PROBLEMS or problem.get("status") != 401:
        fail(f"unsigned POST /v1/webhooks/{source}: {status} {content_type} {body[:200]!r}; expected a 401 signature problem")
    print(f"unsigned POST /v1/webhooks/{source}: {status} {problem['type']}")

now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
run = now.strftime("%Y%m%d%H%M%S")
events = [
    {
        "event_id": f"sale:contract:{run}-{n}", "event_name": "Purchase",
        "event_time": (now - datetime.timedelta(minutes=5)).isoformat().replace("+00:00", "Z"),
        "value": "19.90", "currency": "EUR",
        "customer": {"email": f"buyer{n}@example.com", "country": "US"},
        "client": {"ip_address": "203.0.113.7", "user_agent": "contract-test"},
        "consent": {"ad_user_data": "granted", "ad_personalization": "granted"},
    }
    for n in (1, 2)
]
status, content_type, body = call(
    "POST", "/v1/events", json.dumps({"events": events}).encode(),
    {"Content-Type": "application/json", "Authorization": "Bearer " + os.environ["CAPI_EVENTS_TOKEN"]})
if status != 202:
    fail(f"seeding POST /v1/events: {status} {body[:300]!r}")
print("seeded two events: 202")

admin = {"Authorization": "Bearer " + os.environ["CAPI_ADMIN_TOKEN"]}
deadline = time.monotonic() + 60
while True:
    status, _, body = call("GET", "/v1/dead-letters?destination=refusing", headers=admin)
    if status == 200 and json.loads(body).get("count", 0) >= 2:
        print("the refusing destination dead-lettered both")
        break
    if time.monotonic() > deadline:
        fail(f"no dead letters after 60 s: {status} {body[:300]!r}")
    time.sleep(0.5)
