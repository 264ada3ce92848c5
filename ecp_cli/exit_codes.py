"""Exit statuses of the ``ecp`` command, shared by every subcommand.

Scripts and CI branch on these, so they never change meaning:
0 all good, 1 a negative verdict (bad signature, platform said no), 2 the input could not
be used, 3 the network or the remote HTTP server failed us.
"""

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    FAILURE = 1  # a verdict: signature invalid or missing, platform declined, problems found
    INPUT_ERROR = 2  # unreadable file, bad JSON/YAML, unknown profile, bad flag value
    NETWORK_ERROR = 3  # DNS, connection, timeout, TLS, unexpected HTTP status
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT
