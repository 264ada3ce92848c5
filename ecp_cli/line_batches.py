"""A JSON-lines input cut into batches of whole lines, never held in memory whole.

``ecp verify --jsonl`` reads logs of millions of callbacks. :func:`open_batches` checks
the input once (it must be UTF-8 from start to end before anything is reported, as when
it was read whole) and notes where each batch of about :data:`BATCH_BYTES` starts and which
line number it starts at. Anyone holding the :class:`LineBatches`, forked workers
included, then reads a batch by its offsets (``os.pread``: no shared file position).

The lines are exactly those of ``text.splitlines()`` over the whole text decoded as
``utf-8-sig``: batches end just after a ``\\n``, which is always a line break, so splitting
each batch on its own gives the same lines. A pipe on stdin is copied to a temporary file
first (or kept in memory when small): the input has to be read twice.
"""

import os
import sys
from collections.abc import Iterator

from ecp_cli.errors import InputError, unreadable_file

TYPE_CHECKING = False  # typing costs start-up time; its names are for annotations only
if TYPE_CHECKING:
    from typing import IO

# A batch, its lines and their parsed objects fit in a core's own (L2) cache: with 1 MiB
# batches a worker missed it 4.3x as often (cachegrind, 1 MiB L2, docs/performance.md).
BATCH_BYTES = 1 << 17
IN_MEMORY_BYTES = 8 << 20  # stdin up to this size is not copied to a temporary file
_READ_BYTES = 1 << 20
_PIECE = 1 << 15  # what LineBatches._check decodes and counts at a time
# Line breaks other than \n that str.splitlines() honours, as UTF-8: rare, but then the
# lines are counted by splitting. Each is looked for only where its first byte is found
# (one fast scan for a byte; a scan for several bytes is slower).
_OTHER_BREAKS = (b"\r", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\xc2\x85",
                 b"\xe2\x80\xa8", b"\xe2\x80\xa9")  # fmt: skip
_FIRST_BYTES = {other[:1] for other in _OTHER_BREAKS}


class LineBatches:
    """The batches of one input: ``name`` to show, and (offset, end, first line number)
    for each batch; :meth:`lines` reads one. ``bounds`` and ``line_count`` grow as
    :meth:`scan_next` checks the input a batch at a time, until ``scanned``."""

    def __init__(self, name: str, read_at, start: int, size: int):
        self.name = name
        self._read_at = read_at  # (offset, size) -> bytes
        self.bounds: list[tuple[int, int, int]] = []
        self.line_count = 0
        self.scanned = False
        self._start = start
        self._size = size
        self._batch_start = start  # of the next batch to check
        import codecs

        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()

    def lines(self, offset: int, end: int) -> list[str]:
        data = self._read_at(offset, end - offset)
        # Checked whole before: this cannot fail. Only the input's start may hold a BOM.
        return data.decode("utf-8-sig" if offset == self._start else "utf-8").splitlines()

    def byte_lines(self, offset: int, end: int) -> list[bytes] | None:
        """The same lines as :meth:`lines`, as UTF-8, not decoded (a parser that reads
        bytes saves decoding and encoding again); None for a batch with line breaks other
        than \\n, which only :meth:`lines` splits as str.splitlines() does."""
        data = self._read_at(offset, end - offset)
        if _has_other_breaks(data):
            return None
        if offset == self._start and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]  # the BOM, as utf-8-sig drops it
        lines = data.split(b"\n")
        if not lines[-1]:  # after the last \n (or the whole of nothing): no line
            lines.pop()
        return lines

    def scan_next(self) -> bool:
        """Check the next batch (UTF-8, its lines counted) and add it to ``bounds``; False
        once the whole input is checked. Raises the InputError reading the whole input
        would have raised: not UTF-8 (at the first bad byte of the whole input), cannot be
        read."""
        if self.scanned:
            return False
        start = self._batch_start
        left = self._start + self._size - start
        want = BATCH_BYTES
        while True:  # read from the batch's start until a \n ends it, or the input does
            if left <= 0:
                self.scanned = True
                return False
            try:
                chunk = self._read_at(start, min(want, left))
            except OSError as error:
                raise InputError(
                    f"{self.name}: cannot be read ({error.strerror or error})"
                ) from None
            ending = len(chunk) >= left or len(chunk) < min(want, left)  # or it shrank
            cut = len(chunk) if ending else chunk.rfind(b"\n") + 1
            if cut:
                break
            if ending:  # nothing left to read after all
                self.scanned = True
                return False
            want *= 2  # one very long line: read more of it
        self.bounds.append((start, start + cut, self.line_count + 1))
        self._batch_start = start + cut
        self.scanned = ending
        self.line_count += self._check(chunk, cut, ending)
        return True

    def _check(self, chunk: bytes, cut: int, ending: bool) -> int:
        """Decode ``chunk[:cut]`` (it must be UTF-8) and count its lines, a piece at a time:
        no temporary object as large as a batch, which malloc would map and unmap (and
        the kernel fill with zeros) for every batch."""
        view = memoryview(chunk)[:cut]
        newlines = 0
        try:
            for offset in range(0, cut, _PIECE):
                piece = bytes(view[offset : offset + _PIECE])
                self._decoder.decode(piece, final=ending and offset + _PIECE >= cut)
                newlines += len(piece) - len(piece.replace(b"\n", b""))
        except UnicodeDecodeError:
            raise _not_utf8(self.name, self._read_at, self._start, self._size) from None
        finally:
            view.release()
        if _has_other_breaks(chunk) and _has_other_breaks(chunk[:cut]):  # rare: split it
            first = self.bounds[-1][0] == self._start  # where a BOM may be, and is no line
            return len(chunk[:cut].decode("utf-8-sig" if first else "utf-8").splitlines())
        return newlines + (1 if cut and chunk[cut - 1 : cut] != b"\n" else 0)

    def scan(self) -> "LineBatches":
        """Check the whole input (what remains of it)."""
        while self.scan_next():
            pass
        return self


def _has_other_breaks(data: bytes) -> bool:
    found = {first for first in _FIRST_BYTES if first in data}
    return bool(found) and any(other[:1] in found and other in data for other in _OTHER_BREAKS)


def _count_lines(data: bytes, text: str, other_breaks: bool) -> int:
    """len(text.splitlines()) for ``text`` decoded from ``data``, without building the
    lines when only \\n breaks them."""
    if other_breaks:
        return len(text.splitlines())
    return _count(data, b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def _count(data: bytes, byte: bytes) -> int:
    """data.count(byte), several times faster: bytes.count looks at one byte at a time,
    replace finds them with memchr and copies the rest with memcpy."""
    return len(data) - len(data.replace(byte, b""))


def _not_utf8(name: str, read_at, start: int, size: int) -> InputError:
    """The error reading the input whole would have given (rare: worth reading it twice)."""
    try:
        read_at(start, size).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return InputError(f"{name}: not UTF-8 text (byte {error.start})")
    return InputError(f"{name}: not UTF-8 text")


def _fd_reader(fd: int):
    def read_at(offset: int, size: int) -> bytes:
        return os.pread(fd, size, offset)

    return read_at


def _open_file(path: str) -> int:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as error:
        raise unreadable_file(path, error) from None
    import stat

    if stat.S_ISDIR(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError(f"{path}: is a directory, not a file")
    return fd


def _size(fd: int, name: str) -> int:
    try:
        return os.fstat(fd).st_size
    except OSError as error:
        raise InputError(f"{name}: cannot be read ({error.strerror})") from None


def _regular_file(binary) -> tuple | None:
    """(read_at, start, size, None) when stdin is a regular file, else None."""
    import stat

    try:
        fd = binary.fileno()
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        start = binary.tell()  # after anything already read, buffered or not
        size = os.fstat(fd).st_size - start
        os.pread(fd, 1, start)  # readable at all? (opened for writing only: no)
    except (AttributeError, OSError, ValueError):
        return None  # the copying path reads it, or reports why it cannot
    return _fd_reader(fd), start, max(size, 0), None


def _stdin_source(stdin) -> tuple:
    """(read_at, start, size, file to close or None) for stdin, copied when it is a pipe."""
    name = "<stdin>"
    stream = stdin if stdin is not None else sys.stdin
    if stream is None:  # file descriptor 0 closed: Python leaves sys.stdin None
        raise InputError(f"{name}: is closed")
    binary = getattr(stream, "buffer", stream)
    in_place = _regular_file(binary)
    if in_place is not None:  # `ecp verify --jsonl - < log.jsonl`: read it where it is
        return in_place
    spool = None
    held = bytearray()
    try:
        while True:
            chunk = binary.read(_READ_BYTES)
            if not chunk:
                break
            if isinstance(chunk, str):  # a text stream without a buffer (tests)
                chunk = chunk.encode("utf-8", "surrogateescape")
            if spool is not None:
                spool.write(chunk)
            else:
                held += chunk
                if len(held) > IN_MEMORY_BYTES:
                    import tempfile

                    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the caller
                    spool.write(held)
                    held = bytearray()
    except OSError as error:  # e.g. opened for writing only
        if spool is not None:
            spool.close()
        raise InputError(f"{name}: cannot be read ({error.strerror or error})") from None
    if spool is None:
        return (lambda offset, size: bytes(held[offset : offset + size])), 0, len(held), None
    spool.flush()
    size = spool.tell()
    return _fd_reader(spool.fileno()), 0, size, spool


def open_batches(source: str, stdin=None, *, scan: bool = True) -> tuple[LineBatches, "IO | None"]:
    """The batches of a path or ``-``, and what to close when done (or None). Raises
    InputError for what cannot be read, naming the source, as read_text does. With
    ``scan`` False, the caller scans it (LineBatches.scan_next) and handles its errors."""
    if source == "-":
        read_at, start, size, closing = _stdin_source(stdin)
        batches = LineBatches("<stdin>", read_at, start, size)
    else:
        fd = _open_file(source)
        closing = os.fdopen(fd, "rb")
        try:
            batches = LineBatches(source, _fd_reader(fd), 0, _size(fd, source))
        except BaseException:
            closing.close()
            raise
    if scan:
        try:
            batches.scan()
        except BaseException:
            if closing is not None:
                closing.close()
            raise
    return batches, closing


def iter_lines(batches: LineBatches) -> Iterator[tuple[int, str]]:
    """(line number, line) for every line, one batch in memory at a time."""
    for offset, end, first in batches.bounds:
        yield from enumerate(batches.lines(offset, end), start=first)
