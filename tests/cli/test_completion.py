"""ecp completion: the scripts, and what `ecp __complete` offers for each kind of word."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ecp_cli.cli.completion import candidates
from tests.cli.test_events import stored

BIN = Path(sys.executable).parent


def offered(cli, *words: str) -> list[str]:
    return candidates(list(words), cli.environment())


def test_commands_subcommands_and_options(bare_cli):
    assert offered(bare_cli, "")[:3] == ["check", "decode", "explain"]
    assert offered(bare_cli, "ev") == ["events"]
    assert offered(bare_cli, "events", "") == ["list", "show", "replay", "tail", "export", "clear"]
    assert offered(bare_cli, "verify", "--js") == ["--jsonl", "--json"]
    assert offered(bare_cli, "-p", "x", "verify", "--ex") == ["--explain"]
    assert offered(bare_cli, "--no") == ["--no-color"]
    assert "--profile" in offered(bare_cli, "sign", "--")  # global options after the command
    assert offered(bare_cli, "events", "list", "--verd") == ["--verdict"]


def test_values_scenarios_and_statuses(bare_cli):
    assert offered(bare_cli, "send", "")[:3] == ["success", "decline", "3ds"]
    assert offered(bare_cli, "callback", "--seed", "1", "ref") == ["refund"]
    assert offered(bare_cli, "events", "list", "--verdict", "") == [
        "valid", "invalid", "unsigned", "rejected",
    ]  # fmt: skip
    assert offered(bare_cli, "events", "tail", "--status", "dec") == ["decline", "decline_renewal"]
    assert offered(bare_cli, "url", "--mode", "card") == ["card_tokenize", "card_verify"]
    assert offered(bare_cli, "completion", "") == ["bash", "zsh", "fish"]
    assert offered(bare_cli, "verify", "") == []  # files: the shell's own completion


def test_profile_names_from_the_profile_file(bare_cli):
    bare_cli.write("work/ecp.yaml", "profiles:\n  test:\n    project_id: 1\n"
                   "  live:\n    project_id: 2\n")  # fmt: skip
    assert offered(bare_cli, "-p", "") == ["test", "live"]
    assert offered(bare_cli, "sign", "x.json", "--profile", "l") == ["live"]
    assert offered(bare_cli, "profiles", "show", "") == ["test", "live"]
    other = bare_cli.write("other.yaml", "profiles:\n  ci:\n    project_id: 3\n")
    assert offered(bare_cli, "--profiles", str(other), "-p", "") == ["ci"]


def test_event_ids_from_the_store(bare_cli):
    assert offered(bare_cli, "events", "show", "") == []  # no store yet: nothing, no error
    assert not (bare_cli.data_dir / "events.sqlite3").exists()
    stored(bare_cli.data_dir / "events.sqlite3", ("success", "o-1"), ("decline", "o-2"))
    assert offered(bare_cli, "events", "show", "") == ["2", "1"]
    assert offered(bare_cli, "events", "replay", "--to", "http://x/", "") == ["2", "1"]
    elsewhere = bare_cli.tmp_path / "s.sqlite3"
    stored(elsewhere, ("success", "o-3"))
    assert offered(bare_cli, "events", "show", "--store", str(elsewhere), "") == ["1"]


def test_the_completion_command_prints_each_script(bare_cli):
    for shell in ("bash", "zsh", "fish"):
        run = bare_cli("completion", shell)
        assert run.exit_code == 0
        assert "ecp __complete" in run.stdout
    run = bare_cli("completion", "zhs")
    assert (run.exit_code, run.stderr) == (
        2, "error: zhs: no completion for this shell; did you mean zsh? (bash, zsh, fish)\n",
    )  # fmt: skip


def _env() -> dict:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_through_the_real_command(tmp_path):
    script = subprocess.run(
        [BIN / "ecp", "completion", "bash"], capture_output=True, text=True, check=True
    ).stdout
    test = script + (
        'COMP_WORDS=(ecp events l); COMP_CWORD=2; _ecp_complete; echo "${COMPREPLY[@]}"\n'
        'COMP_WORDS=(ecp send --payment-id o-1 ""); COMP_CWORD=4; _ecp_complete; '
        'echo "${COMPREPLY[@]}"\n'
    )
    run = subprocess.run(["bash", "-c", test], capture_output=True, text=True, env=_env(),
                         cwd=tmp_path)  # fmt: skip
    lines = run.stdout.splitlines()
    assert lines[0] == "list"
    assert lines[1].startswith("success decline 3ds auth")


def test_the_shell_asking_loads_no_other_command():
    code = (
        "import sys\nfrom ecp_cli.cli.launcher import main\n"
        "try:\n    main(['__complete', 've'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('ecp_cli.cli.') "
        "and m.split('.')[-1] in ('verify', 'sign', 'events', 'app')), file=sys.stderr)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.stdout == "verify\n"
    assert run.stderr.strip() == "[]"  # the table alone answers a command name
