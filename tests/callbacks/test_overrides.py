"""overrides.py: --payment-id/--amount/--currency on a file, and --set on any field."""

import pytest

from ecp_cli.callbacks.overrides import (
    Overrides,
    apply_overrides,
    parse_assignment,
    parse_value,
    set_path,
)
from ecp_cli.errors import InputError
from tests.conftest import load_sample


@pytest.mark.parametrize(
    "text, value",
    [
        ("1999", 1999),
        ("-5", -5),
        ("1.5", 1.5),
        ("true", True),
        ("false", False),
        ("null", None),
        ('"0"', "0"),
        ("[]", []),
        ('{"a": 1}', {"a": 1}),
        ("05", "05"),  # not a JSON number: stays text, like expiry months
        ("order-42", "order-42"),
        ("", ""),
        ("[not json", "[not json"),
        ("1e3", 1000.0),
        ("True", "True"),
    ],
)
def test_set_values_are_typed(text, value):
    parsed = parse_value(text)
    assert parsed == value
    assert type(parsed) is type(value)


def test_a_broken_quoted_value_is_an_error():
    with pytest.raises(InputError, match="a quoted value must be a JSON string"):
        parse_value('"open')


def test_assignment_splits_at_the_first_equals():
    assert parse_assignment("payment.description=a=b") == ("payment.description", "a=b")
    with pytest.raises(InputError, match="expected PATH=VALUE"):
        parse_assignment("payment.id")
    with pytest.raises(InputError, match="expected a dotted path"):
        parse_assignment("payment..id=1")


def test_set_path_creates_objects_and_lists_and_indexes_lists():
    doc = {"errors": [{"code": 1}], "payment": {"id": "a"}}
    set_path(doc, "errors.0.field", "email")
    set_path(doc, "errors[1].code", 2)  # appending at the end is allowed
    set_path(doc, "payment.sum.amount", 5)
    set_path(doc, "items.0.name", "x")
    assert doc == {
        "errors": [{"code": 1, "field": "email"}, {"code": 2}],
        "payment": {"id": "a", "sum": {"amount": 5}},
        "items": [{"name": "x"}],
    }


@pytest.mark.parametrize(
    "path, message",
    [
        ("errors.5.code", "errors is a list of 1; use an index from 0 to 1"),
        ("errors.x", "errors is a list of 1"),
        ("payment.id.x", "payment.id is not an object or a list"),
        ("fresh.3", "a new list starts at index 0"),
    ],
)
def test_set_path_errors_name_the_place(path, message):
    with pytest.raises(InputError, match=message):
        set_path({"errors": [{}], "payment": {"id": "a"}}, path, 1)


def test_apply_overrides_on_a_file_touches_the_fields_its_shape_has():
    data = load_sample("decline_with_errors.json")
    body = apply_overrides(data, Overrides(payment_id="x", amount=5, currency="USD"), "f.json")
    assert body["payment"]["id"] == "x"
    assert body["payment"]["sum"] == {"amount": 5, "currency": "USD"}
    assert body["operation"]["sum_initial"] == {"amount": 5, "currency": "USD"}
    assert data["payment"]["id"] == "order-42-1"  # the original is untouched
    token = apply_overrides(
        load_sample("tokenize_general_signature.json"), Overrides(payment_id="p"), "t.json"
    )
    assert token["general"]["payment_id"] == "p"
    with pytest.raises(InputError, match="r.json: has no payment.sum for --amount"):
        apply_overrides(load_sample("recurring_update.json"), Overrides(amount=1), "r.json")
