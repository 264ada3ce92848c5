"""The event store: every request ``ecp listen`` received, one SQLite row each.

Guarantees the listener builds on:

* a row is committed before the request is answered, so whatever was acknowledged is on
  disk even if the process is killed the next instant (WAL journal: a commit is in the
  WAL file once ``add`` returns; ``synchronous=NORMAL`` skips the fsync, which only
  matters if the whole machine loses power);
* several threads and several processes may write to one file at once (WAL mode, a busy
  timeout, one connection per thread at a time);
* the file survives restarts; a ``schema_version`` table lets later versions migrate it.

sqlite3 is imported inside the functions that use it, so importing this module is cheap.
"""

from __future__ import annotations

import json
import os
import queue
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ecp_cli import defaults
from ecp_cli.environment import Environment
from ecp_cli.errors import EcpError, InputError

SCHEMA_VERSION = 1
STORE_FILE = "events.sqlite3"

# Header values that may carry someone's credentials are not kept.
REDACTED_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})

VERDICTS = ("valid", "invalid", "unsigned", "rejected")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at TEXT NOT NULL,
    client TEXT,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    headers TEXT NOT NULL,
    body BLOB,
    body_size INTEGER,
    content_type TEXT,
    verdict TEXT NOT NULL,
    payment_id TEXT,
    payment_status TEXT,
    operation_type TEXT,
    operation_status TEXT,
    code TEXT,
    reply_status INTEGER,
    forward_status INTEGER,
    forward_time REAL,
    forward_body_start TEXT,
    error TEXT
);
CREATE INDEX IF NOT EXISTS events_payment_id ON events (payment_id);
"""

_COLUMNS = (
    "received_at", "client", "method", "path", "headers", "body", "body_size", "content_type",
    "verdict", "payment_id", "payment_status", "operation_type", "operation_status", "code",
    "reply_status", "forward_status", "forward_time", "forward_body_start", "error",
)  # fmt: skip


_SQLITE_MAX_INT = 2**63 - 1


class StoreClosed(EcpError):
    """The store was closed (the listener is stopping)."""


def default_store_path(env: Environment) -> Path:
    return env.user_data_dir() / STORE_FILE


def resolve_store_path(
    env: Environment, explicit: str | None = None, from_profile: Path | None = None
) -> Path:
    """The store a command uses: ``--store PATH``, else ``$ECP_STORE``, else the profile's
    ``store:`` key, else the user data directory's events.sqlite3."""
    if explicit:
        return Path(explicit)
    from_env = env.get("ECP_STORE")
    if from_env:
        return Path(from_env).expanduser()
    if from_profile is not None:
        return from_profile
    return default_store_path(env)


def parse_before(text: str, now: datetime | None = None) -> str:
    """``--before`` as a stored timestamp to compare with: an ISO date or time in UTC
    (2026-11-28, 2026-11-28T18:00, 2026-11-28 18:00:05) or an age (30m, 12h, 7d)."""
    from datetime import timedelta

    value = text.strip()
    units = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
    moment = None
    if len(value) > 1 and value[-1] in units and value[:-1].isascii() and value[:-1].isdigit():
        moment = (now or datetime.now(UTC)) - timedelta(**{units[value[-1]]: int(value[:-1])})
    else:
        with suppress(ValueError):
            moment = datetime.fromisoformat(value.removesuffix("Z"))
        if moment is not None and moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
    if moment is None:
        raise InputError(
            f"--before {text}: expected a date or time in UTC (2026-11-28, "
            "2026-11-28T18:00) or an age (30m, 12h, 7d)"
        )
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def now_iso() -> str:
    """UTC with milliseconds, sortable as text: 2025-03-11T10:15:02.123Z."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass(frozen=True)
class CallbackSummary:
    """The facts a one-line report and the store's columns show about a callback."""

    payment_id: str | None = None
    payment_status: str | None = None
    operation_type: str | None = None
    operation_status: str | None = None
    code: str | None = None


def _text(value: object) -> str | None:
    if value is None or isinstance(value, Mapping | list):
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def summarize(data: Mapping) -> CallbackSummary:
    """Payment id and status, operation type and status and code, whatever the shape:
    standard (``operation``), older (last element of ``operations``), token callbacks
    (``request``) and card-on-file updates (``recurring``)."""
    from ecp_cli.callbacks.ids import payment_id, payment_status

    operation: object = data.get("operation")
    if not isinstance(operation, Mapping):
        operations = data.get("operations")
        if isinstance(operations, list) and operations and isinstance(operations[-1], Mapping):
            operation = operations[-1]
    op_type = op_status = code = None
    if isinstance(operation, Mapping):
        op_type, op_status = _text(operation.get("type")), _text(operation.get("status"))
        code = _text(operation.get("code"))
    elif isinstance(data.get("request"), Mapping):
        op_type = _text(data["request"].get("action"))
        op_status = _text(data["request"].get("status"))
    if code is None:
        errors = data.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], Mapping):
            code = _text(errors[0].get("code"))
    return CallbackSummary(payment_id(data), payment_status(data), op_type, op_status, code)


@dataclass
class Event:
    """One stored request. ``id`` is None until it is stored."""

    received_at: str
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes | None
    verdict: str  # valid, invalid, unsigned or rejected
    content_type: str | None = None
    client: str | None = None
    body_size: int | None = None  # bytes announced or read, even when the body is not kept
    summary: CallbackSummary = field(default_factory=CallbackSummary)
    reply_status: int | None = None
    forward_status: int | None = None
    forward_time: float | None = None  # seconds
    forward_body_start: str | None = None
    error: str | None = None
    id: int | None = None

    def public(self) -> dict:
        """The event as JSON-friendly data (the body as text, for --json output)."""
        return {
            "id": self.id,
            "received_at": self.received_at,
            "client": self.client,
            "method": self.method,
            "path": self.path,
            "headers": [list(item) for item in self.headers],
            "content_type": self.content_type,
            "body_size": self.body_size,
            "verdict": self.verdict,
            "payment_id": self.summary.payment_id,
            "payment_status": self.summary.payment_status,
            "operation_type": self.summary.operation_type,
            "operation_status": self.summary.operation_status,
            "code": self.summary.code,
            "reply_status": self.reply_status,
            "forward_status": self.forward_status,
            "forward_time": self.forward_time,
            "forward_body_start": self.forward_body_start,
            "error": self.error,
        }

    def body_text(self) -> str | None:
        if self.body is None:
            return None
        return self.body.decode("utf-8", errors="replace")

    def _row(self) -> tuple:
        headers = [
            (name, "(redacted)" if name.lower() in REDACTED_HEADERS else value)
            for name, value in self.headers
        ]
        s = self.summary
        return (
            self.received_at, self.client, self.method, self.path,
            json.dumps(headers, ensure_ascii=False), self.body, self.body_size,
            self.content_type, self.verdict, s.payment_id, s.payment_status, s.operation_type,
            s.operation_status, s.code, self.reply_status, self.forward_status,
            self.forward_time, self.forward_body_start, self.error,
        )  # fmt: skip

    @classmethod
    def _from_row(cls, row: tuple) -> Event:
        (
            id_, received_at, client, method, path, headers, body, body_size, content_type,
            verdict, payment_id, payment_status, operation_type, operation_status, code,
            reply_status, forward_status, forward_time, forward_body_start, error,
        ) = row  # fmt: skip
        return cls(
            id=id_,
            received_at=received_at,
            client=client,
            method=method,
            path=path,
            headers=[tuple(item) for item in json.loads(headers)],
            body=bytes(body) if body is not None else None,
            body_size=body_size,
            content_type=content_type,
            verdict=verdict,
            summary=CallbackSummary(
                payment_id, payment_status, operation_type, operation_status, code
            ),
            reply_status=reply_status,
            forward_status=forward_status,
            forward_time=forward_time,
            forward_body_start=forward_body_start,
            error=error,
        )


class Store:
    """The SQLite event store at ``path``. Thread-safe; close it when done."""

    def __init__(self, path: str | os.PathLike, *, read_only: bool = False):
        """Open (and, unless ``read_only``, create or migrate) the store at ``path``.
        A read-only store needs no write access, and a file that is not a store is an
        InputError, never turned into one. ``warnings`` holds what the owner should say
        (a store readable by other users)."""
        self.path = Path(path)
        self.read_only = read_only
        self.warnings: list[str] = []
        # Connections not in use. A thread takes one for each call and puts it back, so no
        # connection is ever used by two threads at once.
        self._idle: queue.SimpleQueue = queue.SimpleQueue()
        self._closed = False
        if read_only:
            self._check_is_store()
            with self._connection() as connection:
                self._check_schema(connection)
            return
        self._prepare_file()
        with self._connection() as connection:
            self._migrate(connection)

    def _check_is_store(self) -> None:
        try:
            with self.path.open("rb") as file:
                header = file.read(16)
        except IsADirectoryError:
            raise InputError(f"{self.path}: is a directory, not a store file") from None
        except FileNotFoundError:
            raise InputError(f"{self.path}: no event store there") from None
        except OSError as error:
            raise InputError(f"{self.path}: cannot read the store ({error.strerror})") from None
        if header != b"SQLite format 3\x00":
            what = "an empty file" if not header else "not an SQLite database"
            raise InputError(f"{self.path}: not an ecp event store ({what})")

    def _check_schema(self, connection) -> None:
        import sqlite3

        try:
            version = connection.execute("SELECT max(version) FROM schema_version").fetchone()[0]
            connection.execute("SELECT id FROM events LIMIT 0")
        except sqlite3.DatabaseError as error:
            raise InputError(f"{self.path}: not an ecp event store ({error})") from None
        if version is not None and version > SCHEMA_VERSION:
            raise InputError(
                f"{self.path}: written by a newer ecp (store version {version}, "
                f"this ecp knows up to {SCHEMA_VERSION}); upgrade ecp"
            )

    # -- files and connections ------------------------------------------------------

    def _prepare_file(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Callback bodies hold customer data: readable by the owner only. SQLite gives
            # its -wal and -shm files the same permissions as the database file.
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                mode = os.fstat(descriptor).st_mode
            finally:
                os.close(descriptor)
            if mode & (stat.S_IRGRP | stat.S_IROTH):  # created earlier by someone else
                self.warnings.append(
                    f"{self.path} is readable by other users and holds callback bodies "
                    f"(customer data); run: chmod 600 {self.path}"
                )
        except IsADirectoryError:
            raise InputError(f"{self.path}: is a directory, not a store file") from None
        except OSError as error:
            raise InputError(f"{self.path}: cannot open the store ({error.strerror})") from None

    def _open(self):
        import sqlite3

        try:
            connection = sqlite3.connect(
                self.path,
                timeout=defaults.STORE_BUSY_TIMEOUT,
                isolation_level=None,  # autocommit: each INSERT is its own committed transaction
                check_same_thread=False,  # used by one thread at a time, handed over via _idle
            )
            if not self.read_only:  # a reader leaves the file as the writer made it
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as error:
            raise InputError(f"{self.path}: not an ecp event store ({error})") from None
        return connection

    @contextmanager
    def _connection(self) -> Iterator:
        if self._closed:
            raise StoreClosed(f"{self.path}: the store is closed")
        try:
            connection = self._idle.get_nowait()
        except queue.Empty:
            connection = self._open()
        try:
            yield connection
        finally:
            if self._closed:
                connection.close()
            else:
                self._idle.put(connection)

    def _migrate(self, connection) -> None:
        import sqlite3

        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
                )
                row = connection.execute("SELECT max(version) FROM schema_version").fetchone()
                version = row[0]
                if version is not None and version > SCHEMA_VERSION:
                    raise InputError(
                        f"{self.path}: written by a newer ecp (store version {version}, "
                        f"this ecp knows up to {SCHEMA_VERSION}); upgrade ecp or use --store"
                    )
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        connection.execute(statement)
                if version is None:
                    connection.execute(
                        "INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,)
                    )
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as error:
            raise InputError(f"{self.path}: not an ecp event store ({error})") from None

    def close(self) -> None:
        """Close the store. Connections in use are closed when their call ends; calls that
        start later get StoreClosed."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                break

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- writing and reading ----------------------------------------------------------

    def add(self, event: Event) -> int:
        """Store ``event`` and return its id. The row is committed when this returns."""
        placeholders = ", ".join("?" for _ in _COLUMNS)
        sql = f"INSERT INTO events ({', '.join(_COLUMNS)}) VALUES ({placeholders})"
        with self._connection() as connection:
            cursor = connection.execute(sql, event._row())
        event.id = cursor.lastrowid
        return event.id

    def add_many(self, events: list[Event]) -> None:
        """Store several events in one transaction (one commit, one WAL write: the group
        commit the listener's throughput rests on) and set their ids. Either all are
        committed when this returns, or it raises and none is."""
        placeholders = ", ".join("?" for _ in _COLUMNS)
        sql = f"INSERT INTO events ({', '.join(_COLUMNS)}) VALUES ({placeholders})"
        with self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                ids = [connection.execute(sql, event._row()).lastrowid for event in events]
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        for event, event_id in zip(events, ids, strict=True):
            event.id = event_id

    def get(self, event_id: int) -> Event | None:
        if not 0 < event_id <= _SQLITE_MAX_INT:  # no such row, and sqlite3 would overflow
            return None
        with self._connection() as connection:
            row = connection.execute(
                f"SELECT id, {', '.join(_COLUMNS)} FROM events WHERE id = ?", (event_id,)
            ).fetchone()
        return Event._from_row(row) if row else None

    def list(
        self,
        limit: int = 20,
        status: str | None = None,
        verdict: str | None = None,
        *,
        after_id: int | None = None,
    ) -> list[Event]:
        """The newest events first, or with ``after_id`` the events stored after that id,
        oldest first (for following the store). ``status`` matches the payment status (the
        two spellings of cancelled are one), ``verdict`` the verdict."""
        where: list[str] = []
        params: list[str | int] = []
        if after_id is not None:
            where.append("id > ?")
            params.append(min(max(after_id, 0), _SQLITE_MAX_INT))
        if status is not None:
            spellings = {status.strip().lower()}
            if spellings & {"cancelled", "canceled"}:
                spellings = {"cancelled", "canceled"}
            where.append(f"lower(payment_status) IN ({', '.join('?' for _ in spellings)})")
            params += sorted(spellings)
        if verdict is not None:
            where.append("verdict = ?")
            params.append(verdict)
        sql = f"SELECT id, {', '.join(_COLUMNS)} FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY id {'ASC' if after_id is not None else 'DESC'} LIMIT ?"
        params.append(min(limit, _SQLITE_MAX_INT))
        with self._connection() as connection:
            rows = connection.execute(sql, params).fetchall()
        return [Event._from_row(row) for row in rows]

    def last_id(self) -> int:
        """The newest event's id; 0 when the store is empty."""
        with self._connection() as connection:
            return connection.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]

    def delete(self, before: str | None = None) -> int:
        """Delete every event, or those received before the timestamp ``before`` (in the
        stored form, see :func:`parse_before`); return how many went."""
        sql, params = "DELETE FROM events", []
        if before is not None:
            sql += " WHERE received_at < ?"
            params.append(before)
        with self._connection() as connection:
            return connection.execute(sql, params).rowcount

    def count(self) -> int:
        with self._connection() as connection:
            return connection.execute("SELECT count(*) FROM events").fetchone()[0]

