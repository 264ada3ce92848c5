"""Options shared by the commands that talk to the platform (``status``, ``check``).

Kept free of httpx, so that building the command line never imports the HTTP client; the
defaults are ecp_cli.defaults', which the Gate calls use too.
"""

from typing import Annotated

import typer

from ecp_cli.defaults import GATE_MAX_RETRIES as MAX_RETRIES
from ecp_cli.defaults import GATE_MAX_TIMEOUT as MAX_TIMEOUT
from ecp_cli.errors import InputError

TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        metavar="S",
        help="Seconds to wait for the connection and for each read.",
    ),
]
RetriesOption = Annotated[
    int,
    typer.Option(
        "--retries",
        metavar="N",
        help="Retries after connection errors, timeouts and 5xx answers, with growing pauses.",
    ),
]


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
