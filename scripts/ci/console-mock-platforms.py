#!/usr/bin/env python3
"""The platforms the console's browser test delivers to, on loopback.

Prints its port, then serves until killed:
  POST /meta/v*/<pixel>/events   Meta's Conversions API: acknowledges every event
  POST /warehouse                a webhook receiver: 200, or while refusing
                                 400 with `webhook-delivery: abort-message`
                                 (the bridge dead-letters the batch)
  POST /control/refuse | /control/accept   switch the receiver
  GET  /stats                    event ids received per platform (JSON)
"""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
state = {"refusing": False, "meta": [], "warehouse": []}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/stats":
            with lock:
                return self.answer(200, {"meta": list(state["meta"]), "warehouse": list(state["warehouse"])})
        self.answer(404, {})

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length)
        if self.path in ("/control/refuse", "/control/accept"):
            with lock:
                state["refusing"] = self.path.endswith("refuse")
            return self.answer(200, {"refusing": state["refusing"]})
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return self.answer(400, {"error": "not JSON"})
        if self.path.startswith("/meta/"):
            events = body.get("data") or []
            with lock:
                state["meta"] += [event.get("event_id") for event in events]
            return self.answer(200, {"events_received": len(events), "messages": [], "fbtrace_id": "console-mock"})
        if self.path == "/warehouse":
            events = (body.get("data") or {}).get("events") or []
            with lock:
                if state["refusing"]:
                    return self.answer(400, {"error": "refused by the test"}, [("webhook-delivery", "abort-message")])
                state["warehouse"] += [event.get("event_id") for event in events]
            return self.answer(200, {"ok": True})
        self.answer(404, {})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
