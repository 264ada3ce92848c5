"""ecp verify: one line per file, exit codes 0/1/2, --json, --quiet, --jsonl, stdin."""

import json
import time

import pytest

from tests.conftest import SAMPLES, SIGNED_SAMPLES, load_sample


def test_valid_sample_line_and_exit_0(cli):
    run = cli("verify", str(SAMPLES / "purchase_success.json"))
    assert run.exit_code == 0
    path = SAMPLES / "purchase_success.json"
    assert run.stdout == f"valid    {path}  payment 30338174  success\n"
    assert run.stderr == ""


def test_every_signed_sample_with_its_secret(cli):
    for name in SIGNED_SAMPLES:
        cli.vars["ECP_SECRET"] = "qwerty" if name == "recurring_update.json" else "secret"
        run = cli("verify", str(SAMPLES / name))
        assert run.exit_code == 0, name
        assert run.stdout.startswith("valid "), name


def test_invalid_is_exit_1_and_loud(cli):
    cli.vars["ECP_SECRET"] = "wrong"
    run = cli("verify", str(SAMPLES / "decline_with_errors.json"))
    assert run.exit_code == 1
    assert run.stdout.startswith("INVALID  ")
    assert "payment order-42-1  decline" in run.stdout


def test_unsigned_is_exit_1(cli):
    path = cli.write("unsigned.json", {"payment": {"id": "p1", "status": "success"}})
    run = cli("verify", str(path))
    assert run.exit_code == 1
    assert run.stdout == f"UNSIGNED {path}  payment p1  success\n"


def test_many_files_worst_outcome_wins(cli):
    good = SAMPLES / "purchase_success.json"
    bad = SAMPLES / "awaiting_3ds_unknown_secret.json"
    missing = cli.tmp_path / "missing.json"
    assert cli("verify", str(good), str(good)).exit_code == 0
    assert cli("verify", str(good), str(bad)).exit_code == 1
    run = cli("verify", str(good), str(bad), str(missing))
    assert run.exit_code == 2
    assert run.stdout.count("\n") == 2  # the two readable files still get their lines
    assert run.stderr == f"error: {missing}: no such file\n"


def test_json_output_is_only_json(cli):
    good = SAMPLES / "purchase_success.json"
    bad = cli.write("bad.json", "not json at all {")
    run = cli("verify", "--json", str(good), str(bad))
    assert run.exit_code == 2
    records = run.json()
    assert records[0] == {
        "file": str(good),
        "verdict": "valid",
        "payment_id": "30338174",
        "status": "success",
    }
    assert records[1]["verdict"] == "error" and records[1]["file"] == str(bad)


def test_quiet_prints_nothing(cli):
    cli.vars["ECP_SECRET"] = "wrong"
    run = cli("verify", "--quiet", str(SAMPLES / "purchase_success.json"))
    assert (run.exit_code, run.stdout, run.stderr) == (1, "", "")


def test_stdin(cli):
    text = (SAMPLES / "purchase_success.json").read_text()
    run = cli("verify", "-", input=text)
    assert run.exit_code == 0 and "<stdin>" in run.stdout


def test_jsonl_one_callback_per_line_with_line_numbers(cli):
    good = json.dumps(load_sample("purchase_success.json"))
    bad = json.dumps({**load_sample("purchase_success.json"), "signature": "AAAA"})
    path = cli.write("log.jsonl", "\n".join([good, "", bad, "{oops"]) + "\n")
    run = cli("verify", "--jsonl", str(path))
    assert run.exit_code == 2
    lines = run.stdout.splitlines()
    assert lines[0].startswith("valid ") and f"{path}:1" in lines[0]
    assert lines[1].startswith("INVALID ") and f"{path}:3" in lines[1]
    assert run.stderr.startswith(f"error: {path}:4: not valid JSON")


def test_jsonl_from_stdin(cli):
    line = json.dumps(load_sample("decline_with_errors.json"))
    run = cli("verify", "--jsonl", "-", input=line + "\n" + line + "\n")
    assert run.exit_code == 0 and run.stdout.count("valid ") == 2


def test_nothing_to_verify_is_input_error(cli):
    run = cli("verify")
    assert run.exit_code == 2 and "nothing to verify" in run.stderr


def test_stdin_twice_is_refused(cli):
    run = cli("verify", "-", "--jsonl", "-")
    assert run.exit_code == 2 and "stdin (-) can be read only once" in run.stderr


def test_no_colour_when_not_a_terminal_even_if_forced_off_by_nothing(cli):
    run = cli("verify", str(SAMPLES / "purchase_success.json"))
    assert "\x1b[" not in run.stdout


def test_unknown_profile_is_exit_2(cli):
    profiles = cli.write("p.yaml", "profiles:\n  test:\n    project_id: 1\n    secret: s\n")
    run = cli(
        "--profiles", str(profiles), "-p", "nope", "verify", str(SAMPLES / "purchase_success.json")
    )
    assert run.exit_code == 2
    assert run.stderr == f"error: {profiles}: no profile named 'nope' (available: test)\n"


def test_absurdly_deep_nesting_is_an_input_error_not_a_crash(cli):
    path = cli.write("deep.json", '{"a":' * 5000 + "1" + "}" * 5000)
    run = cli("verify", str(path))
    assert (run.exit_code, run.stderr) == (2, f"error: {path}: nested more than 511 levels deep\n")


def test_yaml_value_that_cannot_be_signed_names_file_and_path(cli):
    path = cli.write("bin.yaml", "a: !!binary aGVsbG8=\nsignature: x\n")
    run = cli("verify", str(path))
    assert run.exit_code == 2
    assert run.stderr == f"error: {path}: a: a binary value has no JSON equivalent\n"


def test_empty_jsonl_is_an_input_error_not_all_valid(cli):
    # An empty log in CI usually means an earlier step failed; exit 0 would hide that.
    for content in ("", "\n  \n"):
        run = cli("verify", "--jsonl", "-", input=content)
        assert run.exit_code == 2
        assert run.stderr == "error: <stdin>: holds no callbacks (empty, or blank lines only)\n"


def test_json_records_spilled_to_disk_print_as_json_dumps_would(monkeypatch):
    import io
    import json as json_module

    from ecp_cli.cli.actions import verify as verify_report

    monkeypatch.setattr(verify_report, "JSON_IN_MEMORY_BYTES", 64)
    records = [
        {"file": f"log:{n}", "verdict": "invalid", "payment_id": "é\n\u2028", "status": None,
         "diagnosis": {"causes": [{"a": [1, 2.5, {"b": []}]}], "empty": {}}}
        for n in range(50)
    ]  # fmt: skip
    for count in (0, 1, 50):
        sink = verify_report._JsonRecords()
        for record in records[:count]:
            sink.add(record)
        out = io.StringIO()
        sink.write_to(out)
        assert (
            out.getvalue()
            == json_module.dumps(records[:count], indent=2, ensure_ascii=False) + "\n"
        )


def test_jsonl_workers_print_what_one_process_prints_in_input_order(cli, monkeypatch):
    from ecp_cli import line_batches

    monkeypatch.setattr(line_batches, "BATCH_BYTES", 4096)  # many batches, many tasks
    cli.vars["ECP_SECRET"] = "secret"
    good = load_sample("purchase_success.json")
    lines = []
    for n in range(2500):
        body = json.loads(json.dumps(good))
        if n % 97 == 0:
            body["signature"] = "AAAA"  # INVALID, with a diagnosis in --json
        lines.append("{oops" if n % 331 == 0 else "" if n % 101 == 0 else json.dumps(body))
    path = cli.write("big.jsonl", "\n".join(lines) + "\n")
    for extra in ([], ["--json"]):
        one = cli("verify", "--jsonl", str(path), "--workers", "1", *extra)
        two = cli("verify", "--jsonl", str(path), "--workers", "2", *extra)
        assert (two.exit_code, two.stdout, two.stderr) == (one.exit_code, one.stdout, one.stderr)
        assert one.exit_code == 2
    text = cli("verify", "--jsonl", str(path), "--workers", "2")
    shown = [int(line.split()[1].rsplit(":", 1)[1]) for line in text.stdout.splitlines()]
    assert shown == sorted(shown) and len(shown) == 2500 - 24 - 8  # blank and broken lines


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("bad_at", ["start", "end"])
def test_jsonl_not_utf8_anywhere_shows_no_line_however_many_workers(cli, monkeypatch, workers,
                                                                     bad_at):  # fmt: skip
    # Workers start on the first batches while the rest is still being checked: nothing
    # they find may show before the whole input is known to be UTF-8.
    from ecp_cli import line_batches
    from ecp_cli.cli.actions import verify as verify_report

    monkeypatch.setattr(line_batches, "BATCH_BYTES", 4096)
    monkeypatch.setattr(line_batches, "_READ_BYTES", 4096)
    scan_next = line_batches.LineBatches.scan_next

    def slowly(batches):  # once workers run, checking takes longer than their answers
        if batches.line_count >= verify_report.PARALLEL_MIN_LINES:
            time.sleep(0.005)
        return scan_next(batches)

    monkeypatch.setattr(line_batches.LineBatches, "scan_next", slowly)
    cli.vars["ECP_SECRET"] = "secret"
    line = json.dumps(load_sample("purchase_success.json")).encode() + b"\n"
    data = line * 2200
    data = data[:100] + b"\xff" + data[100:] if bad_at == "start" else data + b'{"a": "\xff"}\n'
    path = cli.tmp_path / "big.jsonl"
    path.write_bytes(data)
    where = 100 if bad_at == "start" else len(line) * 2200 + 7
    for extra in ([], ["--json"]):
        run = cli("verify", "--jsonl", str(path), "--workers", workers, *extra)
        assert run.exit_code == 2
        assert run.stderr == f"error: {path}: not UTF-8 text (byte {where})\n"
        assert run.stdout == ("" if not extra else json.dumps(
            [{"file": str(path), "verdict": "error", "error": run.stderr[7:-1]}], indent=2
        ) + "\n")  # fmt: skip


@pytest.mark.parametrize("how", ["file", "pipe"])
def test_redirected_stdin_is_read_when_no_file_is_given(how):
    import os
    import subprocess
    import sys

    sample = SAMPLES / "purchase_success.json"
    env = {**os.environ, "ECP_SECRET": "secret"}
    command = [sys.executable, "-m", "ecp_cli", "verify"]
    if how == "file":
        with sample.open("rb") as stdin:
            run = subprocess.run(command, stdin=stdin, capture_output=True, env=env)
    else:
        run = subprocess.run(command, input=sample.read_bytes(), capture_output=True, env=env)
    assert (run.returncode, run.stderr) == (0, b"")
    assert run.stdout == b"valid    <stdin>  payment 30338174  success\n"


def test_stdin_from_dev_null_is_still_nothing_to_verify():
    import os
    import subprocess
    import sys

    env = {**os.environ, "ECP_SECRET": "secret"}
    run = subprocess.run([sys.executable, "-m", "ecp_cli", "verify"], stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, env=env)  # fmt: skip
    assert (run.returncode, run.stderr) == (
        2, "error: nothing to verify: give FILE..., - for stdin, or --jsonl FILE\n",
    )  # fmt: skip


def test_columns_line_up_across_files(cli, tmp_path):
    short = cli.write("a.json", load_sample("purchase_success.json"))
    long = cli.write("a-much-longer-name.json", load_sample("decline_with_errors.json"))
    run = cli("verify", str(short), str(long))
    first, second = run.stdout.splitlines()
    assert first.index("payment") == second.index("payment") == 9 + len(str(long)) + 2
    assert first == f"valid    {str(short):<{len(str(long))}}  payment 30338174  success"
    one = cli("verify", str(short)).stdout  # a single file: no padding at all
    assert one == f"valid    {short}  payment 30338174  success\n"
