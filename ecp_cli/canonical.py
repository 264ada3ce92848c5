"""The string to sign: flatten a parameter object into ``PATH:VALUE`` entries.

Implements "Building the string to sign" of the signature spec (shared/spec/signature.md):
depth-first walk, ``frame_mode`` never signed, ``:`` in keys doubled, list indices as keys,
empty containers contribute nothing, entries in PHP natural order, joined with ``;``.
"""

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ecp_cli.natural import natural_key, needs_port, strnatcmp

SEPARATOR = ";"
NEVER_SIGNED = frozenset({"frame_mode"})
# Verification and signing also leave out every key named "signature", at any depth, so a
# signed document verifies whatever level its signature was embedded at.
NOT_SIGNED_IN_DOCUMENTS = frozenset({"frame_mode", "signature"})


class CanonicalError(ValueError):
    """A value that has no place in a signed message (a set, a date object, ...)."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path or '(root)'}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Entry:
    path: str
    value: str

    def __str__(self) -> str:
        return f"{self.path}:{self.value}"


def php_float(value: float) -> str:
    """A float as PHP casts it to string with precision 14 (``%.14G``, PHP's exponent form)."""
    if math.isnan(value):
        return "NAN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    text = f"{value:.14G}"
    if "E" not in text:
        return text
    mantissa, exponent = text.split("E")
    if "." not in mantissa:
        mantissa += ".0"  # PHP writes 1.0E+21 where C writes 1E+21
    sign = "-" if exponent.startswith("-") else "+"
    return f"{mantissa}E{sign}{int(exponent.lstrip('+-'))}"


def format_value(value: object, path: str = "") -> str:
    """The VALUE half of an entry."""
    if value is True:
        return "1"
    if value is False:
        return "0"
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return php_float(value)
    raise CanonicalError(path, f"a {type(value).__name__} cannot be signed")


def _key_text(key: object, path: str) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)  # YAML may give integer keys; PHP arrays use them as strings too
    raise CanonicalError(path, f"key {key!r} is not a string")


def iter_entries(
    node: object, skip: frozenset[str] = NEVER_SIGNED, prefix: str = ""
) -> Iterator[Entry]:
    """Yield the unsorted leaf entries of ``node``, skipping keys named in ``skip``."""
    if isinstance(node, Mapping):
        items = node.items()
    elif isinstance(node, list | tuple):
        items = enumerate(node)
    else:
        yield Entry(prefix, format_value(node, prefix))
        return
    for key, value in items:
        name = _key_text(key, prefix)
        if name in skip:
            continue
        name = name.replace(":", "::")
        path = f"{prefix}:{name}" if prefix else name
        if isinstance(value, Mapping | list | tuple):
            yield from iter_entries(value, skip, path)
        else:
            yield Entry(path, format_value(value, path))


def entries(params: Mapping, skip: frozenset[str] = NEVER_SIGNED) -> list[Entry]:
    """The entries of ``params`` in signing order."""
    if not isinstance(params, Mapping):
        raise CanonicalError("", "the parameters must be an object")
    found = list(iter_entries(params, skip))
    if any(needs_port(e.path) for e in found):
        from functools import cmp_to_key

        found.sort(key=cmp_to_key(lambda x, y: strnatcmp(x.path, y.path)))
    else:
        found.sort(key=lambda e: natural_key(e.path))
    return found


def join(found: list[Entry]) -> str:
    return SEPARATOR.join(f"{e.path}:{e.value}" for e in found)


def string_to_sign(params: Mapping, skip: frozenset[str] = NEVER_SIGNED) -> str:
    """The exact text that goes into the HMAC for ``params``."""
    return join(entries(params, skip))


def float_paths(node: object, prefix: str = "") -> list[str]:
    """Paths holding floats: every SDK prints them differently, so they deserve a warning."""
    if isinstance(node, float):
        return [prefix]
    found: list[str] = []
    if isinstance(node, Mapping):
        for key, value in node.items():
            found += float_paths(value, f"{prefix}:{key}" if prefix else str(key))
    elif isinstance(node, list | tuple):
        for index, value in enumerate(node):
            found += float_paths(value, f"{prefix}:{index}" if prefix else str(index))
    return found
