"""The ``ecp`` command: a thin layer over the library modules.

Each command lives in its own module and registers itself on :data:`app` when imported.
Command modules import heavy libraries (rich, httpx, yaml) inside the functions that need
them, so that ``ecp verify`` starts fast.
"""

import os
import sys

from ecp_cli.cli import (  # noqa: F401  (imported for their commands)
    check,
    decode,
    events,
    explain,
    listen,
    profiles,
    send,
    show,
    sign,
    status,
    url,
    verify,
)
from ecp_cli.cli.app import app
from ecp_cli.exit_codes import ExitStatus

__all__ = ["app", "main"]


def main() -> None:
    try:
        app(prog_name="ecp")
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        sys.exit(int(ExitStatus.INTERRUPTED))
    except Exception as error:  # the last line of defence: never a traceback
        if os.environ.get("ECP_DEBUG"):
            raise
        sys.stderr.write(
            f"error: internal error ({type(error).__name__}); "
            "please report it, with ECP_DEBUG=1 set to see where it happened\n"
        )
        sys.exit(70)
