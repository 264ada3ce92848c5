"""ecp explain: codes, statuses and types; several terms; unknown terms; --json."""

import pytest

from ecp_cli.callbacks import reference
from ecp_cli.callbacks.meanings import CATEGORY_MEANINGS


def test_a_response_code(bare_cli):
    run = bare_cli("explain", "10105")
    assert (run.exit_code, run.stderr) == (0, "")
    assert run.stdout == (
        "10105  response code\n"
        "  message       Insufficient funds on card\n"
        "  category      issuer - The card side (the issuing bank, the card scheme or the "
        "acquirer) declined\n"
        "                the operation or could not process it.\n"
        "  action        customer\n"
        "  what to do    The card does not hold enough money for this amount. The customer can "
        "top it up or\n"
        "                pay with another card; the same card tried again at once will most "
        "likely be\n"
        "                declined again.\n"
        "  advice from   ecp's reading of this code and its message, not a platform statement\n"
    )


def test_invalid_signature_points_at_the_secret_and_sign_explain(bare_cli):
    run = bare_cli("explain", "3261")
    assert (run.exit_code, run.stderr) == (0, "")
    assert run.stdout.split("  action ")[1] == (
        "       fix-request\n"
        "  what to do    The platform computed a different signature for your request: it was "
        "signed with\n"
        "                another project's secret, or your string to sign differs from the "
        "platform's\n"
        "                (parameter order, booleans as 1/0, nested values, a value changed "
        "after signing).\n"
        "                Check that the secret belongs to this project_id, then compare your "
        "string to sign\n"
        "                with ecp sign --explain FILE (for a Payment Page link: ecp decode "
        "URL).\n"
        "  advice from   ecp's reading of this code and its message, not a platform statement\n"
    )


@pytest.mark.parametrize(
    ("code", "action", "what_to_do", "source"),
    [
        (
            "3061",
            "fix-request",
            "The platform has no payment or operation with the ID you gave, in this project. "
            "Check the ID, that you ask with the project (profile) that created the payment, "
            "and that the payment was created at all; asking again will not find it.",
            "ecp",
        ),
        (
            "10102",
            "fix-request",
            "The card details entered (number, expiry date, holder name or CVV) do not match "
            "the issuer's records: the customer should check them and try again. For a saved "
            "card or a recurring charge, the stored details may be out of date: ask the "
            "customer to enter the card again.",
            "ecp",
        ),
        (
            "3041",
            "fix-request",
            "A payment_id can be used once in a project (compared case-insensitively), and "
            "this one was used before. Give every payment attempt a new payment_id; to learn "
            "what happened to the earlier one, ask its status (ecp status PAYMENT_ID).",
            "platform",
        ),
        (
            "3060",
            "contact-support",
            "The action does not fit the payment's current status: for example a capture "
            "after the hold was cancelled or expired, a second capture, or a refund of a "
            "payment that has not succeeded. Ask the payment's status (ecp status PAYMENT_ID) "
            "and send only what that status allows.",
            "ecp",
        ),
        (
            "20899",
            "wait",
            "The provider is still processing the payment, which can take up to several "
            "days: wait for the final callback, and tell the customer if needed.",
            "platform",
        ),
        (
            "10113",
            "none",
            "The issuer says not to retry: ask the customer for another card or payment "
            "method, and do not retry this card automatically.",
            "platform",
        ),
        (
            "3106",
            "retry-later",
            "The customer or your system may retry after some time, once the limit resets or "
            "the provider is back; an immediate retry will most likely fail the same way.",
            "action class",
        ),
    ],
)
def test_advice_that_fits_the_code(bare_cli, code, action, what_to_do, source):
    run = bare_cli("explain", "--json", code)
    assert run.exit_code == 0
    (match,) = run.json()[0]["matches"]
    assert (match["action"], match["what_to_do"], match["advice_source"]) == (
        action,
        what_to_do,
        source,
    )


def test_a_code_known_only_by_its_range(bare_cli):
    run = bare_cli("explain", "10999")
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert lines[0] == (
        "10999  response code (not in the platform's list; the category comes from the code range)"
    )
    assert not any(line.startswith("  message") for line in lines)
    assert lines[1].startswith("  category      issuer - ")


@pytest.mark.parametrize(
    "spelling", ["awaiting 3ds result", "Awaiting_3DS_Result", "awaiting-3ds-result"]
)
def test_a_status_in_any_spelling(bare_cli, spelling):
    run = bare_cli("explain", spelling)
    assert run.exit_code == 0
    assert run.stdout == (
        "awaiting 3ds result  payment status, not final\n"
        "  meaning       The customer is going through 3-D Secure authentication with their bank; "
        "the payment\n"
        "                goes on once the result comes back.\n"
        "\n"
        "awaiting 3ds result  operation status, not final\n"
        "  meaning       This operation waits for the customer to finish 3-D Secure "
        "authentication.\n"
    )


def test_unquoted_words_of_one_status_are_read_as_a_phrase(bare_cli):
    assert bare_cli("explain", "awaiting", "3ds", "result").stdout == (
        bare_cli("explain", "awaiting 3ds result").stdout
    )


def test_awaiting_capture_and_a_type(bare_cli):
    run = bare_cli("explain", "awaiting_capture", "sale")
    assert run.exit_code == 0
    assert run.stdout == (
        "awaiting capture  payment status, not final\n"
        "  meaning       Funds are held on the customer's card after an auth; send capture to "
        "take them or\n"
        "                cancel to release them.\n"
        "\n"
        "sale  operation type\n"
        "  meaning       A one-step charge: the amount is authorised and taken in a single "
        "operation.\n"
    )


def test_canceled_is_cancelled(bare_cli):
    run = bare_cli("explain", "canceled")
    assert run.stdout.splitlines()[0] == "cancelled  payment status, final"


def test_unknown_term_exit_2_with_suggestions(bare_cli):
    run = bare_cli("explain", "awaitng_captur")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == (
        "error: awaitng_captur: not a response code, status or type ecp knows; did you mean "
        "'awaiting capture', 'awaiting customer' or 'awaiting approval'?\n"
    )


def test_unknown_without_suggestions_and_out_of_range_codes(bare_cli):
    run = bare_cli("explain", "frobnicate")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        "error: frobnicate: not a response code, status or type ecp knows; try a response code "
        "(10105) or a status such as 'awaiting 3ds result'\n"
    )
    run = bare_cli("explain", "99999999")
    assert run.exit_code == 2
    assert run.stderr == (
        "error: 99999999: not a response code the platform lists, and outside every range it "
        "documents\n"
    )
    run = bare_cli("explain", "")
    assert run.exit_code == 2
    assert run.stderr == "error: nothing to explain: give a response code, status or type\n"


def test_known_terms_are_still_explained_next_to_unknown_ones(bare_cli):
    run = bare_cli("explain", "0", "succes")
    assert run.exit_code == 2
    assert run.stdout.splitlines()[0] == "0  response code"
    assert run.stderr == (
        "error: succes: not a response code, status or type ecp knows; did you mean 'success'?\n"
    )


def test_json(bare_cli):
    run = bare_cli("explain", "--json", "3028", "success", "nope-nope")
    assert run.exit_code == 2
    assert run.json() == [
        {
            "term": "3028",
            "matches": [
                {
                    "kind": "response_code",
                    "code": "3028",
                    "message": "Insufficient funds on merchant balance",
                    "category": "business",
                    "category_meaning": CATEGORY_MEANINGS["business"],
                    "action": "contact-support",
                    "what_to_do": (
                        "Your merchant balance with ecommpay does not cover this payout or "
                        "refund: top up the balance or contact ecommpay support. The customer "
                        "can do nothing about it."
                    ),
                    "advice_source": "ecp",
                    "listed": True,
                }
            ],
            "suggestions": [],
        },
        {
            "term": "success",
            "matches": [
                {
                    "kind": "payment_status",
                    "value": "success",
                    "final": True,
                    "meaning": reference.payment_status("success").meaning,
                },
                {
                    "kind": "operation_status",
                    "value": "success",
                    "final": True,
                    "meaning": reference.operation_status("success").meaning,
                },
            ],
            "suggestions": [],
        },
        {"term": "nope-nope", "matches": [], "suggestions": []},
    ]
    assert run.stderr.startswith("error: nope-nope: ")


def test_every_documented_code_status_and_type_is_explained(bare_cli):
    codes = [info.code for info in reference.all_response_codes()]
    names = [info.value for info in reference.all_statuses() + reference.all_types()]
    run = bare_cli("explain", "--json", *codes, *names)
    assert (run.exit_code, run.stderr) == (0, "")
    records = run.json()
    assert len(records) == len(codes) + len(names)
    assert all(record["matches"] for record in records)


def test_missing_argument_is_a_usage_error(bare_cli):
    run = bare_cli("explain")
    assert run.exit_code == 2
    assert run.stderr == "ecp: error: missing argument 'CODE|STATUS...' (see ecp explain -h)\n"


def test_plain_output_has_no_escape_codes(bare_cli):
    run = bare_cli("explain", "10105", "sale")
    assert "\x1b" not in run.stdout


def test_headings_are_bold_on_a_colour_terminal():
    import io

    from typer.testing import CliRunner

    from ecp_cli.environment import Environment
    from tests.conftest import app  # wherever the suite gets the Typer app from

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    for vars, bold in (({"TERM": "xterm"}, True), ({"TERM": "xterm", "NO_COLOR": "1"}, False)):
        out = Terminal()
        result = CliRunner().invoke(app, ["explain", "sale"], obj=Environment(vars, stdout=out))
        assert result.exit_code == 0
        first = out.getvalue().splitlines()[0]
        assert first == ("\x1b[1msale\x1b[0m  operation type" if bold else "sale  operation type")


def test_the_readme_examples_are_real_output(bare_cli):
    from tests.cli.test_show import readme_example

    for term in ("10105", "awaiting_capture"):
        assert bare_cli("explain", term).stdout == readme_example(f"ecp explain {term}")
    run = bare_cli("explain", "awaitng_captur")
    assert run.stderr == readme_example("ecp explain awaitng_captur")


def test_the_secret_never_appears(cli):
    cli.vars["ECP_SECRET"] = "Sup3r-S3cret-Value"
    for args in (("10105",), ("--json", "success"), ("nope",)):
        run = cli("explain", *args)
        assert "Sup3r-S3cret-Value" not in run.stdout + run.stderr


def test_json_records_have_one_shape_known_or_not(bare_cli):
    run = bare_cli("explain", "--json", "decline", "declnie", "zzzzzz")
    records = run.json()
    assert [sorted(record) for record in records] == [["matches", "suggestions", "term"]] * 3
    assert [record["suggestions"] for record in records] == [[], ["decline"], []]
