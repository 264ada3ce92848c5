"""The ``ecp`` entry point.

CI calls ``ecp verify`` and ``ecp sign`` thousands of times, and loading Typer costs more
than verifying a callback. So two things run here without Typer:

- ``ecp [COMMAND [SUBCOMMAND]] -h`` into a pipe prints its page from cli/help_pages.py
  (Typer's own text, byte for byte; on a terminal Typer draws its rich help);
- a plain call of a command whose work is Typer-free (cli/actions/) is parsed and run by
  cli/fast_path.py, through the same action and failure handling as the Typer command.

Anything else (other commands, unusual or wrong options) goes to the full Typer
application, which also reports usage errors.
"""

import os
import sys

from ecp_cli.exit_codes import ExitStatus

INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug in ecp, never the user's input


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


def _end_now(status: int) -> None:
    """End the process without the interpreter's shutdown, which collects and finalises
    every module's objects: about 12% of a one-shot ``ecp verify``'s instructions, for
    nothing such a command needs. Its files are closed where they are used and its
    workers reaped before it returns; its output is flushed here, and a failure to write
    it is reported as ever (the launcher's handlers see what flush raises)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


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


def run() -> None:
    """The ``ecp`` script (and ``python -m ecp_cli``): :func:`main`, ending the process of
    a one-shot command as soon as its output is out."""
    main(end_at_once=True)


def main(argv: list[str] | None = None, *, end_at_once: bool = False) -> None:
    """Run ``ecp ARGV``; raises SystemExit with the exit status. ``end_at_once`` ends the
    process itself after a one-shot command (see :func:`_end_now`): for the entry point
    only, never for a caller that goes on."""
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
            from ecp_cli.cli import fast_path

            call = fast_path.parse(argv)
            if call is not None:
                sys.stdout.flush()  # nothing buffered may be copied into forked workers
                status = fast_path.run(call)
                if end_at_once:
                    _end_now(status)
                sys.exit(status)
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
        from ecp_cli.cli.process_output import discard_stdout

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
        from ecp_cli.cli.process_output import OUTPUT_ERRNOS, discard_stdout

        if isinstance(error, OSError) and error.errno in OUTPUT_ERRNOS:
            discard_stdout()
            sys.stderr.write(f"error: cannot write the output: {error.strerror}\n")
            sys.exit(int(ExitStatus.INPUT_ERROR))
        sys.stderr.write(
            f"error: internal error ({type(error).__name__}); "
            "please report it, with ECP_DEBUG=1 set to see where it happened\n"
        )
        sys.exit(INTERNAL_ERROR)
