"""One escaping rule for every human line: each kind of hostile text (ANSI colour, an OSC
title change, a newline forging a log line, a carriage return, a C1 CSI, a bidi override)
sent through every command that shows data to a person. No raw control character reaches
the output; the escaped form is shown instead; JSON output stays exact."""

import json
import random

import pytest

from ecp_cli.callbacks.scenarios import Overrides, build, sign_callback
from ecp_cli.listen.store import Event, Store, summarize
from ecp_cli.text_safety import safe_lines, safe_text
from tests.fake_platform import Answer, FakePlatform, clear_http_env, payment_response, signed

SECRET = "escaping-secret"

KINDS = {
    "ansi colour": ("pay\x1b[31mred\x1b[0m", "pay\\x1b[31mred\\x1b[0m"),
    "osc title": ("x\x1b]0;pwned\x07y", "x\\x1b]0;pwned\\x07y"),
    "forged line": ("p1\nFAKE #99 valid -> 200", "p1\\nFAKE #99 valid -> 200"),
    "carriage return": ("ok\rEVIL", "ok\\rEVIL"),
    "c1 csi": ("a\x9b2Jb", "a\\x9b2Jb"),
    "bidi override": ("inv\u202eexe.txt", "inv\\u202eexe.txt"),
    "bidi isolate": ("a\u2066b\u2069c", "a\\u2066b\\u2069c"),
    "line separator": ("a\u2028b", "a\\u2028b"),
    "nul and del": ("a\x00b\x7fc", "a\\x00b\\x7fc"),
}
RAW = ["\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\u2028", "\x00", "\x7f", "\r"]


def assert_clean(text: str) -> None:
    for char in RAW:
        assert char not in text, repr(char)


def human_lines_clean(text: str) -> None:
    assert_clean(text)
    assert "FAKE #99" not in [line[:8] for line in text.splitlines()]


@pytest.mark.parametrize("kind", list(KINDS))
def test_safe_text_escapes_each_kind(kind):
    raw, shown = KINDS[kind]
    assert safe_text(raw) == shown
    if "\n" not in raw:  # safe_lines keeps line breaks: it is for multi-line text
        assert safe_lines(f"{raw}\n{raw}") == f"{shown}\n{shown}"


def test_safe_text_leaves_ordinary_text_alone():
    for text in ("plain", "Café Zürich", "日本語", "emoji 🎉", "back\\slash", "tab-less"):
        assert safe_text(text) == text


@pytest.fixture
def ecp(cli, monkeypatch):
    clear_http_env(monkeypatch)
    cli.vars["ECP_SECRET"] = SECRET
    cli.vars["ECP_PROJECT_ID"] = "112"
    return cli


def hostile_callback(raw: str) -> dict:
    body = build("success", 112, Overrides(payment_id=raw), rng=random.Random(1))[0]
    body["payment"]["description"] = raw
    body["operation"]["message"] = raw
    return sign_callback(body, SECRET)


@pytest.mark.parametrize("kind", list(KINDS))
def test_show_and_verify_and_explain(ecp, kind):
    raw, shown = KINDS[kind]
    path = ecp.write("cb.json", hostile_callback(raw))
    for args in (["show", str(path)], ["verify", str(path)], ["verify", "--explain", str(path)]):
        run = ecp(*args)
        human_lines_clean(run.stdout + run.stderr)
        assert shown in run.stdout, args
    # A wrong secret makes verify explain, quoting the string it signed.
    ecp.vars["ECP_SECRET"] = "other"
    run = ecp("verify", "--explain", str(path))
    assert run.exit_code == 1
    human_lines_clean(run.stdout + run.stderr)
    assert shown in run.stdout
    # JSON stays exact: the raw text, JSON-escaped by json itself.
    run = ecp("verify", "--json", str(path))
    assert json.loads(run.stdout)[0]["payment_id"] == raw


@pytest.mark.parametrize("kind", list(KINDS))
def test_events_list_and_show(ecp, kind):
    raw, shown = KINDS[kind]
    body = json.dumps(hostile_callback(raw)).encode()
    with Store(ecp.data_dir / "events.sqlite3") as store:
        data = json.loads(body)
        store.add(
            Event(
                received_at="2025-03-11T10:15:02.123Z", method="POST", path="/cb/" + raw,
                headers=[("X-Evil", raw)], body=body, verdict="valid", client="127.0.0.1:1",
                summary=summarize(data), reply_status=200, body_size=len(body),
            )
        )  # fmt: skip
        store.add(
            Event(
                received_at="2025-03-11T10:15:03.123Z", method="POST", path="/x" + raw,
                headers=[], body=raw.encode(), verdict="rejected", reply_status=400,
                error=f"not valid JSON near {raw}",
            )
        )  # fmt: skip
    for args in (["events", "list"], ["events", "show", "1"], ["events", "show", "2"]):
        run = ecp(*args)
        assert run.exit_code == 0, run.stderr
        # events show prints a rejected body as it came, line by line, after its head:
        # its control characters are escaped, its own line breaks kept.
        head = run.stdout.split("\n\n")[0]
        human_lines_clean(head + run.stderr)
        assert_clean(run.stdout)
        assert shown in run.stdout, args
    run = ecp("events", "show", "1", "--json")
    assert json.loads(run.stdout)["path"] == "/cb/" + raw


@pytest.mark.parametrize("kind", list(KINDS))
def test_listen_line(kind):
    from ecp_cli.cli.callback_output import event_line

    raw, shown = KINDS[kind]
    data = hostile_callback(raw)
    event = Event(
        received_at="2025-03-11T10:15:02.123Z", method="POST", path="/" + raw, headers=[],
        body=b"{}", verdict="valid", summary=summarize(data), reply_status=200, id=7,
    )  # fmt: skip
    line = event_line(event)
    assert "\n" not in line
    assert_clean(line)
    assert shown in line
    event.verdict, event.error = "rejected", raw
    line = event_line(event)
    assert "\n" not in line and shown in line


@pytest.mark.parametrize("kind", list(KINDS))
def test_status(ecp, kind):
    raw, shown = KINDS[kind]
    with FakePlatform(secret=SECRET) as platform:
        document = payment_response("order-1")
        document["payment"]["description"] = raw
        document["operation"]["message"] = raw
        platform.script(Answer(200, signed(document, SECRET)))
        run = ecp("status", "order-1", "--api-url", platform.url)
        human_lines_clean(run.stdout + run.stderr)
        assert shown in run.stdout
        platform.script(
            Answer(400, {"status": "error", "code": "3061", "message": raw, "description": raw})
        )
        run = ecp("status", "order-1", "--api-url", platform.url, "--retries", "0")
        human_lines_clean(run.stdout + run.stderr)
        assert shown in run.stdout + run.stderr


@pytest.mark.parametrize("kind", list(KINDS))
def test_decode(ecp, kind):
    from urllib.parse import quote

    raw, shown = KINDS[kind]
    url = (
        "https://paymentpage.ecommpay.com/payment?project_id=112&payment_id="
        + quote(raw)
        + "&payment_amount=100&payment_currency=EUR&customer_id="
        + quote(raw)
    )
    run = ecp("decode", url)
    human_lines_clean(run.stdout + run.stderr)
    assert shown in run.stdout


def test_errors_on_stderr_are_one_escaped_line(ecp):
    run = ecp("explain", "no-such\x1b]0;pwned\x07\nterm")
    assert run.exit_code == 2
    assert_clean(run.stderr)
    assert run.stderr.count("\n") == 1
