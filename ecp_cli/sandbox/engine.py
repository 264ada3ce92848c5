"""What the sandbox does, free of HTTP: open a checkout, take a card, play 3-D Secure, answer
the Gate API, and send a callback after every change of a payment's state.

app.py turns requests into calls of :class:`Sandbox` and its answers into pages and JSON.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ecp_cli.http.urls import url_problem
from ecp_cli.sandbox import outcomes
from ecp_cli.sandbox.callbacks import DeliveryReport, Dispatcher, payment_body, signed
from ecp_cli.sandbox.checks import PageCheck, Problem, Project, check_page_request, coded
from ecp_cli.sandbox.state import Payment, PaymentStore, RuleError

PAYMENT_TYPES = {
    "purchase": "purchase",
    "payout": "payout",
    "card_verify": "account verification",
    "card_tokenize": "tokenize",
}
MAX_HOLDER = 100


def printable(value: object) -> str:
    """Text for a log line: ecp's one escaping rule (ecp_cli.text_safety)."""
    from ecp_cli.text_safety import safe_text

    return safe_text(value)


@dataclass
class CardForm:
    """The checkout form, checked. ``errors`` maps a field to what is wrong with it."""

    number: str = ""
    expiry_month: str = ""
    expiry_year: str = ""
    holder: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)  # what to show again (no number, no CVV)


def check_card_form(form: Mapping[str, str], today: datetime | None = None) -> CardForm:
    """Field-level checks: Luhn, an expiry not past, a CVV of 3-4 digits, a holder."""
    today = today or datetime.now(UTC)
    number = "".join(form.get("card_number", "").split()).replace("-", "")
    month = form.get("expiry_month", "").strip()
    year = form.get("expiry_year", "").strip()
    cvv = form.get("cvv", "").strip()
    holder = " ".join(form.get("card_holder", "").split())
    result = CardForm(values={"expiry_month": month, "expiry_year": year, "card_holder": holder})
    errors = result.errors
    if not number:
        errors["card_number"] = "Enter the card number."
    elif not number.isdigit() or not 12 <= len(number) <= 19 or not number.isascii():
        errors["card_number"] = "A card number has 12 to 19 digits."
    elif not outcomes.luhn_ok(number):
        errors["card_number"] = "This card number is not valid (check digit)."
    if len(year) == 2 and year.isdigit():
        year = f"20{year}"
    if not (month.isdigit() and month.isascii() and 1 <= int(month) <= 12):
        errors["expiry_month"] = "Enter the month as two digits, 01 to 12."
    if not (year.isdigit() and year.isascii() and len(year) == 4):
        errors["expiry_year"] = "Enter the year as four digits."
    elif "expiry_month" not in errors and (int(year), int(month)) < (today.year, today.month):
        errors["expiry_year"] = "This card has expired."
    if not (cvv.isdigit() and cvv.isascii() and 3 <= len(cvv) <= 4):
        errors["cvv"] = "The CVV is the 3 or 4 digits on the back of the card."
    if not holder:
        errors["card_holder"] = "Enter the name on the card."
    elif len(holder) > MAX_HOLDER:
        errors["card_holder"] = f"At most {MAX_HOLDER} characters."
    if not errors:
        result.number, result.holder = number, holder
        result.expiry_month, result.expiry_year = f"{int(month):02d}", year
    return result


@dataclass
class GateAnswer:
    status: int  # HTTP status
    body: dict


class Sandbox:
    """The platform's behaviour for ``projects``, with payments kept in ``store``."""

    def __init__(
        self,
        projects: Mapping[int, Project],
        store: PaymentStore,
        *,
        callback_url: str | None = None,
        retry: bool = True,
        retry_scale: float = 1.0,
        max_attempts: int | None = None,
        on_log: Callable[[str], None] | None = None,
    ):
        self.projects = dict(projects)
        self.store = store
        self.callback_url = callback_url
        self.on_log = on_log
        self.dispatcher = Dispatcher(
            store, retry=retry, retry_scale=retry_scale, max_attempts=max_attempts,
            on_report=self._log_delivery,
        )  # fmt: skip

    def close(self) -> None:
        self.dispatcher.stop()

    # --- log --------------------------------------------------------------------------

    def log(self, text: str) -> None:
        if self.on_log is not None:
            self.on_log(printable(text))

    def _log_delivery(self, report: DeliveryReport) -> None:
        tries = f"{report.attempts} attempt{'s' if report.attempts != 1 else ''}"
        answer = f"HTTP {report.status}" if report.status is not None else report.error
        self.log(
            f"callback {report.label} for {report.payment_id or '(token)'} -> {report.url}: "
            f"{report.outcome} ({answer}, {tries})"
        )

    # --- the Payment Page ---------------------------------------------------------------

    def open_checkout(self, params: dict[str, str], signature: str | None) -> tuple:
        """(PageCheck, Payment or None) for a Payment Page request. Reopening the link of a
        payment not paid yet shows the same checkout again; a paid payment_id is 3041."""

        def taken(project_id: int, payment_id: str) -> bool:
            existing = self.store.find(project_id, payment_id)
            return existing is not None and existing.paid

        check = check_page_request(params, signature, self.projects, payment_id_taken=taken)
        if not check.ok:
            return check, None
        project = check.project
        assert project is not None  # a request that passed the checks names its project
        unsigned = {k: v for k, v in params.items() if k != "signature"}
        payment_id = unsigned.get("payment_id") or None
        with self.store.lock:
            existing = self.store.find(project.project_id, payment_id) if payment_id else None
            if existing is not None and not existing.paid:
                existing.params = unsigned
                self._fill(existing, check)
                self.store.save(existing)
                return check, existing
            payment = Payment(
                session=secrets.token_urlsafe(18), project_id=project.project_id,
                payment_id=payment_id, mode=check.mode, type=PAYMENT_TYPES[check.mode],
                status="new", amount=0, currency="", params=unsigned,
            )  # fmt: skip
            self._fill(payment, check)
            try:
                self.store.add(payment)
            except RuleError as error:  # opened twice at the same moment
                check.problems.append(coded(error.code, "payment_id"))
                return check, None
        self.log(f"checkout {payment.payment_id or '(card_tokenize)'} opened "
                 f"(project {payment.project_id}, {payment.mode})")  # fmt: skip
        return check, payment

    @staticmethod
    def _fill(payment: Payment, check: PageCheck) -> None:
        params = payment.params
        payment.mode, payment.type = check.mode, PAYMENT_TYPES[check.mode]
        payment.amount = int(params.get("payment_amount") or 0)
        payment.currency = params.get("payment_currency", "")
        if check.mode == "payout":
            payment.operation_type = "payout"
        elif check.mode == "card_verify":
            payment.operation_type = "account verification"
        elif check.mode == "card_tokenize":
            payment.operation_type = "tokenize"
        else:
            kind = params.get("operation_type") or params.get("card_operation_type") or "sale"
            payment.operation_type = kind

    def project_name(self, payment: Payment) -> str | None:
        project = self.projects.get(payment.project_id)
        return project.name if project else None

    def pay(self, session: str, form: Mapping[str, str], base_url: str) -> tuple:
        """Take the card for checkout ``session``: (payment, CardForm, next) where next is
        "form" (fix the fields), "acs" (the 3-D Secure challenge) or "result"."""
        with self.store.lock:
            payment = self.store.by_session(session)
            if payment is None:
                return None, None, "missing"
            if payment.paid:  # a second submit (back button, double click): no second charge
                return payment, None, "acs" if payment.challenge else "result"
            card = check_card_form(form)
            if card.errors:
                return payment, card, "form"
            decision = outcomes.decide(card.number, payout=payment.mode == "payout")
            payment.card = {
                "number": outcomes.mask(card.number), "brand": decision.brand,
                "holder": card.holder, "expiry_month": card.expiry_month,
                "expiry_year": card.expiry_year,
            }  # fmt: skip
            if payment.mode == "card_tokenize":
                payment.token = secrets.token_hex(20)
                payment.status = "success"
                payment.new_operation("tokenize", "success", "0", 0)
                self._save_and_send(payment)
                return payment, card, "result"
            if decision.kind == outcomes.CHALLENGE:
                payment.new_operation(payment.operation_type, "awaiting 3ds result", "9999",
                                      payment.amount)  # fmt: skip
                payment.status = "awaiting 3ds result"
                payment.challenge = {"approved": decision.approved, "code": decision.code}
                self._save_and_send(payment, acs_url=f"{base_url}/acs/{session}")
                return payment, card, "acs"
            eci = "05" if decision.kind == outcomes.FRICTIONLESS and decision.approved else "07"
            self._complete(payment, decision.approved, decision.code, eci)
            return payment, card, "result"

    def answer_challenge(self, session: str, code: str) -> Payment | None:
        """The customer's code on the ACS page decides a challenged payment."""
        with self.store.lock:
            payment = self.store.by_session(session)
            if payment is None or payment.challenge is None:
                return payment
            challenge, payment.challenge = payment.challenge, None
            right = secrets.compare_digest(code.strip().encode(), outcomes.ACS_CODE.encode())
            if right and challenge["approved"]:
                self._complete(payment, True, "0", "05")
            else:
                reason = challenge["code"] if right else outcomes.WRONG_3DS_CODE
                self._complete(payment, False, reason, "07")
            return payment

    def _complete(self, payment: Payment, approved: bool, code: str, eci: str) -> None:
        operation = payment.last_operation
        if operation is None or operation["status"] != "awaiting 3ds result":
            operation = payment.new_operation(payment.operation_type, "processing", "9999",
                                              payment.amount)  # fmt: skip
        operation["eci"] = eci
        if approved:
            payment.finish_operation(operation, "success", "0")
            if payment.operation_type == "auth":
                payment.status = "awaiting capture"
            else:
                payment.status = "success"
                payment.balance = payment.amount if payment.mode == "purchase" else 0
            payment.token = payment.token or secrets.token_hex(20)
            if payment.params.get("recurring_register") in ("1", "true", "True"):
                payment.recurring_id = random.randrange(10**6, 10**9)
        else:
            payment.finish_operation(operation, "decline", code)
            payment.status = "decline"
        self._save_and_send(payment)

    def _save_and_send(self, payment: Payment, acs_url: str = "",
                       callback_url: str | None = None) -> None:  # fmt: skip
        self.store.save(payment)
        operation = payment.last_operation or {}
        self.log(
            f"payment {payment.payment_id or '(token)'}: {payment.status} "
            f"({operation.get('type')} {operation.get('status')}, code {operation.get('code')}) "
            f"card {(payment.card or {}).get('number', '-')}"
        )
        url = callback_url or payment.callback_url or self.callback_url
        if not url:
            self.log(f"no callback for {payment.payment_id}: no merchant_callback_url, "
                     "no --callback-url")  # fmt: skip
            return
        secret = self.projects[payment.project_id].secret
        self.dispatcher.send(payment, url, signed(payment_body(payment, acs_url=acs_url), secret))

    # --- the pre-check ------------------------------------------------------------------

    def precheck(self, params: dict[str, str], signature: str | None) -> GateAnswer:
        def taken(project_id: int, payment_id: str) -> bool:
            existing = self.store.find(project_id, payment_id)
            return existing is not None and existing.paid

        check = check_page_request(
            params, signature, self.projects, signed=False, payment_id_taken=taken
        )
        if check.ok:
            return GateAnswer(200, {"status": "success"})
        return GateAnswer(400, {"errors": [p.as_dict() for p in check.problems]})

    # --- the Gate API -------------------------------------------------------------------

    def gate(self, action: str, document: object) -> GateAnswer:
        """status, capture, cancel or refund, for a parsed JSON body."""
        from ecp_cli.signing.signature import verify

        if not isinstance(document, dict):
            return refusal(coded("2004", "general"))
        general = document.get("general")
        if not isinstance(general, dict):
            return refusal(coded("2004", "general"))
        project_id, payment_id = general.get("project_id"), general.get("payment_id")
        ids = {"project_id": project_id, "payment_id": payment_id}
        if project_id is None or project_id == "":
            return refusal(coded("2004", "general.project_id"), ids)
        try:
            project = self.projects.get(int(str(project_id)))
        except ValueError:
            project = None
        if project is None:
            return refusal(coded("2442", "general.project_id"), ids)
        if not general.get("signature"):
            return refusal(coded("3262", "general.signature"), ids)
        if not verify(document, project.secret).ok:
            return refusal(coded("3261", "general.signature"), ids)
        if not isinstance(payment_id, str) or not payment_id:
            return refusal(coded("2004", "general.payment_id"), ids)
        with self.store.lock:
            payment = self.store.find(project.project_id, payment_id)
            if payment is None or not payment.paid:
                return refusal(coded("3061", "general.payment_id"), ids)
            if action == "status":
                return GateAnswer(200, signed(payment_body(payment), project.secret))
            details = document.get("payment")
            details = details if isinstance(details, dict) else {}
            amount = details.get("amount")
            if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)):
                return refusal(Problem("payment.amount must be an integer in minor units",
                                        field="payment.amount"), ids)  # fmt: skip
            currency = details.get("currency")
            currency = currency if isinstance(currency, str) and currency else None
            try:
                if action == "capture":
                    operation = payment.capture(amount, currency)
                elif action == "cancel":
                    operation = payment.cancel()
                else:
                    refund_id = details.get("merchant_refund_id")
                    operation = payment.refund(
                        amount, currency, str(refund_id) if refund_id not in (None, "") else None
                    )
            except RuleError as error:
                self.log(f"{action} {payment_id} refused: {error.code} {error.message}")
                return refusal(Problem(error.message, error.code, "", error.description), ids)
            callback_url = general.get("merchant_callback_url")
            if url_problem(callback_url) is not None:
                callback_url = None
            self._save_and_send(payment, callback_url=callback_url)
        return GateAnswer(200, {
            "status": "success", "request_id": operation["request_id"],
            "project_id": project.project_id, "payment_id": payment.payment_id,
        })  # fmt: skip


def refusal(problem: Problem, ids: Mapping | None = None) -> GateAnswer:
    body = {"status": "error", "code": problem.code or "", "message": problem.message,
            "request_id": secrets.token_hex(20)}  # fmt: skip
    if problem.description:
        body["description"] = problem.description
    if ids:
        body.update({k: v for k, v in ids.items() if isinstance(v, str | int)})
    return GateAnswer(400, body)
