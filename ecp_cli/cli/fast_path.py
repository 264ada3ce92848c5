"""Plain calls of the commands whose work is Typer-free (cli/actions/), run without Typer.

CI calls ``ecp sign`` and ``ecp verify`` in loops, and loading Typer costs more than the
work itself. So the launcher asks :func:`parse` first. A plain call is: the global options
(``--profiles``, ``--profile``/``-p``, ``--no-color``) before or after the command name,
then the command's own options (``--name VALUE``, ``--name=VALUE``, flags), its arguments,
``--`` and ``-``, read from the options Typer declares (cli/command_options.py, generated
from the Typer commands). It is run by :func:`run`: the same action the Typer command calls,
through the same failure handling (cli/invoke.py).

Anything else returns None and goes to the Typer application, which knows what to say:
``-h``, an unknown option, a flag given a value, a missing value or one that looks like an
option, a number not written as plain digits, too few or too many arguments.
tests/cli/test_fast_path.py holds every call this accepts to the values Typer would pass.
"""

import os

from ecp_cli.cli.command_options import COMMANDS

# Global option -> its key in Call.settings.
_GLOBAL_VALUE_OPTIONS = {
    "--profiles": "profiles_path",
    "--profile": "profile_name",
    "-p": "profile_name",
}


class Call:
    """A parsed plain call: which action, its parameters, and the global settings."""

    __slots__ = ("action", "params", "labels", "settings")

    def __init__(self, action: str, params: dict, labels: dict, settings: dict):
        self.action = action  # the module under cli/actions/
        self.params = params  # keyword arguments of its run(), as Typer would pass them
        self.labels = labels  # parameter -> how a user writes it, for messages
        self.settings = settings  # profiles_path, profile_name, no_color


def parse(argv: list[str]) -> Call | None:
    """The plain call ``argv`` makes, or None when Typer should take it."""
    settings: dict = {"profiles_path": None, "profile_name": None, "no_color": False}
    index, count = 0, len(argv)
    while index < count and argv[index].startswith("-"):  # global options first
        index = _global_option(argv, index, settings)
        if index < 0:
            return None
    if index >= count:
        return None
    path: tuple[str, ...] = (argv[index],)
    if path not in COMMANDS:
        path = tuple(argv[index : index + 2])
        if path not in COMMANDS:
            return None
    index += len(path)
    action, declared = COMMANDS[path]
    options = {flag: param for param in declared for flag in param[3]}  # arguments have none
    values: dict = {}
    positional: list[str] = []
    while index < count:
        arg = argv[index]
        index += 1
        if arg == "-" or not arg.startswith("-"):
            positional.append(arg)
            continue
        if arg == "--":
            positional.extend(argv[index:])
            break
        name, equals, attached = arg.partition("=")
        if name in _GLOBAL_VALUE_OPTIONS or arg == "--no-color":
            index = _global_option(argv, index - 1, settings)
            if index < 0:
                return None
            continue
        param = options.get(name)
        if param is None:
            return None
        key, _, kind, _, _, _ = param
        if kind == "flag":
            if equals:
                return None  # "--json=1": click says a flag takes no value
            values[key] = True
            continue
        if equals:
            value = attached
        elif index < count and (argv[index] == "-" or not argv[index].startswith("-")):
            value = argv[index]
            index += 1
        else:
            return None  # no value, or a next word that looks like an option
        if not value:
            return None
        converted = _convert(kind, value)
        if converted is None:
            return None
        if kind == "texts":
            values.setdefault(key, []).append(converted)
        else:
            values[key] = converted
    if not _take_arguments(declared, positional, values):
        return None
    params = {param[0]: values.get(param[0], param[5]) for param in declared}
    labels = {param[0]: param[1] for param in declared}
    return Call(action, params, labels, settings)


def _global_option(argv: list[str], index: int, settings: dict) -> int:
    """The index after the global option at ``argv[index]`` (and its value), once recorded
    in ``settings``; -1 when it is not one or its value is missing."""
    arg = argv[index]
    if arg == "--no-color":
        settings["no_color"] = True
        return index + 1
    name, equals, value = arg.partition("=")
    if name not in _GLOBAL_VALUE_OPTIONS or (equals and name == "-p"):
        return -1  # also "-ptest" and "-p=x", which click reads its own way: Typer's
    if not equals:
        index += 1
        value = argv[index] if index < len(argv) else ""
    if not value or value.startswith("-"):
        return -1
    settings[_GLOBAL_VALUE_OPTIONS[name]] = value
    return index + 1


def _convert(kind: str, value: str) -> object:
    """``value`` as Typer converts it for ``kind``; None for what Typer should judge."""
    if kind in ("text", "texts"):
        return value
    digits = value[1:] if value.startswith("-") else value
    if not digits.isascii():
        return None
    if kind == "integer":
        return int(value) if digits.isdigit() else None
    whole, point, fraction = digits.partition(".")  # "number": click reads it with float()
    if whole.isdigit() and (not point or fraction.isdigit()):
        return float(value)
    return None


def _take_arguments(declared: tuple, positional: list[str], values: dict) -> bool:
    """Hand the positional words to the arguments in order; False when click would
    refuse them (too few, too many)."""
    arguments = [param for param in declared if param[2] in ("argument", "arguments")]
    for key, _, kind, _, required, _ in arguments:
        if kind == "arguments":
            if not positional and required:
                return False
            if positional:
                values[key] = positional
            positional = []
        elif positional:
            values[key] = positional.pop(0)
        elif required:
            return False
    return not positional


def run(call: Call, env=None) -> int:
    """Run the parsed call; its exit status."""
    from ecp_cli.cli.invoke import invoke
    from ecp_cli.cli.state import State
    from ecp_cli.environment import Environment

    if env is None:
        if call.settings["no_color"] or os.environ.get("NO_COLOR"):
            os.environ["TTY_COMPATIBLE"] = "0"  # as cli/app.py's run_app does for rich
        env = Environment.from_os()
    env.no_color_flag = env.no_color_flag or call.settings["no_color"]
    state = State(env, call.settings["profiles_path"], call.settings["profile_name"])
    action = __import__(call.action, fromlist=("run",))
    return invoke(state, action.run, call.params, call.labels)
