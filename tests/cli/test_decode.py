"""ecp decode: the parameter table, the verdict with its diagnosis, findings, --json, exits."""

import base64
import json
from urllib.parse import quote, urlencode

from ecp_cli.signing.signature import sign
from tests.anchors import SPEC_EXAMPLE

BASE = "https://paymentpage.ecommpay.com/payment"
PARAMS = {k: "1" if v is True else str(v) for k, v in SPEC_EXAMPLE.items()}  # as a URL has it


def url_for(params: dict, secret: str = "secret", *, signature: str | None = None) -> str:
    signature = sign(params, secret) if signature is None else signature
    return f"{BASE}?{urlencode(params, quote_via=quote)}&signature={quote(signature, safe='')}"


def test_a_correct_url_exits_0_with_its_table(cli):
    run = cli("decode", url_for(PARAMS))
    assert (run.exit_code, run.stderr) == (0, "")
    assert run.stdout.splitlines() == [
        BASE,
        "  project_id           12345",
        "  payment_id           X03936",
        "  payment_amount       2035  (20.35 USD)",
        "  payment_currency     USD",
        "  payment_description  Guyliner purchase",
        "  customer_id          user007",
        "  customer_first_name  Jack",
        "  customer_last_name   Sparrow",
        "  customer_phone       02081234567",
        "  close_on_missclick   1",
        f"  signature            {sign(PARAMS, 'secret')}",
        "",
        "signature: valid (checked with the secret in $ECP_SECRET)",
    ]


def test_base64_json_values_are_shown_as_json(cli):
    receipt = base64.b64encode(json.dumps({"positions": [{"amount": 2035}]}).encode()).decode()
    run = cli("decode", url_for({**PARAMS, "receipt_data": receipt}))
    assert run.exit_code == 0
    assert (
        "  receipt_data         (base64-json)\n"
        "                         {\n"
        '                           "positions": [\n'
    ) in run.stdout


def test_an_invalid_signature_is_explained_and_exits_1(cli):
    signature = sign(PARAMS, "secret")
    run = cli("decode", url_for({**PARAMS, "close_on_missclick": "true"}, signature=signature))
    assert run.exit_code == 1
    assert "signature: INVALID (checked with the secret in $ECP_SECRET)" in run.stdout
    assert (
        "    diagnosis: The signature matches the string with the words true/false signed as 1/0."
        in (run.stdout)
    )
    assert run.stdout.endswith(
        "problems:\n"
        "  - close_on_missclick=true: booleans travel as 1/0; send close_on_missclick=1 (most "
        "SDKs sign 1 but put true in the URL, which breaks the signature)\n"
    )


def test_a_valid_signature_over_a_misspelt_parameter_still_exits_1(cli):
    params = {**PARAMS, "payment_ammount": "2035"}
    del params["payment_amount"]
    run = cli("decode", url_for(params))
    assert run.exit_code == 1
    assert "signature: valid" in run.stdout
    assert run.stdout.endswith(
        "problems:\n"
        "  - payment_amount is missing; mode purchase needs it\n"
        "  - payment_ammount is not a Payment Page parameter; did you mean payment_amount?\n"
    )


def test_amounts_and_currencies(cli):
    run = cli("decode", url_for({**PARAMS, "payment_amount": "20.35", "payment_currency": "usd"}))
    assert run.exit_code == 1
    assert "  - payment_amount=20.35: amounts are integers in minor units of the currency\n" in (
        run.stdout
    )
    assert "  - payment_currency=usd is not an ISO 4217 currency code; did you mean USD?\n" in (
        run.stdout
    )


def test_notes_alone_do_not_fail(cli):
    run = cli("decode", url_for({**PARAMS, "shop_ref": "A-7"}))
    assert run.exit_code == 0
    assert run.stdout.endswith(
        "notes:\n  - shop_ref is not a parameter ecp knows (it may still be valid)\n"
    )


def test_json_is_only_json(cli):
    run = cli("decode", "--json", url_for({**PARAMS, "payment_currency": "usd"}))
    assert run.exit_code == 1
    data = run.json()
    assert data["ok"] is False
    assert data["signature"]["verdict"] == "valid"
    assert data["signature"]["diagnosis"] is None
    assert [f["code"] for f in data["findings"]] == ["unknown_currency"]
    assert [p["name"] for p in data["parameters"]] == [*PARAMS, "signature"]


def test_json_carries_the_diagnosis(cli):
    cli.vars["ECP_SECRET"] = "another"
    data = cli("decode", "--json", url_for(PARAMS)).json()
    assert data["signature"]["verdict"] == "invalid"
    assert data["signature"]["diagnosis"]["cause"] == "project_mismatch"  # 12345, not 112


def test_reads_stdin(cli):
    run = cli("decode", "-", input=url_for(PARAMS) + "\n")
    assert run.exit_code == 0 and "signature: valid" in run.stdout


def test_with_a_profile_file_names_the_profile(cli):
    cli.vars.clear()
    profiles = "profiles:\n  shop:\n    project_id: 12345\n    secret: s3cr3t-SHOP-11\n"
    cli.vars["ECP_PROFILES"] = str(cli.write("p.yaml", profiles))
    run = cli("decode", url_for(PARAMS, "s3cr3t-SHOP-11"))
    assert run.exit_code == 0
    assert "signature: valid (checked with profile 'shop')" in run.stdout


def test_without_a_profile_the_signature_is_not_checked(bare_cli):
    run = bare_cli("decode", url_for(PARAMS))
    assert run.exit_code == 1
    assert "signature: not checked (no profile with a secret is configured)" in run.stdout


def test_input_errors_exit_2(cli):
    run = cli("decode", "nonsense")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        "error: nonsense: not a Payment Page URL (expected https://host/payment?...)\n"
    )
    run = cli("decode", BASE)
    assert run.exit_code == 2
    assert run.stderr == f"error: {BASE}: has no query string, so there are no parameters\n"
    run = cli("decode", "-", input="")
    assert (run.exit_code, run.stderr) == (2, "error: URL: is empty\n")


def test_no_secret_in_any_output(cli):
    cli.vars["ECP_SECRET"] = "s3cr3t-DECODE-31"
    good = url_for(PARAMS, "s3cr3t-DECODE-31")
    bad = url_for({**PARAMS, "payment_id": "changed"}, "other")
    for args in (["decode", good], ["decode", bad], ["decode", "--json", bad]):
        run = cli(*args)
        assert "s3cr3t-DECODE-31" not in run.stdout + run.stderr
