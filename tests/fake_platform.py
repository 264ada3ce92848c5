"""A fake ecommpay platform on 127.0.0.1 for the Gate API tests: a real HTTP server in a
thread, on an ephemeral port. No test touches the network.

By default it plays the platform:

* ``POST /v2/payment/status`` checks the request's signature with the project's secret
  (a wrong or missing one gets a platform-style refusal, code 3261), then answers the
  payment it knows, signed like a callback, or refuses with 3061 "Transaction not found";
* ``GET /params/check`` answers 200 when the Payment Page parameters look right, else 400
  with an ``errors`` list naming each field.

Tests can script the next answers instead (``server.script(Answer(...), ...)``): any status
and body, a delay (for timeouts), a dropped connection. Every request is recorded, so tests
can assert what ecp sent (and that the secret is nowhere in it).
"""

import json
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from ecp_cli.signing.signature import embed_signature, sign, verify

TLS_DIR = Path(__file__).parent / "fixtures" / "tls"
CA_FILE = TLS_DIR / "ca.pem"
SERVER_CERT = TLS_DIR / "server.pem"


@dataclass
class Answer:
    """One scripted answer. ``body`` may be a dict (sent as JSON) or text."""

    status: int = 200
    body: object = ""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (cut short when the server stops)
    drop: bool = False  # close the connection without any answer

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, dict | list):
            return json.dumps(self.body, ensure_ascii=False).encode("utf-8"), "application/json"
        return str(self.body).encode("utf-8"), "text/plain; charset=utf-8"


@dataclass
class Recorded:
    method: str
    target: str  # the request line's target: a path, or a full URL when sent to a proxy
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: str

    def json(self) -> dict:
        return json.loads(self.body)


def signed(document: dict, secret: str) -> dict:
    return embed_signature(document, sign(document, secret))


def payment_response(payment_id: str, project_id: int = 112, status: str = "success") -> dict:
    """A status response shaped like a callback: payment, operation and (once signed)
    a signature at the top."""
    operation_status = "success" if status == "success" else "decline"
    code, message = ("0", "Success") if status == "success" else ("10105", "Insufficient funds")
    return {
        "project_id": project_id,
        "payment": {
            "id": payment_id,
            "type": "purchase",
            "status": status,
            "date": "2025-03-11T10:15:02+0000",
            "method": "card",
            "sum": {"amount": 1999, "currency": "EUR"},
        },
        "operation": {
            "id": 1234567000000001,
            "type": "sale",
            "status": operation_status,
            "code": code,
            "message": message,
            "sum_initial": {"amount": 1999, "currency": "EUR"},
        },
    }


def check_problems(query: dict[str, str]) -> list[dict]:
    """The fake pre-check's rules: a few of the Payment Page's real requirements."""
    problems = []
    for name in ("project_id", "payment_id", "payment_amount", "payment_currency"):
        if not query.get(name):
            problems.append({"field": name, "message": f"{name} is required"})
    amount = query.get("payment_amount")
    if amount and not amount.isdigit():
        problems.append({"field": "payment_amount", "message": "must be an integer in minor units"})
    currency = query.get("payment_currency")
    if currency and not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
        problems.append({"field": "payment_currency", "message": "unknown currency"})
    for flag in ("close_on_missclick", "recurring_register"):
        if flag in query and query[flag] not in ("0", "1"):
            problems.append({"field": flag, "message": "must be 1 or 0"})
    return problems


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, format, *args):  # keep test output clean
        pass

    def do_GET(self):
        self._serve()

    def do_POST(self):
        self._serve()

    def _serve(self):
        platform = self.server.platform
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        split = urlsplit(self.path)
        recorded = Recorded(
            method=self.command,
            target=self.path,
            path=split.path,
            query=parse_qsl(split.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        answer = platform.next_answer(recorded)
        if answer.delay:
            platform.release.wait(answer.delay)
        if answer.drop:
            self.close_connection = True
            return
        content, content_type = answer.encoded()
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.headers.get("Content-Type", content_type))
            for name, value in answer.headers.items():
                if name != "Content-Type":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)
        except OSError:
            pass  # the client gave up (a timeout test): nothing to tell it


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    platform: "FakePlatform"

    def handle_error(self, request, client_address):
        pass  # a client that hung up is part of the tests, not a failure


class FakePlatform:
    def __init__(self, secret: str = "secret", project_id: int = 112, tls: bool = False):
        self.secret = secret
        self.project_id = project_id
        self.payments: dict[str, dict] = {}  # payment id -> unsigned response document
        self.requests: list[Recorded] = []
        self.release = threading.Event()
        self._script: list[Answer] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.platform = self
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(SERVER_CERT)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> "FakePlatform":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def script(self, *answers: Answer) -> None:
        """Answer the next requests with these, in order; then play the platform again."""
        with self._lock:
            self._script.extend(answers)

    def add_payment(self, payment_id: str, status: str = "success") -> dict:
        document = payment_response(payment_id, self.project_id, status)
        self.payments[payment_id] = document
        return document

    def next_answer(self, recorded: Recorded) -> Answer:
        with self._lock:
            self.requests.append(recorded)
            if self._script:
                return self._script.pop(0)
        if recorded.path == "/v2/payment/status" and recorded.method == "POST":
            return self._status(recorded)
        if recorded.path == "/params/check" and recorded.method == "GET":
            problems = check_problems(dict(recorded.query))
            return Answer(400, {"errors": problems}) if problems else Answer(200, {})
        return Answer(404, "no such endpoint")

    def _status(self, recorded: Recorded) -> Answer:
        try:
            request = json.loads(recorded.body)
        except ValueError:
            return Answer(400, {"status": "error", "code": "2000", "message": "Bad JSON"})
        general = request.get("general") if isinstance(request, dict) else None
        if not isinstance(general, dict):
            return Answer(400, {"status": "error", "code": "2000", "message": "No general"})
        if not verify(request, self.secret).ok:
            return Answer(
                400,
                {
                    "status": "error",
                    "project_id": general.get("project_id"),
                    "payment_id": general.get("payment_id"),
                    "code": "3261",
                    "message": "Invalid signature",
                },
            )
        document = self.payments.get(str(general.get("payment_id")))
        if document is None:
            return Answer(
                400,
                {
                    "errors": [
                        {
                            "code": 3061,
                            "message": "Transaction not found",
                            "field": "general.payment_id",
                        }
                    ]
                },
            )
        return Answer(200, signed(document, self.secret))


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening (connections are refused)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


HTTP_ENV = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR")


def clear_http_env(monkeypatch) -> None:
    """Keep the machine's proxy and CA settings (read by httpx from os.environ) out of a
    test, so that 127.0.0.1 is reached directly and only the test's CA is trusted."""
    for name in HTTP_ENV:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
