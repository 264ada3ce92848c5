"""What each command does, without Typer: one module per command, each with
``run(state, **options)`` returning its exit status (None for 0).

The Typer command in cli/<command>.py declares the options and the help and hands the
parsed values here (``@runs(action)``, cli/common.py); the launcher's fast path
(cli/fast_path.py) parses a plain call itself and calls the same ``run``. So these modules
import neither Typer nor rich at module level, and name their parameters as the Typer
function does.
"""
