"""``ecp decode``: take a Payment Page URL apart, verify it and point out its mistakes."""

from typing import Annotated

import typer

from ecp_cli.cli.actions import decode as action
from ecp_cli.cli.common import runs


@runs(action)
def decode(
    ctx: typer.Context,
    url: Annotated[
        str,
        typer.Argument(metavar="URL|-", help="A Payment Page URL (quote it); - reads stdin."),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the parameters, verdict and findings as JSON.")
    ] = False,
) -> None:
    """Split a Payment Page URL into its parameters, verify its signature and check it.

    Shows every parameter with its decoded value (base64 JSON and JSON
    strings opened up), whether the signature matches the profile's
    secret (and if not, why), and the mistakes that break a link:
    missing parameters, booleans sent as true/false, amounts that are
    not integers, unknown currencies, misspelt parameter names.

    Exit status: 0 the signature is valid and nothing is wrong; 1
    otherwise (also when no profile is there to check the signature
    with); 2 not a URL, or unreadable input.

    Examples:

      ecp decode 'https://paymentpage.ecommpay.com/payment?project_id=...'

      pbpaste | ecp decode -

      ecp -p live decode --json "$URL" | jq .findings
    """
