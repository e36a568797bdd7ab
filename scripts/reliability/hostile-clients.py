#!/usr/bin/env python3
"""Slow clients and a connection flood against a live bridge (standard library).

    hostile-clients.py HOST PORT SECONDS [SLOW (300)] [FLOOD (1500)]

For SECONDS: SLOW/2 connections trickle a header block that never ends and
SLOW/2 a body that never ends (one byte every 200 ms), reopened when the
bridge closes them; FLOOD more connections are opened and held idle
(re-opened when closed). Prints {"closed_by_server", "opened", "refused"}:
how often the bridge cut a slow or idle connection, and how many
connections could not be opened at all.
"""
import json, selectors, socket, sys, time

host, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
slow = int(sys.argv[4]) if len(sys.argv) > 4 else 300
flood = int(sys.argv[5]) if len(sys.argv) > 5 else 1500
stats = {"opened": 0, "closed_by_server": 0, "refused": 0}
HEADERS = b"POST /v1/webhooks/backend HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
BODY_HEAD = b"POST /v1/webhooks/backend HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"


def connect():
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect_ex((host, port))
    except OSError:
        stats["refused"] += 1
        s.close()
        return None
    stats["opened"] += 1
    return s


conns = []  # [socket, kind, bytes sent]
for i in range(slow):
    conns.append([connect(), "headers" if i % 2 == 0 else "body", 0])
for _ in range(flood):
    conns.append([connect(), "idle", 0])
end = time.monotonic() + seconds
while time.monotonic() < end:
    for entry in conns:
        s, kind, sent = entry
        if s is None:
            entry[0] = connect()
            entry[2] = 0
            continue
        try:
            if kind == "headers":
                data = HEADERS if sent == 0 else b"X-Slow: a\r\n"[:1]
            elif kind == "body":
                data = BODY_HEAD if sent == 0 else b"x"
            else:
                data = b""
            if data:
                s.send(data)
                entry[2] += len(data)
            else:
                # An idle connection: notice when the server closes it.
                try:
                    if s.recv(1, socket.MSG_PEEK) == b"":
                        raise ConnectionResetError
                except BlockingIOError:
                    pass
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            stats["closed_by_server"] += 1
            s.close()
            entry[0] = None
    time.sleep(0.2)
for s, _, _ in conns:
    if s is not None:
        s.close()
print(json.dumps(stats))
