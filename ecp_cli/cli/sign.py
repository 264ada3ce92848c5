"""``ecp sign``: the signature of a parameter file."""

import json
from typing import Annotated

import typer

from ecp_cli.cli.common import State, get_state, report_errors
from ecp_cli.documents import load_document
from ecp_cli.errors import InputError
from ecp_cli.signing.canonical import NOT_SIGNED_IN_DOCUMENTS, entries, float_paths
from ecp_cli.signing.signature import embed_signature, hmac_signature, signed_string


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
    state = get_state(ctx)
    variant = None
    if as_sdk is not None:
        from ecp_cli.signing import sdk_variants

        try:
            variant = sdk_variants.resolve(as_sdk)
        except KeyError as error:
            raise InputError(f"--as: {error.args[0]}") from None
    document = load_document(file, state.env.stdin)
    profile = state.profile()
    for path in float_paths(document.data):
        state.warn(
            f"{document.source}: {path} is a float; amounts are integers in minor units "
            "and every SDK prints floats differently"
        )
    _warn_unknown_parameters(state, document.source, document.data)
    spec_entries = entries(document.data, NOT_SIGNED_IN_DOCUMENTS)
    text = signed_string(document.data)
    signature = hmac_signature(text, profile.signing_secret)
    if variant is not None:
        used_entries = variant.entries(document.data)
        used_text = variant.string_to_sign(document.data)
        used_signature = hmac_signature(used_text, profile.signing_secret)
    else:
        used_entries, used_text, used_signature = spec_entries, text, signature
    if explain:
        state.note(f"string to sign: {used_text}")
        width = len(str(len(used_entries)))
        for number, entry in enumerate(used_entries, start=1):
            state.note(f"  {number:>{width}}  {entry}")
    if variant is not None:
        _report_variant(state, variant, spec_entries, used_entries, signature)
    if as_json:
        data: dict[str, object] = {"signature": used_signature, "string_to_sign": used_text}
        if variant is not None:
            from ecp_cli.signing.sdk_variants import differences

            data.update(
                {
                    "sdk": variant.name,
                    "spec_signature": signature,
                    "spec_string_to_sign": text,
                    "same_as_spec": used_text == text,
                    "differences": differences(spec_entries, used_entries),
                }
            )
        state.print_json(data)
    elif embed:
        signed = embed_signature(document.data, used_signature)
        state.out(json.dumps(signed, indent=2, ensure_ascii=False))
    else:
        state.out(used_signature)


def _report_variant(state: State, variant, spec_entries, used_entries, spec_sig):
    from ecp_cli.signing.sdk_variants import differences

    who = variant.title[:1].upper() + variant.title[1:]
    found = differences(spec_entries, used_entries)
    if not found:
        state.note(f"{who}: signs this file exactly as the spec does")
        return
    state.note(f"{who}: signs this file differently from the spec (spec signature: {spec_sig})")
    for line in found:
        state.note(f"  - {line}")


def _warn_unknown_parameters(state: State, source: str, data: dict) -> None:
    """Misspelt Payment Page parameters, only for documents that look like them (so
    callbacks and Gate requests, which have other names, raise no noise)."""
    from ecp_cli.payment_page import parameters as payment_page_params

    if not payment_page_params.looks_like_payment_page(data):
        return
    for _, warning in payment_page_params.unknown_name_warnings(data):
        state.warn(f"{source}: {warning}")
