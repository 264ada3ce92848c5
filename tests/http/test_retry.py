"""http/retry.py: the one retry loop, and the Gate calls' backoff."""

import random

from ecp_cli.http.retry import exponential_backoff, run


def test_stops_at_the_first_outcome_not_worth_retrying():
    outcomes = iter([500, 503, 200, 500])
    waits = []
    assert run(lambda: next(outcomes), [1.0, 2.0, 3.0], again=lambda s: s >= 500,
               sleep=waits.append) == (200, 3)  # fmt: skip
    assert waits == [1.0, 2.0]


def test_stops_when_the_waits_run_out():
    waits, seen = [], []
    outcome = run(lambda: 500, [0.1], again=lambda s: True, sleep=waits.append,
                  after=lambda o, n, w: seen.append((o, n, w)))  # fmt: skip
    assert outcome == (500, 2)
    assert waits == [0.1]
    assert seen == [(500, 1, 0.1), (500, 2, None)]


def test_no_waits_means_one_attempt():
    assert run(lambda: "x", [], again=lambda o: True, sleep=None) == ("x", 1)


def test_backoff_doubles_up_to_the_cap_with_a_jitter_of_half_the_first_wait():
    random.seed(1)
    waits = list(exponential_backoff(0.5, 6, 4.0))
    assert len(waits) == 6
    for wait, base in zip(waits, [0.5, 1.0, 2.0, 4.0, 4.0, 4.0], strict=True):
        assert base <= wait <= base + 0.25
    assert list(exponential_backoff(0.5, 0, 4.0)) == []
