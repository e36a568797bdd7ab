#!/usr/bin/env bash
# The reliability harness: every scenario of RELIABILITY.md, each bounded in
# time, on loopback, appending its figures to RELIABILITY.md.
#
#   scripts/reliability/run-all.sh [--short] [SCENARIO…]
#
# --short (what .ci/run calls, a few minutes): scenario 1 with 3 kill cycles
# on SQLite and on PostgreSQL, scenario 2, and scenario 7 with 15 s per
# fuzz target. Without it: scenario 1 with 10 cycles on both stores,
# scenarios 2 to 6 and 8, and scenario 7 with 120 s per target including the
# configuration loader; then the pgbouncer check and the scale-out
# measurements (docs/scaling.md). Named scenarios (1 … 8, pgbouncer, scale)
# run only those.
# Needs the debug build (swift build; CAPI_RELIABILITY_BIN for another),
# python3, curl, wrk and PostgreSQL's binaries (scripts/start-test-postgres.sh
# installs Debian's package when missing); scenario 5 needs root (it mounts a
# small tmpfs). Exits 1 when any scenario failed, after running the others.
set -uo pipefail
cd "$(dirname "$0")"
SHORT=""
SELECTED=()
for argument in "$@"; do
    case "$argument" in
        --short) SHORT=yes ;;
        *) SELECTED+=("$argument") ;;
    esac
done
export REL_RUN="${REL_RUN:-$(date -u +%Y%m%dT%H%M%SZ)}"
export REL_BASE="${REL_BASE:-/tmp/capi-reliability/$REL_RUN}"
mkdir -p "$REL_BASE"

FAILED=()
run() {
    local label="$1"
    shift
    echo "=== $label: $*" >&2
    local started=$SECONDS
    if ! "$@"; then FAILED+=("$label"); fi
    echo "=== $label: $((SECONDS - started)) s" >&2
}
wanted() { [ ${#SELECTED[@]} -eq 0 ] || [[ " ${SELECTED[*]} " == *" $1 "* ]]; }

if [ -n "$SHORT" ]; then
    wanted 1 && run "1 sqlite" ./scenario-1-kill-loop.sh sqlite 3
    wanted 1 && run "1 postgres" ./scenario-1-kill-loop.sh postgres 3
    wanted 2 && run "2" ./scenario-2-instance-takeover.sh
    wanted 7 && run "7" ./fuzz.sh 15
else
    wanted 1 && run "1 sqlite" ./scenario-1-kill-loop.sh sqlite 10
    wanted 1 && run "1 postgres" ./scenario-1-kill-loop.sh postgres 10
    wanted 2 && run "2" ./scenario-2-instance-takeover.sh
    for scenario in 3 4 5 6 8; do
        script=$(ls ./scenario-"$scenario"-*.sh | head -1)
        wanted "$scenario" && run "$scenario" "$script"
    done
    wanted 7 && run "7" ./fuzz.sh 120 --with-config
    wanted pgbouncer && run "pgbouncer" ./pgbouncer-check.sh
    wanted scale && run "scale" ./scale-out.sh
fi

if [ ${#FAILED[@]} -gt 0 ]; then
    echo "reliability harness: FAILED: ${FAILED[*]} (work files under $REL_BASE)" >&2
    exit 1
fi
echo "reliability harness: every scenario passed (figures appended to RELIABILITY.md; work files under $REL_BASE)" >&2
