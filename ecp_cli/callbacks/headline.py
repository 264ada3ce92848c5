"""The headline of a callback: what it means for the merchant, in one sentence, with the
shortest honest advice (``ecp show``'s first line, ``summary.headline`` in its JSON); the
advice is the code's, from :mod:`ecp_cli.callbacks.advice`.

Reads a :class:`ecp_cli.callbacks.model.Callback`.
"""

from ecp_cli.callbacks import reference
from ecp_cli.callbacks.model import Callback, Money


def summary(callback: Callback) -> dict:
    """``outcome`` (one word for scripts), ``final`` and ``headline``: what the message
    means for the merchant, in one sentence."""
    outcome, headline = describe_outcome(callback)
    return {"outcome": outcome, "final": callback.final, "headline": headline}

# Who stopped a payment, by the category of its response code.
_DECLINED_BY = {
    "issuer": "the card issuer",
    "provider": "the payment provider",
    "risk": "ecommpay risk control",
    "platform": "the ecommpay platform",
    "request": "request validation",
    "business": "a business rule",
    "merchant": "your side",
}

_WAITING_FOR = {
    "awaiting 3ds result": "waiting for 3-D Secure",
    "awaiting redirect result": "waiting for the customer to come back from the bank or provider",
    "awaiting customer": "waiting for the customer to pay",
    "awaiting customer action": "waiting for the customer to confirm",
    "awaiting clarification": "the platform waits for more data from you",
    "awaiting clarify data": "the platform waits for more data from you",
    "awaiting merchant auth": "waiting for your side to authorise it",
    "awaiting approval": "waiting for approval",
    "awaiting payment": "waiting for the customer to pay",
    "awaiting confirmation": "waiting for your confirmation",
    "processing": "still being processed",
    "external processing": "a bank or provider is processing it",
    "scheduled recurring processing": "a scheduled recurring charge is queued",
    "invoice sent": "the invoice waits to be paid",
}


def _sentence_part(message: str) -> str:
    # "Insufficient funds on card" reads better mid-sentence in lower case; "CVV ..." or
    # "3-D Secure ..." keep their capitals.
    if len(message) > 1 and message[0].isupper() and message[1].islower():
        return message[0].lower() + message[1:]
    return message


def _code_info(code: object) -> reference.CodeInfo | None:
    """A response code explained; None when the value is not a code at all."""
    if code is None or code == "":
        return None
    try:
        return reference.response_code(code)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _failure_reason(callback: Callback) -> tuple[reference.CodeInfo | None, str | None]:
    """The code explanation and message behind a decline or error."""
    operation = callback.operation
    info = _code_info(operation.code) if operation else None
    message = operation.message if operation else None
    if (info is None or info.category in ("success", "pending")) and callback.errors:
        first = callback.errors[0]
        info = _code_info(first.code) or info
        message = first.message or first.description or message
    if message is None and info is not None and info.known and not info.inferred:
        message = info.message  # the platform's own message for a listed code
    return info, message


def _failure_headline(callback: Callback, verb: str, joiner: str | None = "by") -> str:
    """``verb`` ("Declined"), then who (``joiner`` "by"/"from", None to leave it out),
    the reason and the shortest advice."""
    info, message = _failure_reason(callback)
    category = info.category if info else None
    who = _DECLINED_BY.get(category or "") if joiner else None
    head = f"{verb} {joiner} {who}" if who else verb
    if message:
        head += f": {_sentence_part(message)}"
    if info is None:
        return head + "; see the code and errors below"
    return f"{head}; {info.short_advice}"  # the code's own advice (see callbacks/advice.py)


def _amount_text(*candidates: Money | None) -> str | None:
    for money in candidates:
        if money is not None and money.formatted():
            return money.formatted()
    return None


def describe_outcome(callback: Callback) -> tuple[str, str]:
    """The outcome in one word for scripts (success, declined, failed, pending, refunded,
    cancelled, expired, recurring, token, unknown) and the headline sentence."""
    payment, operation = callback.payment, callback.operation
    if callback.shape == "recurring_update" and callback.recurring is not None:
        recurring = callback.recurring
        name = (
            f"card-on-file agreement {recurring.id}" if recurring.id else "card-on-file agreement"
        )
        if recurring.status:
            return "recurring", f"Update of {name}: its status is now {recurring.status}"
        return "recurring", f"Update of {name}, with no status"
    if callback.shape == "token" and callback.token is not None:
        token = callback.token
        state = reference.fold(token.request_status or "")
        if state == "success" and token.present:
            got = f"the token is {token.status}" if token.status else "a token came back"
            return "token", f"Card tokenized: {got}; store it to charge the card later"
        if state in ("decline", "error"):
            return "declined", f"Tokenization failed: the request status is {token.request_status}"
        if token.request_status:
            return "token", f"Token request status: {token.request_status}"
        return "token", "Token callback without a request status"

    status = callback.status
    if status is None:
        return "unknown", "No payment or operation status in this message; shown as it is"
    key = reference.fold(status)
    known = (
        reference.payment_status(status) if payment and payment.status else None
    ) or reference.operation_status(status)
    op_amount = operation.sum_initial if operation else None
    pay_amount = payment.amount if payment else None
    ptype = reference.fold(payment.type) if payment and payment.type else None

    if key == "success":
        amount = _amount_text(pay_amount, op_amount)
        if ptype == "payout":
            text = "Payout succeeded" + (f": {amount} sent to the customer" if amount else "")
        elif ptype == "account verification":
            text = "Card verified: it is valid and usable; nothing was charged"
        elif (
            operation is not None and operation.type and reference.fold(operation.type) == "refund"
        ):
            text = "Refund succeeded" + (f": {amount} returned" if amount else "")
        else:
            text = "Payment succeeded" + (f": {amount} captured" if amount else "")
        return "success", text
    if key in ("decline", "decline renewal"):
        verb = "Recurring renewal declined" if key == "decline renewal" else "Declined"
        return "declined", _failure_headline(callback, verb)
    if key == "error":
        return "failed", _failure_headline(callback, "Failed with an error", "from")
    if key == "internal error":
        return "failed", _failure_headline(callback, "Failed inside the platform", None)
    if key == "external error":
        return "failed", _failure_headline(callback, "Failed at the bank or provider", None)
    if key == "expired":
        return "expired", "Expired: the payment was not completed in time; nothing was charged"
    if key == "cancelled":
        return "cancelled", "Cancelled: nothing was charged (any held amount was released)"
    if key == "invoice cancelled":
        return "cancelled", "Invoice cancelled before it was paid; nothing was charged"
    if key in ("refunded", "partially refunded", "reversed", "partially reversed"):
        how = "refunded" if "refunded" in key else "reversed"
        if key.startswith("partially"):
            # The latest operation is the refund (or reversal): its amount is what went back.
            amount = _amount_text(op_amount) or "part of the amount"
            return "refunded", (
                f"Partially {how}: {amount} returned to the customer; the rest stays charged"
            )
        amount = _amount_text(pay_amount, op_amount)
        returned = f"{amount} returned" if amount else "the whole amount returned"
        return "refunded", f"{how.capitalize()}: {returned} to the customer"
    if key == "awaiting capture":
        amount = _amount_text(pay_amount, op_amount)
        held = f"{amount} is held" if amount else "the amount is held"
        return "pending", (
            f"Not final yet: {held} on the card; capture it to take the money or cancel "
            "to release it"
        )
    if known is not None and not known.final:
        waiting = _WAITING_FOR.get(key, f"the status is {status}")
        return "pending", f"Not final yet: {waiting}; more callbacks will follow"
    if known is None:
        return "unknown", f'Status "{status}" is not one the platform documents; read the details'
    return "unknown", f"Status: {status}"
