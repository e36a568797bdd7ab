#!/usr/bin/env python3
"""Steady signed load for the reliability harness (standard library only).

    load.py --urls URL[,URL…] --secret whsec_… --seconds S --rate R --run ID
            --acked FILE --summary FILE [--threads N] [--retry-seconds S]

Posts one purchase per request to /v1/webhooks/backend, signed per Standard
Webhooks, at R requests per second for S seconds, spread over the URLs
(several bridge instances). Every event has its own id (sale:rel-<ID>:<n>)
and order id (<ID>-<n>). Like a real sender, a request that is not
acknowledged (connection refused or reset, timeout, 5xx, 429) is retried with
the same webhook-id and body, against the next URL, until it is answered 2xx
or --retry-seconds after the end of the run. Each acknowledged event id is
appended to --acked as soon as the answer arrives. SIGUSR1 stops offering
new events (requests under way still finish). --summary receives
{"offered", "acknowledged", "statuses", "retries", "seconds"} at the end
(a 429 or 503 without Retry-After is also counted as such) and
"ack_seconds" (p50, p99, max from an event's first send to its 2xx).
"""
import argparse, base64, hashlib, hmac, http.client, json, signal, sys, threading, time, urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("--urls", required=True)
parser.add_argument("--secret", required=True)
parser.add_argument("--seconds", type=float, required=True)
parser.add_argument("--rate", type=float, required=True)
parser.add_argument("--run", required=True)
parser.add_argument("--acked", required=True)
parser.add_argument("--summary", required=True)
parser.add_argument("--threads", type=int, default=16)
parser.add_argument("--retry-seconds", type=float, default=120)
parser.add_argument("--source", default="backend")
args = parser.parse_args()

urls = [urllib.parse.urlsplit(u) for u in args.urls.split(",")]
key = base64.b64decode(args.secret[len("whsec_"):])
run = hashlib.sha256(args.run.encode()).hexdigest()[:10]
total = int(args.seconds * args.rate)
start = time.monotonic()
deadline = start + args.seconds + args.retry_seconds
lock = threading.Lock()
acked_file = open(args.acked, "a", buffering=1)
state = {"next": 0, "acknowledged": 0, "statuses": {}, "retries": 0, "gave_up": 0}
latencies = []


def stop_offering(signum, frame):
    global total
    with lock:
        total = min(total, state["next"])


signal.signal(signal.SIGUSR1, stop_offering)


def body_for(n):
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    event = {
        "event_id": f"sale:rel-{run}:{n}", "event_name": "Purchase", "event_time": now, "order_id": f"{run}-{n}",
        "value": "129.90", "currency": "USD",
        "line_items": [{"id": "BK-1001", "name": "Hardcover", "quantity": 1, "unit_price": "123.90"},
                       {"id": "SHIP", "name": "Shipping", "quantity": 1, "unit_price": "6.00"}],
        "customer": {"email": f"buyer{n}@example.com", "phone": "+12025550143", "first_name": "Avery", "last_name": "Jensen",
                     "city": "Portland", "postal_code": "97201", "country": "US", "external_id": f"cust-{n}"},
        "client": {"ip_address": "198.51.100.61", "user_agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                   "landing_url": "https://shop.example.com/p?fbclid=IwZXh0bgNhZW0BMABhZGlk&ttclid=E.C.P.rel",
                   "click_ids": {"fbp": "fb.1.1773499990000.1122334455"}},
        "consent": {"ad_user_data": "granted", "ad_personalization": "granted"}, "test": False,
    }
    return json.dumps({"type": "conversion.purchase", "timestamp": now, "data": event}, separators=(",", ":")).encode()


def count(status):
    with lock:
        state["statuses"][status] = state["statuses"].get(status, 0) + 1


def worker(index):
    connections = {}
    turn = index
    while True:
        with lock:
            n = state["next"]
            if n >= total:
                break
            state["next"] += 1
        due = start + n / args.rate
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        body = body_for(n)
        msg = f"msg_{run}_{n}"
        first_sent = time.monotonic()
        attempt = 0
        while True:
            url = urls[turn % len(urls)]
            ts = str(int(time.time()))
            signature = base64.b64encode(hmac.new(key, f"{msg}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
            headers = {"content-type": "application/json", "webhook-id": msg, "webhook-timestamp": ts, "webhook-signature": f"v1,{signature}"}
            status = None
            failure = "connection error"
            try:
                connection = connections.get(url.netloc)
                if connection is None:
                    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
                    connections[url.netloc] = connection
                connection.request("POST", f"/v1/webhooks/{args.source}", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                if status in (429, 503) and response.getheader("retry-after") is None:
                    count(f"{status} without Retry-After")
                if response.getheader("connection", "").lower() == "close":
                    connection.close()
                    connections.pop(url.netloc, None)
            except (OSError, http.client.HTTPException) as error:
                connection = connections.pop(url.netloc, None)
                if connection is not None:
                    connection.close()
                # No answer within the client's 10 s (a sender's patience) is told apart from a refused or reset connection.
                failure = "timeout" if isinstance(error, TimeoutError) else "connection error"
            count(str(status) if status else failure)
            if status is not None and 200 <= status < 300:
                with lock:
                    state["acknowledged"] += 1
                    acked_file.write(f"sale:rel-{run}:{n}\n")
                    latencies.append(time.monotonic() - first_sent)
                break
            if status is not None and 400 <= status < 500 and status not in (408, 429):
                print(f"event {n}: refused with {status}", file=sys.stderr)
                break
            if time.monotonic() > deadline:
                with lock:
                    state["gave_up"] += 1
                break
            attempt += 1
            with lock:
                state["retries"] += 1
            turn += 1
            time.sleep(min(0.05 * attempt, 1.0))


threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.threads)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
summary = {"offered": min(total, state["next"]), "acknowledged": state["acknowledged"], "statuses": state["statuses"], "retries": state["retries"],
           "gave_up": state["gave_up"], "seconds": round(time.monotonic() - start, 1)}
if latencies:
    latencies.sort()
    pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 3)
    summary["ack_seconds"] = {"p50": pick(0.5), "p99": pick(0.99), "max": round(latencies[-1], 3)}
json.dump(summary, open(args.summary, "w"))
print(json.dumps(summary), file=sys.stderr)
