"""The Gate API and the pre-check of the sandbox, over HTTP with ecp's own clients: the
signed status, capture / cancel / refund with their state rules and callbacks."""

import pytest

from ecp_cli.http import gate, operations
from ecp_cli.profiles import Profile
from ecp_cli.signing.signature import Verdict, embed_signature, sign, verify
from tests.sandbox.conftest import OTHER_SECRET, PROJECT, SECRET


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    monkeypatch.setattr("ecp_cli.defaults.GATE_BACKOFF", 0.0)


def profile(sandbox, secret=SECRET, project_id=PROJECT):
    return Profile("test", project_id, secret, api_url=sandbox.url, check_url=sandbox.url)


def paid(sandbox, payment_id, **params):
    sandbox.pay(payment_id=payment_id, **params)
    sandbox.callbacks(1)


def test_status_answers_the_signed_payment_state(sandbox):
    paid(sandbox, "order-1")
    result = gate.payment_status(profile(sandbox), "order-1")
    result.raise_for_outcome()
    assert result.verdict is Verdict.VALID
    assert result.response["payment"]["status"] == "success"
    assert result.response["account"]["number"] == "400000******0077"
    assert result.response["operation"]["type"] == "sale"


def test_status_refusals_carry_the_platforms_codes(sandbox):
    paid(sandbox, "order-2")
    wrong = gate.payment_status(profile(sandbox, secret=OTHER_SECRET), "order-2")
    assert [(p.code, p.message) for p in wrong.problems] == [("3261", "Invalid signature")]
    missing = gate.payment_status(profile(sandbox), "order-none")
    assert [p.code for p in missing.problems] == ["3061"]
    unknown = gate.payment_status(profile(sandbox, project_id=999), "order-2")
    assert [p.code for p in unknown.problems] == ["2442"]
    broken = sandbox.client.post("/v2/payment/status", content=b"{not json")
    assert (broken.status_code, broken.json()["code"]) == (400, "2003")
    unsigned = sandbox.client.post("/v2/payment/status",
                                   json={"general": {"project_id": PROJECT, "payment_id": "x"}})
    assert unsigned.json()["code"] == "3262"
    assert sandbox.client.get("/v2/payment/status").status_code == 405


def test_an_unpaid_checkout_is_not_found(sandbox):
    sandbox.open(sandbox.link(payment_id="order-open"))
    assert [p.code for p in gate.payment_status(profile(sandbox), "order-open").problems] == [
        "3061"]


def test_capture_moves_an_auth_to_success_and_sends_its_callback(sandbox):
    paid(sandbox, "order-auth", operation_type="auth")
    result = operations.operation(profile(sandbox), "capture", "order-auth")
    result.raise_for_outcome()
    assert set(result.response) == {"status", "request_id", "project_id", "payment_id"}
    assert (result.response["status"], result.response["payment_id"]) == ("success",
                                                                           "order-auth")
    callback = sandbox.callbacks(2)[1]
    assert verify(callback, SECRET).ok
    assert (callback["payment"]["status"], callback["operation"]["type"]) == ("success",
                                                                              "capture")
    assert callback["operation"]["request_id"] == result.request_id
    again = operations.operation(profile(sandbox), "capture", "order-auth")
    assert [p.code for p in again.problems] == ["3060"]


def test_cancel_releases_an_auth(sandbox):
    paid(sandbox, "order-cancel", operation_type="auth")
    operations.operation(profile(sandbox), "cancel", "order-cancel").raise_for_outcome()
    assert sandbox.callbacks(2)[1]["payment"]["status"] == "cancelled"
    status, state = operations.wait_for_operation(profile(sandbox), "cancel", "order-cancel",
                                                  None, wait=1)  # fmt: skip
    assert state == "success" and status.response["payment"]["status"] == "cancelled"


def test_capture_and_cancel_need_a_payment_awaiting_capture(sandbox):
    paid(sandbox, "order-sale")
    for action in ("capture", "cancel"):
        result = operations.operation(profile(sandbox), action, "order-sale")
        assert [p.code for p in result.problems] == ["3060"]
        with pytest.raises(gate.PlatformError, match="3060"):
            result.raise_for_outcome()


def test_refunds_partial_then_the_rest(sandbox):
    paid(sandbox, "order-refund")
    first = operations.operation(profile(sandbox), "refund", "order-refund", amount=500,
                                 currency="EUR", refund_id="r-1")  # fmt: skip
    first.raise_for_outcome()
    partial = sandbox.callbacks(2)[1]
    assert partial["payment"]["status"] == "partially refunded"
    assert partial["payment"]["sum"] == {"amount": 1499, "currency": "EUR"}
    assert partial["operation"]["sum_initial"] == {"amount": 500, "currency": "EUR"}
    assert verify(partial, SECRET).ok
    repeat = operations.operation(profile(sandbox), "refund", "order-refund", amount=500,
                                  currency="EUR", refund_id="r-1")  # fmt: skip
    assert [p.code for p in repeat.problems] == ["3230"]
    too_much = operations.operation(profile(sandbox), "refund", "order-refund", amount=1500,
                                    currency="EUR")  # fmt: skip
    assert [p.code for p in too_much.problems] == ["3283"]
    other = operations.operation(profile(sandbox), "refund", "order-refund", amount=1,
                                 currency="USD")  # fmt: skip
    assert [p.code for p in other.problems] == ["3284"]
    operations.operation(profile(sandbox), "refund", "order-refund", amount=1499,
                         currency="EUR").raise_for_outcome()  # fmt: skip
    assert sandbox.callbacks(3)[2]["payment"]["status"] == "refunded"
    done = operations.operation(profile(sandbox), "refund", "order-refund", amount=1,
                                currency="EUR")  # fmt: skip
    assert [p.code for p in done.problems] == ["3060"]


def test_a_declined_payment_cannot_be_refunded(sandbox):
    sandbox.pay("4111111111111111", payment_id="order-declined")
    result = operations.operation(profile(sandbox), "refund", "order-declined", amount=1,
                                  currency="EUR")  # fmt: skip
    assert [p.code for p in result.problems] == ["3060"]


def test_operation_callback_goes_to_the_requests_callback_url(sandbox, receiver):
    from tests.http_endpoint import Endpoint

    paid(sandbox, "order-cb")
    with Endpoint() as other:
        operations.operation(profile(sandbox), "refund", "order-cb", amount=1999,
                             currency="EUR", callback_url=other.url).raise_for_outcome()
        sandbox.engine.dispatcher.wait_idle(5)
        assert len(other.requests) == 1 and len(receiver.requests) == 1


def test_a_bad_gate_signature_is_3261(sandbox):
    paid(sandbox, "order-sig")
    body = {"general": {"project_id": PROJECT, "payment_id": "order-sig"},
            "payment": {"amount": 1, "currency": "EUR"}}  # fmt: skip
    body = embed_signature(body, sign(body, OTHER_SECRET))
    answer = sandbox.client.post("/v2/payment/card/refund", json=body)
    assert (answer.status_code, answer.json()["code"]) == (400, "3261")


# --- pre-check -----------------------------------------------------------------------


def test_precheck_accepts_good_parameters_and_reports_problems_by_field(sandbox):
    good = gate.check_params({"project_id": PROJECT, "payment_id": "order-pc",
                              "payment_amount": 100, "payment_currency": "EUR"},
                             check_url=sandbox.url)  # fmt: skip
    assert good.accepted
    bad = gate.check_params({"project_id": PROJECT, "payment_amount": 100,
                             "payment_currency": "EURO"}, check_url=sandbox.url)  # fmt: skip
    assert not bad.accepted
    assert {(p.code, p.field) for p in bad.problems} == {("2004", "payment_id"),
                                                         ("3121", "payment_currency")}
    # Without a project the pre-check still reports every other problem.
    worse = gate.check_params({"payment_amount": 100, "payment_currency": "EURO"},
                              check_url=sandbox.url)  # fmt: skip
    assert {(p.code, p.field) for p in worse.problems} == {
        ("2004", "project_id"), ("2004", "payment_id"), ("3121", "payment_currency")}
