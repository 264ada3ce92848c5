"""ecp listen as a user runs it: a real process on an ephemeral port, Ctrl-C and SIGTERM stop
it cleanly, one line per callback, --verbose, --reply; errors before serving are one line."""

import os
import random
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx

from ecp_cli.callbacks.overrides import Overrides
from ecp_cli.callbacks.scenarios import build, dumps, sign_callback
from ecp_cli.listen.store import Store

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cr3t-listen-test"


def callback(name: str, payment_id: str, secret: str = SECRET) -> bytes:
    body = build(name, 112, Overrides(payment_id=payment_id), rng=random.Random(2))[0]
    return dumps(sign_callback(body, secret))


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Running:
    """``ecp listen`` in a child process, its callback URL read from its first line."""

    def __init__(self, tmp_path: Path, *args: str):
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(ROOT),
            "HOME": str(tmp_path),
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "ECP_SECRET": SECRET,
            "ECP_PROJECT_ID": "112",
            "NO_COLOR": "1",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ecp_cli", "listen", "--port", "0", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # A test run started in the background (`pytest &`, some CI runners) inherits
            # SIGINT ignored, and Python then installs no Ctrl-C handler: give the child
            # the default back, as a terminal would.
            preexec_fn=_default_sigint,
        )
        self.first_line = self.process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", self.first_line)
        assert found, self.first_line + self.process.stderr.read()
        self.url = found.group(0)

    def stop(self, signum=signal.SIGINT) -> tuple[int, str, str]:
        self.process.send_signal(signum)
        # Wait first, so a listener that ignores the signal fails the test instead of
        # hanging it; then read through the pipes' own buffers (communicate() would skip
        # what readline() has already buffered). The outputs are small: no pipe fills up.
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        stdout = self.process.stdout.read()
        stderr = self.process.stderr.read()
        self.process.stdout.close()
        self.process.stderr.close()
        return self.process.returncode, stdout, self.first_line + stderr


def test_receive_print_store_and_stop_on_ctrl_c(tmp_path):
    store = tmp_path / "events.sqlite3"
    listener = Running(tmp_path, "--store", str(store))
    with httpx.Client() as client:
        replies = [
            client.post(listener.url + "cb", content=callback("success", "order-1")),
            client.post(listener.url, content=callback("decline", "order-2", secret="wrong")),
            client.post(listener.url + "x", content=b"{oops"),
        ]
    code, stdout, stderr = listener.stop()
    assert [r.status_code for r in replies] == [200, 200, 400]
    assert code == 0
    lines = stdout.splitlines()
    assert len(lines) == 3
    assert re.fullmatch(
        r"#1 \d\d:\d\d:\d\d valid    -> 200  payment order-1: success \(sale success, code 0\)",
        lines[0],
    )
    assert re.fullmatch(
        r"#2 \d\d:\d\d:\d\d invalid  -> 200  payment order-2: decline "
        r"\(sale decline, code 10105\)",
        lines[1],
    )
    assert re.fullmatch(
        r"#3 \d\d:\d\d:\d\d rejected -> 400  POST /x: not valid JSON: Expecting property name "
        r"enclosed in double quotes \(line 1, column 2\)",
        lines[2],
    )
    assert stderr.splitlines() == [
        f"ecp listen: POST callbacks to {listener.url} (any path)",
        "  verifying with profile (environment) (project 112)",
        f"  storing in {store}",
        "  replying 200",
        "  Ctrl-C to stop",
        f"ecp listen: stopped; 3 requests in {store}",
    ]
    assert "Traceback" not in stderr
    with Store(store) as events:
        assert [e.verdict for e in events.list()] == ["rejected", "invalid", "valid"]


def test_sigterm_stops_cleanly_and_the_default_store_is_in_the_data_dir(tmp_path):
    listener = Running(tmp_path)
    httpx.post(listener.url, content=callback("refund", "r-1"))
    code, _, stderr = listener.stop(signal.SIGTERM)
    default = tmp_path / "data" / "ecp" / "events.sqlite3"
    assert code == 0
    assert stderr.endswith(f"ecp listen: stopped; 1 requests in {default}\n")
    with Store(default) as events:
        assert events.get(1).summary.payment_id == "r-1"


def test_verbose_shows_each_callback_in_full(tmp_path):
    listener = Running(tmp_path, "--store", str(tmp_path / "e.db"), "--verbose")
    httpx.post(listener.url, content=callback("payout", "po-1"))
    _, stdout, _ = listener.stop()
    first, _, rest = stdout.partition("\n")
    assert first.startswith("#1 ")
    # The `ecp show` view, verified with the listener's secret.
    assert rest.startswith("signature       valid\n")
    assert "in short        Payout succeeded: 19.99 EUR sent to the customer\n" in rest
    assert "  id            po-1\n" in rest


def test_reply_code_and_forward_are_announced(tmp_path):
    listener = Running(tmp_path, "--store", str(tmp_path / "e.db"), "--reply", "503")
    assert httpx.post(listener.url, content=callback("success", "p")).status_code == 503
    _, stdout, stderr = listener.stop()
    assert "  replying 503\n" in stderr
    assert " -> 503  payment p: success" in stdout


def test_a_closed_stdout_stops_the_lines_not_the_listener(tmp_path):
    listener = Running(tmp_path, "--store", str(tmp_path / "e.db"))
    listener.process.stdout.close()  # like `ecp listen | head -1` once head has exited
    statuses = [
        httpx.post(listener.url, content=callback("success", f"p{n}")).status_code for n in range(3)
    ]
    listener.process.send_signal(signal.SIGINT)
    listener.process.wait(timeout=20)
    stderr = listener.process.stderr.read()
    listener.process.stderr.close()
    assert statuses == [200, 200, 200]
    assert stderr.count("warning: stdout is closed") == 1
    assert "Traceback" not in stderr
    with Store(tmp_path / "e.db") as events:
        assert events.count() == 3


def test_secret_never_printed(tmp_path):
    listener = Running(tmp_path, "--store", str(tmp_path / "e.db"), "--verbose")
    httpx.post(listener.url, content=callback("success", "p"))
    httpx.post(listener.url, content=b"not json")
    _, stdout, stderr = listener.stop()
    assert SECRET not in stdout + stderr
    assert SECRET.encode() not in (tmp_path / "e.db").read_bytes()


# --- failures before serving: in-process, one line each ----------------------------------


def test_no_secret_is_exit_2(bare_cli):
    run = bare_cli("listen", "--port", "0")
    assert run.exit_code == 2
    assert run.stderr.startswith("error: ")
    assert run.stderr.count("\n") == 1


def test_port_in_use_is_exit_3(cli):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = cli("listen", "--port", str(port))
    assert run.exit_code == 3
    assert run.stderr == f"error: cannot listen on 127.0.0.1:{port}: address already in use\n"


def test_bad_forward_url_is_exit_2(cli):
    run = cli("listen", "--forward-to", "localhost:8000")
    assert run.exit_code == 2
    assert run.stderr == "error: --forward-to localhost:8000: expected an http:// or https:// URL\n"


def test_unusable_store_is_exit_2(cli):
    notes = cli.write("notes.txt", "not a database " * 200)
    run = cli("listen", "--port", "0", "--store", str(notes))
    assert run.exit_code == 2
    assert run.stderr.startswith(f"error: {notes}: not an ecp event store")


def test_start_up_imports_none_of_the_listener_machinery():
    heavy = ("sqlite3", "http.server", "httpx", "ecp_cli.listen.server", "ecp_cli.listen.store")
    # Every command module loaded, as the documentation tests do.
    code = (
        "import sys; from ecp_cli.cli.commands import COMMANDS; "
        "[command.load() for command in COMMANDS]; "
        f"print(sorted(set({heavy!r}) & set(sys.modules)))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.strip() == "[]"


def test_ctrl_c_on_a_terminal_ends_the_line_before_stopped(tmp_path):
    """On a real (pseudo-)terminal, Ctrl-C echoes ^C; "stopped" starts a line of its own."""
    import os
    import pty
    import select
    import sys
    import time

    env = {"PATH": os.environ.get("PATH", ""), "ECP_SECRET": "secret", "HOME": str(tmp_path)}
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-m", "ecp_cli", "listen", "--port", "0",
                                   "--store", str(tmp_path / "s.sqlite3")], env)  # fmt: skip
    seen = b""

    def read_until(text: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 20
        while text not in seen and time.monotonic() < deadline:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    seen += os.read(fd, 4096)
                except OSError:
                    break

    read_until(b"Ctrl-C to stop")
    import re
    import urllib.request

    url = re.search(rb"POST callbacks to (http://\S+)", seen).group(1).decode()
    for _ in range(100):  # serving, not just announced: then Ctrl-C stops it cleanly
        try:
            urllib.request.urlopen(url, timeout=2).read()
            break
        except OSError:
            time.sleep(0.1)
    os.write(fd, b"\x03")  # the terminal sends SIGINT and echoes ^C
    read_until(b"requests in")
    os.waitpid(pid, 0)
    os.close(fd)
    assert b"^C\r\necp listen: stopped; 0 requests in" in seen, seen
