"""Load: many concurrent senders against ``ecp listen`` with its store on, over loopback.

Target: at least 500 callbacks per second, and every acknowledged callback is in
the store (count stored == count acknowledged).

The listener runs as a user runs it (``ecp listen --port 0 --store <temp file>``, its
one-line-per-callback output included, sent to /dev/null). Senders are threads, each with
its own kept-alive connection (http.client), sharing a fixed number of signed callbacks,
each with its own payment id. Bounded: --count callbacks, and senders stop taking work
after --time-limit seconds.

    python benchmarks/listen_load.py [--count 5000] [--senders 16] [--time-limit 120]
"""

import argparse
import http.client
import json
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._runner import clean_env, run_threads  # noqa: E402
from ecp_cli.callbacks.overrides import Overrides  # noqa: E402
from ecp_cli.callbacks.scenarios import build, dumps, sign_callback  # noqa: E402
from ecp_cli.defaults import SCENARIO_NAMES  # noqa: E402
from ecp_cli.listen.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SECRET = "benchmark-secret"
TARGET = 500  # callbacks per second


def callbacks(count: int) -> list[tuple[str, bytes]]:
    """(payment id, signed body) for every scenario in turn, prepared before timing."""
    rng = random.Random(1)
    names = [n for n in SCENARIO_NAMES if n != "tokenize"]  # every one with a payment id
    result = []
    for n in range(count):
        payment_id = f"load-{n}"
        body = build(names[n % len(names)], 112, Overrides(payment_id=payment_id), rng=rng)[0]
        result.append((payment_id, dumps(sign_callback(body, SECRET))))
    return result


def start_listener(store: Path) -> tuple[subprocess.Popen, str, int]:
    env = clean_env(SECRET)
    env["ECP_PROJECT_ID"] = "112"
    # This checkout's ecp (python -m ecp_cli from the repository root), whatever is installed.
    process = subprocess.Popen(
        [sys.executable, "-m", "ecp_cli", "listen", "--port", "0", "--store", str(store)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = process.stderr.readline()
    found = re.search(r"http://(127\.0\.0\.1):(\d+)/", first)
    if not found:
        process.kill()
        sys.exit(f"ecp listen did not start: {first}{process.stderr.read()}")
    return process, found.group(1), int(found.group(2))


def run(count: int, senders: int, time_limit: float) -> int:
    work = callbacks(count)
    with tempfile.TemporaryDirectory() as tmp:
        store_path = Path(tmp) / "events.sqlite3"
        process, host, port = start_listener(store_path)
        next_item = iter(range(count))
        take = threading.Lock()
        acknowledged: dict[int, str] = {}  # stored id -> payment id
        failures: list[str] = []
        latencies: list[float] = []
        record = threading.Lock()
        deadline = time.monotonic() + time_limit

        def sender() -> None:
            connection = http.client.HTTPConnection(host, port, timeout=10)
            headers = {"Content-Type": "application/json"}
            while time.monotonic() < deadline:
                with take:
                    index = next(next_item, None)
                if index is None:
                    break
                payment_id, body = work[index]
                started = time.perf_counter()
                try:
                    connection.request("POST", "/callback", body=body, headers=headers)
                    response = connection.getresponse()
                    reply = response.read()
                except (OSError, http.client.HTTPException) as error:
                    with record:
                        failures.append(f"{payment_id}: {error!r}")
                    connection.close()
                    connection = http.client.HTTPConnection(host, port, timeout=10)
                    continue
                elapsed = time.perf_counter() - started
                with record:
                    latencies.append(elapsed)
                    if 200 <= response.status < 300:
                        acknowledged[json.loads(reply)["stored"]] = payment_id
                    else:
                        failures.append(f"{payment_id}: HTTP {response.status}")
            connection.close()

        wall = run_threads(sender, senders)
        process.send_signal(signal.SIGINT)
        process.wait(30)
        process.stderr.close()
        with Store(store_path) as store:
            stored = {e.id: e.summary.payment_id for e in store.list(limit=count * 2)}

    missing = [i for i, p in acknowledged.items() if stored.get(i) != p]
    rate = len(acknowledged) / wall
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000
    longest = ordered[-1] * 1000
    print(f"ecp listen, store on:  {rate:8,.0f} callbacks/s  ({len(acknowledged)} in {wall:.2f} s)")
    print(f"latency per callback:  p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {longest:.1f} ms")
    print(
        f"acknowledged {len(acknowledged)}, stored {len(stored)}, "
        f"acknowledged but missing {len(missing)}"
    )
    print(f"{senders} senders with kept-alive connections, python {sys.version.split()[0]}")
    for failure in failures[:5]:
        print(f"failure: {failure}")
    ok = not missing and not failures and len(stored) == len(acknowledged) == count
    ok = ok and rate >= TARGET
    print("meets the target" if ok else f"MISSES the target ({TARGET}/s, all stored)")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--senders", type=int, default=16)
    parser.add_argument("--time-limit", type=float, default=120.0)
    args = parser.parse_args()
    return run(args.count, args.senders, args.time_limit)


if __name__ == "__main__":
    sys.exit(main())
