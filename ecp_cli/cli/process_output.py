"""When this process's stdout cannot take more: the reader left, or the disk is full.

Shared by the launcher and the Typer commands' error handling (cli/common.py).
"""

import errno
import os
import sys

# Writing the output failed for a reason of the destination's, not ecp's.
OUTPUT_ERRNOS = {errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG}


def discard_stdout() -> None:
    """Send whatever is still to be written to stdout (buffers flushed at exit included)
    nowhere: the reader has gone."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
