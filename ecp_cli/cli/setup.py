"""``ecp init`` and ``ecp doctor``: a profile without an editor, and one line per check of
the setup."""

from __future__ import annotations

from typing import Annotated

import typer

from ecp_cli import defaults
from ecp_cli.cli.common import exit_with, get_state, report_errors
from ecp_cli.cli.profile_options import (
    DefaultOpt,
    ForceOpt,
    HereOpt,
    ProjectIdOpt,
    SecretEnvOpt,
    SecretStdinOpt,
    add_profile_command,
)


@report_errors
def init(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="The profile's name.", show_default=True)
    ] = "test",
    project_id: ProjectIdOpt = None,
    secret_env: SecretEnvOpt = None,
    secret_stdin: SecretStdinOpt = False,
    here: HereOpt = False,
    force: ForceOpt = False,
    make_default: DefaultOpt = False,
) -> None:
    """Create a profile without an editor: project id and secret, in a file only you can read.

    On a terminal ecp asks for what is missing (the secret without echo);
    elsewhere it takes --project-id or $ECP_PROJECT_ID, and the secret from
    $ECP_SECRET, --secret-stdin, or --secret-env VAR (the file then names the
    variable and holds no secret). The file is the user config file
    (~/.config/ecp/profiles.yaml), ./ecp.yaml with --here, or --profiles PATH;
    it is written 0600 in one step. An existing profile of the same name is
    kept unless --force. Same as `ecp profiles add`.

    Exit status: 0 written, 2 bad input, an existing profile, or nothing to ask
    without a terminal.

    Examples:

      ecp init

      ecp init test --project-id 112 --here

      printf '%s\\n' "$SECRET" | ecp init live --project-id 67890 --secret-stdin

      ecp init ci --project-id 112 --secret-env ECP_TEST_SECRET
    """
    add_profile_command(
        get_state(ctx), name, project_id=project_id, secret_env=secret_env,
        secret_stdin=secret_stdin, here=here, force=force, make_default=make_default,
    )  # fmt: skip


@report_errors
def doctor(
    ctx: typer.Context,
    offline: Annotated[
        bool, typer.Option("--offline", help="Skip the checks that need the network.")
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            min=0.1,
            max=defaults.GATE_MAX_TIMEOUT,
            help="Wait this long for each host.",
        ),
    ] = 5.0,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"ok": ..., "checks": [...]}.')
    ] = False,
) -> None:
    """Check the setup: profile file, permissions, secret, signing, clock, hosts.

    One line per check: ok, warn, FAIL or skip. The secret is checked by
    signing the platform documentation's worked example; the clock against
    the platform's hosts' Date; each of the profile's three hosts must answer
    (any HTTP status will do). --offline skips the network.

    Exit status: 0 no check failed (warnings allowed), 2 the profile or its
    file failed a check, 3 a host did not answer.

    Examples:

      ecp doctor

      ecp -p live doctor --offline

      ecp doctor --json | jq -r '.checks[] | select(.status != "ok") | .detail'
    """
    from ecp_cli.setup.doctor import exit_status, run_checks

    state = get_state(ctx)
    checks = run_checks(
        state.env, state.profiles_path, state.profile_name, offline=offline, timeout=timeout
    )
    status = exit_status(checks)
    if as_json:
        state.print_json({"ok": not status, "checks": [check.public() for check in checks]})
    else:
        width = max(len(check.name) for check in checks)
        for check in checks:
            state.out(f"{check.status:<4}  {check.name:<{width}}  {_printable(check.detail)}")
    exit_with(status)


def _printable(text: str) -> str:
    """Control characters (a path may hold any) shown escaped, not sent to the terminal."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
