#!/usr/bin/env bash
# Fan-out benchmark (issue "Destinations"): one sale fanned out to all eight
# platform destinations (Meta, Google Data Manager, TikTok, Snap, Pinterest,
# LinkedIn, Reddit, GA4) against loopback mocks answering in 20 ms, driven by
# signed webhooks at a paced rate for a minute; per destination the
# end-to-end p95 (webhook received → mock acknowledged) and the bridge's CPU
# time per sale, against a baseline measured in the same run: the same
# bridge, load and mocks with the Meta destination only.
#
#   scripts/bench-fanout.sh [rate] [seconds] [sustainable-rate]
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-2000}
SECONDS_RUN=${2:-60}
SUSTAINED=${3:-400}
SCRATCH=.build-release
swift build -c release --scratch-path "$SCRATCH" --product DeliveryBench >/dev/null
swift build -c release --scratch-path "$SCRATCH" --product IngestBench >/dev/null
BIN="$SCRATCH/release"
mkdir -p bench-results
TARGET=$("$BIN/DeliveryBench" fanout --rate "$RATE" --seconds "$SECONDS_RUN")
PACED=$("$BIN/DeliveryBench" fanout --rate "$SUSTAINED" --seconds "$SECONDS_RUN" --skip-baseline)
python3 - "$TARGET" "$PACED" <<'PY'
import json, sys, datetime, platform
t, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"Fan-out benchmark, {datetime.date.today()}, {platform.machine()}, 2 cores, release build, loopback mocks answering in 20 ms")
print()
print("| run | offered sales/s | accepted sales/s | sales | bridge CPU per sale |")
print("|---|---:|---:|---:|---:|")
b, f = t["baseline"], t["fanout"]
print(f"| baseline: Meta only | {t['rate']} | {b['load']['rps']} | {b['sales']} | {b['cpu_ms_per_sale']:.2f} ms |")
print(f"| fan-out to 8 destinations | {t['rate']} | {f['load']['rps']} | {f['sales']} | {f['cpu_ms_per_sale']:.2f} ms ({t['cpu_ratio']:.2f}× the baseline) |")
q = p["fanout"]
print(f"| fan-out to 8 destinations, paced | {p['rate']} | {q['load']['rps']} | {q['sales']} | {q['cpu_ms_per_sale']:.2f} ms |")
print()
print("| destination | p50 s | p95 s | p99 s | max s | p95 at the paced rate |")
print("|---|---:|---:|---:|---:|---:|")
paced = {d["name"]: d for d in q["destinations"]}
for d in f["destinations"]:
    print(f"| {d['name']} | {d['p50_s']:.3f} | {d['p95_s']:.3f} | {d['p99_s']:.3f} | {d['max_s']:.3f} | {paced.get(d['name'], {}).get('p95_s', 0):.3f} |")
print()
print(f"not delivered: target run {f['not_delivered'] or 'none'}, paced run {q['not_delivered'] or 'none'}")
json.dump({"target": t, "paced": p}, open(f"bench-results/fanout-{datetime.date.today()}.json", "w"), indent=1)
PY
