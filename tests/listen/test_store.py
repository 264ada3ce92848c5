"""store.py: rows survive reopening, concurrent writers (threads and processes) lose
nothing, filters, the schema version, and what a callback's summary holds."""

import os
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ecp_cli.errors import InputError
from ecp_cli.listen.store import (
    SCHEMA_VERSION,
    CallbackSummary,
    Event,
    Store,
    StoreClosed,
    default_store_path,
    now_iso,
    summarize,
)
from tests.conftest import load_sample

ROOT = Path(__file__).resolve().parents[2]


def event(n: int = 0, **kwargs) -> Event:
    values = {
        "received_at": now_iso(),
        "method": "POST",
        "path": f"/cb/{n}",
        "headers": [("Content-Type", "application/json")],
        "body": f'{{"n": {n}}}'.encode(),
        "verdict": "valid",
        "summary": CallbackSummary(f"p{n}", "success", "sale", "success", "0"),
        "reply_status": 200,
    }
    values.update(kwargs)
    return Event(**values)


def test_default_path_is_in_the_user_data_dir(cli):
    assert default_store_path(cli.environment()) == cli.data_dir / "events.sqlite3"


def test_a_row_round_trips_and_survives_reopening(tmp_path):
    path = tmp_path / "deep" / "er" / "events.sqlite3"
    original = event(
        7,
        body=b"\x00\xffraw bytes",
        client="127.0.0.1:5000",
        body_size=10,
        forward_status=502,
        forward_time=0.25,
        forward_body_start="bad gateway",
        error="forward failed",
        content_type="application/json",
    )
    with Store(path) as store:
        assert store.add(original) == 1
    with Store(path) as store:
        loaded = store.get(1)
    assert loaded == original  # every field, the raw body byte for byte
    assert loaded.id == 1


def test_files_are_private(tmp_path):
    path = tmp_path / "private" / "events.sqlite3"
    with Store(path) as store:
        store.add(event())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_credentials_in_headers_are_not_kept(tmp_path):
    headers = [("Authorization", "Bearer abc"), ("Cookie", "s=1"), ("X-Trace", "t")]
    with Store(tmp_path / "e.db") as store:
        store.add(event(headers=headers))
        kept = store.get(1).headers
    assert kept == [("Authorization", "(redacted)"), ("Cookie", "(redacted)"), ("X-Trace", "t")]


def test_schema_version_is_recorded_and_newer_stores_are_refused(tmp_path):
    path = tmp_path / "e.db"
    Store(path).close()
    connection = sqlite3.connect(path)
    assert connection.execute("SELECT version FROM schema_version").fetchall() == [
        (SCHEMA_VERSION,)
    ]
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    connection.execute("UPDATE schema_version SET version = 99")
    connection.commit()
    connection.close()
    with pytest.raises(InputError, match="written by a newer ecp \\(store version 99"):
        Store(path)


def test_reopening_does_not_add_a_second_version_row(tmp_path):
    path = tmp_path / "e.db"
    for _ in range(3):
        Store(path).close()
    rows = sqlite3.connect(path).execute("SELECT count(*) FROM schema_version").fetchone()
    assert rows == (1,)


def test_not_a_database_is_an_input_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("these are my notes, not a database " * 100)
    with pytest.raises(InputError, match=f"{path}: not an ecp event store"):
        Store(path)


def test_a_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        Store(tmp_path)


def test_list_newest_first_with_limit_and_filters(tmp_path):
    with Store(tmp_path / "e.db") as store:
        store.add(event(1))
        store.add(event(2, summary=CallbackSummary("p2", "decline"), verdict="invalid"))
        store.add(event(3, summary=CallbackSummary("p3", "canceled")))
        store.add(event(4, summary=CallbackSummary("p4", "cancelled")))
        store.add(event(5, verdict="rejected", summary=CallbackSummary()))
        assert [e.id for e in store.list()] == [5, 4, 3, 2, 1]
        assert [e.id for e in store.list(limit=2)] == [5, 4]
        assert [e.id for e in store.list(status="DECLINE")] == [2]
        assert [e.id for e in store.list(status="cancelled")] == [4, 3]  # both spellings
        assert [e.id for e in store.list(verdict="rejected")] == [5]
        assert [e.id for e in store.list(status="success", verdict="valid")] == [1]
        assert store.count() == 5


def test_ids_and_limits_beyond_sqlite_integers(tmp_path):
    # SQLite integers stop at 2**63 - 1; Python's sqlite3 raises OverflowError past it.
    with Store(tmp_path / "e.db") as store:
        store.add(event(1))
        assert store.get(2**63) is None and store.get(10**30) is None and store.get(-1) is None
        assert [e.id for e in store.list(limit=10**30)] == [1]


def test_closed_store_refuses_writes(tmp_path):
    store = Store(tmp_path / "e.db")
    store.close()
    with pytest.raises(StoreClosed):
        store.add(event())


def test_concurrent_threads_lose_nothing(tmp_path):
    path = tmp_path / "e.db"
    store = Store(path)
    ids: list[int] = []
    lock = threading.Lock()

    def write(worker: int) -> None:
        for n in range(50):
            new_id = store.add(event(worker * 1000 + n))
            with lock:
                ids.append(new_id)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.close()
    assert len(set(ids)) == 400
    with Store(path) as reopened:
        stored = reopened.list(limit=1000)
        assert {e.id for e in stored} == set(ids)
        paths = {e.path for e in stored}
    assert paths == {f"/cb/{w * 1000 + n}" for w in range(8) for n in range(50)}


WRITER = """
import sys
from ecp_cli.listen.store import Event, Store, now_iso
store = Store(sys.argv[1])
for n in range(int(sys.argv[3])):
    store.add(Event(now_iso(), "POST", f"/{sys.argv[2]}/{n}", [], b"{}", "valid"))
store.close()
"""


def test_concurrent_processes_and_threads_share_one_file(tmp_path):
    path = tmp_path / "shared.sqlite3"  # not created yet: both processes may create it
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"proc{i}", "150"], env=env)
        for i in range(2)
    ]
    store = Store(path)
    for n in range(150):
        store.add(event(path=f"/here/{n}"))
    for writer in writers:
        assert writer.wait(timeout=60) == 0
    store.close()
    with Store(path) as reopened:
        paths = {e.path for e in reopened.list(limit=10_000)}
    expected = {f"/{who}/{n}" for who in ("proc0", "proc1", "here") for n in range(150)}
    assert paths == expected


# --- summaries of every callback shape ------------------------------------------------


@pytest.mark.parametrize(
    "sample, expected",
    [
        ("purchase_success.json", ("30338174", "success", "sale", "success", "0")),
        ("decline_with_errors.json", ("order-42-1", "decline", "sale", "decline", "10105")),
        (
            "awaiting_3ds_unknown_secret.json",
            ("173893", "awaiting 3ds result", "sale", "awaiting 3ds result", "9999"),
        ),
        ("legacy_operations_list.json", ("100", "success", "sale", "success", "0")),
        ("tokenize_general_signature.json", (None, "success", "tokenize", "success", None)),
        ("recurring_update.json", (None, "active", None, None, None)),
    ],
)
def test_summaries_of_every_shape(sample, expected):
    assert tuple(summarize(load_sample(sample)).__dict__.values()) == expected


def test_summary_falls_back_to_the_errors_code():
    data = {"payment": {"id": 5, "status": "error"}, "errors": [{"code": 2004}]}
    assert summarize(data) == CallbackSummary("5", "error", None, None, "2004")


def test_parse_before_dates_and_ages():
    from datetime import UTC, datetime

    from ecp_cli.errors import InputError
    from ecp_cli.listen.store import parse_before

    now = datetime(2026, 11, 30, 12, 0, 0, tzinfo=UTC)
    assert parse_before("2026-11-28") == "2026-11-28T00:00:00.000Z"
    assert parse_before("2026-11-28T18:00") == "2026-11-28T18:00:00.000Z"
    assert parse_before("2026-11-28 18:00:05Z") == "2026-11-28T18:00:05.000Z"
    assert parse_before("2026-11-28T20:00+02:00") == "2026-11-28T18:00:00.000Z"
    assert parse_before("7d", now) == "2026-11-23T12:00:00.000Z"
    assert parse_before("90m", now) == "2026-11-30T10:30:00.000Z"
    for bad in ("yesterday", "7w", "d", "-1d", ""):
        with pytest.raises(InputError, match="expected a date or time in UTC"):
            parse_before(bad)


def test_delete_and_follow(tmp_path):
    from ecp_cli.listen.store import Event

    with Store(tmp_path / "s.sqlite3") as store:
        for stamp in ("2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z"):
            store.add(Event(stamp, "POST", "/", [], b"{}", "valid"))
        assert store.last_id() == 2
        assert [e.id for e in store.list(after_id=0)] == [1, 2]  # oldest first
        assert store.list(after_id=2) == []
        assert store.delete("2026-01-15T00:00:00.000Z") == 1
        assert [e.id for e in store.list()] == [2]
        assert store.delete() == 1
        assert store.last_id() == 0
