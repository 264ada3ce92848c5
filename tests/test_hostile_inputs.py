"""Hostile input files through every command that reads one, as the real entry point runs
them (``ecp_cli.cli.launcher.main``, in-process so the suite stays fast).

For each input and command the invariant: no traceback, an exit code from the documented
table (0, 1, 2, 3), on failure one clear ``error:`` line on stderr (warnings may precede
it), and the secret nowhere in the output.
"""

import json
import os
import sys

import pytest

from ecp_cli import documents
from ecp_cli.cli.launcher import main

SECRET = "hostile-Secret-Value-42"
DOCUMENTED_EXITS = {0, 1, 2, 3}


def deep(n: int) -> str:
    return "[" * n + "]" * n


# name -> file content (bytes) or a callable(tmp_path) returning a path.
INPUTS = {
    "empty": b"",
    "whitespace": b"   \n\t\n",
    "binary": bytes(range(256)) * 4,
    "nul bytes": b'{"a": "\x00"}\x00\x00',
    "truncated json": b'{"payment": {"id": "p1", "status": "succ',
    "truncated utf-8": b'{"a": "\xe2\x82"}',
    "not utf-8": b'{"a": "\xff\xfe"}',
    "utf-16": '{"payment": {"id": "x"}}'.encode("utf-16"),
    "bom json": b'\xef\xbb\xbf{"payment": {"id": "bom"}, "signature": "x"}',
    "deep json": deep(5000).encode(),
    "deep object": ('{"a":' * 3000 + "1" + "}" * 3000).encode(),
    "deep yaml block": "".join(f"{' ' * i}a:\n" for i in range(400)).encode(),
    "deep yaml flow": ("a: " + deep(3000)).encode(),
    "huge integer": b'{"payment_amount": ' + b"9" * 5000 + b"}",
    "huge integer yaml": b"payment_amount: " + b"9" * 5000,
    "huge float": b'{"payment_amount": 1e999999}',
    "NaN": b'{"payment_amount": NaN}',
    "Infinity": b'{"a": -Infinity}',
    "duplicate keys": b'{"payment_id": "a", "payment_id": "b", "signature": "x"}',
    "list at top": b"[1, 2, 3]",
    "string at top": b'"just text"',
    "number at top": b"42",
    "null at top": b"null",
    "wrong types": b'{"payment": "not an object", "operation": [1], "signature": 5}',
    "lone surrogate": b'{"a": "\\ud800"}',
    "yaml mixed keys": b"1: a\nb: c\n2.5: d\nnull: e\n",
    "yaml alias bomb": (
        b'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
        + b"".join(
            f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n".encode()
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        )
    ),
    "yaml anchor": b"base: &b {x: 1}\nother: *b\n",
    "yaml python tag": b"a: !!python/object/apply:os.system ['echo pwned']\n",
    "yaml bad tag value": b"a: !!float nope\n",
    "yaml timestamp": b"date: 2026-12-31\nbool: yes\n",
    "yaml set": b"a: !!set {x, y}\n",
    "yaml binary": b"a: !!binary aGVsbG8=\n",
    "yaml tabs": b"a:\n\t- b\n",
    "yaml multi document": b"a: 1\n---\nb: 2\n",
    "control chars in keys": b'{"\\u001b]0;x\\u0007": "v", "k\\nl": "\\u202e"}',
    "very long key": b'{"' + b"k" * 100_000 + b'": 1}',
    "oversize": lambda tmp: _oversize(tmp),
    "directory": lambda tmp: _directory(tmp),
    "unreadable": lambda tmp: _unreadable(tmp),
    "missing": lambda tmp: tmp / "does-not-exist.json",
    "dev zero": lambda tmp: "/dev/zero",
}

# Commands that read one file; "{}" is the file.
COMMANDS = {
    "sign": ["sign", "{}"],
    "show": ["show", "{}"],
    "verify": ["verify", "{}"],
    "verify --jsonl": ["verify", "--jsonl", "{}"],
    "url --params": ["url", "--params", "{}", "--currency", "EUR", "--amount", "100"],
    "profiles": ["--profiles", "{}", "profiles", "list"],
    "events": ["events", "list", "--store", "{}"],
}


def _oversize(tmp):
    path = tmp / "big.json"
    path.write_bytes(b'{"pad": "' + b"x" * 5000 + b'"}')
    os.environ["ECP_MAX_INPUT"] = "1000"  # restored by the fixture
    return path


def _directory(tmp):
    path = tmp / "a-directory"
    path.mkdir()
    return path


def _unreadable(tmp):
    path = tmp / "unreadable.json"
    path.write_text("{}")
    path.chmod(0)
    return path


@pytest.fixture
def ecp(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ECP_SECRET", SECRET)
    monkeypatch.setenv("ECP_PROJECT_ID", "112")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("ECP_MAX_INPUT", raising=False)
    monkeypatch.delenv("ECP_DEBUG", raising=False)
    monkeypatch.delenv("ECP_PROFILES", raising=False)
    monkeypatch.chdir(tmp_path)
    limit = documents.input_limit()

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 2)
        sys.stdout.flush()
        out, err = capsys.readouterr()
        return code, out, err

    yield run
    documents.set_input_limit(limit)
    os.environ.pop("ECP_MAX_INPUT", None)


def check_invariant(code: int, out: str, err: str, *, per_line: bool = False) -> None:
    """``per_line``: verify --jsonl names each bad line of a log, one error line each."""
    assert code in DOCUMENTED_EXITS, (code, err)
    assert "Traceback" not in out + err
    assert SECRET not in out + err
    assert "\x1b" not in err
    if code == 2:
        lines = [line for line in err.splitlines() if not line.startswith("warning: ")]
        errors = [line for line in lines if line.startswith("error: ")]
        assert len(errors) == 1 or (per_line and len(errors) == len(lines)), err
        assert len(errors[0]) < 400 or "larger than" in errors[0] or "digits" in errors[0]


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("name", list(INPUTS))
def test_hostile_file(ecp, tmp_path, name, command):
    if name == "unreadable" and os.geteuid() == 0:
        pytest.skip("root reads any file")
    content = INPUTS[name]
    if callable(content):
        path = content(tmp_path)
    else:
        path = tmp_path / "input.data"
        path.write_bytes(content)
    args = [str(path) if part == "{}" else part for part in COMMANDS[command]]
    code, out, err = ecp(*args)
    check_invariant(code, out, err, per_line=command == "verify --jsonl")


# --- the numbered defects of the issue, each one as it was reported -------------------


def test_alias_bomb_is_refused_at_once(ecp, tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_bytes(INPUTS["yaml alias bomb"])
    code, _, err = ecp("sign", str(path))
    assert code == 2
    assert "anchors and aliases (&name, *name) are not accepted" in err


def test_dev_zero_is_refused_with_the_limit(ecp):
    code, _, err = ecp("sign", "/dev/zero")
    assert code == 2
    assert err == (
        f"error: /dev/zero: larger than the input limit of {documents.input_limit()} bytes "
        "(set ECP_MAX_INPUT=BYTES to raise it)\n"
    )


def test_the_input_limit_can_be_raised(ecp, tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"payment_id": "x" * 2000}))
    os.environ["ECP_MAX_INPUT"] = "1000"
    assert ecp("sign", str(path))[0] == 2
    os.environ["ECP_MAX_INPUT"] = "100000"
    assert ecp("sign", str(path))[0] == 0


@pytest.mark.parametrize(
    "args, problem",
    [
        (["url", "--amount", "9" * 5000, "--currency", "USD"], "over the platform's"),
        (["url", "--amount", "10000000000001", "--currency", "USD"], "over the platform's"),
        (["explain", "9" * 5000], "more than 4300 digits"),
        (["callback", "success", "--set", "x=" + deep(3000)], "nested"),
        (
            ["decode", "https://paymentpage.ecommpay.com/payment?project_id=1&x=" + deep(3000)],
            "nested",
        ),
        (["url", "--amount", "100", "--currency", "USD", "--payment-id", ""], "empty"),
    ],
)
def test_bad_input_is_exit_2_not_70(ecp, args, problem):
    code, out, err = ecp(*args)
    assert code == 2, err
    assert problem in err
    assert "set_int_max_str_digits" not in err
    check_invariant(code, out, err)


def test_a_29_digit_project_id_is_refused(ecp):
    os.environ["ECP_PROJECT_ID"] = "1" * 29
    code, _, err = ecp("url", "--amount", "100", "--currency", "USD")
    assert code == 2
    assert "project_id is larger than any project id" in err


def test_ecp_debug_keeps_exit_70(monkeypatch, capsys):
    monkeypatch.setenv("ECP_DEBUG", "1")

    def broken(argv):
        raise KeyError("boom")

    monkeypatch.setattr("ecp_cli.cli.app.run_app", broken)
    with pytest.raises(SystemExit) as done:
        main(["status", "x"])
    assert done.value.code == 70  # not 1, which means "invalid signature"
    assert "Traceback" in capsys.readouterr().err


def test_events_reading_needs_no_write_access_and_converts_nothing(ecp, tmp_path):
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    code, _, err = ecp("events", "list", "--store", str(empty))
    assert code == 2
    assert "not an ecp event store (an empty file)" in err
    assert empty.read_bytes() == b""  # not turned into a database
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    assert ecp("events", "show", "1", "--store", str(notes))[0] == 2
    assert notes.read_text() == "my notes"


def test_events_list_on_a_read_only_store(ecp, tmp_path):
    from ecp_cli.listen.store import Event, Store

    path = tmp_path / "ro" / "events.sqlite3"
    with Store(path) as store:
        store.add(Event("2025-01-01T00:00:00.000Z", "POST", "/", [], b"{}", "unsigned"))
    path.chmod(0o400)
    path.parent.chmod(0o500)
    try:
        code, out, err = ecp("events", "list", "--store", str(path))
    finally:
        path.parent.chmod(0o700)
        path.chmod(0o600)
    assert code == 0, err
    assert "#1" in out


def test_a_store_readable_by_others_is_warned_about(tmp_path):
    from ecp_cli.listen.store import Store

    path = tmp_path / "events.sqlite3"
    path.write_bytes(b"")
    path.chmod(0o644)
    with Store(path) as store:
        assert store.warnings == [
            f"{path} is readable by other users and holds callback bodies (customer data); "
            f"run: chmod 600 {path}"
        ]


def test_a_profile_file_writable_by_others_is_warned_about(ecp, tmp_path):
    path = tmp_path / "profiles.yaml"
    path.write_text("profiles:\n  test:\n    project_id: 112\n    secret: secret\n")
    path.chmod(0o666)
    code, _, err = ecp("--profiles", str(path), "profiles", "list")
    assert code == 0
    assert f"warning: {path} can be changed by other users" in err


def test_credentials_in_a_target_url_are_not_echoed(ecp):
    from tests.http_endpoint import closed_port_url

    target = closed_port_url().replace("http://", "http://admin:pw-Secret@")
    for args in (["send", "success", "--to", target], ["send", "success", "--to", "ftp://a:pw-Secret@x/"]):
        code, out, err = ecp(*args)
        assert code in (2, 3), err
        assert "pw-Secret" not in out + err
        assert "***@" in err
