"""ecp events list / show / replay over a store filled by a real listener."""

import http.client
import json
import random
import re

import httpx
import pytest

from ecp_cli.callbacks.overrides import Overrides
from ecp_cli.callbacks.scenarios import build, dumps, sign_callback
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


# --------------------------------------------------------------- the loop without flags


def stored(path, *names: tuple[str, str], verdict: str = "valid") -> None:
    """Add one event per (scenario, payment id) straight to the store at ``path``."""
    from ecp_cli.listen.store import Event, now_iso, summarize

    with Store(path) as store:
        for name, payment_id in names:
            content = body(name, payment_id)
            store.add(
                Event(now_iso(), "POST", "/cb", [], content, verdict, "application/json",
                      summary=summarize(json.loads(content)), reply_status=200)
            )  # fmt: skip


def test_ecp_store_names_the_store_for_every_events_command(cli, filled):
    moved = cli.tmp_path / "elsewhere.sqlite3"
    stored(moved, ("success", "order-9"))
    cli.vars["ECP_STORE"] = str(moved)
    lines = cli("events", "list").stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["#1"]
    assert "order-9" in cli("events", "show", "1").stdout
    assert cli("events", "list", "--store", str(filled)).stdout.count("\n") == 5  # flag wins


def test_the_profile_store_key_is_relative_to_the_profile_file(cli):
    folder = cli.tmp_path / "project"
    cli.write("project/ecp.yaml", "profiles:\n  test:\n    project_id: 112\n"
              "    secret: secret\n    store: ./cb.sqlite3\n")  # fmt: skip
    stored(folder / "cb.sqlite3", ("decline", "order-7"))
    run = cli("--profiles", str(folder / "ecp.yaml"), "events", "list")
    assert run.exit_code == 0
    assert "payment order-7: decline" in run.stdout
    facts = cli("--profiles", str(folder / "ecp.yaml"), "profiles", "show", "--json").json()
    assert facts["store"] == str(folder / "cb.sqlite3")
    cli.vars["ECP_STORE"] = str(cli.tmp_path / "none.sqlite3")  # the variable wins
    run = cli("--profiles", str(folder / "ecp.yaml"), "events", "list")
    assert run.stderr == f"no events in {cli.tmp_path / 'none.sqlite3'}\n"


def test_profiles_without_store_keep_their_json(cli):
    assert "store" not in cli("profiles", "show", "--json").json()


def test_show_and_replay_take_the_id_as_lists_print_it(cli, filled):
    assert cli("events", "show", "#2").stdout == cli("events", "show", "2").stdout
    run = cli("events", "show", "#two")
    assert (run.exit_code, run.stderr) == (
        2,
        "error: ID #two: expected an event id such as 12 or #12\n",
    )
    with Endpoint([(200, "ok")]) as endpoint:
        assert cli("events", "replay", "#1", "--to", endpoint.url).exit_code == 0


def test_status_filter_must_be_a_payment_status(cli, filled):
    run = cli("events", "list", "--status", "declined")
    assert run.exit_code == 2
    assert run.stderr.startswith(
        "error: --status declined: not a payment status; did you mean 'decline'? "
        "(statuses: processing, awaiting 3ds result,"
    )
    assert run.stderr.count("\n") == 1
    # The platform's spellings, whatever the case or separators.
    assert cli("events", "list", "--status", "DECLINE").stdout.startswith("#2 ")


def test_list_lines_up_ids_of_different_widths(cli):
    path = cli.data_dir / "events.sqlite3"
    stored(path, *[("success", f"o-{n}") for n in range(10)])
    lines = cli("events", "list", "-n", "2").stdout.splitlines()
    assert lines[0].startswith("#10 20") and lines[1].startswith("#9  20")
    assert lines[0].index("valid") == lines[1].index("valid")


def test_tail_shows_the_newest_then_follows(cli, filled, monkeypatch):
    import threading

    looked = threading.Event()
    last_id = Store.last_id

    def first_look(store):  # the events below arrive after tail has seen the store
        try:
            return last_id(store)
        finally:
            looked.set()

    monkeypatch.setattr(Store, "last_id", first_look)
    result = {}

    def tail():
        result["run"] = cli("events", "tail", "-n", "2", "--verdict", "valid",
                            "--for", "4", "--interval", "0.05")  # fmt: skip

    thread = threading.Thread(target=tail)
    thread.start()
    assert looked.wait(10)
    stored(filled, ("success", "order-6"))
    stored(filled, ("refund", "order-7"), verdict="invalid")  # filtered out
    stored(filled, ("decline", "order-8"))
    thread.join()
    run = result["run"]
    assert run.exit_code == 0
    ids = [line.split()[0] for line in run.stdout.splitlines()]
    assert ids == ["#2", "#5", "#6", "#8"]  # newest two valid ones, oldest first; then new


def test_tail_json_lines_and_waiting_for_the_store(cli):
    run = cli("events", "tail", "--json", "--for", "0")
    assert (run.exit_code, run.stdout) == (0, "")
    assert run.stderr == f"waiting for {cli.data_dir / 'events.sqlite3'} (ecp listen creates it)\n"
    stored(cli.data_dir / "events.sqlite3", ("success", "order-1"))
    run = cli("events", "tail", "--json", "--for", "0")
    (line,) = run.stdout.splitlines()
    assert json.loads(line)["payment_id"] == "order-1"


def test_export_jsonl_feeds_verify_and_send(cli, filled, tmp_path):
    run = cli("events", "export", "--jsonl")
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    # Oldest first; the rejected request (#4, not JSON) has no callback to export.
    assert [json.loads(line)["payment"]["id"] for line in lines] == [
        "order-1", "order-2", "order-3", "order-5",
    ]  # fmt: skip
    with Store(filled) as store:
        assert lines[0].encode() == store.get(1).body
    exported = cli.write("cb.jsonl", run.stdout)
    verified = cli("verify", "--jsonl", str(exported))
    assert verified.exit_code == 1  # #3 was signed with another secret
    assert [line.split()[0] for line in verified.stdout.splitlines()] == [
        "valid", "valid", "INVALID", "valid",
    ]  # fmt: skip
    one = cli("events", "export", "-n", "1", "--status", "cancelled").stdout
    with Endpoint([(200, "ok")]) as endpoint:
        sent = cli("send", "-", "--keep-signature", "--to", endpoint.url, input=one)
    assert sent.exit_code == 0
    assert endpoint.requests[0].body == one.encode()  # the exported line, as it is


def test_export_json_and_an_empty_store(cli, filled):
    records = cli("events", "export", "--json", "--verdict", "rejected").json()
    assert [(r["id"], r["body"]) for r in records] == [(4, "this is not json")]
    run = cli("events", "export", "--status", "expired")
    assert (run.exit_code, run.stdout) == (0, "")
    assert run.stderr == f"no callbacks to export in {filled}\n"


def test_clear_all_or_before_a_date(cli, filled):
    run = cli("events", "clear", "--before", "2000-01-01")
    assert (run.exit_code, run.stderr) == (0, f"deleted 0 events from {filled}; 5 left\n")
    run = cli("events", "clear")
    assert (run.exit_code, run.stderr) == (0, f"deleted 5 events from {filled}; 0 left\n")
    stored(filled, ("success", "order-6"))
    assert cli("events", "list").stdout.startswith("#6 ")  # ids keep counting
    run = cli("events", "clear", "--before", "yesterday")
    assert run.exit_code == 2
    assert run.stderr.startswith("error: --before yesterday: expected a date or time in UTC")


def test_clear_without_a_store(bare_cli):
    run = bare_cli("events", "clear")
    assert run.exit_code == 0
    assert run.stderr.startswith("no event store at ")
    assert not (bare_cli.data_dir / "events.sqlite3").exists()
