"""The limits of --timeout and --retries, checked here rather than by Typer, whose range
hints would clutter the help. Typer-free, for the commands that run without it."""

from ecp_cli.defaults import GATE_MAX_RETRIES as MAX_RETRIES
from ecp_cli.defaults import GATE_MAX_TIMEOUT as MAX_TIMEOUT
from ecp_cli.errors import InputError


def check_timeout(value: float) -> float:
    if not 0 < value <= MAX_TIMEOUT:
        raise InputError(
            f"--timeout must be more than 0 and at most {MAX_TIMEOUT:g} seconds, got {value:g}"
        )
    return value


def check_retries(value: int) -> int:
    if not 0 <= value <= MAX_RETRIES:
        raise InputError(f"--retries must be between 0 and {MAX_RETRIES}, got {value}")
    return value
