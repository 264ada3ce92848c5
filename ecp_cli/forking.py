"""Spread a CPU-bound loop over the machine's cores with plain ``os.fork``.

``ecp verify --jsonl`` over a large log is pure Python work per line. multiprocessing's
pool costs more to import and start (~30 ms) than it saves on a few thousand lines, so
this does the minimum: per round of lines, fork a child for each slice but the first,
compute the first slice in this process, and read each child's pickled results from a
pipe, in order. Children inherit everything they need (the lines, the secret) through the
fork: nothing but their results is ever serialised.
"""

import os
import pickle
from collections.abc import Callable, Iterator

# A child's answer: (True, results) or (False, "ExceptionType: message").
_OK, _FAILED = True, False


class ChildFailed(RuntimeError):
    """A worker process died or raised; the parent reports it instead of guessing."""


def _slices(start: int, stop: int, parts: int) -> list[tuple[int, int]]:
    size, extra = divmod(stop - start, parts)
    bounds, begin = [], start
    for index in range(parts):
        end = begin + size + (1 if index < extra else 0)
        bounds.append((begin, end))
        begin = end
    return [(a, b) for a, b in bounds if a < b]


def _run_child(work: Callable[[int, int], list], bounds: tuple[int, int], write_fd: int) -> None:
    """In the child: compute, send, and leave without running the parent's cleanup."""
    status = 0
    payload: tuple[bool, object]
    try:
        try:
            payload = (_OK, work(*bounds))
        except BaseException as error:  # report everything; the parent decides
            payload = (_FAILED, f"{type(error).__name__}: {error}")
            status = 1
        with os.fdopen(write_fd, "wb") as pipe:
            pickle.dump(payload, pipe, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(status)  # never return into the parent's code, never flush its buffers


def _collect(pid: int, read_fd: int) -> list:
    with os.fdopen(read_fd, "rb") as pipe:
        try:
            ok, payload = pickle.load(pipe)
        except EOFError:
            ok, payload = _FAILED, "the worker exited without an answer"
    os.waitpid(pid, 0)
    if not ok:
        raise ChildFailed(payload)
    return payload


def map_in_processes(
    work: Callable[[int, int], list], count: int, workers: int, round_size: int
) -> Iterator[list]:
    """Yield ``work(start, stop)`` results covering range(count), in order, computed by
    ``workers`` processes (this one included), ``round_size`` items per round."""
    for round_start in range(0, count, round_size):
        round_stop = min(round_start + round_size, count)
        first, *others = _slices(round_start, round_stop, workers)
        children = []
        try:
            for bounds in others:
                read_fd, write_fd = os.pipe()
                pid = os.fork()
                if pid == 0:
                    os.close(read_fd)
                    _run_child(work, bounds, write_fd)
                os.close(write_fd)
                children.append((pid, read_fd))
            yield work(*first)
            while children:
                pid, read_fd = children.pop(0)
                yield _collect(pid, read_fd)
        finally:
            for pid, read_fd in children:  # the consumer stopped early, or we failed
                os.close(read_fd)
                os.waitpid(pid, 0)
