"""listen/server.py against real HTTP on 127.0.0.1: every scenario stored with its verdict,
replies, forwarding to a real endpoint, retries, oversized and malformed bodies, and a
killed listener that loses nothing it acknowledged."""

import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from ecp_cli.callbacks.overrides import Overrides
from ecp_cli.callbacks.scenarios import build, dumps, sign_callback
from ecp_cli.defaults import SCENARIO_NAMES
from ecp_cli.errors import NetworkError
from ecp_cli.http.delivery import deliver, post
from ecp_cli.listen.server import HEALTH_TEXT, Listener
from ecp_cli.listen.store import Store, summarize
from tests.http_endpoint import Endpoint, closed_port_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def listen(tmp_path):
    """Start a listener in a thread: ``listen(**options)``; stopped after the test."""
    running = []

    def start(**options):
        store = Store(tmp_path / "events.sqlite3")
        received = []
        options.setdefault("port", 0)
        listener = Listener(
            store=store, secret="secret", on_received=received.append, **options
        ).start()
        listener.serve_in_thread()
        listener.received = received
        running.append((listener, store))
        return listener

    yield start
    for listener, store in running:
        listener.stop()
        store.close()


def signed(name="success", secret="secret", payment_id=None) -> bytes:
    body = build(name, 112, Overrides(payment_id=payment_id), rng=random.Random(3))[0]
    return dumps(sign_callback(body, secret))


def wait_for(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def test_listens_on_loopback_and_reports_its_url(listen):
    listener = listen()
    assert listener.host == "127.0.0.1"
    assert listener.port > 0
    assert listener.url == f"http://127.0.0.1:{listener.port}/"


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_every_scenario_is_stored_valid_with_its_facts(listen, name):
    listener = listen()
    body = signed(name)
    reply = post(listener.url + "ecommpay/callback?x=1", body)
    assert reply.status == 200
    event = listener.store.get(1)
    assert json.loads(reply.body_start) == {"stored": 1, "verdict": "valid"}
    assert listener.store.count() == 1
    assert event.verdict == "valid"
    assert event.body == body  # the raw bytes, exactly
    assert event.path == "/ecommpay/callback?x=1"
    assert event.method == "POST"
    assert event.reply_status == 200
    assert event.content_type == "application/json"
    assert event.summary == summarize(json.loads(body))
    assert ("Content-Type", "application/json") in event.headers
    assert event.client.startswith("127.0.0.1:")
    # The one-line report comes after the answer: give it a moment.
    assert wait_for(lambda: [r.event.id for r in listener.received] == [1])


def test_wrong_secret_and_unsigned_are_stored_and_still_answered_200(listen):
    listener = listen()
    assert post(listener.url, signed(secret="other")).status == 200
    assert post(listener.url, b'{"payment": {"id": "p"}}').status == 200
    verdicts = [e.verdict for e in listener.store.list()]
    assert verdicts == ["unsigned", "invalid"]


def test_reply_code_is_given_and_stored(listen):
    listener = listen(reply_status=500)
    reply = post(listener.url, signed())
    assert reply.status == 500
    assert listener.store.get(1).reply_status == 500


def test_fail_rate_is_random_but_seedable(listen):
    def statuses(seed):
        listener = listen(fail_rate=0.5, seed=seed)
        return [post(listener.url, signed()).status for _ in range(12)]

    first = statuses(7)
    assert set(first) == {200, 500}
    assert statuses(7) == first
    always = listen(fail_rate=1.0)
    assert post(always.url, signed()).status == 500


def test_retries_against_a_listener_that_fails_twice(listen):
    with Endpoint([(500, "db down"), (500, "db down"), (200, "ok")]) as endpoint:
        listener = listen(forward_to=endpoint.url)
        replies = deliver(listener.url, signed(), retry=True, retry_scale=0.001)
    assert [r.status for r in replies] == [500, 500, 200]
    events = sorted(listener.store.list(), key=lambda e: e.id)
    assert [e.reply_status for e in events] == [500, 500, 200]
    assert len({e.body for e in events}) == 1


def test_forwarding_passes_the_exact_body_and_content_type_and_the_answer(listen):
    with Endpoint([(201, "created by your app")], content_type="text/x-mine") as endpoint:
        listener = listen(forward_to=endpoint.url)
        body = signed("decline")
        response = httpx.post(
            listener.url + "any/path",
            content=body,
            headers={"Content-Type": "application/json; charset=UTF-8"},
        )
    forwarded = endpoint.requests[0]
    assert forwarded.body == body
    assert forwarded.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert response.status_code == 201
    assert response.text == "created by your app"
    assert response.headers["content-type"] == "text/x-mine"
    event = listener.store.get(1)
    assert event.forward_status == 201
    assert event.reply_status == 201
    assert event.forward_body_start == "created by your app"
    assert 0 < event.forward_time < 5
    assert event.verdict == "valid"


def test_forwarding_to_nothing_answers_502_and_records_why(listen):
    url = closed_port_url()
    listener = listen(forward_to=url)
    reply = post(listener.url, signed())
    assert reply.status == 502
    event = listener.store.get(1)
    assert event.reply_status == 502
    assert event.forward_status is None
    assert event.error == f"forward to {url} failed: connection refused"
    assert event.verdict == "valid"


def test_forwarding_to_a_slow_endpoint_answers_504(listen):
    with Endpoint(delay=1.0) as endpoint:
        listener = listen(forward_to=endpoint.url, forward_timeout=0.1)
        assert post(listener.url, signed()).status == 504
    assert listener.store.get(1).error.endswith("no answer in time")


def test_forwarding_back_to_itself_is_stopped_as_a_loop(listen):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    listener = listen(port=port, forward_to=f"http://127.0.0.1:{port}/")
    reply = post(listener.url, signed(), timeout=5)
    assert reply.status == 508
    inner, outer = listener.store.get(1), listener.store.get(2)
    assert inner.error == "forwarding loop: --forward-to leads back to this listener"
    assert inner.reply_status == 508
    assert (outer.forward_status, outer.reply_status) == (508, 508)
    assert listener.store.count() == 2  # one round, not an endless chain


def test_a_chain_of_two_listeners_is_not_a_loop(listen, tmp_path):
    with Store(tmp_path / "second.sqlite3") as second_store:
        second = Listener(store=second_store, secret="secret", port=0).start()
        second.serve_in_thread()
        try:
            first = listen(forward_to=second.url)
            assert post(first.url, signed()).status == 200
            assert second_store.get(1).verdict == "valid"
        finally:
            second.stop()


def test_ipv6_loopback(listen):
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        listener = listen(host="::1")
    except NetworkError as error:
        pytest.skip(f"no IPv6 loopback: {error.message}")
    assert listener.url == f"http://[::1]:{listener.port}/"
    assert post(listener.url, signed()).status == 200


def test_two_listeners_share_one_store_file(tmp_path):
    path = tmp_path / "shared.sqlite3"
    stores = [Store(path), Store(path)]
    listeners = [Listener(store=s, secret="secret", port=0).start() for s in stores]
    for listener in listeners:
        listener.serve_in_thread()
    sent: list[str] = []

    def send(listener: Listener, prefix: str) -> None:
        with httpx.Client() as client:
            for n in range(40):
                payment_id = f"{prefix}-{n}"
                client.post(listener.url, content=signed(payment_id=payment_id))
                sent.append(payment_id)

    threads = [
        threading.Thread(target=send, args=(listener, name))
        for listener, name in zip(listeners, ("a", "b"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for listener, store in zip(listeners, stores, strict=True):
        listener.stop()
        store.close()
    with Store(path) as reopened:
        stored = sorted(e.summary.payment_id for e in reopened.list(limit=1000))
    assert stored == sorted(sent)
    assert len(stored) == 80


def test_oversized_body_is_413_and_stored_without_its_body(listen):
    listener = listen(max_body=1000)
    exactly = b'{"pad": "' + b"x" * (1000 - 11) + b'"}'
    assert len(exactly) == 1000
    too_big = b'{"pad": "' + b"x" * 5000 + b'"}'
    with httpx.Client() as client:  # one kept-alive connection for all three
        assert client.post(listener.url, content=exactly).status_code == 200  # at the limit
        reply = client.post(listener.url + "big", content=too_big)
        # The connection is still usable: the big body was read and thrown away.
        assert client.post(listener.url, content=b'{"a": 1}').status_code == 200
    assert reply.status_code == 413
    event = listener.store.get(2)
    assert event.verdict == "rejected"
    assert event.body is None
    assert event.body_size == len(too_big)
    assert event.reply_status == 413
    assert event.error == f"body of {len(too_big)} bytes is over the 1000-byte limit"
    assert ("Content-Length", str(len(too_big))) in event.headers
    assert listener.store.count() == 3


def test_a_huge_body_is_cut_off_not_read(listen):
    listener = listen(max_body=100)
    connection = http.client.HTTPConnection("127.0.0.1", listener.port, timeout=5)
    connection.putrequest("POST", "/")
    connection.putheader("Content-Length", str(10**9))
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 413
    assert response.getheader("Connection") == "close"
    assert listener.store.get(1).body_size == 10**9


@pytest.mark.parametrize(
    "body, problem",
    [
        (b"not json", "not valid JSON: Expecting value (line 1, column 1)"),
        (b"[1, 2]", "expected a JSON object, got a list"),
        (b'"text"', "expected a JSON object, got a string"),
        (b"\xff\xfe{}", "not UTF-8 text (byte 0)"),
        (b"", "empty body"),
        (b'{"a": NaN}', "NaN is not valid JSON"),
    ],
)
def test_malformed_bodies_are_400_and_stored_as_rejected(listen, body, problem):
    listener = listen()
    reply = post(listener.url + "cb", body)
    assert reply.status == 400
    assert json.loads(reply.body_start) == {"stored": 1, "error": problem}
    event = listener.store.get(1)
    assert event.verdict == "rejected"
    assert event.body == body
    assert event.error == problem
    assert event.reply_status == 400


def test_missing_content_length_is_411(listen):
    listener = listen()
    with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as raw:
        raw.sendall(b"POST /cb HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\r\n")
        answer = raw.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 411 ")
    assert listener.store.get(1).error == "no Content-Length header"


def test_chunked_bodies_are_read(listen):
    listener = listen()
    body = signed()

    def chunks():
        yield body[:10]
        yield body[10:]

    response = httpx.post(listener.url, content=chunks())
    assert response.status_code == 200
    assert listener.store.get(1).body == body


def test_get_on_any_path_is_a_health_text_and_not_stored(listen):
    listener = listen()
    response = httpx.get(listener.url + "some/where")
    assert response.status_code == 200
    assert response.content == HEALTH_TEXT
    assert listener.store.count() == 0


def test_other_methods_are_405_and_stored(listen):
    listener = listen()
    assert httpx.put(listener.url, content=b"{}").status_code == 405
    event = listener.store.get(1)
    assert (event.method, event.verdict, event.reply_status) == ("PUT", "rejected", 405)


def test_keep_alive_connections_carry_many_callbacks(listen):
    listener = listen()
    connection = http.client.HTTPConnection("127.0.0.1", listener.port, timeout=5)
    for _ in range(5):
        connection.request("POST", "/", body=signed(), headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        assert response.status == 200
    connection.close()
    assert listener.store.count() == 5


def test_a_request_that_cannot_be_stored_is_not_acknowledged(listen):
    listener = listen()
    problems = []
    listener.on_problem = problems.append
    listener.store.close()
    reply = post(listener.url, signed())
    assert reply.status == 503
    assert listener.received == []
    assert problems == []  # a closed store (shutting down) is not an error to report


def test_port_in_use_is_a_network_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with Store(tmp_path / "e.db") as store, pytest.raises(NetworkError) as caught:
            Listener(store=store, secret="s", port=port).start()
    assert caught.value.message == f"cannot listen on 127.0.0.1:{port}: address already in use"


def test_stop_without_serving_returns(tmp_path):
    with Store(tmp_path / "e.db") as store:
        listener = Listener(store=store, secret="s", port=0).start()
        stopper = threading.Thread(target=listener.stop)
        stopper.start()
        stopper.join(5)
        assert not stopper.is_alive()


def test_stop_lets_requests_in_progress_finish(listen):
    with Endpoint(delay=0.3) as endpoint:
        listener = listen(forward_to=endpoint.url)
        result = {}
        sender = threading.Thread(
            target=lambda: result.setdefault("reply", post(listener.url, signed()))
        )
        sender.start()
        assert wait_for(lambda: endpoint.requests)  # the request now waits for the endpoint
        listener.stop()
        sender.join(5)
    assert result["reply"].status == 200
    assert listener.store.count() == 1


# --- a killed listener loses nothing it acknowledged ------------------------------------


def start_listener_process(store: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ECP_SECRET": "secret",
        "ECP_PROJECT_ID": "112",
        "NO_COLOR": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "ecp_cli", "listen", "--port", "0", "--store", str(store), *extra],
        env=env,
        stdout=subprocess.DEVNULL,  # one line per callback: nobody reads them here
        stderr=subprocess.PIPE,
        text=True,
    )
    first = process.stderr.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+/", first)
    assert found, first
    return process, found.group(0)


def test_killed_listener_loses_nothing_it_acknowledged(tmp_path):
    store_path = tmp_path / "events.sqlite3"
    process, url = start_listener_process(store_path)
    acknowledged: list[tuple[int, str]] = []  # (stored id, payment id)
    lock = threading.Lock()
    enough = threading.Event()

    def sender(worker: int) -> None:
        with httpx.Client(timeout=5) as client:
            for n in range(200):
                payment_id = f"w{worker}-{n}"
                body = signed(payment_id=payment_id)
                try:
                    response = client.post(url, content=body)
                except httpx.HTTPError:
                    return  # the listener is gone
                if 200 <= response.status_code < 300:
                    with lock:
                        acknowledged.append((response.json()["stored"], payment_id))
                        if len(acknowledged) >= 150:
                            enough.set()

    threads = [threading.Thread(target=sender, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    assert enough.wait(30)
    process.send_signal(signal.SIGKILL)  # mid-stream: no chance to clean up
    process.wait(10)
    for thread in threads:
        thread.join(10)
    process.stderr.close()
    assert len(acknowledged) >= 150
    with Store(store_path) as store:
        stored = {e.id: e.summary.payment_id for e in store.list(limit=10_000)}
    missing = [(i, p) for i, p in acknowledged if stored.get(i) != p]
    assert missing == []
