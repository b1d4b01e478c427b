"""Runs shell commands in alternation and records wall time, CPU (user + sys) and peak RSS of each run.

    python3 bench/measure.py OUT.json ROUNDS NAME=COMMAND [NAME=COMMAND ...]

Each round runs every command once, in an order rotated from round to round, so that a burst of
load from another process on a shared machine falls on all of them alike (an A/B in the same
minute, not A for a minute and then B). One warm-up round is run first and not recorded
(WARMUP=0 in the environment leaves it out, for runs that take minutes). The
figures come from wait4(2): CPU is the child's user + system time including the processes it
waited for (a `sh -c` loop counts its psql runs), RSS the largest of them. The load average is
sampled before and after, since wall times on a busy machine say little without it.
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path


def loadavg():
    return Path("/proc/loadavg").read_text().split()[:3]


def run(command):
    with open(os.devnull, "wb") as null:
        start = time.perf_counter()
        process = subprocess.Popen(["/bin/sh", "-c", command], stdout=null, stderr=null)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "user": usage.ru_utime,
            "sys": usage.ru_stime, "rss_kb": usage.ru_maxrss, "exit": process.returncode}


def main(argv):
    out, rounds, specs = Path(argv[1]), int(argv[2]), argv[3:]
    commands = [spec.split("=", 1) for spec in specs]
    results = {name: {"command": command, "runs": []} for name, command in commands}
    before = loadavg()
    warmup = int(os.environ.get("WARMUP", "1"))
    for round_no in range(1 - warmup, rounds + 1):
        shift = round_no % len(commands)
        for name, command in commands[shift:] + commands[:shift]:
            result = run(command)
            if round_no > 0:
                results[name]["runs"].append(result)
    out.write_text(json.dumps({"rounds": rounds, "loadavg_before": before, "loadavg_after": loadavg(),
                               "results": results}, indent=1))


if __name__ == "__main__":
    main(sys.argv)
