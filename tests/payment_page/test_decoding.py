"""payment_page/decoding.py: splitting, decoding, checking and verifying Payment Page URLs."""

import base64
import json
import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecp_cli.errors import InputError
from ecp_cli.payment_page.decoding import (
    BASE64_JSON,
    JSON,
    NOTICE,
    PROBLEM,
    TEXT,
    check_parameters,
    decode_url,
    is_integer_text,
    split_url,
)
from ecp_cli.profiles import Profile
from ecp_cli.signing.signature import sign
from tests.anchors import SPEC_EXAMPLE

SECRET = "url-S3CRET-4242"
BASE = "https://paymentpage.ecommpay.com/payment"
# The worked example of the signature spec, as a URL carries it: every value is text.
PARAMS = {k: "1" if v is True else str(v) for k, v in SPEC_EXAMPLE.items()}


def url_for(params: dict, secret: str = SECRET, *, signature: str | None = None) -> str:
    """A URL as a correct integration builds it: values and signature URL-encoded."""
    signature = sign(params, secret) if signature is None else signature
    return f"{BASE}?{urlencode(params, quote_via=quote)}&signature={quote(signature, safe='')}"


def findings(params: dict) -> list[tuple[str, str | None, str]]:
    split = split_url(url_for(params))
    return [(f.code, f.parameter, f.severity) for f in check_parameters(split)]


# --- splitting ---------------------------------------------------------------------------


def test_split_keeps_order_raw_and_decoded_values():
    split = split_url(url_for(PARAMS))
    assert split.address == BASE
    assert [p.name for p in split.parameters] == [*PARAMS, "signature"]
    description = split.parameters[4]
    assert (description.raw, description.value) == ("Guyliner%20purchase", "Guyliner purchase")
    assert split.params()["signature"] == sign(PARAMS, SECRET)


def test_plus_is_read_as_a_space_as_the_platform_reads_it():
    split = split_url("https://h/payment?payment_description=a+b&signature=x+y")
    assert split.params() == {"payment_description": "a b", "signature": "x y"}


def test_a_bare_query_string_is_accepted():
    split = split_url("?project_id=1&payment_id=p")
    assert (split.address, split.params()) == ("", {"project_id": "1", "payment_id": "p"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "URL: is empty"),
        ("nonsense", "nonsense: not a Payment Page URL (expected https://host/payment?...)"),
        (
            "ftp://h/p?a=b",
            "ftp://h/p?a=b: not a Payment Page URL (expected https://host/payment?...)",
        ),
        ("https://h/payment", "https://h/payment: has no query string, so there are no parameters"),
        (
            "https://h/payment?&",
            "https://h/payment?&: has no query string, so there are no parameters",
        ),
    ],
)
def test_what_is_not_a_payment_page_url(text, message):
    with pytest.raises(InputError) as raised:
        split_url(text)
    assert raised.value.message == message


def test_nested_values_are_decoded():
    receipt = {"positions": [{"amount": 2035, "description": "Guyliner"}]}
    params = {
        **PARAMS,
        "receipt_data": base64.b64encode(json.dumps(receipt).encode()).decode(),
        "interface_type": '{"id": 23}',
        "my_blob": base64.b64encode(b'{"x": 1}').decode(),
    }
    by_name = {p.name: p for p in split_url(url_for(params)).parameters}
    assert (by_name["receipt_data"].kind, by_name["receipt_data"].decoded) == (BASE64_JSON, receipt)
    assert (by_name["interface_type"].kind, by_name["interface_type"].decoded) == (JSON, {"id": 23})
    assert (by_name["my_blob"].kind, by_name["my_blob"].decoded) == (BASE64_JSON, {"x": 1})
    assert by_name["payment_id"].kind == TEXT and by_name["signature"].kind == TEXT


def test_a_base64_parameter_that_is_not_base64_json_is_a_problem():
    split = split_url(url_for({**PARAMS, "receipt_data": "not base64!", "recurring": "{oops"}))
    messages = {f.message for f in check_parameters(split) if f.code == "bad_encoding"}
    assert messages == {"receipt_data is not base64-encoded JSON", "recurring is not valid JSON"}


# --- checking the parameters ---------------------------------------------------------------


def test_a_correct_request_has_no_findings():
    assert findings(PARAMS) == []


def test_missing_parameters_depend_on_the_mode():
    params = {k: v for k, v in PARAMS.items() if k not in ("payment_amount", "customer_id")}
    assert findings(params) == [
        ("missing_parameter", "payment_amount", PROBLEM),
        ("missing_parameter", "customer_id", NOTICE),
    ]
    tokenize = {"project_id": "1", "mode": "card_tokenize", "customer_id": "c"}
    assert findings(tokenize) == []
    assert findings({**tokenize, "mode": "tokenise"})[0] == ("unknown_mode", "mode", PROBLEM)


def test_booleans_sent_as_words():
    split = split_url(url_for({**PARAMS, "close_on_missclick": "true"}))
    (finding,) = check_parameters(split)
    assert finding.code == "boolean_as_word"
    assert finding.message == (
        "close_on_missclick=true: booleans travel as 1/0; send close_on_missclick=1 (most SDKs "
        "sign 1 but put true in the URL, which breaks the signature)"
    )
    assert findings({**PARAMS, "redirect": "yes"}) == [("bad_boolean", "redirect", PROBLEM)]


def test_amounts_that_are_not_integers():
    split = split_url(url_for({**PARAMS, "payment_amount": "20.35"}))
    (finding,) = check_parameters(split)
    assert (finding.code, finding.message) == (
        "amount_not_integer",
        "payment_amount=20.35: amounts are integers in minor units of the currency "
        "(send 2035 for 20.35 USD)",
    )
    jpy = split_url(url_for({**PARAMS, "payment_amount": "100.5", "payment_currency": "JPY"}))
    assert check_parameters(jpy)[0].message == (
        "payment_amount=100.5: amounts are integers in minor units of the currency"
    )
    assert findings({**PARAMS, "project_id": "12a"}) == [("not_integer", "project_id", PROBLEM)]


def test_unknown_currency_with_a_suggestion():
    split = split_url(url_for({**PARAMS, "payment_currency": "usd"}))
    (finding,) = check_parameters(split)
    assert (finding.code, finding.message) == (
        "unknown_currency",
        "payment_currency=usd is not an ISO 4217 currency code; did you mean USD?",
    )


def test_unknown_names_a_typo_is_a_problem_anything_else_a_notice():
    params = {**PARAMS, "payment_ammount": PARAMS["payment_amount"], "shop_ref": "7"}
    del params["payment_amount"]
    split = split_url(url_for(params))
    unknown = [f for f in check_parameters(split) if f.code == "unknown_parameter"]
    assert [(f.message, f.severity) for f in unknown] == [
        ("payment_ammount is not a Payment Page parameter; did you mean payment_amount?", PROBLEM),
        ("shop_ref is not a parameter ecp knows (it may still be valid)", NOTICE),
    ]


def test_empty_values_and_duplicates():
    split = split_url(url_for(PARAMS) + "&payment_id=again&customer_email=")
    assert [(f.code, f.parameter, f.severity) for f in check_parameters(split)] == [
        ("duplicate_parameter", "payment_id", PROBLEM),
        ("empty_value", "customer_email", NOTICE),
    ]
    assert split.params()["payment_id"] == "again"  # the last one counts


# --- verifying -----------------------------------------------------------------------------


def test_a_correct_url_is_valid_and_ok():
    report = decode_url(url_for(PARAMS), SECRET)
    assert (report.verdict, report.ok, report.diagnosis, report.findings) == (
        "valid",
        True,
        None,
        [],
    )
    assert report.string_to_sign == (
        "close_on_missclick:1;customer_first_name:Jack;customer_id:user007;customer_last_name:"
        "Sparrow;customer_phone:02081234567;payment_amount:2035;payment_currency:USD;"
        "payment_description:Guyliner purchase;payment_id:X03936;project_id:12345"
    )


def test_signature_not_url_encoded_loses_its_plus_signs():
    params = dict(PARAMS)
    for n in range(200):
        params["payment_id"] = f"order-{n}"
        if "+" in sign(params, SECRET):
            break
    raw = f"{BASE}?{urlencode(params, quote_via=quote)}&signature={sign(params, SECRET)}"
    report = decode_url(raw, SECRET)
    assert (report.verdict, report.ok) == ("invalid", False)
    assert (report.diagnosis.cause, report.diagnosis.confirmed) == ("signature_plus_as_space", True)


def test_true_in_the_url_but_1_in_the_signature():
    signature = sign(PARAMS, SECRET)  # signed with close_on_missclick=1 ...
    url = url_for({**PARAMS, "close_on_missclick": "true"}, signature=signature)  # ... sent true
    report = decode_url(url, SECRET)
    assert report.diagnosis.cause == "sdk_variant"
    assert report.diagnosis.details["variant"] == "booleans_sent_as_words"


def test_signed_for_another_profile():
    live = Profile(name="live", project_id=12345, secret="live-S3CRET")
    report = decode_url(url_for(PARAMS, "live-S3CRET"), SECRET, other_profiles=[live])
    assert report.diagnosis.cause == "other_profile"


def test_another_project_in_the_url():
    report = decode_url(url_for(PARAMS, "x"), SECRET, profile_project_id=112, profile_name="t")
    assert report.diagnosis.cause == "project_mismatch"
    assert report.diagnosis.details["body_project_id"] == 12345
    assert report.diagnosis.message.startswith(
        "The URL is for project 12345, but the profile ecp used (profile 't') is project 112"
    )


def test_unsigned_url():
    report = decode_url(f"{BASE}?{urlencode(PARAMS)}", SECRET)
    assert report.verdict == "unsigned"
    assert report.diagnosis.message == "The URL has no signature parameter."
    assert ("missing_parameter", "signature") in [(f.code, f.parameter) for f in report.findings]


def test_without_a_secret_nothing_is_verified():
    report = decode_url(url_for(PARAMS))
    assert (report.verdict, report.ok, report.diagnosis) == ("unchecked", False, None)


def test_report_as_data():
    data = decode_url(url_for({**PARAMS, "payment_currency": "usd"}), SECRET).to_dict()
    assert data["url"] == BASE
    assert data["ok"] is False
    assert data["signature"]["verdict"] == "valid"
    assert data["parameters"][0] == {
        "name": "project_id",
        "value": "12345",
        "raw": "12345",
        "kind": "text",
        "known": True,
        "type": "integer",
    }
    assert data["findings"] == [
        {
            "code": "unknown_currency",
            "parameter": "payment_currency",
            "severity": "problem",
            "message": "payment_currency=usd is not an ISO 4217 currency code; did you mean USD?",
        }
    ]
    json.dumps(data)


# decoding.py tells integers by str methods (compiling a pattern costs `ecp decode`
# start-up time); the regular expression it replaces is the oracle.
@given(st.text(alphabet="019-+. \n\u0660\u00b2\u2212", max_size=5))
def test_is_integer_text_is_the_regular_expression(text):
    assert is_integer_text(text) == (re.fullmatch(r"-?[0-9]+", text) is not None)
