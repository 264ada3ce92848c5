"""Options shared by the commands that talk to the platform (``status``, ``check``).

Kept free of httpx, so that building the command line never imports the HTTP client; the
defaults are ecp_cli.defaults', which the Gate calls use too. Their values are checked by
cli/gate_limits.py, which is Typer-free (``ecp url --check`` runs without Typer).
"""

from typing import Annotated

import typer

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
