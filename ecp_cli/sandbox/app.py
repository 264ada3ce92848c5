"""The sandbox's HTTP face: one raw ASGI application for the three hosts a shop talks to.

    GET  /                           the sandbox's home page
    GET  /payment?...                the Payment Page: a checkout, or the refusal
    POST /payment/pay                the card form
    GET  /acs/SESSION, POST          the 3-D Secure challenge
    GET  /result/SESSION             where a checkout ends
    POST /v2/payment/status          Gate API: the signed payment state
    POST /v2/payment/card/{capture,cancel,refund}
    GET  /params/check?...           the parameter pre-check
    GET  /static/sandbox.{css,js}

It is served by ecp_cli.http.serving (uvicorn/h11 within hard limits: strict parsing,
bounded heads, a connection cap, a deadline per request), like ``ecp listen``. Request
bodies are bounded (``max_body``; more is 413). Every page is sent with headers that
keep it to itself: a strict Content-Security-Policy (its own assets only), no referrer (the
link's query holds the customer's data), no caching.
"""

from __future__ import annotations

import json
import os
from urllib.parse import parse_qsl

from ecp_cli.sandbox import pages
from ecp_cli.sandbox.engine import Sandbox

DEFAULT_MAX_BODY = 64 * 1024
MAX_QUERY = 32 * 1024
GATE_ACTIONS = {
    "/v2/payment/status": "status",
    "/v2/payment/card/capture": "capture",
    "/v2/payment/card/cancel": "cancel",
    "/v2/payment/card/refund": "refund",
}
_STATIC = os.path.join(os.path.dirname(__file__), "static")
_STATIC_TYPES = {"sandbox.css": "text/css; charset=utf-8",
                 "sandbox.js": "text/javascript; charset=utf-8"}  # fmt: skip
_PAGE_HEADERS = [
    ("content-security-policy",
     "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self' http: https:"),
    ("referrer-policy", "no-referrer"),
    ("x-content-type-options", "nosniff"),
    ("cache-control", "no-store"),
]  # fmt: skip


class Response:
    def __init__(self, status: int, body: bytes, content_type: str, headers=()):
        self.status, self.body, self.content_type = status, body, content_type
        self.headers = list(headers)

    @classmethod
    def html(cls, text: str, status: int = 200) -> Response:
        return cls(status, text.encode("utf-8"), "text/html; charset=utf-8", list(_PAGE_HEADERS))

    @classmethod
    def json(cls, data: dict, status: int = 200) -> Response:
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return cls(status, raw, "application/json", [("cache-control", "no-store")])

    @classmethod
    def redirect(cls, location: str) -> Response:
        # 303: after a POST the browser follows with a GET, and a reload never pays twice.
        return cls(303, b"", "text/plain; charset=utf-8",
                   [("location", _header_text(location)), ("cache-control", "no-store"),
                    ("referrer-policy", "no-referrer")])  # fmt: skip

    @classmethod
    def text(cls, status: int, text: str) -> Response:
        return cls(status, text.encode("utf-8"), "text/plain; charset=utf-8")


class SandboxApp:
    """ASGI 3 application over a :class:`Sandbox`."""

    def __init__(self, sandbox: Sandbox, *, max_body: int = DEFAULT_MAX_BODY):
        self.sandbox = sandbox
        self.max_body = max_body

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        from ecp_cli.http.serving import BodyTooLarge, ClientGone, read_body, send_response

        close = False
        try:
            length = header(scope, b"content-length")
            if length is not None and length.isdigit() and int(length) > self.max_body:
                raise BodyTooLarge(int(length), self.max_body)
            body = await read_body(scope, receive, self.max_body)
            response = self.route(scope, body)
        except BodyTooLarge:
            response = Response.text(413, f"request body larger than {self.max_body} bytes\n")
            close = True  # the rest of the body is not read
        except ClientGone:
            return  # nobody left to answer
        except Exception as error:  # one bad request must never take the sandbox down
            self.sandbox.log(f"internal error on {scope.get('path')}: {type(error).__name__}")
            response = Response.text(500, "internal error in the sandbox\n")
        await send_response(send, response.status, response.body, response.content_type,
                            close=close, headers=response.headers)  # fmt: skip

    def route(self, scope, body: bytes) -> Response:
        method, path = scope["method"], scope["path"]
        query = scope.get("query_string", b"")
        if len(query) > MAX_QUERY:
            return Response.text(414, "query string too long\n")
        query_text = query.decode("latin-1")  # percent-encoded ASCII; parse_qsl decodes UTF-8
        base = _base_url(scope)
        if path in GATE_ACTIONS:
            if method != "POST":
                return Response.text(405, "use POST\n")
            return self._gate(GATE_ACTIONS[path], body)
        if method not in ("GET", "HEAD", "POST"):
            return Response.text(405, "method not allowed\n")
        if path == "/payment" and method in ("GET", "HEAD"):
            return self._checkout(query_text)
        if path == "/payment/pay" and method == "POST":
            return self._pay(body, base)
        if path.startswith("/acs/"):
            return self._acs(path[len("/acs/"):], method, body)
        if path.startswith("/result/") and method in ("GET", "HEAD"):
            payment = self.sandbox.store.by_session(path[len("/result/"):])
            if payment is None or not payment.paid:
                return Response.html(pages.not_found("No such payment."), 404)
            return Response.html(pages.result(payment))
        if path == "/params/check" and method in ("GET", "HEAD", "POST"):
            return self._precheck(query_text)
        if path.startswith("/static/") and method in ("GET", "HEAD"):
            return _static(path[len("/static/"):])
        if path == "/" and method in ("GET", "HEAD"):
            projects = sorted(self.sandbox.projects.values(), key=lambda p: p.project_id)
            return Response.html(pages.index(base, projects, self.sandbox.store.payments(20)))
        if path == "/health":
            return Response.text(200, "ecp sandbox is running\n")
        return Response.html(pages.not_found(f"Nothing at {path}."), 404)

    # --- handlers ---------------------------------------------------------------------

    def _checkout(self, query: str) -> Response:
        from ecp_cli.sandbox.checks import Problem

        params, signature, problem = parse_query(query)
        if problem:
            return Response.html(pages.refused([Problem(problem)]), 400)
        check, payment = self.sandbox.open_checkout(params, signature)
        if not check.ok:
            return Response.html(pages.refused(check.problems, check.diagnosis), 400)
        return Response.html(pages.checkout(payment, self.sandbox.project_name(payment)))

    def _form(self, body: bytes) -> dict[str, str] | None:
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except (UnicodeDecodeError, ValueError):
            return None
        form: dict[str, str] = {}
        for key, value in pairs:
            form.setdefault(key, value)
        return form

    def _pay(self, body: bytes, base: str) -> Response:
        form = self._form(body)
        if form is None:
            return Response.text(400, "the form is not UTF-8 form data\n")
        session = form.get("session", "")
        payment, card, step = self.sandbox.pay(session, form, base)
        if step == "missing":
            return Response.html(pages.not_found("This checkout does not exist (any more)."), 404)
        if step == "form":
            page = pages.checkout(payment, self.sandbox.project_name(payment), card.values,
                                  card.errors)  # fmt: skip
            return Response.html(page, 422)
        if step == "acs":
            return Response.redirect(f"/acs/{session}")
        return self._finish(payment)

    def _finish(self, payment) -> Response:
        """Where the customer goes when the payment is decided: the shop's redirect URL when
        the link gave one, else the sandbox's result page."""
        approved = payment.status in ("success", "awaiting capture")
        if payment.mode == "card_tokenize":
            name = "redirect_tokenize_url" if payment.params.get("redirect_tokenize_url") else (
                "redirect_success_url")
        else:
            name = "redirect_success_url" if approved else "redirect_fail_url"
        target = payment.params.get(name)
        return Response.redirect(target or f"/result/{payment.session}")

    def _acs(self, session: str, method: str, body: bytes) -> Response:
        payment = self.sandbox.store.by_session(session)
        if payment is None:
            return Response.html(pages.not_found("No such 3-D Secure check."), 404)
        if method == "POST":
            form = self._form(body)
            if form is None:
                return Response.text(400, "the form is not UTF-8 form data\n")
            if payment.challenge is None:
                return self._finish(payment)
            payment = self.sandbox.answer_challenge(session, form.get("code", ""))
            return self._finish(payment)
        if payment.challenge is None:
            return self._finish(payment)
        return Response.html(pages.acs(payment))

    def _precheck(self, query: str) -> Response:
        params, signature, problem = parse_query(query)
        if problem:
            return Response.json({"errors": [{"code": None, "message": problem, "field": ""}]},
                                 400)  # fmt: skip
        answer = self.sandbox.precheck(params, signature)
        return Response.json(answer.body, answer.status)

    def _gate(self, action: str, body: bytes) -> Response:
        from ecp_cli.documents import parse_json
        from ecp_cli.sandbox.checks import coded
        from ecp_cli.sandbox.engine import refusal

        try:
            document = parse_json(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            answer = refusal(coded("2003"))
        else:
            answer = self.sandbox.gate(action, document)
        return Response.json(answer.body, answer.status)


def _header_text(url: str) -> str:
    """A URL fit for a Location header: Latin-1 text (anything else percent-encoded), no
    line breaks."""
    from urllib.parse import quote

    return quote(url, safe="".join(chr(c) for c in range(0x21, 0x7F)))


def header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def _base_url(scope) -> str:
    host = header(scope, b"host")
    if not host:
        server = scope.get("server") or ("127.0.0.1", 0)
        host = f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}"


def _static(name: str) -> Response:
    if name not in _STATIC_TYPES:
        return Response.text(404, "not found\n")
    with open(os.path.join(_STATIC, name), "rb") as handle:
        data = handle.read()
    return Response(200, data, _STATIC_TYPES[name], [("cache-control", "max-age=3600"),
                                                     ("x-content-type-options", "nosniff")])


def parse_query(text: str) -> tuple[dict[str, str], str | None, str | None]:
    """(params, signature, problem) from a query string. Spaces may come as ``+`` or
    ``%20``; a parameter given twice is refused (which one would count?); a signature
    pasted without URL encoding had its ``+`` turned into spaces: base64 has no spaces,
    so they are put back."""
    try:
        pairs = parse_qsl(text, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return {}, None, "the query string is not UTF-8 text"
    params: dict[str, str] = {}
    signature = None
    for key, value in pairs:
        if key in params or (key == "signature" and signature is not None):
            return {}, None, f"parameter {key!r} appears more than once in the URL"
        if key == "signature":
            signature = value.replace(" ", "+")
        else:
            params[key] = value
    return params, signature, None
