"""ids.py: the payment id and status that every ``ecp verify`` line shows."""

from ecp_cli.callbacks.ids import payment_id, payment_status
from tests.conftest import load_sample


def test_payment_id_and_status_helpers():
    assert payment_id(load_sample("purchase_success.json")) == "30338174"
    assert payment_id(load_sample("legacy_operations_list.json")) == "100"
    assert payment_id(load_sample("recurring_update.json")) is None
    assert payment_status(load_sample("decline_with_errors.json")) == "decline"
    assert payment_status(load_sample("tokenize_general_signature.json")) == "success"
    assert payment_status(load_sample("recurring_update.json")) == "active"
