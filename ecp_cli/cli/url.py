"""``ecp url``: a signed Payment Page link, ready to open or to hand to a script."""

from typing import Annotated

import typer

from ecp_cli.cli.common import State, get_state, report_errors
from ecp_cli.cli.gate_options import (
    RetriesOption,
    TimeoutOption,
    check_retries,
    check_timeout,
)
from ecp_cli.defaults import GATE_RETRIES, GATE_TIMEOUT
from ecp_cli.errors import EcpError, InputError
from ecp_cli.exit_codes import ExitStatus

# Dedicated flags and the parameter each one sets. They win over --param and --params.
FLAG_PARAMETERS = {
    "--amount": "payment_amount",
    "--currency": "payment_currency",
    "--payment-id": "payment_id",
    "--customer-id": "customer_id",
    "--description": "payment_description",
    "--language": "language_code",
    "--mode": "mode",
}
# What --param turns into booleans: the spellings JSON and YAML use for true and false.
_PARAM_BOOLEANS = {"true": True, "false": False}


def _param_pairs(items: list[str]) -> dict[str, object]:
    fields: dict[str, object] = {}
    for item in items:
        key, equals, value = item.partition("=")
        if not equals or not key:
            raise InputError(f"--param {item!r}: expected KEY=VALUE, such as customer_email=a@b.c")
        fields[key] = _PARAM_BOOLEANS.get(value, value)
    return fields


def _gather(
    state: State, params_file: str | None, pairs: list[str], flags: dict[str, str | None]
) -> tuple[dict[str, object], dict[str, str]]:
    """Merge the three sources, later ones winning: --params file, --param, dedicated flags.
    Also note where each parameter came from, for error messages."""
    fields: dict[str, object] = {}
    origins: dict[str, str] = {}
    if params_file is not None:
        from ecp_cli.documents import load_document

        document = load_document(params_file, state.env.stdin)
        fields.update(document.data)
        origins.update(dict.fromkeys(document.data, document.source))
    from_pairs = _param_pairs(pairs)
    fields.update(from_pairs)
    origins.update(dict.fromkeys(from_pairs, "--param"))
    for flag, value in flags.items():
        if value is not None:
            fields[FLAG_PARAMETERS[flag]] = value
            origins[FLAG_PARAMETERS[flag]] = flag
    return fields, origins


def _open_in_browser(state: State, url: str) -> None:
    import webbrowser

    try:
        opened = webbrowser.open(url)
    except webbrowser.Error:
        opened = False
    if not opened:
        state.warn("no web browser could be opened; copy the URL above")


@report_errors
def url_command(
    ctx: typer.Context,
    amount: Annotated[
        str | None,
        typer.Option(
            "--amount",
            metavar="MINOR_UNITS",
            help="payment_amount: an integer in minor units (31415 USD is 314.15 USD).",
        ),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option("--currency", metavar="CODE", help="payment_currency: ISO 4217, e.g. USD."),
    ] = None,
    payment_id: Annotated[
        str | None,
        typer.Option(
            "--payment-id",
            metavar="ID",
            help="payment_id (default: a new unique one, shown on stderr).",
        ),
    ] = None,
    customer_id: Annotated[
        str | None, typer.Option("--customer-id", metavar="ID", help="customer_id.")
    ] = None,
    description: Annotated[
        str | None,
        typer.Option("--description", metavar="TEXT", help="payment_description."),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option("--language", metavar="XX", help="language_code: two letters, e.g. en."),
    ] = None,
    mode: Annotated[
        str | None,
        typer.Option(
            "--mode",
            metavar="MODE",
            help="purchase (default), payout, card_tokenize or card_verify.",
        ),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            metavar="KEY=VALUE",
            help="Any other parameter; repeatable. true/false become 1/0; KEY= leaves KEY out.",
        ),
    ] = None,
    params_file: Annotated[
        str | None,
        typer.Option(
            "--params",
            metavar="FILE|-",
            help="JSON or YAML object of parameters; flags and --param win over it.",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="Payment Page host (default: the profile's payment_page_url).",
        ),
    ] = None,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Also open the link in a web browser.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"url": ..., "params": ..., "signature": ...}.')
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Also ask the platform's pre-check whether it accepts the parameters."
        ),
    ] = False,
    check_url: Annotated[
        str | None,
        typer.Option(
            "--check-url", metavar="URL", help="Pre-check base URL (default: the profile's)."
        ),
    ] = None,
    timeout: TimeoutOption = GATE_TIMEOUT,
    retries: RetriesOption = GATE_RETRIES,
) -> None:
    """Build a signed Payment Page URL and print it.

    project_id and the secret come from the profile. Only the URL goes to
    stdout, so URL=$(ecp url ...) works; notes go to stderr.

    Booleans travel as 1/0, empty values are left out, nested values are
    refused (send them as base64 JSON), and the signature covers the
    parameters exactly as they appear in the URL.

    Exit status: 0 the URL was printed, 1 (--check) the platform objects to
    the parameters, 2 the input or the profile cannot be used, 3 (--check)
    the pre-check could not be reached.

    Examples:

      ecp url --amount 31415 --currency USD

      URL=$(ecp url --amount 1000 --currency EUR --payment-id order-17)

      ecp url --params order.yaml --param close_on_missclick=true --open

      ecp url --mode card_tokenize --customer-id c42 --json

      ecp url --amount 31415 --currency USD --check    (exit 1: refused)
    """
    from ecp_cli.http.urls import check_base_url
    from ecp_cli.payment_page import url as payment_page

    state = get_state(ctx)
    pre_check_url = ""
    if check:  # flag errors first, before any warning about the link
        from ecp_cli.cli.pre_check import resolve_check_url

        pre_check_url = resolve_check_url(state, check_url)
        timeout, retries = check_timeout(timeout), check_retries(retries)
    flags = {
        "--amount": amount,
        "--currency": currency,
        "--payment-id": payment_id,
        "--customer-id": customer_id,
        "--description": description,
        "--language": language,
        "--mode": mode,
    }
    fields, origins = _gather(state, params_file, param or [], flags)
    if base_url is not None:
        base_url = check_base_url(base_url, "--base-url")
    profile = state.profile()
    if profile.project_id is None:
        where = f"{profile.file}: profile {profile.label!r}" if profile.file else "no profile file"
        raise EcpError(f"{where}: no project_id (add one to the profile or set ECP_PROJECT_ID)")
    request = payment_page.build_params(fields, profile.project_id, origins=origins)
    signed = payment_page.build_url(
        base_url or profile.payment_page_url, request.params, profile.signing_secret
    )
    for warning in request.warnings:
        state.warn(warning)
    if request.generated_payment_id:
        state.note(
            f"payment_id: {request.generated_payment_id} "
            "(generated; choose your own with --payment-id)"
        )
    outcome = None
    if as_json:
        facts = {"url": signed.url, "params": signed.params, "signature": signed.signature}
        if check:
            outcome = _pre_check(state, signed.params, pre_check_url, timeout, retries)
            facts["check"] = outcome
        state.print_json(facts)
    else:
        state.out(signed.url)  # first: the link is printed even if the pre-check cannot run
        if check:
            outcome = _pre_check(state, signed.params, pre_check_url, timeout, retries)
    if open_browser:
        _open_in_browser(state, signed.url)
    if outcome is not None and not outcome["accepted"]:
        raise typer.Exit(int(ExitStatus.FAILURE))


def _pre_check(state: State, params: dict, check_url: str, timeout: float, retries: int) -> dict:
    """Ask the pre-check about the link's parameters (unsigned, as the endpoint wants them).

    The verdict goes to stderr: stdout carries only the URL, so URL=$(ecp url --check) works.
    """
    from ecp_cli.cli.pre_check import problem_line
    from ecp_cli.http import gate

    result = gate.check_params(params, check_url=check_url, timeout=timeout, retries=retries)
    if result.accepted:
        state.note("pre-check: accepted")
    for problem in result.problems:
        state.note(f"pre-check: {problem_line(problem)}")
    if not result.accepted:
        count = len(result.problems)
        state.error(f"the pre-check reported {count} problem{'s' if count != 1 else ''}")
    return {
        "accepted": result.accepted,
        "http_status": result.http_status,
        "problems": [problem.as_dict() for problem in result.problems],
    }
