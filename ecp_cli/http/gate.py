"""Talking to the ecommpay platform over HTTP: the payment status request (Gate API) and the
Payment Page parameter pre-check.

Library API, free of any CLI concern::

    result = payment_status(profile, "order-42", api_url=profile.api_url)
    result.raise_for_outcome()          # PlatformError / ResponseSignatureError
    check = check_params({"project_id": 112, ...}, check_url=profile.check_url)

The exchange itself (retries, and one line for each way it can fail) is
ecp_cli.http.exchange's; it loads httpx, so the commands import this module inside their
functions and ``ecp verify`` and friends never pay for it.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from ecp_cli.defaults import GATE_RETRIES, GATE_TIMEOUT, MAX_ID_LENGTH
from ecp_cli.errors import EcpError, InputError, NetworkError
from ecp_cli.exit_codes import ExitStatus
from ecp_cli.http.exchange import request
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
        if data is None:  # an HTML page from a proxy or a captive portal says nothing
            raise NetworkError(
                f"{exchange.endpoint}: HTTP 200 but the answer is not a JSON object: "
                f"{exchange.excerpt()}"
            )
        # 200 is the documented "valid"; an errors list beside it still wins.
        return CheckResult(not problems, problems, 200, exchange.attempts, data)
    if not problems:
        raise exchange.http_failure()
    return CheckResult(False, problems, exchange.status_code, exchange.attempts, data)
