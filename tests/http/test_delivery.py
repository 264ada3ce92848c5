"""delivery.py: one POST, the platform's retry pattern, network failures as one line."""

import pytest

from ecp_cli.errors import NetworkError
from ecp_cli.exit_codes import ExitStatus
from ecp_cli.http.delivery import (
    MAX_ATTEMPTS,
    deliver,
    post,
    retry_delays,
)
from tests.http_endpoint import Endpoint, closed_port_url

BODY = b'{"payment":{"id":"p1"}}'


def test_post_sends_json_and_reports_the_reply():
    with Endpoint([(202, "accepted, thanks\n  see you")]) as endpoint:
        reply = post(endpoint.url, BODY)
    request = endpoint.requests[0]
    assert request.body == BODY
    assert request.headers["Content-Type"] == "application/json"
    assert request.path == "/callback"
    assert reply.status == 202
    assert reply.ok and not reply.accepted_by_platform_rules
    assert reply.body_start == "accepted, thanks see you"
    assert 0 < reply.elapsed < 5


def test_post_keeps_a_given_content_type():
    with Endpoint() as endpoint:
        post(endpoint.url, BODY, content_type="application/json; charset=utf-8")
    assert endpoint.requests[0].headers["Content-Type"] == "application/json; charset=utf-8"


def test_unreachable_endpoint_is_a_network_error_in_one_line():
    url = closed_port_url()
    with pytest.raises(NetworkError) as caught:
        post(url, BODY)
    assert caught.value.message == f"{url}: connection refused"
    assert caught.value.status is ExitStatus.NETWORK_ERROR


def test_slow_endpoint_times_out():
    with Endpoint(delay=1.0) as endpoint, pytest.raises(NetworkError) as caught:
        post(endpoint.url, BODY, timeout=0.1)
    assert caught.value.message == f"{endpoint.url}: no answer in time"


def test_without_retry_one_attempt_whatever_the_answer():
    with Endpoint([(500, "boom")]) as endpoint:
        replies = deliver(endpoint.url, BODY)
    assert [r.status for r in replies] == [500]
    assert len(endpoint.requests) == 1


def test_retry_until_200_against_an_endpoint_that_fails_twice():
    seen = []
    with Endpoint([(500, "down"), (503, "still down"), (200, "ok")]) as endpoint:
        replies = deliver(
            endpoint.url, BODY, retry=True, retry_scale=0.001,
            on_reply=lambda reply, wait: seen.append((reply.status, wait)),
        )  # fmt: skip
    assert [r.status for r in replies] == [500, 503, 200]
    assert [r.attempt for r in replies] == [1, 2, 3]
    assert seen == [(500, pytest.approx(0.01)), (503, pytest.approx(0.01)), (200, None)]
    assert [r.body for r in endpoint.requests] == [BODY] * 3  # the same body every time
    gaps = [b.at - a.at for a, b in zip(endpoint.requests, endpoint.requests[1:], strict=False)]
    assert all(gap >= 0.009 for gap in gaps)  # 10 s scaled by 0.001


def test_retry_goes_on_after_a_2xx_that_is_not_200():
    # The platform redelivers anything but 200, so a 204 is not good enough.
    with Endpoint([(204, ""), (200, "ok")]) as endpoint:
        replies = deliver(endpoint.url, BODY, retry=True, retry_scale=0.0)
    assert [r.status for r in replies] == [204, 200]


def test_retry_stops_at_max_attempts():
    with Endpoint([(500, "down")]) as endpoint:
        replies = deliver(endpoint.url, BODY, retry=True, retry_scale=0.0, max_attempts=4)
    assert [r.status for r in replies] == [500] * 4
    assert len(endpoint.requests) == 4


def test_retry_counts_unreachable_attempts_and_keeps_the_error():
    url = closed_port_url()
    replies = deliver(url, BODY, retry=True, retry_scale=0.0, max_attempts=3)
    assert [r.status for r in replies] == [None, None, None]
    assert replies[-1].error == f"{url}: connection refused"


def test_retry_schedule_follows_the_platform_pattern():
    delays = list(retry_delays())
    assert delays[:5] == [10.0] * 5  # six tries 10 s apart
    assert delays[5:9] == [20.0, 40.0, 80.0, 160.0]  # then growing
    assert max(delays) == 4 * 3600  # up to every 4 hours
    assert delays[-1] == 4 * 3600
    assert len(delays) + 1 <= MAX_ATTEMPTS  # at most 120 attempts
    assert sum(delays) <= 11 * 24 * 3600  # within 11 days
    assert list(retry_delays(3)) == [10.0, 10.0]


def test_retry_waits_are_scaled():
    waits = []
    with Endpoint([(500, "")]) as endpoint:
        deliver(
            endpoint.url, BODY, retry=True, retry_scale=0.5, max_attempts=8,
            sleep=waits.append,
        )  # fmt: skip
    assert waits == [5.0, 5.0, 5.0, 5.0, 5.0, 10.0, 20.0]
