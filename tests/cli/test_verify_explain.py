"""ecp verify --explain / --against, and the "diagnosis" of every invalid --json record."""

import json
import os
import subprocess
import sys

from ecp_cli.cli import fast_path
from ecp_cli.signing.signature import embed_signature, sign, signed_string
from tests.conftest import SAMPLES, load_sample

LIVE_SECRET = "live-S3CRET-9f8e7d"
TEST_SECRET = "test-S3CRET-1a2b3c"
PROFILES = f"""\
default: test
profiles:
  test:
    project_id: 112
    secret: {TEST_SECRET}
  live:
    project_id: 100
    secret: {LIVE_SECRET}
  staging:
    project_id: 7
    secret_env: STAGING_SECRET_NOT_SET
"""


def body() -> dict:
    data = load_sample("purchase_success.json")
    del data["signature"]
    return data


def with_profiles(cli):
    cli.vars.clear()
    cli.vars["ECP_PROFILES"] = str(cli.write("profiles.yaml", PROFILES))
    return cli


def test_explain_shows_the_string_both_signatures_and_the_cause(cli):
    with_profiles(cli)
    data = embed_signature(body(), sign(body(), LIVE_SECRET))
    path = cli.write("cb.json", data)
    run = cli("verify", "--explain", str(path))
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert lines[0] == f"INVALID  {path}  payment 30338174  success"
    assert lines[1] == f"    string ecp signed:  {signed_string(data)}"
    assert lines[2] == f"    received signature: {data['signature']}"
    assert lines[3] == f"    expected signature: {sign(data, TEST_SECRET)}"
    assert lines[4] == (
        "    diagnosis: The signature was made with the secret of profile 'live' (project 100),"
        " not the one ecp used (profile 'test', project 112)."
    )
    assert lines[5].startswith("    what to change: Verify it with --profile live;")
    assert run.stderr == ""


def test_explain_adds_nothing_to_a_valid_callback(cli):
    path = SAMPLES / "purchase_success.json"
    run = cli("verify", "--explain", str(path))
    assert (run.exit_code, run.stdout) == (0, f"valid    {path}  payment 30338174  success\n")


def test_explain_an_unsigned_callback(cli):
    path = cli.write("unsigned.json", body())
    run = cli("verify", "--explain", str(path))
    assert run.exit_code == 1
    assert "    diagnosis: The message carries no signature" in run.stdout


def test_explain_a_signature_whose_plus_became_spaces(cli):
    data = body()
    for n in range(200):
        data["payment"]["id"] = f"p-{n}"
        if "+" in sign(data, "secret"):
            break
    path = cli.write("cb.json", {**data, "signature": sign(data, "secret").replace("+", " ")})
    run = cli("verify", "--explain", str(path))
    assert run.exit_code == 1
    assert "turned each + into a space. Repaired, it matches" in run.stdout


def test_explain_names_the_project_when_no_profile_matches(cli):
    cli.vars["ECP_SECRET"] = "some-other-secret"  # ECP_PROJECT_ID is 112, the body says 100
    run = cli("verify", "--explain", str(SAMPLES / "purchase_success.json"))
    assert run.exit_code == 1
    assert "diagnosis: The body is for project 100, but the profile ecp used" in run.stdout


def test_json_carries_a_diagnosis_for_every_invalid_record_only(cli):
    good = SAMPLES / "purchase_success.json"
    bad = cli.write("bad.json", {**load_sample("purchase_success.json"), "signature": "AAAA"})
    run = cli("verify", "--json", str(good), str(bad))
    assert run.exit_code == 1
    valid, invalid = run.json()
    assert "diagnosis" not in valid
    assert invalid["verdict"] == "invalid"
    assert invalid["diagnosis"]["cause"] == "signature_wrong_length"
    assert invalid["diagnosis"]["received_signature"] == "AAAA"
    assert invalid["diagnosis"]["string_to_sign"] == signed_string(load_sample(good.name))


def test_json_diagnosis_finds_another_profile_of_the_file(cli):
    with_profiles(cli)
    path = cli.write("cb.json", embed_signature(body(), sign(body(), LIVE_SECRET)))
    record = cli("verify", "--json", str(path)).json()[0]
    assert record["diagnosis"]["cause"] == "other_profile"
    assert record["diagnosis"]["details"]["profile"] == "live"


def test_against_a_known_good_copy(cli):
    good = cli.write("good.json", load_sample("purchase_success.json"))
    changed = load_sample("purchase_success.json")
    changed["payment"]["sum"]["amount"] = 100000
    received = cli.write("received.json", changed)
    run = cli("verify", "--explain", "--against", str(good), str(received))
    assert run.exit_code == 1
    assert "The known-good copy carries the same signature and verifies" in run.stdout
    assert "    differences from the known-good copy:" in run.stdout
    assert "      - payment:sum:amount: 1000 became 100000" in run.stdout


def test_against_a_missing_file_is_an_input_error(cli):
    missing = cli.tmp_path / "missing.json"
    run = cli("verify", "--against", str(missing), str(SAMPLES / "purchase_success.json"))
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"error: {missing}: no such file\n"


def test_against_and_a_file_cannot_both_read_stdin(cli):
    run = cli("verify", "--against", "-", "-", input="{}")
    assert run.exit_code == 2 and "stdin (-) can be read only once" in run.stderr


def test_quiet_wins_over_explain(cli):
    cli.vars["ECP_SECRET"] = "wrong"
    run = cli("verify", "--quiet", "--explain", str(SAMPLES / "purchase_success.json"))
    assert (run.exit_code, run.stdout, run.stderr) == (1, "", "")


def test_no_secret_in_any_output(cli):
    with_profiles(cli)
    signed_live = cli.write("live.json", embed_signature(body(), sign(body(), LIVE_SECRET)))
    unknown = cli.write("unknown.json", embed_signature(body(), sign(body(), "x")))
    good = cli.write("good.json", embed_signature(body(), sign(body(), TEST_SECRET)))
    for args in (
        ["verify", "--explain", str(signed_live), str(unknown)],
        ["verify", "--json", str(signed_live), str(unknown)],
        ["verify", "--explain", "--against", str(good), str(unknown)],
        ["verify", "--json", "--against", str(good), str(signed_live)],
    ):
        run = cli(*args)
        assert run.exit_code == 1
        for secret in (LIVE_SECRET, TEST_SECRET):
            assert secret not in run.stdout + run.stderr


def test_the_fast_path_json_carries_the_diagnosis_too(cli):
    bad = cli.write("bad.json", {**load_sample("purchase_success.json"), "signature": "AAAA"})
    args = ["verify", "--json", str(bad)]
    assert fast_path.parse(args) is not None
    fast = cli(*args)
    cli.fast_path = False
    assert fast.exit_code == 1
    assert fast.json() == cli(*args).json()
    assert fast.json()[0]["diagnosis"]["cause"] == "signature_wrong_length"


def test_worker_processes_send_the_same_diagnoses_back(tmp_path):
    good = json.dumps(load_sample("purchase_success.json"))
    bad = json.dumps({**load_sample("purchase_success.json"), "signature": "AAAA"})
    lines = [bad if index % 500 == 0 else good for index in range(2100)]
    path = tmp_path / "log.jsonl"
    path.write_text("\n".join(lines) + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECP_")}
    env.update({"ECP_SECRET": "secret", "NO_COLOR": "1"})

    def run(workers: str):
        command = [sys.executable, "-m", "ecp_cli", "verify", "--json", "--jsonl", str(path)]
        return subprocess.run(
            [*command, "--workers", workers], capture_output=True, text=True, env=env
        )

    serial, parallel = run("1"), run("2")
    assert parallel.returncode == serial.returncode == 1
    assert parallel.stdout == serial.stdout
    records = json.loads(parallel.stdout)
    assert [r["file"].rsplit(":", 1)[1] for r in records if "diagnosis" in r] == [
        "1",
        "501",
        "1001",
        "1501",
        "2001",
    ]


def test_explain_names_a_php_sdk_quirk_but_keeps_the_verdict(cli):
    # A top-level "0" key holding an object: the PHP SDK drops its prefix (PHP reads "0"
    # as false). Real payloads never do this; ecp keeps the spec's verdict and says why.
    from ecp_cli.signing.sdk_variants import VARIANTS

    with_profiles(cli)
    data = {**body(), "0": {"note": "x"}}
    path = cli.write("cb.json", embed_signature(data, VARIANTS["php"].sign(data, TEST_SECRET)))
    run = cli("verify", "--explain", str(path))
    assert run.exit_code == 1
    assert run.stdout.splitlines()[0].startswith("INVALID  ")
    assert "diagnosis: The signature matches the string the PHP SDK (git cf81e39) would " in (
        run.stdout
    )
    assert 'drops a top-level "0" key from the paths below it' in run.stdout
    assert "string php signs: " in run.stdout


def test_explain_a_callback_nested_511_levels_deep(cli):
    text = '{"signature": "' + "A" * 86 + '==", ' + '"a":{' * 509 + '"x":"true"' + "}" * 510
    path = cli.write("deep.json", text)
    run = cli("verify", "--explain", str(path))
    assert run.exit_code == 1, run.stderr
    assert "    diagnosis: " in run.stdout


def test_a_trailing_newline_in_the_signature_is_shown_and_no_signature_is_none(cli):
    with_profiles(cli)
    good = sign(body(), TEST_SECRET)
    path = cli.write("cb.json", embed_signature(body(), good + "\n"))
    lines = cli("verify", "--explain", str(path)).stdout.splitlines()
    assert lines[2] == f'    received signature: "{good}\\n"'
    path = cli.write("unsigned.json", body())
    run = cli("verify", "--explain", str(path))
    assert run.exit_code == 1
    assert "    received signature: (none)" in run.stdout.splitlines()
