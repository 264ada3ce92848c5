"""The one retry loop behind every HTTP exchange ecp repeats: the Gate calls (a short
exponential backoff) and callback delivery (the platform's own redelivery schedule).

A caller gives three things: the attempt itself, returning an outcome (an answer, or the
error it met, returned rather than raised); the waits before each further attempt, as a
finite sequence; and which outcomes are worth another try. The loop stops at the first
outcome not worth retrying, or when the waits run out.
"""

import random
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Outcome = TypeVar("Outcome")


def run(
    attempt: Callable[[], Outcome],
    waits: Iterable[float],
    *,
    again: Callable[[Outcome], bool],
    sleep: Callable[[float], None] = time.sleep,
    after: Callable[[Outcome, int, float | None], None] | None = None,
) -> tuple[Outcome, int]:
    """Call ``attempt`` until ``again(outcome)`` is false or ``waits`` is exhausted.

    ``after(outcome, number, next_wait)`` is told of each attempt (``next_wait`` None for
    the last). Returns the last outcome and the number of attempts made."""
    pending = iter(waits)
    number = 0
    while True:
        number += 1
        outcome = attempt()
        wait = next(pending, None) if again(outcome) else None
        if after is not None:
            after(outcome, number, wait)
        if wait is None:
            return outcome, number
        sleep(wait)


def exponential_backoff(first: float, retries: int, longest: float) -> Iterator[float]:
    """``retries`` waits: ``first`` doubled each time up to ``longest``, each plus a random
    jitter of up to half of ``first`` (so that many clients do not retry in step)."""
    for index in range(retries):
        yield min(first * 2**index, longest) + random.uniform(0, first / 2)
