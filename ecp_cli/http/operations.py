"""The Gate API's card operations on a payment: capture, cancel and refund.

Library API, as ecp_cli.http.gate's status request (same timeouts, retries and errors,
from ecp_cli.http.exchange)::

    result = operation(profile, "refund", "order-42", amount=500, currency="EUR")
    result.raise_for_outcome()          # PlatformError when the platform refused
    final = wait_for_operation(profile, "refund", "order-42", result.request_id)

The body is the platform's: ``general`` {project_id, payment_id, merchant_callback_url?,
signature} and, for a refund (and a partial capture), ``payment`` {amount, currency,
description?, merchant_refund_id?}; the signature covers the body without it. The platform
answers at once with {status, request_id, project_id, payment_id} and reports the result
with a callback; ``wait_for_operation`` asks the status until the operation is final.

Retries (connection errors and 5xx answers) may repeat an operation whose first answer was
lost: the payment's state makes a repeated capture or cancel fail with 3060; give a refund
a merchant_refund_id, and a repeat is refused with 3230 instead of refunding twice.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import httpx

from ecp_cli import defaults
from ecp_cli.errors import InputError
from ecp_cli.http.exchange import request
from ecp_cli.http.gate import (
    PlatformError,
    Problem,
    StatusResult,
    check_payment_id,
    payment_status,
    refusal_problems,
    status_request_body,
)
from ecp_cli.profiles import Profile
from ecp_cli.signing.signature import embed_signature, sign

PATHS = {
    "capture": "/v2/payment/card/capture",
    "cancel": "/v2/payment/card/cancel",
    "refund": "/v2/payment/card/refund",
}
FINAL = frozenset({"success", "decline", "error", "internal error", "external error", "expired"})


@dataclass
class OperationResult:
    """The platform's immediate answer to an operation request."""

    action: str
    response: dict
    http_status: int
    attempts: int
    problems: list[Problem] = field(default_factory=list)  # non-empty: the platform refused

    @property
    def request_id(self) -> str | None:
        value = self.response.get("request_id")
        return value if isinstance(value, str) and value else None

    def raise_for_outcome(self) -> None:
        if self.problems:
            summary = "; ".join(problem.summary() for problem in self.problems)
            raise PlatformError(
                f"the platform refused the {self.action} (HTTP {self.http_status}): {summary}",
                self.problems,
            )


def operation_body(
    profile: Profile,
    action: str,
    payment_id: str,
    *,
    amount: int | None = None,
    currency: str | None = None,
    description: str | None = None,
    refund_id: str | None = None,
    callback_url: str | None = None,
) -> dict:
    """The signed body of a capture, cancel or refund request."""
    if action not in PATHS:
        raise InputError(f"unknown operation {action!r} (expected: {', '.join(PATHS)})")
    # The profile checks (project_id, secret) are the status request's, with their messages.
    general = status_request_body(profile, check_payment_id(payment_id))["general"]
    general.pop("signature", None)
    if callback_url:
        general["merchant_callback_url"] = callback_url
    body: dict = {"general": general}
    payment: dict = {}
    if amount is not None:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise InputError(f"--amount must be a positive integer in minor units, got {amount}")
        payment["amount"] = amount
    if currency:
        from ecp_cli.payment_page import currencies

        if not currencies.is_known(currency):
            hint = currencies.suggest(currency)
            tail = f"; did you mean {hint}?" if hint else ""
            raise InputError(f"--currency {currency!r} is not an ISO 4217 currency code{tail}")
        payment["currency"] = currency
    if description:
        payment["description"] = description
    if refund_id:
        payment["merchant_refund_id"] = refund_id
    if payment:
        body["payment"] = payment
    return embed_signature(body, sign(body, profile.secret or ""))


def operation(
    profile: Profile,
    action: str,
    payment_id: str,
    *,
    api_url: str | None = None,
    amount: int | None = None,
    currency: str | None = None,
    description: str | None = None,
    refund_id: str | None = None,
    callback_url: str | None = None,
    timeout: float = defaults.GATE_TIMEOUT,
    retries: int = defaults.GATE_RETRIES,
    backoff: float | None = None,
    transport: httpx.BaseTransport | None = None,
) -> OperationResult:
    """Ask the Gate API for a capture, cancel or refund. Returns the answer whatever it
    says (check ``raise_for_outcome()``); NetworkError when no JSON answer could be had."""
    body = operation_body(
        profile, action, payment_id, amount=amount, currency=currency,
        description=description, refund_id=refund_id, callback_url=callback_url,
    )  # fmt: skip
    base = (api_url or profile.api_url).rstrip("/")
    exchange = request(
        "POST", base + PATHS[action], json_body=body, timeout=timeout, retries=retries,
        backoff=backoff, transport=transport,
    )  # fmt: skip
    if exchange.status_code != 200:
        data = exchange.json_or_none()
        if data is None or not refusal_problems(data):
            raise exchange.http_failure()
    else:
        data = exchange.json_object()
    return OperationResult(action, data, exchange.status_code, exchange.attempts,
                           refusal_problems(data))  # fmt: skip


OPERATION_TYPES = {"capture": "capture", "cancel": "cancel", "refund": "refund"}


def operation_state(response: dict, action: str, request_id: str | None) -> str | None:
    """The status of ``action``'s operation in a status answer, or None when the answer does
    not show it yet. Reads ``operation`` or the older ``operations`` list (latest last)."""
    candidates = []
    if isinstance(response.get("operation"), dict):
        candidates.append(response["operation"])
    if isinstance(response.get("operations"), list):
        candidates.extend(op for op in reversed(response["operations"]) if isinstance(op, dict))
    for op in candidates:
        if op.get("type") != OPERATION_TYPES[action]:
            continue
        if request_id and op.get("request_id") and op.get("request_id") != request_id:
            continue
        status = op.get("status")
        return status if isinstance(status, str) else None
    return None


def wait_for_operation(
    profile: Profile,
    action: str,
    payment_id: str,
    request_id: str | None,
    *,
    api_url: str | None = None,
    wait: float = defaults.OPERATION_WAIT,
    poll: float = defaults.OPERATION_POLL,
    timeout: float = defaults.GATE_TIMEOUT,
    retries: int = defaults.GATE_RETRIES,
    sleep=time.sleep,
    clock=time.monotonic,
) -> tuple[StatusResult, str | None]:
    """Ask the status until the operation is final or ``wait`` seconds have passed:
    (the last status answer, the operation's status or None if it never showed)."""
    deadline = clock() + wait
    while True:
        result = payment_status(
            profile, payment_id, api_url=api_url, timeout=timeout, retries=retries
        )
        result.raise_for_outcome(profile.label)
        state = operation_state(result.response, action, request_id)
        if state in FINAL or clock() + poll > deadline:
            return result, state
        sleep(poll)
