"""ecp status against a fake platform on 127.0.0.1: what the user sees, the exit status for
each outcome, and the secret nowhere."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import load_sample
from tests.fake_platform import (
    CA_FILE,
    Answer,
    FakePlatform,
    clear_http_env,
    closed_port,
    payment_response,
    signed,
)

REPO = Path(__file__).resolve().parents[2]
SECRET = "s3cr3t-Status-Test-Value"


@pytest.fixture(autouse=True)
def no_http_settings_from_the_machine(monkeypatch):
    clear_http_env(monkeypatch)
    # One attempt after another without waiting: the retry tests stay fast.
    monkeypatch.setattr("ecp_cli.defaults.GATE_BACKOFF", 0.0)


@pytest.fixture
def platform():
    with FakePlatform(secret=SECRET) as server:
        yield server


@pytest.fixture
def ecp(cli):
    cli.vars["ECP_SECRET"] = SECRET
    return cli


def status(ecp, platform, *args):
    return ecp("status", *args, "--api-url", platform.url)


def test_shows_a_verified_payment_as_ecp_show_does(ecp, platform):
    platform.add_payment("order-42")
    run = status(ecp, platform, "order-42")
    assert (run.exit_code, run.stderr) == (0, "")
    lines = run.stdout.splitlines()
    assert lines[:3] == [
        "signature       valid (checked with the secret in ECP_SECRET)",
        "in short        Payment succeeded: 19.99 EUR captured",
        "project         112",
    ]
    assert "  id            order-42" in lines
    assert "  code          0 Success" in lines


def test_same_view_as_ecp_show(ecp, platform):
    document = signed(platform.add_payment("order-42"), SECRET)
    shown = ecp("show", str(ecp.write("cb.json", document)))
    run = status(ecp, platform, "order-42")
    assert run.stdout == shown.stdout


def test_secret_source_is_named_for_a_profile_file(bare_cli, platform):
    platform.add_payment("order-42")
    profiles = bare_cli.write(
        "p.yaml", f"profiles:\n  test:\n    project_id: 112\n    secret: {SECRET}\n"
    )
    run = bare_cli("--profiles", str(profiles), "status", "order-42", "--api-url", platform.url)
    assert run.exit_code == 0
    assert run.stdout.startswith(
        "signature       valid (checked with the secret of profile test)\n"
    )


def test_a_declined_payment_is_an_answer_not_a_failure(ecp, platform):
    platform.add_payment("order-43", status="decline")
    run = status(ecp, platform, "order-43")
    assert run.exit_code == 0
    assert "  code          10105 Insufficient funds\n" in run.stdout
    assert "  status        decline (final) - The payment was declined" in run.stdout


def test_real_sample_with_errors_list(cli, platform):
    platform.script(Answer(200, load_sample("decline_with_errors.json")))
    run = status(cli, platform, "order-42-1")  # the sample is signed with "secret"
    assert run.exit_code == 0
    assert run.stdout.startswith("signature       valid")
    assert "  10105         Insufficient funds on card\n" in run.stdout


def test_json_prints_the_raw_response_and_the_verdict(ecp, platform):
    document = platform.add_payment("order-42")
    run = status(ecp, platform, "order-42", "--json")
    assert run.exit_code == 0
    assert run.json() == {
        "response": signed(document, SECRET),
        "signature": "valid",
        "http_status": 200,
        "problems": [],
    }
    assert run.stderr == ""


def test_unknown_payment_shows_the_platform_error_explained(ecp, platform):
    run = status(ecp, platform, "nope")
    assert run.exit_code == 1
    assert run.stdout.splitlines() == [
        "platform error: 3061 Transaction not found (general.payment_id)",
        "  meaning:     The request was well formed but broke a business rule, such as a "
        "project setting, an amount or payout limit, a card restriction or the payment's "
        "current state.",
        "  what to do:  The platform has no payment or operation with the ID you gave, in this "
        "project. Check the ID, that you ask with the project (profile) that created the "
        "payment, and that the payment was created at all; asking again will not find it.",
    ]
    assert run.stderr == (
        "error: the platform refused the status request (HTTP 400): "
        "3061 Transaction not found (general.payment_id)\n"
    )


def test_platform_error_as_json(ecp, platform):
    run = status(ecp, platform, "nope", "--json")
    assert run.exit_code == 1
    output = run.json()
    assert output["signature"] == "unsigned"
    assert output["http_status"] == 400
    assert output["response"] == {
        "errors": [
            {"code": 3061, "message": "Transaction not found", "field": "general.payment_id"}
        ]
    }
    [problem] = output["problems"]
    assert (problem["code"], problem["category"]) == ("3061", "business")
    assert problem["what_to_do"].startswith("The platform has no payment or operation with the ID")
    assert problem["advice_source"] == "ecp"
    assert run.stderr.startswith("error: the platform refused the status request")


def test_wrong_secret_is_refused_by_the_platform_with_a_hint(cli, platform):
    cli.vars["ECP_SECRET"] = "not-the-right-one"
    run = status(cli, platform, "order-42")
    assert run.exit_code == 1
    assert run.stdout.splitlines()[0] == "platform error: 3261 Invalid signature"
    assert run.stdout.splitlines()[-1] == (
        "  check:       that profile '(environment)' holds the secret of project 112"
    )
    assert run.stderr == (
        "error: the platform refused the status request (HTTP 400): 3261 Invalid signature\n"
    )


def test_response_with_a_bad_signature(ecp, platform):
    platform.script(Answer(200, signed(payment_response("order-42"), "someone-else")))
    run = status(ecp, platform, "order-42")
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == (
        "error: the response's signature is INVALID: it does not match the secret of profile "
        "'(environment)'; do not trust this answer\n"
    )


def test_response_with_a_bad_signature_as_json(ecp, platform):
    platform.script(Answer(200, signed(payment_response("order-42"), "someone-else")))
    run = status(ecp, platform, "order-42", "--json")
    assert run.exit_code == 1
    assert run.json()["signature"] == "invalid"
    assert run.stderr.startswith("error: the response's signature is INVALID")


def test_api_url_comes_from_the_profile(bare_cli, platform):
    platform.add_payment("order-42")
    profiles = bare_cli.write(
        "p.yaml",
        f"profiles:\n  test:\n    project_id: 112\n    secret_env: T_SECRET\n"
        f"    api_url: {platform.url}\n",
    )
    bare_cli.vars["T_SECRET"] = SECRET
    run = bare_cli("--profiles", str(profiles), "status", "order-42")
    assert run.exit_code == 0
    assert run.stdout.startswith("signature       valid")
    assert len(platform.requests) == 1


# --- network and HTTP failures: exit 3, one line -----------------------------------------


def test_connection_refused(ecp):
    url = f"http://127.0.0.1:{closed_port()}"
    run = ecp("status", "order-42", "--api-url", url, "--retries", "1")
    assert (run.exit_code, run.stdout) == (3, "")
    assert run.stderr == (
        f"error: POST {url}/v2/payment/status: connection refused (after 2 attempts)\n"
    )


def test_timeout(ecp, platform):
    platform.script(Answer(delay=5))
    run = status(ecp, platform, "order-42", "--timeout", "0.2", "--retries", "0")
    assert run.exit_code == 3
    assert run.stderr == (f"error: POST {platform.url}/v2/payment/status: no answer within 0.2 s\n")


def test_5xx_then_success(ecp, platform):
    platform.add_payment("order-42")
    platform.script(Answer(503, "busy"))
    run = status(ecp, platform, "order-42", "--retries", "1")
    assert run.exit_code == 0
    assert len(platform.requests) == 2


def test_5xx_until_retries_run_out(ecp, platform):
    platform.script(*[Answer(502, "<h1>Bad Gateway</h1>")] * 2)
    run = status(ecp, platform, "order-42", "--retries", "1")
    assert run.exit_code == 3
    assert run.stderr == (
        f"error: POST {platform.url}/v2/payment/status: HTTP 502 Bad Gateway "
        "(after 2 attempts): <h1>Bad Gateway</h1>\n"
    )
    assert len(platform.requests) == 2


def test_broken_json(ecp, platform):
    platform.script(Answer(200, "<html>maintenance</html>"))
    run = status(ecp, platform, "order-42")
    assert run.exit_code == 3
    assert run.stderr == (
        f"error: POST {platform.url}/v2/payment/status: HTTP 200 with a body that is not "
        "JSON: <html>maintenance</html>\n"
    )


def test_tls_failure_and_ssl_cert_file(ecp, monkeypatch):
    with FakePlatform(secret=SECRET, tls=True) as server:
        server.add_payment("order-42")
        run = ecp("status", "order-42", "--api-url", server.url)
        assert run.exit_code == 3
        assert run.stderr == (
            f"error: POST {server.url}/v2/payment/status: TLS failed: certificate verify "
            "failed: unable to get local issuer certificate; for a private CA or a "
            "TLS-inspecting proxy, point SSL_CERT_FILE at its certificate\n"
        )
        monkeypatch.setenv("SSL_CERT_FILE", str(CA_FILE))
        run = ecp("status", "order-42", "--api-url", server.url)
        assert (run.exit_code, run.stderr) == (0, "")


# --- input errors: exit 2, nothing sent --------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["--timeout", "0"], "--timeout must be more than 0 and at most 600 seconds, got 0"),
        (["--retries", "11"], "--retries must be between 0 and 10, got 11"),
        (["--retries", "-1"], "--retries must be between 0 and 10, got -1"),
    ],
)
def test_bad_options(ecp, platform, args, message):
    run = status(ecp, platform, "order-42", *args)
    assert (run.exit_code, run.stderr) == (2, f"error: {message}\n")
    assert platform.requests == []


def test_bad_api_url(ecp):
    run = ecp("status", "order-42", "--api-url", "api.ecommpay.com")
    assert (run.exit_code, run.stderr) == (
        2,
        "error: --api-url must be an http(s):// URL, got 'api.ecommpay.com'\n",
    )


def test_empty_payment_id(ecp, platform):
    run = status(ecp, platform, "")
    assert (run.exit_code, run.stderr) == (2, "error: PAYMENT_ID is empty\n")
    assert platform.requests == []


def test_no_profile_at_all(bare_cli, platform):
    run = status(bare_cli, platform, "order-42")
    assert run.exit_code == 2
    assert run.stderr == (
        "error: no profile configured: create ./ecp.yaml (see profiles.example.yaml) "
        "or set ECP_PROJECT_ID and ECP_SECRET\n"
    )


def test_secret_appears_in_no_output_and_no_request(ecp, platform):
    platform.add_payment("order-42")
    runs = [
        status(ecp, platform, "order-42"),
        status(ecp, platform, "order-42", "--json"),
        status(ecp, platform, "nope"),
        status(ecp, platform, "nope", "--json"),
    ]
    platform.script(Answer(200, signed(payment_response("order-42"), "x")))
    runs.append(status(ecp, platform, "order-42"))
    platform.script(Answer(500, "boom"))
    runs.append(status(ecp, platform, "order-42", "--retries", "0"))
    for run in runs:
        assert SECRET not in run.stdout + run.stderr
    assert len(platform.requests) == 6
    for sent in platform.requests:
        assert SECRET not in sent.target + sent.body + json.dumps(sent.headers)


# --- start-up and help -------------------------------------------------------------------


def test_http_client_is_not_imported_at_start_up():
    code = (
        "import ecp_cli.cli.launcher, ecp_cli.cli.app, sys; "
        "from ecp_cli.cli.commands import COMMANDS; [command.load() for command in COMMANDS]; "
        "print(sorted({'httpx', 'rich', 'yaml', 'ecp_cli.http.gate', 'ecp_cli.http.exchange'}"
        " & set(sys.modules)))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert run.stdout.strip() == "[]"


def test_help_lists_the_gate_api_panel(cli):
    run = cli("--help")
    assert "Gate API" in run.stdout
    assert "status" in run.stdout and "check" in run.stdout
    run = cli("status", "--help")
    assert run.exit_code == 0
    for text in ("--api-url", "--timeout", "--retries", "--json", "Examples"):
        assert text in run.stdout


def test_a_payment_id_that_is_not_utf8_is_named_not_a_crash(cli):
    run = cli("status", "p\udcff", "--api-url", "http://127.0.0.1:9")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == "error: PAYMENT_ID: 'p\\xff' is not UTF-8 text\n"


# --- --json failures, --watch ---------------------------------------------------------------


def test_json_on_a_network_failure_is_still_a_json_object(ecp):
    url = f"http://127.0.0.1:{closed_port()}"
    run = ecp("status", "order-1", "--api-url", url, "--retries", "0", "--json")
    assert run.exit_code == 3
    assert run.json() == {
        "ok": False,
        "error": f"POST {url}/v2/payment/status: connection refused",
        "exit_status": 3,
    }
    assert run.stderr == f"error: POST {url}/v2/payment/status: connection refused\n"


def test_watch_asks_until_the_status_is_final(ecp, platform):
    import threading

    platform.add_payment("order-7", status="processing")
    timer = threading.Timer(1.2, platform.add_payment, ("order-7", "success"))
    timer.start()
    try:
        run = status(ecp, platform, "order-7", "--watch", "--interval", "0.5", "--json")
    finally:
        timer.cancel()
    assert run.exit_code == 0
    assert run.json()["response"]["payment"]["status"] == "success"
    lines = run.stderr.splitlines()
    assert [line[10:] for line in lines] == [
        "payment order-7: processing (not final)",
        "payment order-7: success (final)",
    ]
    assert 3 <= len(platform.requests) <= 5  # every 0.5 s, not faster


def test_watch_gives_up_after_its_time_with_exit_1(ecp, platform):
    platform.add_payment("order-8", status="awaiting 3ds result")
    run = status(ecp, platform, "order-8", "--watch", "--interval", "0.5", "--for", "1")
    assert run.exit_code == 1
    assert run.stderr.splitlines()[-1] == (
        "error: payment order-8 is still 'awaiting 3ds result' after 1 s (--for)"
    )
    assert len(platform.requests) == 3  # at 0, 0.5 and 1 s


def test_watch_stops_at_once_on_a_final_status_or_a_refusal(ecp, platform):
    platform.add_payment("order-9", status="decline")
    run = status(ecp, platform, "order-9", "--watch")
    assert run.exit_code == 0 and len(platform.requests) == 1
    run = status(ecp, platform, "nowhere", "--watch")  # not found: no waiting for it
    assert run.exit_code == 1 and len(platform.requests) == 2


def test_watch_interval_is_bounded(ecp, platform):
    run = status(ecp, platform, "order-9", "--watch", "--interval", "0.1")
    assert run.exit_code == 2
    assert "0.1 is not in the range 0.5<=x<=60.0" in run.stderr
