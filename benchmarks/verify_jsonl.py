"""Throughput: ``ecp verify --jsonl`` over 10,000 callbacks against the official SDK's loop.

Target: ecp, run as a command (start-up included), verifies at least twice as many
callbacks per second as the SDK does in-process on the same data, same run.

    pip install -e '.[bench]' && python benchmarks/verify_jsonl.py [--count 10000] [--repeat 3]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._data import SECRET, write_jsonl  # noqa: E402
from benchmarks._runner import clean_env, ecp_command, precompile, require_sdk, wall_time  # noqa: E402


def sdk_loop(lines: list[str]) -> tuple[float, int]:
    from payment_page_sdk.callback import Callback
    from payment_page_sdk.process_exception import ProcessException
    from payment_page_sdk.signature_handler import SignatureHandler

    handler = SignatureHandler(SECRET)
    valid = 0
    start = time.perf_counter()
    for line in lines:
        try:
            Callback(line, handler)
            valid += 1
        except ProcessException:
            pass
    return time.perf_counter() - start, valid


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    require_sdk()
    precompile()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_jsonl(Path(tmp) / "callbacks.jsonl", args.count)
        lines = path.read_text(encoding="utf-8").splitlines()
        command = [*ecp_command(), "verify", "--jsonl", str(path)]
        env = clean_env(SECRET)
        ecp_times, sdk_times = [], []
        for _ in range(args.repeat):
            elapsed, code = wall_time(command, env)
            if code != 0:
                sys.exit(f"ecp verify failed with exit {code}: every callback should be valid")
            ecp_times.append(elapsed)
            elapsed, valid = sdk_loop(lines)
            if valid != len(lines):
                sys.exit(f"the SDK accepted only {valid} of {len(lines)} callbacks")
            sdk_times.append(elapsed)
    ecp_rate = args.count / statistics.median(ecp_times)
    sdk_rate = args.count / statistics.median(sdk_times)
    print(f"ecp verify --jsonl (whole command) {ecp_rate:10,.0f} callbacks/s")
    print(f"official SDK loop (in-process)     {sdk_rate:10,.0f} callbacks/s")
    ratio = ecp_rate / sdk_rate
    print(f"ratio {ratio:.2f}x ({'meets' if ratio >= 2 else 'MISSES'} the 2x target)")
    print(f"{args.count} callbacks, median of {args.repeat} runs, python {sys.version.split()[0]}")
    return 0 if ratio >= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
