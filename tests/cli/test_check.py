"""ecp check against a fake pre-check endpoint on 127.0.0.1: accepted, problems by field,
parameters as the Payment Page sends them, failures, and the reusable check_and_report."""

import io
import json

import pytest

from ecp_cli.cli.check import check_and_report
from ecp_cli.cli.state import State
from ecp_cli.environment import Environment
from ecp_cli.exit_codes import ExitStatus
from tests.fake_platform import Answer, FakePlatform, clear_http_env, closed_port

GOOD = {
    "project_id": 112,
    "payment_id": "order-42",
    "payment_amount": 1999,
    "payment_currency": "EUR",
}


@pytest.fixture(autouse=True)
def no_http_settings_from_the_machine(monkeypatch):
    clear_http_env(monkeypatch)
    monkeypatch.setattr("ecp_cli.defaults.GATE_BACKOFF", 0.0)


@pytest.fixture
def platform():
    with FakePlatform() as server:
        yield server


def check(cli, platform, *args, **kwargs):
    return cli("check", *args, "--check-url", platform.url, **kwargs)


def test_accepted(cli, platform):
    run = check(cli, platform, str(cli.write("p.json", GOOD)))
    assert (run.exit_code, run.stderr) == (0, "")
    assert run.stdout == "accepted: the pre-check found no problem in 4 parameters\n"
    [sent] = platform.requests
    assert (sent.method, sent.path) == ("GET", "/params/check")
    assert dict(sent.query) == {k: str(v) for k, v in GOOD.items()}


def test_problems_by_field(cli, platform):
    params = {"project_id": 112, "payment_amount": "12.50", "payment_currency": "eur"}
    run = check(cli, platform, str(cli.write("p.json", params)))
    assert run.exit_code == 1
    assert run.stdout == (
        "payment_id: payment_id is required\n"
        "payment_amount: must be an integer in minor units\n"
        "payment_currency: unknown currency\n"
    )
    assert run.stderr == "error: the pre-check reported 3 problems (HTTP 400)\n"


def test_problem_codes_are_explained(cli, platform):
    platform.script(
        Answer(400, {"errors": [{"field": "customer_id", "code": 2154, "message": "required"}]})
    )
    run = check(cli, platform, str(cli.write("p.json", GOOD)))
    assert run.exit_code == 1
    assert run.stdout == "customer_id: required [code 2154: Customer ID is required for project]\n"
    assert run.stderr == "error: the pre-check reported 1 problem (HTTP 400)\n"


def test_json_output(cli, platform):
    run = check(cli, platform, str(cli.write("p.json", {"project_id": 112})), "--json")
    assert run.exit_code == 1
    output = run.json()
    assert (output["accepted"], output["http_status"]) == (False, 400)
    assert [p["field"] for p in output["problems"]] == [
        "payment_id",
        "payment_amount",
        "payment_currency",
    ]
    run = check(cli, platform, str(cli.write("p.json", GOOD)), "--json")
    assert (run.exit_code, run.json()) == (
        0,
        {"accepted": True, "http_status": 200, "problems": []},
    )


def test_yaml_from_stdin_travels_as_on_the_payment_page(cli, platform):
    yaml_text = (
        "project_id: 112\npayment_id: order-42\npayment_amount: 1999\npayment_currency: EUR\n"
        "close_on_missclick: true\ncustomer_phone: 02081234567\ncustomer_email: null\n"
        "interface_type: '{\"id\":24}'\n"
    )
    run = check(cli, platform, "-", input=yaml_text)
    assert run.exit_code == 0
    query = dict(platform.requests[0].query)
    assert query["close_on_missclick"] == "1"
    assert query["customer_phone"] == "02081234567"
    assert "customer_email" not in query
    assert query["interface_type"] == '{"id":24}'


def test_nested_data_is_refused_before_any_request(cli, platform):
    path = cli.write("p.json", dict(GOOD, receipt_data={"positions": []}))
    run = check(cli, platform, str(path))
    assert run.exit_code == 2
    assert run.stderr == (
        f"error: {path}: receipt_data is an object, but Payment Page parameters are flat: "
        "encode nested data such as receipt_data as base64 JSON; recurring, interface_type "
        "and payment_methods_options as a JSON string\n"
    )
    assert platform.requests == []


def test_check_url_from_a_profile_without_secret(bare_cli, platform):
    profiles = bare_cli.write(
        "p.yaml", f"profiles:\n  test:\n    project_id: 112\n    check_url: {platform.url}/\n"
    )
    run = bare_cli("--profiles", str(profiles), "check", str(bare_cli.write("p.json", GOOD)))
    assert run.exit_code == 0
    assert len(platform.requests) == 1


def test_non_200_without_errors_is_an_http_failure(cli, platform):
    platform.script(Answer(403, "Forbidden by WAF"))
    run = check(cli, platform, str(cli.write("p.json", GOOD)))
    assert (run.exit_code, run.stdout) == (3, "")
    assert (
        run.stderr
        == f"error: GET {platform.url}/params/check: HTTP 403 Forbidden: Forbidden by WAF\n"
    )


def test_5xx_then_accepted(cli, platform):
    platform.script(Answer(500, ""), Answer(503, ""))
    run = check(cli, platform, str(cli.write("p.json", GOOD)))
    assert run.exit_code == 0
    assert len(platform.requests) == 3


def test_timeout(cli, platform):
    platform.script(Answer(delay=5))
    run = check(cli, platform, str(cli.write("p.json", GOOD)), "--timeout", "0.2", "--retries", "0")
    assert run.exit_code == 3
    assert run.stderr == f"error: GET {platform.url}/params/check: no answer within 0.2 s\n"


def test_connection_refused_names_no_parameter(cli):
    url = f"http://127.0.0.1:{closed_port()}"
    params = dict(GOOD, customer_email="person@example.com")
    run = cli("check", str(cli.write("p.json", params)), "--check-url", url, "--retries", "0")
    assert run.exit_code == 3
    assert run.stderr == f"error: GET {url}/params/check: connection refused\n"


@pytest.mark.parametrize(
    "content, message",
    [
        ("[1, 2]", "expected an object at the top, got a list"),
        (
            "{",
            "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)",
        ),
    ],
)
def test_bad_input(cli, platform, content, message):
    path = cli.write("p.json", content)
    run = check(cli, platform, str(path))
    assert (run.exit_code, run.stderr) == (2, f"error: {path}: {message}\n")
    assert platform.requests == []


def test_missing_file(cli, platform):
    run = check(cli, platform, "nope.json")
    assert (run.exit_code, run.stderr) == (2, "error: nope.json: no such file\n")


def test_bad_check_url(cli):
    run = cli("check", "-", "--check-url", "sdk.ecommpay.com", input="{}")
    assert (run.exit_code, run.stderr) == (
        2,
        "error: --check-url must be an http(s):// URL, got 'sdk.ecommpay.com'\n",
    )


def test_check_and_report_for_url_check(cli, platform):
    # What `ecp url --check` calls with the parameters it built.
    out, err = io.StringIO(), io.StringIO()
    env = Environment(dict(cli.vars), stdout=out, stderr=err, cwd=cli.cwd, config_dir=cli.tmp_path)
    state = State(env=env)
    assert check_and_report(state, GOOD, check_url=platform.url) is ExitStatus.OK
    assert out.getvalue() == "accepted: the pre-check found no problem in 4 parameters\n"
    status = check_and_report(state, {"project_id": 112}, check_url=platform.url, as_json=True)
    assert status is ExitStatus.FAILURE
    assert err.getvalue() == "error: the pre-check reported 3 problems (HTTP 400)\n"


def test_secret_appears_in_no_output_and_no_request(cli, platform):
    secret = "s3cr3t-Check-Test-Value"
    cli.vars["ECP_SECRET"] = secret
    runs = [
        check(cli, platform, str(cli.write("p.json", GOOD))),
        check(cli, platform, str(cli.write("q.json", {"project_id": 112})), "--json"),
    ]
    for run in runs:
        assert secret not in run.stdout + run.stderr
    for sent in platform.requests:
        assert secret not in sent.target + sent.body + json.dumps(sent.headers)
