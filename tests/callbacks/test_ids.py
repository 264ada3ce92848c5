"""ids.py: the payment id and status that every ``ecp verify`` line shows."""

from types import MappingProxyType

import pytest

from ecp_cli.callbacks.ids import id_and_status, payment_id, payment_status
from tests.conftest import load_sample


def test_payment_id_and_status_helpers():
    assert payment_id(load_sample("purchase_success.json")) == "30338174"
    assert payment_id(load_sample("legacy_operations_list.json")) == "100"
    assert payment_id(load_sample("recurring_update.json")) is None
    assert payment_status(load_sample("decline_with_errors.json")) == "decline"
    assert payment_status(load_sample("tokenize_general_signature.json")) == "success"
    assert payment_status(load_sample("recurring_update.json")) == "active"


@pytest.mark.parametrize(
    "data",
    [
        {"payment": {"id": "p", "status": "success"}},
        {"payment": {"id": "", "status": "success"}, "general": {"payment_id": "g"}},
        {"payment": {"id": 5, "status": True}},
        {"payment": {"id": None, "status": None}, "request": {"status": "r"}},
        {"payment": {"status": "s"}, "general": {"payment_id": 7}},
        {"payment": "p", "general": {"payment_id": "g"}, "recurring": {"status": "x"}},
        {"payment": ["p"], "request": {"status": {"nested": 1}}},
        {"payment": {"id": {"a": 1}, "status": [1]}},
        {},
        MappingProxyType({"payment": {"id": "p", "status": "s"}}),
    ],
)
def test_id_and_status_at_once_is_what_the_two_helpers_say(data):
    assert id_and_status(data) == (payment_id(data), payment_status(data))
