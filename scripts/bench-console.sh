#!/usr/bin/env bash
# Console page-load benchmark (issue 15). Fills a SQLite store with N
# deliveries through Benchmarks/ReportBench (3 destinations, 3 event names,
# 7 days; see scripts/bench-report.sh), starts `capi-bridge serve` (release)
# on it, signs in to the console over loopback and times each page with curl
# (median and worst of RUNS loads after one warm-up). Pending deliveries are
# parked (next attempt far in the future) so that delivery workers stay idle
# while pages are timed. Prints a markdown section for BENCHMARKS.md.
#
#   scripts/bench-console.sh [rows] [runs]     (default 1000000 7)
#   BENCH_CONSOLE_STORE=DIR reuses a store filled by ReportBench with REPORT_BENCH_KEEP=1.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
ROWS="${1:-1000000}"
RUNS="${2:-7}"
WORK="$(mktemp -d /tmp/capi-bench-console.XXXXXX)"
BRIDGE_PID=""
finish() {
    [ -n "$BRIDGE_PID" ] && { kill -TERM "$BRIDGE_PID" 2>/dev/null; wait "$BRIDGE_PID" 2>/dev/null || true; }
    rm -rf "$WORK"
}
trap finish EXIT

cd "$REPO"
swift build -c release --scratch-path .build-release --product ReportBench >/dev/null 2>&1
swift build -c release --scratch-path .build-release --product capi-bridge >/dev/null 2>&1
if [ -n "${BENCH_CONSOLE_STORE:-}" ]; then
    # A store filled before (REPORT_BENCH_KEEP=1 ReportBench ROWS 1 DIR > DIR/fill.txt): copied, not changed.
    mkdir -p "$WORK/store" && cp "$BENCH_CONSOLE_STORE/bench.sqlite" "$WORK/store/" && cp "$BENCH_CONSOLE_STORE/fill.txt" "$WORK/"
else
    REPORT_BENCH_KEEP=1 .build-release/release/ReportBench "$ROWS" 1 "$WORK/store" >"$WORK/fill.txt"
fi
python3 - "$WORK/store/bench.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE deliveries SET next_attempt_ms = 9000000000000000 WHERE state = 'pending'")
db.commit()
PY

TOKEN="$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
cat >"$WORK/bridge.yaml" <<YAML
server: {host: 127.0.0.1, port: 0, admin_token: "$TOKEN"}
store: {path: $WORK/store/bench.sqlite, ephemeral_seal_key: true}
sources:
  - {name: shop, kind: shopify, secrets: ["shpss_$(python3 -c 'import secrets; print(secrets.token_hex(16))')"]}
destinations:
  - {name: meta, kind: meta, pixel_id: "1234567890", access_token: "bench", base_url: "http://127.0.0.1:9"}
  - {name: tiktok, kind: tiktok, pixel_code: "C0BENCH", access_token: "bench", base_url: "http://127.0.0.1:9"}
  - {name: sandbox, kind: sandbox, path: $WORK/sandbox.jsonl}
audit: {dir: $WORK/audit}
logging: {level: info, access: off}
YAML
.build-release/release/capi-bridge serve --config "$WORK/bridge.yaml" --dev 2>"$WORK/bridge.log" >/dev/null &
BRIDGE_PID=$!
PORT=""
for _ in $(seq 1 300); do
    PORT="$(python3 -c '
import json, sys
for line in open(sys.argv[1], errors="replace"):
    try: entry = json.loads(line)
    except ValueError: continue
    if entry.get("msg") == "listening": print(entry.get("server.port", "")); break' "$WORK/bridge.log")"
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] || { echo "serve did not start:" >&2; cat "$WORK/bridge.log" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"
COOKIE="$(curl -s -o /dev/null -D - -X POST --data "token=$TOKEN" "$BASE/console/sign-in" | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p')"
[ -n "$COOKIE" ] || { echo "sign-in failed" >&2; exit 1; }

time_page() {
    local path="$1" times=() status
    status="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$path")"
    [ "$status" = 200 ] || { echo "$path answered $status" >&2; exit 1; }
    for _ in $(seq 1 "$RUNS"); do
        times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $COOKIE" "$BASE$path")")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v p="$path" '{ t[NR] = $1 * 1000 } END { printf "| `%s` | %.0f | %.0f |\n", p, t[int((NR + 1) / 2)], t[NR] }'
}

cat <<MD
## Console

Console pages over $(sed -n 's/^rows=//p' "$WORK/fill.txt" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta') deliveries in one SQLite file (the data of
\`scripts/bench-report.sh\`: 3 destinations × 3 event names over 7 days), release build,
\`capi-bridge serve\` over loopback, signed in, \`scripts/bench-console.sh\`, $(date -u +%Y-%m-%d).
Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end.
Milliseconds per page load (curl \`time_total\`), median and worst of $RUNS after one warm-up; target < 200 ms.

| page | median ms | worst ms |
|---|---:|---:|
$(time_page /console/overview)
$(time_page "/console/sales?event_id=sale:166000&source=shop")
$(time_page /console/dead-letters)
$(time_page "/console/dead-letters?destination=meta")
$(time_page "/console/match-quality?since=7d")
$(time_page "/console/match-quality?since=24h&destination=meta")
$(time_page /console/reconciliation)
$(time_page /console/audit)
MD
