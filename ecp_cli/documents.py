"""Reading the JSON or YAML documents users hand to ecp: files, ``-`` for stdin, JSON lines.

Every failure becomes an :class:`InputError` naming the source and the problem in one line.
YAML is parsed only when a document is not JSON, so the common path never imports PyYAML.
"""

import json
import sys
from collections import namedtuple
from collections.abc import Iterator
from pathlib import Path

from ecp_cli.errors import InputError

STDIN = "-"
YAML_SUFFIXES = (".yaml", ".yml")


# source: the name to show the user (a path, "<stdin>", "FILE:LINE"); data: the parsed
# object; raw: the text it came from.
Document = namedtuple("Document", "source data raw")


def _reject_constant(name: str) -> float:
    # Python's json accepts NaN and Infinity; JSON (and the platform) does not.
    raise ValueError(f"{name} is not valid JSON")


# One decoder for all documents: json.loads with options builds a new one on every call.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def parse_json(text: str) -> object:
    try:
        return _DECODER.decode(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _json_problem(error: json.JSONDecodeError) -> str:
    return f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"


def read_text(source: str, stdin=None) -> tuple[str, str]:
    """Return (display name, text) for a path or ``-``."""
    if source == STDIN:
        stream = stdin if stdin is not None else sys.stdin
        data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        name = "<stdin>"
    else:
        name = source
        path = Path(source)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError(f"{name}: no such file") from None
        except IsADirectoryError:
            raise InputError(f"{name}: is a directory, not a file") from None
        except PermissionError:
            raise InputError(f"{name}: permission denied") from None
        except OSError as error:
            raise InputError(f"{name}: cannot be read ({error.strerror})") from None
    if isinstance(data, str):
        return name, data
    try:
        return name, data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not UTF-8 text (byte {error.start})") from None


def _parse_yaml(name: str, text: str) -> object:
    from ecp_cli.yaml_loading import YamlError, load_yaml

    try:
        return load_yaml(text)
    except YamlError as error:
        raise InputError(f"{name}: not valid JSON or YAML: {error}") from None


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
                if isinstance(error, json.JSONDecodeError):
                    raise InputError(f"{name}: {_json_problem(error)}") from None
                raise InputError(f"{name}: {error}") from None
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
    Kept lean: ``verify --jsonl`` runs it over logs of many thousand callbacks."""
    if not line or line.isspace():
        return None
    try:
        data = parse_json(line)
    except json.JSONDecodeError as error:
        return InputError(f"{name}:{number}: {_json_problem(error)}")
    except ValueError as error:  # NaN or Infinity, too deep
        return InputError(f"{name}:{number}: {error}")
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
