"""cli/help_pages.py: the help the launcher prints without Typer is Typer's, byte for byte."""

import subprocess
import sys

import pytest

from ecp_cli.cli import help_render
from ecp_cli.cli.help_pages import PAGES

PATHS = help_render.command_paths()


def test_every_page_is_there_and_no_other():
    assert list(PAGES) == PATHS, "run: python -m ecp_cli.cli.help_render"


@pytest.mark.parametrize("path", PATHS, ids=lambda path: " ".join(path) or "ecp")
def test_each_page_is_what_typer_prints_into_a_pipe(path):
    assert PAGES[path] == help_render.render(path), "run: python -m ecp_cli.cli.help_render"


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_the_launcher_prints_the_page_without_loading_typer(flag):
    code = (
        "import sys\n"
        "from ecp_cli.cli.launcher import main\n"
        "try:\n    main(sys.argv[1:])\n"
        "except SystemExit as exit:\n    status = exit.code\n"
        "print(status, 'typer' in sys.modules, file=sys.stderr)\n"
    )
    for path in [(), ("sign",), ("events", "list")]:
        run = subprocess.run(
            [sys.executable, "-c", code, *path, flag], capture_output=True, text=True
        )
        assert run.stdout == PAGES[path]
        assert run.stderr == "0 False\n"


def test_the_page_written_by_the_cli_is_the_same(cli):
    assert cli("verify", "-h").stdout == PAGES[("verify",)]
