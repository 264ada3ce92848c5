"""The string to sign: flatten a parameter object into ``PATH:VALUE`` entries.

Implements "Building the string to sign" of the signature spec (docs/spec/signature.md):
depth-first walk, ``frame_mode`` never signed, ``:`` in keys doubled, list indices as keys,
empty containers contribute nothing, entries in PHP natural order, joined with ``;``.
"""

from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import add, itemgetter

from ecp_cli.signing.natural import natural_order, needs_port

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
    import math  # here: floats are rare in signed messages, and start-up counts

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
    if type(params) is dict:
        try:
            return _by_shape(params, skip)
        except (_NotThisWay, RecursionError):
            pass  # the general walk below decides, and words any error
    return _general_string(params, skip)


def _general_string(params: Mapping, skip: frozenset[str]) -> str:
    if not isinstance(params, Mapping):
        raise CanonicalError("", "the parameters must be an object")
    paths: list[str] = []
    values: list[str] = []
    _walk(params, skip, paths, values)
    _, heads, pick = _signing_order(tuple(paths))
    return SEPARATOR.join(map(add, heads, pick(values)))


# The fast path (``ecp verify --jsonl`` signs up to tens of thousands of callbacks a
# second, and callbacks of one integration come in a handful of shapes). For each shape
# met -- the keys of every object, the length of every list, the type of every leaf --
# a function is generated that checks that a document has exactly that shape and fills
# its values, in signing order, between the "PATH:" heads. A shape whose signing order
# could depend on document order (":" in a key, paths natural order compares with the
# port) is never generated; nor one with more than _MAX_SHAPE_LEAVES leaves. Each function
# is checked against the general code on the document it was made from before it is kept.
# The generated code names only its own variables: keys and paths travel as values.
# Compiling costs more than walking one document (a one-shot ``ecp verify FILE`` would pay
# it for nothing), so a function is made only for top-level keys met before; and a stream
# of distinct shapes (a hostile sender to ``ecp listen``) keeps at most _MAX_SHAPES
# functions of at most _MAX_SHAPE_LEAVES leaves.
# tests/signing/test_canonical_fast.py holds the two ways equal.


class _NotThisWay(Exception):
    """The fast path cannot sign this document; the general code will."""


_MAX_SHAPE_LEAVES = 500  # callbacks have tens
_MAX_SHAPES = 256  # bounded for long-running processes: then all are forgotten at once
_MAX_SHAPES_PER_KEYS = 8
_SIGHTINGS_BEFORE_GENERATING = 1  # top-level keys met this often are worth a function
_shapes: dict[tuple, list[Callable]] = {}  # (skip, top-level keys) -> shape functions
_shape_count = 0
_sightings: dict[tuple, int] = {}  # (skip, top-level keys) -> times met without a function
# What a document not of the shape tried may raise on the way: a missing key (KeyError),
# a str index, or "".join meeting something else where a str was (TypeError).
_NOT_THE_SHAPE = (KeyError, IndexError, TypeError)


def _by_shape(params: dict, skip: frozenset[str]) -> str:
    keys = (skip, tuple(params))
    tried = _shapes.get(keys)
    if tried is not None:
        for shaped in tried:
            try:
                text = shaped(params)
            except _NOT_THE_SHAPE:
                continue
            if text is not None:
                return text
    return _new_shape(params, skip, keys)


def _new_shape(params: dict, skip: frozenset[str], keys: tuple) -> str:
    global _shape_count
    paths: list[str] = []
    values: list[str] = []
    _walk(params, skip, paths, values)
    order, heads, pick = _signing_order(tuple(paths))
    text = SEPARATOR.join(map(add, heads, pick(values)))
    if len(paths) > _MAX_SHAPE_LEAVES or any(map(needs_port, paths)):
        return text
    seen = _sightings.get(keys, 0)
    if seen < _SIGHTINGS_BEFORE_GENERATING:
        if len(_sightings) >= 8 * _MAX_SHAPES:
            _sightings.clear()
        _sightings[keys] = seen + 1
        return text
    try:
        shaped = _shape_function(params, skip, paths, order)
    except _NotThisWay:
        return text
    if shaped(params) != text:  # cannot happen; keep only what agrees with the walk
        return text
    if _shape_count >= _MAX_SHAPES:
        _shapes.clear()
        _shape_count = 0
    tried = _shapes.setdefault(keys, [])
    if len(tried) < _MAX_SHAPES_PER_KEYS:
        tried.append(shaped)
        _shape_count += 1
    return text


def _shape_function(params: dict, skip: frozenset[str], paths: list[str], order) -> Callable:
    """Generate the function that signs documents of ``params``' shape (None for others)."""
    code: list[str] = []
    constants: list[object] = []  # the keys, by name k0, k1, ...
    leaves: list[str] = []  # per leaf: the argument of the template, or "" for a null
    names = iter(range(1 << 30))

    def visit(var: str, node: "Any") -> None:
        if type(node) is dict:
            code.append(f"if type({var}) is not dict or len({var}) != {len(node)}: return None")
            for key, value in node.items():
                if type(key) is not str or ":" in key:
                    raise _NotThisWay
                k = f"k{len(constants)}"
                constants.append(key)
                if key in skip:  # present, whatever it holds
                    code.append(f"if {k} not in {var}: return None")
                    continue
                child = f"v{next(names)}"
                code.append(f"{child} = {var}[{k}]")
                leaf(child, value)
        else:
            code.append(f"if type({var}) is not list or len({var}) != {len(node)}: return None")
            for index, value in enumerate(node):
                child = f"v{next(names)}"
                code.append(f"{child} = {var}[{index}]")
                leaf(child, value)

    def leaf(var: str, value: "Any") -> None:
        kind = type(value)
        if kind is dict or kind is list:
            visit(var, value)
        elif kind is str:
            leaves.append(var)
        elif kind is int:
            if not INT64_MIN <= value <= INT64_MAX:
                raise _NotThisWay  # PHP reads it as a float: the general code knows how
            code.append(
                f"if type({var}) is not int or not {INT64_MIN} <= {var} <= {INT64_MAX}: return None"
            )
            leaves.append(f"str({var})")
        elif kind is bool:
            code.append(f"if type({var}) is not bool: return None")
            leaves.append(f"({var} and '1' or '0')")
        elif value is None:
            code.append(f"if {var} is not None: return None")
            leaves.append("")
        elif kind is float:
            code.append(f"if type({var}) is not float: return None")
            leaves.append(f"php_float({var})")
        else:
            raise _NotThisWay

    visit("document", params)
    if len(leaves) != len(paths):  # cannot happen: both walks go in document order
        raise _NotThisWay
    pieces: list[str] = []  # "PATH:" heads (constants) and values, in signing order
    for number, index in enumerate(order):
        pieces.append(f"k{len(constants)}")
        constants.append((SEPARATOR if number else "") + paths[index] + ":")
        if leaves[index]:
            pieces.append(leaves[index])
    # join, not %-formatting: it refuses anything but a str where a str was, and takes a
    # str subclass's text as the general walk does.
    code.append(f"return join(({''.join(f'{piece}, ' for piece in pieces)}))")
    body = "\n        ".join(code)
    source = (
        f"def make(join, php_float, {', '.join(f'k{i}' for i in range(len(constants)))}):\n"
        f"    def shaped(document):\n        {body}\n    return shaped\n"
    )
    namespace: dict = {}
    exec(compile(source, "<ecp canonical shape>", "exec"), namespace)  # noqa: S102 - see above
    return namespace["make"]("".join, php_float, *constants)


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
