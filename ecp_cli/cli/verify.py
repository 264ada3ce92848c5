"""``ecp verify``: check callback signatures, with exit codes for scripts and CI."""

from typing import Annotated

import typer

from ecp_cli.cli.actions import verify as action
from ecp_cli.cli.common import runs


@runs(action)
def verify_command(
    ctx: typer.Context,
    files: Annotated[
        list[str] | None,
        typer.Argument(metavar="FILE...|-", help="Callback bodies (JSON or YAML); - reads stdin."),
    ] = None,
    jsonl: Annotated[
        str | None,
        typer.Option("--jsonl", metavar="FILE|-", help="Also verify one JSON callback per line."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of results.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing; the exit status tells.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            metavar="N",
            help="Processes for large --jsonl inputs (default: one per core; 1: none).",
        ),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Under each callback that is not valid: the string ecp signed, both "
            "signatures and the likely cause.",
        ),
    ] = False,
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            metavar="FILE",
            help="A known-good copy of the callback; the diagnosis diffs invalid ones with it.",
        ),
    ] = None,
) -> None:
    """Verify callback signatures with the profile's secret.

    One line per callback: valid, INVALID or UNSIGNED, the file, payment id and status.
    Exit status: 0 all valid, 1 any invalid or unsigned, 2 any input unreadable.

    With --explain, each one that is not valid is followed by the string
    ecp signed, the received and expected signatures and the likely
    cause; --json always carries the same facts as "diagnosis".

    Examples:

      ecp verify callback.json

      ecp verify --quiet fixtures/*.json && echo all signed right

      ecp verify --jsonl callbacks.log --json > report.json

      ecp verify --explain callback.json

      ecp verify --explain --against good.json received.json
    """
