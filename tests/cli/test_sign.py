"""ecp sign: prints the signature alone, --embed, --json, --explain, bad inputs."""

import json

from tests.anchors import SPEC_EXAMPLE, SPEC_SIGNATURE, SPEC_STRING
from tests.conftest import SAMPLES


def test_prints_the_signature_alone(cli):
    path = cli.write("req.json", SPEC_EXAMPLE)
    run = cli("sign", str(path))
    assert run.exit_code == 0
    assert run.stdout == SPEC_SIGNATURE + "\n"
    assert run.stderr == ""


def test_reads_stdin(cli):
    run = cli("sign", "-", input=json.dumps(SPEC_EXAMPLE))
    assert (run.exit_code, run.stdout) == (0, SPEC_SIGNATURE + "\n")


def test_reads_yaml_keeping_leading_zeros_and_dates_as_typed(cli):
    yaml_text = "\n".join(
        [
            "project_id: 12345",
            "payment_id: X03936",
            "payment_amount: 2035",
            "payment_currency: USD",
            "payment_description: Guyliner purchase",
            "customer_id: user007",
            "customer_first_name: Jack",
            "customer_last_name: Sparrow",
            "customer_phone: 02081234567",  # plain YAML would make this the int 2081234567
            "close_on_missclick: true",
        ]
    )
    run = cli("sign", str(cli.write("req.yaml", yaml_text)))
    assert run.stdout == SPEC_SIGNATURE + "\n"


def test_json_output_has_signature_and_string(cli):
    run = cli("sign", "--json", str(cli.write("req.json", SPEC_EXAMPLE)))
    assert run.json() == {"signature": SPEC_SIGNATURE, "string_to_sign": SPEC_STRING}


def test_explain_writes_the_string_to_stderr_only(cli):
    run = cli("sign", "--explain", str(cli.write("req.json", SPEC_EXAMPLE)))
    assert run.stdout == SPEC_SIGNATURE + "\n"
    assert SPEC_STRING in run.stderr


def test_embed_at_top_round_trips_through_verify(cli):
    run = cli("sign", "--embed", str(cli.write("req.json", SPEC_EXAMPLE)))
    signed = json.loads(run.stdout)
    assert signed["signature"] == SPEC_SIGNATURE
    verified = cli("verify", "-", input=run.stdout)
    assert verified.exit_code == 0 and verified.stdout.startswith("valid")


def test_embed_under_general_for_gate_style_documents(cli):
    doc = {"general": {"project_id": 1, "payment_id": "p"}, "items": list(range(12))}
    run = cli("sign", "--embed", str(cli.write("gate.json", doc)))
    signed = json.loads(run.stdout)
    assert "signature" not in signed and "signature" in signed["general"]
    assert cli("verify", "-", input=run.stdout).exit_code == 0


def test_resigning_a_signed_sample_ignores_its_old_signature(cli):
    cli.vars["ECP_SECRET"] = "qwerty"
    sample = SAMPLES / "recurring_update.json"
    assert cli("sign", str(sample)).stdout.strip() == json.loads(sample.read_text())["signature"]


def test_float_gets_a_warning_naming_the_path(cli):
    run = cli("sign", str(cli.write("f.json", {"payment_amount": 100.0, "x": 1})))
    assert run.exit_code == 0
    assert "warning: " in run.stderr and "payment_amount is a float" in run.stderr


def test_bad_inputs_one_line_exit_2(cli):
    cases = {
        "missing.json": ("missing.json: no such file", None),
        "broken.json": ("broken.json: not valid JSON", '{"a": '),
        "list.json": ("list.json: expected an object at the top, got a list", "[1, 2]"),
        "empty.json": ("empty.json: is empty", ""),
        "nan.json": ("nan.json: NaN is not valid JSON", '{"a": NaN}'),
    }
    for name, (message, content) in cases.items():
        path = cli.tmp_path / name if content is None else cli.write(name, content)
        run = cli("sign", str(path))
        assert run.exit_code == 2, name
        assert run.stdout == ""
        assert run.stderr.count("\n") == 1 and run.stderr.startswith("error: "), run.stderr
        assert message in run.stderr


def test_no_secret_configured_is_exit_2(bare_cli):
    path = bare_cli.write("req.json", {"a": 1})
    run = bare_cli("sign", str(path))
    assert run.exit_code == 2
    assert "no profile configured" in run.stderr


def test_secret_never_printed(cli):
    cli.vars["ECP_SECRET"] = "s3cr3t-value-XYZ"
    path = cli.write("req.json", SPEC_EXAMPLE)
    for args in (["sign"], ["sign", "--json"], ["sign", "--embed", "--explain"]):
        run = cli(*args, str(path))
        assert "s3cr3t-value-XYZ" not in run.stdout + run.stderr
