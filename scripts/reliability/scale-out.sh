#!/usr/bin/env bash
# Scale-out measurements (docs/scaling.md): 1, 2 and 3 instances on one
# PostgreSQL, forwarding to one destination (Meta) and to two (Meta and
# TikTok). Per run: EVENTS signed webhooks offered at RATE/s over the
# instances; from the first request until every event reached every
# destination, the CPU seconds of the bridge processes and of PostgreSQL
# (/proc: utime + stime, exited backends included), PostgreSQL transactions
# (pg_stat_database), WAL bytes (pg_current_wal_lsn), and lock waits
# (pg_locks not granted, sampled every 0.5 s). CPU time, not wall-clock
# speed: the machine has 2 cores shared with other work. Inserts a table in
# RELIABILITY.md's scale-out section (newest first) and writes $WORK/scale.jsonl.
#
#   scale-out.sh [EVENTS (3000)] [RATE (100/s)]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
EVENTS="${1:-3000}"
RATE="${2:-100}"

rel_setup scale-out
rel_postgres_start
PG_PID=$(head -1 "$REL_PG_DIR/data/postmaster.pid")
DB=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).path.lstrip("/"))' "$PG_URL")
rel_start_fleet --delay-ms 20 --no-validate
: >"$WORK/scale.jsonl"
snapshot() {
    local pids=()
    local n
    for n in "$@"; do pids+=("${PIDS[$n]}"); done
    echo "$(python3 "$REL_ROOT/scripts/reliability/cpu.py" bridge "${pids[@]}") $(python3 "$REL_ROOT/scripts/reliability/cpu.py" postgres "$PG_PID") $(rel_psql "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$DB'") $(rel_psql "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")"
}
for KINDS in meta meta,tiktok; do
    for INSTANCES in 1 2 3; do
        SCENARIO="scale-$INSTANCES-${KINDS//,/-}"
        rel_psql "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null
        rm -f "$WORK/acked.txt" "$WORK/fleet-events.tsv.mark"
        NUMBERS=$(seq 1 "$INSTANCES")
        for n in $NUMBERS; do rel_config "$n" postgres "$KINDS" "max_wait_ms: 200"; done
        for n in $NUMBERS; do rel_start "$n"; done
        sleep 2
        read -r B0 P0 X0 W0 <<<"$(snapshot $NUMBERS)"
        ( while true; do rel_psql "SELECT count(*) FROM pg_locks WHERE NOT granted" 2>/dev/null || true; sleep 0.5; done ) >"$WORK/locks-$SCENARIO.txt" &
        SAMPLER=$!
        STARTED=$(date +%s.%N)
        python3 "$REL_ROOT/scripts/reliability/load.py" --urls "$(rel_urls $NUMBERS)" --secret "$WEBHOOK_SECRET" --seconds "$(python3 -c "print($EVENTS / $RATE)")" \
            --rate "$RATE" --run "$SCENARIO-$REL_RUN" --acked "$WORK/acked.txt" --summary "$WORK/load.json" 2>>"$WORK/load.log"
        rel_wait_delivered "$KINDS" "$STARTED" 300 || true
        read -r B1 P1 X1 W1 <<<"$(snapshot $NUMBERS)"
        ENDED=$(date +%s.%N)
        kill "$SAMPLER" 2>/dev/null || true
        wait "$SAMPLER" 2>/dev/null || true
        for n in $NUMBERS; do rel_stop "$n"; done
        python3 - "$WORK" "$INSTANCES" "$KINDS" "$B0 $P0 $X0 $W0" "$B1 $P1 $X1 $W1" "$STARTED" "$ENDED" "$WORK/locks-$SCENARIO.txt" >>"$WORK/scale.jsonl" <<'PY'
import json, sys
work, instances, kinds = sys.argv[1], int(sys.argv[2]), sys.argv[3]
b0, p0, x0, w0 = map(float, sys.argv[4].split())
b1, p1, x1, w1 = map(float, sys.argv[5].split())
tally = json.load(open(f"{work}/tally.json"))
events = tally["acknowledged"]
locks = [int(x) for x in open(sys.argv[8]).read().split() if x.isdigit()]
per = 1000 / events if events else 0
print(json.dumps({
    "instances": instances, "destinations": kinds, "events": events, "lost": tally["lost"],
    "dup_same_id": tally["duplicates_same_id"], "dup_different_ids": tally["duplicates_different_ids"],
    "wall_s": round(float(sys.argv[7]) - float(sys.argv[6]), 1),
    "bridge_cpu_s_per_1000": round((b1 - b0) * per, 2), "postgres_cpu_s_per_1000": round((p1 - p0) * per, 2),
    "xacts_per_event": round((x1 - x0) / events, 2) if events else 0, "wal_bytes_per_event": round((w1 - w0) / events) if events else 0,
    "lock_waits_max": max(locks, default=0), "lock_waits_mean": round(sum(locks) / len(locks), 2) if locks else 0,
    "lock_wait_samples_nonzero": sum(1 for x in locks if x), "samples": len(locks),
}))
PY
        rel_log "$(tail -1 "$WORK/scale.jsonl")"
    done
done
python3 - "$WORK/scale.jsonl" "$RELIABILITY_MD" "$EVENTS" "$RATE" <<'PY'
import datetime, json, os, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
text = open(sys.argv[2], encoding="utf-8").read()
table = [f"\n### Scale-out run, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC ({os.cpu_count()} cores, {sys.argv[3]} events at {sys.argv[4]}/s per run, debug build)\n",
         "| instances | destinations | events | lost | dup. same id | bridge CPU s / 1,000 | PostgreSQL CPU s / 1,000 | transactions / event | WAL bytes / event | lock waits (max, samples > 0) | wall s |",
         "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
for r in rows:
    table.append(f"| {r['instances']} | {r['destinations']} | {r['events']} | {r['lost']} | {r['dup_same_id']} | {r['bridge_cpu_s_per_1000']} | "
                 f"{r['postgres_cpu_s_per_1000']} | {r['xacts_per_event']} | {r['wal_bytes_per_event']} | {r['lock_waits_max']}, {r['lock_wait_samples_nonzero']}/{r['samples']} | {r['wall_s']} |")
marker = "<!-- scale-out runs: scripts/reliability/scale-out.sh appends below -->"
if marker not in text:
    text = text.rstrip("\n") + "\n\n## Scale-out measurements\n\n" + marker + "\n"
head, tail = text.split(marker, 1)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(head + marker + "\n" + "\n".join(table) + "\n" + tail)
PY
