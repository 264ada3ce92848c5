"""Built-in callback scenarios: realistic bodies, signed like the platform signs them.

Each scenario is the final callback the platform sends for one kind of event (a sale that
succeeded, a decline, a refund...), in the standard shape of docs/spec/platform.md, with
the masked number of the platform's test card that produces that outcome. ``sequence``
adds the intermediate callback(s) the platform sends before the final one, sharing the
payment and operation ids exactly as real deliveries do, so an endpoint's ordering and
deduplication (by payment.id, operation.id, operation.status) can be exercised.

Library use, no CLI involved::

    bodies = build("decline", project_id=112, overrides=Overrides(code="10102"))
    signed = [sign_callback(body, secret) for body in bodies]
"""

import json
import random
from collections.abc import Callable

from ecp_cli.callbacks.overrides import Overrides, apply_overrides, set_path
from ecp_cli.defaults import SCENARIO_AMOUNT as DEFAULT_AMOUNT
from ecp_cli.defaults import SCENARIO_CURRENCY as DEFAULT_CURRENCY
from ecp_cli.defaults import SCENARIO_DECLINE_CODE as DEFAULT_DECLINE_CODE
from ecp_cli.defaults import SCENARIO_ERROR_CODE as DEFAULT_ERROR_CODE
from ecp_cli.defaults import SCENARIO_NAMES
from ecp_cli.errors import InputError
from ecp_cli.records import FrozenRecord, Record
from ecp_cli.signing.signature import embed_signature, hmac_signature, sign, signed_string

TYPE_CHECKING = False  # typing costs `ecp callback` start-up time; _T is for annotations
# datetime.py defines every class in Python, then replaces them with _datetime's, the same
# types: importing only _datetime spares ecp callback about 4 million instructions.
if TYPE_CHECKING:  # _datetime has no type stubs: these are its classes
    from datetime import datetime, timedelta, timezone
else:
    try:
        from _datetime import datetime, timedelta, timezone
    except ImportError:  # an interpreter without the C module
        from datetime import datetime, timedelta, timezone

PENDING_CODE = "9999"  # what in-progress card operations carry
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S+0000"  # the platform's own: UTC, offset without a colon
BAD_SIGNATURE_KEY = "ecp: deliberately not the project's secret"
UTC = timezone.utc  # noqa: UP017 (datetime.UTC is this object, without importing datetime)


class TestCard(FrozenRecord):
    __slots__ = ("number", "scheme", "outcome")

    def __init__(self, number: str, scheme: str, outcome: str) -> None:
        self.number = number  # the full test card number from the platform's list
        self.scheme = scheme
        self.outcome = outcome

    @property
    def masked(self) -> str:
        """How callbacks show a card: first six and last four digits."""
        return f"{self.number[:6]}******{self.number[-4:]}"


# The platform's test cards (docs/spec/platform.md), one per kind of outcome.
CARD_SUCCESS = TestCard("4000000000000077", "visa", "success without 3-D Secure")
CARD_DECLINE = TestCard("4111111111111111", "visa", "decline")
CARD_3DS = TestCard("4314220000000056", "visa", "3-D Secure challenge, then success")
CARD_PAYOUT = TestCard("4242424242424242", "visa", "payout success")
CARD_RECURRING = TestCard("4000000000000119", "visa", "card-on-file registration succeeds")


class _Operation(Record):
    """One platform operation: its id, request id and creation time stay the same in
    every callback that reports on it (intermediate and final)."""

    __slots__ = ("id", "request_id", "created", "provider_payment_id", "auth_code")

    def __init__(
        self,
        id: int,
        request_id: str,
        created: datetime,
        provider_payment_id: str,
        auth_code: str,
    ) -> None:
        self.id = id
        self.request_id = request_id
        self.created = created
        self.provider_payment_id = provider_payment_id
        self.auth_code = auth_code


class _Context:
    """Ids and times shared by all the callbacks of one scenario run."""

    def __init__(
        self,
        *,
        scenario: str,
        project_id: int | str,
        payment_id: str,
        amount: int,
        currency: str,
        code: str | None,
        card: TestCard,
        now: datetime,
        rng: random.Random,
    ):
        self.scenario = scenario
        self.project_id = project_id
        self.payment_id = payment_id
        self.amount = amount
        self.currency = currency
        self.code = code
        self.card = card
        self.now = now
        self.rng = rng
        self.customer_id = f"customer-{rng.randrange(10_000, 99_999)}"
        self.token = _hex(rng, 40)
        self.expiry_year = str(now.year + 3)
        self._operations: dict[str, _Operation] = {}
        # The first operation starts a little before the final callback; later ones follow.
        self._clock = now - timedelta(minutes=2)

    def operation(self, role: str) -> _Operation:
        if role not in self._operations:
            self._clock += timedelta(seconds=self.rng.randrange(3, 20))
            number = len(self._operations) + 1
            self._operations[role] = _Operation(
                id=self.rng.randrange(10**15, 10**16),
                request_id=f"{_hex(self.rng, 40)}-{_hex(self.rng, 40)}-{number:08d}",
                created=self._clock,
                provider_payment_id=str(self.rng.randrange(10**8, 10**9)),
                auth_code=f"{self.rng.randrange(0, 10**6):06d}",
            )
        return self._operations[role]


def _hex(rng: random.Random, length: int) -> str:
    return f"{rng.getrandbits(length * 4):0{length}x}"


def _date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(DATE_FORMAT)


def _code_message(code: str) -> str:
    from ecp_cli.callbacks.reference import code_message

    return code_message(code)


def _sum(amount: int, currency: str) -> dict:
    return {"amount": amount, "currency": currency}


def _card_callback(
    ctx: _Context,
    at: datetime,
    payment: tuple[str, str],
    operation: tuple[str, str],
    code: str,
    *,
    payment_amount: int | None = None,
    operation_amount: int | None = None,
) -> dict:
    """A card callback in the standard shape (Payment Page and Gate).

    ``payment`` is (type, status), ``operation`` (type, status). Callbacks about the same
    operation type within one run report the same operation (same id, request id and
    creation time), as the platform's intermediate and final callbacks do."""
    op = ctx.operation(operation[0])
    card = ctx.card
    done = operation[1] in ("success", "decline")  # the provider has answered
    # ECI 05: the cardholder was fully authenticated with 3-D Secure; 07: no 3-D Secure.
    eci = "05" if card is CARD_3DS and code == "0" else "07"
    return {
        "project_id": ctx.project_id,
        "payment": {
            "id": ctx.payment_id,
            "type": payment[0],
            "status": payment[1],
            "date": _date(at),
            "method": "card",
            "sum": _sum(ctx.amount if payment_amount is None else payment_amount, ctx.currency),
            "description": f"ecp test callback ({ctx.scenario})",
        },
        "account": {
            "number": card.masked,
            "type": card.scheme,
            "card_holder": "JOHN SMITH",
            "expiry_month": "12",
            "expiry_year": ctx.expiry_year,
            "token": ctx.token,
        },
        "customer": {"id": ctx.customer_id},
        "operation": {
            "id": op.id,
            "type": operation[0],
            "status": operation[1],
            "date": _date(at),
            "created_date": _date(op.created),
            "request_id": op.request_id,
            "sum_initial": _sum(
                ctx.amount if operation_amount is None else operation_amount, ctx.currency
            ),
            "sum_converted": _sum(
                ctx.amount if operation_amount is None else operation_amount, ctx.currency
            ),
            "code": code,
            "message": _code_message(code),
            "eci": eci,
            "provider": {
                "id": 1001,
                "payment_id": op.provider_payment_id if done else "",
                "auth_code": op.auth_code if done and code == "0" else "",
                "endpoint_id": 1001,
                "date": _date(at) if done else "",
            },
        },
    }


def _errors(code: str, field_name: str = "") -> list[dict]:
    from ecp_cli.callbacks.reference import response_code

    info = response_code(code)
    return [
        {
            "code": int(code),  # errors[].code is a number on the platform, operation.code text
            "message": info.message,
            "field": field_name,
            "description": info.meaning,
        }
    ]


# --- the steps a scenario is made of ---------------------------------------------------
# Each step builds one callback at a given time. Steps of one run share the _Context, so
# an intermediate and a final callback about the same operation carry the same ids.

Step = Callable[[_Context, datetime], dict]
PURCHASE, PAYOUT, RECURRING = "purchase", "payout", "recurring"


def _sale_processing(ctx: _Context, at: datetime) -> dict:
    return _card_callback(ctx, at, (PURCHASE, "processing"), ("sale", "processing"), PENDING_CODE)


def _sale_success(ctx: _Context, at: datetime) -> dict:
    return _card_callback(ctx, at, (PURCHASE, "success"), ("sale", "success"), "0")


def _sale_decline(ctx: _Context, at: datetime) -> dict:
    code = ctx.code or DEFAULT_DECLINE_CODE
    body = _card_callback(ctx, at, (PURCHASE, "decline"), ("sale", "decline"), code)
    body["errors"] = _errors(code)
    return body


def _sale_error(ctx: _Context, at: datetime) -> dict:
    code = ctx.code or DEFAULT_ERROR_CODE
    body = _card_callback(ctx, at, (PURCHASE, "error"), ("sale", "error"), code)
    # Request validation errors (2xxx) name the parameter at fault.
    field_name = "customer_id" if len(code) == 4 and code.startswith("2") else ""
    body["errors"] = _errors(code, field_name)
    return body


def _sale_awaiting_3ds(ctx: _Context, at: datetime) -> dict:
    status = "awaiting 3ds result"
    body = _card_callback(ctx, at, (PURCHASE, status), ("sale", status), PENDING_CODE)
    # Where the customer is sent for the challenge. The .invalid addresses make plain that
    # these are made up: nothing real lives there.
    body["acs"] = {
        "acs_url": "https://acs.ecp-test.invalid/challenge",
        "pa_req": _hex(ctx.rng, 32),
        "md": _hex(ctx.rng, 48),
        "term_url": "https://paymentpage.ecp-test.invalid/3ds/return",
    }
    return body


def _auth_processing(ctx: _Context, at: datetime) -> dict:
    return _card_callback(ctx, at, (PURCHASE, "processing"), ("auth", "processing"), PENDING_CODE)


def _auth_success(ctx: _Context, at: datetime) -> dict:
    return _card_callback(ctx, at, (PURCHASE, "awaiting capture"), ("auth", "success"), "0")


def _capture_success(ctx: _Context, at: datetime) -> dict:
    return _card_callback(ctx, at, (PURCHASE, "success"), ("capture", "success"), "0")


def _cancel_success(ctx: _Context, at: datetime) -> dict:
    return _card_callback(ctx, at, (PURCHASE, "cancelled"), ("cancel", "success"), "0")


def _refund_amount(ctx: _Context) -> int:
    return ctx.amount // 2 if ctx.scenario == "partial-refund" else ctx.amount


def _refund_processing(ctx: _Context, at: datetime) -> dict:
    # While a refund runs, the payment shows "processing" and still holds its full balance.
    return _card_callback(
        ctx, at, (PURCHASE, "processing"), ("refund", "processing"), PENDING_CODE,
        operation_amount=_refund_amount(ctx),
    )  # fmt: skip


def _refund_success(ctx: _Context, at: datetime) -> dict:
    # payment.sum is the balance left after the refund; operation.sum_initial the refund.
    refunded = _refund_amount(ctx)
    status = "partially refunded" if refunded < ctx.amount else "refunded"
    return _card_callback(
        ctx, at, (PURCHASE, status), ("refund", "success"), "0",
        payment_amount=ctx.amount - refunded, operation_amount=refunded,
    )  # fmt: skip


def _payout_processing(ctx: _Context, at: datetime) -> dict:
    return _card_callback(ctx, at, (PAYOUT, "processing"), ("payout", "processing"), PENDING_CODE)


def _payout_success(ctx: _Context, at: datetime) -> dict:
    return _card_callback(ctx, at, (PAYOUT, "success"), ("payout", "success"), "0")


def _recurring_processing(ctx: _Context, at: datetime) -> dict:
    return _card_callback(
        ctx, at, (RECURRING, "processing"), ("recurring", "processing"), PENDING_CODE
    )


def _recurring_success(ctx: _Context, at: datetime) -> dict:
    return _card_callback(ctx, at, (RECURRING, "success"), ("recurring", "success"), "0")


def _tokenize(ctx: _Context, at: datetime) -> dict:
    """A token callback: Gate style, the signature under ``general``."""
    general: dict = {"project_id": ctx.project_id}
    if ctx.payment_id:
        general["payment_id"] = ctx.payment_id
    return {
        "card": {
            "number": ctx.card.masked,
            "exp_month": 12,
            "exp_year": int(ctx.expiry_year),
            "holder": "JOHN SMITH",
        },
        "general": general,
        "request": {"id": _hex(ctx.rng, 12), "action": "tokenize", "status": "success"},
        "customer": {"id": ctx.customer_id},
        "token": ctx.token,
        "token_status": "active",
        "token_created_at": _date(at),
    }


class Scenario(FrozenRecord):
    __slots__ = ("name", "summary", "card", "steps", "has_amount", "takes_code", "own_step")

    def __init__(
        self,
        name: str,
        summary: str,
        card: TestCard,
        steps: tuple[Step, ...],
        has_amount: bool = True,
        takes_code: bool = False,
        own_step: int = -1,
    ) -> None:
        self.name = name
        self.summary = summary  # what it stands for, for readers of this catalogue
        self.card = card
        self.steps = steps  # what --sequence sends: intermediate first, the final last
        self.has_amount = has_amount
        self.takes_code = takes_code
        self.own_step = own_step  # the step sent without --sequence: the final one, but 3ds's

    @property
    def own(self) -> Step:
        return self.steps[self.own_step]


_CATALOGUE: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario("success", "a sale that went through (no 3-D Secure)", CARD_SUCCESS,
                 (_sale_processing, _sale_success)),
        Scenario("decline",
                 f"a declined sale (--code, default {DEFAULT_DECLINE_CODE} insufficient funds)",
                 CARD_DECLINE, (_sale_processing, _sale_decline), takes_code=True),
        Scenario("3ds", "a sale awaiting the 3-D Secure result; --sequence adds the success",
                 CARD_3DS, (_sale_awaiting_3ds, _sale_success), own_step=0),
        Scenario("auth", "an auth: funds held, payment awaiting capture", CARD_SUCCESS,
                 (_auth_processing, _auth_success)),
        Scenario("capture", "the capture of held funds", CARD_SUCCESS,
                 (_auth_success, _capture_success)),
        Scenario("cancel", "held funds released: payment cancelled", CARD_SUCCESS,
                 (_auth_success, _cancel_success)),
        Scenario("refund", "a full refund: payment refunded", CARD_SUCCESS,
                 (_refund_processing, _refund_success)),
        Scenario("partial-refund", "half the amount refunded: payment partially refunded",
                 CARD_SUCCESS, (_refund_processing, _refund_success)),
        Scenario("payout", "a payout to a card that succeeded", CARD_PAYOUT,
                 (_payout_processing, _payout_success)),
        Scenario("recurring", "a recurring (card-on-file) charge that succeeded",
                 CARD_RECURRING, (_recurring_processing, _recurring_success)),
        Scenario("tokenize", "a card token created (Gate style, general.signature)",
                 CARD_SUCCESS, (_tokenize,), has_amount=False),
        Scenario("error",
                 f"a sale that failed with an error (--code, default {DEFAULT_ERROR_CODE})",
                 CARD_SUCCESS, (_sale_processing, _sale_error), takes_code=True),
    )
}  # fmt: skip
# In the order of ecp_cli.defaults.SCENARIO_NAMES, which the help texts list (a name
# without a scenario fails here, on import).
SCENARIOS: dict[str, Scenario] = {name: _CATALOGUE[name] for name in SCENARIO_NAMES}


def unknown_scenario(name: str) -> InputError:
    import difflib

    close = difflib.get_close_matches(name, SCENARIO_NAMES, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return InputError(
        f"{name}: no such scenario or file{hint} (scenarios: {', '.join(SCENARIO_NAMES)})"
    )


def _check_overrides(scenario: Scenario, overrides: Overrides) -> None:
    if overrides.code is not None and not scenario.takes_code:
        raise InputError(f"--code applies to the decline and error scenarios, not {scenario.name}")
    if not scenario.has_amount and (overrides.amount is not None or overrides.currency):
        raise InputError(f"{scenario.name} callbacks carry no amount or currency")
    if scenario.name == "partial-refund" and (overrides.amount or DEFAULT_AMOUNT) < 2:
        raise InputError("partial-refund needs an amount of at least 2 to refund part of it")
    if overrides.code is not None:
        from ecp_cli.callbacks.reference import response_code

        info = response_code(overrides.code)
        if scenario.name == "decline" and info.category in ("success", "pending"):
            raise InputError(
                f"--code {overrides.code}: a decline needs a decline code, "
                f"not a {info.category} code"
            )
        if scenario.name == "error" and info.category == "success":
            raise InputError(f"--code {overrides.code}: an error needs an error code, not success")


def build(
    name: str,
    project_id: int | str | None,
    overrides: Overrides | None = None,
    *,
    sequence: bool = False,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> list[dict]:
    """The unsigned callback bodies of scenario ``name``: its own callback (the final one,
    or for 3ds the one awaiting the 3-D Secure result), or with ``sequence`` every callback
    in delivery order, the final one last. ``--set`` assignments are applied to each."""
    scenario = SCENARIOS.get(name)
    if scenario is None:
        raise unknown_scenario(name)
    overrides = overrides or Overrides()
    _check_overrides(scenario, overrides)
    if project_id is None:
        if not overrides.sets_path("project_id", "general.project_id"):
            raise InputError(
                "no project_id: set one in the profile (or $ECP_PROJECT_ID), "
                "or give --set project_id=N"
            )
        project_id = 0  # replaced by the --set assignment below
    rng = rng or random.Random()
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    default_id = "" if not scenario.has_amount else f"ecp-{_hex(rng, 12)}"
    ctx = _Context(
        scenario=name,
        project_id=project_id,
        payment_id=overrides.payment_id if overrides.payment_id is not None else default_id,
        amount=overrides.amount if overrides.amount is not None else DEFAULT_AMOUNT,
        currency=overrides.currency or DEFAULT_CURRENCY,
        code=overrides.code,
        card=scenario.card,
        now=now,
        rng=rng,
    )
    bodies = []
    for index, step in enumerate(scenario.steps):
        if not sequence and step is not scenario.own:
            continue
        # Each callback of a sequence comes some seconds after the one before; the last one
        # (or the only one) is dated now.
        later = len(scenario.steps) - 1 - index if sequence else 0
        at = now - timedelta(seconds=15 * later)
        body = step(ctx, at)
        for path, value in overrides.sets:
            set_path(body, path, value)
        bodies.append(body)
    return bodies


# --- signing and deliveries ------------------------------------------------------------


def sign_callback(body: dict, secret: str, *, bad: bool = False) -> dict:
    """``body`` with its signature where the platform puts it (``general.signature`` for
    Gate-style bodies, else at the top). ``bad`` gives a well-formed signature made with
    another key, so an endpoint that checks signatures must reject it."""
    if not bad:
        return embed_signature(body, sign(body, secret))
    text = signed_string(body)
    wrong = hmac_signature(text, BAD_SIGNATURE_KEY)
    if wrong == hmac_signature(text, secret):  # only if the secret is that very text
        wrong = hmac_signature(text, BAD_SIGNATURE_KEY + "!")
    return embed_signature(body, wrong)


if TYPE_CHECKING:
    from typing import TypeVar

    _T = TypeVar("_T")  # a body, or a Prepared one


def deliveries(
    bodies: "list[_T]",
    *,
    duplicate: bool = False,
    shuffle: bool = False,
    rng: random.Random | None = None,
) -> "list[_T]":
    """The order the bodies go out in. ``duplicate`` sends each twice (the platform
    redelivers whatever did not get a 200); ``shuffle`` mixes the order so that it
    differs from the natural one whenever it can (a final callback before its
    intermediate one, a repeat after a later callback)."""
    result = [b for body in bodies for b in ((body, body) if duplicate else (body,))]
    if shuffle and len(result) > 1:
        rng = rng or random.Random()
        original = list(result)
        rng.shuffle(result)
        unchanged = all(a is b for a, b in zip(result, original, strict=True))
        if unchanged and any(item is not original[0] for item in original):
            # Same order by chance: rotate, so that out-of-order delivery really happens.
            result = original[1:] + original[:1]
    return result


def dumps(body: dict) -> bytes:
    """The bytes that go on the wire: compact JSON, UTF-8, non-ASCII as it is."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- from a scenario name or a file to the bytes on the wire ----------------------------


class Prepared(Record):
    """One callback ready to go: the body (signature included) and its exact bytes."""

    __slots__ = ("body", "raw")

    def __init__(self, body: dict, raw: bytes) -> None:
        self.body = body
        self.raw = raw


def _looks_like_path(source: str) -> bool:
    return source == "-" or "/" in source or "\\" in source or "." in source


def prepare(
    source: str,
    *,
    secret: str,
    project_id: int | str | None,
    overrides: Overrides | None = None,
    sequence: bool = False,
    bad_signature: bool = False,
    keep_signature: bool = False,
    stdin=None,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> tuple[list[Prepared], list[str]]:
    """Signed callbacks from a scenario name or a file (``-`` for stdin), and warnings
    for stderr. A file is re-signed with ``secret`` unless ``keep_signature``; kept
    without any override, its exact bytes are sent."""
    overrides = overrides or Overrides()
    if keep_signature and bad_signature:
        raise InputError("--keep-signature and --bad-signature contradict each other")
    if source in SCENARIOS:
        if keep_signature:
            raise InputError("--keep-signature applies to a file; scenarios are always signed")
        bodies = build(source, project_id, overrides, sequence=sequence, now=now, rng=rng)
        signed = [sign_callback(body, secret, bad=bad_signature) for body in bodies]
        return [Prepared(body, dumps(body)) for body in signed], _float_warnings(signed, source)
    from pathlib import Path  # a file: pathlib costs a scenario's start-up time

    from ecp_cli.documents import load_document

    if not _looks_like_path(source) and not Path(source).exists():
        raise unknown_scenario(source)
    if sequence:
        raise InputError("--sequence works with a built-in scenario, not a file")
    document = load_document(source, stdin)
    changed = bool(
        overrides.payment_id is not None
        or overrides.amount is not None
        or overrides.currency is not None
        or overrides.code is not None
        or overrides.sets
    )
    body = apply_overrides(document.data, overrides, document.source)
    warnings = _float_warnings([body], document.source)
    if keep_signature:
        if not changed and _is_json(document.raw):
            # Exactly what the file holds: its key order, spacing and number spelling.
            return [Prepared(body, document.raw.encode("utf-8"))], warnings
        from ecp_cli.signing.signature import verify

        if changed and not verify(body, secret).ok:
            warnings.append(
                f"{document.source}: the changes make the kept signature wrong for this body"
            )
        return [Prepared(body, dumps(body))], warnings
    signed_body = sign_callback(body, secret, bad=bad_signature)
    return [Prepared(signed_body, dumps(signed_body))], warnings


def _is_json(text: str) -> bool:
    from ecp_cli.documents import parse_json

    try:
        parse_json(text)
    except ValueError:
        return False
    return True


def _float_warnings(bodies: list[dict], source: str) -> list[str]:
    from ecp_cli.signing.canonical import float_paths

    found = sorted({path for body in bodies for path in float_paths(body)})
    return [
        f"{source}: {path} is a float; amounts are integers in minor units and every SDK "
        "prints floats differently"
        for path in found
    ]
