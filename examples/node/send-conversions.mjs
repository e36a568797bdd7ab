#!/usr/bin/env node
// Sends conversions to capi-bridge from Node.js 18+, no npm packages.
//
// 1. One purchase, signed per Standard Webhooks, to POST /v1/webhooks/<source>.
// 2. A batch of two purchases to POST /v1/events with a bearer token and an
//    Idempotency-Key.
//
// The defaults match config/bridge.yaml, so against
// `swift run capi-bridge serve --config config/bridge.yaml` this runs as is:
//
//     node examples/node/send-conversions.mjs
//
// Environment (all optional):
//     CAPI_BRIDGE_URL         the bridge (http://127.0.0.1:8080)
//     CAPI_SOURCE             a standard-webhooks source's name (backend)
//     BACKEND_WEBHOOK_SECRET  that source's whsec_ secret
//     CAPI_EVENTS_TOKEN       a token of events_api.tokens
//
// Prints each answer; exits 1 unless both are 2xx.
import { createHmac, randomBytes } from "node:crypto";

const BRIDGE_URL = (process.env.CAPI_BRIDGE_URL ?? "http://127.0.0.1:8080").replace(/\/+$/, "");
const SOURCE = process.env.CAPI_SOURCE ?? "backend";
const WEBHOOK_SECRET = process.env.BACKEND_WEBHOOK_SECRET ?? "whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A=";
const EVENTS_TOKEN = process.env.CAPI_EVENTS_TOKEN ?? "dev-events-token";

/** RFC 3339 in UTC, whole seconds. */
const rfc3339 = (date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * A canonical purchase (config/schema/conversion-event.schema.json). The
 * event id is derived from the order, so a retry or the browser pixel
 * (docs/pixel-deduplication.md) sends the very same id. Identifiers go raw:
 * the bridge normalizes and hashes them per platform.
 */
function purchase(orderId, email, value) {
  return {
    event_id: `sale:${SOURCE}:${orderId}`,
    event_name: "Purchase",
    event_time: rfc3339(new Date(Date.now() - 30_000)),
    order_id: orderId,
    value, // a decimal string, never a number
    currency: "EUR",
    line_items: [{ id: "SKU-1001", name: "Trail Runner 2", quantity: 1, unit_price: value }],
    customer: { email, country: "DE", external_id: `cust-${orderId}` },
    client: { ip_address: "203.0.113.7", user_agent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0" },
    consent: { ad_user_data: "granted", ad_personalization: "granted" },
  };
}

/**
 * The `webhook-signature` value: v1,base64(HMAC-SHA256(key, "id.timestamp.body")),
 * where the key is the base64-decoded part of the whsec_ secret.
 */
function signStandardWebhook(secret, messageId, timestamp, body) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${messageId}.${timestamp}.`).update(body).digest("base64");
  return `v1,${signature}`;
}

async function post(path, body, headers) {
  const response = await fetch(BRIDGE_URL + path, { method: "POST", headers, body, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, text: await response.text() }; // 4xx/5xx: a problem+json body says why
}

const newOrderId = () => `node-${Math.floor(Date.now() / 1000)}-${randomBytes(3).toString("hex")}`;

async function sendSignedPurchase() {
  const orderId = newOrderId();
  const body = JSON.stringify({
    type: "conversion.purchase",
    timestamp: rfc3339(new Date()),
    data: purchase(orderId, "mia.keller@example.de", "49.90"),
  });
  // Sign the exact bytes you send; retry with the same webhook-id and body.
  const messageId = `msg_${orderId}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const { status, text } = await post(`/v1/webhooks/${SOURCE}`, body, {
    "Content-Type": "application/json",
    "webhook-id": messageId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signStandardWebhook(WEBHOOK_SECRET, messageId, timestamp, body),
  });
  console.log(`signed webhook: HTTP ${status} ${text}`);
  return status;
}

async function sendBatch() {
  const batchId = newOrderId();
  const body = JSON.stringify({
    events: [
      purchase(`${batchId}-1`, "noah.schmidt@example.de", "129.90"),
      purchase(`${batchId}-2`, "lea.wagner@example.de", "12.00"),
    ],
  });
  const { status, text } = await post("/v1/events", body, {
    "Content-Type": "application/json",
    Authorization: `Bearer ${EVENTS_TOKEN}`,
    "Idempotency-Key": `batch-${batchId}`, // the same key on a retry: a duplicate, never stored twice
  });
  console.log(`events batch: HTTP ${status} ${text}`);
  return status;
}

const statuses = [await sendSignedPurchase(), await sendBatch()];
process.exit(statuses.every((status) => status >= 200 && status < 300) ? 0 : 1);
