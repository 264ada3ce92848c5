"""``ecp explain``: what a response code, status or type means and what to do about it.

Its work is in cli/actions/explain.py; this module declares its options and help.
"""

from typing import Annotated

import typer

from ecp_cli.cli.actions import explain as action
from ecp_cli.cli.common import runs


@runs(action)
def explain_command(
    ctx: typer.Context,
    terms: Annotated[
        list[str],
        typer.Argument(
            metavar="CODE|STATUS...",
            help="Response codes (10105), statuses or types (awaiting_capture, sale).",
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the explanations as JSON.")
    ] = False,
) -> None:
    """Explain response codes, payment and operation statuses, and types.

    For a code: the platform's message, its category and what to do.
    For a status: what it means and whether it is final.
    Case, spaces, _ and - do not matter.

    Exit status: 0 all explained, 2 any term unknown (with suggestions on stderr).

    Examples:

      ecp explain 10105

      ecp explain "awaiting 3ds result" awaiting_capture

      ecp explain --json 3028 decline | jq '.[].matches[].kind'
    """
