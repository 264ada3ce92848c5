"""The Payment Page's two CSV tables (data/currencies.csv, data/payment_page_params.csv),
read as cheaply as a one-shot command needs them.

``ecp url`` and ``ecp decode`` look up one currency and a few parameter names: :func:`row`
finds one key's line in the file's text and parses only that line, :func:`has` only looks
for it; :func:`rows` parses the whole table, for the lists and the typo suggestions.

This works because each row is one line that starts with its key and a comma: the keys
are plain words (letters, digits, ``_``) and no field holds a line break. A text that is
not a plain word (a comma, a line break) is never a key, and is not searched for.
tests/payment_page/test_tables.py checks both files for this and compares every row with
csv.DictReader's.

The csv module's own reader (_csv, which csv.reader is) parses the rows, in its default
dialect, which is csv's "excel": csv.py itself imports more than these lookups cost.
"""

import _csv
import functools
import io
import os

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data")


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


def _line_start(text: str, key: object) -> int:
    """Where the line of ``key`` starts in ``text``, or -1."""
    if not is_plain_key(key):
        return -1
    found = text.find(f"\n{key},")
    return found + 1 if found >= 0 else -1


def has(path: str, columns: tuple[str, ...], key: object) -> bool:
    """Whether the table has a row for ``key`` (its first column)."""
    return _line_start(_text(path, columns), key) >= 0


def row(path: str, columns: tuple[str, ...], key: object) -> list[str] | None:
    """The row of ``key`` (its columns in ``columns`` order), or None."""
    text = _text(path, columns)
    start = _line_start(text, key)
    if start < 0:
        return None
    end = text.find("\n", start)
    return next(_csv.reader([text[start:] if end < 0 else text[start:end]]))


def rows(path: str, columns: tuple[str, ...]) -> dict[str, list[str]]:
    """Every row by its key, in the file's order."""
    lines = _csv.reader(io.StringIO(_text(path, columns), newline=""))
    next(lines)  # the header, checked by _text
    return {found[0]: found for found in lines}
