"""Schemathesis hooks for scripts/ci/contract-test.sh (SCHEMATHESIS_HOOKS).

Unsigned webhook calls only ever reach the signature check. So that the
fuzzer also reaches what lies behind it (each adapter's parser and mapping,
the store), three of every four generated `POST /v1/webhooks/{name}` cases
with a JSON body are sent to one of the configured sources (in turn: shop,
stripe, woo, backend) and signed as that source's platform signs, over the
exact bytes sent; the fourth keeps the generated name and stays unsigned.
Secrets come from the environment contract-test.sh exports.
"""
import base64
import hashlib
import hmac
import itertools
import json
import os
import time
import uuid

import schemathesis

WEBHOOK_PATH = "/v1/webhooks/{name}"
SHOPIFY_TOPICS = ["orders/create", "orders/paid", "refunds/create", "products/update"]
WOOCOMMERCE_TOPICS = ["order.created", "order.updated", "product.created"]
SOURCES = ["shop", "stripe", "woo", "backend"]
turns = itertools.count()
signed_turns = itertools.count()


def body_bytes(case):
    body = case.body
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if body is None or type(body).__name__ == "NotSet":
        return b""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def hmac_sha256(key, message):
    return hmac.new(key, message, hashlib.sha256).digest()


def sign(source, body, headers, turn):
    now = int(time.time())
    if source == "shop":
        secret = os.environ["SHOPIFY_SECRET"].encode()
        headers["X-Shopify-Hmac-Sha256"] = base64.b64encode(hmac_sha256(secret, body)).decode()
        headers["X-Shopify-Topic"] = SHOPIFY_TOPICS[turn % len(SHOPIFY_TOPICS)]
        headers.setdefault("X-Shopify-Webhook-Id", str(uuid.uuid4()))
    elif source == "stripe":
        secret = os.environ["STRIPE_WEBHOOK_SECRET"].encode()
        digest = hmac_sha256(secret, f"{now}.".encode() + body).hex()
        headers["Stripe-Signature"] = f"t={now},v1={digest}"
    elif source == "woo":
        secret = os.environ["WOOCOMMERCE_SECRET"].encode()
        headers["X-WC-Webhook-Signature"] = base64.b64encode(hmac_sha256(secret, body)).decode()
        headers["X-WC-Webhook-Topic"] = WOOCOMMERCE_TOPICS[turn % len(WOOCOMMERCE_TOPICS)]
    else:
        secret = base64.b64decode(os.environ["BACKEND_WEBHOOK_SECRET"].removeprefix("whsec_"))
        delivery = headers.get("webhook-id") or f"msg_{uuid.uuid4().hex}"
        headers["webhook-id"] = delivery
        headers["webhook-timestamp"] = str(now)
        signed = f"{delivery}.{now}.".encode() + body
        headers["webhook-signature"] = "v1," + base64.b64encode(hmac_sha256(secret, signed)).decode()


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.operation.path != WEBHOOK_PATH or case.media_type != "application/json":
        return
    turn = next(turns)
    if turn % 4 == 3:
        return
    signed_turn = next(signed_turns)
    source = SOURCES[signed_turn % len(SOURCES)]
    body = body_bytes(case)
    case.path_parameters = {**(case.path_parameters or {}), "name": source}
    headers = dict(case.headers or {})
    # Drop generated header casings that would shadow the signed ones.
    signed_names = {"x-shopify-hmac-sha256", "x-shopify-topic", "stripe-signature", "x-wc-webhook-signature",
                    "x-wc-webhook-topic", "webhook-id", "webhook-timestamp", "webhook-signature"}
    headers = {name: value for name, value in headers.items() if name.lower() not in signed_names}
    sign(source, body, headers, signed_turn // len(SOURCES))
    case.headers = headers
    kwargs["data"] = body
