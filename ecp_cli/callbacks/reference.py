"""Explanations of the platform's response codes, statuses and payment/operation types.

The facts come from two CSV files shipped in ``data/``: ``response_codes.csv`` (code,
category, the platform's own message, an action class) and ``statuses.csv`` (payment and
operation statuses with whether they are final, plus payment and operation types). The
plain-English explanations below are ours, written for a developer reading a callback.

Both files are read once, on first use, so importing this module stays cheap.
"""

from __future__ import annotations

import csv
import functools
import os
import re
from dataclasses import dataclass

_DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data")

PAYMENT_STATUS = "payment.status"
OPERATION_STATUS = "operation.status"
PAYMENT_TYPE = "payment.type"
OPERATION_TYPE = "operation.type"

# --- response codes --------------------------------------------------------------------

CATEGORY_MEANINGS = {
    "success": "The operation went through.",
    "pending": "The operation is still in progress, so this is not its final result yet.",
    "platform": (
        "The ecommpay platform itself stopped or failed the operation: a general check, a "
        "project setting or its own processing."
    ),
    "risk": (
        "The platform's risk control system rejected the operation, for example because the "
        "card, customer, IP address or email is blocked, or a limit was hit."
    ),
    "request": (
        "The request did not pass validation: a parameter is missing, malformed or not "
        "allowed for this project."
    ),
    "business": (
        "The request was well formed but broke a business rule, such as a project setting, "
        "an amount or payout limit, a card restriction or the payment's current state."
    ),
    "issuer": (
        "The card side (the issuing bank, the card scheme or the acquirer) declined the "
        "operation or could not process it."
    ),
    "provider": (
        "The alternative payment provider (a wallet, bank transfer or mobile operator, for "
        "example) declined the operation or could not process it."
    ),
    "merchant": (
        "The operation stopped because of a decision on the merchant's side, for example "
        "the merchant declined it or did not confirm it in time."
    ),
    "unknown": (
        "The code is in none of the ranges the platform documents, so where it comes from "
        "is unknown."
    ),
}

ACTION_ADVICE = {
    "none": (
        "Do not retry this payment as it is: the decision is final, so offer the customer "
        "another payment method if that makes sense."
    ),
    "wait": (
        "Do nothing yet: wait for the final callback, or ask for the payment status again "
        "in a while."
    ),
    "retry": (
        "The customer may simply try again now (re-enter the details, pass 3-D Secure "
        "again, or use another card); nothing in your request needs to change."
    ),
    "retry-later": (
        "The customer or your system may retry after some time, once the limit resets or "
        "the provider is back; an immediate retry will most likely fail the same way."
    ),
    "fix-request": (
        "Your request is wrong: fix the parameter or data the message names (amount, card "
        "or customer fields, IDs) before retrying."
    ),
    "customer": (
        "The customer must act, for example call their bank, complete extra authentication "
        "or pay with another card."
    ),
    "contact-support": (
        "You cannot fix this from your side alone: contact ecommpay support with the "
        "project ID, the payment ID and this code."
    ),
}

_SUCCESS_ADVICE = "Nothing to do: the operation succeeded."
_MERCHANT_ADVICE = (
    "Nothing to retry: your own side declined or did not confirm the operation, so check "
    "your confirmation handler and logs for why."
)

# Codes missing from the CSV get their category from the range they fall in. The action
# follows the range's general code where the CSV has one (10000, 20000, 30000, the pending
# codes), otherwise the most cautious choice for that kind of failure.
_PENDING_CODES = frozenset({9999, 19999, 29999})
_RANGES = (
    (1400, 1499, "risk", "none"),
    (2000, 2999, "request", "fix-request"),
    (3000, 3999, "business", "contact-support"),
    (10000, 10999, "issuer", "retry"),
    (20000, 20999, "provider", "retry"),
    (30000, 30999, "merchant", "none"),
)
_NOT_LISTED = "Not in the platform's list of response codes."


@dataclass(frozen=True)
class CodeInfo:
    """What a response code means and what to do about it.

    ``message`` is the platform's own text when the code is listed. ``known`` is True when
    the code is listed or its range gives the category; ``inferred`` tells the two apart.
    """

    code: str
    category: str
    message: str
    action: str
    known: bool
    meaning: str
    what_to_do: str
    inferred: bool = False


def _advice(category: str, action: str) -> str:
    if category == "success":
        return _SUCCESS_ADVICE
    if category == "merchant" and action == "none":
        return _MERCHANT_ADVICE
    return ACTION_ADVICE.get(action, ACTION_ADVICE["contact-support"])


def _read_csv(name: str) -> list[dict[str, str]]:
    # The shipped files end lines with LF (a test keeps them so); newline="" still lets the
    # csv module read a CRLF copy and the line breaks that could sit inside quoted fields.
    with open(os.path.join(_DATA_DIR, name), encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def _codes() -> dict[str, CodeInfo]:
    table: dict[str, CodeInfo] = {}
    for row in _read_csv("response_codes.csv"):
        category, action = row["category"], row["action"]
        table[row["code"]] = CodeInfo(
            code=row["code"],
            category=category,
            message=row["message"],
            action=action,
            known=True,
            meaning=CATEGORY_MEANINGS.get(category, CATEGORY_MEANINGS["unknown"]),
            what_to_do=_advice(category, action),
        )
    return table


def _normalise_code(code: str | int) -> str:
    if isinstance(code, bool):
        raise TypeError("a response code is a number, not a boolean")
    if isinstance(code, int):
        number = code
    elif isinstance(code, str):
        text = code.strip()
        # isascii() keeps out digits such as "²" that int() or isdigit() would accept.
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f"not a response code: {code!r}")
        number = int(text)
    else:
        raise TypeError(f"a response code is a number or a string, not {type(code).__name__}")
    if number < 0:
        raise ValueError(f"not a response code: {code!r}")
    return str(number)


def response_code(code: str | int) -> CodeInfo:
    """Explain a response code given as 10105, "10105" or " 10105 ".

    A listed code carries the platform's message and action. Any other code gets its
    category from the documented ranges, or category "unknown" with ``known`` False.
    Raises ValueError for text that is not a whole non-negative number.
    """
    key = _normalise_code(code)
    listed = _codes().get(key)
    if listed is not None:
        return listed
    number = int(key)
    category, action = "unknown", "contact-support"
    if number in _PENDING_CODES:
        category, action = "pending", "wait"
    else:
        for low, high, range_category, range_action in _RANGES:
            if low <= number <= high:
                category, action = range_category, range_action
                break
    known = category != "unknown"
    return CodeInfo(
        code=key,
        category=category,
        message=_NOT_LISTED,
        action=action,
        known=known,
        meaning=CATEGORY_MEANINGS[category],
        what_to_do=_advice(category, action),
        inferred=known,
    )


def all_response_codes() -> list[CodeInfo]:
    """Every listed response code, in numeric order."""
    return sorted(_codes().values(), key=lambda info: int(info.code))


# --- statuses and types ----------------------------------------------------------------

# What each status means for the merchant, keyed by the CSV spelling. A payment status
# describes the payment as a whole; an operation status describes one step inside it.
_PAYMENT_STATUS_MEANINGS = {
    "processing": (
        "The payment is being processed; wait for a final status before you ship anything."
    ),
    "awaiting 3ds result": (
        "The customer is going through 3-D Secure authentication with their bank; the "
        "payment goes on once the result comes back."
    ),
    "awaiting redirect result": (
        "The customer was sent to an outside page (a bank or payment provider) and the "
        "platform waits for them to return or for the provider's answer."
    ),
    "awaiting customer": (
        "The payment waits for the customer to pay outside the payment form, for example "
        "with a voucher or in a banking app; it ends when they do or time runs out."
    ),
    "awaiting customer action": (
        "The payment waits for an extra step the customer was asked to take, such as "
        "entering a code or confirming on their phone."
    ),
    "awaiting clarification": (
        "The payment is paused because the platform needs more data (for example customer "
        "details); it goes on once that data is submitted."
    ),
    "awaiting clarify data": (
        "The payment is paused until the additional data the platform asked for is "
        "submitted; without it the payment will not go on."
    ),
    "awaiting merchant auth": (
        "The payment waits for your side to authorise it before it continues; if you do "
        "not, it will be declined or expire."
    ),
    "awaiting approval": (
        "The payment is queued for approval (typically a payout or refund under review) "
        "and will be processed once it is approved."
    ),
    "awaiting capture": (
        "Funds are held on the customer's card after an auth; send capture to take them or "
        "cancel to release them."
    ),
    "awaiting payment": (
        "The order exists and the platform waits for the customer to actually pay it."
    ),
    "awaiting confirmation": (
        "The payment waits for your confirmation before it is processed; send the payment "
        "confirmation, otherwise it will not go through."
    ),
    "external processing": (
        "A bank or provider is processing the payment, which can take a while; wait for the "
        "final callback or ask for the status later."
    ),
    "scheduled recurring processing": (
        "A scheduled recurring charge is queued and will be attempted at its planned time."
    ),
    "invoice sent": (
        "An invoice or payment link went to the customer; the payment moves on when they "
        "pay it, or ends if it is cancelled or expires."
    ),
    "success": (
        "The payment completed: for a purchase the money was charged, for a payout it was "
        "sent; you can fulfil the order."
    ),
    "decline": (
        "The payment was declined by the bank, provider or risk checks and did not go "
        "through; the operation code and message say why."
    ),
    "error": (
        "The payment failed because of an error rather than a decline and did not go "
        "through; check the code and message before trying again."
    ),
    "internal error": (
        "The platform failed while processing the payment and it did not go through; if "
        "this repeats, contact support with the payment ID."
    ),
    "external error": (
        "The bank or provider failed while processing the payment and it did not go "
        "through; the customer may try again later."
    ),
    "expired": (
        "The payment was not completed in the time allowed (for example the customer left "
        "or best_before passed), so it was closed without charging."
    ),
    "cancelled": (
        "The payment was cancelled before any money was taken, for example a held amount "
        "was released with cancel; nothing is charged."
    ),
    "refunded": ("The whole amount of a successful payment was returned to the customer."),
    "partially refunded": (
        "Part of the amount was returned to the customer; the rest stays charged and can "
        "still be refunded."
    ),
    "reversed": (
        "The whole amount was returned by a reversal, which undoes the charge at the bank "
        "instead of sending a separate refund."
    ),
    "partially reversed": (
        "Part of the amount was returned by a reversal; the rest stays charged."
    ),
    "invoice cancelled": (
        "The invoice was cancelled before the customer paid it, so nothing will be charged."
    ),
    "decline renewal": (
        "A scheduled recurring renewal was declined, so this charge did not happen; the "
        "customer may need to update their payment details."
    ),
}

_OPERATION_STATUS_MEANINGS = {
    "processing": "This operation was accepted and is being processed; wait for its result.",
    "awaiting 3ds result": (
        "This operation waits for the customer to finish 3-D Secure authentication."
    ),
    "awaiting redirect result": (
        "This operation waits for the customer to come back from an outside page (a bank "
        "or provider) or for the provider's answer."
    ),
    "awaiting clarification": (
        "This operation is paused until the extra data the platform asked for is sent."
    ),
    "awaiting customer action": (
        "This operation waits for an extra step from the customer, such as a confirmation "
        "in their banking app."
    ),
    "awaiting merchant auth": (
        "This operation waits for your side to authorise it before it continues."
    ),
    "awaiting customer": (
        "This operation waits for the customer to pay outside the payment form, for "
        "example with a voucher or in an app."
    ),
    "awaiting approval": (
        "This operation is queued for approval (a manual or risk review) before it is processed."
    ),
    "external processing": (
        "This operation was handed to a bank or provider and waits for its answer."
    ),
    "awaiting payment": (
        "This operation waits for the customer to pay, for example an issued invoice or voucher."
    ),
    "invoice sent": "An invoice for this operation went to the customer and awaits payment.",
    "awaiting confirmation": ("This operation waits for your confirmation before it is processed."),
    "success": (
        "This operation (a sale, auth, capture, refund, payout ...) completed successfully."
    ),
    "decline": ("This operation was declined; its code and message say by whom and why."),
    "error": "This operation failed with an error and did not complete.",
    "internal error": (
        "The platform failed while processing this operation and it did not complete."
    ),
    "external error": (
        "The bank or provider failed while processing this operation and it did not complete."
    ),
    "expired": "This operation was not completed in time and was closed.",
    "invoice cancelled": ("The invoice behind this operation was cancelled before it was paid."),
}

_PAYMENT_TYPE_MEANINGS = {
    "purchase": (
        "A payment from the customer to you, charged in one step (sale) or in two (auth, "
        "then capture)."
    ),
    "recurring": (
        "A charge to a saved card or account without the customer present, under a "
        "recurring agreement registered earlier."
    ),
    "invoice": "A payment requested by an invoice or payment link that the customer pays later.",
    "payout": ("Money sent from you to the customer's card or account, such as a withdrawal."),
    "account verification": (
        "A check that a card or account is valid and usable, without charging the customer."
    ),
}

_OPERATION_TYPE_MEANINGS = {
    "sale": "A one-step charge: the amount is authorised and taken in a single operation.",
    "auth": (
        "The first step of a two-step payment: the amount is held on the card but not taken yet."
    ),
    "capture": (
        "The second step of a two-step payment: takes all or part of the amount an auth is holding."
    ),
    "cancel": "Releases an amount held by an auth without taking it.",
    "refund": "Returns all or part of a successful payment to the customer.",
    "reversal": ("Undoes a charge at the bank, so the amount goes back without a separate refund."),
    "payout": "Sends money from you to the customer's card or account.",
    "recurring": (
        "A charge under a registered recurring agreement, made without the customer "
        "entering their details again."
    ),
    "recurring update": (
        "Changes a registered recurring agreement, such as its amount, schedule or card."
    ),
    "recurring cancel": (
        "Ends a registered recurring agreement so that no further charges are made under it."
    ),
    "account verification": "Checks that a card or account is valid without charging it.",
    "payment confirmation": ("Your confirmation that a payment waiting for it may go ahead."),
    "refund reverse": (
        "Undoes an earlier refund, so the refunded amount goes back to the merchant."
    ),
    "manual change": (
        "A change made by hand on the platform side, such as a status correction after an "
        "investigation."
    ),
    "incremental": (
        "Raises the amount an existing auth holds, for example for extras on a hotel or car "
        "rental bill."
    ),
    "invoice": "Issues an invoice (a payment request) to the customer.",
    "customer action": (
        "A step the customer performs during the payment, such as confirming it with their "
        "bank or provider."
    ),
    "capture settlement": (
        "Settles a captured amount with the bank or provider, recorded as its own operation."
    ),
    "contract registration": (
        "Registers an agreement with the provider, such as a direct debit mandate, so that "
        "charges can later be made under it."
    ),
    "commission": "A fee charged as an operation of its own.",
}

# Used only if the CSV gains a status that has no explanation above yet.
_FALLBACK_FINAL = "A final status: this payment or operation will not change any more."
_FALLBACK_INTERMEDIATE = "An intermediate status: wait for a final one."
_FALLBACK_TYPE = "A type the platform lists; ecp has no explanation for it yet."


@dataclass(frozen=True)
class StatusInfo:
    """A payment or operation status: whether it is final and what it means for you."""

    field: str
    value: str
    final: bool
    meaning: str


@dataclass(frozen=True)
class TypeInfo:
    """A payment or operation type and what it stands for."""

    field: str
    value: str
    meaning: str


def _key(term: str) -> str:
    """Fold a status or type name to one comparable form.

    "Awaiting_3DS_Result" and "awaiting 3ds result" become the same key, and so do the
    two spellings "canceled" and "cancelled", which different platform parts both send.
    """
    folded = re.sub(r"[\s_\-]+", " ", term.strip().lower())
    return re.sub(r"\bcanceled\b", "cancelled", folded)


@functools.cache
def _statuses() -> dict[str, dict[str, StatusInfo | TypeInfo]]:
    meanings = {
        PAYMENT_STATUS: _PAYMENT_STATUS_MEANINGS,
        OPERATION_STATUS: _OPERATION_STATUS_MEANINGS,
        PAYMENT_TYPE: _PAYMENT_TYPE_MEANINGS,
        OPERATION_TYPE: _OPERATION_TYPE_MEANINGS,
    }
    tables: dict[str, dict[str, StatusInfo | TypeInfo]] = {field: {} for field in meanings}
    for row in _read_csv("statuses.csv"):
        field, value = row["field"], row["value"]
        key = _key(value)
        if field not in tables or key in tables[field]:
            # The second spelling of an already-seen status ("canceled") adds nothing.
            continue
        explained = meanings[field].get(key)
        if field in (PAYMENT_TYPE, OPERATION_TYPE):
            tables[field][key] = TypeInfo(field, value, explained or _FALLBACK_TYPE)
        else:
            final = row["final"].strip().lower() == "yes"
            fallback = _FALLBACK_FINAL if final else _FALLBACK_INTERMEDIATE
            tables[field][key] = StatusInfo(field, value, final, explained or fallback)
    return tables


def _find(field: str, value: str) -> StatusInfo | TypeInfo | None:
    if not isinstance(value, str):
        return None
    return _statuses()[field].get(_key(value))


def payment_status(value: str) -> StatusInfo | None:
    """Explain a ``payment.status`` value; None if the platform does not list it."""
    found = _find(PAYMENT_STATUS, value)
    return found if isinstance(found, StatusInfo) else None


def operation_status(value: str) -> StatusInfo | None:
    """Explain an ``operation.status`` value; None if the platform does not list it."""
    found = _find(OPERATION_STATUS, value)
    return found if isinstance(found, StatusInfo) else None


def payment_type(value: str) -> str | None:
    """What a ``payment.type`` value stands for, or None if it is not listed."""
    found = _find(PAYMENT_TYPE, value)
    return found.meaning if found is not None else None


def operation_type(value: str) -> str | None:
    """What an ``operation.type`` value stands for, or None if it is not listed."""
    found = _find(OPERATION_TYPE, value)
    return found.meaning if found is not None else None


def all_statuses() -> list[StatusInfo]:
    """Every listed payment status, then every operation status, in CSV order.

    A status spelled two ways ("cancelled", "canceled") appears once.
    """
    tables = _statuses()
    return [
        info
        for field in (PAYMENT_STATUS, OPERATION_STATUS)
        for info in tables[field].values()
        if isinstance(info, StatusInfo)
    ]


def all_types() -> list[TypeInfo]:
    """Every listed payment type, then every operation type, in CSV order."""
    tables = _statuses()
    return [
        info
        for field in (PAYMENT_TYPE, OPERATION_TYPE)
        for info in tables[field].values()
        if isinstance(info, TypeInfo)
    ]


def lookup(term: str) -> list[CodeInfo | StatusInfo | TypeInfo]:
    """Everything ``term`` can stand for, for ``ecp explain``.

    Digits give one response code. Anything else is matched, ignoring case and with
    underscores or hyphens read as spaces, against payment and operation statuses, then
    payment and operation types; a name can match several ("success" is both a payment
    and an operation status). Returns an empty list when nothing matches.
    """
    if not isinstance(term, str) or not term.strip():
        return []
    text = term.strip()
    if text.isascii() and text.isdigit():
        return [response_code(text)]
    matches: list[CodeInfo | StatusInfo | TypeInfo] = []
    for field in (PAYMENT_STATUS, OPERATION_STATUS, PAYMENT_TYPE, OPERATION_TYPE):
        found = _find(field, text)
        if found is not None:
            matches.append(found)
    return matches


def suggest_term(term: str, limit: int = 3) -> list[str]:
    """Status or type names close to a mistyped ``term``, best first, for a hint."""
    if not isinstance(term, str) or not term.strip():
        return []
    import difflib  # only needed on this error path

    names: dict[str, str] = {}
    for table in _statuses().values():
        for key, info in table.items():
            names.setdefault(key, info.value)
    close = difflib.get_close_matches(_key(term), list(names), n=limit, cutoff=0.6)
    return [names[key] for key in close]
