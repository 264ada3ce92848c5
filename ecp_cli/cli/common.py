"""What every Typer command shares: the run state, error reporting, exit statuses.

Data goes to stdout, messages to stderr. Errors are one line, ``error: ...``, and an exit
status from :class:`ecp_cli.exit_codes.ExitStatus`; no traceback ever reaches the user.
"""

import functools
from collections.abc import Callable
from types import ModuleType

import typer

from ecp_cli.cli.invoke import failure_status, invoke
from ecp_cli.cli.state import State
from ecp_cli.environment import Environment
from ecp_cli.exit_codes import ExitStatus


def get_state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):  # invoked without the app callback (library use)
        root.obj = State(env=Environment.from_os())
    return root.obj


def report_errors(command: Callable) -> Callable:
    """Turn expected failures into one stderr line and the documented exit status
    (cli/invoke.py says which)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (Exception, KeyboardInterrupt) as error:
            ctx = kwargs.get("ctx")
            state = get_state(ctx) if ctx is not None else None
            status = failure_status(error, state, kwargs, parameter_labels(ctx))
            if status is None:
                raise
            raise typer.Exit(status) from None

    return wrapper


def runs(action: ModuleType) -> Callable:
    """For a command whose work is ``action.run(state, **options)``, Typer-free so that the
    launcher can run it without Typer too (cli/fast_path.py). The decorated function only
    declares the command: its options, its help (the docstring); its body is not run."""

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def wrapper(ctx: typer.Context, **params):
            status = invoke(get_state(ctx), action.run, params, parameter_labels(ctx))
            if status:
                raise typer.Exit(status)

        wrapper.ecp_action = action.__name__  # type: ignore[attr-defined]
        return wrapper

    return decorate


def parameter_labels(ctx: typer.Context | None) -> dict[str, str]:
    """Each parameter's name as a user writes it: an option's first flag, an argument's
    metavar."""
    return {
        p.name: parameter_label(p)
        for p in (ctx.command.params if ctx is not None else [])
        if p.name is not None
    }


def parameter_label(param) -> str:
    """An option's first flag (--as), an argument's metavar (FILE|-)."""
    return param.opts[0] if param.param_type_name == "option" else param.human_readable_name


def check_port(value: int) -> int:
    """--port: a TCP port, 0 for any free one. Checked here rather than with min/max, whose
    range Typer prints as ``<int range> [0<=x<=65535]`` in the help."""
    if not 0 <= value <= 65535:
        raise typer.BadParameter(f"{value} is not a port (0 to 65535)")
    return value


def exit_with(status: ExitStatus) -> None:
    if status is not ExitStatus.OK:
        raise typer.Exit(int(status))
