#!/usr/bin/env python3
"""Sends conversions to capi-bridge from Python, standard library only.

1. One purchase, signed per Standard Webhooks, to POST /v1/webhooks/<source>.
2. A batch of two purchases to POST /v1/events with a bearer token and an
   Idempotency-Key.

The defaults match config/bridge.yaml, so against
`swift run capi-bridge serve --config config/bridge.yaml` this runs as is:

    python3 examples/python/send_conversions.py

Environment (all optional):
    CAPI_BRIDGE_URL         the bridge (http://127.0.0.1:8080)
    CAPI_SOURCE             a standard-webhooks source's name (backend)
    BACKEND_WEBHOOK_SECRET  that source's whsec_ secret
    CAPI_EVENTS_TOKEN       a token of events_api.tokens

Prints each answer; exits 1 unless both are 2xx.
"""
import base64
import datetime
import hashlib
import hmac
import json
import os
import secrets
import sys
import time
import urllib.error
import urllib.request

BRIDGE_URL = os.environ.get("CAPI_BRIDGE_URL", "http://127.0.0.1:8080").rstrip("/")
SOURCE = os.environ.get("CAPI_SOURCE", "backend")
WEBHOOK_SECRET = os.environ.get("BACKEND_WEBHOOK_SECRET", "whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A=")
EVENTS_TOKEN = os.environ.get("CAPI_EVENTS_TOKEN", "dev-events-token")


def rfc3339(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def purchase(order_id: str, email: str, value: str) -> dict:
    """A canonical purchase (config/schema/conversion-event.schema.json).

    The event id is derived from the order, so a retry or the browser pixel
    (docs/pixel-deduplication.md) sends the very same id. Identifiers go raw:
    the bridge normalizes and hashes them per platform.
    """
    return {
        "event_id": f"sale:{SOURCE}:{order_id}",
        "event_name": "Purchase",
        "event_time": rfc3339(datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=30)),
        "order_id": order_id,
        "value": value,  # a decimal string, never a float
        "currency": "EUR",
        "line_items": [{"id": "SKU-1001", "name": "Trail Runner 2", "quantity": 1, "unit_price": value}],
        "customer": {"email": email, "country": "DE", "external_id": "cust-" + order_id},
        "client": {"ip_address": "203.0.113.7", "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"},
        "consent": {"ad_user_data": "granted", "ad_personalization": "granted"},
    }


def sign_standard_webhook(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: v1,base64(HMAC-SHA256(key, "id.timestamp.body")),
    where the key is the base64-decoded part of the whsec_ secret."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def post(path: str, body: bytes, headers: dict) -> tuple[int, str]:
    request = urllib.request.Request(BRIDGE_URL + path, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:  # 4xx/5xx: a problem+json body says why
        return error.code, error.read().decode()


def send_signed_purchase() -> int:
    order_id = f"py-{int(time.time())}-{secrets.token_hex(3)}"
    body = json.dumps({
        "type": "conversion.purchase",
        "timestamp": rfc3339(datetime.datetime.now(datetime.timezone.utc)),
        "data": purchase(order_id, "mia.keller@example.de", "49.90"),
    }).encode()
    # Sign the exact bytes you send; retry with the same webhook-id and body.
    message_id = "msg_" + order_id
    timestamp = int(time.time())
    status, answer = post(f"/v1/webhooks/{SOURCE}", body, {
        "Content-Type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign_standard_webhook(WEBHOOK_SECRET, message_id, timestamp, body),
    })
    print(f"signed webhook: HTTP {status} {answer}")
    return status


def send_batch() -> int:
    batch_id = f"py-{int(time.time())}-{secrets.token_hex(3)}"
    body = json.dumps({"events": [
        purchase(batch_id + "-1", "noah.schmidt@example.de", "129.90"),
        purchase(batch_id + "-2", "lea.wagner@example.de", "12.00"),
    ]}).encode()
    status, answer = post("/v1/events", body, {
        "Content-Type": "application/json",
        "Authorization": "Bearer " + EVENTS_TOKEN,
        "Idempotency-Key": "batch-" + batch_id,  # the same key on a retry: a duplicate, never stored twice
    })
    print(f"events batch: HTTP {status} {answer}")
    return status


if __name__ == "__main__":
    statuses = [send_signed_purchase(), send_batch()]
    sys.exit(0 if all(200 <= status < 300 for status in statuses) else 1)
