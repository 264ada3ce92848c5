"""Talking to the ecommpay platform over HTTP: the payment status request (Gate API) and the
Payment Page parameter pre-check.

Library API, free of any CLI concern::

    result = payment_status(profile, "order-42", api_url=profile.api_url)
    result.raise_for_outcome()          # PlatformError / ResponseSignatureError
    check = check_params({"project_id": 112, ...}, check_url=profile.check_url)

HTTP is done with httpx, imported at the top of this module: the commands import this module
inside their functions, so ``ecp verify`` and friends never pay for httpx.

Every failure of the exchange itself (DNS, refused connection, timeout, TLS, an unexpected
HTTP status, a body that is not JSON) raises :class:`ecp_cli.errors.NetworkError` with one line
that names the endpoint (never the query string, never the secret).
"""

import json
import re
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

import httpx

from ecp_cli import defaults
from ecp_cli.defaults import GATE_MAX_RETRIES as MAX_RETRIES
from ecp_cli.defaults import GATE_RETRIES, GATE_TIMEOUT, MAX_ID_LENGTH
from ecp_cli.documents import parse_json
from ecp_cli.errors import EcpError, InputError, NetworkError
from ecp_cli.exit_codes import ExitStatus
from ecp_cli.http import retry
from ecp_cli.http.client import make_client
from ecp_cli.http.excerpt import excerpt
from ecp_cli.http.urls import url_problem
from ecp_cli.profiles import Profile
from ecp_cli.signing.canonical import format_value
from ecp_cli.signing.signature import Verdict, Verification, embed_signature, sign, verify

STATUS_PATH = "/v2/payment/status"
CHECK_PATH = "/params/check"


class PlatformError(EcpError):
    """The platform answered, and said no: an error status or an ``errors`` list."""

    status = ExitStatus.FAILURE

    def __init__(self, message: str, problems: list["Problem"]):
        super().__init__(message)
        self.problems = problems


class ResponseSignatureError(EcpError):
    """The response's signature does not match the secret, or payment data came unsigned."""

    status = ExitStatus.FAILURE


# --- what the platform reports ---------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One error the platform reported: a response code, a field, or both."""

    message: str
    code: str | None = None
    field: str | None = None
    description: str | None = None

    def code_info(self):
        """The explanation of the code (ecp_cli.callbacks.reference.CodeInfo), or None."""
        if self.code is None:
            return None
        from ecp_cli.callbacks.reference import response_code

        try:
            return response_code(self.code)
        except (TypeError, ValueError):
            return None

    def as_dict(self) -> dict:
        record: dict = {
            "code": self.code,
            "message": self.message,
            "field": self.field,
            "description": self.description,
        }
        info = self.code_info()
        if info is not None:
            record["category"] = info.category
            record["meaning"] = info.meaning
            record["what_to_do"] = info.what_to_do
            record["advice_source"] = info.advice_source
        return record

    def summary(self) -> str:
        """``3061 Transaction not found (general.payment_id)``: one short phrase."""
        parts = [part for part in (self.code, self.message) if part]
        text = " ".join(parts) or "no reason given"
        if self.field:
            text += f" ({self.field})"
        return text


def _text(value: object) -> str | None:
    if value is None or isinstance(value, Mapping | list):
        return None
    text = format_value(value) if isinstance(value, bool | int | float | str) else str(value)
    return text.strip() or None


def _problem(item: object, field_name: str | None = None) -> Problem:
    if isinstance(item, Mapping):
        return Problem(
            message=_text(item.get("message")) or _text(item.get("description")) or "",
            code=_text(item.get("code")),
            field=_text(item.get("field")) or field_name,
            description=_text(item.get("description")),
        )
    return Problem(message=_text(item) or "", field=field_name)


def parse_problems(errors: object) -> list[Problem]:
    """The problems of an ``errors`` value: a list of objects or strings, or an object
    mapping each field to its message(s)."""
    if isinstance(errors, list):
        return [_problem(item) for item in errors]
    if isinstance(errors, Mapping):
        problems: list[Problem] = []
        for name, value in errors.items():
            values = value if isinstance(value, list) else [value]
            problems.extend(_problem(item, str(name)) for item in values)
        return problems
    if _text(errors):
        return [Problem(message=_text(errors) or "")]
    return []


def refusal_problems(response: Mapping) -> list[Problem]:
    """What the platform refused, or [] when it answered with the payment.

    A refusal is an error ``status`` at the top, or an ``errors`` list with no payment
    beside it. Errors next to a payment (a declined payment's reasons) belong to the payment
    and are no refusal of the request."""
    errored = str(response.get("status", "")).strip().lower() == "error"
    errors = parse_problems(response.get("errors"))
    if not errored and (not errors or isinstance(response.get("payment"), Mapping)):
        return []
    problems = []
    top_code, top_message = _text(response.get("code")), _text(response.get("message"))
    if top_code or top_message:
        problems.append(Problem(message=top_message or "", code=top_code))
    problems.extend(p for p in errors if p not in problems)
    return problems or [Problem(message="the platform gave no reason")]


# --- HTTP ------------------------------------------------------------------------------


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
        raise InputError(f"{url}: not a usable URL ({problem})")
    endpoint = f"{method} {url}"  # the query string stays out of every message
    target = f"{url}?{query}" if query else url
    host = urlsplit(url).hostname or ""
    content = None
    headers = {}
    if json_body is not None:
        content = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json"
    if backoff is None:
        backoff = defaults.GATE_BACKOFF  # looked up now, so tests can shorten it

    with _client(timeout, transport) as client:

        def attempt() -> httpx.Response | httpx.RequestError:
            try:
                return client.request(method, target, content=content, headers=headers)
            except httpx.RequestError as error:
                return error

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


# --- payment status --------------------------------------------------------------------


@dataclass
class StatusResult:
    """The platform's answer to a payment status request."""

    response: dict
    http_status: int
    verification: Verification
    attempts: int
    problems: list[Problem] = field(default_factory=list)  # non-empty: the platform refused

    @property
    def verdict(self) -> Verdict:
        return self.verification.verdict

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    @property
    def has_payment_data(self) -> bool:
        return any(
            isinstance(self.response.get(key), Mapping | list)
            for key in ("payment", "operation", "operations")
        )

    def raise_for_outcome(self, profile_label: str = "(profile)") -> None:
        """Raise unless the platform answered with payment data whose signature is valid.

        A refusal comes first: with a wrong secret the platform refuses the request and its
        own answer will not verify either, and the refusal's code is what helps."""
        if self.refused:
            raise PlatformError(refusal_message(self), self.problems)
        if self.verdict is Verdict.INVALID:
            raise ResponseSignatureError(
                "the response's signature is INVALID: it does not match the secret of "
                f"profile {profile_label!r}; do not trust this answer"
            )
        if self.verdict is Verdict.UNSIGNED and self.has_payment_data:
            raise ResponseSignatureError(
                "the response carries payment data but no signature; do not trust this answer"
            )


def refusal_message(result: StatusResult) -> str:
    problems = "; ".join(p.summary() for p in result.problems)
    return f"the platform refused the status request (HTTP {result.http_status}): {problems}"


def status_request_body(profile: Profile, payment_id: str) -> dict:
    """The signed body of a status request: the signature covers the body without it."""
    where = f"{profile.file}: " if profile.file else ""  # the file to fix, when there is one
    if profile.project_id is None:
        raise InputError(
            f"{where}profile {profile.label!r} has no project_id "
            "(add one to the profile or set ECP_PROJECT_ID)"
        )
    if not profile.secret:
        raise InputError(f"{where}profile {profile.label!r} has no secret")
    body = {"general": {"project_id": profile.project_id, "payment_id": payment_id}}
    return embed_signature(body, sign(body, profile.secret))


def check_payment_id(payment_id: str) -> str:
    if not payment_id or not payment_id.strip():
        raise InputError("PAYMENT_ID is empty")
    if len(payment_id) > MAX_ID_LENGTH:
        raise InputError(
            f"PAYMENT_ID is {len(payment_id)} characters long; the platform allows at most "
            f"{MAX_ID_LENGTH}"
        )
    return payment_id


def payment_status(
    profile: Profile,
    payment_id: str,
    *,
    api_url: str | None = None,
    timeout: float = GATE_TIMEOUT,
    retries: int = GATE_RETRIES,
    backoff: float | None = None,  # None: defaults.GATE_BACKOFF
    transport: httpx.BaseTransport | None = None,
) -> StatusResult:
    """Ask the Gate API for the status of a payment.

    Returns the answer whatever it says (check ``raise_for_outcome()``); raises
    NetworkError when no JSON answer could be had, InputError for a bad payment id."""
    body = status_request_body(profile, check_payment_id(payment_id))
    base = (api_url or profile.api_url).rstrip("/")
    exchange = request(
        "POST",
        base + STATUS_PATH,
        json_body=body,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        transport=transport,
    )
    if exchange.status_code != 200:
        # A 4xx may still be the platform's own refusal, with its codes: show those.
        data = exchange.json_or_none()
        if data is None or not refusal_problems(data):
            raise exchange.http_failure()
    else:
        data = exchange.json_object()
    return StatusResult(
        response=data,
        http_status=exchange.status_code,
        verification=verify(data, profile.secret or ""),
        attempts=exchange.attempts,
        problems=refusal_problems(data),
    )


# --- parameter pre-check ---------------------------------------------------------------


@dataclass
class CheckResult:
    """The pre-check's answer: accepted, or the problems it found."""

    accepted: bool
    problems: list[Problem]
    http_status: int
    attempts: int
    response: dict | None  # the JSON body, when there was one


def encode_params(params: Mapping, where: str = "") -> list[tuple[str, str]]:
    """The query parameters for ``params``, each value as the Payment Page receives it.

    The rules are ``ecp url``'s (ecp_cli.payment_page.url.transmitted_value): booleans as 1/0,
    null and empty values left out, nested data refused (InputError, prefixed with
    ``where``): the page wants it as a JSON or base64 JSON string."""
    from ecp_cli.payment_page.url import transmitted_value

    pairs = []
    for key, value in params.items():
        text = transmitted_value(str(key), value, where)
        if text is not None:
            pairs.append((str(key), text))
    return pairs


def check_params(
    params: Mapping,
    *,
    check_url: str,
    timeout: float = GATE_TIMEOUT,
    retries: int = GATE_RETRIES,
    backoff: float | None = None,  # None: defaults.GATE_BACKOFF
    transport: httpx.BaseTransport | None = None,
    where: str = "",
) -> CheckResult:
    """Ask the pre-check endpoint whether the Payment Page would accept ``params``.

    200 means accepted; any other answer must carry an ``errors`` list, else it is an HTTP
    failure (NetworkError)."""
    from ecp_cli.payment_page.url import query_string

    pairs = encode_params(params, where)
    exchange = request(
        "GET",
        check_url.rstrip("/") + CHECK_PATH,
        query=query_string(pairs),
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        transport=transport,
    )
    data = exchange.json_or_none()
    problems = parse_problems(data.get("errors")) if data is not None else []
    if exchange.status_code == 200:
        # 200 is the documented "valid"; an errors list beside it still wins.
        return CheckResult(not problems, problems, 200, exchange.attempts, data)
    if not problems:
        raise exchange.http_failure()
    return CheckResult(False, problems, exchange.status_code, exchange.attempts, data)
