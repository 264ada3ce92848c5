"""One HTTP exchange with a JSON API, as the Gate calls make it: an idempotent request,
retried on connection trouble and 5xx answers (ecp_cli.http.retry), and every way it can
fail told in one line that names the endpoint (never the query string, never a secret),
raised as :class:`ecp_cli.errors.NetworkError`.

Loads httpx: import it only where HTTP is needed.
"""

import json
import re
import socket
import ssl
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

import httpx

from ecp_cli import defaults
from ecp_cli.defaults import GATE_MAX_RETRIES as MAX_RETRIES
from ecp_cli.defaults import GATE_RETRIES, GATE_TIMEOUT
from ecp_cli.documents import parse_json
from ecp_cli.errors import InputError, NetworkError
from ecp_cli.http import retry
from ecp_cli.http.client import make_client
from ecp_cli.http.excerpt import excerpt
from ecp_cli.http.urls import url_problem
from ecp_cli.redaction import redact_url


@dataclass
class Exchange:
    """One finished HTTP exchange: the last response and how many attempts it took."""

    endpoint: str  # method and URL without the query string: safe to show
    status_code: int
    reason: str
    text: str
    headers: Mapping[str, str]
    attempts: int

    def excerpt(self) -> str:
        return excerpt(self.text) or "(empty body)"

    def http_failure(self) -> NetworkError:
        status = f"HTTP {self.status_code} {self.reason}".rstrip()
        location = self.headers.get("location")
        where = f" (redirects to {location})" if location and 300 <= self.status_code < 400 else ""
        return NetworkError(
            f"{self.endpoint}: {status}{where}{_after(self.attempts)}: {self.excerpt()}"
        )

    def json_object(self) -> dict:
        """The body as a JSON object, else a NetworkError quoting the start of the body."""
        try:
            data = parse_json(self.text)
        except ValueError:
            raise NetworkError(
                f"{self.endpoint}: HTTP {self.status_code} with a body that is not JSON: "
                f"{self.excerpt()}"
            ) from None
        if not isinstance(data, dict):
            raise NetworkError(
                f"{self.endpoint}: HTTP {self.status_code} with JSON that is not an object: "
                f"{self.excerpt()}"
            )
        return data

    def json_or_none(self) -> dict | None:
        try:
            return self.json_object()
        except NetworkError:
            return None


def _pause(seconds: float) -> None:
    """The wait between attempts (a module function, so tests can record the waits)."""
    time.sleep(seconds)


def _after(attempts: int) -> str:
    return f" (after {attempts} attempts)" if attempts > 1 else ""


def _seconds(value: float) -> str:
    return f"{value:g} s"


_E = TypeVar("_E", bound=BaseException)


def _cause(error: BaseException, kind: type[_E]) -> _E | None:
    """The first exception of ``kind`` in the chain that httpx and httpcore keep."""
    seen = set()
    node: BaseException | None = error
    while node is not None and id(node) not in seen:
        if isinstance(node, kind):
            return node
        seen.add(id(node))
        node = node.__cause__ or node.__context__
    return None


def _worth_retrying(outcome: httpx.Response | httpx.RequestError) -> bool:
    """Connection trouble and 5xx answers may pass; a certificate or a name that does not
    exist will not, so those fail at once."""
    if isinstance(outcome, httpx.Response):
        return outcome.status_code >= 500
    error = outcome
    if not isinstance(error, httpx.TransportError) or isinstance(error, httpx.UnsupportedProtocol):
        return False
    if _cause(error, ssl.SSLCertVerificationError) is not None:
        return False
    name_error = _cause(error, socket.gaierror)
    if name_error is not None:
        return name_error.errno == socket.EAI_AGAIN  # a temporary resolver failure
    return True


def describe_transport_error(
    error: httpx.RequestError, endpoint: str, host: str, timeout: float, attempts: int
) -> str:
    """One line saying what went wrong on the way to ``endpoint``."""
    after = _after(attempts)
    if isinstance(error, httpx.DecodingError):
        return f"{endpoint}: the answer could not be decoded ({error}){after}"
    if isinstance(error, httpx.ConnectTimeout):
        return f"{endpoint}: could not connect within {_seconds(timeout)}{after}"
    if isinstance(error, httpx.ReadTimeout):
        return f"{endpoint}: no answer within {_seconds(timeout)}{after}"
    if isinstance(error, httpx.TimeoutException):
        return f"{endpoint}: timed out after {_seconds(timeout)}{after}"
    tls = _cause(error, ssl.SSLError)
    if isinstance(tls, ssl.SSLCertVerificationError):
        return (
            f"{endpoint}: TLS failed: certificate verify failed: {tls.verify_message}{after}; "
            f"for a private CA or a TLS-inspecting proxy, point SSL_CERT_FILE at its certificate"
        )
    if tls is not None:
        # "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)" -> the words only
        reason = re.sub(r"^\[[^]]*\]\s*|\s*\(_ssl\.c:\d+\)$", "", str(tls)) or str(tls)
        return f"{endpoint}: TLS failed: {reason}{after}"
    if isinstance(error, httpx.ProxyError):
        return f"{endpoint}: the proxy failed: {error}{after}"
    name_error = _cause(error, socket.gaierror)
    if name_error is not None:
        if name_error.errno == socket.EAI_AGAIN:
            return f"{endpoint}: could not look up host name {host} (DNS){after}"
        return f"{endpoint}: host name {host} not found (DNS){after}"
    if _cause(error, ConnectionRefusedError) is not None:
        return f"{endpoint}: connection refused{after}"
    os_error = _cause(error, OSError)
    reason = (os_error.strerror if isinstance(os_error, OSError) else None) or str(error)
    if isinstance(error, httpx.ConnectError):
        return f"{endpoint}: cannot connect: {reason}{after}"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"{endpoint}: the server closed the connection without a valid answer{after}"
    return f"{endpoint}: the connection failed: {reason or type(error).__name__}{after}"


def _client(timeout: float, transport: httpx.BaseTransport | None) -> httpx.Client:
    # Proxies, CA settings and the User-Agent as for every ecp client (http/client.py).
    return make_client(
        timeout=httpx.Timeout(timeout), transport=transport, headers={"Accept": "application/json"}
    )


def _read_answer(
    answer: httpx.Response, endpoint: str, deadline: float, timeout: float
) -> bytes:
    """The answer's body, decompressed, with two bounds: ``--timeout`` is a total deadline
    for the attempt (a server dripping a byte at a time is cut off at it, not kept alive by
    each byte), and at most GATE_MAX_ANSWER bytes are kept. Decompression is bounded as it
    goes, so a small gzip bomb never expands past the cap. NetworkError past either."""
    limit = defaults.GATE_MAX_ANSWER
    coding = answer.headers.get("content-encoding", "identity").strip().lower()
    if coding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif coding == "deflate":
        decoder = zlib.decompressobj()
    elif coding in ("identity", ""):
        decoder = None
    else:
        raise NetworkError(f"{endpoint}: the answer is in an unknown encoding ({coding[:40]})")
    body = bytearray()
    try:
        for raw in answer.iter_raw():  # as the network gives it: the deadline is checked often
            if time.monotonic() > deadline:
                raise NetworkError(f"{endpoint}: no complete answer within {_seconds(timeout)}")
            if decoder is None:
                body += raw
            else:
                body += decoder.decompress(raw, limit + 1 - len(body))
                while decoder.unconsumed_tail and len(body) <= limit:
                    body += decoder.decompress(decoder.unconsumed_tail, limit + 1 - len(body))
            if len(body) > limit:
                raise NetworkError(f"{endpoint}: the answer is larger than {limit} bytes")
    except zlib.error as error:
        raise NetworkError(f"{endpoint}: the answer could not be decoded ({error})") from None
    return bytes(body)


def request(
    method: str,
    url: str,
    *,
    timeout: float = GATE_TIMEOUT,
    retries: int = GATE_RETRIES,
    backoff: float | None = None,  # None: defaults.GATE_BACKOFF
    query: str | None = None,
    json_body: Mapping | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Exchange:
    """Send an idempotent request, retrying connection errors and 5xx answers with an
    exponential backoff (ecp_cli.http.retry).

    httpx's own transport ``retries=`` would retry only failed connections, never a 5xx
    answer or a read timeout. Both calls here only read state on the platform, so
    repeating them is safe."""
    if not 0 <= retries <= MAX_RETRIES:
        raise InputError(f"retries must be between 0 and {MAX_RETRIES}, got {retries}")
    if not timeout > 0:
        raise InputError(f"timeout must be more than 0 seconds, got {timeout:g}")
    problem = url_problem(url)
    if problem is not None:
        raise InputError(f"{redact_url(url)}: not a usable URL ({problem})")
    # The query string and any user:password@ stay out of every message.
    endpoint = f"{method} {redact_url(url)}"
    target = f"{url}?{query}" if query else url
    host = urlsplit(url).hostname or ""
    content = None
    headers = {}
    if json_body is not None:
        content = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json"
    if backoff is None:
        backoff = defaults.GATE_BACKOFF  # looked up now, so tests can shorten it

    # Only what _read_answer can decompress within its bound.
    headers["Accept-Encoding"] = "gzip, deflate"

    with _client(timeout, transport) as client:

        def attempt() -> httpx.Response | httpx.RequestError:
            deadline = time.monotonic() + timeout
            try:
                with client.stream(method, target, content=content, headers=headers) as answer:
                    body = _read_answer(answer, endpoint, deadline, timeout)
            except httpx.RequestError as error:
                return error
            answer._content = body  # httpx's own slot: .text decodes it with the charset
            return answer

        outcome, attempts = retry.run(
            attempt,
            retry.exponential_backoff(backoff, retries, defaults.GATE_MAX_BACKOFF),
            again=_worth_retrying,
            sleep=_pause,
        )
    if isinstance(outcome, httpx.RequestError):
        raise NetworkError(describe_transport_error(outcome, endpoint, host, timeout, attempts))
    return Exchange(
        endpoint=endpoint,
        status_code=outcome.status_code,
        reason=outcome.reason_phrase,
        text=outcome.text,
        headers=outcome.headers,
        attempts=attempts,
    )
