"""What every Typer command shares: the run state, error reporting, exit statuses.

Data goes to stdout, messages to stderr. Errors are one line, ``error: ...``, and an exit
status from :class:`ecp_cli.exit_codes.ExitStatus`; no traceback ever reaches the user.
"""

import functools
from collections.abc import Callable

import typer

from ecp_cli.cli.state import State
from ecp_cli.environment import Environment
from ecp_cli.errors import EcpError
from ecp_cli.exit_codes import ExitStatus
from ecp_cli.signing.canonical import CanonicalError


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
            _json_failure(kwargs, error.message, error.status)
            raise typer.Exit(int(error.status)) from None
        except CanonicalError as error:
            _print_error(kwargs.get("ctx"), f"cannot sign: {error}")
            _json_failure(kwargs, f"cannot sign: {error}", ExitStatus.INPUT_ERROR)
            raise typer.Exit(int(ExitStatus.INPUT_ERROR)) from None
        except KeyboardInterrupt:
            _print_error(kwargs.get("ctx"), "interrupted")
            raise typer.Exit(int(ExitStatus.INTERRUPTED)) from None
        except BrokenPipeError:
            # The reader left (`ecp show x | head -0`). Click would exit 1, which for ecp
            # means a negative verdict; the launcher's rule is that this is not an error.
            from ecp_cli.cli.process_output import discard_stdout

            discard_stdout()
            raise typer.Exit(int(ExitStatus.OK)) from None
        except UnicodeEncodeError as error:
            # Argument bytes that are not UTF-8 reach Python as lone surrogates (PEP 383):
            # fine in a file name, but they cannot be signed, sent or put in a URL.
            culprit = _not_utf8_argument(kwargs.get("ctx"), kwargs)
            if "surrogate" not in error.reason or culprit is None:
                raise
            _print_error(kwargs.get("ctx"), culprit)
            raise typer.Exit(int(ExitStatus.INPUT_ERROR)) from None

    return wrapper


def _not_utf8_argument(ctx: typer.Context | None, values: dict) -> str | None:
    """'OPTION: VALUE is not UTF-8 text' for the first such parameter, or None."""
    options = {
        p.name: p.opts[0] if p.param_type_name == "option" else p.human_readable_name
        for p in (ctx.command.params if ctx is not None else [])
    }
    for name, value in values.items():
        for text in value if isinstance(value, list | tuple) else [value]:
            if isinstance(text, str) and not text.isascii():
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    shown = text.encode("utf-8", "surrogateescape").decode(
                        "ascii", "backslashreplace"
                    )
                    return f"{options.get(name, name)}: '{shown}' is not UTF-8 text"
    return None


def _json_failure(kwargs: dict, message: str, status: int) -> None:
    """The failure as JSON on stdout when the command was asked for --json."""
    ctx = kwargs.get("ctx")
    if kwargs.get("as_json") and ctx is not None:
        get_state(ctx).json_failure(message, int(status))


def _print_error(ctx: typer.Context | None, message: str) -> None:
    """One line on the command's stderr (the Environment's, so tests capture it)."""
    if ctx is not None:
        get_state(ctx).error(message)
    else:
        import sys

        sys.stderr.write(f"error: {message}\n")


def check_port(value: int) -> int:
    """--port: a TCP port, 0 for any free one. Checked here rather than with min/max, whose
    range Typer prints as ``<int range> [0<=x<=65535]`` in the help."""
    if not 0 <= value <= 65535:
        raise typer.BadParameter(f"{value} is not a port (0 to 65535)")
    return value


def exit_with(status: ExitStatus) -> None:
    if status is not ExitStatus.OK:
        raise typer.Exit(int(status))
