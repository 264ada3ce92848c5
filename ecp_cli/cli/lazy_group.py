"""The root click group of ``ecp``: builds a command from the table (cli/commands.py) only
when it is run or its help is asked for.

``commands`` is a mapping that imports a command's module on first access, so everything
that walks the group (click, Typer's help, the documentation tests) sees every command,
while a run of ``ecp sign`` imports ``cli/sign.py`` alone. ``ecp --help`` lists the
commands from the table's panels and short help, without importing any of them.

Help is drawn with rich only on a terminal; into a pipe or a file it is plain text at a
fixed width, the same text cli/help_pages.py serves without loading Typer.
"""

import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import typer
from typer.core import TyperGroup
from typer.main import get_command_from_info, get_group_from_info
from typer.models import CommandInfo, TyperInfo

from ecp_cli.cli.commands import BY_NAME, COMMANDS, Command


def rich_help_wanted() -> bool:
    """Rich help for a person at a terminal; plain text for pipes, files and tests."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def build(entry: Command, *, rich_markup_mode) -> Any:
    """The click command (or group, for a typer.Typer) of one table entry."""
    target = entry.load()
    command: Any
    if isinstance(target, typer.Typer):
        command = get_group_from_info(
            TyperInfo(target, name=entry.name, rich_help_panel=entry.panel, cls=PanelGroup),
            pretty_exceptions_short=False,
            rich_markup_mode=rich_markup_mode,
            suggest_commands=True,
        )
    else:
        command = get_command_from_info(
            CommandInfo(name=entry.name, callback=target, rich_help_panel=entry.panel),
            pretty_exceptions_short=False,
            rich_markup_mode=rich_markup_mode,
        )
    _set_markup(command, rich_markup_mode)
    return command


def _set_markup(command, rich_markup_mode) -> None:
    command.rich_markup_mode = rich_markup_mode
    for sub in getattr(command, "commands", {}).values():
        _set_markup(sub, rich_markup_mode)


def listing_stub(entry: Command) -> typer.core.TyperCommand:
    """What ``ecp --help`` needs of a command it lists: name, panel and short help."""
    return typer.core.TyperCommand(
        name=entry.name, help=entry.short_help, rich_help_panel=entry.panel
    )


class PanelGroup(TyperGroup):
    """A group whose plain help lists its commands as the rich help does: under their
    panels, with the whole short help (wrapped, not cut off with "...")."""

    def format_commands(self, ctx, formatter) -> None:
        panels: dict[str, list[tuple[str, str]]] = {}
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            panel = getattr(command, "rich_help_panel", None) or "Commands"
            text = command.short_help or (command.help or "").split("\n\n")[0]
            panels.setdefault(panel, []).append((name, " ".join(text.split())))
        if "Commands" in panels:  # Typer lists the unnamed panel first
            panels = {"Commands": panels.pop("Commands"), **panels}
        width = max((len(name) for rows in panels.values() for name, _ in rows), default=0)
        for panel, rows in panels.items():  # one column width for all panels, as rich does
            with formatter.section(panel):
                formatter.write_dl([(name.ljust(width), text) for name, text in rows])


class LazyCommands(Mapping):
    """name -> click command, built on first access. ``extra`` holds commands registered
    on the Typer app itself (tests add some), listed after the table's."""

    def __init__(self, extra: Mapping, markup) -> None:
        self._extra = dict(extra)
        self._built: dict = {}
        self._markup = markup  # () -> the rich_markup_mode to build with

    def __getitem__(self, name: str):
        if name in self._extra:
            return self._extra[name]
        if name not in self._built:
            self._built[name] = build(BY_NAME[name], rich_markup_mode=self._markup())
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        yield from (entry.name for entry in COMMANDS)
        yield from (name for name in self._extra if name not in BY_NAME)

    def __len__(self) -> int:
        return len(list(iter(self)))

    def __contains__(self, name: object) -> bool:
        return name in BY_NAME or name in self._extra

    def is_built(self, name: str) -> bool:
        return name in self._extra or name in self._built

    def __setitem__(self, name: str, command) -> None:  # click's add_command
        self._extra[name] = command


class LazyGroup(PanelGroup):
    """The ``ecp`` group. Typer builds it (``typer.Typer(cls=LazyGroup)``) with the global
    options and whatever was registered on the app; the table supplies the commands.

    Global options are parsed here, before the command name (click's rule for groups);
    ``parse_args`` moves those given after it to the front (cli/global_options.py). Usage
    errors are one line (``main``)."""

    def __init__(self, *, commands=None, **attrs) -> None:
        super().__init__(commands=None, **attrs)
        self.lazy = LazyCommands(commands or {}, self._markup_for_commands)
        self.commands = self.lazy  # type: ignore[assignment]  # a read-mostly mapping
        self._listing = False

    def _markup_for_commands(self):
        return self.rich_markup_mode if rich_help_wanted() else None

    def list_commands(self, ctx) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in self.commands:
            return None
        if self._listing and not self.lazy.is_built(cmd_name):
            return listing_stub(BY_NAME[cmd_name])
        return self.commands[cmd_name]

    def format_help(self, ctx, formatter) -> None:
        # Listing the commands needs only the table: do not import every module for it.
        # Usage errors keep the group's rich_markup_mode; only help goes plain.
        self._listing, mode = True, self.rich_markup_mode
        if not rich_help_wanted():
            self.rich_markup_mode = None
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing, self.rich_markup_mode = False, mode

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        from ecp_cli.cli.global_options import GLOBAL_VALUE_OPTIONS, global_option, hoist

        index = 0
        while index < len(args) and args[index].startswith("-") and args[index] != "--":
            if args[index] in GLOBAL_VALUE_OPTIONS:
                index += 1  # its value
            index += 1
        if index < len(args) and args[index] in self.commands:
            tail = args[index + 1 :]
            if any(global_option(arg) for arg in tail):
                command = self.get_command(ctx, args[index])
                args = hoist(list(args), index, _value_options(command, tail))
        return super().parse_args(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """As click's, with every usage error on one line:
        ``ecp: error: no such option -x (see ecp verify -h)``, exit status 2."""
        from typer._click import exceptions as click

        if not standalone_mode:
            return super().main(
                args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra
            )
        words = list(sys.argv[1:] if args is None else args)
        try:
            result = super().main(
                words, prog_name, complete_var, False, windows_expand_args, **extra
            )
        except click.NoArgsIsHelpError as error:
            error.show()  # `ecp` or `ecp events` alone: the help, as before
            sys.exit(error.exit_code)
        except click.UsageError as error:
            usage_error(error, words)
            sys.exit(2)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except typer.Abort:
            sys.stderr.write("error: aborted\n")
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def _value_options(command, words: list[str]) -> set[str]:
    """The option names of ``command`` (and of the subcommand ``words`` name, for a group)
    that take their value in the next word."""
    found: set[str] = set()
    while command is not None:
        for param in command.params:
            flag = getattr(param, "is_flag", False) or getattr(param, "count", False)
            if param.param_type_name == "option" and not flag:
                found.update(param.opts)
        if not hasattr(command, "commands"):
            break
        name = next((word for word in words if not word.startswith("-")), None)
        command = command.commands.get(name) if name else None
    return found


def usage_error(error, words: list[str]) -> None:
    """One line on stderr for a click usage error; with --json, the JSON object too."""
    import json
    import re

    from ecp_cli.text_safety import safe_text

    message = " ".join(error.format_message().split())
    message = message.replace("No such option: ", "No such option ").rstrip(".")
    message = re.sub(r"\.? Did you mean ", "; did you mean ", message)
    message = re.sub(r" \(Possible options: (.*)\)", r"; did you mean \1?", message)
    message = re.sub(r"is not a valid (int range|integer|int)\b", "is not a whole number", message)
    message = re.sub(r"is not a valid (float range|float)", "is not a number", message)
    message = message[:1].lower() + message[1:]
    where = error.ctx.command_path if error.ctx is not None else "ecp"
    line = f"{safe_text(message)} (see {where} -h)"
    prefix = "ecp: error:"
    if _stderr_colour(words):
        prefix = f"\x1b[1;31m{prefix}\x1b[0m"
    sys.stderr.write(f"{prefix} {line}\n")
    if "--json" in words[: words.index("--")] if "--" in words else "--json" in words:
        sys.stdout.write(
            json.dumps({"ok": False, "error": line, "exit_status": 2}, indent=2) + "\n"
        )


def _stderr_colour(words: list[str]) -> bool:
    """Colour for a person at a terminal who has not asked for none."""
    import os

    if "--no-color" in words or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
