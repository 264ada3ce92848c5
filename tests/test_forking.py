"""forking.py: results in order, from this process and forked children."""

import os

import pytest

from ecp_cli.forking import ChildFailed, _slices, map_in_processes


def test_slices_cover_the_range_evenly():
    assert _slices(0, 10, 3) == [(0, 4), (4, 7), (7, 10)]
    assert _slices(5, 7, 4) == [(5, 6), (6, 7)]


def test_results_come_back_in_order_and_children_did_part_of_the_work():
    parent = os.getpid()

    def work(start, stop):
        return [(index, os.getpid() != parent) for index in range(start, stop)]

    results = [item for batch in map_in_processes(work, 1000, 3, 300) for item in batch]
    assert [index for index, _ in results] == list(range(1000))
    in_children = sum(1 for _, child in results if child)
    assert 0 < in_children < 1000


def test_a_failing_child_is_reported_not_hidden():
    parent = os.getpid()

    def work(start, stop):
        if os.getpid() != parent:
            raise ValueError("bad line")
        return list(range(start, stop))

    with pytest.raises(ChildFailed, match="ValueError: bad line"):
        list(map_in_processes(work, 10, 2, 10))


def test_stopping_early_leaves_no_child_behind(monkeypatch):
    forked = []
    real_fork = os.fork

    def recording_fork():
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording_fork)
    batches = map_in_processes(lambda a, b: list(range(a, b)), 100, 4, 100)
    assert next(batches) == list(range(0, 25))
    batches.close()
    assert len(forked) == 3
    for pid in forked:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left
