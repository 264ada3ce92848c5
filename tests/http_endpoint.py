"""A real HTTP endpoint on 127.0.0.1 (an ephemeral port, in a thread) that plays the
developer's callback handler in tests: it records every request and answers from a
script of replies."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.monotonic() when it arrived


@dataclass
class Endpoint:
    """``replies``: (status, body) answered in turn; the last one repeats forever.
    ``delay``: seconds to wait before answering (for time-out tests)."""

    replies: list[tuple[int, str]] = field(default_factory=lambda: [(200, "ok")])
    delay: float = 0.0
    content_type: str = "text/plain"
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with endpoint._lock:
                    endpoint.requests.append(
                        Request("POST", self.path, dict(self.headers), body, time.monotonic())
                    )
                    index = min(len(endpoint.requests), len(endpoint.replies)) - 1
                    status, text = endpoint.replies[index]
                if endpoint.delay:
                    time.sleep(endpoint.delay)
                data = text.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", endpoint.content_type)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up waiting

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/callback"

    def __enter__(self) -> "Endpoint":
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (the port was just released)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/callback"
