"""scenarios.py: every built-in callback verifies, carries the right statuses and codes, and
the overrides land where they should, typed."""

import json
import random
from datetime import UTC, datetime

import pytest

from ecp_cli.callbacks import scenarios
from ecp_cli.callbacks.overrides import Overrides
from ecp_cli.callbacks.scenarios import (
    SCENARIO_NAMES,
    build,
    deliveries,
    prepare,
    sign_callback,
)
from ecp_cli.errors import InputError
from ecp_cli.listen.store import summarize
from ecp_cli.signing.signature import Verdict, verify
from tests.conftest import SAMPLES, load_sample

NOW = datetime(2025, 3, 11, 10, 15, 2, tzinfo=UTC)

# scenario -> (payment status, operation type, operation status, code) of the final callback
FINAL = {
    "success": ("success", "sale", "success", "0"),
    "decline": ("decline", "sale", "decline", "10105"),
    "3ds": ("awaiting 3ds result", "sale", "awaiting 3ds result", "9999"),
    "auth": ("awaiting capture", "auth", "success", "0"),
    "capture": ("success", "capture", "success", "0"),
    "cancel": ("cancelled", "cancel", "success", "0"),
    "refund": ("refunded", "refund", "success", "0"),
    "partial-refund": ("partially refunded", "refund", "success", "0"),
    "payout": ("success", "payout", "success", "0"),
    "recurring": ("success", "recurring", "success", "0"),
    "tokenize": ("success", "tokenize", "success", None),
    "error": ("error", "sale", "error", "2004"),
}
CARDS = {
    "success": "400000******0077",
    "decline": "411111******1111",
    "3ds": "431422******0056",
    "payout": "424242******4242",
    "recurring": "400000******0119",
}


def one(name, overrides=None, **kwargs):
    kwargs.setdefault("rng", random.Random(1))
    kwargs.setdefault("now", NOW)
    return build(name, 112, overrides, **kwargs)[0]


def test_every_scenario_is_listed():
    assert set(SCENARIO_NAMES) == set(FINAL)


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_every_scenario_verifies_with_the_secret_and_only_with_it(name):
    signed = sign_callback(one(name), "secret")
    assert verify(signed, "secret").verdict is Verdict.VALID
    assert verify(signed, "another").verdict is Verdict.INVALID


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_final_statuses_and_codes(name):
    body = one(name)
    summary = summarize(body)
    assert (
        summary.payment_status,
        summary.operation_type,
        summary.operation_status,
        summary.code,
    ) == FINAL[name]


@pytest.mark.parametrize("name", [n for n in SCENARIO_NAMES if n != "tokenize"])
def test_standard_shape_is_complete(name):
    body = one(name)
    assert body["project_id"] == 112
    assert set(body["payment"]) == {"id", "type", "status", "date", "method", "sum", "description"}
    assert set(body["account"]) == {
        "number", "type", "card_holder", "expiry_month", "expiry_year", "token",
    }  # fmt: skip
    assert set(body["customer"]) == {"id"}
    operation = body["operation"]
    assert set(operation) == {
        "id", "type", "status", "date", "created_date", "request_id", "sum_initial",
        "sum_converted", "code", "message", "eci", "provider",
    }  # fmt: skip
    assert set(operation["provider"]) == {"id", "payment_id", "auth_code", "endpoint_id", "date"}
    assert isinstance(operation["id"], int) and len(str(operation["id"])) == 16
    assert isinstance(operation["code"], str)  # the platform sends the code as text
    assert body["payment"]["date"] == "2025-03-11T10:15:02+0000"
    assert operation["created_date"] < operation["date"]
    assert body["account"]["expiry_year"] == "2028"


@pytest.mark.parametrize("name, masked", sorted(CARDS.items()))
def test_test_cards_match_the_outcome(name, masked):
    assert one(name)["account"]["number"] == masked


def test_messages_come_from_the_response_code_list():
    assert one("success")["operation"]["message"] == "Success"
    assert one("decline")["operation"]["message"] == "Insufficient funds on card"
    assert one("3ds")["operation"]["message"] == "Awaiting processing"


def test_decline_carries_an_errors_list_with_a_numeric_code():
    errors = one("decline", Overrides(code="10102"))["errors"]
    assert errors == [
        {
            "code": 10102,
            "message": "Incorrect data entered",
            "field": "",
            "description": errors[0]["description"],
        }
    ]
    assert errors[0]["description"]


def test_error_scenario_names_the_field_for_request_errors():
    body = one("error")
    assert body["errors"][0]["code"] == 2004
    assert body["errors"][0]["field"] == "customer_id"
    assert one("error", Overrides(code="501"))["errors"][0]["field"] == ""


def test_3ds_intermediate_has_acs_data_on_made_up_hosts():
    acs = one("3ds")["acs"]
    assert acs["acs_url"] == "https://acs.ecp-test.invalid/challenge"
    assert set(acs) == {"acs_url", "pa_req", "md", "term_url"}


def test_refunds_report_the_balance_and_the_refunded_amount():
    full = one("refund", Overrides(amount=1000))
    assert full["payment"]["sum"] == {"amount": 0, "currency": "EUR"}
    assert full["operation"]["sum_initial"] == {"amount": 1000, "currency": "EUR"}
    part = one("partial-refund", Overrides(amount=1001))
    assert part["payment"]["sum"]["amount"] == 501
    assert part["operation"]["sum_initial"]["amount"] == 500


def test_tokenize_is_gate_style_with_general_signature():
    body = one("tokenize")
    assert set(body) == {
        "card", "general", "request", "customer", "token", "token_status", "token_created_at",
    }  # fmt: skip
    assert body["general"] == {"project_id": 112}
    assert body["request"]["action"] == "tokenize"
    signed = sign_callback(body, "secret")
    assert "signature" not in signed
    assert set(signed["general"]) == {"project_id", "signature"}
    assert verify(signed, "secret").ok


def test_tokenize_has_the_sample_shape():
    sample = load_sample("tokenize_general_signature.json")
    body = one("tokenize")
    assert set(body) == set(sample)
    assert set(body["card"]) == set(sample["card"])


@pytest.mark.parametrize("name", [n for n in SCENARIO_NAMES if n != "tokenize"])
def test_sequence_contains_the_scenario_callback_and_shares_ids(name):
    bodies = build(name, 112, sequence=True, now=NOW, rng=random.Random(5))
    alone = build(name, 112, now=NOW, rng=random.Random(5))[0]
    assert len(bodies) == 2
    first, last = bodies
    # The scenario's own callback is the final one, except for 3ds (awaiting, then success).
    assert summarize(first if name == "3ds" else last) == summarize(alone)
    assert first["payment"]["id"] == last["payment"]["id"]
    assert first["customer"] == last["customer"]
    assert first["payment"]["date"] < last["payment"]["date"]
    # Same operation type: the same operation seen twice (same id, request id, start).
    if first["operation"]["type"] == last["operation"]["type"]:
        for key in ("id", "request_id", "created_date"):
            assert first["operation"][key] == last["operation"][key]
        assert first["operation"]["status"] != last["operation"]["status"]
    else:
        assert first["operation"]["id"] != last["operation"]["id"]


def test_3ds_sequence_is_challenge_then_success():
    first, last = build("3ds", 112, sequence=True, now=NOW)
    assert summarize(first).operation_status == "awaiting 3ds result"
    assert summarize(last).payment_status == "success"
    assert last["operation"]["eci"] == "05"  # authenticated with 3-D Secure
    assert "acs" not in last


def test_tokenize_sequence_has_only_the_final_callback():
    assert len(build("tokenize", 112, sequence=True)) == 1


def test_same_seed_same_ids():
    a = build("success", 112, now=NOW, rng=random.Random(9))
    b = build("success", 112, now=NOW, rng=random.Random(9))
    assert a == b
    assert build("success", 112, now=NOW, rng=random.Random(10)) != a


def test_payment_id_amount_currency_overrides():
    body = one("success", Overrides(payment_id="order-7", amount=500, currency="JPY"))
    assert body["payment"]["id"] == "order-7"
    assert body["payment"]["sum"] == {"amount": 500, "currency": "JPY"}
    assert body["operation"]["sum_initial"] == {"amount": 500, "currency": "JPY"}
    assert body["operation"]["sum_converted"] == {"amount": 500, "currency": "JPY"}


def test_tokenize_payment_id_goes_under_general():
    assert one("tokenize", Overrides(payment_id="p-1"))["general"]["payment_id"] == "p-1"


@pytest.mark.parametrize(
    "name, overrides, message",
    [
        ("success", Overrides(code="10105"), "--code applies to the decline and error"),
        ("tokenize", Overrides(amount=5), "tokenize callbacks carry no amount"),
        ("decline", Overrides(code="0"), "a decline needs a decline code, not a success code"),
        ("decline", Overrides(code="9999"), "not a pending code"),
        ("success", Overrides(currency="EUR", code="1"), "--code applies"),
        ("error", Overrides(code="0"), "an error needs an error code"),
        ("partial-refund", Overrides(amount=1), "at least 2"),
    ],
)
def test_override_misuse_is_an_input_error(name, overrides, message):
    with pytest.raises(InputError, match=message):
        build(name, 112, overrides)


def test_unknown_scenario_suggests_the_closest():
    with pytest.raises(InputError) as caught:
        build("sucess", 112)
    assert caught.value.message.startswith("sucess: no such scenario or file; did you mean")
    assert "'success'" in caught.value.message


def test_project_id_is_required_unless_set():
    with pytest.raises(InputError, match="no project_id"):
        build("success", None)
    body = build("success", None, Overrides(sets=[("project_id", 99)]))[0]
    assert body["project_id"] == 99


def test_sets_apply_to_every_callback_of_a_sequence_before_signing():
    overrides = Overrides(sets=[("customer.id", "user-7"), ("payment.sum.amount", 5)])
    bodies = build("3ds", 112, overrides, sequence=True)
    assert [b["customer"]["id"] for b in bodies] == ["user-7", "user-7"]
    assert [b["payment"]["sum"]["amount"] for b in bodies] == [5, 5]
    assert all(verify(sign_callback(b, "k"), "k").ok for b in bodies)


# --- files, signing, deliveries -----------------------------------------------------------


def test_bad_signature_is_well_formed_but_wrong():
    signed = sign_callback(one("success"), "secret", bad=True)
    result = verify(signed, "secret")
    assert result.verdict is Verdict.INVALID
    assert len(signed["signature"]) == 88  # base64 of 64 bytes, like a real one


def test_bad_signature_even_when_the_secret_is_the_bad_key():
    signed = sign_callback(one("success"), scenarios.BAD_SIGNATURE_KEY, bad=True)
    assert not verify(signed, scenarios.BAD_SIGNATURE_KEY).ok


def test_deliveries_duplicate_and_shuffle():
    a, b = {"n": 1}, {"n": 2}
    assert deliveries([a, b]) == [a, b]
    twice = deliveries([a, b], duplicate=True)
    assert [x["n"] for x in twice] == [1, 1, 2, 2]
    for seed in range(20):  # whatever the seed, the order really changes
        mixed = deliveries([a, b], shuffle=True, rng=random.Random(seed))
        assert [x["n"] for x in mixed] == [2, 1]
    assert deliveries([a], shuffle=True) == [a]


def test_prepare_a_scenario_gives_the_exact_wire_bytes():
    prepared, warnings = prepare("success", secret="secret", project_id=112)
    assert warnings == []
    assert json.loads(prepared[0].raw) == prepared[0].body
    assert verify(json.loads(prepared[0].raw), "secret").ok


def test_prepare_a_file_re_signs_it():
    path = str(SAMPLES / "awaiting_3ds_unknown_secret.json")
    prepared, _ = prepare(path, secret="secret", project_id=112)
    assert verify(prepared[0].body, "secret").ok


def test_prepare_keep_signature_sends_the_file_byte_for_byte():
    path = SAMPLES / "awaiting_3ds_unknown_secret.json"
    prepared, warnings = prepare(str(path), secret="secret", project_id=112, keep_signature=True)
    assert prepared[0].raw == path.read_bytes()
    assert warnings == []


def test_prepare_keep_signature_with_changes_warns(tmp_path):
    path = str(SAMPLES / "purchase_success.json")
    prepared, warnings = prepare(
        path, secret="secret", project_id=1, keep_signature=True,
        overrides=Overrides(payment_id="changed"),
    )  # fmt: skip
    assert prepared[0].body["payment"]["id"] == "changed"
    assert warnings == [f"{path}: the changes make the kept signature wrong for this body"]


@pytest.mark.parametrize(
    "source, kwargs, message",
    [
        ("success", {"keep_signature": True}, "--keep-signature applies to a file"),
        ("x.json", {"keep_signature": True, "bad_signature": True}, "contradict"),
        (str(SAMPLES / "purchase_success.json"), {"sequence": True}, "--sequence works with"),
        ("missing.json", {}, "missing.json: no such file"),
        ("nope", {}, "nope: no such scenario or file"),
    ],
)
def test_prepare_refuses_contradictions(source, kwargs, message):
    with pytest.raises(InputError, match=message):
        prepare(source, secret="s", project_id=1, **kwargs)


def test_float_values_are_warned_about():
    _, warnings = prepare(
        "success", secret="s", project_id=1, overrides=Overrides(sets=[("payment.sum.amount", 1.5)])
    )
    assert warnings == [
        "success: payment:sum:amount is a float; amounts are integers in minor units and "
        "every SDK prints floats differently"
    ]
