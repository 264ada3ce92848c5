"""Load: headless payments through ``ecp sandbox`` with every callback sent to ``ecp listen``.

Target: at least 20 payments per second over loopback, and every callback delivered and
valid: the listener stores exactly the callbacks the payments must bring (one per payment,
two for a 3-D Secure challenge: awaiting 3ds result, then success), each with a valid
signature, for the right payment.

Both run as a user runs them (``python -m ecp_cli sandbox|listen --port 0 --store <temp>``,
their output to /dev/null). Payers are threads, each walking the pages as ``ecp sandbox
pay`` does (open the link, post the card, answer the 3-D Secure page, read the result); one
payment in four uses the challenge card. Bounded: --count payments, and payers stop taking
work after --time-limit seconds.

    python benchmarks/sandbox_load.py [--count 1000] [--payers 8] [--time-limit 300]
"""

import argparse
import json
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._runner import clean_env, run_threads  # noqa: E402
from ecp_cli.listen.store import Store  # noqa: E402
from ecp_cli.payment_page.url import build_url  # noqa: E402
from ecp_cli.sandbox.headless import pay  # noqa: E402
from ecp_cli.signing.signature import verify  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SECRET = "benchmark-secret"
TARGET = 20  # payments per second
SUCCESS_CARD, CHALLENGE_CARD = "4000000000000077", "4314220000000056"


def start(args: list[str], pattern: str, stream: str) -> tuple[subprocess.Popen, str]:
    env = clean_env(SECRET)
    env["ECP_PROJECT_ID"] = "112"
    process = subprocess.Popen(
        [sys.executable, "-m", "ecp_cli", *args], cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE if stream == "stdout" else subprocess.DEVNULL,
        stderr=subprocess.PIPE if stream == "stderr" else subprocess.DEVNULL,
    )  # fmt: skip
    pipe = process.stdout if stream == "stdout" else process.stderr
    first = pipe.readline()
    found = re.search(pattern, first)
    if not found:
        process.kill()
        sys.exit(f"ecp {args[0]} did not start: {first}")
    return process, found.group(0).rstrip("/")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
    process.wait(30)
    for pipe in (process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()


def run(count: int, payers: int, time_limit: float) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        callbacks_path = Path(tmp) / "callbacks.sqlite3"
        listener, listen_url = start(
            ["listen", "--port", "0", "--store", str(callbacks_path)],
            r"http://127\.0\.0\.1:\d+/", "stderr",
        )  # fmt: skip
        sandbox, sandbox_url = start(
            ["sandbox", "--port", "0", "--store", str(Path(tmp) / "sandbox.sqlite3"),
             "--callback-url", listen_url + "/callbacks", "--retry-scale", "0.01"],
            r"http://127\.0\.0\.1:\d+", "stdout",
        )  # fmt: skip
        links = []
        for n in range(count):
            params = {"project_id": "112", "payment_id": f"load-{n}", "payment_amount": "1999",
                      "payment_currency": "EUR", "customer_id": f"c-{n}"}  # fmt: skip
            card = CHALLENGE_CARD if n % 4 == 3 else SUCCESS_CARD
            links.append((f"load-{n}", card, build_url(sandbox_url, params, SECRET).url))
        expected = sum(2 if card == CHALLENGE_CARD else 1 for _, card, _ in links)
        next_item = iter(range(count))
        take, record = threading.Lock(), threading.Lock()
        paid: list[str] = []
        failures: list[str] = []
        deadline = time.monotonic() + time_limit

        def payer() -> None:
            while time.monotonic() < deadline:
                with take:
                    index = next(next_item, None)
                if index is None:
                    return
                payment_id, card, link = links[index]
                try:
                    result = pay(link, card)
                except Exception as error:  # a benchmark reports, it does not stop
                    with record:
                        failures.append(f"{payment_id}: {error}")
                    continue
                with record:
                    if result.approved:
                        paid.append(payment_id)
                    else:
                        failures.append(f"{payment_id}: {result.outcome} {result.problems}")

        started = time.perf_counter()
        wall = run_threads(payer, payers)
        # Callbacks go out in the background: wait (bounded) until all have arrived.
        settle = time.monotonic() + 60
        while True:
            with Store(callbacks_path) as store:
                events = store.list(limit=expected * 2)
            if len(events) >= expected or time.monotonic() > settle:
                break
            time.sleep(0.2)
        delivered_after = time.perf_counter() - started
        stop(sandbox)
        stop(listener)

    valid = [e for e in events if e.verdict == "valid" and e.body is not None]
    statuses: dict[str, list[str]] = {}
    for event in sorted(valid, key=lambda e: e.id or 0):
        body = json.loads(event.body or b"{}")
        if not verify(body, SECRET).ok:
            continue
        statuses.setdefault(body["payment"]["id"], []).append(body["payment"]["status"])
    wrong = []
    for payment_id, card, _ in links:
        want = ["awaiting 3ds result", "success"] if card == CHALLENGE_CARD else ["success"]
        if statuses.get(payment_id) != want:
            wrong.append(f"{payment_id}: {statuses.get(payment_id)}")
    rate = len(paid) / wall
    print(f"ecp sandbox, headless:  {rate:7,.1f} payments/s  ({len(paid)} in {wall:.2f} s, "
          f"{payers} payers, one in four through 3-D Secure)")  # fmt: skip
    print(f"callbacks to ecp listen: {len(events)} stored of {expected} expected, "
          f"{len(valid)} valid, all in after {delivered_after:.2f} s")  # fmt: skip
    print(f"payments whose callbacks are missing, invalid or out of order: {len(wrong)}")
    print(f"python {sys.version.split()[0]}")
    for line in (failures + wrong)[:5]:
        print(f"problem: {line}")
    ok = len(paid) == count and not failures and not wrong and len(events) == expected
    ok = ok and rate >= TARGET
    print("meets the target" if ok else f"MISSES the target ({TARGET}/s, every callback valid)")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--payers", type=int, default=8)
    parser.add_argument("--time-limit", type=float, default=300.0)
    args = parser.parse_args()
    return run(args.count, args.payers, args.time_limit)


if __name__ == "__main__":
    sys.exit(main())
