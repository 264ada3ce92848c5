"""The launcher: help pages and plain calls without Typer; no traceback, whatever happens.

Which calls the fast path takes, and that they give Typer's results: tests/cli/test_fast_path.py.
"""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import SAMPLES, load_sample

GOOD = str(SAMPLES / "purchase_success.json")
BAD = str(SAMPLES / "awaiting_3ds_unknown_secret.json")


def _ecp(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECP_")}
    env.update({"ECP_SECRET": "secret", "NO_COLOR": "1", **(env_extra or {})})
    return subprocess.run(
        [sys.executable, "-m", "ecp_cli", *args], capture_output=True, text=True, env=env
    )


def test_worker_processes_give_the_same_output_in_order(tmp_path):
    good = json.dumps(load_sample("purchase_success.json"))
    bad = json.dumps({**load_sample("purchase_success.json"), "signature": "x"})
    lines = []
    for index in range(2600):  # above the parallel threshold
        lines.append(bad if index % 997 == 0 else good)
        if index == 1500:
            lines.extend(["", "[1]", "{broken"])
    path = tmp_path / "log.jsonl"
    path.write_text("\n".join(lines) + "\n")
    serial = _ecp("verify", "--jsonl", str(path), "--workers", "1")
    parallel = _ecp("verify", "--jsonl", str(path), "--workers", "2")
    assert parallel.returncode == serial.returncode == 2
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr
    assert serial.stdout.count("\nINVALID ") + serial.stdout.startswith("INVALID ") == 3
    assert serial.stderr.splitlines() == [
        f"error: {path}:1503: expected an object at the top, got a list",
        f"error: {path}:1504: not valid JSON: Expecting property name enclosed in double quotes"
        " (line 1, column 2)",
    ]


def test_entry_point_runs_verify_without_importing_typer():
    code = (
        f"import sys; sys.argv = ['ecp', 'verify', '-q', {GOOD!r}]\n"
        "from ecp_cli.cli import launcher\n"
        "try:\n    launcher.main()\n"
        "except SystemExit as exit:\n"
        "    print(exit.code, 'typer' in sys.modules, 'yaml' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECP_")}
    env["ECP_SECRET"] = "secret"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert run.stdout.strip() == "0 False False"


def test_usage_errors_still_come_from_typer():
    run = _ecp("verify", "--bogus")
    assert (run.returncode, run.stderr) == (
        2,
        "ecp: error: no such option --bogus (see ecp verify -h)\n",
    )


def test_zero_workers_is_an_input_error(tmp_path):
    run = _ecp("verify", "--workers", "0", str(SAMPLES / "purchase_success.json"))
    assert run.returncode == 2
    assert run.stderr == "error: --workers must be 1 or more, got 0\n"


def _ecp_writing_to(stdout, *args):
    """Run ecp with its stdout on a given file descriptor (None: closed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECP_")}
    env.update({"ECP_SECRET": "secret", "ECP_PROJECT_ID": "112", "NO_COLOR": "1"})
    return subprocess.run(
        [sys.executable, "-m", "ecp_cli", *args],
        stdout=stdout if stdout is not None else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=(lambda: os.close(1)) if stdout is None else None,  # noqa: PLW1509
    )


COMMANDS_THAT_PRINT = [
    ["sign", GOOD],
    ["verify", GOOD],  # the launcher's fast path
    ["verify", "--explain", GOOD],  # the Typer command
    ["show", "--json", GOOD],
    ["explain", "3028"],
    ["url", "--amount", "1", "--currency", "USD", "--payment-id", "p", "--customer-id", "c"],
]


@pytest.mark.parametrize("args", COMMANDS_THAT_PRINT)
def test_a_closed_stdout_is_not_an_error(args):
    # `ecp sign x >&-`: Python leaves sys.stdout None; the output has nowhere to go.
    run = _ecp_writing_to(None, *args)
    assert (run.returncode, run.stderr) == (0, "")


@pytest.mark.parametrize("args", COMMANDS_THAT_PRINT)
def test_a_reader_that_left_is_not_an_error(args):
    # `ecp sign x | head -0`: the pipe is broken before ecp writes. Click alone would
    # exit 1, which for ecp means a negative verdict.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        run = _ecp_writing_to(write_end, *args)
    finally:
        os.close(write_end)
    assert (run.returncode, run.stderr) == (0, "")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux's /dev/full")
@pytest.mark.parametrize("args", COMMANDS_THAT_PRINT)
def test_a_full_disk_is_one_error_line(args):
    with open("/dev/full", "w") as full:
        run = _ecp_writing_to(full, *args)
    assert run.returncode == 2
    assert run.stderr == "error: cannot write the output: No space left on device\n"
