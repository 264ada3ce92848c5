"""The sandbox's payments: a SQLite file, and the rules for changing a payment's state.

A payment is kept as one JSON record (its request, card as masked, operations) plus the
columns needed to find it. Card numbers are stored masked; CVVs are never stored. One
connection behind a lock: the sandbox serves a handful of customers, and every change of a
payment is a read-modify-write that must not interleave with another.

The state rules (what the Gate operations may do) follow the platform's statuses:

* capture and cancel need ``awaiting capture``;
* a refund needs ``success`` or ``partially refunded``, the payment's currency and an
  amount no larger than what is left; what remains decides ``partially refunded`` or
  ``refunded``.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ecp_cli.errors import InputError

STORE_FILE = "sandbox.sqlite3"
SCHEMA_VERSION = 1
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S+0000"  # the platform's: UTC, offset without a colon
FINAL_OPERATION = frozenset({"success", "decline", "error"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS payments (
    id INTEGER PRIMARY KEY,
    session TEXT NOT NULL UNIQUE,
    project_id INTEGER NOT NULL,
    payment_id TEXT,
    payment_key TEXT,
    status TEXT NOT NULL,
    record TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (project_id, payment_key)
);
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY,
    payment INTEGER NOT NULL,
    url TEXT NOT NULL,
    payment_status TEXT,
    operation TEXT,
    outcome TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    last_status INTEGER,
    error TEXT,
    body TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
"""


class RuleError(Exception):
    """An operation the payment's state does not allow: the platform's code and message."""

    def __init__(self, code: str, description: str = ""):
        from ecp_cli.callbacks.reference import response_code

        super().__init__(response_code(code).message)
        self.code = code
        self.message = response_code(code).message
        self.description = description


def platform_date(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime(DATE_FORMAT)


def default_store_path(env) -> Path:
    return env.user_data_dir() / STORE_FILE


@dataclass
class Payment:
    """One payment (or card tokenisation) and everything that happened to it."""

    session: str  # the checkout's own id, in the sandbox's page addresses
    project_id: int
    payment_id: str | None
    mode: str
    type: str  # payment.type: purchase, payout, account verification (tokenize: "tokenize")
    status: str
    amount: int
    currency: str
    params: dict  # the request as received, without the signature
    operation_type: str = "sale"  # the first operation: sale, auth, payout, ...
    balance: int = 0  # what is captured and not refunded
    card: dict | None = None  # masked number, brand, holder, expiry; never the CVV
    token: str | None = None
    recurring_id: int | None = None
    operations: list[dict] = field(default_factory=list)
    challenge: dict | None = None  # while awaiting the 3-D Secure result
    refund_ids: list[str] = field(default_factory=list)
    created: str = ""
    updated: str = ""

    @property
    def description(self) -> str:
        return self.params.get("payment_description", "")

    @property
    def customer_id(self) -> str | None:
        return self.params.get("customer_id")

    @property
    def callback_url(self) -> str | None:
        return self.params.get("merchant_callback_url")

    @property
    def last_operation(self) -> dict | None:
        return self.operations[-1] if self.operations else None

    @property
    def paid(self) -> bool:
        """The customer has gone through the checkout (whatever the outcome)."""
        return self.status != "new"

    def new_operation(self, kind: str, status: str, code: str, amount: int, **extra) -> dict:
        now = platform_date()
        number = len(self.operations) + 1
        operation = {
            "id": random.randrange(10**15, 10**16),
            "type": kind,
            "status": status,
            "code": code,
            "amount": amount,
            "currency": self.currency,
            "request_id": f"{secrets.token_hex(20)}-{number:08d}",
            "created": now,
            "date": now,
            "eci": "07",
            "provider_payment_id": "",
            "auth_code": "",
            **extra,
        }
        self.operations.append(operation)
        return operation

    def finish_operation(self, operation: dict, status: str, code: str) -> None:
        operation["status"], operation["code"] = status, code
        operation["date"] = platform_date()
        if status in FINAL_OPERATION:
            operation["provider_payment_id"] = str(random.randrange(10**8, 10**9))
            if code == "0":
                operation["auth_code"] = f"{random.randrange(0, 10**6):06d}"

    # --- the Gate operations' rules ----------------------------------------------------

    def capture(self, amount: int | None, currency: str | None) -> dict:
        if self.status != "awaiting capture":
            raise RuleError("3060", f"capture needs a payment awaiting capture, not {self.status}")
        self._check_currency(currency)
        held = self.operations[0]["amount"] if self.operations else self.amount
        amount = held if amount is None else amount
        if not 0 < amount <= held:
            raise RuleError("3060", f"a capture of 1 to {held} minor units is possible")
        operation = self.new_operation("capture", "processing", "9999", amount)
        self.finish_operation(operation, "success", "0")
        self.status, self.balance = "success", amount
        return operation

    def cancel(self) -> dict:
        if self.status != "awaiting capture":
            raise RuleError("3060", f"cancel needs a payment awaiting capture, not {self.status}")
        held = self.operations[0]["amount"] if self.operations else self.amount
        operation = self.new_operation("cancel", "processing", "9999", held)
        self.finish_operation(operation, "success", "0")
        self.status, self.balance = "cancelled", 0
        return operation

    def refund(self, amount: int | None, currency: str | None, refund_id: str | None) -> dict:
        if self.status not in ("success", "partially refunded") or self.type == "payout":
            raise RuleError("3060", f"a refund needs a successful payment, not {self.status}")
        if not currency:
            raise RuleError("3284", "payment.currency is required")
        self._check_currency(currency, "3284")
        if refund_id and refund_id in self.refund_ids:
            raise RuleError("3230")
        amount = self.balance if amount is None else amount
        if amount <= 0:
            raise RuleError("3286", "a refund needs an amount above 0")
        if amount > self.balance:
            raise RuleError("3283", f"{self.balance} minor units are left to refund")
        operation = self.new_operation("refund", "processing", "9999", amount)
        if refund_id:
            operation["merchant_refund_id"] = refund_id
            self.refund_ids.append(refund_id)
        self.finish_operation(operation, "success", "0")
        self.balance -= amount
        self.status = "refunded" if self.balance == 0 else "partially refunded"
        return operation

    def _check_currency(self, currency: str | None, code: str = "3060") -> None:
        if currency and currency != self.currency:
            raise RuleError(code, f"the payment is in {self.currency}, not {currency}")

    # --- storage ---------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Payment:
        return cls(**json.loads(text))

    def public(self) -> dict:
        """What `ecp sandbox payments --json` shows: no secret, the card masked."""
        last = self.last_operation or {}
        return {
            "project_id": self.project_id,
            "payment_id": self.payment_id,
            "mode": self.mode,
            "type": self.type,
            "status": self.status,
            "amount": self.amount,
            "currency": self.currency,
            "balance": self.balance,
            "card": (self.card or {}).get("number"),
            "token": self.token,
            "last_operation": {k: last.get(k) for k in ("type", "status", "code")} or None,
            "operations": len(self.operations),
            "created": self.created,
            "updated": self.updated,
        }


@dataclass
class Delivery:
    """One callback and what became of its delivery."""

    id: int
    payment_id: str | None
    url: str
    payment_status: str | None
    operation: str | None
    outcome: str  # pending, delivered, failed
    attempts: int
    last_status: int | None
    error: str | None
    created: str
    body: str = ""

    def public(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "body"}


class PaymentStore:
    """Payments and deliveries in one SQLite file. Thread-safe; close it when done."""

    def __init__(self, path: str | os.PathLike):
        import sqlite3

        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)  # customer data
            os.close(descriptor)
        except IsADirectoryError:
            raise InputError(f"{self.path}: is a directory, not a store file") from None
        except OSError as error:
            raise InputError(f"{self.path}: cannot open the store ({error.strerror})") from None
        try:
            self._db = sqlite3.connect(
                self.path, timeout=10.0, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            self._db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
            row = self._db.execute("SELECT max(version) FROM schema_version").fetchone()
            if row[0] is None:
                self._db.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
            elif row[0] > SCHEMA_VERSION:
                raise InputError(f"{self.path}: written by a newer ecp; use another --store")
        except sqlite3.DatabaseError as error:
            raise InputError(f"{self.path}: not an ecp sandbox store ({error})") from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> PaymentStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def lock(self) -> threading.RLock:
        """Held around a read-modify-write of one payment."""
        return self._lock

    # --- payments --------------------------------------------------------------------

    def add(self, payment: Payment) -> None:
        import sqlite3

        payment.created = payment.updated = platform_date()
        key = payment.payment_id.lower() if payment.payment_id else None  # case-insensitive
        with self._lock:
            try:
                self._db.execute(
                    "INSERT INTO payments (session, project_id, payment_id, payment_key, status,"
                    " record, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (payment.session, payment.project_id, payment.payment_id, key,
                     payment.status, payment.to_json(), payment.created, payment.updated),
                )  # fmt: skip
            except sqlite3.IntegrityError:
                raise RuleError("3041") from None

    def save(self, payment: Payment) -> None:
        payment.updated = platform_date()
        with self._lock:
            self._db.execute(
                "UPDATE payments SET status = ?, record = ?, updated = ? WHERE session = ?",
                (payment.status, payment.to_json(), payment.updated, payment.session),
            )

    def by_session(self, session: str) -> Payment | None:
        with self._lock:
            row = self._db.execute(
                "SELECT record FROM payments WHERE session = ?", (session,)
            ).fetchone()
        return Payment.from_json(row[0]) if row else None

    def find(self, project_id: int, payment_id: str) -> Payment | None:
        with self._lock:
            row = self._db.execute(
                "SELECT record FROM payments WHERE project_id = ? AND payment_key = ?",
                (project_id, payment_id.lower()),
            ).fetchone()
        return Payment.from_json(row[0]) if row else None

    def row_id(self, session: str) -> int | None:
        with self._lock:
            row = self._db.execute("SELECT id FROM payments WHERE session = ?", (session,))
            found = row.fetchone()
        return found[0] if found else None

    def payments(self, limit: int = 1000) -> list[Payment]:
        """The latest payments, newest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT record FROM payments ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [Payment.from_json(row[0]) for row in rows]

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM payments").fetchone()[0]

    # --- deliveries ------------------------------------------------------------------

    def add_delivery(self, session: str, url: str, body: dict, raw: bytes) -> int:
        payment = body.get("payment")
        payment = payment if isinstance(payment, dict) else {}
        operation = body.get("operation")
        operation = operation if isinstance(operation, dict) else {}
        label = " ".join(str(operation.get(k, "")) for k in ("type", "status")).strip()
        now = platform_date()
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO deliveries (payment, url, payment_status, operation, outcome,"
                " attempts, body, created, updated) VALUES ("
                "(SELECT id FROM payments WHERE session = ?), ?, ?, ?, 'pending', 0, ?, ?, ?)",
                (session, url, payment.get("status"), label or "tokenize",
                 raw.decode("utf-8"), now, now),
            )  # fmt: skip
            return cursor.lastrowid or 0

    def update_delivery(
        self, delivery_id: int, outcome: str, attempts: int, status: int | None, error: str | None
    ) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE deliveries SET outcome = ?, attempts = ?, last_status = ?, error = ?,"
                " updated = ? WHERE id = ?",
                (outcome, attempts, status, error, platform_date(), delivery_id),
            )

    def deliveries(self, session: str | None = None) -> list[Delivery]:
        query = (
            "SELECT d.id, p.payment_id, d.url, d.payment_status, d.operation, d.outcome,"
            " d.attempts, d.last_status, d.error, d.created, d.body FROM deliveries d"
            " JOIN payments p ON p.id = d.payment"
        )
        args: tuple = ()
        if session is not None:
            query += " WHERE p.session = ?"
            args = (session,)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY d.id", args).fetchall()
        return [Delivery(*row) for row in rows]
