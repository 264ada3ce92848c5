"""Reading the JSON or YAML documents users hand to ecp: files, ``-`` for stdin, JSON lines.

Every failure becomes an :class:`InputError` naming the source and the problem in one line.
YAML is parsed only when a document is not JSON, so the common path never imports PyYAML.
"""

import sys
from collections import namedtuple
from collections.abc import Callable, Iterator

from ecp_cli import defaults
from ecp_cli.errors import InputError, unreadable_file

STDIN = "-"
YAML_SUFFIXES = (".yaml", ".yml")


# source: the name to show the user (a path, "<stdin>", "FILE:LINE"); data: the parsed
# object; raw: the text it came from.
Document = namedtuple("Document", "source data raw")


def _reject_constant(name: str) -> float:
    # Python's json accepts NaN and Infinity; JSON (and the platform) does not.
    raise ValueError(f"{name} is not valid JSON")


class _DecoderSettings:
    """What _json's scanner reads from the decoder it serves: the values
    ``json.JSONDecoder(parse_constant=_reject_constant)`` holds."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = staticmethod(_reject_constant)


def _make_scanner():
    try:
        from _json import make_scanner
    except ImportError:  # a Python without json's C part: json alone reads documents
        return None
    # typeshed wants a JSONDecoder-like context; it reads only the attributes above
    return make_scanner(_DecoderSettings())  # type: ignore[arg-type]


# json.loads is json.decoder's Python around _json's C scanner, and importing json imports
# the regular expression engine: together a quarter of a one-shot `ecp verify`. So the
# scanner, set up as json sets it up, reads documents here, skipping whitespace as json
# does (" \t\n\r"); anything it does not read whole and cleanly -- an error, extra data --
# goes to json itself, which reads it again and words the error as it always has.
_SCAN = _make_scanner()
_JSON_SPACE = " \t\n\r"
_decoder = None  # json.JSONDecoder, made when first needed


def _json_decode(text: str) -> object:
    """``json.JSONDecoder(parse_constant=_reject_constant).decode(text)``."""
    if _SCAN is not None:
        start = len(text) - len(text.lstrip(_JSON_SPACE))
        try:
            data, end = _SCAN(text, start)
        except Exception:  # noqa: BLE001, S110 - json reads it again and raises its error
            pass
        else:
            if not text[end:].lstrip(_JSON_SPACE):
                return data
    global _decoder
    if _decoder is None:
        import json

        _decoder = json.JSONDecoder(parse_constant=_reject_constant)
    return _decoder.decode(text)


# Real messages nest a handful of levels. Signing, diagnosis and copying walk documents
# recursively, so anything deeper is refused here, once, before it can exhaust the stack.
# PHP's json_decode (default depth 512) reads 511 nested levels and refuses 512: the
# platform cannot read anything deeper, so neither does ecp.
MAX_DEPTH = 511
# The only way JSON text decoded from UTF-8 can hold half a surrogate pair is a \u escape
# of one, \ud800 to \udfff: in lower case, one of these. (A pattern, not compiled here:
# re is imported and compiles it only for the rare text that may hold one.)
_SURROGATE_ESCAPES = tuple(f"\\ud{digit}" for digit in "89abcdef")
_SURROGATE = "[\ud800-\udfff]"


def parse_json(text: str) -> object:
    try:
        data = _json_decode(text)
    except RecursionError:
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep") from None
    return _checked(text, data)


def _checked(text: str, data: object) -> object:
    # Both tests cost next to nothing on ordinary text; the walk runs only when needed.
    could_be_deep = text.count("[") + text.count("{") > MAX_DEPTH
    if could_be_deep or ("\\u" in text and _may_escape_surrogate(text)):
        problem = unusable_value(data)
        if problem:
            raise ValueError(problem)
    return data


def _may_escape_surrogate(text: str) -> bool:
    lowered = text.lower()
    return any(escape in lowered for escape in _SURROGATE_ESCAPES)


# orjson reads an integer beyond 64 bits as a float, where json keeps it (and PHP's
# json_decode reads it as php_integer says): lines with 19 digits in a row, wherever, go
# to json. Found in a copy of the line's bytes with every digit made "0" and "{" made "["
# (so that one count gives both kinds of bracket): a regular expression takes longer
# than parsing the line.
_MARKED = bytes.maketrans(b"123456789{", b"000000000[")
_LONG_DIGITS = b"0" * 19


def json_bytes_reader() -> Callable[[bytes], dict | None] | None:
    """For many lines: read one line's UTF-8 with orjson, faster than json. The object it
    holds, exactly as :func:`parse_json_line` would give it -- orjson reads what json reads
    (the last of duplicate keys wins, in the first one's place) and refuses NaN, Infinity,
    numbers beyond a double and half surrogate pairs, so that of parse_json's checks only
    the depth is left to make -- or None where parse_json_line must have its say: a blank
    line, an error (it words them), a line that is not an object, or that orjson might read
    otherwise. None when orjson is not installed. (Imported here, not at the top: ``ecp
    verify FILE`` starts without it.)"""
    try:
        from orjson import loads
    except ImportError:
        return None

    def read(line: bytes) -> dict | None:
        marked = line.translate(_MARKED)
        if _LONG_DIGITS in marked:
            return None
        # Deeper than MAX_DEPTH takes more than MAX_DEPTH brackets, opened and closed.
        # (The count as line_batches counts: len() of what is left without them.)
        if len(line) > 2 * MAX_DEPTH and len(line) - len(marked.replace(b"[", b"")) > MAX_DEPTH:
            return None
        try:
            data = loads(line)
        except ValueError:  # orjson.JSONDecodeError among them
            return None
        return data if type(data) is dict else None

    return read


def unusable_value(data: object) -> str | None:
    """Why parsed data cannot be used as a JSON document, or None. Catches what JSON's
    syntax allows but text cannot hold (half a surrogate pair), nesting beyond
    MAX_DEPTH, and what YAML can hold but JSON cannot (dates, bytes, sets, NaN)."""
    import re

    stack: list[tuple[object, str, int]] = [(data, "", 1)]
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > MAX_DEPTH:
                return f"nested more than {MAX_DEPTH} levels deep"
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, value in items:
                if isinstance(key, str) and re.search(_SURROGATE, key):
                    return f"{path or '(top)'}: a key contains {_HALF_PAIR}"
                stack.append((value, f"{path}:{key}" if path else str(key), depth + 1))
        elif isinstance(node, str):
            if re.search(_SURROGATE, node):
                return f"{path}: contains {_HALF_PAIR}"
        elif isinstance(node, float):
            import math

            if not math.isfinite(node):
                return f"{path}: Infinity and NaN are not valid JSON"
        elif node is not None and not isinstance(node, bool | int):
            return f"{path}: {_describe_foreign(node)} has no JSON equivalent"
    return None


_HALF_PAIR = (
    "half of a UTF-16 surrogate pair (a \\u escape from \\ud800 to \\udfff without its "
    "partner), which is not a character"
)


def _describe_foreign(value: object) -> str:
    import datetime

    if isinstance(value, bytes):
        return "a binary value"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, set | frozenset):
        return "a set"
    return f"a {type(value).__name__}"


def _value_problem(error: ValueError) -> str:
    """What a ValueError from :func:`parse_json` says, worded for the user."""
    from json import JSONDecodeError  # here: a good document never imports json

    if isinstance(error, JSONDecodeError):
        return f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
    return str(error)  # NaN or Infinity, too deep, half a surrogate pair


# What read_text reads at most (ECP_MAX_INPUT, applied by the CLI, raises it): a file is
# read whole, so /dev/zero or a runaway log must stop at a stated size, not at MemoryError.
_input_limit = defaults.MAX_INPUT_BYTES


def set_input_limit(limit: int) -> None:
    global _input_limit
    _input_limit = limit


def input_limit() -> int:
    return _input_limit


def _too_large(name: str) -> InputError:
    return InputError(
        f"{name}: larger than the input limit of {_input_limit} bytes "
        "(set ECP_MAX_INPUT=BYTES to raise it)"
    )


def _read_bytes(source: str, limit: int) -> bytes:
    """At most ``limit`` bytes of the file (/dev/zero, a FIFO: never more), without
    importing pathlib for plain names (``ecp verify`` starts faster); names pathlib would
    normalise (``a//b``, ``a/``) go to it."""
    if not source or "//" in source or source.endswith(("/", "/.")) or "/./" in source:
        from pathlib import Path

        with Path(source).open("rb") as file:
            return file.read(limit)
    with open(source, "rb") as file:
        return file.read(limit)


def read_text(source: str, stdin=None) -> tuple[str, str]:
    """Return (display name, text) for a path or ``-``; at most the input limit."""
    limit = _input_limit
    if source == STDIN:
        stream = stdin if stdin is not None else sys.stdin
        name = "<stdin>"
        if stream is None:  # file descriptor 0 closed: Python leaves sys.stdin None
            raise InputError(f"{name}: is closed")
        try:
            reader = stream.buffer if hasattr(stream, "buffer") else stream
            data = reader.read(limit + 1)
        except OSError as error:  # e.g. opened for writing only
            raise InputError(f"{name}: cannot be read ({error.strerror or error})") from None
        if len(data) > limit:
            raise _too_large(name)
    else:
        name = source
        try:
            data = _read_bytes(source, limit + 1)
            if len(data) > limit:
                raise _too_large(name)
        except OSError as error:
            raise unreadable_file(name, error) from None
    if isinstance(data, str):
        return name, data
    if data[:3] == b"\xef\xbb\xbf":  # a byte order mark, as the utf-8-sig codec drops it
        data = data[3:]
    try:
        return name, data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not UTF-8 text (byte {error.start})") from None


def _parse_yaml(name: str, text: str) -> object:
    from ecp_cli.yaml_loading import YamlError, describe_error, load_yaml

    try:
        data = load_yaml(text)
    except YamlError as error:
        raise InputError(f"{name}: not valid JSON or YAML: {describe_error(error)}") from None
    problem = unusable_value(data)
    if problem:
        raise InputError(f"{name}: {problem}")
    return data


def parse_document(name: str, text: str, *, yaml_allowed: bool = True) -> dict:
    """Parse ``text`` as a JSON object (or YAML where allowed) and require an object."""
    if not text.strip():
        raise InputError(f"{name}: is empty")
    is_yaml_file = name.lower().endswith(YAML_SUFFIXES)
    if is_yaml_file and yaml_allowed:
        data = _parse_yaml(name, text)
    else:
        try:
            data = parse_json(text)
        except ValueError as error:
            # Not JSON: YAML is the other accepted format, unless the text was plainly
            # meant to be JSON (it starts like JSON), where the JSON error is the useful one.
            looks_like_json = text.lstrip()[:1] in ("{", "[", '"')
            if not yaml_allowed or looks_like_json:
                raise InputError(f"{name}: {_value_problem(error)}") from None
            data = _parse_yaml(name, text)
    if not isinstance(data, dict):
        raise InputError(f"{name}: expected an object at the top, got {describe_type(data)}")
    return data


def load_document(source: str, stdin=None, *, yaml_allowed: bool = True) -> Document:
    name, text = read_text(source, stdin)
    return Document(name, parse_document(name, text, yaml_allowed=yaml_allowed), text)


def parse_json_line(name: str, number: int, line: str) -> Document | InputError | None:
    """One line of a JSON-lines input: a Document, the error that makes it unusable
    (returned, not raised, so a caller reports it and goes on), or None for a blank line.
    Kept lean: ``verify --jsonl`` runs it over logs of many thousand callbacks (or
    :func:`json_bytes_reader`, faster, where it can)."""
    if not line or line.isspace():
        return None
    try:
        data = parse_json(line)
    except ValueError as error:
        return InputError(f"{name}:{number}: {_value_problem(error)}")
    if type(data) is not dict:
        return InputError(
            f"{name}:{number}: expected an object at the top, got {describe_type(data)}"
        )
    return Document(f"{name}:{number}", data, line)


def read_lines(source: str, stdin=None) -> tuple[str, list[str]]:
    """(display name, lines) of a JSON-lines input."""
    name, text = read_text(source, stdin)
    return name, text.splitlines()


def iter_json_lines(source: str, stdin=None) -> Iterator[Document | InputError]:
    """One JSON object per non-blank line; bad lines come back as InputError items."""
    name, lines = read_lines(source, stdin)
    for number, line in enumerate(lines, start=1):
        item = parse_json_line(name, number, line)
        if item is not None:
            yield item


def describe_type(value: object) -> str:
    """A JSON value's kind, in JSON's words, for messages."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"
