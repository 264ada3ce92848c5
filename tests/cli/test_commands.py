"""The command table (cli/commands.py): one line per command, each loaded only when run."""

import inspect
import subprocess
import sys

import pytest
from typer.main import get_command

from ecp_cli.cli.app import app
from ecp_cli.cli.commands import COMMANDS

ROOT = get_command(app)


@pytest.mark.parametrize("entry", COMMANDS, ids=lambda entry: entry.name)
def test_the_table_says_what_the_command_says(entry):
    command = ROOT.commands[entry.name]
    assert command.name == entry.name
    assert command.rich_help_panel == entry.panel
    first_paragraph = inspect.cleandoc(command.help).split("\n\n")[0]
    assert " ".join(first_paragraph.split()) == entry.short_help


def test_the_group_lists_the_table_in_order():
    assert list(ROOT.commands) == [entry.name for entry in COMMANDS]
    assert len({entry.name for entry in COMMANDS}) == len(COMMANDS)


def _loaded_command_modules(*args: str) -> list[str]:
    """The command modules a run of ``ecp ARGS`` imported."""
    modules = sorted({entry.target.split(":")[0] for entry in COMMANDS})
    code = (
        "import sys\n"
        "from ecp_cli.cli.launcher import main\n"
        "try:\n    main(sys.argv[1:])\n"
        "except SystemExit:\n    pass\n"
        f"print([m for m in {modules!r} if m in sys.modules], file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env={"PATH": ""}
    )
    return eval(run.stderr.strip().splitlines()[-1])


def test_a_command_loads_its_own_module_and_no_other():
    assert _loaded_command_modules("explain", "--bogus") == ["ecp_cli.cli.explain"]
    assert _loaded_command_modules("profiles", "show") == ["ecp_cli.cli.profiles"]
    assert _loaded_command_modules("profiles", "--help") == []  # a stored page


def test_a_plain_call_loads_no_command_module():
    # cli/fast_path.py runs the action without Typer, so without the module that declares it
    assert _loaded_command_modules("explain", "3028") == []
    assert _loaded_command_modules("profiles", "list") == []


def test_the_top_level_help_loads_no_command_module():
    assert _loaded_command_modules("--help") == []
    assert _loaded_command_modules("frobnicate") == []


def test_command_modules_do_not_import_one_another():
    from tests.test_imports import internal_imports

    modules = {entry.target.split(":")[0] for entry in COMMANDS}
    for module in sorted(modules):
        assert internal_imports(module) & modules == set(), module
