"""Every --json command prints a JSON object on stdout when it fails, so that
`ecp ... --json | jq` always has JSON to read; the error line still goes to stderr."""

import io
import json

import pytest

FAILING = [
    ("sign", "missing.json", "--json"),
    ("--profiles", "missing.yaml", "verify", "cb.json", "--json"),
    ("--profiles", "missing.yaml", "verify", "cb.json", "--json", "--explain"),
    ("url", "--amount", "12", "--currency", "usd", "--json"),
    ("decode", "not a url", "--json"),
    ("show", "missing.json", "--json"),
    ("check", "missing.json", "--json"),
    ("status", "order-1", "--api-url", "ftp://x", "--json"),
    ("send", "nope", "--json"),
    ("events", "list", "--verdict", "good", "--json"),
    ("events", "show", "9", "--json"),
    ("events", "replay", "9", "--to", "http://127.0.0.1:9/", "--json"),
    ("events", "export", "--json", "--status", "declined"),
    ("profiles", "show", "nobody", "--json"),
    ("refund", "order-1", "--amount", "5", "--currency", "EURO", "--json"),
    ("capture", "order-1", "--api-url", "ftp://x", "--json"),
    ("cancel", "order-1", "--api-url", "ftp://x", "--json"),
    ("sandbox", "pay", "ftp://x/payment?a=1", "--json"),
    ("sandbox", "payments", "--store", "no-such-store.sqlite3", "--json"),
]


@pytest.mark.parametrize("args", FAILING, ids=" ".join)
def test_a_failure_is_a_json_object_too(cli, args):
    run = cli(*args)
    assert run.exit_code == 2
    document = json.loads(run.stdout)
    message = run.stderr.splitlines()[-1].removeprefix("error: ")
    assert document == {"ok": False, "error": message, "exit_status": 2}


def test_commands_that_print_their_own_json_on_failure_print_only_that(cli):
    run = cli("explain", "nothing-like-this", "--json")
    assert run.exit_code == 2
    assert "ok" not in run.stdout and isinstance(json.loads(run.stdout), list | dict)


def test_the_fast_path_does_the_same(tmp_path):
    from ecp_cli.cli import fast_path
    from ecp_cli.environment import Environment

    out, err = io.StringIO(), io.StringIO()
    env = Environment({}, stdout=out, stderr=err, cwd=tmp_path,
                      config_dir=tmp_path, data_dir=tmp_path)  # fmt: skip
    call = fast_path.parse(["verify", "--json", str(tmp_path / "missing.json")])
    assert call is not None
    assert fast_path.run(call, env) == 2
    message = err.getvalue().splitlines()[-1].removeprefix("error: ")
    assert json.loads(out.getvalue()) == {"ok": False, "error": message, "exit_status": 2}
