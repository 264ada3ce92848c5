"""``ecp sandbox pay``: walk the sandbox's pages over HTTP, as a customer would without a
browser: open the link, fill the checkout, answer the 3-D Secure page, read the result.

The pages are the ones people see; the walk reads only their stable hooks (the form's
hidden ``session`` field, ``data-page`` and ``data-payment-status`` on <main>), parsed with
html.parser. It never follows the shop's redirect: the result is read from the sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from ecp_cli.errors import InputError, NetworkError

DEFAULT_EXPIRY_MONTH = "12"
DEFAULT_CVV = "123"
DEFAULT_HOLDER = "TEST CARDHOLDER"


class _Reader(HTMLParser):
    """The hooks of a sandbox page: <main data-*>, hidden inputs, field errors, problems."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.main: dict[str, str] = {}
        self.hidden: dict[str, str] = {}
        self.errors: list[str] = []
        self.problems: list[str] = []
        self.cause: list[str] = []
        self._into: list | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "main":
            self.main = {k[5:]: v for k, v in attributes.items() if k.startswith("data-")}
        elif tag == "input" and attributes.get("type") == "hidden":
            self.hidden[attributes.get("name", "")] = attributes.get("value", "")
        if self._into is not None:
            self._depth += 1
        elif tag in ("div", "p") and "error" in attributes.get("class", "").split():
            self._start(self.errors)
        elif tag == "li" and self.main.get("page") == "error":
            self._start(self.problems)
        elif tag == "p" and attributes.get("id") == "cause":
            self._start(self.cause)

    def _start(self, target: list) -> None:
        target.append("")
        self._into, self._depth = target, 1

    def handle_endtag(self, tag):
        if self._into is not None:
            self._depth -= 1
            if self._depth == 0:
                self._into[-1] = " ".join(self._into[-1].split())
                self._into = None

    def handle_data(self, data):
        if self._into is not None:
            self._into[-1] += data


def read_page(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


@dataclass
class PayResult:
    """How the walk ended."""

    outcome: str  # success, decline, refused (the page refused the link), invalid (card form)
    payment_id: str | None = None
    status: str | None = None  # the payment's status
    code: str | None = None
    redirect: str | None = None  # where a browser would have been sent
    problems: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)  # the pages walked, for --json

    @property
    def approved(self) -> bool:
        return self.outcome == "success"

    def public(self) -> dict:
        return {
            "outcome": self.outcome, "payment_id": self.payment_id, "status": self.status,
            "code": self.code, "redirect": self.redirect, "problems": self.problems,
            "steps": self.steps,
        }  # fmt: skip


def pay(
    url: str,
    card: str,
    *,
    expiry_month: str = DEFAULT_EXPIRY_MONTH,
    expiry_year: str | None = None,
    cvv: str = DEFAULT_CVV,
    holder: str | None = None,
    code_3ds: str | None = None,
    timeout: float = 10.0,
) -> PayResult:
    """Pay the Payment Page link ``url`` (on an ecp sandbox) with ``card``."""
    import httpx

    from ecp_cli.http.client import make_client
    from ecp_cli.sandbox.outcomes import ACS_CODE

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"{url[:80]}: expected the http(s) URL of a Payment Page link")
    if expiry_year is None:
        from datetime import date

        expiry_year = str(date.today().year + 3)
    result = PayResult("refused")
    try:
        with make_client(timeout=timeout) as client:
            page = client.get(url)
            result.steps.append(f"GET /payment: {page.status_code}")
            reader = read_page(page.text)
            if reader.main.get("page") == "error":
                result.problems = reader.problems + reader.cause
                return result
            if reader.main.get("page") != "checkout":
                raise InputError(f"{parts.netloc}: this is not an ecp sandbox Payment Page "
                                 f"(HTTP {page.status_code})")  # fmt: skip
            session = reader.hidden.get("session", "")
            form = {
                "session": session, "card_number": card, "expiry_month": expiry_month,
                "expiry_year": expiry_year, "cvv": cvv, "card_holder": holder or DEFAULT_HOLDER,
            }  # fmt: skip
            answer = client.post(urljoin(url, "/payment/pay"), data=form)
            result.steps.append(f"POST /payment/pay: {answer.status_code}")
            if answer.status_code == 422:
                result.outcome = "invalid"
                result.problems = read_page(answer.text).errors
                return result
            location = answer.headers.get("location", "")
            if location.startswith("/acs/"):
                acs = client.get(urljoin(url, location))
                result.steps.append(f"GET /acs: {acs.status_code}")
                answer = client.post(urljoin(url, location), data={"code": code_3ds or ACS_CODE})
                result.steps.append(f"POST /acs: {answer.status_code}")
                location = answer.headers.get("location", "")
            if not location.startswith("/result/"):
                result.redirect = location or None
            final = client.get(urljoin(url, f"/result/{session}"))
            result.steps.append(f"GET /result: {final.status_code}")
    except httpx.HTTPError as error:
        from ecp_cli.http.delivery import describe_failure

        raise NetworkError(f"{parts.scheme}://{parts.netloc}: {describe_failure(error)}") from None
    facts = read_page(final.text).main
    result.status = facts.get("payment-status")
    result.code = facts.get("code") or None
    result.payment_id = facts.get("payment-id") or None
    approved = result.status in ("success", "awaiting capture")
    result.outcome = "success" if approved else "decline"
    return result
