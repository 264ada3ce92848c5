"""The whole command: --version, --help, no tracebacks, fast imports."""

import subprocess
import sys

import pytest

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
    assert (run.exit_code, run.stderr) == (
        2,
        "ecp: error: no such command 'frobnicate' (see ecp -h)\n",
    )


def test_unexpected_exception_prints_one_line_not_a_traceback(tmp_path):
    code = (
        "from ecp_cli.cli.app import app\n"
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
        "import ecp_cli.cli.app, sys; from ecp_cli.cli.commands import COMMANDS; "
        "[command.load() for command in COMMANDS]; "
        "print(sorted({'httpx','rich','yaml'} & set(sys.modules)))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.stdout.strip() == "[]"


def _on_a_terminal(args, **env_extra):
    """What ecp writes to a pseudo-terminal (stdout and stderr both on it)."""
    import os
    import pty

    controller, terminal = pty.openpty()
    colour_settings = ("NO_COLOR", "TTY_COMPATIBLE", "FORCE_COLOR")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECP_")}
    env = {k: v for k, v in env.items() if k not in colour_settings}
    env.update({"TERM": "xterm-256color", **env_extra})
    process = subprocess.Popen(
        [sys.executable, "-m", "ecp_cli", *args], stdout=terminal, stderr=terminal, env=env
    )
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        output += chunk
    process.wait()
    os.close(controller)
    return process.returncode, output.decode()


def test_usage_errors_and_help_are_coloured_on_a_terminal():
    status, output = _on_a_terminal(["sign", "--bogus"])
    assert status == 2 and "no such option --bogus" in output and "\x1b[" in output


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--no-color", "sign", "--bogus"], {}),
        (["sign", "--bogus"], {"NO_COLOR": "1"}),
        (["--no-color", "--help"], {}),
        (["--help"], {"NO_COLOR": "1"}),
    ],
)
def test_no_color_means_no_escapes_in_help_and_usage_errors_either(args, env):
    # Typer draws help and usage errors with rich, which keeps bold and dim under NO_COLOR
    # and knows nothing of --no-color.
    status, output = _on_a_terminal(args, **env)
    assert "\x1b[" not in output
    assert ("no such option" in output) == (status == 2)
