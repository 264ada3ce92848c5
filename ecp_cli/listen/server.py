"""``ecp listen``'s HTTP server: take callbacks, verify, store, then answer.

Order of work for every POST, whatever its path:

1. read the body (at most ``max_body`` bytes: a larger one gets 413, a malformed one 400);
2. verify it with the project's secret;
3. with ``forward_to``, send the exact raw body and content type to the developer's own
   endpoint; its status becomes the reply (502 when it cannot be reached, 504 when it does
   not answer in time);
4. write the row to the store and commit it;
5. only then answer. If the store cannot be written the answer is 503: nothing is ever
   acknowledged that is not stored.

GET on any path answers a short health text. http.server and httpx are imported when a
Listener is started, not when this module is imported.
"""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ecp_cli import defaults
from ecp_cli.errors import NetworkError
from ecp_cli.http.delivery import describe_failure
from ecp_cli.http.excerpt import excerpt
from ecp_cli.listen.store import Event, Store, StoreClosed, now_iso, summarize
from ecp_cli.signing.signature import Verification, verify

if TYPE_CHECKING:  # imported when a listener starts (see above)
    from http.server import ThreadingHTTPServer

    import httpx

FAILURE_STATUS = 500  # what --fail-rate answers
# A body up to this many times the limit is read and thrown away before the 413, so that
# the sender sees the answer instead of a reset connection; anything larger is cut off.
DRAIN_FACTOR = 8
# Each listener names itself in this header when it forwards; seeing its own name come
# back means --forward-to leads back to it, which would otherwise loop until time-outs.
HOP_HEADER = "X-Ecp-Listen-Hops"
LOOP_STATUS = 508  # Loop Detected
HEALTH_TEXT = b"ecp listen is running: POST callbacks to any path on this server.\n"


@dataclass
class Received:
    """What the listener reports about each stored request (for the one-line output)."""

    event: Event
    data: dict | None  # the parsed body, None when rejected
    verification: Verification | None


class _BadRequest(Exception):
    def __init__(self, status: int, problem: str, body: bytes | None, size: int | None):
        super().__init__(problem)
        self.status, self.problem, self.body, self.size = status, problem, body, size


def _parse(body: bytes) -> dict:
    """The body as a JSON object, or ValueError with a short reason."""
    from ecp_cli.documents import describe_type, parse_json

    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 text (byte {error.start})") from None
    if not text.strip():
        raise ValueError("empty body")
    try:
        data = parse_json(text)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except ValueError as error:
        raise ValueError(str(error)) from None
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {describe_type(data)}")
    return data


class Listener:
    """A callback listener. ``start()`` binds the port, ``serve_forever()`` serves until
    ``stop()`` (from another thread) or KeyboardInterrupt."""

    def __init__(
        self,
        *,
        store: Store,
        secret: str,
        host: str = defaults.LISTEN_HOST,
        port: int = defaults.LISTEN_PORT,
        reply_status: int = defaults.LISTEN_REPLY_STATUS,
        fail_rate: float = 0.0,
        seed: int | None = None,
        forward_to: str | None = None,
        forward_timeout: float = defaults.LISTEN_FORWARD_TIMEOUT,
        max_body: int = defaults.LISTEN_MAX_BODY,
        on_received: Callable[[Received], None] | None = None,
        on_problem: Callable[[str], None] | None = None,
    ):
        self.store = store
        self._secret = secret
        self.host, self.port = host, port
        self.reply_status = reply_status
        self.fail_rate = fail_rate
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()
        self.forward_to = forward_to
        self.forward_timeout = forward_timeout
        self.max_body = max_body
        self.on_received = on_received
        self.on_problem = on_problem
        self._server: ThreadingHTTPServer | None = None
        self._forward_client: httpx.Client | None = None
        self._in_flight = 0
        self._idle = threading.Condition()
        self._connections: set = set()
        self._stopping = False
        self._serving = False
        self.hop_id = f"{random.getrandbits(48):012x}"

    # -- life cycle -------------------------------------------------------------------

    def start(self) -> Listener:
        """Bind the port (0 picks a free one; see ``url``)."""
        from http.server import ThreadingHTTPServer

        listener = self

        import socket

        class Server(ThreadingHTTPServer):
            daemon_threads = True  # idle kept-alive connections must not block exit
            request_queue_size = 256  # many senders connecting at once are not refused
            address_family = socket.AF_INET6 if ":" in self.host else socket.AF_INET

            def handle_error(self, request, client_address) -> None:
                import sys

                error = sys.exc_info()[1]
                if isinstance(error, ConnectionError | TimeoutError):
                    return  # the sender went away: nothing to report
                listener._problem(f"error while handling a request: {error!r}")

        try:
            self._server = Server((self.host, self.port), _handler_class(self))
        except OSError as error:
            reason = (error.strerror or str(error)).lower()
            raise NetworkError(f"cannot listen on {self.host}:{self.port}: {reason}") from None
        self.port = self._server.server_address[1]
        if self.forward_to:
            from ecp_cli.http.client import make_client

            self._forward_client = make_client(timeout=self.forward_timeout)
        return self

    @property
    def url(self) -> str:
        host = self.host
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    def serve_forever(self) -> None:
        if self._server is None:
            raise RuntimeError("start() the listener before serving")
        self._serving = True
        try:
            self._server.serve_forever(poll_interval=0.05)
        finally:
            self._serving = False

    def serve_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="ecp-listen", daemon=True)
        thread.start()
        return thread

    def stop(self, grace: float = defaults.LISTEN_STOP_GRACE) -> None:
        """Stop taking requests, let the ones in progress finish (storing and answering),
        then drop kept-alive connections. The store is left open for its owner to close."""
        if self._server is None:
            return
        self._stopping = True
        if self._serving:  # shutdown() waits for the serving loop: only call it if one runs
            self._server.shutdown()
        self._server.server_close()
        deadline = time.monotonic() + grace
        with self._idle:
            while self._in_flight and time.monotonic() < deadline:
                self._idle.wait(deadline - time.monotonic())
        import socket

        for connection in list(self._connections):
            with contextlib.suppress(OSError):  # already closed by the sender
                connection.shutdown(socket.SHUT_RDWR)
        if self._forward_client is not None:
            self._forward_client.close()
        self._server = None

    def _problem(self, message: str) -> None:
        if self.on_problem:
            self.on_problem(message)

    # -- per request --------------------------------------------------------------------

    def _decide_reply(self) -> int:
        if self.fail_rate > 0:
            with self._rng_lock:
                if self._rng.random() < self.fail_rate:
                    return FAILURE_STATUS
        return self.reply_status

    def _forward(
        self, body: bytes, content_type: str | None, hops: str | None, event: Event
    ) -> tuple[int, bytes, str]:
        """Send the raw body on; fill in the event's forward fields and reply status.
        Returns the reply status, body and content type to pass back to the sender."""
        import httpx

        started = time.perf_counter()
        try:
            assert self._forward_client is not None and self.forward_to  # see start()
            response = self._forward_client.post(
                self.forward_to,
                content=body,
                headers={
                    "Content-Type": content_type or "application/json",
                    HOP_HEADER: f"{hops} {self.hop_id}" if hops else self.hop_id,
                },
            )
        except httpx.HTTPError as error:
            event.forward_time = time.perf_counter() - started
            timed_out = isinstance(error, httpx.TimeoutException)
            event.reply_status = status = 504 if timed_out else 502
            event.error = f"forward to {self.forward_to} failed: {describe_failure(error)}"
            return status, (event.error + "\n").encode(), "text/plain; charset=utf-8"
        event.forward_time = time.perf_counter() - started
        event.forward_status = event.reply_status = response.status_code
        event.forward_body_start = excerpt(response.text)
        reply_type = response.headers.get("content-type", "text/plain; charset=utf-8")
        return response.status_code, response.content, reply_type

    def handle_callback(
        self, method: str, path: str, headers: list[tuple[str, str]], body: bytes, client: str
    ) -> tuple[int, bytes, str, Received | None]:
        """Verify, forward, store. Returns (status, reply body, reply content type, what
        was stored). Raises StoreClosed / sqlite errors when the row could not be written."""
        content_type = _header(headers, "content-type")
        hops = _header(headers, HOP_HEADER.lower())
        event = Event(
            received_at=now_iso(),
            method=method,
            path=path,
            headers=headers,
            body=body,
            body_size=len(body),
            content_type=content_type,
            verdict="rejected",
            client=client,
        )
        try:
            data = _parse(body)
        except ValueError as error:
            event.reply_status, event.error = 400, str(error)
            self.store.add(event)
            reply = json.dumps({"stored": event.id, "error": event.error}).encode()
            return 400, reply, "application/json", Received(event, None, None)
        verification = verify(data, self._secret)
        event.verdict = verification.verdict.value
        event.summary = summarize(data)
        if hops and self.hop_id in hops.split():
            event.reply_status = LOOP_STATUS
            event.error = "forwarding loop: --forward-to leads back to this listener"
            self.store.add(event)
            reply = json.dumps({"stored": event.id, "error": event.error}).encode()
            return LOOP_STATUS, reply, "application/json", Received(event, data, verification)
        if self.forward_to:
            status, reply, reply_type = self._forward(body, content_type, hops, event)
            self.store.add(event)
        else:
            event.reply_status = status = self._decide_reply()
            self.store.add(event)
            reply = json.dumps({"stored": event.id, "verdict": event.verdict}).encode()
            reply_type = "application/json"
        return status, reply, reply_type, Received(event, data, verification)

    def store_rejected(
        self,
        method: str,
        path: str,
        headers: list[tuple[str, str]],
        status: int,
        problem: str,
        body: bytes | None,
        size: int | None,
        client: str,
    ) -> Received:
        event = Event(
            received_at=now_iso(),
            method=method,
            path=path,
            headers=headers,
            body=body,
            body_size=size,
            content_type=_header(headers, "content-type"),
            verdict="rejected",
            client=client,
            reply_status=status,
            error=problem,
        )
        self.store.add(event)
        return Received(event, None, None)


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _handler_class(listener: Listener):
    from http.server import BaseHTTPRequestHandler

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the platform's senders use
        server_version = "ecp-listen"
        sys_version = ""
        timeout = defaults.LISTEN_IDLE_TIMEOUT
        # Headers and body go out in two writes; with Nagle's algorithm on, the second
        # waits for the client's delayed ACK (~40 ms per callback on a kept-alive link).
        disable_nagle_algorithm = True

        def setup(self) -> None:
            super().setup()
            listener._connections.add(self.connection)

        def finish(self) -> None:
            listener._connections.discard(self.connection)
            with contextlib.suppress(OSError):  # the sender already hung up
                super().finish()

        def log_message(self, format, *args) -> None:  # http.server's signature
            pass  # one line per callback is printed by the command instead

        # -- helpers -------------------------------------------------------------------

        def _client(self) -> str:
            host, port = self.client_address[:2]
            return f"{host}:{port}"

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _read_body(self) -> bytes:
            """The request body, or _BadRequest for the 4xx cases."""
            limit = listener.max_body
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                return self._read_chunked(limit)
            length_text = self.headers.get("Content-Length")
            if length_text is None:
                self.close_connection = True
                raise _BadRequest(411, "no Content-Length header", None, None)
            try:
                length = int(length_text)
                if length < 0:
                    raise ValueError
            except ValueError:
                self.close_connection = True
                raise _BadRequest(400, f"bad Content-Length {length_text!r}", None, None) from None
            if length > limit:
                self._drain(length)
                raise _BadRequest(
                    413, f"body of {length} bytes is over the {limit}-byte limit", None, length
                )
            body = self.rfile.read(length)
            if len(body) < length:
                self.close_connection = True
                raise _BadRequest(
                    400, f"body ended after {len(body)} of {length} bytes", None, len(body)
                )
            return body

        def _drain(self, length: int) -> None:
            if length > listener.max_body * DRAIN_FACTOR:
                self.close_connection = True
                return
            remaining = length
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 65536))
                if not chunk:
                    self.close_connection = True
                    return
                remaining -= len(chunk)

        def _read_chunked(self, limit: int) -> bytes:
            parts: list[bytes] = []
            size = 0
            while True:
                line = self.rfile.readline(1024)
                try:
                    chunk_size = int(line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    self.close_connection = True
                    raise _BadRequest(400, "malformed chunked body", None, size) from None
                if chunk_size == 0:
                    while self.rfile.readline(1024).strip():  # trailers, if any
                        pass
                    return b"".join(parts)
                size += chunk_size
                if size > limit:
                    self.close_connection = True
                    raise _BadRequest(413, f"chunked body over the {limit}-byte limit", None, size)
                parts.append(self.rfile.read(chunk_size))
                self.rfile.readline(1024)  # the CRLF after each chunk

        # -- methods -------------------------------------------------------------------

        def do_GET(self) -> None:
            self._send(200, HEALTH_TEXT, "text/plain; charset=utf-8")

        do_HEAD = do_GET

        def do_POST(self) -> None:
            with listener._idle:
                listener._in_flight += 1
            try:
                self._post()
            finally:
                with listener._idle:
                    listener._in_flight -= 1
                    listener._idle.notify_all()

        def _other(self) -> None:
            self.close_connection = True
            self._reject_and_store(405, f"method {self.command} not allowed: POST callbacks")

        do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _other

        def _reject_and_store(
            self, status: int, problem: str, body: bytes | None = None, size: int | None = None
        ) -> None:
            headers = list(self.headers.items())
            try:
                received = listener.store_rejected(
                    self.command, self.path, headers, status, problem, body, size, self._client()
                )
            except Exception as error:
                self._store_failed(error)
                return
            reply = json.dumps({"stored": received.event.id, "error": problem}).encode()
            self._send(status, reply, "application/json")
            self._report(received)

        def _store_failed(self, error: Exception) -> None:
            # Not stored, so never acknowledged: the sender must try again.
            if not isinstance(error, StoreClosed):
                listener._problem(f"could not store a request: {error}")
            self.close_connection = True
            self._send(503, b"ecp listen could not store this request\n", "text/plain")

        def _report(self, received: Received) -> None:
            if listener.on_received:
                try:
                    listener.on_received(received)
                except Exception as error:  # printing must never break serving
                    listener._problem(f"could not report a request: {error!r}")

        def _post(self) -> None:
            if listener._stopping:
                self.close_connection = True
                self._send(503, b"ecp listen is stopping\n", "text/plain")
                return
            try:
                body = self._read_body()
            except _BadRequest as bad:
                self._reject_and_store(bad.status, bad.problem, bad.body, bad.size)
                return
            headers = list(self.headers.items())
            try:
                status, reply, reply_type, received = listener.handle_callback(
                    "POST", self.path, headers, body, self._client()
                )
            except Exception as error:
                self._store_failed(error)
                return
            self._send(status, reply, reply_type)
            if received is not None:
                self._report(received)

    return Handler
