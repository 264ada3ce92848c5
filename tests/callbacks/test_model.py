"""The callback model: every sample shape read into exact facts, money, odd input."""

import copy
import json
import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecp_cli.callbacks import model as callback
from ecp_cli.callbacks import reference
from ecp_cli.callbacks.facts import callback_facts
from ecp_cli.callbacks.model import Callback, Money
from tests.conftest import ALL_SAMPLES, load_sample


def facts_of(name: str) -> dict:
    return callback_facts(Callback.from_dict(load_sample(name)))


def without_explanations(value):
    """The facts minus the prose that comes from ecp_cli.callbacks.reference (tested there)."""
    if isinstance(value, dict):
        return {
            key: without_explanations(item)
            for key, item in value.items()
            if not key.endswith("_meaning") and key != "code_info"
        }
    if isinstance(value, list):
        return [without_explanations(item) for item in value]
    return value


def money(amount, currency, formatted):
    return {"amount": amount, "currency": currency, "formatted": formatted}


# --- every sample, exact facts -------------------------------------------------------------


def test_purchase_success_facts():
    facts = facts_of("purchase_success.json")
    assert without_explanations(facts) == {
        "shape": "standard",
        "signature_location": "top",
        "project_id": 100,
        "summary": {
            "outcome": "success",
            "final": True,
            "headline": "Payment succeeded: 10.00 RUB captured",
        },
        "payment": {
            "id": "30338174",
            "type": "purchase",
            "status": "success",
            "final": True,
            "method": "card",
            "date": "2020-08-24T07:44:44+0000",
            "description": "Успешная оплата по не 3ds-ой карте",
            "sum": money(1000, "RUB", "10.00 RUB"),
            "sum_request": None,
            "sum_real": None,
        },
        "operation": {
            "id": 100,
            "type": "sale",
            "status": "success",
            "final": True,
            "date": "2020-08-24T07:44:44+0000",
            "created_date": "2020-08-24T07:44:41+0000",
            "request_id": "a3d2c082761",
            "code": "0",
            "message": "Success",
            "eci": "07",
            "sum_initial": money(100, "RUB", "1.00 RUB"),
            "sum_converted": money(100, "RUB", "1.00 RUB"),
            "converted_differs": False,
            "provider": {
                "id": 3,
                "payment_id": "159825508",
                "auth_code": "563253",
                "endpoint_id": "test",
                "date": "2020-08-24T07:44:44+0000",
            },
        },
        "operations": [without_explanations(facts["operation"])],
        "account": {
            "number": "400002******1488",
            "brand": "visa",
            "holder": "TOKEN TESTER",
            "expiry_month": "05",
            "expiry_year": "2025",
            "expiry": "05/2025",
            "token_present": True,
        },
        "customer": {"id": "David Klein", "phone": "100"},
        "errors": [],
        "recurring": None,
        "token": None,
        "acs_present": False,
        "problems": [],
    }
    # The explanations are the reference module's, attached to the right values.
    assert facts["payment"]["type_meaning"] == reference.payment_type("purchase")
    assert facts["payment"]["status_meaning"] == reference.payment_status("success").meaning
    assert facts["operation"]["type_meaning"] == reference.operation_type("sale")
    assert facts["operation"]["status_meaning"] == reference.operation_status("success").meaning
    assert facts["operation"]["code_info"] == {
        "category": "success",
        "message": "Success",
        "action": "none",
        "meaning": "The operation went through.",
        "what_to_do": "Nothing to do: the operation succeeded.",
        "advice_source": "action class",
        "listed": True,
    }


def test_the_token_value_is_never_in_the_facts():
    for name in ALL_SAMPLES:
        data = load_sample(name)
        token = data.get("token") or (data.get("account") or {}).get("token")
        if token:
            assert token not in json.dumps(facts_of(name)), name


def test_decline_with_errors_facts():
    facts = facts_of("decline_with_errors.json")
    assert facts["shape"] == "standard"
    assert facts["summary"] == {
        "outcome": "declined",
        "final": True,
        "headline": (
            "Declined by the card issuer: insufficient funds on card; "
            "the customer can top up the card or pay with another one"
        ),
    }
    assert facts["payment"]["sum"] == money(1999, "EUR", "19.99 EUR")
    operation = facts["operation"]
    assert (operation["code"], operation["message"]) == ("10105", "Insufficient funds on card")
    assert operation["code_info"]["category"] == "issuer"
    # The list says "retry"; ecp corrects it (ecp_cli.callbacks.advice.ACTION_CORRECTIONS).
    assert operation["code_info"]["action"] == "customer"
    assert operation["converted_differs"] is False
    # "" in the callback means "none": not shown as an empty value.
    assert operation["provider"] == {
        "id": 1001,
        "payment_id": None,
        "auth_code": None,
        "endpoint_id": 1001,
        "date": "2025-03-11T10:15:01+0000",
    }
    assert without_explanations(facts["errors"]) == [
        {
            "code": 10105,  # a number here, as the platform sends it
            "message": "Insufficient funds on card",
            "field": None,
            "description": "Operation was declined due to insufficient funds on the card",
        }
    ]
    assert facts["errors"][0]["code_info"] == operation["code_info"]
    assert facts["account"]["number"] == "431422******0056"
    assert facts["customer"] == {"id": "customer-7"}


def test_awaiting_3ds_facts():
    facts = facts_of("awaiting_3ds_unknown_secret.json")
    assert facts["shape"] == "operations_list"
    assert facts["project_id"] == 15561
    assert facts["summary"] == {
        "outcome": "pending",
        "final": False,
        "headline": "Not final yet: waiting for 3-D Secure; more callbacks will follow",
    }
    assert facts["payment"]["sum"] == money(90, "JPY", "90 JPY")
    assert facts["payment"]["description"] is None
    operation = facts["operation"]
    assert operation["id"] == 5001855000032182
    assert operation["status"] == "awaiting 3ds result"
    assert operation["final"] is False
    assert operation["code"] == "9999"
    assert operation["code_info"]["category"] == "pending"
    assert operation["sum_initial"] == money(90, "JPY", "90 JPY")
    assert operation["sum_converted"] == money(84, "USD", "0.84 USD")
    assert operation["converted_differs"] is True
    assert operation["eci"] == "07"
    assert facts["operations"] == [operation]
    assert facts["acs_present"] is True
    assert facts["account"]["expiry"] == "03/2023"
    assert facts["customer"] == {"id": "12596", "phone": "7715934032"}


def test_legacy_operations_list_facts():
    facts = facts_of("legacy_operations_list.json")
    assert facts["shape"] == "operations_list"
    assert facts["signature_location"] == "general"
    assert facts["project_id"] == 100  # from general
    assert facts["summary"]["headline"] == "Payment succeeded: 1.00 USD captured"
    payment = facts["payment"]
    assert (payment["id"], payment["type"], payment["status"]) == ("100", "purchase", "success")
    assert payment["sum"] is None
    assert payment["sum_request"] == money(100, "USD", "1.00 USD")
    assert payment["sum_real"] == money(100, "USD", "1.00 USD")
    operation = facts["operation"]
    # The older format names the operation's amount "sum".
    assert operation["sum_initial"] == money(100, "USD", "1.00 USD")
    assert (operation["type"], operation["code"], operation["request_id"]) == (
        "sale",
        "0",
        "35e79897224cd",
    )
    assert operation["provider"] is None
    assert facts["account"]["token_present"] is True
    assert facts["problems"] == []


def test_recurring_update_facts():
    facts = facts_of("recurring_update.json")
    assert facts["shape"] == "recurring_update"
    assert facts["project_id"] == 123  # sent as the string "123"
    assert facts["payment"] is None and facts["operation"] is None
    assert facts["operations"] == []
    assert facts["summary"] == {
        "outcome": "recurring",
        "final": None,
        "headline": "Update of card-on-file agreement 321: its status is now active",
    }
    assert facts["recurring"] == {
        "id": 321,
        "status": "active",
        "type": "Y",
        "currency": "EUR",
        "period": "D",
        "period_meaning": "day",
        "interval": None,
        "time": "11",
        "start_date": None,
        "expiry_month": "12",
        "expiry_year": "2025",
        "amount": None,
    }


def test_token_callback_facts():
    facts = facts_of("tokenize_general_signature.json")
    assert facts["shape"] == "token"
    assert facts["signature_location"] == "general"
    assert facts["project_id"] == 100
    assert facts["summary"]["headline"] == (
        "Card tokenized: the token is active; store it to charge the card later"
    )
    assert facts["token"] == {
        "present": True,
        "status": "active",
        "created_at": "2020-08-24T14:14:23+0000",
        "request_id": "18c4b5a13d7",
        "action": "tokenize",
        "request_status": "success",
    }
    assert facts["account"] == {
        "number": "400002******1488",
        "brand": None,
        "holder": "Test User",
        "expiry_month": "5",
        "expiry_year": "2024",
        "expiry": "05/2024",
        "token_present": True,
    }


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_every_sample_facts_are_json_and_problem_free(name):
    facts = facts_of(name)
    assert json.loads(json.dumps(facts)) == facts
    assert facts["problems"] == []
    assert facts["shape"] in callback.SHAPES and facts["shape"] != "unrecognised"


# --- money -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (31415, "USD", "314.15 USD"),
        (90, "JPY", "90 JPY"),
        (5, "KWD", "0.005 KWD"),
        (-150, "EUR", "-1.50 EUR"),
        (31415, "ABC", "31415 ABC (unknown currency, minor units)"),
        (31415, None, "31415 (no currency)"),
    ],
)
def test_money_formatting(amount, currency, text):
    assert Money(amount, currency).formatted() == text


def test_amounts_written_as_strings_are_read_as_numbers():
    data = {"payment": {"status": "success", "sum": {"amount": "31415", "currency": "USD"}}}
    facts = callback_facts(Callback.from_dict(data))
    assert facts["payment"]["sum"] == money(31415, "USD", "314.15 USD")
    assert facts["problems"] == []


def test_a_fractional_amount_is_shown_as_sent_and_reported():
    data = {"payment": {"status": "success", "sum": {"amount": 10.5, "currency": "USD"}}}
    facts = callback_facts(Callback.from_dict(data))
    assert facts["payment"]["sum"] == money(None, "USD", "10.5 USD")
    assert facts["problems"] == ["payment.sum.amount is not a whole number of minor units: '10.5'"]


# --- odd input: never a crash, degrade to what is there ----------------------------------


def test_not_an_object():
    model = Callback.from_dict(["a", "list"])
    assert model.shape == "unrecognised"
    assert callback_facts(model)["problems"] == ["the message is a list, not an object"]


def test_strings_where_objects_belong():
    data = {
        "project_id": "not-a-number",
        "payment": "a string",
        "operation": ["a", "list"],
        "account": 5,
        "customer": "bob",
        "errors": {"code": 1},
        "recurring": "r",
    }
    facts = callback_facts(Callback.from_dict(data))
    assert facts["project_id"] == "not-a-number"
    assert facts["shape"] == "unrecognised"
    assert facts["problems"] == [
        "payment is a string, not an object; ignored",
        "operation is a list, not an object; ignored",
        "recurring is a string, not an object; ignored",
        "account is a number, not an object; ignored",
        "customer is a string, not an object; ignored",
        "errors is an object, not a list; ignored",
    ]
    assert facts["summary"]["outcome"] == "unknown"


def test_odd_items_inside_lists():
    data = {
        "payment": {"id": 42, "status": "decline", "sum": "1000 RUB"},
        "operations": ["junk", {"status": "decline", "code": 10105}],
        "errors": ["plain text error", {"code": "not-a-code", "message": "odd"}, 7],
    }
    facts = callback_facts(Callback.from_dict(data))
    assert facts["payment"]["id"] == 42
    assert facts["payment"]["sum"] == money(None, None, "1000 RUB")
    assert facts["operation"]["code"] == "10105"  # operation codes are text
    assert [e["code"] for e in facts["errors"]] == [None, "not-a-code", None]
    assert [e["message"] for e in facts["errors"]] == ["plain text error", "odd", "7"]
    assert facts["errors"][1]["code_info"] is None
    assert facts["problems"] == [
        "operations[0] is a string, not an object; ignored",
        "payment.sum is a string, not an object",
    ]


def test_a_full_card_number_is_masked():
    data = {"account": {"number": "4000000000000077"}, "payment": {"status": "success"}}
    assert Callback.from_dict(data).account.number == "400000******0077"


def test_empty_object_is_unrecognised_not_an_error():
    facts = callback_facts(Callback.from_dict({}))
    assert facts["shape"] == "unrecognised"
    assert facts["summary"] == {
        "outcome": "unknown",
        "final": None,
        "headline": "No payment or operation status in this message; shown as it is",
    }


ODD_VALUES = [None, "", "x", "12", 0, -1, 3.5, True, [], [1, "a"], {}, {"a": {"b": 1}}]


def _mutations(data, rng, per_path=4):
    """Copies of data with one value swapped for an odd one, at every path."""
    paths = []

    def walk(node, path):
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            paths.append((*path, key))
            if isinstance(value, dict | list):
                walk(value, (*path, key))

    walk(data, ())
    for path in paths:
        for odd in rng.sample(ODD_VALUES, per_path):
            copy_ = copy.deepcopy(data)
            node = copy_
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = odd
            yield copy_


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_no_mutation_of_a_sample_makes_the_model_fail(name):
    rng = random.Random(name)
    for data in _mutations(load_sample(name), rng):
        facts = callback_facts(Callback.from_dict(data))
        json.dumps(facts)
        assert isinstance(facts["summary"]["headline"], str)


def test_zero_is_an_id_not_an_absence():
    data = {"payment": {"id": 0, "status": "success"}, "general": {"payment_id": "other"}}
    assert Callback.from_dict(data).payment.id == 0
    data = {"payment": {"status": "success"}, "general": {"payment_id": "g-1"}}
    assert Callback.from_dict(data).payment.id == "g-1"


# model.py reads numbers and card numbers with str methods, not re (importing re costs
# ecp show start-up time): the regular expressions they replaced are the oracle.
_NUMBERS = st.one_of(
    st.text(alphabet=" \t\u00a0-+0123456789\u0660\u00b2x", max_size=8),
    st.text(max_size=8),
)


@given(_NUMBERS)
def test_whole_number_reads_what_the_regular_expression_read(text):
    expected = int(text) if re.fullmatch(r"\s*-?\d+\s*", text) else None
    assert callback._whole_number(text) == expected


@given(st.one_of(_NUMBERS, st.text(alphabet="0123456789\u0660*", max_size=21)))
def test_masked_masks_what_the_regular_expression_matched(number):
    if re.fullmatch(r"\d{13,19}", number):
        assert callback._masked(number) == number[:6] + "*" * (len(number) - 10) + number[-4:]
    else:
        assert callback._masked(number) == number
