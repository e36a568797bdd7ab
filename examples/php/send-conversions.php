<?php
// Sends conversions to capi-bridge from PHP 8, no extensions or Composer
// packages (streams only; allow_url_fopen must be on, as it is by default).
//
// 1. One purchase, signed per Standard Webhooks, to POST /v1/webhooks/<source>.
// 2. A batch of two purchases to POST /v1/events with a bearer token and an
//    Idempotency-Key.
//
// The defaults match config/bridge.yaml, so against
// `swift run capi-bridge serve --config config/bridge.yaml` this runs as is:
//
//     php examples/php/send-conversions.php
//
// Environment (all optional):
//     CAPI_BRIDGE_URL         the bridge (http://127.0.0.1:8080)
//     CAPI_SOURCE             a standard-webhooks source's name (backend)
//     BACKEND_WEBHOOK_SECRET  that source's whsec_ secret
//     CAPI_EVENTS_TOKEN       a token of events_api.tokens
//
// Prints each answer; exits 1 unless both are 2xx.

declare(strict_types=1);

$bridgeUrl = rtrim(getenv('CAPI_BRIDGE_URL') ?: 'http://127.0.0.1:8080', '/');
$source = getenv('CAPI_SOURCE') ?: 'backend';
$webhookSecret = getenv('BACKEND_WEBHOOK_SECRET') ?: 'whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A=';
$eventsToken = getenv('CAPI_EVENTS_TOKEN') ?: 'dev-events-token';

/** RFC 3339 in UTC, whole seconds. */
function rfc3339(int $unixSeconds): string
{
    return gmdate('Y-m-d\TH:i:s\Z', $unixSeconds);
}

/**
 * A canonical purchase (config/schema/conversion-event.schema.json). The
 * event id is derived from the order, so a retry or the browser pixel
 * (docs/pixel-deduplication.md) sends the very same id. Identifiers go raw:
 * the bridge normalizes and hashes them per platform.
 */
function purchase(string $source, string $orderId, string $email, string $value): array
{
    return [
        'event_id' => "sale:$source:$orderId",
        'event_name' => 'Purchase',
        'event_time' => rfc3339(time() - 30),
        'order_id' => $orderId,
        'value' => $value, // a decimal string, never a float
        'currency' => 'EUR',
        'line_items' => [['id' => 'SKU-1001', 'name' => 'Trail Runner 2', 'quantity' => 1, 'unit_price' => $value]],
        'customer' => ['email' => $email, 'country' => 'DE', 'external_id' => "cust-$orderId"],
        'client' => ['ip_address' => '203.0.113.7', 'user_agent' => 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0'],
        'consent' => ['ad_user_data' => 'granted', 'ad_personalization' => 'granted'],
    ];
}

/**
 * The `webhook-signature` value: v1,base64(HMAC-SHA256(key, "id.timestamp.body")),
 * where the key is the base64-decoded part of the whsec_ secret.
 */
function signStandardWebhook(string $secret, string $messageId, int $timestamp, string $body): string
{
    $key = base64_decode(preg_replace('/^whsec_/', '', $secret), true);
    if ($key === false) {
        throw new InvalidArgumentException('the webhook secret is not whsec_ followed by base64');
    }
    return 'v1,' . base64_encode(hash_hmac('sha256', "$messageId.$timestamp.$body", $key, true));
}

/** POSTs $body; returns [status, answer]. 4xx/5xx answers are problem+json bodies that say why. */
function post(string $url, string $body, array $headers): array
{
    $lines = [];
    foreach ($headers as $name => $value) {
        $lines[] = "$name: $value";
    }
    $context = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => implode("\r\n", $lines),
        'content' => $body,
        'timeout' => 10,
        'ignore_errors' => true, // read the body of 4xx/5xx answers too
    ]]);
    $answer = @file_get_contents($url, false, $context);
    if ($answer === false) {
        return [0, 'no answer from ' . $url];
    }
    $responseHeaders = function_exists('http_get_last_response_headers') ? http_get_last_response_headers() : $http_response_header;
    preg_match('#^HTTP/\S+ (\d{3})#', $responseHeaders[0] ?? '', $match);
    return [(int)($match[1] ?? 0), $answer];
}

$newOrderId = fn(): string => 'php-' . time() . '-' . bin2hex(random_bytes(3));

// 1. A signed purchase. Sign the exact bytes you send; retry with the same webhook-id and body.
$orderId = $newOrderId();
$body = json_encode([
    'type' => 'conversion.purchase',
    'timestamp' => rfc3339(time()),
    'data' => purchase($source, $orderId, 'mia.keller@example.de', '49.90'),
], JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
$messageId = "msg_$orderId";
$timestamp = time();
[$webhookStatus, $answer] = post("$bridgeUrl/v1/webhooks/$source", $body, [
    'Content-Type' => 'application/json',
    'webhook-id' => $messageId,
    'webhook-timestamp' => (string)$timestamp,
    'webhook-signature' => signStandardWebhook($webhookSecret, $messageId, $timestamp, $body),
]);
echo "signed webhook: HTTP $webhookStatus $answer\n";

// 2. A batch to the events API. The same Idempotency-Key on a retry: a duplicate, never stored twice.
$batchId = $newOrderId();
$body = json_encode(['events' => [
    purchase($source, "$batchId-1", 'noah.schmidt@example.de', '129.90'),
    purchase($source, "$batchId-2", 'lea.wagner@example.de', '12.00'),
]], JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
[$batchStatus, $answer] = post("$bridgeUrl/v1/events", $body, [
    'Content-Type' => 'application/json',
    'Authorization' => "Bearer $eventsToken",
    'Idempotency-Key' => "batch-$batchId",
]);
echo "events batch: HTTP $batchStatus $answer\n";

exit($webhookStatus >= 200 && $webhookStatus < 300 && $batchStatus >= 200 && $batchStatus < 300 ? 0 : 1);
