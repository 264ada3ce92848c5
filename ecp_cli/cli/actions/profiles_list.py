"""What ``ecp profiles list`` does (cli/profiles.py declares its options and help)."""

from ecp_cli.cli.state import State
from ecp_cli.errors import ProfileError
from ecp_cli.exit_codes import ExitStatus
from ecp_cli.profiles import load_profile_file, profile_file_text, resolve_profile


def run(state: State, *, as_json: bool) -> ExitStatus | None:
    path = profile_file_text(state.env, state.profiles_path)
    if path is None:
        if state.env.get("ECP_PROJECT_ID") or state.env.get("ECP_SECRET"):
            _list_environment_profile(state, as_json)
            return None
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
    else:
        state.note(f"profiles in {path}:")
        for row in rows:
            if "error" in row:
                state.say(f"  ! {row['error']}")
                continue
            state.say(_list_line(row))  # names and variables come from the file: escaped
    if any("error" in row for row in rows):
        # Listed all the same, so that the good ones are seen; but a file with a broken
        # profile is a broken file (a misspelt key must not pass a CI check).
        return ProfileError.status
    return None


def _list_line(row: dict) -> str:
    marker = "*" if row["default"] else " "
    secret = "secret set" if row["secret"] != "(none)" else "NO SECRET"
    return (
        f"{marker} {row['name'] or '(environment)':<16} project {row['project_id'] or '-':<10} "
        f"{secret:<10} ({row['sources'].get('secret', '-')})"
    )


def _list_environment_profile(state, as_json: bool) -> None:
    """No file, but $ECP_PROJECT_ID / $ECP_SECRET make a profile: list that one."""
    profile = resolve_profile(state.env, None, None, require_secret=False)
    facts = profile.public_facts()
    facts["default"] = True
    if as_json:
        state.print_json({"file": None, "profiles": [facts]})
        return
    state.note("no profile file; the environment's ECP_PROJECT_ID and ECP_SECRET:")
    state.say(_list_line(facts))
