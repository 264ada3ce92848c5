"""Print docs/cli-reference.md: every command, argument and option, read from the app.

    python scripts/cli_reference.py > docs/cli-reference.md

The page is generated so that it cannot drift from the code; tests/test_readme.py fails when
the committed file differs from what this prints. Only what the app declares goes in (help
text, usage, options, defaults): no terminal width, colour or environment, so the output is
the same on every machine.
"""

import sys
from collections.abc import Iterator
from pathlib import Path

# Run as a script from anywhere: the repository root first on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

HEADER = """\
# Command reference

Every command, argument and option of `ecp`, generated from the app by
`python scripts/cli_reference.py > docs/cli-reference.md` (a test fails when this file is
stale). The manual pages linked from [README](../README.md#documentation) say what the
commands are for, with examples that run; `ecp COMMAND -h` prints the same help as below.
"""


def root_command():
    from typer.main import get_command

    from ecp_cli.cli.app import app

    return get_command(app)


def command_paths(command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], object]]:
    """(path, command) for the root, every command and subcommand, depth-first by name."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        if not getattr(sub, "hidden", False):
            yield from command_paths(sub, (*path, name))


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _value(param) -> str:
    """What an option takes: its metavar, or the type's range or choices."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    if param.metavar:
        return f"`{_cell(param.metavar)}`"
    choices = getattr(param.type, "choices", None)
    if choices:
        return " \\| ".join(f"`{c}`" for c in choices)
    return f"`{param.type.name.upper()}`"


def _default(param) -> str:
    default = param.default
    if param.required:
        return "required"
    if callable(default) or default is None or default is False or default == ():
        return ""
    if getattr(param, "show_default", True) is False:
        return ""
    return f"`{default}`"


def _usage(path: tuple[str, ...], command) -> str:
    words = ["ecp", *path]
    if any(p.param_type_name == "option" for p in command.params):
        words.append("[OPTIONS]")
    for param in command.params:
        if param.param_type_name != "argument":
            continue
        name = param.metavar or param.name.upper()
        if param.nargs == -1:
            name += "..."
        words.append(name if param.required else f"[{name}]")
    if getattr(command, "commands", None):
        words.append("COMMAND [ARGS]...")
    return " ".join(words)


def _help(text: str) -> list[str]:
    """Help text as Markdown: prose paragraphs as they are, the examples (the indented
    lines after "Examples:") as a code block, prose after them as prose again."""
    prose, _, rest = text.partition("\nExamples:\n")
    paragraphs = [p for p in prose.strip().split("\n\n") if p.strip()]
    examples: list[str] = []
    after: list[str] = []
    for paragraph in rest.strip("\n").split("\n\n"):
        if not paragraph.strip():
            continue
        if paragraph.startswith(" ") and not after:
            examples += [line.strip() for line in paragraph.splitlines() if line.strip()]
        else:
            after.append(paragraph)
    out: list[str] = []
    for paragraph in paragraphs:
        out += [" ".join(paragraph.split()), ""]
    if examples:
        out += ["Examples:", "", "```sh", *examples, "```", ""]
    for paragraph in after:
        out += [" ".join(paragraph.split()), ""]
    return out


def render() -> str:
    out = [HEADER]
    for path, command in command_paths(root_command()):
        out += [f"## {' '.join(('ecp', *path))}", "", "```text", _usage(path, command), "```", ""]
        out += _help(command.help or "")
        subcommands = sorted(getattr(command, "commands", {}).items())
        if subcommands and path:
            out += ["| command | what it does |", "|---|---|"]
            for name, sub in subcommands:
                summary = (sub.help or "").strip().split("\n\n", 1)[0]
                full = " ".join(("ecp", *path, name))
                anchor = full.replace(" ", "-")
                out.append(f"| [`{full}`](#{anchor}) | {_cell(summary)} |")
            out.append("")
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        options = [p for p in command.params if p.param_type_name == "option"]
        if arguments:
            out += ["| argument | what it is |", "|---|---|"]
            for param in arguments:
                name = param.metavar or param.name.upper()
                help_text = getattr(param, "help", None) or ("required" if param.required else "")
                out.append(f"| `{_cell(name)}` | {_cell(help_text)} |")
            out.append("")
        if options:
            out += ["| option | value | default | what it does |", "|---|---|---|---|"]
            for param in options:
                names = ", ".join(
                    f"`{_cell(name)}`" for name in (*param.opts, *param.secondary_opts)
                )
                help_text = _cell(getattr(param, "help", None) or "")
                out.append(f"| {names} | {_value(param)} | {_default(param)} | {help_text} |")
            out.append("")
        if not path:
            out += ["Commands:", ""]
            for name in sorted(getattr(command, "commands", {})):
                out.append(f"- [`ecp {name}`](#ecp-{name})")
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
