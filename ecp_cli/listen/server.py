"""``ecp listen``'s HTTP server: take callbacks, verify, store, then answer.

Order of work for every POST, whatever its path:

1. read the body (at most ``max_body`` bytes: a larger one gets 413, a malformed one 400);
2. verify it with the project's secret;
3. with ``forward_to``, send the exact raw body and content type to the developer's own
   endpoint; its status becomes the reply (502 when it cannot be reached, 504 when it does
   not answer in time);
4. write the row to the store and commit it (requests arriving together share one commit,
   see commits.py);
5. only then answer. If the store cannot be written the answer is 503: nothing is ever
   acknowledged that is not stored.

GET on any path answers a short health text. The HTTP side (strict parsing, connection
cap, per-request deadline, graceful stop) is ecp_cli.http.serving: uvicorn with h11,
imported when a Listener is started, not when this module is imported.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ecp_cli import defaults
from ecp_cli.http.delivery import describe_failure
from ecp_cli.http.excerpt import excerpt
from ecp_cli.listen.store import Event, Store, StoreClosed, now_iso, summarize
from ecp_cli.redaction import redact_in, redact_url
from ecp_cli.signing.signature import Verification, verify

if TYPE_CHECKING:  # imported when a listener starts
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from ecp_cli.http.serving import AsgiServer
    from ecp_cli.listen.commits import GroupCommitter

FAILURE_STATUS = 500  # what --fail-rate answers
FORWARD_THREADS = 32  # forwards waiting for the developer's endpoint at once
# A body up to this many times the limit is read and thrown away before the 413, so that
# the sender sees the answer instead of a reset connection; anything larger is cut off.
DRAIN_FACTOR = 8
# Each listener names itself in this header when it forwards; seeing its own name come
# back means --forward-to leads back to it, which would otherwise loop until time-outs.
HOP_HEADER = "X-Ecp-Listen-Hops"
LOOP_STATUS = 508  # Loop Detected
HEALTH_TEXT = b"ecp listen is running: POST callbacks to any path on this server.\n"
_JSON = "application/json"


@dataclass
class Received:
    """What the listener reports about each stored request (for the one-line output)."""

    event: Event
    data: dict | None  # the parsed body, None when rejected
    verification: Verification | None


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
    except (ValueError, RecursionError) as error:
        raise ValueError(str(error) or "too deeply nested") from None
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {describe_type(data)}")
    return data


class Listener:
    """A callback listener. ``start()`` binds the port, ``serve_forever()`` serves until
    ``stop()`` (from another thread) or, with ``start(handle_signals=True)``, SIGINT or
    SIGTERM."""

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
        max_connections: int = defaults.LISTEN_MAX_CONNECTIONS,
        request_deadline: float = defaults.LISTEN_REQUEST_DEADLINE,
        idle_timeout: float = defaults.LISTEN_IDLE_TIMEOUT,
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
        # What may be shown of the forward URL: its user:password@ never leaves memory.
        self.forward_shown = redact_url(forward_to) if forward_to else None
        self.forward_timeout = forward_timeout
        self.max_body = max_body
        self.max_connections = max_connections
        self.request_deadline = request_deadline
        self.idle_timeout = idle_timeout
        self.on_received = on_received
        self.on_problem = on_problem
        self._server: AsgiServer | None = None
        self._committer: GroupCommitter | None = None
        self._forward_client: httpx.Client | None = None
        self._forward_pool: ThreadPoolExecutor | None = None
        self._stopping = False
        self._signal_received: int | None = None
        self.hop_id = f"{random.getrandbits(48):012x}"

    # -- life cycle -------------------------------------------------------------------

    def start(self, *, handle_signals: bool = False) -> Listener:
        """Bind the port (0 picks a free one; see ``url``). With ``handle_signals``, SIGINT
        and SIGTERM stop ``serve_forever`` cleanly from now on."""
        from ecp_cli.http.serving import AsgiServer, ServerLimits
        from ecp_cli.listen.commits import GroupCommitter

        limits = ServerLimits(
            max_connections=self.max_connections,
            request_deadline=self.request_deadline,
            keep_alive=self.idle_timeout,
        )
        server = AsgiServer(
            self._app, host=self.host, port=self.port, limits=limits, on_problem=self._problem
        )
        server.start(handle_signals=handle_signals)
        self._server = server
        self.port = server.port
        self._committer = GroupCommitter(self.store)
        if self.forward_to:
            from concurrent.futures import ThreadPoolExecutor

            from ecp_cli.http.client import make_client

            self._forward_client = make_client(timeout=self.forward_timeout)
            self._forward_pool = ThreadPoolExecutor(FORWARD_THREADS, "ecp-forward")
        return self

    @property
    def url(self) -> str:
        if self._server is not None:
            return self._server.url
        host = self.host
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    @property
    def signal_received(self) -> int | None:
        """SIGINT or SIGTERM once one stopped serving (start(handle_signals=True))."""
        if self._server is not None:
            self._signal_received = self._server.signal_received
        return self._signal_received

    def serve_forever(self) -> None:
        if self._server is None:
            raise RuntimeError("start() the listener before serving")
        self._server.serve_forever()

    def serve_in_thread(self) -> threading.Thread:
        if self._server is None:
            raise RuntimeError("start() the listener before serving")
        return self._server.serve_in_thread()

    def stop(self, grace: float = defaults.LISTEN_STOP_GRACE) -> None:
        """Stop taking requests, let the ones in progress finish (storing and answering),
        then drop kept-alive connections. The store is left open for its owner to close."""
        if self._server is None:
            return
        self._stopping = True
        self._server.stop(grace)
        self._signal_received = self._server.signal_received
        if self._committer is not None:
            self._committer.close()
        if self._forward_pool is not None:
            self._forward_pool.shutdown(wait=False, cancel_futures=True)
        if self._forward_client is not None:
            self._forward_client.close()
        self._server = None

    def _problem(self, message: str) -> None:
        if self.on_problem:
            self.on_problem(message)

    def _report(self, received: Received) -> None:
        if self.on_received:
            try:
                self.on_received(received)
            except Exception as error:  # printing must never break serving
                self._problem(f"could not report a request: {error!r}")

    # -- per request --------------------------------------------------------------------

    def _decide_reply(self) -> int:
        if self.fail_rate > 0:
            with self._rng_lock:
                if self._rng.random() < self.fail_rate:
                    return FAILURE_STATUS
        return self.reply_status

    def _forward(
        self, body: bytes, content_type: str | None, hops: str | None, event: Event
    ) -> tuple[bytes, str]:
        """Send the raw body on; fill in the event's forward fields and reply status.
        Returns the reply body and content type to pass back to the sender."""
        import httpx

        started = time.perf_counter()
        assert self._forward_client is not None and self.forward_to  # see start()
        try:
            response = self._forward_client.post(
                self.forward_to,
                content=body,
                headers={
                    "Content-Type": content_type or _JSON,
                    HOP_HEADER: f"{hops} {self.hop_id}" if hops else self.hop_id,
                },
            )
        except httpx.HTTPError as error:
            event.forward_time = time.perf_counter() - started
            timed_out = isinstance(error, httpx.TimeoutException)
            event.reply_status = 504 if timed_out else 502
            reason = redact_in(describe_failure(error), self.forward_to)
            event.error = f"forward to {self.forward_shown} failed: {reason}"
            return (event.error + "\n").encode(), "text/plain; charset=utf-8"
        event.forward_time = time.perf_counter() - started
        event.forward_status = event.reply_status = response.status_code
        event.forward_body_start = excerpt(response.text)
        reply_type = response.headers.get("content-type", "text/plain; charset=utf-8")
        return response.content, reply_type

    def _new_event(self, scope: dict, body: bytes | None, size: int | None) -> Event:
        from ecp_cli.http.serving import client_address, request_headers, request_target

        headers = request_headers(scope)
        return Event(
            received_at=now_iso(),
            method=scope["method"],
            path=request_target(scope),
            headers=headers,
            body=body,
            body_size=size,
            content_type=_header(headers, "content-type"),
            verdict="rejected",
            client=client_address(scope),
        )

    async def _app(self, scope: dict, receive, send) -> None:
        from ecp_cli.http.serving import send_response

        if scope["type"] != "http":
            return
        try:
            await self._serve_request(scope, receive, send)
        except Exception as error:  # never a traceback from a request: report, answer 500
            self._problem(f"error while handling a request: {error!r}")
            with contextlib.suppress(Exception):  # the answer had started, or nobody listens
                await send_response(send, 500, b"ecp listen: internal error\n", close=True)

    async def _serve_request(self, scope: dict, receive, send) -> None:
        from ecp_cli.http.serving import send_response

        method = scope["method"]
        if method in ("GET", "HEAD"):
            await send_response(send, 200, HEALTH_TEXT)
            return
        if method != "POST":
            await self._reject(scope, send, 405, f"method {method} not allowed: POST callbacks")
            return
        if self._stopping:
            await send_response(send, 503, b"ecp listen is stopping\n", close=True)
            return
        body = await self._read_body(scope, receive, send)
        if body is None:
            return  # answered already
        event, data, verification, hops = self._assess(scope, body)
        if data is not None and event.reply_status is None:
            if self.forward_to:
                loop = asyncio.get_running_loop()
                reply, reply_type = await loop.run_in_executor(
                    self._forward_pool,
                    self._forward,
                    body,
                    event.content_type,
                    hops,
                    event,
                )
            else:
                event.reply_status = self._decide_reply()
        if not await self._store(event, send):
            return
        if data is None or event.reply_status == LOOP_STATUS:
            reply = json.dumps({"stored": event.id, "error": event.error}).encode()
            reply_type = _JSON
        elif not self.forward_to:
            reply = json.dumps({"stored": event.id, "verdict": event.verdict}).encode()
            reply_type = _JSON
        await send_response(send, event.reply_status, reply, reply_type)
        self._report(Received(event, data, verification))

    def _assess(self, scope: dict, body: bytes):
        """Parse and verify: the event to store, the parsed data (None when rejected), the
        verification, and the hop header. A loop or a malformed body sets reply_status."""
        event = self._new_event(scope, body, len(body))
        hops = _header(event.headers, HOP_HEADER.lower())
        try:
            data = _parse(body)
        except ValueError as error:
            event.reply_status, event.error = 400, str(error)
            return event, None, None, hops
        verification = verify(data, self._secret)
        event.verdict = verification.verdict.value
        event.summary = summarize(data)
        if hops and self.hop_id in hops.split():
            event.reply_status = LOOP_STATUS
            event.error = "forwarding loop: --forward-to leads back to this listener"
        return event, data, verification, hops

    async def _read_body(self, scope: dict, receive, send) -> bytes | None:
        """The body, or None once a 4xx was stored and answered."""
        from ecp_cli.http.serving import BodyTooLarge, ClientGone, header, read_body

        limit = self.max_body
        chunked = "chunked" in (header(scope, b"transfer-encoding") or "").lower()
        length_text = header(scope, b"content-length")
        if not chunked and length_text is None:
            await self._reject(scope, send, 411, "no Content-Length header")
            return None
        length = None if chunked or length_text is None else int(length_text)  # digits only
        if length is not None and length > limit:
            problem = f"body of {length} bytes is over the {limit}-byte limit"
            if length > limit * DRAIN_FACTOR:
                await self._reject(scope, send, 413, problem, size=length)
                return None
            try:  # read it out, so that the connection stays usable for the next one
                await read_body(scope, receive, length, discard=True)
            except ClientGone:
                return None
            await self._reject(scope, send, 413, problem, size=length, close=False)
            return None
        try:
            return await read_body(scope, receive, limit)
        except BodyTooLarge as too_large:
            await self._reject(
                scope, send, 413, f"chunked body over the {limit}-byte limit", size=too_large.size
            )
        except ClientGone as gone:
            if gone.problem:  # the server already answered (400 or 408) and closed
                await self._store_quietly(self._rejected_event(scope, 400, gone.problem, gone.size))
        return None

    def _rejected_event(self, scope: dict, status: int, problem: str, size: int | None) -> Event:
        event = self._new_event(scope, None, size)
        event.reply_status, event.error = status, problem
        return event

    async def _reject(
        self,
        scope: dict,
        send,
        status: int,
        problem: str,
        *,
        size: int | None = None,
        close: bool = True,
    ) -> None:
        from ecp_cli.http.serving import send_response

        event = self._rejected_event(scope, status, problem, size)
        if not await self._store(event, send):
            return
        reply = json.dumps({"stored": event.id, "error": problem}).encode()
        await send_response(send, status, reply, _JSON, close=close)
        self._report(Received(event, None, None))

    async def _store_quietly(self, event: Event) -> None:
        try:
            assert self._committer is not None  # see start()
            await self._committer.add(event)
        except Exception as error:
            if not isinstance(error, StoreClosed):
                self._problem(f"could not store a request: {error}")
            return
        self._report(Received(event, None, None))

    async def _store(self, event: Event, send) -> bool:
        """Commit ``event``; on failure answer 503 (never acknowledged) and return False."""
        from ecp_cli.http.serving import send_response

        try:
            assert self._committer is not None  # see start()
            await self._committer.add(event)
        except Exception as error:
            # Not stored, so never acknowledged: the sender must try again.
            if not isinstance(error, StoreClosed):
                self._problem(f"could not store a request: {error}")
            await send_response(send, 503, b"ecp listen could not store this request\n", close=True)
            return False
        return True


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None
