"""``ecp sign``: the signature of a parameter file."""

from typing import Annotated

import typer

from ecp_cli.cli.actions import sign as action
from ecp_cli.cli.common import runs


@runs(action)
def sign(
    ctx: typer.Context,
    file: Annotated[
        str, typer.Argument(metavar="FILE|-", help="JSON or YAML object; - reads stdin.")
    ],
    embed: Annotated[
        bool, typer.Option("--embed", help="Print the document with its signature added.")
    ] = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="Also write the string to sign on stderr, one entry per line."
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"signature": ..., "string_to_sign": ...}.')
    ] = False,
    as_sdk: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="SDK",
            help="Sign the way that SDK does and say where it differs from the spec: python "
            "(git master 35ed5ec), python-1.0.6 (PyPI), js (npm 0.1.7), go (git db11425), "
            "java (git 0faf4eb), dotnet (git 3a09773) or php (git cf81e39).",
        ),
    ] = None,
) -> None:
    """Sign a parameter file with the profile's secret and print the signature.

    Keys named signature (at any depth) and frame_mode are never signed, so
    `ecp sign --embed f.json | ecp verify -` always round-trips.

    With --as SDK, prints what that official SDK would produce for the
    same file instead, and lists on stderr where its string to sign
    differs from the spec's: for when an SDK and the platform disagree.

    Exit status: 0 signed, 2 the file cannot be used, no secret, or an unknown
    --as name.

    Examples:

      SIG=$(ecp sign request.json)

      ecp sign --embed callback.yaml > signed.json

      ecp -p live sign --explain - < params.json

      ecp sign --as python --explain request.json
    """
