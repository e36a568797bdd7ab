#!/usr/bin/env bash
# Match-quality report benchmark (issue 6). Builds Benchmarks/ReportBench in
# release, fills a SQLite store (through its own migrations) with N realistic
# deliveries — 3 destinations, 3 event names, 7 days, ~600-byte payloads,
# consent suppressions, skips, dead letters, retries, identifier masks and
# enrichment attribution — then times, in the same run and on the same file:
#   baseline_count_ms  SELECT COUNT(*) FROM deliveries (SQLite's cheapest count)
#   baseline_scan_ms   a full scan of the table's rows (NOT INDEXED)
#   tally_ms           ReportStore.matchQualityTally over the whole window
#   report_ms          the tally + MatchQualityReport.build + all four renderings
# (medians over RUNS). Prints a markdown section for BENCHMARKS.md.
#
#   scripts/bench-report.sh [rows] [runs] [package-dir]     (default 1000000 5 .)
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
ROWS="${1:-1000000}"
RUNS="${2:-5}"
PACKAGE_DIR="${3:-$REPO}"
CPU_CORE="${BENCH_CPU:-0}"
WORK="$(mktemp -d /tmp/capi-bench-report.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

(cd "$PACKAGE_DIR" && swift build -c release --product ReportBench >/dev/null 2>&1)
BIN="$PACKAGE_DIR/.build/release/ReportBench"
OUT="$(taskset -c "$CPU_CORE" "$BIN" "$ROWS" "$RUNS" "$WORK/db")"
get() { echo "$OUT" | sed -n "s/^$1=//p"; }
thousands() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

cat <<MD
## Reports

Match-quality report over $(thousands "$(get rows)") deliveries in one SQLite file, release build,
one core, \`scripts/bench-report.sh\`, $(date -u +%Y-%m-%d).
Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $(swift --version 2>/dev/null | head -1).
Data: 3 destinations (meta, tiktok, sandbox) × 3 event names over 7 days, ~600-byte
payloads, 91 % delivered (10 % of them limited), 5 % suppressed by consent (4 reasons),
1 % skipped, 1 % dead-lettered, 2 % pending, 5 % retried, up to 13 identifiers per
delivery, enrichment attribution on about a tenth. Medians of $(get runs) runs.

| measurement | ms |
|---|---:|
| baseline: \`SELECT COUNT(*) FROM deliveries\` | $(get baseline_count_ms) |
| baseline: full scan of the table's rows (\`NOT INDEXED\`) | $(get baseline_scan_ms) |
| store aggregate (\`matchQualityTally\`, all destinations, 7 days, day periods) | $(get tally_ms) |
| whole report: aggregate + build + table, JSON, CSV and HTML | $(get report_ms) |

| check | value | target |
|---|---:|---:|
| report over $(thousands "$(get rows)") deliveries | $(thousands "$(get report_ms)") ms | ≤ 2,000 ms |
| report / full table scan | $(awk -v a="$(get report_ms)" -v b="$(get baseline_scan_ms)" 'BEGIN { printf "%.1f x", a / b }') | |

The report reads the covering index \`deliveries_report_scan\` (receipt time, destination,
event name, state, consent, reasons, attempts, masks, attribution, delivery time: about
100 bytes per delivery) instead of whole rows, and streams them through
\`ReportAccumulator\`; memory holds counts per series and period, a latency histogram
and the distinct identifier combinations, never the rows. Re-run with
\`scripts/bench-report.sh [rows] [runs] [package-dir]\` (\`BENCH_CPU\` picks the core).
MD
