"""Side by side, in one run, on loopback: three callback receivers under the same load.

* ``old``: ``ecp listen`` as it was on http.server (the commit before the listener moved
  to uvicorn, exported with ``git archive`` into a temporary directory and run from there);
* ``floor``: a minimal stdlib receiver (http.server, one thread per connection) that
  parses each body, checks its signature with ecp's verify (HMAC) and commits one SQLite
  row per callback before answering: what any receiver that stores must at least pay;
* ``new``: this checkout's ``ecp listen`` (uvicorn/h11, group commits).

Each receiver is a process of its own; the senders are threads of this process, each with
its own kept-alive connection (http.client), sharing the same signed callbacks (one
payment id each). A run counts what was acknowledged (2xx) and checks that every
acknowledged callback is in the store. ``--rounds`` repeats old/floor/new in turn and keeps
each one's best round (the machine may be shared).

    python benchmarks/listen_compare.py                 # 20,000 callbacks, 16 senders
    python benchmarks/listen_compare.py --quick         # 2,000 callbacks, for a smoke run
    python benchmarks/listen_compare.py --old <commit>  # compare with another revision
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._runner import clean_env, run_threads  # noqa: E402
from benchmarks.listen_load import SECRET, callbacks  # noqa: E402

# The floor receiver, run as its own process: python -c FLOOR <store> <secret>.
FLOOR = r"""
import json, sqlite3, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ecp_cli.signing.signature import verify

store, secret = sys.argv[1], sys.argv[2]
local = threading.local()

def connection():
    if not hasattr(local, "db"):
        local.db = sqlite3.connect(store, isolation_level=None, timeout=10)
        local.db.execute("PRAGMA journal_mode=WAL")
        local.db.execute("PRAGMA synchronous=NORMAL")
    return local.db

db = sqlite3.connect(store, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, payment_id TEXT,"
           " verdict TEXT, body BLOB)")
db.close()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        data = json.loads(body)
        verdict = verify(data, secret).verdict.value
        cursor = connection().execute(
            "INSERT INTO events (payment_id, verdict, body) VALUES (?, ?, ?)",
            (data["payment"]["id"], verdict, body))
        reply = json.dumps({"stored": cursor.lastrowid, "verdict": verdict}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

server = Server(("127.0.0.1", 0), Handler)
print(f"listening on http://127.0.0.1:{server.server_address[1]}/", file=sys.stderr, flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    pass
"""


def old_revision(given: str | None) -> str:
    if given:
        return given
    added = subprocess.run(
        ["git", "log", "--diff-filter=A", "--format=%H", "--", "ecp_cli/http/serving.py"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    if not added:
        sys.exit("cannot find the commit that added ecp_cli/http/serving.py: give --old")
    return added[-1] + "^"


def export(revision: str, into: Path) -> Path:
    archive = into / "old.tar"
    with archive.open("wb") as out:
        subprocess.run(
            ["git", "archive", "--format=tar", revision, "ecp_cli"], cwd=ROOT, stdout=out,
            check=True,
        )  # fmt: skip
    with tarfile.open(archive) as tar:
        tar.extractall(into / "old", filter="data")
    return into / "old"


def start(kind: str, store: Path, old_tree: Path | None) -> tuple[subprocess.Popen, int]:
    env = clean_env(SECRET)
    env["ECP_PROJECT_ID"] = "112"
    listen = [sys.executable, "-m", "ecp_cli", "listen", "--port", "0", "--store", str(store)]
    if kind == "old":
        env["PYTHONPATH"] = str(old_tree)
        command, cwd = listen, old_tree
    elif kind == "floor":
        env["PYTHONPATH"] = str(ROOT)
        command, cwd = [sys.executable, "-c", FLOOR, str(store), SECRET], ROOT
    else:
        env["PYTHONPATH"] = str(ROOT)
        command, cwd = listen, ROOT
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    first = process.stderr.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
    if not found:
        process.kill()
        sys.exit(f"{kind} receiver did not start: {first}{process.stderr.read()}")
    return process, int(found.group(1))


def load(port: int, work: list[tuple[str, bytes]], senders: int) -> tuple[float, dict, list]:
    items = iter(range(len(work)))
    take, record = threading.Lock(), threading.Lock()
    acknowledged: dict[int, str] = {}
    failures: list[str] = []

    def sender() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Content-Type": "application/json"}
        while True:
            with take:
                index = next(items, None)
            if index is None:
                break
            payment_id, body = work[index]
            try:
                connection.request("POST", "/callback", body=body, headers=headers)
                response = connection.getresponse()
                reply = response.read()
            except (OSError, http.client.HTTPException) as error:
                with record:
                    failures.append(f"{payment_id}: {error!r}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            with record:
                if 200 <= response.status < 300:
                    acknowledged[json.loads(reply)["stored"]] = payment_id
                else:
                    failures.append(f"{payment_id}: HTTP {response.status}")
        connection.close()

    return run_threads(sender, senders), acknowledged, failures


def stored_ids(kind: str, store: Path) -> dict[int, str]:
    with sqlite3.connect(store) as db:
        return dict(db.execute("SELECT id, payment_id FROM events"))


def one_round(kind: str, work, senders: int, tmp: Path, old_tree: Path | None) -> dict:
    store = tmp / f"{kind}-{time.monotonic_ns()}.sqlite3"
    process, port = start(kind, store, old_tree)
    try:
        wall, acknowledged, failures = load(port, work, senders)
    finally:
        # SIGINT: the listeners stop cleanly; the floor receiver has nothing to finish.
        process.send_signal(2 if kind != "floor" else 15)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        process.stderr.close()
    stored = stored_ids(kind, store)
    missing = sum(1 for i, p in acknowledged.items() if stored.get(i) != p)
    return {
        "kind": kind,
        "rate": len(acknowledged) / wall,
        "acknowledged": len(acknowledged),
        "missing": missing,
        "failures": failures,
        "wall": wall,
    }


def machine() -> str:
    load_average = "n/a"
    if hasattr(os, "getloadavg"):
        load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    cpu = platform.processor() or platform.machine()
    return (
        f"{os.cpu_count()} CPUs ({cpu}), load average {load_average}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--senders", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="2,000 callbacks")
    parser.add_argument("--old", metavar="REV", help="the revision to compare with")
    parser.add_argument("--only", choices=("old", "floor", "new"), action="append")
    args = parser.parse_args()
    count = 2000 if args.quick else args.count
    kinds = args.only or ["old", "floor", "new"]
    work = callbacks(count)
    print(f"{count} callbacks, {args.senders} kept-alive senders, loopback; {machine()}")
    best: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        old_tree = None
        if "old" in kinds:
            revision = old_revision(args.old)
            old_tree = export(revision, tmp)
            print(f"old = {revision}")
        for _ in range(args.rounds):
            for kind in kinds:
                result = one_round(kind, work, args.senders, tmp, old_tree)
                print(
                    f"  {kind:5}  {result['rate']:7,.0f} callbacks/s  "
                    f"({result['acknowledged']} acknowledged in {result['wall']:.1f} s, "
                    f"{result['missing']} missing, {len(result['failures'])} failures)"
                )
                if kind not in best or result["rate"] > best[kind]["rate"]:
                    best[kind] = result
    print("best of each:", ", ".join(f"{k} {best[k]['rate']:,.0f}/s" for k in kinds))
    lost = sum(r["missing"] for r in best.values())
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
