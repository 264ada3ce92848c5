"""What ``ecp sign`` does (cli/sign.py declares its options and help)."""

import json

from ecp_cli.cli.state import State
from ecp_cli.documents import load_document
from ecp_cli.errors import InputError
from ecp_cli.signing.canonical import NOT_SIGNED_IN_DOCUMENTS, entries, float_paths
from ecp_cli.signing.signature import embed_signature, hmac_signature, signed_string


def run(
    state: State, *, file: str, embed: bool, explain: bool, as_json: bool, as_sdk: str | None
) -> None:
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
