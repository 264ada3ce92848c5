"""Delivering a callback body to an endpoint the way the platform does: HTTP POST of JSON,
and, when asked, the platform's redelivery pattern until the endpoint answers 200.

The platform's pattern (docs/spec/platform.md): six tries 10 seconds apart, then growing
intervals up to one every 4 hours, at most 120 attempts within 11 days. The documentation
does not give the growing intervals exactly; ecp doubles them from 20 seconds up to the
4-hour cap, which keeps both documented bounds. ``retry_scale`` shrinks the waits for tests
(0.001 turns 10 seconds into 10 milliseconds).

httpx is imported inside the functions that use it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ecp_cli.defaults import DELIVERY_MAX_ATTEMPTS as MAX_ATTEMPTS
from ecp_cli.defaults import DELIVERY_TIMEOUT
from ecp_cli.errors import NetworkError
from ecp_cli.http import retry as retry_policy
from ecp_cli.http.excerpt import excerpt
from ecp_cli.redaction import redact_url

FIRST_TRIES = 6  # 10 seconds apart
FIRST_INTERVAL = 10.0
LONGEST_INTERVAL = 4 * 3600.0
MAX_SPAN = 11 * 24 * 3600.0


@dataclass
class Reply:
    """What the endpoint answered to one attempt. ``status`` is None when there was no
    answer at all (``error`` says why)."""

    status: int | None
    elapsed: float  # seconds
    body_start: str = ""
    error: str | None = None
    attempt: int = 1
    waited: float = 0.0  # seconds slept before this attempt

    @property
    def ok(self) -> bool:
        """A 2xx answer."""
        return self.status is not None and 200 <= self.status < 300

    @property
    def accepted_by_platform_rules(self) -> bool:
        """Only 200 stops the platform's redelivery."""
        return self.status == 200

    def public(self) -> dict:
        return {
            "attempt": self.attempt,
            "status": self.status,
            "elapsed_ms": round(self.elapsed * 1000, 1),
            "body_start": self.body_start,
            "error": self.error,
            "waited_s": round(self.waited, 3),
        }


def describe_failure(error: Exception) -> str:
    """One readable line for an httpx failure."""
    import httpx

    if isinstance(error, httpx.TimeoutException):
        return "no answer in time"
    cause: BaseException | None = error
    while cause is not None:  # the OS error at the bottom says it best
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror.lower()
        cause = cause.__cause__ or cause.__context__
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def post(
    url: str,
    body: bytes,
    *,
    content_type: str = "application/json",
    timeout: float = DELIVERY_TIMEOUT,
    client=None,
) -> Reply:
    """POST ``body`` once. Raises NetworkError (exit 3) when the endpoint cannot be
    reached or does not answer in time; any HTTP answer is a Reply."""
    import httpx

    from ecp_cli.http.client import make_client

    headers = {"Content-Type": content_type}
    started = time.perf_counter()
    try:
        if client is not None:
            response = client.post(url, content=body, headers=headers, timeout=timeout)
        else:
            with make_client(timeout=timeout) as own:
                response = own.post(url, content=body, headers=headers)
    except httpx.HTTPError as error:
        raise NetworkError(f"{redact_url(url)}: {describe_failure(error)}") from None
    elapsed = time.perf_counter() - started
    return Reply(response.status_code, elapsed, excerpt(response.text))


def retry_delays(max_attempts: int = MAX_ATTEMPTS) -> Iterator[float]:
    """Seconds to wait before attempts 2, 3, ... (unscaled), at most ``max_attempts`` - 1
    of them and never past 11 days after the first attempt."""
    waited = 0.0
    interval = 2 * FIRST_INTERVAL
    for attempt in range(2, min(max_attempts, MAX_ATTEMPTS) + 1):
        if attempt <= FIRST_TRIES:
            delay = FIRST_INTERVAL
        else:
            delay = interval
            interval = min(interval * 2, LONGEST_INTERVAL)
        if waited + delay > MAX_SPAN:
            return
        waited += delay
        yield delay


def deliver(
    url: str,
    body: bytes,
    *,
    content_type: str = "application/json",
    retry: bool = False,
    retry_scale: float = 1.0,
    max_attempts: int = MAX_ATTEMPTS,
    timeout: float = DELIVERY_TIMEOUT,
    on_reply: Callable[[Reply, float | None], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    client=None,
) -> list[Reply]:
    """Deliver ``body``; with ``retry``, again on the platform's schedule until the endpoint
    answers 200 or the attempts run out. Returns every attempt's Reply.

    Without ``retry``, an unreachable endpoint raises NetworkError. With it, that counts as
    a failed attempt (the platform retries those too) and the last Reply carries the error.
    ``on_reply(reply, next_wait)`` is called after each attempt (next_wait None at the end).
    ``client``: an httpx.Client to reuse (connections kept alive between deliveries).
    """
    if client is None:
        from ecp_cli.http.client import make_client

        with make_client(timeout=timeout) as own:
            return deliver(
                url, body, content_type=content_type, retry=retry, retry_scale=retry_scale,
                max_attempts=max_attempts, timeout=timeout, on_reply=on_reply, sleep=sleep,
                client=own,
            )  # fmt: skip
    if not retry:
        reply = post(url, body, content_type=content_type, timeout=timeout, client=client)
        if on_reply:
            on_reply(reply, None)
        return [reply]
    replies: list[Reply] = []
    waits = (delay * retry_scale for delay in retry_delays(max_attempts))

    def attempt() -> Reply:
        started = time.perf_counter()
        try:
            return post(url, body, content_type=content_type, timeout=timeout, client=client)
        except NetworkError as error:  # the platform retries an unreachable endpoint too
            return Reply(None, time.perf_counter() - started, error=error.message)

    waited = 0.0  # before the attempt being reported

    def after(reply: Reply, number: int, next_wait: float | None) -> None:
        nonlocal waited
        reply.attempt, reply.waited = number, waited
        waited = next_wait or 0.0
        replies.append(reply)
        if on_reply:
            on_reply(reply, next_wait)

    retry_policy.run(
        attempt, waits, again=lambda reply: not reply.accepted_by_platform_rules,
        sleep=sleep, after=after,
    )  # fmt: skip
    return replies
