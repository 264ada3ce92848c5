"""Scaling of ``ecp verify --jsonl``: 2 workers against 1, and one process against the floor.

Targets, on 100,000 lines: ``--workers 2`` at least 1.7x the throughput of
``--workers 1`` on 2 idle cores; one process (``--workers 1``, whole command) at least 0.6x
the floor, ``json.loads`` and an HMAC-SHA512 of each line in a bare loop. Runs are
paired (1 worker, 2 workers, floor, in turn) and medians of per-round ratios are shown,
with the CPU time ecp used (all its processes).

    python benchmarks/verify_jsonl_workers.py [--count 100000] [--rounds 3]
"""

import argparse
import hashlib
import hmac
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._data import SECRET  # noqa: E402
from benchmarks._runner import clean_env, ecp_command, precompile  # noqa: E402
from benchmarks.verify_jsonl_memory import write_lines  # noqa: E402

SCALING_TARGET = 1.7
FLOOR_TARGET = 0.6


def run_ecp(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of ecp and its workers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"ecp verify failed with exit {done.returncode}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def floor(path: Path) -> float:
    """Seconds for json.loads and one HMAC-SHA512 per line, reading line by line."""
    key = SECRET.encode()
    start = time.perf_counter()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            json.loads(line)
            hmac.digest(key, line.encode(), hashlib.sha512)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    precompile()
    env = clean_env(SECRET)
    one, two, bare, cpu_one, cpu_two = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        path = write_lines(Path(tmp) / "callbacks.jsonl", args.count)
        base = [*ecp_command(), "verify", "--jsonl", str(path)]
        for _ in range(args.rounds):
            wall, cpu = run_ecp([*base, "--workers", "1"], env)
            one.append(wall)
            cpu_one.append(cpu)
            wall, cpu = run_ecp([*base, "--workers", "2"], env)
            two.append(wall)
            cpu_two.append(cpu)
            bare.append(floor(path))
    rate = args.count / statistics.median(one)
    scaling = statistics.median(a / b for a, b in zip(one, two, strict=True))
    of_floor = statistics.median(b / a for a, b in zip(one, bare, strict=True))
    print(f"--workers 1  {rate:9,.0f}/s   CPU {statistics.median(cpu_one):6.1f} s")
    print(f"--workers 2  {args.count / statistics.median(two):9,.0f}/s   CPU "
          f"{statistics.median(cpu_two):6.1f} s")  # fmt: skip
    print(f"floor        {args.count / statistics.median(bare):9,.0f}/s   (json.loads + HMAC)")
    print(f"2 workers / 1: {scaling:.2f}x (target {SCALING_TARGET}x on 2 idle cores)")
    print(f"1 process / floor: {of_floor:.2f}x (target {FLOOR_TARGET}x)")
    print(
        f"{args.count:,} lines, {args.rounds} paired rounds, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}, python {sys.version.split()[0]}"
    )
    return 0 if scaling >= SCALING_TARGET and of_floor >= FLOOR_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
