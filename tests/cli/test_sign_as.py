"""ecp sign --explain (one numbered entry per line), --as SDK, unknown-parameter warnings."""

from ecp_cli.signing.canonical import NOT_SIGNED_IN_DOCUMENTS, entries
from ecp_cli.signing.sdk_variants import VARIANTS
from ecp_cli.signing.signature import sign
from tests.anchors import SPEC_EXAMPLE, SPEC_SIGNATURE, SPEC_STRING
from tests.conftest import SAMPLES

TWELVE = {"project_id": 1, "items": [{"n": i} for i in range(12)]}


def test_explain_numbers_each_entry_in_signing_order(cli):
    run = cli("sign", "--explain", str(cli.write("req.json", SPEC_EXAMPLE)))
    assert run.stdout == SPEC_SIGNATURE + "\n"
    lines = run.stderr.splitlines()
    assert lines[0] == f"string to sign: {SPEC_STRING}"
    assert lines[1:] == [
        f"  {number:>2}  {entry}" for number, entry in enumerate(SPEC_STRING.split(";"), start=1)
    ]
    assert lines[1] == "   1  close_on_missclick:1"
    assert lines[10] == "  10  project_id:12345"


def test_explain_keeps_natural_order_visible(cli):
    run = cli("sign", "--explain", str(cli.write("req.json", TWELVE)))
    lines = run.stderr.splitlines()
    assert lines[1:4] == ["   1  items:0:n:0", "   2  items:1:n:1", "   3  items:2:n:2"]
    assert lines[11] == "  11  items:10:n:10"


def test_as_python_prints_the_sdk_signature_and_where_it_differs(cli):
    path = cli.write("req.json", TWELVE)
    run = cli("sign", "--as", "python", str(path))
    assert run.exit_code == 0
    assert run.stdout == VARIANTS["python"].sign(TWELVE, "secret") + "\n"
    assert run.stdout != sign(TWELVE, "secret") + "\n"
    assert run.stderr.splitlines() == [
        "The Python SDK (git master 35ed5ec, PE-702): signs this file differently from the spec "
        f"(spec signature: {sign(TWELVE, 'secret')})",
        "  - order: where the spec signs items:1:n:1, this signs items:10:n:10 "
        "(11 of 13 shared entries sit in a different place)",
    ]


def test_as_python_1_0_6_with_explain_shows_its_own_string(cli):
    document = {"project_id": 1, "payment_id": "p", "payment_description": None}
    run = cli("sign", "--as", "python-1.0.6", "--explain", str(cli.write("r.json", document)))
    lines = run.stderr.splitlines()
    assert lines[0] == "string to sign: payment_description:None;payment_id:p;project_id:1"
    assert lines[1] == "  1  payment_description:None"
    assert "  - payment_description: the spec signs '', this signs 'None'" in lines


def test_as_an_sdk_that_agrees_says_so(cli):
    run = cli("sign", "--as", "js", str(cli.write("req.json", SPEC_EXAMPLE)))
    assert run.stdout == SPEC_SIGNATURE + "\n"
    assert (
        run.stderr
        == "The Node SDK 0.1.7 (npm ecommpay): signs this file exactly as the spec does\n"
    )


def test_as_with_json(cli):
    document = {"a": 1, "a1": 2, "payment_id": "p"}
    run = cli("sign", "--as", "go", "--json", str(cli.write("req.json", document)))
    data = run.json()
    assert data == {
        "signature": VARIANTS["go"].sign(document, "secret"),
        "string_to_sign": "a1:2;a:1;payment_id:p",
        "sdk": "go",
        "spec_signature": sign(document, "secret"),
        "spec_string_to_sign": "a:1;a1:2;payment_id:p",
        "same_as_spec": False,
        "differences": [
            "order: where the spec signs a:1, this signs a1:2 "
            "(2 of 3 shared entries sit in a different place)"
        ],
    }


def test_as_with_embed_embeds_the_sdk_signature(cli):
    run = cli("sign", "--as", "java", "--embed", str(cli.write("req.json", TWELVE)))
    assert run.json()["signature"] == VARIANTS["java"].sign(TWELVE, "secret")


def test_as_an_unknown_sdk_is_an_input_error(cli):
    run = cli("sign", "--as", "cobol", str(cli.write("req.json", SPEC_EXAMPLE)))
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.startswith("error: --as: unknown SDK 'cobol' (choose from: python, ")


def test_warns_about_a_misspelt_payment_page_parameter(cli):
    document = {**SPEC_EXAMPLE, "payment_ammount": 2035, "my_own_field": "x"}
    del document["payment_amount"]
    path = cli.write("req.json", document)
    run = cli("sign", str(path))
    assert run.exit_code == 0
    assert run.stderr.splitlines() == [
        f"warning: {path}: payment_ammount is not a Payment Page parameter; "
        "did you mean payment_amount?",
        f"warning: {path}: my_own_field is not a Payment Page parameter ecp knows",
    ]


def test_no_parameter_warnings_for_callbacks(cli):
    run = cli("sign", str(SAMPLES / "purchase_success.json"))
    assert (run.exit_code, run.stderr) == (0, "")


def test_no_secret_in_any_output(cli):
    cli.vars["ECP_SECRET"] = "s3cr3t-SIGN-AS-77"
    path = cli.write("req.json", {**TWELVE, "n": None, "frame_mode": "popup"})
    for args in (["--as", "python", "--explain"], ["--as", "go", "--json"], ["--explain"]):
        run = cli("sign", *args, str(path))
        assert run.exit_code == 0
        assert "s3cr3t-SIGN-AS-77" not in run.stdout + run.stderr


def test_spec_entries_are_what_explain_numbers(cli):
    document = {"b": {"x": 1}, "a:b": [True, None]}
    run = cli("sign", "--explain", str(cli.write("req.json", document)))
    numbered = [line.split("  ", 2)[-1] for line in run.stderr.splitlines()[1:]]
    assert numbered == [str(e) for e in entries(document, NOT_SIGNED_IN_DOCUMENTS)]
