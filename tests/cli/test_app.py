"""The whole command: --version, --help, no tracebacks, fast imports."""

import subprocess
import sys

from ecp_cli import __version__


def test_version(cli):
    run = cli("--version")
    assert (run.exit_code, run.stdout) == (0, f"ecp {__version__}\n")


def test_help_lists_commands_with_examples(cli):
    run = cli("--help")
    assert run.exit_code == 0
    for command in ("sign", "verify", "profiles"):
        assert command in run.stdout
    assert "Examples" in run.stdout


def test_unknown_command_is_a_usage_error(cli):
    run = cli("frobnicate")
    assert run.exit_code == 2 and "No such command" in run.stderr


def test_unexpected_exception_prints_one_line_not_a_traceback(tmp_path):
    code = (
        "from ecp_cli.cli.commands import app\n"
        "from ecp_cli.cli.launcher import main\n"
        "def boom():\n    raise RuntimeError('secret-ish detail')\n"
        "app.command('boom')(boom)\n"
        "import sys; sys.argv = ['ecp', 'boom']\n"
        "main()\n"
    )
    env = {"PATH": "", "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert run.returncode == 70
    assert "Traceback" not in run.stderr
    assert run.stderr == (
        "error: internal error (RuntimeError); please report it, "
        "with ECP_DEBUG=1 set to see where it happened\n"
    )


def test_start_up_imports_no_heavy_modules():
    code = (
        "import ecp_cli.cli.commands, sys; "
        "print(sorted({'httpx','rich','yaml'} & set(sys.modules)))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.stdout.strip() == "[]"
