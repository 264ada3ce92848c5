"""Spread a CPU-bound loop over the machine's cores with plain ``os.fork``.

``ecp verify --jsonl`` over a large log is pure Python work per line. multiprocessing's
pool costs more to import and start (~30 ms) than it saves on a few thousand lines, so
this does the minimum: fork the workers once, hand each a small task (a few numbers) at a
time through a pipe, and read their pickled results back in task order. Each worker has
a second task waiting while it works, so none idles while this process writes output.

Workers inherit everything they need (the input, the secret) through the fork: tasks and
results are all that is ever serialised, and tasks must stay small (under a pipe's 64 KiB)
so that handing one out never blocks.
"""

import os
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

# A worker's answer: (True, result) or (False, "ExceptionType: message").
_OK, _FAILED = True, False
TASKS_AHEAD = 2  # per worker: the one it works on, and the next
_END = object()


class ChildFailed(RuntimeError):
    """A worker process died or raised; the parent reports it instead of guessing."""


def _serve(work: Callable[[Any], Any], tasks_fd: int, results_fd: int) -> None:
    """In the child: answer tasks until told to stop; never return into the parent's code."""
    status = 0
    try:
        with os.fdopen(tasks_fd, "rb") as tasks, os.fdopen(results_fd, "wb") as results:
            while True:
                try:
                    task = pickle.load(tasks)
                except EOFError:  # the parent closed the pipe: no more work
                    break
                try:
                    answer: tuple[bool, object] = (_OK, work(task))
                except BaseException as error:  # report everything; the parent decides
                    answer = (_FAILED, f"{type(error).__name__}: {error}")
                    status = 1
                pickle.dump(answer, results, protocol=pickle.HIGHEST_PROTOCOL)
                results.flush()
                if status:
                    break
    except BaseException:  # the parent went away (broken pipe), or an interrupt
        status = 1
    finally:
        os._exit(status)  # never run the parent's cleanup, never flush its buffers


class _Worker:
    tasks: BinaryIO
    results: BinaryIO

    def __init__(self, work: Callable[[Any], Any], earlier: list["_Worker"]):
        task_read, task_write = os.pipe()
        result_read, result_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(task_write)
            os.close(result_read)
            for other in earlier:  # else an earlier worker never sees its pipe close
                os.close(other.tasks.fileno())
                os.close(other.results.fileno())
            _serve(work, task_read, result_write)
        os.close(task_read)
        os.close(result_write)
        self.tasks = os.fdopen(task_write, "wb")
        self.results = os.fdopen(result_read, "rb")

    def send(self, task: object) -> None:
        try:
            pickle.dump(task, self.tasks, protocol=pickle.HIGHEST_PROTOCOL)
            self.tasks.flush()
        except BrokenPipeError:
            # The worker has stopped; its last answer (or its absence) tells why when it
            # is read. Never let this pass for stdout's reader leaving.
            pass

    def ready(self) -> bool:
        """An answer has begun to arrive (one already buffered may not show: then the
        caller waits a little longer than it needed to, never wrongly)."""
        import select

        return bool(select.select([self.results], [], [], 0)[0])

    def receive(self) -> object:
        try:
            ok, payload = pickle.load(self.results)
        except EOFError:
            ok, payload = _FAILED, "the worker exited without an answer"
        if not ok:
            raise ChildFailed(payload)
        return payload

    def stop(self) -> None:
        import contextlib

        for stream in (self.tasks, self.results):
            with contextlib.suppress(OSError):  # a worker that died leaves a broken pipe
                stream.close()
        os.waitpid(self.pid, 0)


def ordered_map(
    work: Callable[[Any], Any],
    tasks: Iterable,
    workers: int,
    idle: Callable[[], bool] | None = None,
) -> Iterator:
    """Yield ``work(task)`` for every task, in task order, computed by ``workers`` forked
    processes started once. Stopping early (or an error) stops and reaps every worker.
    ``idle``, when given, is called instead of waiting for a worker's answer, until it
    returns False: this process's own share of the work (``verify --jsonl`` checks the
    rest of its input meanwhile), done while the workers do theirs."""
    pool: list[_Worker] = []
    try:
        for _ in range(workers):
            pool.append(_Worker(work, pool))
        pending = iter(tasks)
        in_flight: deque[_Worker] = deque()
        for _ in range(TASKS_AHEAD):
            for worker in pool:
                task = next(pending, _END)
                if task is _END:
                    break
                worker.send(task)
                in_flight.append(worker)
        while in_flight:
            worker = in_flight.popleft()
            while idle is not None and not worker.ready():
                if not idle():
                    idle = None
            result = worker.receive()
            task = next(pending, _END)
            if task is not _END:  # before yielding: the worker goes on while we write
                worker.send(task)
                in_flight.append(worker)
            yield result
    finally:
        for worker in pool:
            worker.stop()
