"""The full Typer application: every command module, registered on :data:`app`.

Each command lives in its own module and registers itself on ``app`` when imported.
Command modules import heavy libraries (rich, httpx, yaml) inside the functions that need
them, so that every command starts fast.
"""

from ecp_cli.cli import (  # noqa: F401  (imported for their commands)
    check,
    decode,
    events,
    explain,
    listen,
    profiles,
    send,
    show,
    sign,
    status,
    url,
    verify,
)
from ecp_cli.cli.app import app

__all__ = ["app", "run_app"]


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
