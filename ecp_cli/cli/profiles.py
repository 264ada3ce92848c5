"""``ecp profiles``: which profiles exist and where each value comes from (secrets masked)."""

from typing import Annotated

import typer

from ecp_cli.cli.actions import profiles_list as action
from ecp_cli.cli.common import get_state, report_errors, runs
from ecp_cli.cli.profile_options import (
    DefaultOpt,
    ForceOpt,
    HereOpt,
    ProjectIdOpt,
    SecretEnvOpt,
    SecretStdinOpt,
    add_profile_command,
)
from ecp_cli.profiles import Profile, resolve_profile

profiles_app = typer.Typer(
    help="""List, inspect and add project profiles (secrets are always masked).

A profile is one ecommpay project: its project_id, its secret and base URLs.

Exit status: 0 done, 2 no profile file, a broken profile, or bad input.

Examples:

  ecp profiles list

  ecp -p live profiles show

  ecp profiles add live --project-id 67890 --secret-env ECP_LIVE_SECRET
""",
    no_args_is_help=True,
)


@profiles_app.command("list")
@runs(action)
def list_profiles(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the profiles as JSON.")] = False,
) -> None:
    """List the profiles in the profile file; the default one is marked with *.

    One line each: name, project_id and where the secret comes from (never the secret).
    With no file, the profile that $ECP_PROJECT_ID and $ECP_SECRET make.

    Exit status: 0 listed, 2 no profile file (and no $ECP_SECRET), or a profile
    in it is broken (still listed, marked !).

    Examples:

      ecp profiles list

      ecp --profiles profiles.example.yaml profiles list --json
    """


@profiles_app.command("show")
@report_errors
def show_profile(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(metavar="NAME", help="Profile name (default: the one ecp would use)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the profile as JSON.")] = False,
) -> None:
    """Show one profile as ecp resolves it, with the source of each value.

    Environment overrides ($ECP_PROJECT_ID, $ECP_SECRET) are applied, so this shows exactly
    what `ecp sign` or `ecp verify` would use. The secret is masked.

    Exit status: 0 shown, 2 no such profile or a broken profile file.

    Examples:

      ecp profiles show

      ecp -p live profiles show

      ecp profiles show live --json
    """
    state = get_state(ctx)
    profile: Profile = resolve_profile(
        state.env, state.profiles_path, name or state.profile_name, require_secret=False
    )
    for warning in profile.warnings:
        state.warn(warning)
    facts = profile.public_facts()
    if as_json:
        state.print_json(facts)
        return
    # Names, paths and URLs come from the file or the environment: shown escaped.
    state.say(f"{'profile':<17} {profile.label}")
    if profile.file:
        state.say(f"{'file':<17} {profile.file}")
    keys = ["project_id", "secret", "payment_page_url", "api_url", "check_url"]
    for key in keys + (["store"] if "store" in facts else []):
        value = facts[key] if facts[key] is not None else "(not set)"
        source = facts["sources"].get(key, "-")
        state.say(f"{key:<17} {value}  [{source}]")


@profiles_app.command("add")
@report_errors
def add_profile(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The new profile's name.")],
    project_id: ProjectIdOpt = None,
    secret_env: SecretEnvOpt = None,
    secret_stdin: SecretStdinOpt = False,
    here: HereOpt = False,
    force: ForceOpt = False,
    make_default: DefaultOpt = False,
) -> None:
    """Add a profile to the profile file (created 0600 if missing): as `ecp init NAME`.

    On a terminal ecp asks for what is missing (the secret without echo);
    elsewhere it takes --project-id or $ECP_PROJECT_ID, and the secret from
    $ECP_SECRET, --secret-stdin or --secret-env VAR. Other profiles in the file
    are kept; one of the same name only with --force.

    Exit status: 0 written, 2 bad input, an existing profile, or nothing to ask
    without a terminal.

    Examples:

      ecp profiles add live --project-id 67890 --secret-env ECP_LIVE_SECRET

      ecp profiles add test --here --force
    """
    add_profile_command(
        get_state(ctx), name, project_id=project_id, secret_env=secret_env,
        secret_stdin=secret_stdin, here=here, force=force, make_default=make_default,
    )  # fmt: skip
