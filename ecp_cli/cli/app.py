"""The Typer application: the global options, and :func:`run_app`.

The commands come from the table in cli/commands.py, loaded one at a time by
cli/lazy_group.py; no command module registers itself here.
"""

from typing import Annotated

import typer

from ecp_cli import __version__
from ecp_cli.cli.lazy_group import LazyGroup
from ecp_cli.cli.state import State
from ecp_cli.environment import Environment

HELP = """\
ecp: sign, verify and explain ecommpay messages from the terminal and from CI.

Examples:

  ecp sign request.json              print the signature of a parameter file

  ecp url --amount 31415 --currency USD

  ecp verify callbacks/*.json        exit 0 only if every callback is valid

  ecp show callback.json             what a callback says, in plain words

  ecp COMMAND -h                     help and examples for one command

"""
# One paragraph, one source line: help wraps it at the terminal's width, not mid-sentence.
HELP += (
    "Exit status: 0 ok; 1 a negative verdict (invalid or unsigned, declined, problems "
    "found); 2 unusable input or configuration (usage errors too); 3 network or HTTP "
    "failure; 70 an internal error (a bug: please report it); 130 interrupted.\n"
)

app = typer.Typer(
    name="ecp",
    cls=LazyGroup,
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    # A fixed width for plain help, so that it does not depend on $COLUMNS.
    context_settings={"help_option_names": ["-h", "--help"], "terminal_width": 78},
)


def _print_version(value: bool) -> None:
    if value:
        print(f"ecp {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    profiles: Annotated[
        str | None,
        typer.Option(
            "--profiles",
            metavar="PATH",
            help="Profile file (default: $ECP_PROFILES, ./ecp.yaml, ~/.config/ecp/profiles.yaml).",
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            "-p",
            metavar="NAME",
            help="Profile to use (default: $ECP_PROFILE, the file's default).",
        ),
    ] = None,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour, even on a terminal (also: NO_COLOR).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    # Tests hand in their own Environment through ctx.obj; real runs read the OS.
    env = ctx.obj if isinstance(ctx.obj, Environment) else Environment.from_os()
    env.no_color_flag = env.no_color_flag or no_color
    ctx.obj = State(env=env, profiles_path=profiles, profile_name=profile)


def run_app(argv: list[str] | None = None) -> None:
    """Run the Typer application; exits the process like any click program. The launcher
    (cli/launcher.py) turns anything unexpected into one line."""
    import os
    import sys

    args = sys.argv[1:] if argv is None else argv
    if "--no-color" in args or os.environ.get("NO_COLOR"):
        # Typer draws help and usage errors with rich, which keeps bold and dim under
        # NO_COLOR and does not know --no-color; rich writes plain text to a console it
        # is told is not a terminal.
        os.environ["TTY_COMPATIBLE"] = "0"
    app(args=argv, prog_name="ecp")
