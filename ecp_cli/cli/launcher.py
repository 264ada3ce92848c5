"""The ``ecp`` entry point.

CI calls ``ecp verify`` thousands of times, and loading Typer costs more than verifying a
callback. So two things run here without Typer:

- ``ecp [COMMAND [SUBCOMMAND]] -h`` into a pipe prints its page from cli/help_pages.py
  (Typer's own text, byte for byte; on a terminal Typer draws its rich help);
- a plain ``ecp [--profiles P] [-p NAME] [--no-color] verify [--json] [--quiet]
  [--jsonl F] [--workers N] FILE...`` (the global options may also come after
  ``verify``) is parsed here and run by the same code the Typer command calls
  (cli/verify_report.py).

Anything else (other options, other commands) goes to the full Typer application, which
also reports usage errors.
"""

import os
import sys

from ecp_cli.cli.process_output import OUTPUT_ERRNOS, discard_stdout
from ecp_cli.exit_codes import ExitStatus

_GLOBAL_VALUE_OPTIONS = {
    "--profiles": "profiles_path",
    "--profile": "profile_name",
    "-p": "profile_name",
}
_VERIFY_FLAGS = {"--json": "as_json", "--quiet": "quiet", "-q": "quiet"}
INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug in ecp, never the user's input


def parse_fast_verify(argv: list[str]) -> dict | None:
    """The verify call's settings, or None when argv is anything but a plain verify call."""
    settings: dict = {"files": [], "jsonl": None, "as_json": False, "quiet": False}
    settings["workers"] = None
    settings.update(profiles_path=None, profile_name=None, no_color=False)
    args = iter(argv)
    for arg in args:  # global options, up to the command name
        if arg == "verify":
            break
        if not _take_global(arg, args, settings):
            return None
    else:
        return None  # no "verify" command
    only_files = False
    value: str | None
    for arg in args:
        name, _, value = arg.partition("=")
        if only_files or arg == "-" or not arg.startswith("-"):
            settings["files"].append(arg)
        elif arg == "--":
            only_files = True
        elif arg in ("--no-color", "-p") or name in _GLOBAL_VALUE_OPTIONS:
            # Global options after the command, as the Typer application accepts them.
            if not _take_global(arg, args, settings):
                return None
        elif arg in _VERIFY_FLAGS:
            settings[_VERIFY_FLAGS[arg]] = True
        elif name == "--jsonl" and settings["jsonl"] is None:
            if not value:
                value = next(args, None)
            if value is None:
                return None
            settings["jsonl"] = value
        elif name == "--workers" and settings["workers"] is None:
            if not value:
                value = next(args, None)
            if value is None or not value.isdigit():
                return None
            settings["workers"] = int(value)
        else:
            return None  # --help, --explain, a typo...: Typer knows what to say
    return settings


def _take_global(arg: str, args, settings: dict) -> bool:
    """Record the global option ``arg`` (its value taken from ``args`` when separate);
    False when it is not one, or its value is missing."""
    value: str | None
    name, _, value = arg.partition("=")
    if arg == "--no-color":
        settings["no_color"] = True
        return True
    if name in _GLOBAL_VALUE_OPTIONS and name != "-p" or arg == "-p":
        if not value:
            value = next(args, None)
        if not value or value.startswith("-"):
            return False
        settings[_GLOBAL_VALUE_OPTIONS[name]] = value
        return True
    return False


def help_page(argv: list[str]) -> str | None:
    """The plain help page ``ecp ARGV`` asks for, or None: for anything else, and on a
    terminal, where Typer draws its rich help."""
    if not argv or len(argv) > 3 or argv[-1] not in ("-h", "--help"):
        return None
    try:
        if sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):  # a replaced or closed stream
        return None
    from ecp_cli.cli.help_pages import PAGES

    return PAGES.get(tuple(argv[:-1]))


def run_fast_verify(settings: dict, env=None) -> int:
    from ecp_cli.cli.state import State
    from ecp_cli.cli.verify_report import run_verify
    from ecp_cli.environment import Environment
    from ecp_cli.errors import EcpError

    env = env if env is not None else Environment.from_os()
    env.no_color_flag = env.no_color_flag or settings["no_color"]
    state = State(env, settings["profiles_path"], settings["profile_name"])
    try:
        status = run_verify(
            state,
            settings["files"],
            settings["jsonl"],
            as_json=settings["as_json"],
            quiet=settings["quiet"],
            workers=settings["workers"],
        )
    except EcpError as error:
        state.error(error.message)
        if settings["as_json"]:
            state.json_failure(error.message, int(error.status))
        return int(error.status)
    return int(status)


def _unusable_input(error: BaseException) -> str | None:
    """Input too large or too deep for Python itself, wherever it was met: a bad input
    (exit 2), not an internal error. None for anything else."""
    if isinstance(error, RecursionError):
        return "the input is nested too deeply to read"
    if isinstance(error, MemoryError):
        return "the input is too large to hold in memory"
    if isinstance(error, ValueError) and "digits" in str(error) and "limit" in str(error):
        return "a number in the input has more than 4300 digits"
    return None


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    # A closed descriptor (`ecp sign x >&-`) leaves the stream None: output goes nowhere.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w"))  # noqa: SIM115 - for the process
    if argv[:1] == ["__complete"]:  # the shell asking, at every Tab: nothing else to parse
        from ecp_cli.cli.completion import main as complete

        sys.exit(complete(argv[1:]))
    try:
        try:
            page = help_page(argv)
            if page is not None:
                sys.stdout.write(page)
                sys.exit(int(ExitStatus.OK))
            settings = parse_fast_verify(argv)
            if settings is not None:
                sys.stdout.flush()
                sys.exit(run_fast_verify(settings))
            from ecp_cli.cli.app import run_app

            run_app(argv)
        except SystemExit:
            sys.stdout.flush()  # here, so that a write error is reported, not ignored
            raise
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        sys.exit(int(ExitStatus.INTERRUPTED))
    except BrokenPipeError:
        # `ecp verify --jsonl big.log | head`: the reader left; that is not an error.
        discard_stdout()
        sys.exit(int(ExitStatus.OK))
    except Exception as error:  # the last line of defence: never a traceback
        if os.environ.get("ECP_DEBUG"):
            # The traceback for the report, but still exit 70: 1 would read as "invalid".
            import traceback

            traceback.print_exc()
            sys.exit(INTERNAL_ERROR)
        unusable = _unusable_input(error)
        if unusable is not None:
            sys.stderr.write(f"error: {unusable}\n")
            sys.exit(int(ExitStatus.INPUT_ERROR))
        if isinstance(error, OSError) and error.errno in OUTPUT_ERRNOS:
            discard_stdout()
            sys.stderr.write(f"error: cannot write the output: {error.strerror}\n")
            sys.exit(int(ExitStatus.INPUT_ERROR))
        sys.stderr.write(
            f"error: internal error ({type(error).__name__}); "
            "please report it, with ECP_DEBUG=1 set to see where it happened\n"
        )
        sys.exit(INTERNAL_ERROR)
