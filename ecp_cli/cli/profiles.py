"""``ecp profiles``: which profiles exist and where each value comes from (secrets masked)."""

from typing import Annotated

import typer

from ecp_cli.cli.common import get_state, report_errors
from ecp_cli.errors import ProfileError
from ecp_cli.profiles import Profile, find_profile_file, load_profile_file, resolve_profile

profiles_app = typer.Typer(
    help="""List and inspect project profiles (secrets are always masked).

A profile is one ecommpay project: its project_id, its secret and base URLs.

Examples:

  ecp profiles list

  ecp -p live profiles show
""",
    no_args_is_help=True,
)


@profiles_app.command("list")
@report_errors
def list_profiles(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the profiles as JSON.")] = False,
) -> None:
    """List the profiles in the profile file; the default one is marked with *.

    One line each: name, project_id and where the secret comes from (never the secret).

    Examples:

      ecp profiles list

      ecp --profiles profiles.example.yaml profiles list --json
    """
    state = get_state(ctx)
    path = find_profile_file(state.env, state.profiles_path)
    if path is None:
        raise ProfileError(
            "no profile file found (looked for --profiles, $ECP_PROFILES, ./ecp.yaml and "
            f"{state.env.user_config_dir() / 'profiles.yaml'})"
        )
    profile_file = load_profile_file(path)
    for warning in profile_file.warnings:
        state.warn(warning)
    rows: list[dict] = []
    for item in profile_file.profiles(state.env):
        if isinstance(item, ProfileError):
            rows.append({"error": item.message})
            continue
        facts = item.public_facts()
        facts["default"] = item.name == profile_file.default
        rows.append(facts)
    if as_json:
        state.print_json({"file": str(path), "profiles": rows})
        return
    state.note(f"profiles in {path}:")
    for row in rows:
        if "error" in row:
            state.out(f"  ! {row['error']}")
            continue
        marker = "*" if row["default"] else " "
        secret = "secret set" if row["secret"] != "(none)" else "NO SECRET"
        state.out(
            f"{marker} {row['name']:<16} project {row['project_id'] or '-':<10} "
            f"{secret:<10} ({row['sources'].get('secret', '-')})"
        )


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
    state.out(f"profile   {profile.label}")
    if profile.file:
        state.out(f"file      {profile.file}")
    for key in ("project_id", "secret", "payment_page_url", "api_url", "check_url"):
        value = facts[key] if facts[key] is not None else "(not set)"
        source = facts["sources"].get(key, "-")
        state.out(f"{key:<17} {value}  [{source}]")
