"""ecp callback: signed bodies on stdout for fixtures; the same scenarios and overrides as
ecp send; one-line errors with exit 2; the secret never shows."""

import json

import pytest

from ecp_cli.signing.signature import verify
from tests.conftest import SAMPLES


def test_prints_an_indented_signed_body(cli):
    run = cli("callback", "success")
    assert run.exit_code == 0
    assert run.stderr == ""
    body = run.json()
    assert run.stdout.startswith('{\n  "project_id": 112,\n  "payment": {\n')
    assert verify(body, "secret").ok
    assert body["payment"]["status"] == "success"
    assert body["project_id"] == 112  # from the profile


def test_seed_makes_the_ids_repeatable(cli):
    first = cli("callback", "success", "--seed", "4").json()
    second = cli("callback", "success", "--seed", "4").json()
    assert first["payment"]["id"] == second["payment"]["id"]
    assert first["operation"]["id"] == second["operation"]["id"]
    assert (
        cli("callback", "success", "--seed", "5").json()["payment"]["id"] != first["payment"]["id"]
    )


def test_sequence_prints_one_compact_json_per_line(cli):
    run = cli("callback", "3ds", "--sequence")
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert len(lines) == 2
    bodies = [json.loads(line) for line in lines]
    assert [b["payment"]["status"] for b in bodies] == ["awaiting 3ds result", "success"]
    assert all(verify(b, "secret").ok for b in bodies)


def test_overrides_are_applied_and_typed(cli):
    run = cli(
        "callback", "decline", "--code", "10102", "--payment-id", "order-42",
        "--amount", "31415", "--currency", "USD",
        "--set", "customer.id=user-7", "--set", "account.expiry_month=05",
        "--set", "operation.provider.id=77", "--set", 'operation.code="10102"',
        "--set", "errors[0].field=card", "--set", "extra.flag=true",
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    body = run.json()
    assert body["payment"]["id"] == "order-42"
    assert body["payment"]["sum"] == {"amount": 31415, "currency": "USD"}
    assert body["operation"]["code"] == "10102"
    assert body["operation"]["message"] == "Incorrect data entered"
    assert body["customer"]["id"] == "user-7"
    assert body["account"]["expiry_month"] == "05"
    assert body["operation"]["provider"]["id"] == 77
    assert body["errors"][0]["field"] == "card"
    assert body["extra"] == {"flag": True}
    assert verify(body, "secret").ok  # signed after the changes


def test_from_file_is_re_signed_with_the_profile(cli):
    source = str(SAMPLES / "awaiting_3ds_unknown_secret.json")
    for args in (("--from", source), (source,)):
        run = cli("callback", *args, "--payment-id", "p-9")
        assert run.exit_code == 0
        body = run.json()
        assert body["payment"]["id"] == "p-9"
        assert verify(body, "secret").ok


def test_keep_signature_keeps_the_files_signature(cli):
    source = SAMPLES / "purchase_success.json"
    run = cli("callback", "--from", str(source), "--keep-signature")
    assert run.json()["signature"] == json.loads(source.read_text())["signature"]


def test_stdin_as_the_file(cli):
    text = (SAMPLES / "decline_with_errors.json").read_text()
    run = cli("callback", "-", input=text)
    assert run.exit_code == 0
    assert run.json()["payment"]["id"] == "order-42-1"


def test_bad_signature_does_not_verify(cli):
    body = cli("callback", "refund", "--bad-signature").json()
    assert verify(body, "secret").verdict.value == "invalid"


def test_tokenize_is_signed_under_general(cli):
    body = cli("callback", "tokenize").json()
    assert "signature" not in body
    assert verify(body, "secret").ok


@pytest.mark.parametrize(
    "args, message",
    [
        (("sucess",), "sucess: no such scenario or file; did you mean 'success'?"),
        (("missing.json",), "missing.json: no such file"),
        ((), "nothing to send: give a scenario"),
        (("success", "--from", "x.json"), "give a scenario or FILE, or --from FILE, not both"),
        (("success", "--amount", "19.99"), "--amount 19.99: expected a whole number of minor"),
        (("success", "--currency", "usd"), "--currency usd: not an ISO 4217 currency code; did"),
        (("decline", "--code", "abc"), "--code abc: expected a numeric response code"),
        (("success", "--code", "10105"), "--code applies to the decline and error scenarios"),
        (("success", "--set", "nothing"), "--set: 'nothing': expected PATH=VALUE"),
        (("success", "--keep-signature"), "--keep-signature applies to a file"),
        (("tokenize", "--amount", "5"), "tokenize callbacks carry no amount or currency"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, args, message):
    run = cli("callback", *args)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.startswith(f"error: {message}")
    assert run.stderr.count("\n") == 1


def test_a_file_that_is_not_json(cli):
    path = cli.write("broken.json", "{not json")
    run = cli("callback", str(path))
    assert run.exit_code == 2
    assert run.stderr == (
        f"error: {path}: not valid JSON: Expecting property name enclosed in double quotes "
        "(line 1, column 2)\n"
    )


def test_no_secret_is_exit_2(bare_cli):
    run = bare_cli("callback", "success")
    assert run.exit_code == 2
    assert run.stderr.startswith("error: ")
    assert run.stdout == ""


def test_no_project_id_unless_set(cli):
    del cli.vars["ECP_PROJECT_ID"]
    run = cli("callback", "success")
    assert run.exit_code == 2
    assert "no project_id" in run.stderr
    assert cli("callback", "success", "--set", "project_id=5").json()["project_id"] == 5


def test_float_values_get_a_warning(cli):
    run = cli("callback", "success", "--set", "payment.sum.amount=19.99")
    assert run.exit_code == 0
    assert run.stderr == (
        "warning: success: payment:sum:amount is a float; amounts are integers in minor "
        "units and every SDK prints floats differently\n"
    )


def test_secret_never_printed(cli):
    cli.vars["ECP_SECRET"] = "s3cr3t-value-for-the-test"
    for args in (("success",), ("3ds", "--sequence"), ("nope",), ("success", "--set", "x")):
        run = cli("callback", *args)
        assert "s3cr3t-value-for-the-test" not in run.stdout + run.stderr


def test_help_lists_the_scenarios_and_examples(cli):
    run = cli("callback", "--help")
    assert run.exit_code == 0
    assert "partial-refund" in run.stdout
    assert "Examples" in run.stdout


def test_a_set_value_that_is_not_utf8_is_named_not_a_crash(cli):
    run = cli("callback", "success", "--set", "payment.id=\udcfe\udcff")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == "error: --set: 'payment.id=\\xfe\\xff' is not UTF-8 text\n"
