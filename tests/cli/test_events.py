"""ecp events list / show / replay over a store filled by a real listener."""

import http.client
import json
import random
import re

import httpx
import pytest

from ecp_cli.callbacks.scenarios import Overrides, build, dumps, sign_callback
from ecp_cli.listen.server import Listener
from ecp_cli.listen.store import Store
from tests.http_endpoint import Endpoint, closed_port_url

TIME = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"


def body(name: str, payment_id: str, secret: str = "secret") -> bytes:
    built = build(name, 112, Overrides(payment_id=payment_id), rng=random.Random(1))[0]
    return dumps(sign_callback(built, secret))


@pytest.fixture
def filled(cli):
    """The default store (in the test's data dir) after five requests to a real listener:
    #1 success, #2 decline, #3 wrong secret, #4 not JSON, #5 cancelled."""
    path = cli.data_dir / "events.sqlite3"
    with Store(path) as store:
        listener = Listener(store=store, secret="secret", port=0).start()
        listener.serve_in_thread()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", listener.port, timeout=5)
            for content in (
                body("success", "order-1"),
                body("decline", "order-2"),
                body("refund", "order-3", secret="wrong"),
                b"this is not json",
                body("cancel", "order-5"),
            ):
                connection.request(
                    "POST", "/hook", body=content, headers={"Content-Type": "application/json"}
                )
                connection.getresponse().read()
            connection.close()
        finally:
            listener.stop()
    return path


def test_list_newest_first(cli, filled):
    run = cli("events", "list")
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert len(lines) == 5
    patterns = [
        rf"#5 {TIME} valid    -> 200  payment order-5: cancelled \(cancel success, code 0\)",
        rf"#4 {TIME} rejected -> 400  POST /hook: not valid JSON: Expecting value "
        r"\(line 1, column 1\)",
        rf"#3 {TIME} invalid  -> 200  payment order-3: refunded \(refund success, code 0\)",
        rf"#2 {TIME} valid    -> 200  payment order-2: decline \(sale decline, code 10105\)",
        rf"#1 {TIME} valid    -> 200  payment order-1: success \(sale success, code 0\)",
    ]
    for line, pattern in zip(lines, patterns, strict=True):
        assert re.fullmatch(pattern, line), line


def test_list_filters_and_limit(cli, filled):
    assert [line.split()[0] for line in cli("events", "list", "-n", "2").stdout.splitlines()] == [
        "#5",
        "#4",
    ]
    assert cli("events", "list", "--status", "decline").stdout.startswith("#2 ")
    assert cli("events", "list", "--status", "canceled").stdout.startswith("#5 ")
    invalid = cli("events", "list", "--verdict", "invalid").stdout.splitlines()
    assert [line.split()[0] for line in invalid] == ["#3"]
    run = cli("events", "list", "--status", "expired")
    assert (run.exit_code, run.stdout) == (0, "")
    assert run.stderr == f"no events in {filled} matching the filter\n"


def test_list_json(cli, filled):
    run = cli("events", "list", "--json", "--limit", "1")
    (record,) = run.json()
    assert record["id"] == 5
    assert record["verdict"] == "valid"
    assert record["payment_id"] == "order-5"
    assert record["payment_status"] == "cancelled"
    assert record["reply_status"] == 200
    assert record["path"] == "/hook"
    assert "body" not in record


def test_list_with_no_store_yet(cli):
    run = cli("events", "list")
    assert (run.exit_code, run.stdout) == (0, "")
    assert run.stderr == f"no events in {cli.data_dir / 'events.sqlite3'}\n"
    assert cli("events", "list", "--json").json() == []
    assert not (cli.data_dir / "events.sqlite3").exists()  # listing creates nothing


def test_list_bad_verdict(cli):
    run = cli("events", "list", "--verdict", "good")
    assert run.exit_code == 2
    assert (
        run.stderr == "error: --verdict good: expected one of valid, invalid, unsigned, rejected\n"
    )


def test_store_option(cli, filled):
    moved = cli.tmp_path / "elsewhere.sqlite3"
    filled.rename(moved)
    for suffix in ("-wal", "-shm"):
        side = filled.with_name(filled.name + suffix)
        if side.exists():
            side.rename(moved.with_name(moved.name + suffix))
    assert len(cli("events", "list", "--store", str(moved)).stdout.splitlines()) == 5


def test_show_a_callback(cli, filled):
    run = cli("events", "show", "2")
    assert run.exit_code == 0
    head, _, view = run.stdout.partition("\n\n")
    lines = head.splitlines()
    assert re.fullmatch(r"event #2  received \S+Z from 127\.0\.0\.1:\d+", lines[0])
    assert re.fullmatch(r"POST /hook  application/json  \d+ bytes", lines[1])
    assert lines[2] == "verdict valid; answered 200"
    assert lines[3] == "headers:"
    assert "  Content-Type: application/json" in lines
    # Then the `ecp show` view, verified with the profile's secret.
    assert view.startswith("signature       valid\n")
    assert "  id            order-2\n" in view
    assert "  code          10105 Insufficient funds on card\n" in view


def test_show_without_a_secret_is_unchecked(cli, filled):
    del cli.vars["ECP_SECRET"]
    run = cli("events", "show", "2")
    assert run.exit_code == 0
    view = run.stdout.partition("\n\n")[2]
    assert view.startswith("signature       unchecked: no secret configured")


def test_show_a_rejected_request_prints_its_body_as_text(cli, filled):
    run = cli("events", "show", "4")
    assert run.exit_code == 0
    assert "verdict rejected; answered 400; not valid JSON" in run.stdout
    assert run.stdout.endswith("\n\nthis is not json\n")


def test_show_raw_is_byte_for_byte(cli, filled):
    run = cli("events", "show", "1", "--raw")
    with Store(filled) as store:
        assert run.stdout.encode() == store.get(1).body
    assert json.loads(run.stdout)["payment"]["id"] == "order-1"


def test_show_json(cli, filled):
    record = cli("events", "show", "3", "--json").json()
    assert record["verdict"] == "invalid"
    assert json.loads(record["body"])["payment"]["id"] == "order-3"


def test_show_unknown_id(cli, filled):
    run = cli("events", "show", "99")
    assert (run.exit_code, run.stderr) == (2, f"error: {filled}: no event #99\n")


def test_show_without_a_store(bare_cli):
    run = bare_cli("events", "show", "1")
    assert run.exit_code == 2
    assert run.stderr.endswith("no event store here yet (ecp listen creates it)\n")


def test_replay_sends_the_exact_bytes_again(cli, filled):
    with Endpoint([(200, "thanks")]) as endpoint:
        run = cli("events", "replay", "3", "--to", endpoint.url)
    assert run.exit_code == 0
    with Store(filled) as store:
        assert endpoint.requests[0].body == store.get(3).body  # as received, not re-signed
    assert endpoint.requests[0].headers["Content-Type"] == "application/json"
    lines = run.stdout.splitlines()
    assert lines[0] == "[1/1] payment order-3: refunded (refund success, code 0)"
    assert re.fullmatch(r"      -> 200 OK in \d+ ms  thanks", lines[1])


def test_replay_with_retry_and_exit_codes(cli, filled):
    with Endpoint([(500, "down"), (200, "ok")]) as endpoint:
        run = cli("events", "replay", "1", "--to", endpoint.url, "--retry", "--retry-scale", "0")
    assert run.exit_code == 0
    assert len(endpoint.requests) == 2
    with Endpoint([(500, "down")]) as endpoint:
        assert cli("events", "replay", "1", "--to", endpoint.url).exit_code == 1
    url = closed_port_url()
    run = cli("events", "replay", "1", "--to", url)
    assert (run.exit_code, run.stderr) == (3, f"error: {url}: connection refused\n")


def test_replay_of_a_request_without_body(cli):
    path = cli.data_dir / "events.sqlite3"
    with Store(path) as store:
        listener = Listener(store=store, secret="secret", port=0, max_body=10).start()
        listener.serve_in_thread()
        httpx.post(listener.url, content=b"x" * 100)
        listener.stop()
    run = cli("events", "replay", "1", "--to", "http://127.0.0.1:9/")
    assert run.exit_code == 2
    assert run.stderr == (
        "error: event #1 has no stored body to replay "
        "(body of 100 bytes is over the 10-byte limit)\n"
    )


def test_replay_needs_a_url(cli, filled):
    run = cli("events", "replay", "1")
    assert (run.exit_code, run.stderr) == (
        2,
        "error: --to URL is required: where to send the event\n",
    )


def test_secret_never_printed(cli, filled):
    cli.vars["ECP_SECRET"] = "s3cr3t-value-for-the-test"
    for args in (("list",), ("list", "--json"), ("show", "2"), ("show", "2", "--json")):
        run = cli("events", *args)
        assert run.exit_code == 0
        assert "s3cr3t-value-for-the-test" not in run.stdout + run.stderr
