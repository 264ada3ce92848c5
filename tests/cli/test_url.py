"""ecp url: the URL alone on stdout, notes on stderr, flags over files, one-line errors."""

import re
from pathlib import Path
from urllib.parse import quote

import pytest

from ecp_cli.payment_page.url import NESTED_HINT
from ecp_cli.signing.signature import sign
from tests.anchors import SPEC_EXAMPLE as SPEC_PARAMS
from tests.anchors import SPEC_SIGNATURE
from tests.conftest import split_signed_url

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_PROFILES = REPO / "profiles.example.yaml"
PAGE = "https://paymentpage.ecommpay.com/payment"
GENERATED_NOTE = re.compile(
    r"payment_id: (ecp-\d{8}T\d{6}Z-[0-9a-f]{8}) \(generated; choose your own with --payment-id\)"
)
ORDER = ("--amount", "100", "--currency", "EUR", "--customer-id", "c1", "--payment-id", "o-1")


def url_of(run) -> str:
    """The single line a successful run prints."""
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 1 and run.stdout.endswith("\n")
    return lines[0]


def round_trip(url: str, secret: str = "secret") -> dict:
    """Parse the URL, re-sign its parameters, demand exactly the signature it carries."""
    base, params, signature = split_signed_url(url)
    assert base == PAGE
    assert sign(params, secret) == signature
    return params


def one_error_line(run, status: int = 2) -> str:
    assert run.exit_code == status
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("error: ")
    return run.stderr.rstrip("\n")


# --- quick start and the spec anchor ----------------------------------------------------------


def test_quick_start_with_the_example_profiles(bare_cli):
    bare_cli.cwd = REPO
    run = bare_cli(
        "--profiles", str(EXAMPLE_PROFILES), "url", "--amount", "31415", "--currency", "USD"
    )
    url = url_of(run)
    assert url.startswith(
        f"{PAGE}?project_id=112&payment_amount=31415&payment_currency=USD&payment_id=ecp-"
    )
    params = round_trip(url)  # the example profile's secret is "secret"
    expected = [
        "warning: no customer_id: the platform expects one for a purchase",
        f"payment_id: {params['payment_id']} (generated; choose your own with --payment-id)",
    ]
    # No permission warning even from a world-readable checkout: the example's secret is
    # the platform documentation's own example.
    assert run.stderr.splitlines() == expected


def test_spec_example_through_a_params_file_gives_the_spec_signature(cli):
    cli.vars["ECP_PROJECT_ID"] = "12345"
    path = cli.write("spec.json", SPEC_PARAMS)
    url = url_of(cli("url", "--params", str(path)))
    assert url.endswith("&signature=" + quote(SPEC_SIGNATURE, safe=""))
    assert split_signed_url(url)[2] == SPEC_SIGNATURE
    assert "close_on_missclick=1" in url
    round_trip(url)


def test_spec_example_through_flags_and_params(cli):
    cli.vars["ECP_PROJECT_ID"] = "12345"
    run = cli(
        "url",
        "--amount", "2035", "--currency", "USD", "--payment-id", "X03936",
        "--description", "Guyliner purchase", "--customer-id", "user007",
        "--param", "customer_first_name=Jack", "--param", "customer_last_name=Sparrow",
        "--param", "customer_phone=02081234567", "--param", "close_on_missclick=true",
    )  # fmt: skip
    assert split_signed_url(url_of(run))[2] == SPEC_SIGNATURE
    assert run.stderr == ""


# --- output -----------------------------------------------------------------------------------


def test_default_output_is_the_url_alone(cli):
    run = cli("url", *ORDER)
    assert run.stdout == (
        f"{PAGE}?project_id=112&customer_id=c1&payment_amount=100&payment_currency=EUR"
        f"&payment_id=o-1&signature="
        + quote(sign({"project_id": 112, "customer_id": "c1", "payment_amount": 100,
                      "payment_currency": "EUR", "payment_id": "o-1"}, "secret"), safe="")
        + "\n"
    )  # fmt: skip
    assert run.stderr == ""


def test_json_has_url_params_and_signature_only(cli):
    run = cli("url", *ORDER, "--param", "frame_mode=popup", "--json")
    assert run.exit_code == 0
    data = run.json()
    assert list(data) == ["url", "params", "signature"]
    assert data["params"] == {
        "project_id": "112",
        "customer_id": "c1",
        "frame_mode": "popup",
        "payment_amount": "100",
        "payment_currency": "EUR",
        "payment_id": "o-1",
    }
    assert round_trip(data["url"]) == data["params"]
    assert split_signed_url(data["url"])[2] == data["signature"]


def test_payment_id_is_generated_unique_and_reported_on_stderr(cli):
    ids = []
    for _ in range(2):
        run = cli("url", "--amount", "5", "--currency", "USD", "--customer-id", "c1")
        url = url_of(run)
        match = GENERATED_NOTE.fullmatch(run.stderr.rstrip("\n"))
        assert match, run.stderr
        assert round_trip(url)["payment_id"] == match.group(1)
        ids.append(match.group(1))
    assert ids[0] != ids[1]


def test_base_url_flag_overrides_the_profile(cli):
    profiles = cli.write(
        "p.yaml", "profiles:\n  t:\n    project_id: 7\n    secret_env: T_SECRET\n"
        "    payment_page_url: http://127.0.0.1:8999\n",
    )  # fmt: skip
    cli.vars = {"T_SECRET": "tsecret"}
    from_profile = url_of(cli("--profiles", str(profiles), "url", *ORDER))
    assert from_profile.startswith("http://127.0.0.1:8999/payment?project_id=7&")
    run = cli("--profiles", str(profiles), "url", *ORDER, "--base-url", "https://pp.test/")
    assert url_of(run).startswith("https://pp.test/payment?project_id=7&")
    _, params, signature = split_signed_url(url_of(run))
    assert sign(params, "tsecret") == signature


def test_bad_base_url(cli):
    assert one_error_line(cli("url", *ORDER, "--base-url", "pp.test")) == (
        "error: --base-url must be an http(s):// URL, got 'pp.test'"
    )


# --- booleans, empty values, nested data -------------------------------------------------------


def test_param_true_false_become_1_0_in_url_and_signature(cli):
    run = cli(
        "url", *ORDER, "--param", "close_on_missclick=true", "--param", "recurring_register=false"
    )
    params = round_trip(url_of(run))
    assert (params["close_on_missclick"], params["recurring_register"]) == ("1", "0")
    assert "close_on_missclick=1&" in url_of(run) and "recurring_register=0&" in url_of(run)


def test_file_booleans_become_1_0(cli):
    path = cli.write("p.yaml", "close_on_missclick: true\nrecurring_register: false\n")
    params = round_trip(url_of(cli("url", *ORDER, "--params", str(path))))
    assert (params["close_on_missclick"], params["recurring_register"]) == ("1", "0")


def test_empty_values_are_dropped(cli):
    path = cli.write("p.json", {"customer_email": "", "customer_phone": None, "region_code": "x"})
    url = url_of(cli("url", *ORDER, "--params", str(path), "--param", "region_code="))
    assert "customer_email" not in url and "customer_phone" not in url and "region_code" not in url
    round_trip(url)


def test_nested_value_in_a_file_is_refused_in_one_line(cli):
    path = cli.write("order.json", {"receipt_data": {"positions": [{"amount": 1}]}})
    line = one_error_line(cli("url", *ORDER, "--params", str(path)))
    assert line == (
        f"error: {path}: receipt_data is an object, but Payment Page parameters are flat: "
        + NESTED_HINT
    )


# --- currency, amount, mode --------------------------------------------------------------------


def test_bad_currency_suggests_a_fix(cli):
    line = one_error_line(cli("url", "--amount", "5", "--currency", "usd"))
    assert line == (
        "error: --currency: payment_currency 'usd' is not an ISO 4217 currency code; "
        "did you mean USD?"
    )


def test_unknown_currency_without_a_close_match(cli):
    line = one_error_line(cli("url", "--amount", "5", "--currency", "QQQ"))
    assert line.endswith("is not an ISO 4217 currency code (three upper-case letters, such as USD)")


@pytest.mark.parametrize("amount", ["-1", "3.14", "1e3", "ten"])
def test_amount_flag_must_be_a_non_negative_integer(cli, amount):
    line = one_error_line(cli("url", "--amount", amount, "--currency", "USD"))
    assert line == (
        "error: --amount: payment_amount must be a non-negative integer in minor units "
        f"(31415 for 314.15), got {amount!r}"
    )


def test_float_amount_in_a_file_is_refused(cli):
    path = cli.write("p.json", '{"payment_amount": 314.15, "payment_currency": "USD"}')
    line = one_error_line(cli("url", "--params", str(path)))
    assert line == (
        f"error: {path}: payment_amount must be a non-negative integer in minor units "
        "(31415 for 314.15), got 314.15"
    )


def test_card_tokenize_without_amount_is_fine(cli):
    run = cli("url", "--mode", "card_tokenize", "--customer-id", "c1")
    params = round_trip(url_of(run))
    assert params == {"project_id": "112", "customer_id": "c1", "mode": "card_tokenize"}
    assert run.stderr == ""


def test_payout_without_currency_fails(cli):
    line = one_error_line(cli("url", "--mode", "payout", "--amount", "5", "--customer-id", "c"))
    assert line == (
        "error: mode payout needs payment_currency "
        "(payment_amount in minor units, payment_currency as ISO 4217)"
    )


def test_unknown_mode_fails(cli):
    line = one_error_line(cli("url", "--mode", "refund"))
    assert line == (
        "error: --mode: mode 'refund' is not one of: purchase, payout, card_tokenize, card_verify"
    )


def test_bad_language(cli):
    line = one_error_line(cli("url", *ORDER, "--language", "english"))
    assert line == (
        "error: --language: language_code must be two letters (ISO 639-1, such as en), "
        "got 'english'"
    )


# --- where parameters come from ----------------------------------------------------------------


def test_flags_win_over_param_which_wins_over_the_file(cli):
    path = cli.write(
        "order.yaml",
        "payment_amount: 100\npayment_currency: EUR\ncustomer_id: from-file\n"
        "payment_id: file-1\npayment_description: from file\nlanguage_code: de\n",
    )
    run = cli(
        "url", "--params", str(path), "--amount", "200",
        "--param", "customer_id=from-param", "--param", "payment_description=from param",
        "--description", "from flag",
    )  # fmt: skip
    params = round_trip(url_of(run))
    assert params == {
        "project_id": "112",
        "customer_id": "from-param",
        "language_code": "de",
        "payment_amount": "200",
        "payment_currency": "EUR",
        "payment_description": "from flag",
        "payment_id": "file-1",
    }


def test_params_from_stdin(cli):
    run = cli(
        "url",
        "--params",
        "-",
        "--customer-id",
        "c",
        input='{"payment_amount": 7, "payment_currency": "JPY"}',
    )
    params = round_trip(url_of(run))
    assert (params["payment_amount"], params["payment_currency"]) == ("7", "JPY")


def test_missing_params_file(cli):
    line = one_error_line(cli("url", "--params", "nope.json"))
    assert line == "error: nope.json: no such file"


def test_params_file_that_is_not_an_object(cli):
    path = cli.write("list.json", "[1, 2]")
    assert one_error_line(cli("url", "--params", str(path))) == (
        f"error: {path}: expected an object at the top, got a list"
    )


def test_param_without_equals(cli):
    assert one_error_line(cli("url", *ORDER, "--param", "close_on_missclick")) == (
        "error: --param 'close_on_missclick': expected KEY=VALUE, such as customer_email=a@b.c"
    )


def test_project_id_in_the_file_must_match_the_profile(cli):
    path = cli.write("p.json", {"project_id": 999})
    line = one_error_line(cli("url", *ORDER, "--params", str(path)))
    assert line.startswith(f"error: {path}: project_id 999 differs from the profile's 112")


def test_missing_project_id(bare_cli):
    bare_cli.vars["ECP_SECRET"] = "secret"
    assert one_error_line(bare_cli("url", *ORDER)) == (
        "error: no profile file: no project_id (add one to the profile or set ECP_PROJECT_ID)"
    )


def test_missing_secret(bare_cli):
    bare_cli.vars["ECP_PROJECT_ID"] = "112"
    assert one_error_line(bare_cli("url", *ORDER)).startswith("error: no profile configured")


# --- --open ------------------------------------------------------------------------------------


def test_open_hands_the_url_to_the_browser(cli, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    run = cli("url", *ORDER, "--open")
    assert opened == [url_of(run)]
    assert run.stderr == ""


def test_open_without_a_browser_warns(cli, monkeypatch):
    monkeypatch.setattr("webbrowser.open", lambda url: False)
    run = cli("url", *ORDER, "--open")
    url_of(run)
    assert run.stderr == "warning: no web browser could be opened; copy the URL above\n"


# --- secrets -----------------------------------------------------------------------------------


def test_the_secret_appears_in_no_output(cli, monkeypatch):
    secret = "Sup3r-S3cret+/="
    cli.vars["ECP_SECRET"] = secret
    monkeypatch.setattr("webbrowser.open", lambda url: False)
    bad = cli.write("bad.json", {"receipt_data": {"a": 1}})
    runs = [
        cli("url", *ORDER),
        cli("url", *ORDER, "--json", "--open"),
        cli("url", "--amount", "5", "--currency", "USD"),
        cli("url", *ORDER, "--params", str(bad)),
        cli("url", "--amount", "-5", "--currency", "usd"),
        cli("url", *ORDER, "--param", f"x={secret[:4]}"),
    ]
    for run in runs:
        for text in (run.stdout, run.stderr):
            assert secret not in text
            assert quote(secret, safe="") not in text
    assert round_trip(url_of(runs[0]), secret)


def test_help_shows_examples(cli):
    run = cli("url", "--help")
    assert run.exit_code == 0 and "Examples" in run.stdout and "--params" in run.stdout


def test_misspelt_parameter_gets_a_warning_with_the_likely_name(cli):
    run = cli(
        "url",
        "--amount",
        "5",
        "--currency",
        "USD",
        "--customer-id",
        "c",
        "--param",
        "payment_descripton=Tea",
    )
    assert run.exit_code == 0
    assert (
        "warning: --param: payment_descripton is not a Payment Page parameter; "
        "did you mean payment_description?"
    ) in run.stderr.splitlines()


def test_an_argument_that_is_not_utf8_is_named_not_a_crash(cli):
    # Bytes that are not UTF-8 reach Python as lone surrogates (PEP 383); they cannot be
    # signed or put in a URL.
    run = cli("url", "--amount", "100", "--currency", "USD", "--customer-id", "cust\udcff")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == "error: --customer-id: 'cust\\xff' is not UTF-8 text\n"


def test_a_misspelt_mode_gets_a_did_you_mean(cli):
    run = cli("url", "--mode", "purchse", "--amount", "1", "--currency", "USD")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        "error: --mode: mode 'purchse' is not one of: purchase, payout, card_tokenize, "
        "card_verify; did you mean purchase?\n"
    )
    run = cli("url", "--mode", "card-verify")
    assert run.stderr.endswith("; did you mean card_verify?\n")
