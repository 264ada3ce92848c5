"""The CSV tables shipped in ``ecp_cli/data/``, read as cheaply as a one-shot command needs
them: the Payment Page's currencies and parameters, the platform's response codes and
statuses.

A command looks up one currency, a few parameter names, one or two codes and statuses:
:func:`row_starting` finds the line that starts with what it looks for in the file's text
and parses only that line, :func:`row` and :func:`has` do it for one key (the first
column); :func:`all_rows` and :func:`rows` parse the whole table, for the lists and the
typo suggestions.

This works because each row is one line, and the fields looked up lead it unquoted: the
keys are plain words (letters, digits, ``_``), no field holds a line break. A text that is
not a plain word (a comma, a line break) is never a key, and is not searched for.
tests/test_data_tables.py and tests/callbacks/test_reference.py check the files for this
and compare every row with csv.DictReader's.

The csv module's own reader (_csv, which csv.reader is) parses the rows, in its default
dialect, which is csv's "excel": csv.py itself imports re, which costs more than these
lookups.
"""

import _csv
import functools
import io
import os

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


@functools.cache
def _text(path: str, columns: tuple[str, ...]) -> str:
    """The file's text, once its header is checked: a file whose columns moved must not be
    read into the wrong fields."""
    with open(path, encoding="utf-8", newline="") as handle:
        text = handle.read()
    end = text.find("\n")
    header = next(_csv.reader([text if end < 0 else text[:end]]), [])
    if tuple(header) != columns:
        raise ValueError(f"{path}: expected the columns {list(columns)}, got {header}")
    return text


def is_plain_key(key: object) -> bool:
    """Whether ``key`` can be a table's key: a non-empty word of ASCII letters, digits and
    ``_``. Only such a text is searched for at the start of a line."""
    return isinstance(key, str) and key.isascii() and key.replace("_", "a").isalnum()


def has(path: str, columns: tuple[str, ...], key: object) -> bool:
    """Whether the table has a row for ``key`` (its first column)."""
    return is_plain_key(key) and f"\n{key}," in _text(path, columns)


def row_starting(path: str, columns: tuple[str, ...], start: str) -> list[str] | None:
    """The row on the first line (after the header) that starts with ``start``, or None."""
    text = _text(path, columns)
    found = text.find("\n" + start) + 1
    if not found:
        return None
    end = text.find("\n", found)
    return next(_csv.reader([text[found:] if end < 0 else text[found:end]]))


def row(path: str, columns: tuple[str, ...], key: object) -> list[str] | None:
    """The row of ``key`` (its columns in ``columns`` order), or None."""
    return row_starting(path, columns, f"{key},") if is_plain_key(key) else None


def all_rows(path: str, columns: tuple[str, ...]) -> list[list[str]]:
    """Every row, in the file's order."""
    lines = _csv.reader(io.StringIO(_text(path, columns), newline=""))
    next(lines)  # the header, checked by _text
    return list(lines)


def rows(path: str, columns: tuple[str, ...]) -> dict[str, list[str]]:
    """Every row by its key, in the file's order."""
    return {found[0]: found for found in all_rows(path, columns)}
