#!/usr/bin/env python3
"""After the fuzzer: proves the signed webhook cases got past the signature
check (scripts/ci/schemathesis_hooks.py) by reading the bridge's
`capi_bridge_ingest_requests_total` from /metrics. Each of the four sources
must show some outcome other than a signature refusal, or the fuzzer only
ever knocked on the door. Prints the outcomes per source. Standard library
only. Environment: BRIDGE_URL, CAPI_METRICS_TOKEN.
"""
import collections
import os
import re
import sys
import urllib.request

request = urllib.request.Request(
    os.environ["BRIDGE_URL"] + "/metrics", headers={"Authorization": "Bearer " + os.environ["CAPI_METRICS_TOKEN"]})
with urllib.request.urlopen(request, timeout=10) as response:
    text = response.read().decode()

line = re.compile(r'^capi_bridge_ingest_requests_total\{(?P<labels>[^}]*)\} (?P<value>[0-9.e+]+)$')
outcomes = collections.defaultdict(dict)
for match in filter(None, map(line.match, text.splitlines())):
    labels = dict(re.findall(r'(\w+)="([^"]*)"', match["labels"]))
    outcomes[labels.get("source", "")][labels.get("outcome", "")] = int(float(match["value"]))

missing = []
for source in ["shop", "stripe", "woo", "backend"]:
    seen = outcomes.get(source, {})
    print(f"{source}: " + ", ".join(f"{outcome} {count}" for outcome, count in sorted(seen.items())))
    if not set(seen) - {"bad_signature", "stale_timestamp"}:
        missing.append(source)
if missing:
    print(f"contract reach: no signed request got past the signature check for {', '.join(missing)}", file=sys.stderr)
    sys.exit(1)
