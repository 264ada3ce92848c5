"""What every command shares: the run state, error reporting, output helpers.

Data goes to stdout, messages to stderr. Errors are one line, ``error: ...``, and an exit
status from :class:`ecp_cli.exit_codes.ExitStatus`; no traceback ever reaches the user.
"""

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass

import typer

from ecp_cli.canonical import CanonicalError
from ecp_cli.environment import Environment
from ecp_cli.errors import EcpError
from ecp_cli.exit_codes import ExitStatus
from ecp_cli.profiles import Profile, resolve_profile


@dataclass
class State:
    env: Environment
    profiles_path: str | None = None
    profile_name: str | None = None

    def profile(self, *, require_secret: bool = True) -> Profile:
        profile = resolve_profile(
            self.env, self.profiles_path, self.profile_name, require_secret=require_secret
        )
        for warning in profile.warnings:
            self.warn(warning)
        return profile

    def optional_profile(self) -> Profile | None:
        """The profile if one is configured with a secret, else None (for commands that
        can work unverified). Errors in a configuration that exists are still errors."""
        nothing_configured = (
            self.profiles_path is None
            and self.profile_name is None
            and not any(self.env.get(v) for v in ("ECP_PROFILES", "ECP_PROFILE", "ECP_SECRET"))
        )
        try:
            profile = self.profile(require_secret=False)
        except EcpError:
            if nothing_configured:
                return None
            raise
        return profile if profile.secret else None

    def out(self, text: str = "") -> None:
        self.env.stdout.write(text + "\n")

    def warn(self, message: str) -> None:
        self.env.stderr.write(f"warning: {message}\n")

    def note(self, message: str) -> None:
        self.env.stderr.write(f"{message}\n")

    def print_json(self, data: object) -> None:
        self.env.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def get_state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):  # invoked without the app callback (library use)
        root.obj = State(env=Environment.from_os())
    return root.obj


def report_errors(command: Callable) -> Callable:
    """Turn expected failures into one stderr line and the documented exit status."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except EcpError as error:
            _print_error(kwargs.get("ctx"), error.message)
            raise typer.Exit(int(error.status)) from None
        except CanonicalError as error:
            _print_error(kwargs.get("ctx"), f"cannot sign: {error}")
            raise typer.Exit(int(ExitStatus.INPUT_ERROR)) from None
        except KeyboardInterrupt:
            _print_error(kwargs.get("ctx"), "interrupted")
            raise typer.Exit(int(ExitStatus.INTERRUPTED)) from None

    return wrapper


def _print_error(ctx: typer.Context | None, message: str) -> None:
    """One line on the command's stderr (the Environment's, so tests capture it)."""
    import sys

    stream = get_state(ctx).env.stderr if ctx is not None else sys.stderr
    stream.write(f"error: {message}\n")


def exit_with(status: ExitStatus) -> None:
    if status is not ExitStatus.OK:
        raise typer.Exit(int(status))
