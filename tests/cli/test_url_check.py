"""ecp url --check: the link's parameters go to the (fake) pre-check on 127.0.0.1."""

import pytest

from tests.fake_platform import FakePlatform, clear_http_env


@pytest.fixture(autouse=True)
def no_http_settings_from_the_machine(monkeypatch):
    clear_http_env(monkeypatch)
    monkeypatch.setattr("ecp_cli.defaults.GATE_BACKOFF", 0.0)


@pytest.fixture
def platform():
    with FakePlatform() as server:
        yield server


def url_check(cli, platform, *args):
    return cli(
        "url",
        "--amount",
        "1000",
        "--currency",
        "EUR",
        "--customer-id",
        "c1",
        "--payment-id",
        "order-1",
        "--check",
        "--check-url",
        platform.url,
        *args,
    )


def test_accepted_link_exit_0_url_alone_on_stdout(cli, platform):
    run = url_check(cli, platform)
    assert run.exit_code == 0
    assert run.stdout.startswith("https://paymentpage.ecommpay.com/payment?project_id=112&")
    assert run.stdout.count("\n") == 1
    assert run.stderr == "pre-check: accepted\n"
    [sent] = platform.requests
    assert sent.path == "/params/check"
    assert "signature" not in dict(sent.query)  # the pre-check takes parameters unsigned
    assert dict(sent.query)["payment_amount"] == "1000"


def test_problems_exit_1_with_each_field_on_stderr(cli, platform):
    run = url_check(cli, platform, "--param", "close_on_missclick=yes")
    assert run.exit_code == 1
    assert run.stdout.startswith("https://")  # the link is still printed
    assert run.stderr == (
        "pre-check: close_on_missclick: must be 1 or 0\nerror: the pre-check reported 1 problem\n"
    )


def test_json_carries_the_check(cli, platform):
    run = url_check(cli, platform, "--json")
    facts = run.json()
    assert facts["check"] == {"accepted": True, "http_status": 200, "problems": []}
    assert set(facts) == {"url", "params", "signature", "check"}


def test_unreachable_pre_check_is_exit_3(cli):
    from tests.fake_platform import closed_port

    run = cli(
        "url",
        "--amount",
        "1",
        "--currency",
        "EUR",
        "--check",
        "--retries",
        "0",
        "--check-url",
        f"http://127.0.0.1:{closed_port()}",
    )
    assert run.exit_code == 3
    assert run.stdout.startswith("https://")  # the link still comes out, for URL=$(...)
    last = run.stderr.splitlines()[-1]
    assert last.startswith("error: GET http://127.0.0.1:")
    assert last.endswith("/params/check: connection refused")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--timeout", "-1"], "--timeout must be more than 0 and at most 600 seconds, got -1"),
        (["--retries", "11"], "--retries must be between 0 and 10, got 11"),
        (["--check-url", "notaurl"], "--check-url must be an http(s):// URL, got 'notaurl'"),
    ],
)
def test_bad_check_options_are_the_only_line_on_stderr(cli, flags, message):
    # Checked before the link is built: no warnings or generated payment_id note first.
    run = cli("url", "--amount", "1", "--currency", "EUR", "--check", *flags)
    assert (run.exit_code, run.stdout, run.stderr) == (2, "", f"error: {message}\n")
