"""The string to sign: flatten a parameter object into ``PATH:VALUE`` entries.

Implements "Building the string to sign" of the signature spec (docs/spec/signature.md):
depth-first walk, ``frame_mode`` never signed, ``:`` in keys doubled, list indices as keys,
empty containers contribute nothing, entries in PHP natural order, joined with ``;``.
"""

import math
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import add, itemgetter

from ecp_cli.signing.natural import natural_order

TYPE_CHECKING = False  # typing costs `ecp verify` start-up time; Any is for annotations
if TYPE_CHECKING:
    from typing import Any

SEPARATOR = ";"
NEVER_SIGNED = frozenset({"frame_mode"})
# Verification and signing also leave out every key named "signature", at any depth, so a
# signed document verifies whatever level its signature was embedded at.
NOT_SIGNED_IN_DOCUMENTS = frozenset({"frame_mode", "signature"})


class CanonicalError(ValueError):
    """A value that has no place in a signed message (a set, bytes, nesting deeper than
    Python's recursion limit, ...)."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path or '(root)'}: {problem}")
        self.path = path
        self.problem = problem


class Entry(namedtuple("Entry", "path value")):
    """One ``PATH:VALUE`` entry of the string to sign."""

    __slots__ = ()

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


# PHP's integers are 64-bit: json_decode turns an integer outside this range into a float,
# so the platform signs 9223372036854775808 as 9.2233720368548E+18 (-2**63 stays exact).
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def php_integer(value: int) -> str:
    """An integer as PHP signs it after json_decode: exact within 64 bits, else the float
    it became (INF beyond the largest double)."""
    if INT64_MIN <= value <= INT64_MAX:
        return str(value)
    try:
        return php_float(float(value))
    except OverflowError:
        return "INF" if value > 0 else "-INF"


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
        return php_integer(value)
    if isinstance(value, float):
        return php_float(value)
    raise CanonicalError(path, f"a {type(value).__name__} cannot be signed")


def _key_text(key: object, path: str) -> str:
    """A non-str key: list indices, and integer keys YAML may give (PHP keys them alike)."""
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)
    raise CanonicalError(path, f"key {key!r} is not a string")


# Paths of each object level met so far, by (skip, prefix, keys): callbacks of one
# integration repeat a few shapes, so key escaping and path building happen once per shape.
_level_paths: dict[tuple, tuple[str | None, ...]] = {}


def _paths_of_level(skip: frozenset[str], prefix: str, keys: tuple) -> tuple[str | None, ...]:
    cache_key = (skip, prefix, keys)
    paths = _level_paths.get(cache_key)
    if paths is None:
        built: list[str | None] = []
        for key in keys:
            name = key if type(key) is str else _key_text(key, prefix)
            if name in skip:
                built.append(None)  # never signed
                continue
            name = name.replace(":", "::")
            built.append(prefix + ":" + name if prefix else name)
        paths = tuple(built)
        if len(_level_paths) > 50_000:  # bounded for long-running processes
            _level_paths.clear()
        _level_paths[cache_key] = paths
    return paths


def _flatten(node: "Any", skip: frozenset[str], prefix: str, paths: list, values: list) -> None:
    """Append the paths and values of ``node``'s leaves, depth-first, in document order.

    The hot path of ``ecp verify --jsonl``: exact type checks for what JSON gives (dict,
    list, str, int, bool, None) come first; the general (slow, ABC) checks only for the
    mappings and sequences a library caller may pass."""
    pairs: Iterable[tuple[str | None, Any]]
    if type(node) is dict or isinstance(node, Mapping):
        pairs = zip(_paths_of_level(skip, prefix, tuple(node)), node.values(), strict=True)
    elif prefix:
        pairs = ((f"{prefix}:{index}", value) for index, value in enumerate(node))
    else:  # a list under an empty key: its indices start the path, as objects' keys do
        pairs = ((str(index), value) for index, value in enumerate(node))
    for path, value in pairs:
        if path is None:
            continue
        kind = type(value)
        if kind is str:
            paths.append(path)
            values.append(value)
        elif kind is dict or kind is list:
            _flatten(value, skip, path, paths, values)
        elif kind is int:
            paths.append(path)
            values.append(str(value) if INT64_MIN <= value <= INT64_MAX else php_integer(value))
        elif kind is bool or value is None or kind is float:
            paths.append(path)
            values.append(format_value(value, path))
        elif isinstance(value, Mapping | list | tuple):
            _flatten(value, skip, path, paths, values)
        else:
            paths.append(path)
            values.append(format_value(value, path))


def _walk(params: Mapping, skip: frozenset[str], paths: list, values: list) -> None:
    try:
        _flatten(params, skip, "", paths, values)
    except RecursionError:
        raise CanonicalError("", "nested too deeply to sign") from None


# Callbacks of one integration share a handful of shapes: remember, for each sequence of
# paths met, the order natural sorting puts it in, the "PATH:" heads in that order and a C
# function that picks the values in that order. Signing a known shape is then one lookup.
_order_cache: dict[tuple[str, ...], tuple[tuple[int, ...], tuple[str, ...], Callable]] = {}


def _signing_order(paths: tuple[str, ...]) -> tuple[tuple[int, ...], tuple[str, ...], Callable]:
    cached = _order_cache.get(paths)
    if cached is None:
        order = tuple(natural_order(paths))
        heads = tuple(paths[i] + ":" for i in order)
        if len(order) == 1:
            index = order[0]

            def pick_one(values, index=index):
                return (values[index],)

            pick: Callable = pick_one
        else:
            pick = itemgetter(*order) if order else (lambda values: ())
        if len(_order_cache) > 10_000:  # bounded: a long-running listener sees many shapes
            _order_cache.clear()
        cached = _order_cache[paths] = (order, heads, pick)
    return cached


def sorted_pairs(params: Mapping, skip: frozenset[str] = NEVER_SIGNED) -> list[tuple[str, str]]:
    """(path, value) pairs of ``params`` in signing order."""
    if not isinstance(params, Mapping):
        raise CanonicalError("", "the parameters must be an object")
    paths: list[str] = []
    values: list[str] = []
    _walk(params, skip, paths, values)
    return [(paths[i], values[i]) for i in _signing_order(tuple(paths))[0]]


def iter_entries(
    node: object, skip: frozenset[str] = NEVER_SIGNED, prefix: str = ""
) -> Iterator[Entry]:
    """The unsorted leaf entries of ``node`` in document order, skipping keys in ``skip``."""
    if not isinstance(node, Mapping | list | tuple):
        yield Entry(prefix, format_value(node, prefix))
        return
    paths: list[str] = []
    values: list[str] = []
    _flatten(node, skip, prefix, paths, values)
    for path, value in zip(paths, values, strict=True):
        yield Entry(path, value)


def entries(params: Mapping, skip: frozenset[str] = NEVER_SIGNED) -> list[Entry]:
    """The entries of ``params`` in signing order."""
    return [Entry(path, value) for path, value in sorted_pairs(params, skip)]


def join(found: list[Entry]) -> str:
    return SEPARATOR.join(f"{e.path}:{e.value}" for e in found)


def string_to_sign(params: Mapping, skip: frozenset[str] = NEVER_SIGNED) -> str:
    """The exact text the platform's SDK ``SignatureHandler::sign(params)`` puts into the
    HMAC: every key but ``frame_mode``, keys named ``signature`` included.

    To sign or verify a document that carries its signature, use
    :func:`ecp_cli.signing.signature.signed_string` (the pair of ``signature.sign`` and
    ``signature.verify``): it also leaves out every ``signature`` key, as the SDK's callback
    check does before calling ``sign``."""
    if not isinstance(params, Mapping):
        raise CanonicalError("", "the parameters must be an object")
    paths: list[str] = []
    values: list[str] = []
    _walk(params, skip, paths, values)
    _, heads, pick = _signing_order(tuple(paths))
    return SEPARATOR.join(map(add, heads, pick(values)))


class deep_stack:  # noqa: N801 - used as a plain context manager: `with deep_stack():`
    """Room on the stack for walking documents nested as deeply as they may be (511
    levels, as PHP reads them) with helpers that take two frames a level (a recursive
    function and its comprehension), for the duration of a ``with`` block only."""

    NEEDED = 5000

    def __enter__(self) -> None:
        import sys

        self._limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(self._limit, self.NEEDED))

    def __exit__(self, *exc_info: object) -> None:
        import sys

        sys.setrecursionlimit(self._limit)


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
