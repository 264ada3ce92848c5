"""``ecp url``: a signed Payment Page link, ready to open or to hand to a script."""

from typing import Annotated

import typer

from ecp_cli.cli.actions import url as action
from ecp_cli.cli.common import runs
from ecp_cli.cli.gate_options import RetriesOption, TimeoutOption
from ecp_cli.defaults import GATE_RETRIES, GATE_TIMEOUT


@runs(action)
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
