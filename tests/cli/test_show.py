"""ecp show: the view of every sample, verdicts and exit codes, --json, bad input, colour."""

import io
import json

import pytest

from ecp_cli.callbacks.facts import callback_facts
from ecp_cli.callbacks.model import Callback
from ecp_cli.cli.callback_view import render_callback
from ecp_cli.cli.common import State
from ecp_cli.environment import Environment
from ecp_cli.signing.signature import verify
from tests.conftest import ALL_SAMPLES, SAMPLE_SECRETS, SAMPLES, load_sample

ESC = "\x1b"

PURCHASE_SUCCESS_VIEW = """\
signature       valid (checked with the secret in ECP_SECRET)
in short        Payment succeeded: 10.00 RUB captured
project         100
format          standard callback (payment and operation)

Payment
  id            30338174
  type          purchase - A payment from the customer to you, charged in one step (sale) or in two
                (auth, then capture).
  status        success (final) - The payment completed: for a purchase the money was charged, for a
                payout it was sent; you can fulfil the order.
  amount        10.00 RUB
  method        card
  description   Успешная оплата по не 3ds-ой карте
  date          2020-08-24T07:44:44+0000

Operation
  id            100
  type          sale - A one-step charge: the amount is authorised and taken in a single operation.
  status        success (final) - This operation (a sale, auth, capture, refund, payout ...)
                completed successfully.
  code          0 Success
  category      success - The operation went through.
  what to do    Nothing to do: the operation succeeded.
  amount        1.00 RUB
  request id    a3d2c082761
  eci           07
  created       2020-08-24T07:44:41+0000
  date          2020-08-24T07:44:44+0000

Provider
  id            3
  payment id    159825508
  auth code     563253
  endpoint      test
  date          2020-08-24T07:44:44+0000

Account
  number        400002******1488
  brand         visa
  holder        TOKEN TESTER
  expiry        05/2025
  token         present (not shown)

Customer
  id            David Klein
  phone         100
"""


def top(label: str, value: str) -> str:
    """A line of the unindented first block: label column 14 wide, then two spaces."""
    return f"{label:<14}  {value}"


def sub(label: str, value: str) -> str:
    """A line inside a section: indented by 2, label column 12 wide, then two spaces."""
    return f"  {label:<12}  {value}"


MORE = " " * 16  # a continuation line of a wrapped value


def show(cli, name, *options):
    return cli("show", *options, str(SAMPLES / name))


def lines(run) -> list[str]:
    return run.stdout.splitlines()


# --- the view of every sample ----------------------------------------------------------


def test_purchase_success_full_view(cli):
    run = show(cli, "purchase_success.json")
    assert (run.exit_code, run.stderr) == (0, "")
    assert run.stdout == PURCHASE_SUCCESS_VIEW


def test_plain_output_has_no_escape_codes_and_fits_100_columns(cli):
    for name in ALL_SAMPLES:
        run = show(cli, name)
        assert ESC not in run.stdout, name
        assert max(len(line) for line in lines(run)) <= 100, name
        assert all(line == line.rstrip() for line in lines(run)), name


def test_decline_view(cli):
    run = show(cli, "decline_with_errors.json")
    assert run.exit_code == 0
    out = lines(run)
    assert out[:2] == [
        "signature       valid (checked with the secret in ECP_SECRET)",
        top(
            "in short",
            "Declined by the card issuer: insufficient funds on card; the customer can top up the",
        ),
    ]
    assert out[2] == "                card or pay with another one"
    for line in (
        sub(
            "status",
            "decline (final) - The payment was declined by the bank, provider or risk checks and",
        ),
        "  amount        19.99 EUR",
        "  description   Order #42",
        "  code          10105 Insufficient funds on card",
        sub(
            "category",
            "issuer - The card side (the issuing bank, the card scheme or the acquirer) declined",
        ),
        sub(
            "what to do",
            "The card does not hold enough money for this amount. The customer can top it up or",
        ),
        "                pay with another card; the same card tried again at once will most "
        "likely be",
        "                declined again.",
        "Errors",
        "  10105         Insufficient funds on card",
        "                Operation was declined due to insufficient funds on the card",
        "  number        431422******0056",
        "  holder        JOHN SMITH",
        "  expiry        12/2030",
        "  id            customer-7",
    ):
        assert line in out, line
    # Same amount before and after conversion: no "converted" line.
    assert not any(line.startswith("  converted") for line in out)


def test_awaiting_3ds_with_unknown_secret_is_marked_invalid(cli):
    run = show(cli, "awaiting_3ds_unknown_secret.json")
    assert run.exit_code == 1
    out = lines(run)
    assert out[:4] == [
        top(
            "signature",
            "INVALID: the signature does not match (checked with the secret in ECP_SECRET)",
        ),
        MORE + "the message is for project 15561, but the secret is for project 112: is this the",
        "                right profile?",
        "in short        Not final yet: waiting for 3-D Secure; more callbacks will follow",
    ]
    for line in (
        sub("status", "awaiting 3ds result (not final) - The customer is going through 3-D Secure"),
        "  amount        90 JPY",
        "  converted     0.84 USD",
        "  code          9999 Awaiting processing",
        "3-D Secure",
        "  eci           07",
    ):
        assert line in out, line


def test_awaiting_3ds_without_a_secret_is_unchecked_exit_0(bare_cli):
    run = show(bare_cli, "awaiting_3ds_unknown_secret.json")
    assert (run.exit_code, run.stderr) == (0, "")
    assert lines(run)[0] == (
        "signature       unchecked: no secret configured (set ECP_SECRET or a profile to verify)"
    )
    assert "  amount        90 JPY" in lines(run)


def test_legacy_operations_list_view(cli):
    run = show(cli, "legacy_operations_list.json")
    assert run.exit_code == 0
    out = lines(run)
    assert out[1] == "in short        Payment succeeded: 1.00 USD captured"
    assert (
        "format          older format with an operations list (the last one is the latest)" in out
    )
    assert "  amount        1.00 USD" in out
    assert "  code          0 Success" in out


def test_recurring_update_view(cli):
    cli.vars["ECP_SECRET"] = "qwerty"
    run = show(cli, "recurring_update.json")
    assert (run.exit_code, run.stderr) == (0, "")
    assert run.stdout == (
        "signature       valid (checked with the secret in ECP_SECRET)\n"
        "in short        Update of card-on-file agreement 321: its status is now active\n"
        "project         123\n"
        "format          card-on-file (recurring) update, no payment\n"
        "\n"
        "Recurring (card-on-file agreement)\n"
        "  id            321\n"
        "  status        active\n"
        "  type          Y\n"
        "  period        D (every day)\n"
        "  time          11\n"
        "  expiry        12/2025\n"
        "  currency      EUR\n"
    )


def test_token_callback_view(cli):
    run = show(cli, "tokenize_general_signature.json")
    assert run.exit_code == 0
    out = lines(run)
    assert out[1] == (
        "in short        Card tokenized: the token is active; store it to charge the card later"
    )
    for line in (
        "Token",
        "  token         present (not shown)",
        "  status        active",
        "  action        tokenize",
        "  result        success",
        "  expiry        05/2024",
    ):
        assert line in out, line
    assert "759a1ac5" not in run.stdout  # the token itself is not printed


@pytest.mark.parametrize("name", sorted(SAMPLE_SECRETS))
def test_every_signed_sample_is_valid_with_its_secret(cli, name):
    cli.vars["ECP_SECRET"] = SAMPLE_SECRETS[name]
    run = show(cli, name)
    assert run.exit_code == 0
    assert lines(run)[0].startswith("signature       valid")


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_every_sample_renders_unchecked(bare_cli, name):
    run = show(bare_cli, name)
    assert (run.exit_code, run.stderr) == (0, "")
    assert lines(run)[1].startswith("in short        ")


def test_brief_view(cli):
    run = show(cli, "decline_with_errors.json", "--brief")
    out = lines(run)
    assert "  status        decline (final)" in out
    assert "  code          10105 Insufficient funds on card" in out
    assert not any(line.startswith(("  category", "  what to do", "Provider")) for line in out)


# --- verdicts and exit codes -------------------------------------------------------------


def test_wrong_secret_is_invalid_exit_1(cli):
    cli.vars["ECP_SECRET"] = "wrong"
    run = show(cli, "purchase_success.json")
    assert run.exit_code == 1
    assert lines(run)[0] == (
        top(
            "signature",
            "INVALID: the signature does not match (checked with the secret in ECP_SECRET)",
        )
    )
    assert "  amount        10.00 RUB" in lines(run)  # still shown in full


def test_unsigned_with_a_secret_is_exit_1(cli):
    path = cli.write("unsigned.json", {"project_id": 112, "payment": {"status": "success"}})
    run = cli("show", str(path))
    assert run.exit_code == 1
    assert lines(run)[0] == (
        "signature       UNSIGNED: the message carries no signature "
        "(checked with the secret in ECP_SECRET)"
    )


def test_unsigned_without_a_secret_is_unchecked(bare_cli):
    path = bare_cli.write("unsigned.json", {"payment": {"status": "success"}})
    assert bare_cli("show", str(path)).exit_code == 0


def test_secret_from_a_profile_file(bare_cli):
    profiles = bare_cli.write(
        "p.yaml", "default: t\nprofiles:\n  t:\n    project_id: 100\n    secret: secret\n"
    )
    run = bare_cli("--profiles", str(profiles), "show", str(SAMPLES / "purchase_success.json"))
    assert run.exit_code == 0
    assert lines(run)[0] == "signature       valid (checked with the secret of profile t)"


def test_a_broken_configuration_is_an_error_not_unchecked(bare_cli):
    bare_cli.vars["ECP_PROFILE"] = "nope"
    run = bare_cli("show", str(SAMPLES / "purchase_success.json"))
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.startswith("error: profile 'nope' was asked for")
    assert run.stderr.count("\n") == 1


# --- --json --------------------------------------------------------------------------------


def test_json_is_the_facts_plus_the_verdict(cli):
    run = show(cli, "decline_with_errors.json", "--json")
    assert (run.exit_code, run.stderr) == (0, "")
    data = run.json()
    assert data["signature"] == {"verdict": "valid"}
    expected = callback_facts(Callback.from_dict(load_sample("decline_with_errors.json")))
    assert {key: value for key, value in data.items() if key != "signature"} == expected
    assert data["summary"]["outcome"] == "declined"
    assert data["operation"]["code_info"]["category"] == "issuer"


def test_json_unchecked(bare_cli):
    unchecked = show(bare_cli, "awaiting_3ds_unknown_secret.json", "--json")
    assert unchecked.exit_code == 0
    assert unchecked.json()["signature"] == {
        "verdict": "unchecked",
        "reason": "no secret configured",
    }


def test_json_invalid(cli):
    invalid = show(cli, "awaiting_3ds_unknown_secret.json", "--json")
    assert invalid.exit_code == 1
    assert invalid.json()["signature"] == {"verdict": "invalid"}
    assert invalid.json()["operation"]["sum_converted"]["formatted"] == "0.84 USD"


def test_stdin_and_yaml(cli, tmp_path):
    text = (SAMPLES / "purchase_success.json").read_text(encoding="utf-8")
    run = cli("show", "-", input=text)
    assert run.exit_code == 0 and run.stdout == PURCHASE_SUCCESS_VIEW
    yaml_file = cli.write("cb.yaml", "payment:\n  id: y1\n  status: success\n")
    run = cli("show", "--json", str(yaml_file))
    assert run.exit_code == 1  # unsigned, with a secret configured
    assert run.json()["payment"]["id"] == "y1"


# --- secrets -----------------------------------------------------------------------------


def test_the_secret_never_appears_in_any_output(cli):
    secret = "Sup3r-S3cret-Value"
    cli.vars["ECP_SECRET"] = secret
    for name in ALL_SAMPLES:
        for options in ((), ("--json",), ("--brief",)):
            run = show(cli, name, *options)
            assert secret not in run.stdout + run.stderr, (name, options)
    # Nor the signature it would give: that would let anyone forge this message.
    data = load_sample("purchase_success.json")
    expected = verify(data, secret).expected
    for options in ((), ("--json",)):
        run = show(cli, "purchase_success.json", *options)
        assert expected not in run.stdout + run.stderr


# --- bad input: one line, exit 2 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "no such file"),
        ("{not json", "not valid JSON: Expecting property name enclosed in double quotes"),
        ("[1, 2]", "expected an object at the top, got a list"),
        ("", "is empty"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, content, problem):
    path = cli.tmp_path / "input.json"
    if content is not None:
        cli.write("input.json", content)
    run = cli("show", str(path))
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.startswith(f"error: {path}: {problem}")
    assert run.stderr.count("\n") == 1


def test_odd_types_degrade_instead_of_failing(cli):
    path = cli.write(
        "odd.json",
        {
            "payment": "a string",
            "operation": {"status": "decline", "code": 10105, "sum_initial": "lots"},
            "errors": [5, {"code": "x"}],
            "customer": ["list"],
        },
    )
    run = cli("show", str(path))
    assert run.exit_code == 1  # unsigned
    out = lines(run)
    assert "Odd content (shown as far as possible)" in out
    assert "  -             payment is a string, not an object; ignored" in out
    assert "  -             customer is a list, not an object; ignored" in out
    assert "  amount        lots" in out
    assert "  code          10105 Insufficient funds on card" in out


def test_terminal_control_characters_are_escaped(bare_cli):
    path = bare_cli.write(
        "evil.json",
        {"payment": {"status": "success", "description": "hi\x1b[2J\u202etxt.exe\nnext"}},
    )
    run = bare_cli("show", str(path))
    assert ESC not in run.stdout and "\u202e" not in run.stdout
    assert "  description   hi\\x1b[2J\\u202etxt.exe\\nnext" in lines(run)


def test_rich_markup_in_values_is_shown_literally(bare_cli):
    path = bare_cli.write(
        "markup.json", {"payment": {"status": "success", "description": "[bold red]x[/]"}}
    )
    assert "  description   [bold red]x[/]" in lines(bare_cli("show", str(path)))


# --- render_callback, for other commands ---------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_render_callback_colours_only_for_a_terminal():
    data = load_sample("purchase_success.json")
    terminal = FakeTerminal()
    state = State(env=Environment({"TERM": "xterm-256color"}, stdout=terminal))
    model = render_callback(state, data, verify(data, "secret"))
    assert model.payment.id == "30338174"
    assert ESC in terminal.getvalue()
    assert "10.00 RUB" in terminal.getvalue()

    for vars in ({"NO_COLOR": "1", "TERM": "xterm"}, {"TERM": "dumb"}):
        terminal = FakeTerminal()
        render_callback(State(env=Environment(vars, stdout=terminal)), data, None)
        assert ESC not in terminal.getvalue(), vars
        assert "unchecked: no secret configured" in terminal.getvalue()

    flagged = FakeTerminal()
    env = Environment({"TERM": "xterm"}, stdout=flagged, no_color_flag=True)
    render_callback(State(env=env), data, None)
    assert ESC not in flagged.getvalue()


def test_no_color_flag_on_the_command_line(cli):
    run = cli("--no-color", "show", str(SAMPLES / "purchase_success.json"))
    assert run.exit_code == 0 and run.stdout == PURCHASE_SUCCESS_VIEW


def test_render_callback_brief_for_a_gate_response():
    # A Gate payment status response: general + payment + operation.
    data = {
        "general": {"project_id": 112, "payment_id": "g-1", "signature": "x"},
        "payment": {"status": "awaiting capture", "sum": {"amount": 31415, "currency": "USD"}},
        "operation": {"type": "auth", "status": "success", "code": "0", "message": "Success"},
    }
    out = io.StringIO()
    render_callback(State(env=Environment({}, stdout=out)), data, None, verbose=False)
    assert out.getvalue().splitlines()[:3] == [
        "signature       unchecked: no secret configured (set ECP_SECRET or a profile to verify)",
        top(
            "in short",
            "Not final yet: 314.15 USD is held on the card; capture it to take the money or",
        ),
        "                cancel to release it",
    ]
    assert "  id            g-1" in out.getvalue().splitlines()
    assert json.dumps(callback_facts(Callback.from_dict(data)))  # serialisable


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_no_mutation_of_a_sample_breaks_the_view(name):
    import random

    from tests.callbacks.test_model import _mutations

    rng = random.Random(name)
    for data in _mutations(load_sample(name), rng, per_path=1):
        out = io.StringIO()
        render_callback(State(env=Environment({}, stdout=out)), data, None)
        assert out.getvalue().startswith("signature       unchecked")


def test_an_error_code_is_explained_unless_the_operation_already_did(bare_cli):
    path = bare_cli.write(
        "errors.json",
        {
            "payment": {"id": "p", "status": "decline"},
            "operation": {"status": "decline", "code": "10105"},
            "errors": [{"code": 10105}, {"code": 3028, "field": "amount"}, {"code": "x"}],
        },
    )
    out = lines(bare_cli("show", str(path)))
    start = out.index("Errors")
    assert (
        out[start + 1 :]
        == [
            sub("10105", "Insufficient funds on card"),  # the listed message stands in
            sub("3028", "Insufficient funds on merchant balance"),
            MORE + "field: amount",
            MORE
            + "business: The request was well formed but broke a business rule, such as a project",
            MORE
            + "setting, an amount or payout limit, a card restriction or the payment's current",
            MORE + "state.",
            MORE + "what to do: Your merchant balance with ecommpay does not cover this payout or",
            MORE + "refund: top up the balance or contact ecommpay support. The customer can do "
            "nothing",
            MORE + "about it.",
            sub("x", "(no message)"),
        ]
    )


def readme_example(command: str) -> str:
    """The output printed under ``$ COMMAND`` in a console block of docs/callbacks.md."""
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "callbacks.md").read_text(encoding="utf-8")
    after = text.split(f"$ {command}\n", 1)[1]
    return after.split("\n```", 1)[0].split("\n$ ", 1)[0].rstrip("\n") + "\n"


def test_the_readme_example_is_real_output(cli):
    command = "ecp show examples/callback-declined.json"  # a copy of decline_with_errors.json
    assert show(cli, "decline_with_errors.json").stdout == readme_example(command)


def test_the_readme_brief_example_is_real_output(bare_cli):
    command = "ecp show --brief tests/fixtures/samples/awaiting_3ds_unknown_secret.json"
    run = show(bare_cli, "awaiting_3ds_unknown_secret.json", "--brief")
    assert run.stdout == readme_example(command)


def test_a_declined_signature_check_points_at_the_secret(bare_cli):
    path = bare_cli.write(
        "bad_signature.json",
        {
            "payment": {"id": "p", "status": "decline"},
            "operation": {"status": "decline", "code": "3261", "message": "Invalid signature"},
        },
    )
    out = lines(bare_cli("show", str(path)))
    assert out[1:3] == [
        top(
            "in short",
            "Declined by a business rule: invalid signature; check the secret and the string to",
        ),
        MORE + "sign (ecp sign --explain)",
    ]
    what = next(i for i, line in enumerate(out) if line.startswith("  what to do"))
    assert out[what : what + 5] == [
        sub(
            "what to do",
            "The platform computed a different signature for your request: it was signed with",
        ),
        MORE + "another project's secret, or your string to sign differs from the platform's",
        MORE + "(parameter order, booleans as 1/0, nested values, a value changed after signing).",
        MORE + "Check that the secret belongs to this project_id, then compare your string to sign",
        MORE + "with ecp sign --explain FILE (for a Payment Page link: ecp decode URL).",
    ]
