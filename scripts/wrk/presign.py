#!/usr/bin/env python3
"""Pre-signs Standard Webhooks purchase requests for the wrk ingest benchmark.

    presign.py COUNT THREADS PREFIX [SECRET]

Writes PREFIX-<thread>.txt for each of THREADS wrk threads: one request per
line, `webhook-id<TAB>webhook-timestamp<TAB>webhook-signature<TAB>body`, each
with its own webhook-id and event_id (so every request is a new event, never
a duplicate). The body is a realistic purchase (~1.3 KB: customer
identifiers, browser context, click ids, three line items). Timestamps are
the time of signing; the benchmark's source allows a 24 h tolerance so the
file stays valid for the run.
"""
import base64, hashlib, hmac, json, sys, time

count, threads, prefix = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
secret = sys.argv[4] if len(sys.argv) > 4 else "whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="
key = base64.b64decode(secret[len("whsec_"):])
run = hashlib.sha256(str(time.time()).encode()).hexdigest()[:8]
now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
ts = str(int(time.time()))
files = [open(f"{prefix}-{t}.txt", "w") for t in range(threads)]
for i in range(count):
    event = {
        "event_id": f"sale:bench-{run}:{i}", "event_name": "Purchase", "event_time": now, "order_id": f"{run}-{i}",
        "value": "129.90", "currency": "EUR",
        "line_items": [{"id": "BK-1001", "name": "Der Zauberberg (Hardcover)", "quantity": 1, "unit_price": "34.00"},
                       {"id": "BK-2040", "name": "Leselampe Messing", "quantity": 1, "unit_price": "89.90"},
                       {"id": "SHIP", "name": "Versand", "quantity": 1, "unit_price": "6.00"}],
        "customer": {"email": f"buyer{i}@example.com", "phone": "+4915123456789", "first_name": "Noah", "last_name": "Schmidt",
                     "city": "Hamburg", "postal_code": "20095", "country": "DE", "external_id": f"cust-{i}"},
        "client": {"ip_address": "198.51.100.61", "user_agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                   "landing_url": "https://books.example.de/zauberberg?fbclid=IwZXh0bgNhZW0BMABhZGlkAasb6Nr1TaZBHfP3wV8yS5",
                   "click_ids": {"fbc": "fb.1.1773500000000.IwZXh0bgNhZW0BMABhZGlk", "fbp": "fb.1.1773499990000.1122334455",
                                 "gclid": "Cj0KCQiA-bench", "ttclid": "E.C.P.bench"}},
        "consent": {"ad_user_data": "granted", "ad_personalization": "granted"}, "test": False,
    }
    body = json.dumps({"type": "conversion.purchase", "timestamp": now, "data": event}, separators=(",", ":"))
    msg = f"msg_{run}_{i}"
    signature = base64.b64encode(hmac.new(key, f"{msg}.{ts}.{body}".encode(), hashlib.sha256).digest()).decode()
    files[i % threads].write(f"{msg}\t{ts}\tv1,{signature}\t{body}\n")
for f in files:
    f.close()
