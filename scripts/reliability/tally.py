#!/usr/bin/env python3
"""Counts what reached the platforms against what the bridge acknowledged,
and appends a row to RELIABILITY.md (standard library only).

    tally.py wait   --acked F --fleet-log F --load F --work DIR --kinds K[,K…]
                    --since EPOCH --timeout S [--allow-extra]
    tally.py append --work DIR --report RELIABILITY.md --scenario S --store S
                    --audit TEXT [--notes TEXT] [--require-recovery S]

`wait` polls the fleet's event log (kind, event id, order id per line) until
every acknowledged event id has reached every destination kind, or the
timeout; it writes DIR/tally.json: offered, acknowledged, lost (acknowledged,
missing at some destination), duplicates with the same id (extra copies per
destination), duplicates under different ids (an order delivered under more
than one event id to one destination), delivered without acknowledgement
(the answer was lost to a kill: the sender retries and the bridge
deduplicates), and the recovery time (seconds from --since until the last
acknowledged event had reached every destination).

`append` adds the row, and exits 1 when something was lost, duplicated under
a different id, the audit did not verify, or recovery took longer than
--require-recovery.
"""
import argparse, collections, datetime, json, os, platform, sys, time


def read_lines(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [line.rstrip("\n") for line in f if line.endswith("\n")]
    except FileNotFoundError:
        return []


def wait(args):
    kinds = args.kinds.split(",")
    acked = set(read_lines(args.acked))
    started = time.time()
    complete_at = None
    while True:
        seen = {kind: collections.Counter() for kind in kinds}
        orders = {kind: collections.defaultdict(set) for kind in kinds}
        for line in read_lines(args.fleet_log):
            parts = line.split("\t")
            if len(parts) != 3 or parts[0] not in seen:
                continue
            seen[parts[0]][parts[1]] += 1
            if parts[2] != "-":
                orders[parts[0]][parts[2]].add(parts[1])
        missing = {kind: len(acked - set(seen[kind])) for kind in kinds}
        if sum(missing.values()) == 0:
            complete_at = time.time()
            break
        if time.time() - started > args.timeout:
            break
        time.sleep(0.25)
    load = json.load(open(args.load)) if os.path.exists(args.load) else {}
    delivered_ids = set.union(*(set(seen[kind]) for kind in kinds)) if kinds else set()
    result = {
        "kinds": kinds,
        "offered": load.get("offered", 0),
        "acknowledged": len(acked),
        "load": load,
        "lost": sum(missing.values()),
        "lost_by_kind": missing,
        "duplicates_same_id": sum(c - 1 for kind in kinds for c in seen[kind].values() if c > 1),
        "duplicates_different_ids": sum(1 for kind in kinds for ids in orders[kind].values() if len(ids) > 1),
        "delivered_not_acknowledged": len(delivered_ids - acked),
        "recovery_seconds": round(complete_at - args.since, 1) if complete_at else None,
    }
    json.dump(result, open(os.path.join(args.work, "tally.json"), "w"), indent=1)
    print(json.dumps(result), file=sys.stderr)


def machine():
    cpus = os.cpu_count()
    model = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.machine()}, {cpus} cores{', ' + model if model else ''}"


HEADER = """
| date (UTC) | scenario | store | offered | acknowledged | lost | dup. same id | dup. different ids | recovery | audit | machine | notes |
|---|---|---|---:|---:|---:|---:|---:|---:|---|---|---|
"""


def append(args):
    tally = json.load(open(os.path.join(args.work, "tally.json")))
    recovery = tally["recovery_seconds"]
    failures = []
    if tally["lost"]:
        failures.append(f"{tally['lost']} acknowledged events lost ({tally['lost_by_kind']})")
    if tally["duplicates_different_ids"]:
        failures.append(f"{tally['duplicates_different_ids']} orders delivered under different ids")
    if args.audit != "intact" and "FAILED" not in args.audit:
        failures.append(f"audit: {args.audit}")
    if recovery is None:
        failures.append("not every acknowledged event was delivered within the timeout")
    elif args.require_recovery is not None and recovery > args.require_recovery:
        failures.append(f"recovery {recovery} s > {args.require_recovery} s")
    notes = args.notes or ""
    if tally["delivered_not_acknowledged"]:
        notes += f"; {tally['delivered_not_acknowledged']} delivered whose answer a kill cut off"
    if "FAILED" in args.audit:
        failures.append("an instance did not exit on SIGTERM")
    if failures:
        notes += "; **FAILED: " + "; ".join(failures) + "**"
    row = "| {date} | {scenario} | {store} | {offered} | {acked} | {lost} | {same} | {different} | {recovery} | {audit} | {machine} | {notes} |\n".format(
        date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"), scenario=args.scenario, store=args.store,
        offered=tally["offered"], acked=tally["acknowledged"], lost=tally["lost"], same=tally["duplicates_same_id"],
        different=tally["duplicates_different_ids"], recovery=f"{recovery} s" if recovery is not None else "—",
        audit=args.audit, machine=machine(), notes=notes.strip("; "))
    text = open(args.report, encoding="utf-8").read() if os.path.exists(args.report) else ""
    marker = "<!-- reliability rows: scripts/reliability/run-all.sh appends below -->"
    if marker not in text:
        text += "\n" + marker + "\n" + HEADER.lstrip("\n")
    with open(args.report, "w", encoding="utf-8") as f:
        f.write(text.rstrip("\n") + "\n" + row)
    print(row, end="", file=sys.stderr)
    if failures:
        print("FAILED: " + "; ".join(failures), file=sys.stderr)
        sys.exit(1)


parser = argparse.ArgumentParser()
commands = parser.add_subparsers(dest="command", required=True)
w = commands.add_parser("wait")
w.add_argument("--acked", required=True)
w.add_argument("--fleet-log", required=True)
w.add_argument("--load", required=True)
w.add_argument("--work", required=True)
w.add_argument("--kinds", required=True)
w.add_argument("--since", type=float, required=True)
w.add_argument("--timeout", type=float, required=True)
a = commands.add_parser("append")
a.add_argument("--work", required=True)
a.add_argument("--report", required=True)
a.add_argument("--scenario", required=True)
a.add_argument("--store", required=True)
a.add_argument("--audit", required=True)
a.add_argument("--notes", default="")
a.add_argument("--require-recovery", type=float)
args = parser.parse_args()
wait(args) if args.command == "wait" else append(args)
