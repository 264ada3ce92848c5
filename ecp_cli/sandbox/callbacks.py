"""The callbacks the sandbox sends: built from a payment's state, signed with the project's
secret, delivered on the platform's retry schedule by ecp_cli.http.delivery.

The body is the standard shape (the one ecp_cli.callbacks.scenarios builds): ``project_id``,
``payment``, ``account`` with the masked card, ``customer``, ``operation`` with code,
message, sums and provider; ``errors`` for a decline; ``acs`` while awaiting the 3-D Secure
result; a token callback (``general.signature``) for card_tokenize. The same body, signed,
answers the Gate status request.

Callbacks about one payment go out in order, one after another (the platform would not send
a success before the awaiting-3-D-Secure callback it follows); different payments' callbacks
go out in parallel.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from ecp_cli import defaults
from ecp_cli.callbacks.reference import response_code
from ecp_cli.callbacks.scenarios import dumps, sign_callback
from ecp_cli.sandbox.state import Payment, PaymentStore, platform_date

PROVIDER_ID = 1001  # the sandbox's made-up acquirer
DELIVERY_WORKERS = 32  # payments whose callbacks are retried at once; each waits in a thread


def _sum(amount: int, currency: str) -> dict:
    return {"amount": amount, "currency": currency}


def payment_body(payment: Payment, operation: dict | None = None, acs_url: str = "") -> dict:
    """The callback (and status answer) for ``payment`` reporting ``operation`` (default:
    the latest). Unsigned."""
    if payment.type == "tokenize":
        return token_body(payment)
    operation = operation or payment.last_operation or {}
    done = operation.get("status") in ("success", "decline", "error")
    code = str(operation.get("code", "9999"))
    card = payment.card or {}
    shown_amount = payment.balance if payment.status in ("success", "partially refunded",
                                                          "refunded") else payment.amount
    body: dict = {
        "project_id": payment.project_id,
        "payment": {
            "id": payment.payment_id,
            "type": payment.type,
            "status": payment.status,
            "date": operation.get("date") or platform_date(),
            "method": "card",
            "sum": _sum(shown_amount, payment.currency),
            "description": payment.description,
        },
    }  # fmt: skip
    if card:
        body["account"] = {
            "number": card["number"],
            "type": card["brand"],
            "card_holder": card["holder"],
            "expiry_month": card["expiry_month"],
            "expiry_year": card["expiry_year"],
        }
        if payment.token:
            body["account"]["token"] = payment.token
    customer = {"id": payment.customer_id} if payment.customer_id else {}
    for name in ("email", "phone", "first_name", "last_name", "country"):
        if payment.params.get(f"customer_{name}"):
            customer[name] = payment.params[f"customer_{name}"]
    if customer:
        body["customer"] = customer
    if operation:
        body["operation"] = {
            "id": operation["id"],
            "type": operation["type"],
            "status": operation["status"],
            "date": operation["date"],
            "created_date": operation["created"],
            "request_id": operation["request_id"],
            "sum_initial": _sum(operation["amount"], operation["currency"]),
            "sum_converted": _sum(operation["amount"], operation["currency"]),
            "code": code,
            "message": response_code(code).message,
            "eci": operation.get("eci", "07"),
            "provider": {
                "id": PROVIDER_ID,
                "payment_id": operation.get("provider_payment_id", "") if done else "",
                "auth_code": operation.get("auth_code", "") if done else "",
                "endpoint_id": PROVIDER_ID,
                "date": operation["date"] if done else "",
            },
        }
        if operation.get("merchant_refund_id"):
            body["operation"]["merchant_refund_id"] = operation["merchant_refund_id"]
    if payment.recurring_id is not None:
        body["recurring"] = {
            "id": payment.recurring_id,
            "status": "active",
            "type": "C",  # card-on-file, charged by the merchant
            "currency": payment.currency,
            "exp_year": card.get("expiry_year", ""),
            "exp_month": card.get("expiry_month", ""),
        }
    if operation.get("status") == "awaiting 3ds result" and acs_url:
        body["acs"] = {"acs_url": acs_url, "pa_req": "", "md": payment.session, "term_url": ""}
    if operation.get("status") in ("decline", "error"):
        info = response_code(code)
        body["errors"] = [
            {"code": int(code), "message": info.message, "field": "", "description": info.meaning}
        ]
    return body


def token_body(payment: Payment) -> dict:
    """A card_tokenize callback: Gate style, the signature under ``general``."""
    card = payment.card or {}
    general: dict = {"project_id": payment.project_id}
    if payment.payment_id:
        general["payment_id"] = payment.payment_id
    body: dict = {
        "card": {
            "number": card.get("number", ""),
            "exp_month": int(card.get("expiry_month") or 0),
            "exp_year": int(card.get("expiry_year") or 0),
            "holder": card.get("holder", ""),
        },
        "general": general,
        "request": {"id": payment.session[:12], "action": "tokenize", "status": "success"},
        "token": payment.token or "",
        "token_status": "active",
        "token_created_at": payment.updated or platform_date(),
    }
    if payment.customer_id:
        body["customer"] = {"id": payment.customer_id}
    return body


def signed(body: dict, secret: str) -> dict:
    return sign_callback(body, secret)


@dataclass
class DeliveryReport:
    """What the dispatcher tells its owner after each delivery finishes (for the log)."""

    url: str
    payment_id: str | None
    label: str  # "sale success", "refund success", "tokenize"
    outcome: str  # delivered, failed
    attempts: int
    status: int | None
    error: str | None


class Dispatcher:
    """Delivers callbacks in the background, in order per payment, with the platform's
    retries (``retry_scale`` shrinks the waits). ``stop()`` abandons pending retries."""

    def __init__(
        self,
        store: PaymentStore,
        *,
        retry: bool = True,
        retry_scale: float = 1.0,
        max_attempts: int | None = None,
        timeout: float = defaults.DELIVERY_TIMEOUT,
        on_report: Callable[[DeliveryReport], None] | None = None,
    ):
        self.store = store
        self.retry, self.retry_scale, self.timeout = retry, retry_scale, timeout
        self.max_attempts = max_attempts
        self.on_report = on_report
        self._pool = ThreadPoolExecutor(DELIVERY_WORKERS, thread_name_prefix="ecp-callback")
        self._queues: dict[str, deque] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._idle = threading.Condition(self._lock)
        self._client: Any = None  # an httpx.Client, made on the first delivery

    def _http(self):
        if self._client is None:
            from ecp_cli.http.client import make_client

            self._client = make_client(timeout=self.timeout)
        return self._client

    def send(self, payment: Payment, url: str, body: dict) -> None:
        """Queue ``body`` (signed) for ``url``; it goes after the payment's earlier ones."""
        raw = dumps(body)
        delivery_id = self.store.add_delivery(payment.session, url, body, raw)
        job = (delivery_id, url, raw, payment.payment_id, _label(body))
        with self._lock:
            queue = self._queues.get(payment.session)
            if queue is not None:  # a delivery for this payment is running: wait behind it
                queue.append(job)
                return
            self._queues[payment.session] = deque([job])
        self._pool.submit(self._drain, payment.session)

    def _drain(self, session: str) -> None:
        while True:
            with self._lock:
                queue = self._queues[session]
                if not queue or self._stopping.is_set():
                    del self._queues[session]
                    self._idle.notify_all()
                    return
                job = queue[0]
            try:
                self._deliver(*job)
            finally:
                with self._lock:
                    queue.popleft()

    def _deliver(self, delivery_id, url, raw, payment_id, label) -> None:
        from ecp_cli.errors import NetworkError
        from ecp_cli.http.delivery import MAX_ATTEMPTS, deliver

        def sleep(seconds: float) -> None:
            if self._stopping.wait(seconds):
                raise _Stopped

        try:
            replies = deliver(
                url, raw, retry=self.retry, retry_scale=self.retry_scale,
                max_attempts=self.max_attempts or MAX_ATTEMPTS, timeout=self.timeout,
                sleep=sleep, client=self._http(),
            )  # fmt: skip
        except _Stopped:
            self.store.update_delivery(delivery_id, "abandoned", 0, None, "sandbox stopped")
            return
        except NetworkError as error:  # without retries, an unreachable endpoint
            self.store.update_delivery(delivery_id, "failed", 1, None, error.message)
            self._report(DeliveryReport(url, payment_id, label, "failed", 1, None, error.message))
            return
        except Exception as error:  # never let one delivery take the dispatcher down
            self.store.update_delivery(delivery_id, "failed", 0, None, type(error).__name__)
            return
        last = replies[-1]
        outcome = "delivered" if last.accepted_by_platform_rules else "failed"
        self.store.update_delivery(delivery_id, outcome, len(replies), last.status, last.error)
        self._report(
            DeliveryReport(url, payment_id, label, outcome, len(replies), last.status, last.error)
        )

    def _report(self, report: DeliveryReport) -> None:
        if self.on_report is not None:
            # a log line that cannot be written must not stop deliveries
            with contextlib.suppress(Exception):
                self.on_report(report)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until every queued callback has been delivered (or given up)."""
        with self._lock:
            return self._idle.wait_for(lambda: not self._queues, timeout)

    def stop(self) -> None:
        self._stopping.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._client is not None:
            self._client.close()


class _Stopped(Exception):
    pass


def _label(body: dict) -> str:
    operation = body.get("operation")
    if isinstance(operation, dict):
        return f"{operation.get('type', '')} {operation.get('status', '')}".strip()
    return "tokenize"
