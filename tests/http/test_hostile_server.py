"""ecp status and ecp check against a hostile server on 127.0.0.1 (raw sockets): slow
drips, endless and oversize bodies, gzip bombs, redirects, resets, HTML where JSON was
expected. For each: exit 3 within the stated deadline, one error line, no traceback, no
secret, bounded memory."""

import gzip
import socket
import struct
import threading
import time

import pytest

from tests.fake_platform import clear_http_env

SECRET = "hostile-server-Secret"


class RawServer:
    """Answers every connection with ``behaviour(connection)``."""

    def __init__(self, behaviour):
        self.behaviour = behaviour
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.stopped.is_set():
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(connection,), daemon=True).start()

    def _one(self, connection):
        try:
            connection.recv(65536)
            self.behaviour(connection, self.stopped)
        except OSError:
            pass
        finally:
            connection.close()

    def close(self):
        self.stopped.set()
        self.sock.close()


def head(status="200 OK", extra=b"", length: int | None = None) -> bytes:
    lines = f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n".encode() + extra
    if length is not None:
        lines += f"Content-Length: {length}\r\n".encode()
    return lines + b"\r\n"


def drip(connection, stopped):
    connection.sendall(head(length=1000))
    for _ in range(100):
        if stopped.wait(0.3):
            return
        connection.sendall(b" ")


def endless(connection, stopped):
    connection.sendall(head(extra=b"Transfer-Encoding: chunked\r\n"))
    chunk = b"4000\r\n" + b"x" * 0x4000 + b"\r\n"
    while not stopped.is_set():
        connection.sendall(chunk)


def oversize(connection, stopped):
    body = b'{"pad": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    connection.sendall(head(length=len(body)) + body)


BOMB = gzip.compress(b" " * (200 * 1024 * 1024), compresslevel=9)


def gzip_bomb(connection, stopped):
    connection.sendall(head(extra=b"Content-Encoding: gzip\r\n", length=len(BOMB)) + BOMB)


def html_200(connection, stopped):
    body = b"<html><body>Please log in to the Wi-Fi</body></html>"
    connection.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


def redirect(connection, stopped):
    connection.sendall(
        b"HTTP/1.1 302 Found\r\nLocation: http://attacker.invalid/steal\r\n"
        b"Content-Length: 0\r\n\r\n"
    )


def reset(connection, stopped):
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def silent(connection, stopped):
    stopped.wait(30)


def half_head(connection, stopped):
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Le")
    stopped.wait(30)


def garbage(connection, stopped):
    connection.sendall(b"\x16\x03\x01 not http at all\r\n\r\n")


def header_flood(connection, stopped):
    connection.sendall(b"HTTP/1.1 200 OK\r\n")
    for n in range(20000):
        connection.sendall(b"X-H%d: %s\r\n" % (n, b"v" * 50))
    connection.sendall(b"\r\n")


BEHAVIOURS = {
    "slow drip": drip,
    "endless chunked body": endless,
    "oversize body": oversize,
    "gzip bomb": gzip_bomb,
    "html answer": html_200,
    "redirect": redirect,
    "reset": reset,
    "silent": silent,
    "half a head": half_head,
    "not http": garbage,
    "header flood": header_flood,
}


@pytest.fixture
def ecp(cli, monkeypatch):
    clear_http_env(monkeypatch)
    monkeypatch.setattr("ecp_cli.defaults.GATE_BACKOFF", 0.0)
    cli.vars["ECP_SECRET"] = SECRET
    cli.vars["ECP_PROJECT_ID"] = "112"
    return cli


@pytest.mark.parametrize("name", list(BEHAVIOURS))
@pytest.mark.parametrize("command", ["status", "check"])
def test_hostile_server(ecp, name, command):
    server = RawServer(BEHAVIOURS[name])
    try:
        if command == "status":
            args = ["status", "order-1", "--api-url", server.url]
        else:
            params = ecp.write("p.json", {"payment_amount": 100, "payment_currency": "EUR",
                                          "payment_id": "p-1", "customer_id": "c"})  # fmt: skip
            args = ["check", str(params), "--check-url", server.url]
        started = time.monotonic()
        run = ecp(*args, "--timeout", "2", "--retries", "0")
        elapsed = time.monotonic() - started
    finally:
        server.close()
    assert run.exit_code == 3, (run.stdout, run.stderr)
    assert elapsed < 6, elapsed  # --timeout 2 is a deadline, not a per-byte allowance
    assert "Traceback" not in run.stderr
    assert SECRET not in run.stdout + run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, run.stderr
    assert "attacker.invalid/steal" not in run.stdout or name == "redirect"


def test_check_calls_an_html_200_unusable_not_accepted(ecp):
    server = RawServer(html_200)
    try:
        params = ecp.write("p.json", {"payment_amount": 100, "payment_currency": "EUR",
                                      "payment_id": "p-1", "customer_id": "c"})  # fmt: skip
        run = ecp("check", str(params), "--check-url", server.url, "--retries", "0")
    finally:
        server.close()
    assert run.exit_code == 3
    assert "HTTP 200 but the answer is not a JSON object" in run.stderr
    assert "accepted" not in run.stdout


def test_a_gzip_bomb_is_cut_at_the_cap(ecp):
    server = RawServer(gzip_bomb)
    try:
        run = ecp("status", "order-1", "--api-url", server.url, "--retries", "0")
    finally:
        server.close()
    assert run.exit_code == 3
    assert "the answer is larger than 1048576 bytes" in run.stderr


def test_a_drip_is_cut_at_the_deadline(ecp):
    server = RawServer(drip)
    try:
        started = time.monotonic()
        run = ecp("status", "order-1", "--api-url", server.url, "--retries", "0", "--timeout", "1")
        elapsed = time.monotonic() - started
    finally:
        server.close()
    assert run.exit_code == 3
    assert elapsed < 3
    assert "no complete answer within 1 s" in run.stderr
