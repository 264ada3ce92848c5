"""Options and the shared work of ``ecp init`` and ``ecp profiles add``: a profile written
without an editor, asked for on a terminal only."""

from __future__ import annotations

from typing import Annotated

import typer

from ecp_cli.cli.state import State
from ecp_cli.errors import ProfileError

ProjectIdOpt = Annotated[
    str | None,
    typer.Option(
        "--project-id", metavar="N", help="The project's id (default: $ECP_PROJECT_ID, or asked)."
    ),
]
SecretEnvOpt = Annotated[
    str | None,
    typer.Option(
        "--secret-env",
        metavar="VAR",
        help="Keep no secret in the file: read it from this variable when used.",
    ),
]
SecretStdinOpt = Annotated[
    bool, typer.Option("--secret-stdin", help="Read the secret from the first line of stdin.")
]
HereOpt = Annotated[
    bool, typer.Option("--here", help="Write ./ecp.yaml instead of the user config file.")
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace a profile of the same name.")]
DefaultOpt = Annotated[bool, typer.Option("--default", help="Make it the file's default profile.")]


def add_profile_command(
    state: State,
    name: str,
    *,
    project_id: str | None,
    secret_env: str | None,
    secret_stdin: bool,
    here: bool,
    force: bool,
    make_default: bool,
) -> None:
    """Shared by ``ecp init`` and ``ecp profiles add``."""
    from ecp_cli.setup.writing import add_profile, profile_entry, target_file

    env = state.env
    if here and state.profiles_path:
        raise ProfileError("--here and --profiles name two files: choose one")
    if secret_env and secret_stdin:
        raise ProfileError("--secret-env and --secret-stdin: choose one")
    path = target_file(env, state.profiles_path, here)
    if path.exists() and not force:
        from ecp_cli.profiles import load_profile_file

        if name in load_profile_file(path).names():  # say so before asking anything
            raise ProfileError(f"{path}: a profile named {name!r} exists; --force replaces it")
    terminal = env.stdin_isatty
    if project_id is None:
        project_id = env.get("ECP_PROJECT_ID")
    if project_id is None:
        if not terminal:
            raise ProfileError(
                "no project id: give --project-id N or set ECP_PROJECT_ID "
                "(ecp asks only on a terminal)"
            )
        project_id = _ask(state, "project id: ")
    secret = None
    if secret_stdin:
        secret = env.stdin.readline().rstrip("\r\n")
        if not secret:
            raise ProfileError("--secret-stdin: the first line of stdin is empty")
    elif secret_env is None:
        secret = env.get("ECP_SECRET")
        if secret is None:
            if not terminal:
                raise ProfileError(
                    "no secret: give --secret-env VAR or --secret-stdin, or set ECP_SECRET "
                    "(ecp asks only on a terminal)"
                )
            secret = _ask(state, "secret (not shown): ", hidden=True)
    entry = profile_entry(project_id, secret=secret, secret_env=secret_env)
    new = add_profile(path, name, entry, force=force, make_default=make_default)
    kept = f"secret: {len(secret)} characters" if secret else f"secret from ${secret_env}"
    verb = "created" if new else "updated"
    state.note(
        f"{verb} {path} (readable by you only): profile {name!r}, project "
        f"{entry['project_id']}, {kept}"
    )
    from ecp_cli.profiles import find_profile_file, load_profile_file

    found = find_profile_file(env, None)
    where_from = found is not None and found.resolve() == path.resolve()
    option = "" if where_from else f"--profiles {path} "
    if load_profile_file(path).default != name:
        option += f"-p {name} "
    state.note(f"check it with: ecp {option}doctor")


def _ask(state: State, prompt: str, *, hidden: bool = False) -> str:
    """One answer from the person at the terminal; the secret is not echoed."""
    try:
        if hidden:
            import getpass

            answer = getpass.getpass(prompt, stream=state.env.stderr)  # type: ignore[arg-type]
        else:
            state.env.stderr.write(prompt)
            state.env.stderr.flush()
            answer = state.env.stdin.readline()
            if not answer:
                raise EOFError
    except EOFError:
        state.env.stderr.write("\n")
        raise ProfileError("no answer: nothing was written") from None
    answer = answer.strip()
    if not answer:
        raise ProfileError("an empty answer: nothing was written")
    return answer
