"""Running a command's action, with its expected failures turned into one stderr line and
the documented exit status.

Typer-free: the Typer commands (through cli/common.py) and the launcher's fast path
(cli/fast_path.py) both come here, so a command fails the same way whichever ran it. No
traceback reaches the user from here; anything unexpected goes on up to the launcher.
"""

from ecp_cli.cli.state import State
from ecp_cli.errors import EcpError
from ecp_cli.exit_codes import ExitStatus

TYPE_CHECKING = False  # typing costs start-up time; these are for annotations
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


def invoke(
    state: State, action: "Callable[..., int | None]", params: dict, labels: "Mapping[str, str]"
) -> int:
    """``action(state, **params)``'s exit status (it returns an ExitStatus, or None for 0).
    ``labels`` name each parameter as a user typed it (``--as``, ``FILE|-``), for messages
    about its value."""
    try:
        status = action(state, **params)
    except (Exception, KeyboardInterrupt) as error:
        failed = failure_status(error, state, params, labels)
        if failed is None:
            raise
        return failed
    return int(status) if status is not None else int(ExitStatus.OK)


def failure_status(
    error: BaseException, state: State | None, params: dict, labels: "Mapping[str, str]"
) -> int | None:
    """The exit status for an expected failure, once it is reported: one line on stderr,
    and for --json a JSON failure on stdout. None when ``error`` is not an expected one.
    ``state`` is None only when a command runs without the application (library use)."""
    from ecp_cli.signing.canonical import CanonicalError

    as_json = bool(params.get("as_json")) and state is not None
    if isinstance(error, EcpError | CanonicalError):
        if isinstance(error, EcpError):
            message, status = error.message, int(error.status)
        else:
            message, status = f"cannot sign: {error}", int(ExitStatus.INPUT_ERROR)
        _error_line(state, message)
        if as_json:
            state.json_failure(message, status)  # type: ignore[union-attr]
        return status
    if isinstance(error, KeyboardInterrupt):
        _error_line(state, "interrupted")
        return int(ExitStatus.INTERRUPTED)
    if isinstance(error, BrokenPipeError):
        # The reader left (`ecp show x | head -0`). Click would exit 1, which for ecp means
        # a negative verdict; the launcher's rule is that this is not an error.
        from ecp_cli.cli.process_output import discard_stdout

        discard_stdout()
        return int(ExitStatus.OK)
    if isinstance(error, UnicodeEncodeError) and "surrogate" in error.reason:
        # Argument bytes that are not UTF-8 reach Python as lone surrogates (PEP 383):
        # fine in a file name, but they cannot be signed, sent or put in a URL.
        culprit = _not_utf8_argument(params, labels)
        if culprit is not None:
            _error_line(state, culprit)
            return int(ExitStatus.INPUT_ERROR)
    return None


def _not_utf8_argument(values: dict, labels: "Mapping[str, str]") -> str | None:
    """'OPTION: VALUE is not UTF-8 text' for the first such parameter, or None."""
    for name, value in values.items():
        for text in value if isinstance(value, list | tuple) else [value]:
            if isinstance(text, str) and not text.isascii():
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    shown = text.encode("utf-8", "surrogateescape").decode(
                        "ascii", "backslashreplace"
                    )
                    return f"{labels.get(name, name)}: '{shown}' is not UTF-8 text"
    return None


def _error_line(state: State | None, message: str) -> None:
    """One line on the command's stderr (the Environment's, so tests capture it)."""
    if state is not None:
        state.error(message)
    else:
        import sys

        sys.stderr.write(f"error: {message}\n")
