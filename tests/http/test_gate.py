"""gate.py against a fake platform on 127.0.0.1: signed status requests and answers,
platform refusals, the pre-check and what the platform reports."""

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest

from ecp_cli import __version__
from ecp_cli.errors import InputError, NetworkError
from ecp_cli.exit_codes import ExitStatus
from ecp_cli.http import gate
from ecp_cli.payment_page.url import query_string
from ecp_cli.profiles import Profile
from ecp_cli.signing.signature import Verdict
from tests.conftest import load_sample
from tests.fake_platform import (
    Answer,
    payment_response,
    signed,
)
from tests.http.gate_calls import SECRET, failure, status

# --- the status request ----------------------------------------------------------------


def test_request_body_signature_computed_independently():
    body = gate.status_request_body(Profile("t", 112, "secret"), "order-42")
    string_to_sign = "general:payment_id:order-42;general:project_id:112"
    expected = base64.b64encode(
        hmac.new(b"secret", string_to_sign.encode(), hashlib.sha512).digest()
    ).decode()
    assert body == {"general": {"project_id": 112, "payment_id": "order-42", "signature": expected}}


def test_status_sends_a_signed_post_and_verifies_the_answer(platform, profile):
    document = platform.add_payment("order-42")
    result = status(profile, "order-42", platform)
    assert result.verdict is Verdict.VALID
    assert (result.http_status, result.attempts, result.problems) == (200, 1, [])
    assert result.response == signed(document, SECRET)
    result.raise_for_outcome("test")  # nothing to complain about
    [sent] = platform.requests
    assert (sent.method, sent.target) == ("POST", "/v2/payment/status")
    assert sent.headers["user-agent"] == f"ecp/{__version__} (+httpx)"
    assert sent.headers["content-type"] == "application/json"
    assert sent.json() == gate.status_request_body(profile, "order-42")


def test_secret_is_in_no_request(platform, profile):
    platform.add_payment("order-42")
    status(profile, "order-42", platform)
    gate.check_params({"project_id": 112}, check_url=platform.url, backoff=0)
    for sent in platform.requests:
        assert SECRET not in sent.target + sent.body + json.dumps(sent.headers)


def test_real_signed_sample_verifies_as_a_status_answer(platform):
    # purchase_success.json was signed by the platform's side with the secret "secret".
    platform.script(Answer(200, load_sample("purchase_success.json")))
    result = status(Profile("t", 100, "secret"), "30338174", platform)
    assert result.verdict is Verdict.VALID


def test_decline_errors_belong_to_the_payment_not_a_refusal(platform):
    platform.script(Answer(200, load_sample("decline_with_errors.json")))
    result = status(Profile("t", 112, "secret"), "order-42-1", platform)
    assert (result.verdict, result.refused) == (Verdict.VALID, False)


def test_platform_rejects_a_request_signed_with_another_secret(platform):
    result = status(Profile("t", 112, "not-the-secret"), "order-42", platform)
    assert result.problems == [gate.Problem(message="Invalid signature", code="3261")]
    assert failure(lambda: result.raise_for_outcome("t")) == (
        gate.PlatformError,
        ExitStatus.FAILURE,
        "the platform refused the status request (HTTP 400): 3261 Invalid signature",
    )


def test_unknown_payment_is_a_refusal_with_its_code_and_field(platform, profile):
    result = status(profile, "nope", platform)
    assert failure(lambda: result.raise_for_outcome("t"))[2] == (
        "the platform refused the status request (HTTP 400): "
        "3061 Transaction not found (general.payment_id)"
    )
    info = result.problems[0].code_info()
    assert (info.code, info.category) == ("3061", "business")


def test_error_status_in_a_200_answer_is_a_refusal(platform, profile):
    platform.script(
        Answer(
            200,
            {
                "status": "error",
                "code": "2442",
                "message": "Project ID not found",
                "errors": [{"code": "2442", "message": "Project ID not found"}],
            },
        )
    )
    result = status(profile, "order-42", platform)
    assert result.problems == [gate.Problem(message="Project ID not found", code="2442")]


def test_answer_signed_with_another_secret_is_invalid(platform, profile):
    platform.script(Answer(200, signed(payment_response("order-42"), "another-secret")))
    result = status(profile, "order-42", platform)
    assert result.verdict is Verdict.INVALID
    assert failure(lambda: result.raise_for_outcome("test")) == (
        gate.ResponseSignatureError,
        ExitStatus.FAILURE,
        "the response's signature is INVALID: it does not match the secret of profile "
        "'test'; do not trust this answer",
    )


def test_unsigned_payment_data_is_not_trusted(platform, profile):
    platform.script(Answer(200, payment_response("order-42")))
    result = status(profile, "order-42", platform)
    assert result.verdict is Verdict.UNSIGNED
    assert failure(lambda: result.raise_for_outcome("test"))[2] == (
        "the response carries payment data but no signature; do not trust this answer"
    )


def test_a_bad_payment_id_never_leaves_the_machine(platform, profile):
    assert failure(lambda: status(profile, "", platform)) == (
        InputError,
        ExitStatus.INPUT_ERROR,
        "PAYMENT_ID is empty",
    )
    assert failure(lambda: status(profile, "x" * 256, platform))[2] == (
        "PAYMENT_ID is 256 characters long; the platform allows at most 255"
    )
    assert platform.requests == []


def test_a_profile_without_project_id_is_an_input_error(platform):
    assert failure(lambda: status(Profile("p", None, "s"), "x", platform))[2] == (
        "profile 'p' has no project_id (add one to the profile or set ECP_PROJECT_ID)"
    )
    from_file = Profile("p", None, "s", file=Path("ecp.yaml"))
    assert failure(lambda: status(from_file, "x", platform))[2] == (
        "ecp.yaml: profile 'p' has no project_id (add one to the profile or set ECP_PROJECT_ID)"
    )


# --- the pre-check ---------------------------------------------------------------------

GOOD_PARAMS = {
    "project_id": 112,
    "payment_id": "order-42",
    "payment_amount": 1999,
    "payment_currency": "EUR",
}


def test_check_accepted(platform):
    result = gate.check_params(GOOD_PARAMS, check_url=platform.url)
    assert (result.accepted, result.problems, result.http_status) == (True, [], 200)
    [sent] = platform.requests
    assert (sent.method, sent.path) == ("GET", "/params/check")
    assert sent.query == [
        ("project_id", "112"),
        ("payment_id", "order-42"),
        ("payment_amount", "1999"),
        ("payment_currency", "EUR"),
    ]
    assert sent.headers["user-agent"] == f"ecp/{__version__} (+httpx)"


def test_check_reports_each_problem_by_field(platform):
    result = gate.check_params(
        {"project_id": 112, "payment_amount": "12.5", "payment_currency": "eur"},
        check_url=platform.url,
    )
    assert (result.accepted, result.http_status) == (False, 400)
    assert [(p.field, p.message) for p in result.problems] == [
        ("payment_id", "payment_id is required"),
        ("payment_amount", "must be an integer in minor units"),
        ("payment_currency", "unknown currency"),
    ]


def test_check_errors_beside_a_200_still_count(platform):
    platform.script(Answer(200, {"errors": [{"field": "x", "message": "bad"}]}))
    result = gate.check_params(GOOD_PARAMS, check_url=platform.url)
    assert (result.accepted, [p.field for p in result.problems]) == (False, ["x"])


def test_check_non_200_without_errors_is_an_http_failure(platform):
    platform.script(Answer(404, "Not Found"))
    assert failure(lambda: gate.check_params(GOOD_PARAMS, check_url=platform.url)) == (
        NetworkError,
        ExitStatus.NETWORK_ERROR,
        f"GET {platform.url}/params/check: HTTP 404 Not Found: Not Found",
    )


def test_check_retries_5xx(platform):
    platform.script(Answer(503, ""))
    result = gate.check_params(GOOD_PARAMS, check_url=platform.url, backoff=0)
    assert (result.accepted, result.attempts) == (True, 2)


def test_params_travel_as_on_the_payment_page():
    pairs = gate.encode_params(
        {
            "close_on_missclick": True,
            "recurring_register": False,
            "payment_amount": 1999,
            "rate": 1.5,
            "customer_email": None,
            "customer_phone": "",
            "interface_type": '{"id":24}',
        }
    )
    assert pairs == [
        ("close_on_missclick", "1"),
        ("recurring_register", "0"),
        ("payment_amount", "1999"),
        ("rate", "1.5"),
        ("interface_type", '{"id":24}'),
    ]  # the null customer_email and the empty phone are left out


def test_nested_data_is_refused_as_by_ecp_url():
    with pytest.raises(InputError) as caught:
        gate.encode_params({"receipt_data": {"positions": []}}, "p.json: ")
    assert caught.value.message == (
        "p.json: receipt_data is an object, but Payment Page parameters are flat: encode "
        "nested data such as receipt_data as base64 JSON; recurring, interface_type and "
        "payment_methods_options as a JSON string"
    )


def test_query_string_is_written_as_ecp_url_writes_it(platform):
    params = {"payment_description": "Tea & cake +1", "customer_email": "a@b.c"}
    assert query_string(gate.encode_params(params)) == (
        "payment_description=Tea%20%26%20cake%20%2B1&customer_email=a%40b.c"
    )
    gate.check_params(params, check_url=platform.url)
    assert platform.requests[0].target == (
        "/params/check?payment_description=Tea%20%26%20cake%20%2B1&customer_email=a%40b.c"
    )


# --- reading what the platform reports -------------------------------------------------


def test_problems_from_every_errors_shape():
    assert gate.parse_problems({"payment_amount": ["too small", "not a number"]}) == [
        gate.Problem(message="too small", field="payment_amount"),
        gate.Problem(message="not a number", field="payment_amount"),
    ]
    assert gate.parse_problems(["plain words"]) == [gate.Problem(message="plain words")]
    assert gate.parse_problems(None) == []


def test_problem_summary_and_record():
    problem = gate.Problem(message="Transaction not found", code="3061", field="general.payment_id")
    assert problem.summary() == "3061 Transaction not found (general.payment_id)"
    record = problem.as_dict()
    assert (record["category"], record["code"]) == ("business", "3061")
    assert gate.Problem(message="x", code="not-a-number").as_dict().get("category") is None
