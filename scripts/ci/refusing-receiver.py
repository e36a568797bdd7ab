#!/usr/bin/env python3
"""A loopback HTTP receiver that refuses every request with 400, so the
contract test's `webhook` destination dead-letters what it sends and the
dead-letter and report routes answer with real rows. Prints its port, then
serves until it is terminated (the contract test stops it by pid)."""
import http.server
import sys


class Refuse(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = b'{"error":"refused by the contract test receiver"}'
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Refuse)
print(server.server_address[1], flush=True)
sys.stdout.close()
server.serve_forever()
