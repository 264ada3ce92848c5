"""Errors that the command layer turns into one line on stderr and an exit status.

Messages name the file or value at fault and never include a secret.
"""

from ecp_cli.exit_codes import ExitStatus


class EcpError(Exception):
    """An expected failure with a user-facing message and an exit status."""

    status: ExitStatus = ExitStatus.INPUT_ERROR

    def __init__(self, message: str, status: ExitStatus | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class InputError(EcpError):
    """The user's input (file, stdin, flag value) cannot be used."""

    status = ExitStatus.INPUT_ERROR


class ProfileError(EcpError):
    """The profile file or the chosen profile is missing or malformed."""

    status = ExitStatus.INPUT_ERROR


class NetworkError(EcpError):
    """A remote server could not be reached or answered with an HTTP failure."""

    status = ExitStatus.NETWORK_ERROR


def unreadable_file(name: str, error: OSError) -> InputError:
    """Why the file ``name`` could not be opened or read, in one line."""
    if isinstance(error, FileNotFoundError):
        return InputError(f"{name}: no such file")
    if isinstance(error, IsADirectoryError):
        return InputError(f"{name}: is a directory, not a file")
    if isinstance(error, PermissionError):
        return InputError(f"{name}: permission denied")
    return InputError(f"{name}: cannot be read ({error.strerror})")
