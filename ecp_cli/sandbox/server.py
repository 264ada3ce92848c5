"""Running the sandbox's ASGI app on uvicorn, bound to a socket of its own (127.0.0.1 by
default), in the foreground (``ecp sandbox``) or on a thread (tests, benchmarks).

uvicorn is imported when a server starts, never when this module is imported.
"""

from __future__ import annotations

import socket
import threading
import time

from ecp_cli.errors import InputError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8766
IDLE_TIMEOUT = 30  # seconds a kept-alive connection may stay silent
MAX_CONNECTIONS = 256


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class SandboxServer:
    """uvicorn serving ``app`` on an already bound socket."""

    def __init__(self, app, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT):
        import uvicorn

        self.socket = bind(host, port)
        self.host, self.port = self.socket.getsockname()[:2]
        config = uvicorn.Config(
            app, lifespan="off", log_level="warning", access_log=False,
            timeout_keep_alive=IDLE_TIMEOUT, limit_concurrency=MAX_CONNECTIONS,
            server_header=False, proxy_headers=False, http="h11",
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        """Serve in this thread until Ctrl-C or SIGTERM (uvicorn handles both)."""
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self.socket.close()

    def start(self) -> SandboxServer:
        """Serve on a background thread; returns once requests are answered."""
        self._thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True,
            name="ecp-sandbox",
        )  # fmt: skip
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            if not self._thread.is_alive():
                raise InputError("the sandbox server stopped while starting")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.socket.close()
