"""Help that reads well: every command says its exit statuses, placeholders are words,
examples fit 80 columns, the top-level exit statuses are complete."""

import inspect

import pytest
from typer.main import get_command

from ecp_cli.cli.app import app
from ecp_cli.cli.help_pages import PAGES

ROOT = get_command(app)


def commands(command=ROOT, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from commands(sub, (*path, name))


ALL = dict(commands())
# A group's subcommands may leave the exit statuses to the group's page.
GROUPS = {path for path, command in ALL.items() if hasattr(command, "commands")}


# The sandbox commands state theirs per subcommand, where they have any.
STATED = sorted(path for path in ALL if path[:1] != ("sandbox",))


@pytest.mark.parametrize("path", STATED, ids=lambda p: " ".join(p) or "ecp")
def test_every_help_page_states_exit_statuses(path):
    if path[:-1] in GROUPS and path[:-1] and "Exit status" in ALL[path[:-1]].help:
        return
    assert "Exit status" in (ALL[path].help or ""), path


@pytest.mark.parametrize("path", sorted(PAGES), ids=lambda p: " ".join(p) or "ecp")
def test_placeholders_are_words_and_examples_fit_80_columns(path):
    page = PAGES[path]
    for bad in ("<str>", "<int", "<float", "range>"):
        assert bad not in page, (path, bad)
    command = ALL[path]
    examples = inspect.cleandoc(command.help or "").partition("Examples:")[2]
    for line in examples.splitlines():
        if line.startswith(" "):  # an example (not a paragraph after them)
            assert len(line.strip()) + 4 <= 78, line  # indented by 4 in the help


def test_the_top_level_exit_statuses_are_complete():
    text = " ".join(PAGES[()].split())
    assert (
        "Exit status: 0 ok; 1 a negative verdict (invalid or unsigned, declined, problems "
        "found); 2 unusable input or configuration (usage errors too); 3 network or HTTP "
        "failure; 70 an internal error (a bug: please report it); 130 interrupted."
    ) in text


def test_callback_seed_says_nothing_of_send():
    seed = next(p for p in ALL[("callback",)].params if p.name == "seed")
    assert seed.help == "Seed: the same N gives the same generated ids."
    seed = next(p for p in ALL[("send",)].params if p.name == "seed")
    assert "--shuffle" in seed.help
