"""The options of the commands that start a server on this machine (``listen``,
``sandbox``): where it binds and how large a request body it takes. One definition, so
their help and checks stay the same."""

from typing import Annotated

import typer

from ecp_cli.cli.common import check_port

HostOption = Annotated[
    str,
    typer.Option("--host", metavar="HOST", help="Address to listen on (0.0.0.0: every interface)."),
]
PortOption = Annotated[
    int,
    typer.Option(
        "--port",
        metavar="PORT",
        callback=check_port,
        help="Port (0 to 65535); 0 picks a free one.",
    ),
]
MaxBodyOption = Annotated[
    int, typer.Option("--max-body", metavar="BYTES", min=1, help="Larger bodies get 413.")
]
