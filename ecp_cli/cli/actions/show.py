"""What ``ecp show`` does (cli/show.py declares its options and help; the layout is
cli/callback_view.py's)."""

from ecp_cli.callbacks.facts import callback_facts
from ecp_cli.callbacks.model import Callback
from ecp_cli.cli.callback_view import render_callback, signature_facts, verdict_status
from ecp_cli.cli.state import State
from ecp_cli.documents import load_document
from ecp_cli.exit_codes import ExitStatus
from ecp_cli.signing.signature import verify


def _secret_source(profile) -> str | None:
    if profile is None:
        return None
    if profile.sources.get("secret") == "env $ECP_SECRET":
        return "the secret in ECP_SECRET"
    return f"the secret of profile {profile.label}"


def run(state: State, *, file: str, as_json: bool, brief: bool) -> ExitStatus:
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
            callback=callback,
        )
    return verdict_status(verification)
