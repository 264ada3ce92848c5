"""``ecp show``: what a callback says, in plain words (laid out by cli/callback_view.py)."""

from typing import Annotated

import typer

from ecp_cli.callbacks.facts import callback_facts
from ecp_cli.callbacks.model import Callback
from ecp_cli.cli.callback_view import render_callback, signature_facts, verdict_status
from ecp_cli.cli.common import exit_with, get_state, report_errors
from ecp_cli.documents import load_document
from ecp_cli.signing.signature import verify


def _secret_source(profile) -> str | None:
    if profile is None:
        return None
    if profile.sources.get("secret") == "env $ECP_SECRET":
        return "the secret in ECP_SECRET"
    return f"the secret of profile {profile.label}"


@report_errors
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
    state = get_state(ctx)
    document = load_document(file, state.env.stdin)
    profile = state.optional_profile()
    verification = verify(document.data, profile.signing_secret) if profile else None
    callback = Callback.from_dict(document.data)
    notes = []
    if (
        profile is not None
        and verification is not None
        and not verification.ok
        and callback.project_id is not None
        and profile.project_id is not None
        and str(callback.project_id) != str(profile.project_id)
    ):
        # The commonest reason for a mismatch: the secret of another project.
        notes.append(
            f"the message is for project {callback.project_id}, but the secret is for "
            f"project {profile.project_id}: is this the right profile?"
        )
    if as_json:
        state.print_json(
            {
                "signature": signature_facts(verification),
                **callback_facts(callback),
            }
        )
    else:
        render_callback(
            state,
            document.data,
            verification,
            verbose=not brief,
            checked_with=_secret_source(profile),
            notes=notes,
        )
    exit_with(verdict_status(verification))
