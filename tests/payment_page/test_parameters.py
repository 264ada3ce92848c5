"""payment_page/parameters.py: the shipped list of parameters and the typo suggestions."""

import csv

import pytest

from ecp_cli.payment_page import parameters as params
from tests.anchors import SPEC_EXAMPLE
from tests.conftest import load_sample

# Every parameter docs/spec/platform.md names for Payment Page requests.
FROM_PLATFORM_SPEC = [
    "project_id",
    "signature",
    "payment_id",
    "payment_amount",
    "payment_currency",
    "customer_id",
    "mode",
    "payment_description",
    "language_code",
    "customer_email",
    "customer_phone",
    "customer_first_name",
    "customer_last_name",
    "customer_country",
    "operation_type",
    "card_operation_type",
    "force_payment_method",
    "merchant_callback_url",
    "merchant_success_url",
    "merchant_fail_url",
    "redirect_success_url",
    "redirect_fail_url",
    "redirect_success_mode",
    "redirect_fail_mode",
    "best_before",
    "recurring_register",
    "account_token",
    "terminal_id",
    "region_code",
    "close_on_missclick",
    "frame_mode",
    "receipt_data",
    "booking_info",
    "cash_voucher_data",
    "customer_shipping",
    "recurring",
    "interface_type",
    "payment_methods_options",
]


def test_the_data_file_is_well_formed():
    with open(params._CSV_PATH, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = [row["name"] for row in rows]
    assert len(names) == len(set(names)) == len(params.known())
    for row in rows:
        assert row["type"] in params.TYPES, row
        assert row["description"].strip(), row
        assert row["name"] == row["name"].strip().lower(), row


def test_every_parameter_of_the_platform_spec_is_known():
    missing = [name for name in FROM_PLATFORM_SPEC if not params.is_known(name)]
    assert missing == []


def test_types_of_the_parameters_that_need_special_care():
    assert params.get("payment_amount").type == "amount"
    assert params.get("payment_currency").type == "currency"
    assert params.get("close_on_missclick").type == "boolean"
    assert params.get("receipt_data").type == "base64-json"
    assert params.get("interface_type").type == "json"
    assert "never signed" in params.get("frame_mode").description
    assert set(params.names_of_type("base64-json")) >= {"receipt_data", "booking_info"}


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("payment_ammount", "payment_amount"),
        ("payment_curency", "payment_currency"),
        ("paymentAmount", "payment_amount"),
        ("PAYMENT_ID", "payment_id"),
        ("customer-email", "customer_email"),
        ("close_on_misclick", "close_on_missclick"),
        ("redirect_sucess_url", "redirect_success_url"),
    ],
)
def test_suggest_the_likely_typo(typed, meant):
    assert params.suggest(typed) == meant


@pytest.mark.parametrize("name", ["payment_amount", "frame_mode", "foo", "amount", ""])
def test_no_suggestion_for_known_names_or_names_far_from_any(name):
    assert params.suggest(name) is None


def test_unknown_names_keep_their_order_and_suggestions():
    given = {"project_id": 1, "payment_ammount": 5, "my_field": "x", "payment_id": "p"}
    assert params.unknown_names(given) == [
        ("payment_ammount", "payment_amount"),
        ("my_field", None),
    ]
    assert params.unknown_names(["signature", "Signature"]) == [("Signature", "signature")]


def test_looks_like_payment_page():
    assert params.looks_like_payment_page(SPEC_EXAMPLE)
    assert params.looks_like_payment_page({"payment_ammount": 1, "payment_id": "x"})
    assert not params.looks_like_payment_page(load_sample("purchase_success.json"))
    assert not params.looks_like_payment_page(load_sample("tokenize_general_signature.json"))
    assert not params.looks_like_payment_page({"general": {"project_id": 1}, "payment_id": "x"})
    assert not params.looks_like_payment_page({"project_id": 1, "signature": "s"})
    assert not params.looks_like_payment_page({"foo": 1})
    assert not params.looks_like_payment_page(["payment_id"])


def test_required_and_expected_parameters_by_mode():
    payment = ("project_id", "signature", "payment_id", "payment_amount", "payment_currency")
    assert params.required_for("purchase") == payment
    assert params.required_for("payout") == payment
    assert params.required_for("card_verify") == payment
    assert params.required_for("card_tokenize") == ("project_id", "signature")
    assert params.required_for("no-such-mode") == payment
    assert params.expected_for("purchase") == ("customer_id",)
    assert params.expected_for("card_tokenize") == ()


def test_parameters_equal_the_csv_rows():
    with open(params._CSV_PATH, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = {row["name"]: params.Parameter(**row) for row in rows}
    assert params.known() == expected
    assert list(params.known()) == list(expected)  # in the file's order
    assert params.get("payment_amount") == expected["payment_amount"]

