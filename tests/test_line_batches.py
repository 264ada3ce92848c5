"""line_batches.py: the lines of text.splitlines(), read a batch at a time, with the
errors reading the input whole would give."""

import io

import pytest

from ecp_cli import line_batches
from ecp_cli.errors import InputError
from ecp_cli.line_batches import iter_lines, open_batches

TRICKY = (
    '\ufeff{"a": 1}\r\n'  # a BOM, then CRLF
    "\n"
    "  \n"
    '{"b": "x\u2028y"}\n'  # a line separator inside a string: splitlines breaks there
    "one\rtwo\x85three\x0bfour\x1c\n"
    "é" * 50 + "\n"
    "last without newline"
)


def _lines(batches, closing):
    try:
        return list(iter_lines(batches))
    finally:
        if closing is not None:
            closing.close()


@pytest.mark.parametrize("batch_bytes", [1, 7, 64, 1 << 20])
def test_lines_and_numbers_are_those_of_splitlines(tmp_path, monkeypatch, batch_bytes):
    monkeypatch.setattr(line_batches, "BATCH_BYTES", batch_bytes)
    monkeypatch.setattr(line_batches, "_READ_BYTES", max(1, batch_bytes // 2))
    path = tmp_path / "in.jsonl"
    path.write_bytes(TRICKY.encode("utf-8"))
    expected = list(enumerate(TRICKY.encode("utf-8").decode("utf-8-sig").splitlines(), 1))
    batches, closing = open_batches(str(path))
    assert _lines(batches, closing) == expected
    assert batches.line_count == len(expected)
    assert len(batches.bounds) > 1 or batch_bytes == 1 << 20


@pytest.mark.parametrize(
    "other", ["\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
)
@pytest.mark.parametrize("around", ["", "\u00c2\u00e2 \u2027 \u2030 \u0445"])  # bytes like theirs
def test_each_other_line_break_alone_counts_as_splitlines_counts_it(tmp_path, other, around):
    text = f'{{"a": "{around}"}}\n{{"b": 1}}{other}{{"c": 2}}\n{around}\n'
    path = tmp_path / "in.jsonl"
    path.write_bytes(text.encode("utf-8"))
    batches, closing = open_batches(str(path))
    assert _lines(batches, closing) == list(enumerate(text.splitlines(), 1))
    assert batches.line_count == len(text.splitlines())


@pytest.mark.parametrize("batch_bytes", [1, 7, 64, 1 << 20])
@pytest.mark.parametrize(
    "text",
    [TRICKY, '\ufeff{"a": "é"}\n\n  \n{"b": 2}', '{"a": 1}\n' * 40, "\ufeff", "", "\n\n"],
)
def test_byte_lines_are_the_lines_as_utf8_or_none_where_other_breaks_are(
    tmp_path, monkeypatch, batch_bytes, text
):
    monkeypatch.setattr(line_batches, "BATCH_BYTES", batch_bytes)
    monkeypatch.setattr(line_batches, "_READ_BYTES", max(1, batch_bytes // 2))
    path = tmp_path / "in.jsonl"
    path.write_bytes(text.encode("utf-8"))
    batches, closing = open_batches(str(path))
    as_bytes = 0
    try:
        for offset, end, _ in batches.bounds:
            lines = batches.lines(offset, end)
            raw = batches.byte_lines(offset, end)
            if raw is None:  # only where splitlines() breaks at more than \n
                decoded = path.read_bytes()[offset:end].decode("utf-8")
                assert any(other in decoded for other in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
                continue
            as_bytes += 1
            assert [line.decode("utf-8") for line in raw] == lines
    finally:
        closing.close()
    if text != TRICKY:  # only \n breaks these: every batch is read as bytes
        assert as_bytes == len(batches.bounds)


@pytest.mark.parametrize("in_memory", [1 << 20, 10])
def test_stdin_kept_in_memory_or_copied_to_a_file(monkeypatch, in_memory):
    monkeypatch.setattr(line_batches, "IN_MEMORY_BYTES", in_memory)
    monkeypatch.setattr(line_batches, "BATCH_BYTES", 16)
    stdin = io.TextIOWrapper(io.BytesIO(TRICKY.encode("utf-8")))
    batches, closing = open_batches("-", stdin)
    assert (closing is None) == (in_memory > len(TRICKY.encode()))
    assert batches.name == "<stdin>"
    assert [line for _, line in _lines(batches, closing)] == TRICKY[1:].splitlines()


def test_not_utf8_anywhere_is_reported_before_any_line_with_the_whole_input_offset(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(line_batches, "BATCH_BYTES", 8)
    data = b'{"a": 1}\n' * 50 + b"\xff\n"
    path = tmp_path / "bad.jsonl"
    path.write_bytes(data)
    with pytest.raises(InputError) as raised:
        open_batches(str(path))
    assert raised.value.message == f"{path}: not UTF-8 text (byte {len(data) - 2})"


def test_unreadable_sources_are_named(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        open_batches(str(tmp_path / "missing.jsonl"))
    with pytest.raises(InputError, match="is a directory, not a file"):
        open_batches(str(tmp_path))


def test_empty_input_has_no_batches(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    batches, closing = open_batches(str(path))
    assert _lines(batches, closing) == [] and batches.line_count == 0


def test_stdin_from_a_regular_file_is_read_in_place_from_where_it_stands(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"skipped\n" + TRICKY.encode("utf-8"))
    with open(path, "rb") as raw:
        raw.readline()  # someone read a line before: batches start after it
        stdin = io.TextIOWrapper(raw)
        batches, closing = open_batches("-", stdin)
        assert closing is None  # nothing copied
        lines = [line for _, line in _lines(batches, closing)]
    assert lines == TRICKY.encode("utf-8").decode("utf-8-sig").splitlines()
