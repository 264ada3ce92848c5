"""Spread a CPU-bound loop over the machine's cores with plain ``os.fork``.

``ecp verify --jsonl`` over a large log is pure Python work per line. multiprocessing's
pool costs more to import and start (~30 ms) than it saves on a few thousand lines, so
this does the minimum: fork the workers once, hand each a small task (a few numbers) at a
time through a pipe, and read their pickled results back. Each worker has more tasks
waiting while it works, so none idles while this process writes output.

Answers are taken from whichever worker has one, not in task order: a worker whose core
the machine slows down for a while (a virtual machine's often are) must not hold the
others up. They are handed on in task order, and a worker gets no task more than
:data:`WINDOW` tasks past the oldest one not handed on yet, so that what waits here
stays small.

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
WINDOW = 16  # tasks handed out past the oldest one whose result is not handed on yet
_END = object()
_SIZE_BYTES = 8  # each answer is its pickle's size, then the pickle


class ChildFailed(RuntimeError):
    """A worker process died or raised; the parent reports it instead of guessing."""


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int) -> bytes | None:
    """``size`` bytes from ``fd``, or None if it ends first."""
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _serve(work: Callable[[Any], Any], tasks_fd: int, results_fd: int) -> None:
    """In the child: answer tasks until told to stop; never return into the parent's code."""
    status = 0
    try:
        with os.fdopen(tasks_fd, "rb") as tasks:
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
                data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
                _write_all(results_fd, len(data).to_bytes(_SIZE_BYTES, "little") + data)
                if status:
                    break
    except BaseException:  # the parent went away (broken pipe), or an interrupt
        status = 1
    finally:
        os._exit(status)  # never run the parent's cleanup, never flush its buffers


class _Worker:
    tasks: BinaryIO
    results: int  # the read end of its answers' pipe

    def __init__(self, work: Callable[[Any], Any], earlier: list["_Worker"]):
        task_read, task_write = os.pipe()
        result_read, result_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(task_write)
            os.close(result_read)
            for other in earlier:  # else an earlier worker never sees its pipe close
                os.close(other.tasks.fileno())
                os.close(other.results)
            _serve(work, task_read, result_write)
        os.close(task_read)
        os.close(result_write)
        self.tasks = os.fdopen(task_write, "wb")
        # Read unbuffered, an answer at a time: select() then says truly whether one is
        # waiting (a buffered reader could hold one that select() cannot see).
        self.results = result_read
        self.in_flight: deque[int] = deque()  # numbers of the tasks it holds, in order

    def send(self, task: object) -> None:
        try:
            pickle.dump(task, self.tasks, protocol=pickle.HIGHEST_PROTOCOL)
            self.tasks.flush()
        except BrokenPipeError:
            # The worker has stopped; its last answer (or its absence) tells why when it
            # is read. Never let this pass for stdout's reader leaving.
            pass

    def receive(self) -> object:
        """The answer to its oldest task (waiting for it)."""
        header = _read_exactly(self.results, _SIZE_BYTES)
        data = _read_exactly(self.results, int.from_bytes(header, "little")) if header else None
        if data is None:
            raise ChildFailed("the worker exited without an answer")
        ok, payload = pickle.loads(data)
        if not ok:
            raise ChildFailed(payload)
        return payload

    def stop(self) -> None:
        import contextlib

        with contextlib.suppress(OSError):  # a worker that died leaves a broken pipe
            self.tasks.close()
        os.close(self.results)
        os.waitpid(self.pid, 0)


def _answered(workers: list[_Worker], wait: bool) -> list[_Worker]:
    """The workers with an answer waiting (if ``wait``, at least one, waiting for it)."""
    import select

    by_fd = {worker.results: worker for worker in workers}
    ready = select.select(list(by_fd), [], [], None if wait else 0)[0]
    return [by_fd[fd] for fd in ready]


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
        handed_out = handed_on = 0  # tasks given to workers; results yielded
        results: dict[int, object] = {}  # answered, waiting for their turn

        def hand_out(worker: _Worker) -> None:
            nonlocal handed_out, pending
            while len(worker.in_flight) < TASKS_AHEAD and handed_out - handed_on < WINDOW:
                task = next(pending, _END)
                if task is _END:
                    pending = iter(())
                    return
                worker.send(task)
                worker.in_flight.append(handed_out)
                handed_out += 1

        for worker in pool:
            hand_out(worker)
        while handed_on < handed_out:
            if handed_on in results:
                result = results.pop(handed_on)
                handed_on += 1
                for worker in pool:  # the window moved on: before yielding, so that the
                    hand_out(worker)  # workers go on while the caller writes
                yield result
                continue
            busy = [worker for worker in pool if worker.in_flight]
            while idle is not None and not _answered(busy, wait=False):
                if not idle():
                    idle = None
            for worker in _answered(busy, wait=True):
                results[worker.in_flight.popleft()] = worker.receive()
                hand_out(worker)
    finally:
        for worker in pool:
            worker.stop()
