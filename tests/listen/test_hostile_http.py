"""The listener against a hostile sender on raw sockets: request smuggling tricks, chunk
tricks, oversize bodies, header floods, slow drips, too many connections, resets. For each:
the documented status (or a closed connection), nothing acknowledged that is not stored,
and the listener still serving afterwards."""

import contextlib
import json
import socket
import struct
import threading
import time

import pytest

from ecp_cli.listen.server import Listener
from ecp_cli.listen.store import Store
from tests.listen.test_server import signed, wait_for


@pytest.fixture
def listen(tmp_path):
    running = []

    def start(**options):
        store = Store(tmp_path / "events.sqlite3")
        received, problems = [], []
        options.setdefault("port", 0)
        listener = Listener(
            store=store,
            secret="secret",
            on_received=received.append,
            on_problem=problems.append,
            **options,
        ).start()
        listener.serve_in_thread()
        listener.received, listener.problems = received, problems
        running.append((listener, store))
        return listener

    yield start
    for listener, store in running:
        listener.stop(grace=1)
        store.close()


def exchange(port: int, raw: bytes, timeout: float = 5.0) -> bytes:
    """Send ``raw``, then read until the server closes or goes quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(raw)
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
                if b"\r\n\r\n" in answer and _complete(answer):
                    break
        except (TimeoutError, ConnectionResetError):
            pass
    return answer


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


def status_of(answer: bytes) -> int | None:
    if not answer.startswith(b"HTTP/1.1 "):
        return None
    return int(answer[9:12])


def assert_still_serving(listener) -> None:
    body = signed()
    raw = (
        b"POST /after HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body
    )
    answer = exchange(listener.port, raw)
    assert status_of(answer) == 200, answer[:200]
    stored = json.loads(answer.partition(b"\r\n\r\n")[2])["stored"]
    assert listener.store.get(stored).path == "/after"


def post_head(extra: bytes) -> bytes:
    return b"POST /cb HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + extra


# --- framing: smuggling tricks are 400 and never reach the store ------------------------

SMUGGLING = {
    "two different Content-Length": post_head(
        b"Content-Length: 2\r\nContent-Length: 10\r\n\r\n{}xxxxxxxx"
    ),
    "Content-Length with an underscore": post_head(b"Content-Length: 1_0\r\n\r\n{}xxxxxxxx"),
    "Content-Length with a sign": post_head(b"Content-Length: +2\r\n\r\n{}"),
    "negative Content-Length": post_head(b"Content-Length: -1\r\n\r\n{}"),
    "Content-Length in hex": post_head(b"Content-Length: 0x2\r\n\r\n{}"),
    "chunk size -1": post_head(b"Transfer-Encoding: chunked\r\n\r\n-1\r\n{}\r\n0\r\n\r\n"),
    "chunk size 0x2": post_head(b"Transfer-Encoding: chunked\r\n\r\n0x2\r\n{}\r\n0\r\n\r\n"),
    "chunk size not hex": post_head(b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
    "chunk longer than said": post_head(
        b"Transfer-Encoding: chunked\r\n\r\n1\r\n{}\r\n0\r\n\r\n"
    ),
    "unknown transfer coding": post_head(b"Transfer-Encoding: gzip\r\n\r\n{}"),
    "space before the colon": post_head(b"Content-Length : 2\r\n\r\n{}"),
    "header without a colon": post_head(b"Content-Length 2\r\n\r\n{}"),
    "no Host on HTTP/1.1": b"POST /cb HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}",
    "garbage request line": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
    "HTTP/2 preface": b"PRI * HTTP/2.0\r\nHost: x\r\n\r\nSM\r\n\r\n",
    "control character in the target": b"POST /c\x1bb HTTP/1.1\r\nHost: x\r\n\r\n",
    "NUL in a header value": post_head(b"X-A: a\x00b\r\nContent-Length: 2\r\n\r\n{}"),
}


@pytest.mark.parametrize("name", list(SMUGGLING))
def test_malformed_framing_is_400_and_not_acknowledged(listen, name):
    listener = listen()
    answer = exchange(listener.port, SMUGGLING[name])
    # None: closed without a word; 405: a request line that parses, with an odd method.
    assert status_of(answer) in (400, 405, None), answer[:200]
    assert b"Connection: close" in answer or b"connection: close" in answer or not answer
    assert [e.reply_status for e in listener.store.list()] in ([], [400], [405])
    assert not any(r.event.reply_status == 200 for r in listener.received)
    assert listener.problems == []
    assert_still_serving(listener)


def test_chunk_size_minus_one_cannot_stream_past_max_body(listen):
    """Item 1: ``-1`` as a chunk size once read a 200 MB body into a 1 MiB limit."""
    listener = listen(max_body=1024)
    with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as connection:
        connection.sendall(post_head(b"Transfer-Encoding: chunked\r\n\r\n-1\r\n"))
        answer = connection.recv(4096)
        assert status_of(answer) == 400
        with pytest.raises(OSError):  # the server closed: the rest is refused or reset
            for _ in range(200):
                connection.sendall(b"x" * 65536)
                time.sleep(0.001)
    assert wait_for(lambda: listener.store.count() == 1)
    event = listener.store.get(1)
    assert (event.verdict, event.reply_status, event.body) == ("rejected", 400, None)
    assert event.error == "malformed HTTP framing (bad chunk or length)"


def test_chunked_body_over_max_body_is_413_while_it_streams(listen):
    listener = listen(max_body=1000)
    with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as connection:
        connection.sendall(post_head(b"Transfer-Encoding: chunked\r\n\r\n"))
        sent = 0
        answer = b""
        connection.settimeout(0.05)
        while not answer and sent < 10_000_000:
            try:
                connection.sendall(b"400\r\n" + b"x" * 1024 + b"\r\n")
                sent += 1024
                answer = connection.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                break
    assert sent < 200_000  # stopped long before the end, not after it
    assert listener.store.list()[0].reply_status == 413
    assert listener.store.list()[0].error == "chunked body over the 1000-byte limit"


def test_header_flood_is_refused(listen):
    listener = listen()
    flood = b"".join(b"X-H%d: %s\r\n" % (n, b"v" * 100) for n in range(2000))
    answer = exchange(listener.port, post_head(flood + b"Content-Length: 2\r\n\r\n{}"))
    assert status_of(answer) in (400, 431, None)
    assert listener.store.count() == 0
    assert_still_serving(listener)


def test_one_huge_header_line_is_refused(listen):
    listener = listen()
    answer = exchange(listener.port, post_head(b"X-Big: " + b"a" * 1_000_000 + b"\r\n\r\n"))
    assert status_of(answer) in (400, 431, None)
    assert_still_serving(listener)


def test_slow_drip_of_headers_meets_the_deadline(listen):
    """Item 7: the idle timeout once restarted with every byte; now a request has a total
    deadline from its first byte."""
    listener = listen(request_deadline=1.0)
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as connection:
        answer = b""
        try:
            for byte in post_head(b"Content-Length: 2\r\n\r\n{}"):
                connection.sendall(bytes([byte]))
                time.sleep(0.1)
                if time.monotonic() - started > 4:
                    break
        except OSError:
            pass
        with contextlib.suppress(OSError):
            answer = connection.recv(4096)
    assert time.monotonic() - started < 3.5
    assert status_of(answer) in (408, None)
    assert listener.store.count() == 0


def test_slow_drip_of_a_body_meets_the_deadline_and_is_recorded(listen):
    listener = listen(request_deadline=1.0)
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as connection:
        connection.sendall(post_head(b"Content-Length: 1000\r\n\r\n{"))
        answer = b""
        try:
            for _ in range(40):
                connection.sendall(b" ")
                time.sleep(0.1)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            answer = connection.recv(4096)
    assert time.monotonic() - started < 4
    assert status_of(answer) in (408, None)
    assert wait_for(lambda: listener.store.count() == 1)
    event = listener.store.get(1)
    assert (event.verdict, event.reply_status) == ("rejected", 400)
    assert event.error == "request not received within 1 s"


def test_connections_past_the_cap_get_503(listen):
    listener = listen(max_connections=5)
    idle = [socket.create_connection(("127.0.0.1", listener.port), timeout=5) for _ in range(5)]
    try:
        time.sleep(0.2)
        answer = exchange(listener.port, post_head(b"Content-Length: 2\r\n\r\n{}"))
        assert status_of(answer) == 503
    finally:
        for connection in idle:
            connection.close()
    time.sleep(0.2)
    assert_still_serving(listener)


def test_a_sender_resetting_mid_body_leaves_nothing_acknowledged(listen):
    listener = listen()
    for _ in range(5):
        connection = socket.create_connection(("127.0.0.1", listener.port), timeout=5)
        connection.sendall(post_head(b"Content-Length: 5000\r\n\r\n{\"a\": "))
        linger_zero = struct.pack("ii", 1, 0)  # close() then resets the connection
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger_zero)
        connection.close()  # RST
    assert_still_serving(listener)
    assert listener.problems == []


def test_many_connections_at_once_are_all_answered_and_stored(listen):
    listener = listen()
    results = []

    def one(n):
        body = signed(payment_id=f"c{n}")
        raw = post_head(f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode())
        results.append(status_of(exchange(listener.port, raw + body)))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results.count(200) == 60
    assert listener.store.count() == 60


# --- credentials in the forward URL are used, never shown (item 2) ----------------------


def test_forward_credentials_are_never_echoed(listen):
    from tests.http_endpoint import closed_port_url

    target = closed_port_url().replace("http://", "http://admin:pw-Secret@")
    listener = listen(forward_to=target)
    body = signed()
    answer = exchange(
        listener.port,
        post_head(f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()) + body,
    )
    assert status_of(answer) == 502
    assert b"pw-Secret" not in answer and b"admin" not in answer
    assert b"***@127.0.0.1" in answer
    event = listener.store.get(1)
    assert "pw-Secret" not in json.dumps(event.public())
    assert event.error.startswith("forward to http://***@127.0.0.1:")
    assert listener.forward_shown.startswith("http://***@127.0.0.1:")


def test_forward_credentials_reach_the_endpoint(listen):
    from tests.http_endpoint import Endpoint

    with Endpoint() as endpoint:
        listener = listen(forward_to=endpoint.url.replace("http://", "http://user:pw@"))
        body = signed()
        answer = exchange(
            listener.port,
            post_head(f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode())
            + body,
        )
        assert status_of(answer) == 200
        assert wait_for(lambda: endpoint.requests)
