#!/usr/bin/env python3
"""CPU seconds used so far, from /proc (standard library only).

    cpu.py bridge PID…      utime + stime of each process, summed
    cpu.py postgres PID     the postmaster PID and every process under it,
                            including exited backends (reaped into the
                            postmaster's cutime + cstime)
"""
import os, sys

TICK = os.sysconf("SC_CLK_TCK")


def stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    fields = text[text.rindex(")") + 2:].split()
    # after the command: state ppid … utime(11) stime(12) cutime(13) cstime(14)
    return int(fields[1]), [int(x) for x in fields[11:15]]


def bridge(pids):
    total = 0
    for pid in pids:
        try:
            _, t = stat(pid)
            total += t[0] + t[1]
        except (OSError, ValueError):
            pass
    return total / TICK


def postgres(root):
    _, t = stat(root)
    total = sum(t)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            ppid, times = stat(entry)
        except (OSError, ValueError):
            continue
        if ppid == int(root):
            total += sum(times)
    return total / TICK


if sys.argv[1] == "bridge":
    print(f"{bridge(sys.argv[2:]):.2f}")
else:
    print(f"{postgres(sys.argv[2]):.2f}")
