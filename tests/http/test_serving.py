"""ecp_cli.http.serving on its own: a tiny ASGI app served within limits; signals are
handled from start() on, before the address is announced; stop() from another thread."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from ecp_cli.errors import NetworkError
from ecp_cli.http.serving import AsgiServer, BodyTooLarge, ServerLimits, read_body, send_response

ROOT = Path(__file__).resolve().parents[2]


async def echo(scope, receive, send):
    try:
        body = await read_body(scope, receive, 10)
    except BodyTooLarge as error:
        await send_response(send, 413, f"{error.size}".encode(), close=True)
        return
    await send_response(send, 200, body or scope["method"].encode(), "text/plain")


@pytest.fixture
def server():
    running = AsgiServer(echo, limits=ServerLimits(grace=1)).start(handle_signals=False)
    running.serve_in_thread()
    yield running
    running.stop()


def test_serves_an_asgi_app_on_loopback(server):
    assert server.url == f"http://127.0.0.1:{server.port}/"
    assert httpx.post(server.url, content=b"hello").text == "hello"
    assert httpx.get(server.url).text == "GET"


def test_read_body_stops_at_the_limit(server):
    reply = httpx.post(server.url, content=b"x" * 11)
    assert reply.status_code == 413
    assert reply.headers["connection"] == "close"


def test_stop_returns_and_the_port_is_released(server):
    server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url, timeout=1)


def test_binding_a_taken_port_is_a_network_error(server):
    with pytest.raises(NetworkError) as caught:
        AsgiServer(echo, port=server.port).start(handle_signals=False)
    assert caught.value.message.endswith("address already in use")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_right_after_start_stops_serving_cleanly(signum):
    """The handlers are in place when start() returns: a signal that arrives before
    serve_forever() (while the address is being announced) is a clean stop, not a
    KeyboardInterrupt or a kill."""
    script = textwrap.dedent(
        f"""
        import os, signal
        from tests.http.test_serving import echo
        from ecp_cli.http.serving import AsgiServer
        server = AsgiServer(echo).start()
        print(server.url, flush=True)
        os.kill(os.getpid(), {int(signum)})
        server.serve_forever()
        print("stopped by", server.signal_received, flush=True)
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[1] == f"stopped by {int(signum)}"
    assert run.stderr == ""


def test_a_signal_while_serving_stops_within_the_grace(tmp_path):
    script = textwrap.dedent(
        """
        from tests.http.test_serving import echo
        from ecp_cli.http.serving import AsgiServer
        server = AsgiServer(echo).start()
        print(server.url, flush=True)
        server.serve_forever()
        print("stopped", flush=True)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )
    url = process.stdout.readline().strip()
    assert httpx.post(url, content=b"ok").text == "ok"
    started = time.monotonic()
    os.kill(process.pid, signal.SIGTERM)
    out, err = process.communicate(timeout=20)
    assert time.monotonic() - started < 3
    assert (process.returncode, out, err) == (0, "stopped\n", "")


def test_several_event_loops_share_one_port():
    server = AsgiServer(echo, limits=ServerLimits(grace=1), loops=2).start(handle_signals=False)
    server.serve_in_thread()
    try:
        with httpx.Client() as client:
            assert [client.post(server.url, content=b"%d" % n).text for n in range(6)] == [
                str(n) for n in range(6)
            ]
    finally:
        server.stop()
