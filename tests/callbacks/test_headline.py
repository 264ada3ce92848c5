"""headline.py: one sentence for each status and outcome, with who declined and what to do."""

import pytest

from ecp_cli.callbacks import reference
from ecp_cli.callbacks.headline import summary
from ecp_cli.callbacks.model import Callback


def standard(status, *, ptype="purchase", op_type="sale", code=None, message=None, op_sum=None):
    operation = {"type": op_type, "status": status}
    if code is not None:
        operation["code"] = code
    if message is not None:
        operation["message"] = message
    if op_sum is not None:
        operation["sum_initial"] = {"amount": op_sum, "currency": "USD"}
    return {
        "payment": {
            "id": "p-1",
            "type": ptype,
            "status": status,
            "sum": {"amount": 31415, "currency": "USD"},
        },
        "operation": operation,
    }


def headline(data) -> str:
    return summary(Callback.from_dict(data))["headline"]


def test_headlines_by_status():
    assert headline(standard("success")) == "Payment succeeded: 314.15 USD captured"
    assert headline(standard("success", ptype="payout", op_type="payout")) == (
        "Payout succeeded: 314.15 USD sent to the customer"
    )
    assert headline(standard("awaiting capture", op_type="auth")) == (
        "Not final yet: 314.15 USD is held on the card; capture it to take the money or "
        "cancel to release it"
    )
    assert headline(standard("refunded", op_type="refund")) == (
        "Refunded: 314.15 USD returned to the customer"
    )
    assert headline(standard("partially refunded", op_type="refund", op_sum=1000)) == (
        "Partially refunded: 10.00 USD returned to the customer; the rest stays charged"
    )
    assert headline(standard("expired")) == (
        "Expired: the payment was not completed in time; nothing was charged"
    )
    assert headline(standard("processing")) == (
        "Not final yet: still being processed; more callbacks will follow"
    )
    assert headline(standard("frobnicated")) == (
        'Status "frobnicated" is not one the platform documents; read the details'
    )


@pytest.mark.parametrize("spelling", ["canceled", "cancelled", "Canceled"])
def test_both_cancelled_spellings_are_one(spelling):
    model = Callback.from_dict(standard(spelling))
    assert model.payment.status.lower() == "cancelled"
    assert model.final is True
    assert summary(model)["headline"] == (
        "Cancelled: nothing was charged (any held amount was released)"
    )


def test_decline_headlines_name_who_declined_and_what_to_do():
    risk = standard("decline", code="1401", message="RCS reject. PAN is Blacklisted in RCS")
    assert headline(risk) == (
        "Declined by ecommpay risk control: RCS reject. PAN is Blacklisted in RCS; "
        "do not retry it as it is; offer another payment method"
    )
    request = standard("decline", code="109")
    assert headline(request) == (
        "Declined by the ecommpay platform: declined by AVS check; fix your request before retrying"
    )
    unknown = standard("decline", code="abc")
    assert headline(unknown) == "Declined; see the code and errors below"
    error = standard("error", code="314", message="Provider is not available now")
    assert headline(error) == (
        "Failed with an error from the ecommpay platform: provider is not available now; "
        "the provider is unavailable: retry later or offer another method"
    )
    # Codes with no advice of their own end with their action class's clause.
    limit = standard("decline", code="3106", message="Payment Constraint Invalid Monthly Payout")
    assert headline(limit) == (
        "Declined by a business rule: payment Constraint Invalid Monthly Payout; "
        "retry later, an immediate retry will most likely fail the same way"
    )
    cancelled = standard("decline", code="10301")
    assert headline(cancelled) == (
        "Declined by the card issuer: operation was cancelled; "
        "ask the customer to try again or to pay with another card"
    )
    internal = standard("internal error", code="3000")
    # 3000 is not listed: its range says "business rule", with no message to quote.
    assert headline(internal) == (
        "Failed inside the platform; contact ecommpay support with the payment ID and this code"
    )


def test_decline_reason_from_errors_when_the_operation_has_no_code():
    data = standard("decline")
    data["errors"] = [{"code": 10105, "message": "Insufficient funds on card"}]
    assert headline(data) == (
        "Declined by the card issuer: insufficient funds on card; "
        "the customer can top up the card or pay with another one"
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "10102",
            "Declined by the card issuer: incorrect data entered; "
            "the customer should check the card details and try again",
        ),
        (
            "3261",
            "Declined by a business rule: invalid signature; "
            "check the secret and the string to sign (ecp sign --explain)",
        ),
        (
            "3061",
            "Declined by a business rule: transaction not found; "
            "check the payment ID and the project it belongs to",
        ),
        (
            "10113",
            "Declined by the card issuer: insufficient Funds. Do not retry; "
            "do not retry this card; ask for another card or method",
        ),
    ],
)
def test_decline_headlines_end_with_the_codes_own_advice(code, expected):
    assert headline(standard("decline", code=code)) == expected


def test_every_documented_status_gets_a_headline():
    for info in reference.all_statuses():
        said = summary(Callback.from_dict(standard(info.value)))
        assert said["headline"], info.value
        assert said["final"] is info.final, info.value
        if not info.final:
            assert said["outcome"] == "pending", info.value
