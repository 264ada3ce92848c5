"""A running sandbox on 127.0.0.1 (an ephemeral port, uvicorn on a thread), a callback
receiver, and helpers to make links and walk the pages over HTTP."""

import re
import time

import httpx
import pytest

from ecp_cli.http.serving import AsgiServer
from ecp_cli.payment_page.url import build_url
from ecp_cli.sandbox.app import SandboxApp
from ecp_cli.sandbox.checks import Project
from ecp_cli.sandbox.engine import Sandbox
from ecp_cli.sandbox.state import PaymentStore
from tests.http_endpoint import Endpoint

SECRET = "sandbox-Test-Secret-9f2c"
OTHER_SECRET = "other-project-Secret-77"
PROJECT = 112
OTHER = 113


class Running:
    def __init__(self, tmp_path, receiver: Endpoint):
        self.store_path = tmp_path / "sandbox.sqlite3"
        self.receiver = receiver
        self.logs: list[str] = []
        self.start()

    def start(self):
        self.store = PaymentStore(self.store_path)
        projects = {PROJECT: Project(PROJECT, SECRET, "test"),
                    OTHER: Project(OTHER, OTHER_SECRET, "other")}  # fmt: skip
        self.engine = Sandbox(projects, self.store, callback_url=self.receiver.url,
                              retry_scale=0.001, on_log=self.logs.append)  # fmt: skip
        app = SandboxApp(self.engine, max_body=16 * 1024)
        self.server = AsgiServer(app, port=0).start(handle_signals=False)
        self.server.serve_in_thread()
        self.url = self.server.url.rstrip("/")
        self.client = httpx.Client(base_url=self.url, timeout=10)

    def stop(self):
        self.client.close()
        self.server.stop()
        self.engine.close()
        self.store.close()

    def link(self, secret: str = SECRET, project_id: int = PROJECT, **params) -> str:
        fields = {"payment_id": f"order-{time.monotonic_ns()}", "payment_amount": "1999",
                  "payment_currency": "EUR", "customer_id": "customer-1"}  # fmt: skip
        fields.update({k: str(v) for k, v in params.items() if v is not None})
        fields = {k: v for k, v in fields.items() if v != ""}
        ordered = {"project_id": str(project_id), **fields}
        return build_url(self.url, ordered, secret).url

    def open(self, link: str) -> httpx.Response:
        return self.client.get(link)

    def session(self, page: httpx.Response) -> str:
        return re.search(r'name="session" value="([^"]+)"', page.text).group(1)

    def submit(self, session: str, card: str = "4000000000000077", **fields) -> httpx.Response:
        form = {"session": session, "card_number": card, "expiry_month": "12",
                "expiry_year": "2031", "cvv": "123", "card_holder": "Jane Tester"}  # fmt: skip
        form.update(fields)
        return self.client.post("/payment/pay", data=form)

    def pay(self, card: str = "4000000000000077", code: str | None = None, **params):
        """Open a fresh link and pay it: (final response, session)."""
        page = self.open(self.link(**params))
        assert page.status_code == 200, page.text
        session = self.session(page)
        answer = self.submit(session, card)
        if answer.headers.get("location", "").startswith("/acs/"):
            answer = self.client.post(answer.headers["location"], data={"code": code or "1234"})
        return answer, session

    def callbacks(self, count: int, timeout: float = 5.0) -> list[dict]:
        import json

        deadline = time.monotonic() + timeout
        while len(self.receiver.requests) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        self.engine.dispatcher.wait_idle(timeout)
        return [json.loads(r.body) for r in self.receiver.requests]


@pytest.fixture
def receiver():
    with Endpoint() as endpoint:
        yield endpoint


@pytest.fixture
def sandbox(tmp_path, receiver):
    running = Running(tmp_path, receiver)
    yield running
    running.stop()


def main_data(html: str) -> dict[str, str]:
    tag = re.search(r"<main[^>]*>", html).group(0)
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', tag))
