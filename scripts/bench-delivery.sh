#!/usr/bin/env bash
# Delivery benchmark (issue "Delivery"):
#  1. events per second forwarded from a pre-filled outbox of 200,000 events
#     to a loopback mock of Meta answering in 20 ms, against a baseline in the
#     same run (the same events posted straight to the mock, no bridge);
#  2. end-to-end p95 (webhook received → mock acknowledged) at 2,000 events
#     per second sustained for a minute.
#
#   scripts/bench-delivery.sh [events] [latency-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-200000}
LATENCY_SECONDS=${2:-60}
SCRATCH=.build-release
swift build -c release --scratch-path "$SCRATCH" --product DeliveryBench >/dev/null
swift build -c release --scratch-path "$SCRATCH" --product IngestBench >/dev/null
BIN="$SCRATCH/release"
mkdir -p bench-results
THROUGHPUT=$("$BIN/DeliveryBench" throughput --events "$EVENTS")
LATENCY=$("$BIN/DeliveryBench" latency --rate 2000 --seconds "$LATENCY_SECONDS")
python3 - "$THROUGHPUT" "$LATENCY" <<'PY'
import json, sys, datetime, platform
t, l = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"Delivery benchmark, {datetime.date.today()}, {platform.machine()}, 2 cores, release build, loopback, mock Meta answering in 20 ms")
print()
print("| run | events | seconds | events/s | notes |")
print("|---|---:|---:|---:|---|")
print(f"| baseline: 1,000-event requests straight to the mock, same concurrency | {t['events']} | | {t['baseline_events_per_second']:.0f} | no store, no bridge |")
print(f"| capi-bridge: pre-filled outbox → prepare → deliver | {t['delivered']} | {t['seconds']:.1f} | {t['events_per_second']:.0f} | {t['requests']} requests, peak RSS {t['peak_rss_mb']:.0f} MB |")
print()
print(f"- forwarded events per second: **{t['events_per_second']:.0f}** (target ≥ 30,000); ratio to the baseline: **{t['ratio']:.2f}**")
print(f"- end to end at {l['rate']}/s for {l['seconds']} s: p50 {l['p50_s']:.3f} s, **p95 {l['p95_s']:.3f} s** (target ≤ 1.5 s), p99 {l['p99_s']:.3f} s, max {l['max_s']:.3f} s over {l['delivered']} events; ingest {l['load']['rps']:.0f} req/s, statuses {l['load']['statuses']}")
json.dump({"throughput": t, "latency": l}, open(f"bench-results/delivery-{datetime.date.today()}.json", "w"), indent=1)
PY
