"""What ``ecp check`` and ``ecp url --check`` share: where the pre-check is, and how one
reported problem reads."""

from ecp_cli.cli.state import State
from ecp_cli.http.urls import check_base_url


def resolve_check_url(state: State, flag: str | None) -> str:
    """``--check-url`` if given, else the profile's ``check_url`` (no secret needed)."""
    if flag is not None:
        return check_base_url(flag, "--check-url")
    return state.profile(require_secret=False).check_url


def problem_line(problem) -> str:
    line = f"{problem.field or '(no field)'}: {problem.message or '(no message)'}"
    if problem.description and problem.description != problem.message:
        line += f" ({problem.description})"
    if problem.code:
        info = problem.code_info()
        line += f" [code {problem.code}"
        if info is not None and info.known and info.message != problem.message:
            line += f": {info.message}"
        line += "]"
    return line
