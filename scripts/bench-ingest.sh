#!/usr/bin/env bash
# Ingest benchmark (issue "Ingest"): signed, unique Standard Webhooks events
# accepted per second at concurrency 64, p50/p99 acknowledgement latency, and
# the same load against a no-op Hummingbird route in the same run; then p99 at
# a paced 5,000 requests per second, and the bridge's peak resident memory.
#
#   scripts/bench-ingest.sh [seconds-per-run]      (default 20)
#
# Release build, loopback. Writes a markdown table to stdout and
# bench-results/ingest-<date>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-20}
SCRATCH=.build-release
swift build -c release --scratch-path "$SCRATCH" --product capi-bridge >/dev/null
swift build -c release --scratch-path "$SCRATCH" --product IngestBench >/dev/null
BIN="$SCRATCH/release"
WORK=$(mktemp -d /tmp/capi-bench-ingest.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
mkdir -p bench-results

wait_port() { for _ in $(seq 1 200); do (echo > /dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; return 1; }
peak_rss_mb() { awk '/VmHWM/ {printf "%.1f", $2/1024}' /proc/$1/status; }

# 1. Baseline: no-op Hummingbird route.
"$BIN/IngestBench" noop --port 18080 & NOOP=$!
wait_port 18080
NOOP_RESULT=$("$BIN/IngestBench" load --port 18080 --concurrency 64 --seconds "$SECONDS_PER_RUN")
kill $NOOP; wait $NOOP 2>/dev/null || true

# 2. The bridge, durable SQLite outbox, concurrency 64.
cat > "$WORK/bench.yaml" <<YAML
server: {host: 127.0.0.1, port: 18081}
store: {path: $WORK/outbox.sqlite, seal_key: "${CAPI_SEAL_KEY:-$(openssl rand -base64 32)}"}
sources:
  - {name: backend, kind: standard-webhooks, secrets: ["whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="]}
logging: {level: warning}
YAML
"$BIN/capi-bridge" serve --config "$WORK/bench.yaml" 2>"$WORK/bridge.log" & BRIDGE=$!
wait_port 18081
BRIDGE_RESULT=$("$BIN/IngestBench" load --port 18081 --concurrency 64 --seconds "$SECONDS_PER_RUN")
# 3. Same process, paced at 5,000 per second.
PACED_RESULT=$("$BIN/IngestBench" load --port 18081 --concurrency 64 --seconds "$SECONDS_PER_RUN" --rate 5000)
RSS=$(peak_rss_mb $BRIDGE)
kill -TERM $BRIDGE; wait $BRIDGE 2>/dev/null || true
STORED=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from events').fetchone()[0])" "$WORK/outbox.sqlite")

python3 - "$NOOP_RESULT" "$BRIDGE_RESULT" "$PACED_RESULT" "$RSS" "$STORED" <<'PY'
import json, sys, datetime, platform
noop, bridge, paced = (json.loads(a) for a in sys.argv[1:4])
rss, stored = float(sys.argv[4]), int(sys.argv[5])
accepted = bridge["statuses"].get("202", 0)
ratio = bridge["rps"] / noop["rps"] if noop["rps"] else 0
print(f"Ingest benchmark, {datetime.date.today()}, {platform.machine()}, 2 cores, release build, loopback, concurrency 64")
print()
print("| run | requests/s | p50 ms | p99 ms | statuses |")
print("|---|---:|---:|---:|---|")
print(f"| no-op Hummingbird route (baseline) | {noop['rps']:.0f} | {noop['p50_ms']:.2f} | {noop['p99_ms']:.2f} | {noop['statuses']} |")
print(f"| capi-bridge, durable accepts | {bridge['rps']:.0f} | {bridge['p50_ms']:.2f} | {bridge['p99_ms']:.2f} | {bridge['statuses']} |")
print(f"| capi-bridge, paced at 5,000/s | {paced['rps']:.0f} | {paced['p50_ms']:.2f} | {paced['p99_ms']:.2f} | {paced['statuses']} |")
print()
print(f"- throughput ratio bridge / no-op: **{ratio:.2f}** (target ≥ 0.4)")
print(f"- durable accepts per second: **{bridge['rps']:.0f}** (target ≥ 15,000)")
print(f"- p99 at 5,000/s: **{paced['p99_ms']:.2f} ms** (target ≤ 20 ms)")
print(f"- peak resident memory of the bridge: **{rss:.1f} MB** (target ≤ 150 MB)")
print(f"- events in the outbox afterwards: {stored} (202s: {accepted + paced['statuses'].get('202', 0)})")
json.dump({"noop": noop, "bridge": bridge, "paced": paced, "peak_rss_mb": rss, "stored": stored, "ratio": ratio},
          open(f"bench-results/ingest-{datetime.date.today()}.json", "w"), indent=1)
PY
