"""Global options (``--profile/-p``, ``--profiles``, ``--no-color``) wherever habit puts
them: ``ecp verify -p test cb.json`` is read as ``ecp -p test verify cb.json``.

click parses a group's options only before the command name; this moves the global ones
found after it to the front. Values of the command's own options are stepped over (so
``--set -p`` keeps its value), and nothing after ``--`` moves. Typer-free: the launcher's
fast path uses it too.
"""

GLOBAL_VALUE_OPTIONS = ("--profiles", "--profile", "-p")
GLOBAL_FLAGS = ("--no-color",)


def global_option(arg: str) -> tuple[str, bool] | None:
    """(name, whether the value is in a separate word) if ``arg`` is a global option."""
    if arg in GLOBAL_FLAGS:
        return arg, False
    if arg in GLOBAL_VALUE_OPTIONS:
        return arg, True
    name, equals, _ = arg.partition("=")
    if equals and name in ("--profiles", "--profile"):
        return name, False
    if arg.startswith("-p") and not arg.startswith("--") and len(arg) > 2:
        return "-p", False  # -ptest, as click reads it
    return None


def hoist(args: list[str], start: int, value_options: set[str]) -> list[str]:
    """``args`` with the global options at or after ``start`` (the command name's index)
    moved in front of it, in their order. ``value_options`` are the command's options that
    take a value in the next word."""
    moved: list[str] = []
    kept: list[str] = []
    index = start
    while index < len(args):
        arg = args[index]
        if arg == "--":
            kept.extend(args[index:])
            break
        found = global_option(arg)
        if found is not None:
            _, takes_next = found
            moved.append(arg)
            if takes_next and index + 1 < len(args):
                moved.append(args[index + 1])
                index += 1
        else:
            kept.append(arg)
            if arg in value_options and index + 1 < len(args):
                kept.append(args[index + 1])
                index += 1
        index += 1
    return [*args[:start], *moved, *kept]
