"""payment_page/url.py: parameters as transmitted and the signed URL."""

import re
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecp_cli.errors import InputError
from ecp_cli.payment_page.url import (
    NESTED_HINT,
    build_params,
    build_url,
    is_digits,
    is_language_code,
    new_payment_id,
    payment_endpoint,
)
from ecp_cli.signing.canonical import string_to_sign
from ecp_cli.signing.signature import sign, verify
from tests.anchors import SPEC_EXAMPLE as SPEC_PARAMS
from tests.anchors import SPEC_SIGNATURE
from tests.conftest import split_signed_url

HOST = "https://paymentpage.ecommpay.com"
SPEC_URL = (
    "https://paymentpage.ecommpay.com/payment?project_id=12345&close_on_missclick=1"
    "&customer_first_name=Jack&customer_id=user007&customer_last_name=Sparrow"
    "&customer_phone=02081234567&payment_amount=2035&payment_currency=USD"
    "&payment_description=Guyliner%20purchase&payment_id=X03936"
    "&signature=SyA3cx%2FdmFrwjRcpbnwEK9zaklWKR9buIfTctQob%2FEHUTutFLpI0zWpSDFEWEwbZt"
    "%2F04i83395RCdEhtUMw83A%3D%3D"
)
PURCHASE = {"payment_id": "p-1", "payment_amount": 100, "payment_currency": "EUR"}


def signed_url(fields: dict, project_id: int = 112, secret: str = "secret"):
    return build_url(HOST, build_params(fields, project_id).params, secret)


def assert_round_trips(url: str, secret: str) -> dict:
    """Parse the URL, re-sign what it carries, and demand the very signature it holds."""
    base, params, signature = split_signed_url(url)
    assert base == HOST + "/payment"
    assert sign(params, secret) == signature
    assert verify({**params, "signature": signature}, secret).ok
    return params


# --- the spec's worked example ------------------------------------------------------------


def test_spec_example_gives_the_spec_signature_inside_the_url():
    result = signed_url(SPEC_PARAMS, project_id=12345)
    assert result.signature == SPEC_SIGNATURE
    assert result.url == SPEC_URL


def test_spec_example_round_trips():
    params = assert_round_trips(SPEC_URL, "secret")
    assert params["close_on_missclick"] == "1"
    assert params["payment_description"] == "Guyliner purchase"


# --- values as transmitted ------------------------------------------------------------------


@pytest.mark.parametrize(("value", "text"), [(True, "1"), (False, "0")])
def test_booleans_travel_and_are_signed_as_1_and_0(value, text):
    result = signed_url({**PURCHASE, "close_on_missclick": value})
    assert result.params["close_on_missclick"] == text
    assert f"&close_on_missclick={text}&" in result.url
    assert f"close_on_missclick:{text};" in string_to_sign(result.params)
    assert_round_trips(result.url, "secret")


def test_empty_values_are_left_out_of_url_and_signature():
    result = signed_url({**PURCHASE, "customer_email": "", "customer_phone": None})
    assert "customer_email" not in result.params and "customer_phone" not in result.params
    assert "customer_email" not in result.url and "customer_phone" not in result.url


@pytest.mark.parametrize(
    ("value", "kind"), [({"positions": []}, "an object"), ([1, 2], "a list"), ({}, "an object")]
)
def test_nested_values_are_refused_with_the_hint(value, kind):
    with pytest.raises(InputError) as caught:
        build_params({**PURCHASE, "receipt_data": value}, 112, origins={"receipt_data": "o.json"})
    assert caught.value.message == (
        f"o.json: receipt_data is {kind}, but Payment Page parameters are flat: {NESTED_HINT}"
    )
    assert "\n" not in caught.value.message


def test_nested_data_as_a_base64_json_string_is_fine():
    encoded = "eyJwb3NpdGlvbnMiOltdfQ=="
    result = signed_url({**PURCHASE, "receipt_data": encoded})
    assert f"receipt_data={quote(encoded, safe='')}" in result.url
    assert assert_round_trips(result.url, "secret")["receipt_data"] == encoded


def test_awkward_characters_survive_the_round_trip():
    fields = {
        **PURCHASE,
        "payment_description": "a+b = c & d/e; f:g 100% ü 漢字",
        "merchant_success_url": "https://shop.example/ok?order=1&x=y#top",
        "customer_first_name": " padded ",
    }
    result = signed_url(fields)
    params = assert_round_trips(result.url, "secret")
    for key, value in fields.items():
        assert params[key] == str(value)


def test_spaces_are_percent_encoded_never_plus():
    result = signed_url({**PURCHASE, "payment_description": "two words"})
    assert "payment_description=two%20words" in result.url
    assert "+" not in result.url.split("&signature=")[0]


def test_signature_is_last_and_url_encoded():
    result = signed_url(PURCHASE)
    last = result.url.rsplit("&", 1)[1]
    assert last == "signature=" + quote(result.signature, safe="")
    assert not set("+/=") & set(last.removeprefix("signature="))


def test_frame_mode_travels_in_the_url_but_is_never_signed():
    plain = signed_url(PURCHASE)
    framed = signed_url({**PURCHASE, "frame_mode": "iframe"})
    assert "frame_mode=iframe" in framed.url
    assert framed.params["frame_mode"] == "iframe"
    assert framed.signature == plain.signature
    assert "frame_mode" not in string_to_sign(framed.params)
    assert_round_trips(framed.url, "secret")


def test_float_in_another_parameter_is_sent_as_the_text_it_is_signed_as():
    result = signed_url({**PURCHASE, "x_rate": 1.0})
    assert result.params["x_rate"] == "1"  # the text `ecp sign` signs for 1.0
    assert_round_trips(result.url, "secret")


def test_project_id_comes_first_and_from_the_profile():
    request = build_params({**PURCHASE, "customer_id": "c"}, 112)
    assert list(request.params)[0] == "project_id"
    assert request.params["project_id"] == "112"


def test_project_id_equal_to_the_profile_is_accepted():
    assert build_params({**PURCHASE, "project_id": "112"}, 112).params["project_id"] == "112"


def test_project_id_different_from_the_profile_is_refused():
    with pytest.raises(InputError, match="project_id 999 differs from the profile's 112"):
        build_params({**PURCHASE, "project_id": 999}, 112)


def test_a_given_signature_is_ignored_with_a_warning():
    request = build_params({**PURCHASE, "customer_id": "c", "signature": "old"}, 112)
    assert "signature" not in request.params
    assert request.warnings == ["the given signature is ignored; the URL gets a fresh one"]


# --- currency and amount --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "tail"),
    [("usd", "; did you mean USD?"), ("RUR", "; did you mean RUB?"), ("EURO", "; did you mean")],
)
def test_unknown_currency_is_refused_with_a_suggestion(code, tail):
    with pytest.raises(InputError) as caught:
        build_params({**PURCHASE, "payment_currency": code}, 112)
    message = caught.value.message
    assert message.startswith(f"payment_currency {code!r} is not an ISO 4217 currency code")
    assert tail in message


@pytest.mark.parametrize("amount", [-1, "-1", "3.14", 3.14, 2035.0, True, "", " 5", "5 USD"])
def test_amount_must_be_a_non_negative_integer(amount):
    fields = {**PURCHASE, "payment_amount": amount}
    with pytest.raises(InputError) as caught:
        build_params(fields, 112)
    if amount == "":
        assert caught.value.message.startswith("mode purchase needs payment_amount")
    else:
        assert "payment_amount must be a non-negative integer in minor units" in (
            caught.value.message
        )


@pytest.mark.parametrize(("amount", "text"), [(0, "0"), (31415, "31415"), ("02035", "2035")])
def test_integer_amounts_and_digit_strings_are_accepted(amount, text):
    request = build_params({**PURCHASE, "payment_amount": amount}, 112)
    assert request.params["payment_amount"] == text


# --- modes ----------------------------------------------------------------------------------


def test_card_tokenize_needs_no_payment_fields():
    request = build_params({"mode": "card_tokenize", "customer_id": "c"}, 112)
    assert request.params == {"project_id": "112", "customer_id": "c", "mode": "card_tokenize"}
    assert request.generated_payment_id is None
    assert request.warnings == []


@pytest.mark.parametrize("mode", ["purchase", "payout", "card_verify"])
def test_payment_modes_need_amount_and_currency(mode):
    with pytest.raises(InputError) as caught:
        build_params({"mode": mode, "payment_amount": 5}, 112)
    assert caught.value.message.startswith(f"mode {mode} needs payment_currency")


def test_payout_without_currency_fails():
    with pytest.raises(InputError, match="mode payout needs payment_currency"):
        build_params({"mode": "payout", "payment_amount": 5, "customer_id": "c"}, 112)


def test_unknown_mode_is_refused():
    with pytest.raises(InputError) as caught:
        build_params({"mode": "refund"}, 112, origins={"mode": "--mode"})
    assert caught.value.message == (
        "--mode: mode 'refund' is not one of: purchase, payout, card_tokenize, card_verify"
    )


@pytest.mark.parametrize("mode", [None, "purchase", "payout"])
def test_missing_customer_id_is_a_warning_for_purchase_and_payout(mode):
    fields = {**PURCHASE, "mode": mode}
    expected = mode or "purchase"
    assert build_params(fields, 112).warnings == [
        f"no customer_id: the platform expects one for a {expected}"
    ]
    assert build_params({**fields, "customer_id": "c"}, 112).warnings == []


def test_card_verify_does_not_expect_a_customer_id():
    assert build_params({**PURCHASE, "mode": "card_verify"}, 112).warnings == []


# --- payment ids ----------------------------------------------------------------------------


def test_payment_id_is_generated_when_missing_and_unique():
    fields = {"payment_amount": 1, "payment_currency": "USD", "customer_id": "c"}
    first, second = build_params(fields, 112), build_params(fields, 112)
    assert first.generated_payment_id == first.params["payment_id"]
    assert re.fullmatch(r"ecp-\d{8}T\d{6}Z-[0-9a-f]{8}", first.generated_payment_id)
    assert first.generated_payment_id != second.generated_payment_id


def test_a_given_payment_id_is_kept():
    request = build_params(PURCHASE, 112)
    assert request.params["payment_id"] == "p-1" and request.generated_payment_id is None


def test_new_payment_id_uses_utc_time():
    moment = datetime(2026, 11, 28, 20, 0, 5, tzinfo=timezone(timedelta(hours=2)))
    assert new_payment_id(moment, "abcd0123") == "ecp-20261128T180005Z-abcd0123"
    assert new_payment_id(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "x") == (
        "ecp-20260102T030405Z-x"
    )


def test_ids_longer_than_255_characters_are_refused():
    with pytest.raises(InputError, match="customer_id is longer than 255 characters"):
        build_params({**PURCHASE, "customer_id": "c" * 256}, 112)


@pytest.mark.parametrize("code", ["eng", "e", "e1", ""])
def test_language_code_must_be_two_letters(code):
    fields = {**PURCHASE, "language_code": code}
    if code == "":
        assert "language_code" not in build_params(fields, 112).params
        return
    with pytest.raises(InputError, match="language_code must be two letters"):
        build_params(fields, 112)


# --- endpoint and parsing -------------------------------------------------------------------


@pytest.mark.parametrize("base", [HOST, HOST + "/", HOST + "/payment", HOST + "/payment/"], ids=str)
def test_payment_endpoint(base):
    assert payment_endpoint(base) == HOST + "/payment"


def test_build_url_refuses_values_that_are_not_text():
    with pytest.raises(TypeError):
        build_url(HOST, {"project_id": 112}, "secret")




# url.py checks amounts and language codes with str methods (compiling a pattern costs `ecp
# url` start-up time); the regular expressions they replace are the oracle. The alphabet
# holds what str methods could take for a digit or a letter: Arabic-Indic digits, a
# superscript, letters beyond ASCII.
_CODE_TEXT = st.text(alphabet="09aZzé-+ \n\u0660\u00b2\u0131\u212a", max_size=4)


@given(_CODE_TEXT)
def test_is_digits_is_the_regular_expression(text):
    assert is_digits(text) == (re.fullmatch(r"[0-9]+", text) is not None)


@given(_CODE_TEXT)
def test_is_language_code_is_the_regular_expression(text):
    assert is_language_code(text) == (re.fullmatch(r"[A-Za-z]{2}", text) is not None)
