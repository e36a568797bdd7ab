#!/usr/bin/env bash
# Scenario 7: hostile input. Builds the libFuzzer executables (swiftc
# -sanitize=fuzzer, into .build-fuzz so the normal build is untouched) and
# runs every target for a fixed time, starting from its committed corpus
# (fuzz/corpus/<target>/). New interesting inputs go to a scratch directory
# (fuzz.sh --merge adds them to the committed corpus); a crash stops the run
# with its input saved under the work directory, and fails.
#
#   fuzz.sh [SECONDS per target (60)] [--with-config] [--merge]
#
# --with-config also builds and runs the configuration loader's target
# (CapiFuzzConfig: it links the server module, so its instrumented build
# compiles SwiftNIO, Hummingbird, AsyncHTTPClient, GRDB and postgres-nio
# into .build-fuzz beside CapiFuzz's: about 20 minutes from cold on a
# shared 2-core machine). CI's --short run leaves it out (CI must stay under
# 30 minutes); `swift test` replays its committed corpus (FuzzCorpusReplayTests).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SECONDS_PER_TARGET=60
WITH_CONFIG=""
MERGE=""
for argument in "$@"; do
    case "$argument" in
        --with-config) WITH_CONFIG=yes ;;
        --merge) MERGE=yes ;;
        *) SECONDS_PER_TARGET="$argument" ;;
    esac
done
TARGETS=(json shopify stripe woocommerce standard-webhooks tcf gpp us-privacy)

SCENARIO=7-fuzz
WORK="$REL_BASE/$SCENARIO"
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$REL_ROOT"
fuzz_build() {
    rel_log "building $1 with -sanitize=fuzzer into .build-fuzz"
    CAPI_FUZZ=1 swift build --scratch-path .build-fuzz --product "$1" \
        -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library >"$WORK/build-$1.log" 2>&1 \
        || { tail -30 "$WORK/build-$1.log" >&2; rel_fail "building $1 failed"; }
}
fuzz_build CapiFuzz
[ -n "$WITH_CONFIG" ] && fuzz_build CapiFuzzConfig

declare -A EXECS
CRASHED=()
fuzz_run() {
    local binary="$1" target="$2"
    mkdir -p "$WORK/new/$target"
    rel_log "fuzzing $target for $SECONDS_PER_TARGET s"
    local status=0
    CAPI_FUZZ_TARGET="$target" ".build-fuzz/debug/$binary" "$WORK/new/$target" "fuzz/corpus/$target" \
        -max_total_time="$SECONDS_PER_TARGET" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$WORK/crash-$target-" -print_final_stats=1 >"$WORK/$target.log" 2>&1 || status=$?
    EXECS[$target]=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$target.log" | tail -1)
    if [ "$status" -ne 0 ]; then
        CRASHED+=("$target")
        rel_log "$target: crash (exit $status), input saved as $(ls "$WORK"/crash-"$target"-* 2>/dev/null | head -1)"
        grep -m5 -E "Fatal error|Precondition|ERROR: libFuzzer|SUMMARY" "$WORK/$target.log" >&2 || true
    fi
    if [ -n "$MERGE" ]; then
        CAPI_FUZZ_TARGET="$target" ".build-fuzz/debug/$binary" -merge=1 "fuzz/corpus/$target" "$WORK/new/$target" >>"$WORK/$target.log" 2>&1 || true
    fi
}
for target in "${TARGETS[@]}"; do fuzz_run CapiFuzz "$target"; done
[ -n "$WITH_CONFIG" ] && fuzz_run CapiFuzzConfig config

SUMMARY=""
TOTAL=0
for target in "${TARGETS[@]}" config; do
    [ -n "${EXECS[$target]+set}" ] || continue
    SUMMARY="${SUMMARY:+$SUMMARY, }$target ${EXECS[$target]:-0}"
    TOTAL=$((TOTAL + ${EXECS[$target]:-0}))
done
NOTES="libFuzzer, $SECONDS_PER_TARGET s per target from the committed corpora; inputs run: ${SUMMARY}"
if [ ${#CRASHED[@]} -gt 0 ]; then NOTES="$NOTES; **FAILED: crashes in ${CRASHED[*]}**"; fi
python3 - "$RELIABILITY_MD" "$TOTAL" "${#CRASHED[@]}" "$NOTES" <<'PY'
import datetime, os, platform, sys
path, total, crashes, notes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
machine = f"{platform.machine()}, {os.cpu_count()} cores"
row = (f"| {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} | 7: hostile input (fuzzing) | none | {total} inputs | — | "
       f"{crashes} crashes | — | — | — | — | {machine} | {notes} |\n")
text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
with open(path, "w", encoding="utf-8") as f:
    f.write(text.rstrip("\n") + "\n" + row)
print(row, end="", file=sys.stderr)
PY
[ ${#CRASHED[@]} -eq 0 ] || rel_fail "fuzzing found crashes in: ${CRASHED[*]} (see $WORK)"
