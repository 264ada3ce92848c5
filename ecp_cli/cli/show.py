"""``ecp show``: what a callback says, in plain words (laid out by cli/callback_view.py)."""

from typing import Annotated

import typer

from ecp_cli.cli.actions import show as action
from ecp_cli.cli.common import runs


@runs(action)
def show_command(
    ctx: typer.Context,
    file: Annotated[
        str, typer.Argument(metavar="FILE|-", help="A callback body (JSON or YAML); - reads stdin.")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the same facts as JSON (with the verdict).")
    ] = False,
    brief: Annotated[
        bool, typer.Option("--brief", help="Leave out explanations, dates and details.")
    ] = False,
) -> None:
    """Show what a callback says: verdict, outcome, payment, operation, codes explained.

    The signature is checked when a secret is configured (a profile or ECP_SECRET).
    Without one the view is marked unchecked.

    Exit status: 0 valid or unchecked, 1 signature invalid or missing, 2 unusable input.

    Examples:

      ecp show callback.json

      pbpaste | ecp show -

      ecp show --json callback.json | jq .summary.headline
    """
