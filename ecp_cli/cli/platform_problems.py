"""The platform's refusals as the Gate commands show them (``status``, ``capture``,
``cancel``, ``refund``): each error with its code explained, on stdout since it is the answer.
"""

from ecp_cli.cli.state import State


def print_problems(state: State, problems: list) -> None:
    """Each platform error with its code explained (stdout: it is the answer)."""
    for problem in problems:
        state.say(f"platform error: {problem.summary()}")
        if problem.description and problem.description != problem.message:
            state.say(f"  description: {problem.description}")
        info = problem.code_info()
        if info is not None:
            if not info.known:
                state.say("  meaning:     not a code the platform documents")
            else:
                state.say(f"  meaning:     {info.meaning}")
                state.say(f"  what to do:  {info.what_to_do}")
