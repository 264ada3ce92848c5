"""Serving an ASGI application on this machine: uvicorn with the h11 parser, hardened for
a port that a public tunnel may expose to anyone.

``ecp listen`` and ``ecp sandbox`` build on this module; their apps are plain ASGI
callables (``async def app(scope, receive, send)``). What it guarantees, whatever the app:

* **strict parsing** (h11, RFC 9110/9112): two different Content-Length headers, a
  Content-Length that is not digits (``1_0``, ``+2``), a chunk size that is not hex
  (``-1``, ``0x2``), an unknown transfer coding, whitespace before a header's colon: 400
  and the connection is closed, before the app sees anything. (h11 accepts, as RFC 9112
  lets a recipient, bare LF line ends and folded header lines, unfolding them);
* **bounded heads**: request line and headers together at most ``max_header_bytes``
  (a header flood is a 400);
* **bounded bodies**: :func:`read_body` stops reading past the app's limit, chunked bodies
  too, so a body is never held in memory beyond ``limit`` plus one read (64 KiB);
* **a cap on connections**: past ``max_connections`` open connections a new one gets 503
  and is closed at once;
* **a total deadline per request**: from its first byte until the whole body has arrived,
  a request has ``request_deadline`` seconds (a sender dripping a byte at a time does not
  restart it); then 408 and the connection is closed. A kept-alive connection may stay
  silent between requests for ``keep_alive`` seconds;
* **graceful stop**: :meth:`AsgiServer.stop` (any thread) or SIGINT / SIGTERM stop taking
  connections, let requests in progress finish for ``grace`` seconds, then close the rest;
* **signals handled before the address is announced**: :meth:`AsgiServer.start` binds the
  port and, in the main thread, installs the SIGINT/SIGTERM handlers, so a signal that
  arrives between ``start()`` and ``serve_forever()`` stops the server cleanly too.

Typical use::

    server = AsgiServer(app, host="127.0.0.1", port=0, limits=ServerLimits()).start()
    print(f"serving on {server.url}")   # the handlers are already in place
    server.serve_forever()              # returns after a signal or stop(); stopped cleanly

Why uvicorn with h11 and not httptools: h11 is pure Python (no compiled wheel to trust or
build on any platform), is a strict RFC parser written for correctness, and caps the head
size itself; its speed is not the bottleneck of a receiver that commits each request to
SQLite (see docs/performance.md). uvicorn and h11 are imported by :meth:`AsgiServer.start`
only, so importing this module costs nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ecp_cli import defaults
from ecp_cli.errors import NetworkError

if TYPE_CHECKING:  # imported by start()
    import uvicorn

ASGIApp = Callable[[dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Awaitable[None]]  # noqa: E501

READ_SIZE = 65536  # uvicorn stops reading a connection past this much unread body


@dataclass(frozen=True)
class ServerLimits:
    """The bounds every connection lives within. Defaults suit a callback receiver."""

    max_connections: int = defaults.LISTEN_MAX_CONNECTIONS
    request_deadline: float = defaults.LISTEN_REQUEST_DEADLINE  # first byte to last
    keep_alive: float = defaults.LISTEN_IDLE_TIMEOUT  # seconds a kept-alive link may idle
    max_header_bytes: int = defaults.LISTEN_MAX_HEADER_BYTES  # request line and headers
    grace: float = defaults.LISTEN_STOP_GRACE  # seconds requests in progress get at stop
    backlog: int = 256  # connections waiting to be accepted (many senders at once)


class BodyTooLarge(Exception):
    """The body is larger than the limit. ``size`` is what was seen before stopping."""

    def __init__(self, size: int, limit: int):
        super().__init__(f"body over the {limit}-byte limit")
        self.size, self.limit = size, limit


class ClientGone(Exception):
    """The sender closed the connection (or broke the HTTP framing) before the body ended.
    ``problem`` says which when the server knows: a malformed body or a missed deadline."""

    def __init__(self, size: int, problem: str | None = None):
        super().__init__(problem or "the sender closed the connection")
        self.size, self.problem = size, problem


# The key, in a request's ``scope["state"]``, where the server notes why it cut a request
# off (a malformed chunk, the deadline); read by read_body to explain ClientGone.
PROBLEM_KEY = "ecp.problem"
# The head as the sender wrote it: header names in their own case, the target unsplit.
RAW_HEADERS_KEY = "ecp.raw_headers"
RAW_TARGET_KEY = "ecp.raw_target"


def header(scope: dict, name: bytes) -> str | None:
    """The first value of header ``name`` (lower case bytes), decoded as Latin-1."""
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


def request_headers(scope: dict) -> list[tuple[str, str]]:
    """The request's headers as (name, value) text pairs, in order, names as the sender
    wrote them (Latin-1, as HTTP defines header bytes)."""
    raw = scope.get("state", {}).get(RAW_HEADERS_KEY, scope["headers"])
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw]


def request_target(scope: dict) -> str:
    """The path and query as the sender wrote them (percent-escapes kept)."""
    target = scope.get("state", {}).get(RAW_TARGET_KEY)
    if target is not None:
        return target.decode("latin-1")
    raw = scope.get("raw_path") or scope["path"].encode()
    target = raw.decode("latin-1")
    if scope.get("query_string"):
        target += "?" + scope["query_string"].decode("latin-1")
    return target


def client_address(scope: dict) -> str:
    client = scope.get("client")
    if not client:
        return "-"
    host, port = client[:2]
    return f"{host}:{port}"


async def read_body(scope: dict, receive, limit: int, *, discard: bool = False) -> bytes:
    """The whole request body; BodyTooLarge as soon as it passes ``limit`` bytes (the rest
    is not read), ClientGone when the sender leaves or breaks the framing first. With
    ``discard``, the bytes are counted and dropped (reading out a body to refuse it)."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone(size, scope.get("state", {}).get(PROBLEM_KEY))
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(size, limit)
        if chunk and not discard:
            parts.append(chunk)
        if not message.get("more_body", False):
            return b"".join(parts)


async def send_response(
    send,
    status: int,
    body: bytes,
    content_type: str = "text/plain; charset=utf-8",
    *,
    close: bool = False,
    headers: list[tuple[str, str]] | None = None,
) -> None:
    """One complete response. ``close`` adds ``Connection: close``: the server then closes
    the connection after it, without reading what is left of the request."""
    raw = [
        (b"content-type", content_type.encode("latin-1")),
        (b"content-length", str(len(body)).encode()),
    ]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers or []]
    if close:
        raw.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def _plain_reply(status: int, reason: str, text: str) -> bytes:
    body = text.encode()
    return (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: text/plain; charset=utf-8\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    ).encode() + body


def _run_loop(main) -> None:
    """Run ``main`` on uvloop where it is installed (libuv's loop: less time per request
    in the loop itself, measured about a third more callbacks per second), else on
    asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(main)
        return
    uvloop.run(main)


class _CoalescingTransport:
    """A transport whose writes within one turn of the event loop leave in one send():
    uvicorn writes a response's head and body separately, and on a loaded machine every
    send() to a waiting reader costs a context switch (measured: a third of the time)."""

    __slots__ = ("_transport", "_loop", "_buffer")

    def __init__(self, transport, loop):
        self._transport, self._loop, self._buffer = transport, loop, []

    def write(self, data: bytes) -> None:
        if not data:  # h11's end of a message with a Content-Length: send it all now
            self._flush()
            return
        if not self._buffer:
            self._loop.call_soon(self._flush)  # anything else goes out at the end of the turn
        self._buffer.append(data)

    def _flush(self) -> None:
        if self._buffer:
            data = b"".join(self._buffer)
            self._buffer.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self._flush()  # what was written goes out before the connection closes
        self._transport.close()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(map(len, self._buffer))

    def __getattr__(self, name):
        return getattr(self._transport, name)


def _protocol_class(limits: ServerLimits, max_connections: int):
    """uvicorn's h11 protocol with the connection cap and the per-request deadline."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class Protocol(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            # uvicorn lower-cases header names and splits the target; a recorder keeps what
            # the sender wrote. Each request's scope["state"] is a copy of app_state, taken
            # right after h11 hands over the request: put the raw head there.
            base_state = dict(self.app_state)
            next_event = self.conn.next_event

            def next_event_keeping_raw_head():
                event = next_event()
                if type(event) is h11.Request:
                    self.app_state = {
                        **base_state,
                        RAW_HEADERS_KEY: event.headers.raw_items(),
                        RAW_TARGET_KEY: event.target,
                    }
                return event

            self.conn.next_event = next_event_keeping_raw_head  # type: ignore[method-assign]

        def connection_made(self, transport) -> None:
            transport = _CoalescingTransport(transport, self.loop)
            super().connection_made(transport)
            if len(self.connections) > max_connections:
                transport.write(_plain_reply(503, "Service Unavailable", "too many connections\n"))
                transport.close()
                return
            with contextlib.suppress(OSError):  # replies go out in one write, at once
                transport.get_extra_info("socket").setsockopt(
                    socket.IPPROTO_TCP, socket.TCP_NODELAY, 1
                )
            # A connection that never completes a request is held to the deadline too.
            self._arm()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._follow_request()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._follow_request()

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

        # The deadline runs while the sender owes us part of a request: from its first
        # byte (or from the connection's opening) until its body has ended.
        def _follow_request(self) -> None:
            state = self.conn.their_state
            mid_request = state is h11.SEND_BODY or (
                state is h11.IDLE and bool(self.conn.trailing_data[0])
            )
            if mid_request:
                if self._deadline is None:
                    self._arm()
            else:
                self._disarm()

        def _arm(self) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(limits.request_deadline, self._expired)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _expired(self) -> None:
            self._deadline = None
            if self.transport.is_closing():
                return
            cycle = self.cycle
            answering = cycle is not None and not cycle.response_complete
            if answering and cycle.response_started:
                self.transport.close()  # the reply is already on its way: just end it
                return
            problem = f"request not received within {limits.request_deadline:g} s"
            if answering:
                self.scope["state"][PROBLEM_KEY] = problem
            if self.conn.their_state is not h11.IDLE or self.conn.trailing_data[0]:
                self.transport.write(_plain_reply(408, "Request Timeout", problem + "\n"))
            self.transport.close()

        def send_400_response(self, msg: str) -> None:
            # A framing error in the middle of a body: tell the app why its body ended.
            if self.cycle is not None and not self.cycle.response_complete:
                self.scope["state"][PROBLEM_KEY] = "malformed HTTP framing (bad chunk or length)"
            super().send_400_response(msg)

    return Protocol


class _Problems(logging.Handler):
    """uvicorn's own error log, one line each, to the owner's ``on_problem``."""

    def __init__(self, on_problem: Callable[[str], None] | None):
        super().__init__(logging.ERROR)
        self.on_problem = on_problem

    def emit(self, record: logging.LogRecord) -> None:
        if self.on_problem is None:
            return
        message = record.getMessage().strip().splitlines()[0]
        if record.exc_info and record.exc_info[1] is not None:
            message += f": {record.exc_info[1]!r}"
        with contextlib.suppress(Exception):
            self.on_problem(message)


def _quiet_uvicorn(on_problem: Callable[[str], None] | None) -> None:
    # A hostile sender must not be able to write to the terminal through the server's log;
    # what is worth saying goes through on_problem, one line, escaped by its owner.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        log = logging.getLogger(name)
        log.handlers = [_Problems(on_problem)] if name == "uvicorn.error" else []
        log.propagate = False
        log.setLevel(logging.ERROR)


class AsgiServer:
    """An ASGI app served by uvicorn/h11 on ``host:port`` within ``limits``.

    ``start()`` binds (port 0 picks a free one, see ``port`` and ``url``) and installs the
    signal handlers; ``serve_forever()`` serves in the calling thread until a signal or
    ``stop()``; ``serve_in_thread()`` serves in a daemon thread; ``stop()`` stops from any
    thread and returns once requests in progress are finished (or ``grace`` ran out).
    Binding errors are NetworkError ("cannot listen on HOST:PORT: address already in use").
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        limits: ServerLimits | None = None,
        on_problem: Callable[[str], None] | None = None,
        loops: int = 1,
    ):
        self.app = app
        self.loops = max(1, loops)
        self.host, self.port = host, port
        self.limits = limits or ServerLimits()
        self.on_problem = on_problem
        self.signal_received: int | None = None  # SIGINT or SIGTERM, once one stopped us
        self._socket: socket.socket | None = None
        self._servers: list[uvicorn.Server] = []
        self._stop_requested = False
        self._finished = threading.Event()
        self._finished.set()
        self._previous_handlers: dict[int, Any] = {}

    # -- life cycle -------------------------------------------------------------------

    def start(self, *, handle_signals: bool = True) -> AsgiServer:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.listen(self.limits.backlog)
            sock.setblocking(False)
        except OSError as error:
            sock.close()
            reason = (error.strerror or str(error)).lower()
            raise NetworkError(f"cannot listen on {self.host}:{self.port}: {reason}") from None
        self._socket = sock
        self.port = sock.getsockname()[1]
        self._servers = [self._make_server() for _ in range(self.loops)]
        if handle_signals and threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous_handlers[signum] = signal.signal(signum, self._on_signal)
        return self

    def _make_server(self):
        import uvicorn

        _quiet_uvicorn(self.on_problem)
        config = uvicorn.Config(
            self.app,
            http=_protocol_class(self.limits, -(-self.limits.max_connections // self.loops)),
            ws="none",
            lifespan="off",
            interface="asgi3",
            log_config=None,
            access_log=False,
            server_header=False,
            date_header=False,
            proxy_headers=False,
            timeout_keep_alive=max(1, round(self.limits.keep_alive)),
            timeout_graceful_shutdown=max(1, round(self.limits.grace)),
            h11_max_incomplete_event_size=self.limits.max_header_bytes,
            backlog=self.limits.backlog,
        )
        config.load()
        _quiet_uvicorn(self.on_problem)  # load() may have configured logging again
        return uvicorn.Server(config)

    @property
    def url(self) -> str:
        host = self.host
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif host == "::":
            host = "[::1]"
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    def _on_signal(self, signum, frame) -> None:
        second_ctrl_c = self.signal_received is not None and signum == signal.SIGINT
        self.signal_received = signum
        self._stop_requested = True
        for server in self._servers:
            server.should_exit = True
            if second_ctrl_c:
                server.force_exit = True  # stop waiting for requests in progress

    def serve_forever(self) -> None:
        """Serve until a signal or stop(); then finish requests in progress and return."""
        if not self._servers or self._socket is None:
            raise RuntimeError("start() the server first")
        self._finished.clear()
        try:
            # Each extra loop serves the same listening socket from a thread of its own:
            # the kernel hands each connection to one of them.
            extra = [
                threading.Thread(
                    target=_run_loop,
                    args=(self._serve(server, self._socket.dup()),),
                    name=f"ecp-serve-{n}",
                    daemon=True,
                )
                for n, server in enumerate(self._servers[1:], 1)
            ]
            if not self._stop_requested:
                for thread in extra:
                    thread.start()
                _run_loop(self._serve(self._servers[0], self._socket))
                for thread in extra:
                    thread.join(self.limits.grace + 1.0)
        finally:
            self._close_socket()
            self._restore_signals()
            self._finished.set()

    async def _serve(self, server: uvicorn.Server, sock: socket.socket) -> None:
        server.should_exit = server.should_exit or self._stop_requested
        # uvicorn's own signal capture would re-raise the signal after stopping; ours are
        # already installed (by start()), so run the server without it.
        await server._serve(sockets=[sock])

    def serve_in_thread(self) -> threading.Thread:
        self._finished.clear()  # stop() from now on waits for this thread's serving
        thread = threading.Thread(target=self.serve_forever, name="ecp-serve", daemon=True)
        thread.start()
        return thread

    def stop(self, grace: float | None = None) -> None:
        """Stop serving (from any thread) and wait until requests in progress are answered,
        ``grace`` seconds at most (the limits' grace by default)."""
        self._stop_requested = True
        for server in self._servers:
            server.should_exit = True
        wait = (self.limits.grace if grace is None else grace) + 1.0
        self._finished.wait(wait)
        self._close_socket()
        self._restore_signals()

    def _close_socket(self) -> None:
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.close()
            self._socket = None

    def _restore_signals(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        for signum, previous in self._previous_handlers.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(signum, previous)
        self._previous_handlers.clear()
