"""``ecp sign``: the signature of a parameter file."""

import json
from typing import Annotated

import typer

from ecp_cli.canonical import float_paths
from ecp_cli.cli.app import app
from ecp_cli.cli.common import get_state, report_errors
from ecp_cli.documents import load_document
from ecp_cli.signature import embed_signature, hmac_signature, signed_string


@app.command(rich_help_panel="Signatures")
@report_errors
def sign(
    ctx: typer.Context,
    file: Annotated[
        str, typer.Argument(metavar="FILE|-", help="JSON or YAML object; - reads stdin.")
    ],
    embed: Annotated[
        bool, typer.Option("--embed", help="Print the document with its signature added.")
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Also write the string to sign on stderr.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"signature": ..., "string_to_sign": ...}.')
    ] = False,
) -> None:
    """Sign a parameter file with the profile's secret and print the signature.

    Keys named signature (at any depth) and frame_mode are never signed, so
    `ecp sign --embed f.json | ecp verify -` always round-trips.

    Examples:

      SIG=$(ecp sign request.json)

      ecp sign --embed callback.yaml > signed.json

      ecp -p live sign --explain - < params.json
    """
    state = get_state(ctx)
    document = load_document(file, state.env.stdin)
    profile = state.profile()
    for path in float_paths(document.data):
        state.warn(
            f"{document.source}: {path} is a float; amounts are integers in minor units "
            "and every SDK prints floats differently"
        )
    text = signed_string(document.data)
    signature = hmac_signature(text, profile.secret)
    if explain:
        state.note(f"string to sign: {text}")
    if as_json:
        state.print_json({"signature": signature, "string_to_sign": text})
    elif embed:
        signed = embed_signature(document.data, signature)
        state.out(json.dumps(signed, indent=2, ensure_ascii=False))
    else:
        state.out(signature)
