"""forking.py: workers forked once, results in task order, failures reported."""

import os

import pytest

from ecp_cli.forking import ChildFailed, ordered_map


def test_results_come_back_in_order_from_workers_forked_once():
    parent = os.getpid()
    results = list(ordered_map(lambda task: (task, os.getpid()), range(200), 3))
    assert [task for task, _ in results] == list(range(200))
    workers = {pid for _, pid in results}
    assert parent not in workers
    assert len(workers) == 3  # the same three processes did all 200 tasks


def test_a_failing_worker_is_reported_not_hidden():
    def work(task):
        if task == 7:
            raise ValueError("bad line")
        return task

    with pytest.raises(ChildFailed, match="ValueError: bad line"):
        list(ordered_map(work, range(20), 2))


def test_a_worker_that_dies_is_reported():
    def work(task):
        if task == 3:
            os._exit(9)
        return task

    with pytest.raises(ChildFailed, match="exited without an answer"):
        list(ordered_map(work, range(10), 2))


def test_stopping_early_leaves_no_child_behind(monkeypatch):
    forked = []
    real_fork = os.fork

    def recording_fork():
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording_fork)
    results = ordered_map(lambda task: [task] * 10_000, range(100), 4)
    assert next(results) == [0] * 10_000
    results.close()
    assert len(forked) == 4
    for pid in forked:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left


def test_no_tasks_no_results():
    assert list(ordered_map(lambda task: task, [], 2)) == []


def test_idle_work_is_done_while_waiting_and_stops_when_it_says_so():
    calls = []

    def idle() -> bool:
        calls.append(os.getpid())
        return len(calls) < 5

    def slow(task):
        import time

        time.sleep(0.01)  # this process waits: idle has time to run
        return task * 2

    assert list(ordered_map(slow, range(30), 2, idle=idle)) == [task * 2 for task in range(30)]
    assert calls == [os.getpid()] * 5  # in this process, and no more once it said False


def test_a_slow_worker_does_not_hold_the_others_up():
    # Answers are taken from whichever worker has one: while the first task takes long,
    # the other worker goes on (within the window), and results still come in order.
    import time

    def work(task):
        time.sleep(1.0 if task == 0 else 0.01)
        return task, time.monotonic()

    results = list(ordered_map(work, range(40), 2))
    assert [task for task, _ in results] == list(range(40))
    first_done = results[0][1]
    done_meanwhile = [task for task, finished in results[1:] if finished < first_done]
    assert len(done_meanwhile) >= 10  # waiting in task order, it would be 2 (TASKS_AHEAD)
