"""What to do about a response code: specific advice for the codes integrators meet most,
the general advice of the code's action class for every other code.

Every piece of advice says where it comes from (``Advice.source``), because a reader acts
on it:

- ``platform``: the platform says so, in its own message for the code ("Insufficient
  Funds. Do not retry") or in its documentation (docs/spec/platform.md: a payment_id may
  be used once, reuse is answered with 3041); ecp only rewords it and may point at an ecp
  command that helps;
- ``ecp``: ecp's reading of the code, its message and its category, not a platform
  statement;
- ``action class``: nothing specific is written for the code; the advice is ecp's
  general text for its action class (the last column of data/response_codes.csv).

The action class of three codes is corrected here (``ACTION_CORRECTIONS``): the reference
list gives them a class that contradicts the code's own message. docs/spec/platform.md
("Response codes: what ecp changes and adds") says why, and which odd classes stay.
"""

from ecp_cli.records import FrozenRecord

PLATFORM = "platform"
ECP = "ecp"
ACTION_CLASS = "action class"

# How ecp explain names each source.
SOURCE_TEXTS = {
    PLATFORM: "the platform's own message or documentation for this code",
    ECP: "ecp's reading of this code and its message, not a platform statement",
    ACTION_CLASS: "ecp's general advice for the code's action class",
}


class Advice(FrozenRecord):
    """text: full sentences (ecp explain, ecp show -v); short: a clause that ends a
    one-line headline ("Declined by the card issuer: card expired; <short>")."""

    __slots__ = ("text", "short", "source")

    def __init__(self, text: str, short: str, source: str) -> None:
        self.text = text
        self.short = short
        self.source = source


# --- the fallback: one text per action class ---------------------------------------------

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

# The same, as the clause that ends a headline.
SHORT_ADVICE = {
    "none": "do not retry it as it is; offer another payment method",
    "wait": "wait for the final callback",
    "retry": "the customer may try again",
    "retry-later": "retry later, an immediate retry will most likely fail the same way",
    "fix-request": "fix your request before retrying",
    "customer": "the customer must act: call their bank or pay with another card",
    "contact-support": "contact ecommpay support with the payment ID and this code",
}

_SUCCESS = Advice("Nothing to do: the operation succeeded.", "nothing to do", ACTION_CLASS)
_MERCHANT = Advice(
    "Nothing to retry: your own side declined or did not confirm the operation, so check "
    "your confirmation handler and logs for why.",
    "check your confirmation handler and logs for why",
    ACTION_CLASS,
)
# "retry" reads differently by who declined: a card, or a wallet / bank transfer.
_RETRY_SHORT = {
    "issuer": "ask the customer to try again or to pay with another card",
    "provider": "the customer may try again or choose another payment method",
}


def general_advice(category: str, action: str) -> Advice:
    """The advice every code of category and action class shares."""
    if category == "success":
        return _SUCCESS
    if category == "merchant" and action == "none":
        return _MERCHANT
    if action not in ACTION_ADVICE:
        action = "contact-support"
    short = _RETRY_SHORT.get(category, SHORT_ADVICE[action]) if action == "retry" else None
    return Advice(ACTION_ADVICE[action], short or SHORT_ADVICE[action], ACTION_CLASS)


# --- corrected action classes ------------------------------------------------------------

# code -> (the class ecp uses, the class the reference list gives). See docs/spec/platform.md.
ACTION_CORRECTIONS = {
    # "Transaction not found" is an answer about the ID asked for: asking again finds nothing.
    "3061": ("fix-request", "retry"),
    # Insufficient funds: the same card will fail again now; 10112 and 10113 are the
    # issuer's "later" and "never" variants of the same decline.
    "10105": ("customer", "retry"),
    # "processed on the provider side ... can take up to several days": not final.
    "20899": ("wait", "none"),
}


def corrected_action(code: str, listed: str) -> str:
    """The action class ecp uses for code, given the one the reference list gives."""
    correction = ACTION_CORRECTIONS.get(code)
    return correction[0] if correction is not None and correction[1] == listed else listed


# --- specific advice ----------------------------------------------------------------------


def _ecp(text: str, short: str) -> Advice:
    return Advice(text, short, ECP)


def _platform(text: str, short: str) -> Advice:
    return Advice(text, short, PLATFORM)


_SIGNATURE_CHECK = (
    "Check that the secret belongs to this project_id, then compare your string to sign "
    "with ecp sign --explain FILE (for a Payment Page link: ecp decode URL)."
)
_DO_NOT_RETRY_CARD = _platform(
    "The issuer says not to try this card again: ask the customer for another card or "
    "payment method, and do not retry it automatically.",
    "do not retry this card; ask for another card or payment method",
)
_TIMEOUT = _ecp(
    "The bank or provider did not answer in time, so the operation did not go through. The "
    "customer may try again; before your system resends anything itself, ask the payment's "
    "status (ecp status PAYMENT_ID) so that nothing is charged twice.",
    "the customer may try again; check the status before resending it yourself",
)
_TRY_AGAIN = _platform(
    "The code's message says to try again: the customer may repeat the payment now.",
    "the customer may try again",
)
_TRY_LATER = _platform(
    "The code's message says to try again later: the customer (or your system, for a "
    "recurring charge) may repeat it after a while, not at once.",
    "try again later, not at once",
)
_SUSPICIOUS = _ecp(
    "The bank or provider suspects fraud and declined. Do not retry it automatically; the "
    "customer can confirm the payment with their bank and then pay again, or use another "
    "card or method.",
    "do not retry it automatically; the customer should confirm it with their bank",
)
_PENDING = _platform(
    "The operation is still in progress (the documentation gives 9999, 19999 and 29999 to "
    "operations not finished yet): wait for the final callback, or ask the payment's "
    "status later (ecp status PAYMENT_ID).",
    "wait for the final callback",
)
_MERCHANT_BALANCE = _ecp(
    "Your merchant balance with ecommpay does not cover this payout or refund: top up the "
    "balance or contact ecommpay support. The customer can do nothing about it.",
    "your merchant balance is too low: top it up or contact ecommpay support",
)
_REFUND_TOO_LARGE = _ecp(
    "The refund is larger than what is left to refund on the payment (the amount charged "
    "minus earlier refunds): refund at most the remainder. Ask the payment's status to see "
    "its amounts.",
    "refund at most what is left on the payment",
)
_CARD_EXPIRED = _ecp(
    "The card has expired: ask the customer for a current card. For a saved card or a "
    "recurring charge, the customer must add the new card; the old token will keep failing.",
    "ask the customer for a current card",
)
_LIMIT_ON_CARD = _ecp(
    "The customer's bank or provider declined because of a limit on the card or account "
    "(the amount, or the number of payments in a period). The customer can pay a smaller "
    "amount, use another card or method, or ask their bank to raise the limit; the same "
    "payment sent again now will be declined again.",
    "a limit on the customer's card or account: another card, a smaller amount, or ask their bank",
)
_RISK_LIMIT = _ecp(
    "A limit in the platform's risk rules for your project was reached (an amount, or a "
    "number of operations in a period). Do not retry at once. The limits are agreed with "
    "ecommpay: contact support if they do not fit your business.",
    "a risk limit was hit: do not retry at once; ask ecommpay support about the limit",
)
_THREE_DS_FAILED = _ecp(
    "3-D Secure authentication did not succeed (a wrong code, the customer cancelled, or the "
    "bank's check failed). The customer may try again and complete 3-D Secure, or use "
    "another card.",
    "the customer may try again and complete 3-D Secure, or use another card",
)
_NEEDS_THREE_DS = _ecp(
    "The issuer approves this payment only with 3-D Secure (strong customer authentication). "
    "Retry it with 3-D Secure: through the Payment Page, or with 3-D Secure data in a Gate "
    "request. If your project cannot run 3-D Secure, ask ecommpay support.",
    "retry it with 3-D Secure authentication",
)

# The codes integrators meet most. Keyed by the code as data/response_codes.csv writes it.
CODE_ADVICE: dict[str, Advice] = {
    # Signatures.
    "3261": _ecp(
        "The platform computed a different signature for your request: it was signed with "
        "another project's secret, or your string to sign differs from the platform's "
        "(parameter order, booleans as 1/0, nested values, a value changed after signing). "
        + _SIGNATURE_CHECK,
        "check the secret and the string to sign (ecp sign --explain)",
    ),
    "3262": _ecp(
        "The request carried no signature: sign it with the project's secret and send it as "
        "signature (in a Gate request, general.signature); ecp sign FILE prints it.",
        "sign the request (ecp sign prints the signature)",
    ),
    # Identifiers used twice, or not found.
    "3041": _platform(
        "A payment_id can be used once in a project (compared case-insensitively), and this "
        "one was used before. Give every payment attempt a new payment_id; to learn what "
        "happened to the earlier one, ask its status (ecp status PAYMENT_ID).",
        "use a new payment_id for every attempt",
    ),
    "3230": _ecp(
        "This merchant_refund_id was used for an earlier refund: give each refund its own. "
        "If you are repeating a refund that failed or timed out, ask the payment's status "
        "first: the earlier refund may have gone through.",
        "use a new merchant_refund_id; check whether the earlier refund went through",
    ),
    "1434": _ecp(
        "The risk system took this for a repeat of an operation it has just seen (same card, "
        "amount or customer within a short time). Do not resend it automatically: check "
        "whether the first attempt succeeded before charging again.",
        "do not resend it; check whether the first attempt succeeded",
    ),
    "3613": _ecp(
        "The platform took this for a duplicate of an operation already made or under way. "
        "Ask the payment's status (ecp status PAYMENT_ID) before sending anything again: "
        "the same request sent again is rejected the same way.",
        "check the payment's status before sending it again",
    ),
    "3024": _platform(
        "The payment_id is missing or not valid: it must be a non-empty text of at most 255 "
        "characters, unique in the project.",
        "send a valid payment_id (text, at most 255 characters)",
    ),
    "3061": _ecp(
        "The platform has no payment or operation with the ID you gave, in this project. "
        "Check the ID, that you ask with the project (profile) that created the payment, and "
        "that the payment was created at all; asking again will not find it.",
        "check the payment ID and the project it belongs to",
    ),
    "2442": _ecp(
        "The platform knows no project with this project_id: check the profile's project_id "
        "(ecp profiles show), and that a test profile is not used against production or "
        "the other way round.",
        "check the profile's project_id",
    ),
    "3221": _ecp(
        "The card token is not known to this project: check the token, and that it was "
        "created in the same project you are using now.",
        "check the card token and the project it was created in",
    ),
    # The payment's state does not allow the action.
    "3060": _ecp(
        "The action does not fit the payment's current status: for example a capture after "
        "the hold was cancelled or expired, a second capture, or a refund of a payment that "
        "has not succeeded. Ask the payment's status (ecp status PAYMENT_ID) and send only "
        "what that status allows.",
        "check the payment's status before this action (ecp status)",
    ),
    # Request validation.
    "2003": _ecp(
        "The request, or a parameter that travels as a JSON string (recurring, "
        "interface_type, payment_methods_options), is not valid JSON: check how you build it.",
        "send valid JSON",
    ),
    "2004": _ecp(
        "A required parameter is missing; the errors list of the answer names it. For a "
        "Payment Page link, ecp url --check asks the platform's pre-check before a "
        "customer sees the form.",
        "add the missing parameter the errors list names",
    ),
    "3121": _ecp(
        "The currency is not a valid ISO 4217 code, or not one this project may use: send an "
        "upper-case three-letter code the project is set up for.",
        "send a currency the project is set up for",
    ),
    "3023": _ecp(
        "The project is not set up for this currency: use another currency, or ask ecommpay "
        "support to enable it.",
        "use another currency or ask ecommpay support to enable it",
    ),
    # Limits.
    "10101": _LIMIT_ON_CARD,
    "20101": _LIMIT_ON_CARD,
    "1422": _RISK_LIMIT,
    "1433": _RISK_LIMIT,
    "2642": _ecp(
        "The amount is above the maximum allowed for this payment method or project: send a "
        "smaller amount, or ask ecommpay support what the limit is.",
        "the amount is above the limit: send a smaller one",
    ),
    "3358": _ecp(
        "The amount is below the minimum allowed for this payment method or project: send a "
        "larger amount (amounts are in minor units: 1000 is 10.00 USD).",
        "the amount is below the minimum (amounts are in minor units)",
    ),
    "903": _REFUND_TOO_LARGE,
    "3283": _REFUND_TOO_LARGE,
    # 3-D Secure.
    "104": _THREE_DS_FAILED,
    "10114": _THREE_DS_FAILED,
    "10104": _ecp(
        "The customer entered a wrong 3-D Secure code or password: they may try again.",
        "the customer may try again with the right 3-D Secure code",
    ),
    "108": _ecp(
        "The customer left during 3-D Secure on their bank's page and did not come back, so "
        "the payment was closed. They may start again; if this happens often, check that the "
        "return to your site works (redirect URLs, the page around an iframe).",
        "the customer may start again; check the return from the bank's page",
    ),
    "10205": _ecp(
        "The card is not enrolled in 3-D Secure, which this payment requires: the customer "
        "should use another card, or ask their bank to enrol this one.",
        "the customer should use a card enrolled in 3-D Secure",
    ),
    "10403": _platform(
        "The issuer asks for the payment to be made again with 3-D Secure authentication: "
        "retry it so that the customer authenticates.",
        "retry it with 3-D Secure authentication",
    ),
    "10709": _NEEDS_THREE_DS,
    "10722": _NEEDS_THREE_DS,
    # Insufficient funds.
    "10105": _ecp(
        "The card does not hold enough money for this amount. The customer can top it up or "
        "pay with another card; the same card tried again at once will most likely be "
        "declined again.",
        "the customer can top up the card or pay with another one",
    ),
    "10112": _platform(
        "The issuer says to retry later: try again after a while (a recurring charge on a "
        "later day), not at once.",
        "retry later, not at once",
    ),
    "10113": _platform(
        "The issuer says not to retry: ask the customer for another card or payment method, "
        "and do not retry this card automatically.",
        "do not retry this card; ask for another card or method",
    ),
    "20105": _ecp(
        "The customer's account with the payment provider does not hold enough money: they "
        "can top it up and try again, or choose another payment method.",
        "the customer can top up their account or choose another method",
    ),
    "504": _MERCHANT_BALANCE,
    "3028": _MERCHANT_BALANCE,
    # Issuer declines.
    "10000": _ecp(
        "The issuer declined without giving a reason. The customer may try once more or pay "
        "with another card; only their bank can tell them why it declined.",
        "the customer may try once more or use another card; their bank knows why",
    ),
    "10100": _ecp(
        "The bank or provider behind the payment declined it without a specific reason: the "
        "customer may try once more, or use another card or method.",
        "the customer may try once more or use another card or method",
    ),
    "10102": _ecp(
        "The card details entered (number, expiry date, holder name or CVV) do not match the "
        "issuer's records: the customer should check them and try again. For a saved card "
        "or a recurring charge, the stored details may be out of date: ask the customer to "
        "enter the card again.",
        "the customer should check the card details and try again",
    ),
    "10103": _ecp(
        "The CVV (or PIN) was wrong: the customer should enter it again. After too many "
        "wrong tries the issuer stops accepting them (10107).",
        "the customer should enter the CVV again",
    ),
    "10106": _CARD_EXPIRED,
    "3021": _CARD_EXPIRED,
    "10107": _ecp(
        "Too many wrong PIN or CVV entries: the issuer accepts no more tries for now. The "
        "customer must contact their bank or use another card.",
        "the customer must contact their bank or use another card",
    ),
    "10201": _ecp(
        "The issuer wants to talk to the cardholder before approving: the customer should "
        "call their bank (the number on the card) and then try again, or use another card.",
        "the customer should call their bank, then try again",
    ),
    "10202": _ecp(
        "The issuer's systems did not answer: the customer may try again in a few minutes, "
        "or use another card.",
        "the customer may try again in a few minutes",
    ),
    "10203": _ecp(
        "The issuer asks for the card to be withdrawn (reported lost, stolen or blocked). Do "
        "not retry it; ask the customer for another payment method.",
        "do not retry this card; ask for another payment method",
    ),
    "10204": _ecp(
        "The issuer does not allow this kind of payment with this card (online, cross-border "
        "or this type of merchant, for example). The customer may ask their bank to lift "
        "the restriction, or use another card.",
        "the card does not allow this payment: another card, or ask the bank",
    ),
    "10810": _DO_NOT_RETRY_CARD,
    "10811": _DO_NOT_RETRY_CARD,
    "10812": _DO_NOT_RETRY_CARD,
    # Fraud and risk.
    "402": _ecp(
        "ecommpay's risk system declined the payment. Do not retry it automatically; if you "
        "believe it is a false positive, contact ecommpay support with the payment ID.",
        "do not retry it automatically; ask ecommpay support if it looks wrong",
    ),
    "10402": _SUSPICIOUS,
    "20402": _SUSPICIOUS,
    "10807": _SUSPICIOUS,
    "10404": _DO_NOT_RETRY_CARD,
    "10405": _DO_NOT_RETRY_CARD,
    # Time-outs and "try again".
    "10602": _TIMEOUT,
    "20602": _TIMEOUT,
    "601": _TRY_AGAIN,
    "10601": _TRY_AGAIN,
    "20601": _TRY_AGAIN,
    "10603": _TRY_LATER,
    "20603": _TRY_LATER,
    "314": _ecp(
        "The provider behind this payment method is unavailable now: retry later, or offer "
        "the customer another payment method.",
        "the provider is unavailable: retry later or offer another method",
    ),
    # Not final yet.
    "9999": _PENDING,
    "19999": _PENDING,
    "29999": _PENDING,
    "20802": _ecp(
        "The provider has not said whether the payment went through: treat it as neither "
        "paid nor failed. Wait for the final callback, or ask the status later.",
        "neither paid nor failed yet: wait for the final callback",
    ),
    "20899": _platform(
        "The provider is still processing the payment, which can take up to several days: "
        "wait for the final callback, and tell the customer if needed.",
        "still processing at the provider (up to several days): wait for the final callback",
    ),
}


def advice_for(code: str, category: str, action: str) -> Advice:
    """The advice for a listed code (as data/response_codes.csv writes it), with its
    category and (corrected) action class; the action class's advice when nothing specific
    is written for it."""
    return CODE_ADVICE.get(code) or general_advice(category, action)
