"""Peak memory of ``ecp verify --jsonl`` over a million callbacks, from a file and from a pipe.

Target: at most 100 MiB at 1M lines, whatever the input's size (the input is
read a batch at a time; --json records wait in a temporary file). The peak is the largest
resident size of ecp's process or of any of its workers (``ru_maxrss`` of the children).

    python benchmarks/verify_jsonl_memory.py [--count 1000000] [--json]
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._data import SECRET, callbacks  # noqa: E402
from benchmarks._runner import clean_env, ecp_command, precompile  # noqa: E402

TARGET_MIB = 100
DISTINCT = 1000  # signed callbacks, repeated to make up the count: memory, not variety


def write_lines(path: Path, count: int) -> Path:
    lines = [json.dumps(body, ensure_ascii=False) + "\n" for body in callbacks(DISTINCT)]
    with path.open("w", encoding="utf-8") as out:
        for index in range(count):
            out.write(lines[index % DISTINCT])
    return path


def peak_mib(command: list[str], env: dict[str, str], stdin=None) -> tuple[float, float, int]:
    """(peak MiB of the command or any of its workers, seconds, exit status), in a fresh
    process each so that earlier runs do not count."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "took = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(peak, took, code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *command],
        env=env,
        stdin=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    peak, took, code = done.stdout.split()
    return float(peak), float(took), int(code)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true", help="also with --json output")
    args = parser.parse_args()
    precompile()
    env = clean_env(SECRET)
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        path = write_lines(Path(tmp) / "callbacks.jsonl", args.count)
        size = path.stat().st_size / 2**20
        print(f"{args.count:,} callbacks, {size:,.0f} MiB of JSON lines")
        runs = [("file", ["--jsonl", str(path)], None), ("stdin pipe", ["--jsonl", "-"], path)]
        if args.json:
            runs.append(("file, --json", ["--jsonl", str(path), "--json"], None))
        for label, extra, piped in runs:
            command = [*ecp_command(), "verify", *extra]
            if piped is not None:
                # A real pipe (cat | ecp), not a redirected file ecp could seek in.
                cat = subprocess.Popen(["cat", str(piped)], stdout=subprocess.PIPE)
                peak, took, code = peak_mib(command, env, stdin=cat.stdout)
                cat.wait()
            else:
                peak, took, code = peak_mib(command, env)
            if code != 0:
                sys.exit(f"ecp verify failed with exit {code}: every callback should be valid")
            worst = max(worst, peak)
            print(f"{label:<14} peak {peak:7.1f} MiB   {took:6.1f} s   {args.count / took:8,.0f}/s")
    verdict = "meets" if worst <= TARGET_MIB else "MISSES"
    print(f"worst peak {worst:.1f} MiB ({verdict} the {TARGET_MIB} MiB target)")
    print(f"python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}")
    return 0 if worst <= TARGET_MIB else 1


if __name__ == "__main__":
    sys.exit(main())
