"""Global options wherever habit puts them, and usage errors on one line."""

import json
import subprocess
import sys

import pytest

from ecp_cli.cli import fast_path
from ecp_cli.cli.global_options import hoist
from tests.conftest import SAMPLES

PROFILES = "default: live\nprofiles:\n  live:\n    project_id: 1\n    secret: wrong\n" \
    "  test:\n    project_id: 112\n    secret: secret\n"  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ("-p", "test", "verify", "SAMPLE"),
        ("verify", "-p", "test", "SAMPLE"),
        ("verify", "SAMPLE", "--profile", "test"),
        ("verify", "SAMPLE", "--profile=test", "--no-color"),
        ("verify", "--explain", "SAMPLE", "-ptest"),
    ],
    ids=" ".join,
)
def test_profile_before_or_after_the_command(bare_cli, args):
    path = bare_cli.write("work/ecp.yaml", PROFILES)
    sample = str(SAMPLES / "purchase_success.json")
    run = bare_cli(*[sample if word == "SAMPLE" else word for word in args])
    assert run.exit_code == 0, run.stderr  # the test profile's secret, not the default's
    assert run.stdout.startswith("valid ")
    assert path.exists()


def test_profiles_file_and_subcommands(bare_cli):
    path = bare_cli.write("p.yaml", PROFILES)
    run = bare_cli("profiles", "show", "--profiles", str(path), "-p", "test", "--json")
    assert run.json()["project_id"] == 112
    run = bare_cli("events", "list", "--profiles", str(path))
    assert run.exit_code == 0


def test_values_of_the_commands_own_options_stay_where_they_are():
    # --set takes a value, so the -p after it is that value, not the global option.
    args = ["callback", "success", "--set", "-p", "-p", "live"]
    assert hoist(args, 0, {"--set"}) == ["-p", "live", "callback", "success", "--set", "-p"]
    assert hoist(["sign", "--", "-p", "x"], 0, set()) == ["sign", "--", "-p", "x"]


def test_the_fast_path_takes_them_after_the_command_too():
    call = fast_path.parse(["verify", "cb.json", "-p", "test", "--no-color", "--json"])
    assert call is not None
    assert (call.settings["profile_name"], call.settings["no_color"], call.params["files"]) == (
        "test", True, ["cb.json"],
    )  # fmt: skip
    call = fast_path.parse(["verify", "--profiles=p.yaml", "--", "-p"])
    assert call is not None
    assert (call.settings["profiles_path"], call.params["files"]) == ("p.yaml", ["-p"])


@pytest.mark.parametrize(
    "args, line",
    [
        (("verify", "-x"), "no such option -x (see ecp verify -h)"),
        (("verify", "--jsn"), "no such option --jsn; did you mean --json, --jsonl? "
         "(see ecp verify -h)"),
        (("sign",), "missing argument 'FILE|-' (see ecp sign -h)"),
        (("listen", "--port", "http"), "invalid value for '--port': 'http' is not a whole number "
         "(see ecp listen -h)"),
        (("events", "lst"), "no such command 'lst'; did you mean 'list'? (see ecp events -h)"),
        (("frobnicate",), "no such command 'frobnicate' (see ecp -h)"),
        (("verify", "--\x1b[31m"), "no such option --\\x1b[31m (see ecp verify -h)"),
    ],
)  # fmt: skip
def test_usage_errors_are_one_line_and_exit_2(bare_cli, args, line):
    run = bare_cli(*args)
    assert (run.exit_code, run.stdout, run.stderr) == (2, "", f"ecp: error: {line}\n")


def test_a_usage_error_with_json_is_a_json_object_too(bare_cli):
    run = bare_cli("events", "list", "-n", "x", "--json")
    assert run.exit_code == 2
    line = "invalid value for '--limit' / '-n': 'x' is not a whole number (see ecp events list -h)"
    assert run.stderr == f"ecp: error: {line}\n"
    assert json.loads(run.stdout) == {"ok": False, "error": line, "exit_status": 2}


def test_a_real_process_gives_the_same_line():
    run = subprocess.run(
        [sys.executable, "-m", "ecp_cli", "status", "--bogus", "x"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert (run.returncode, run.stderr) == (
        2, "ecp: error: no such option --bogus (see ecp status -h)\n",
    )  # fmt: skip


def test_no_arguments_still_print_the_help(bare_cli):
    run = bare_cli()
    assert run.exit_code == 2
    assert "Usage: ecp [OPTIONS] COMMAND [ARGS]..." in run.stdout + run.stderr
