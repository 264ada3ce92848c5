"""The string to sign as each known SDK (or common home-made implementation) builds it.

The spec (shared/spec/signature.md) is what ecp signs. The official SDKs disagree with it in
small ways, and integrators who write their own code tend to make the same few mistakes.
Each :class:`Variant` below reproduces exactly one of those ways, so that a signature that
does not match the spec can be tried against them: when one matches, we know what the
sender does differently and can tell them what to change.

Two kinds of variant:

* SDK variants (``python``, ``python_1_0_6``, ``js``, ``go``, ``whole_entry``) walk the
  document their own way: no doubled ``:`` in keys, their own sort, their own way of
  printing values and of removing signatures before verifying;
* single deviations from the spec (``frame_mode_included``, ``top_level_signature_only``,
  ``booleans_as_words``, ``booleans_sent_as_words``) reuse ecp's own canonical walk with
  one change to the input.

All of it is plain data manipulation; nothing here knows about the command line.
"""

import math
import re
from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ecp_cli.signing.canonical import (
    NEVER_SIGNED,
    NOT_SIGNED_IN_DOCUMENTS,
    Entry,
    entries,
    format_value,
    iter_entries,
    join,
)
from ecp_cli.signing.signature import hmac_signature

SIGNATURE_KEY = "signature"


# --- removing the received signature, three ways ---------------------------------------


def without_signatures_in_objects(node: object) -> Any:  # node's shape
    """Remove ``signature`` keys from objects reachable through objects only.

    The Python and Go SDKs do this before verifying a callback: they descend into nested
    objects but not into lists, so a ``signature`` inside a list element stays signed."""
    if not isinstance(node, Mapping):
        return node
    return {
        key: without_signatures_in_objects(value)
        for key, value in node.items()
        if key != SIGNATURE_KEY
    }


def without_received_signature(document: Mapping) -> dict:
    """Remove only the signature that was received (top level, else ``general``)."""
    result = dict(document)
    if SIGNATURE_KEY in result:
        del result[SIGNATURE_KEY]
        return result
    general = result.get("general")
    if isinstance(general, Mapping) and SIGNATURE_KEY in general:
        result["general"] = {k: v for k, v in general.items() if k != SIGNATURE_KEY}
    return result


def _map_leaves(node: object, change: Callable[[object], object]) -> Any:  # node's shape
    if isinstance(node, Mapping):
        return {key: _map_leaves(value, change) for key, value in node.items()}
    if isinstance(node, list | tuple):
        return [_map_leaves(value, change) for value in node]
    return change(node)


# --- a walk without doubled colons (every SDK but PHP and .NET) -------------------------


def _leaves(
    node: Mapping | list | tuple, value_text: Callable[[object, str], str], prefix: str = ""
) -> Iterator[Entry]:
    """Leaf entries in document order, keys joined with a single ``:`` whatever they hold,
    ``frame_mode`` skipped at every depth, empty containers contributing nothing."""
    items = node.items() if isinstance(node, Mapping) else enumerate(node)
    for key, value in items:
        name = str(key)
        if name in NEVER_SIGNED:
            continue
        path = f"{prefix}:{name}" if prefix else name
        if isinstance(value, Mapping | list | tuple):
            yield from _leaves(value, value_text, path)
        else:
            yield Entry(path, value_text(value, path))


# --- how each SDK prints a value -----------------------------------------------------------


def _common_value(value: object, path: str) -> str | None:
    """Values every SDK prints alike: booleans as 1/0, strings and integers as they are.
    None for the ones where SDKs differ (null, floats); anything else is not signable."""
    if value is True:
        return "1"
    if value is False:
        return "0"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if value is None or isinstance(value, float):
        return None
    return format_value(value, path)  # raises CanonicalError, as ecp's own signing does


def python_value(value: object, path: str) -> str:
    """Python SDK: ``str(value)``, so ``100.0`` stays ``100.0``; null is empty."""
    text = _common_value(value, path)
    if text is not None:
        return text
    return "" if value is None else str(value)


def python_1_0_6_value(value: object, path: str) -> str:
    """Python SDK 1.0.6 as published on PyPI: ``str(None)`` is the text ``None``."""
    return "None" if value is None else python_value(value, path)


def js_number(value: float) -> str:
    """A number as JavaScript's ``String(n)`` prints it (ECMAScript Number::toString)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    from decimal import Decimal  # only floats need it

    sign = "-" if value < 0 else ""
    # repr() gives the shortest digits that round-trip, as JavaScript does.
    _, digit_tuple, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    assert isinstance(exponent, int)  # finite: NaN and infinities returned above
    digits = "".join(map(str, digit_tuple))
    k = len(digits)
    n = exponent + k  # the value is 0.DIGITS x 10^n
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    power = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{mantissa}e{'+' if power >= 0 else '-'}{abs(power)}"


def js_value(value: object, path: str) -> str:
    text = _common_value(value, path)
    if text is not None:
        return text
    return js_number(value) if isinstance(value, float) else ""  # a float or None here


def go_value(value: object, path: str) -> str:
    """Go SDK: JSON numbers arrive as float64 and are printed truncated to an integer."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(int(float(value))) if abs(value) < 2**63 else str(value)
    if isinstance(value, float):
        return str(int(value)) if math.isfinite(value) else format_value(value, path)
    text = _common_value(value, path)
    return "" if text is None else text


# --- orders -----------------------------------------------------------------------------


def _by_path_lexicographic(found: Iterator[Entry]) -> list[Entry]:
    # The Python SDK keeps entries in a dict keyed by path (a later duplicate wins) and
    # sorts the paths as plain strings: "items:10" before "items:2".
    by_path = {entry.path: entry for entry in found}
    return [by_path[path] for path in sorted(by_path)]


def _by_whole_entry(found: Iterator[Entry]) -> list[Entry]:
    # Go, Java and .NET sort the finished "PATH:VALUE" strings, so "a1:x" (digit 0x31)
    # lands before "a:y" (colon 0x3A).
    return sorted(found, key=str)


_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]{0,9}")


def _js_key_order(keys: list[str]) -> list[str]:
    """The order of ``Object.entries`` after the JS SDK's ``Object.keys(o).sort()``.

    ``sort()`` compares UTF-16 code units, but the SDK copies the keys into a new object,
    and a JavaScript object lists array-index keys ("0", "1", "10") first, in numeric
    order, whatever order they were added in."""
    indices = [k for k in keys if _ARRAY_INDEX.fullmatch(k) and int(k) < 2**32 - 1]
    index_set = set(indices)
    names = [k for k in keys if k not in index_set]
    return sorted(indices, key=int) + sorted(names, key=lambda k: k.encode("utf-16-be"))


def _js_entries(node: Mapping | list | tuple, prefix: str = "") -> Iterator[Entry]:
    """The JS SDK walk: each object's keys sorted on their own level, then flattened."""
    if isinstance(node, Mapping):
        keyed = {str(key): value for key, value in node.items()}
    else:
        keyed = {str(index): value for index, value in enumerate(node)}
    for name in _js_key_order(list(keyed)):
        if name in NEVER_SIGNED:
            continue
        value = keyed[name]
        path = f"{prefix}:{name}" if prefix else name
        if isinstance(value, Mapping | list | tuple):
            yield from _js_entries(value, path)
        else:
            yield Entry(path, js_value(value, path))


def _spec_entries(document: Mapping, skip: frozenset[str] = NOT_SIGNED_IN_DOCUMENTS) -> list[Entry]:
    return entries(document, skip)


# --- the variants -------------------------------------------------------------------------


class Variant(namedtuple("Variant", "name title string differs fix build")):
    """One way of building the string to sign (a namedtuple: this module is imported by
    ``ecp verify``, and dataclasses cost start-up time).

    name: stable id, used by --as and in JSON; title: a short label ("the Python SDK");
    string: what the string is, completing "the signature matches ..."; differs: what it
    does unlike the spec, a whole sentence; fix: what a sender must change, completing "the
    sender must ..."; build: document -> the entries it signs, in its order."""

    __slots__ = ()

    def entries(self, document: Mapping) -> list[Entry]:
        return self.build(document)

    def string_to_sign(self, document: Mapping) -> str:
        return join(self.build(document))

    def sign(self, document: Mapping, secret: str) -> str:
        return hmac_signature(self.string_to_sign(document), secret)


def _python(document: Mapping) -> list[Entry]:
    return _by_path_lexicographic(_leaves(without_signatures_in_objects(document), python_value))


def _python_1_0_6(document: Mapping) -> list[Entry]:
    stripped = without_signatures_in_objects(document)
    return _by_path_lexicographic(_leaves(stripped, python_1_0_6_value))


def _js(document: Mapping) -> list[Entry]:
    # The JS SDK removes signatures at every depth, inside lists too, as the spec does.
    return list(_js_entries(_drop_key_everywhere(document, SIGNATURE_KEY)))


def _go(document: Mapping) -> list[Entry]:
    return _by_whole_entry(_leaves(without_signatures_in_objects(document), go_value))


def _whole_entry(document: Mapping) -> list[Entry]:
    return _by_whole_entry(iter_entries(document, NOT_SIGNED_IN_DOCUMENTS))


def _frame_mode_included(document: Mapping) -> list[Entry]:
    return _spec_entries(document, frozenset({SIGNATURE_KEY}))


def _top_level_signature_only(document: Mapping) -> list[Entry]:
    return _spec_entries(without_received_signature(document), NEVER_SIGNED)


def _booleans_as_words(document: Mapping) -> list[Entry]:
    def word(value: object) -> object:
        return ("true" if value else "false") if isinstance(value, bool) else value

    return _spec_entries(_map_leaves(document, word))


_WORD_BOOLEANS = {"true": True, "false": False}


def _booleans_sent_as_words(document: Mapping) -> list[Entry]:
    def digit(value: object) -> object:
        if isinstance(value, str) and value.lower() in _WORD_BOOLEANS:
            return _WORD_BOOLEANS[value.lower()]
        return value

    return _spec_entries(_map_leaves(document, digit))


def _drop_key_everywhere(node: object, key: str) -> Any:  # node's shape
    if isinstance(node, Mapping):
        return {k: _drop_key_everywhere(v, key) for k, v in node.items() if k != key}
    if isinstance(node, list | tuple):
        return [_drop_key_everywhere(v, key) for v in node]
    return node


VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in (
        Variant(
            "python",
            "the Python SDK",
            "the string the Python SDK would sign",
            "It sorts paths as plain text (items:10 before items:2), never doubles ':' inside "
            "keys, prints floats the Python way (100.0) and leaves signatures inside lists in.",
            "sort the entries in natural order (PHP's strnatcmp), not as plain text",
            _python,
        ),
        Variant(
            "python_1_0_6",
            "the Python SDK 1.0.6 (PyPI)",
            "the string the Python SDK 1.0.6 from PyPI would sign",
            "It signs null as the text 'None', sorts paths as plain text (items:10 before "
            "items:2) and never doubles ':' inside keys.",
            "sign null as an empty value (or leave such fields out) and sort the entries in "
            "natural order, not as plain text",
            _python_1_0_6,
        ),
        Variant(
            "js",
            "the JavaScript SDK (npm ecommpay)",
            "the string the JavaScript SDK (npm ecommpay) would sign",
            "It sorts the keys of each object on their own instead of sorting whole paths, and "
            "never doubles ':' inside keys.",
            "sort all the flattened paths together in natural order and double ':' inside keys",
            _js,
        ),
        Variant(
            "go",
            "the Go SDK",
            "the string the Go SDK would sign",
            "It sorts whole PATH:VALUE strings (so a1:... lands before a:...), truncates every "
            "number to an integer and never doubles ':' inside keys.",
            "sort by path alone, in natural order, not by the joined PATH:VALUE text",
            _go,
        ),
        Variant(
            "whole_entry",
            "the Java and .NET SDKs",
            "the string the Java and .NET SDKs would sign",
            "They sort whole PATH:VALUE strings (so a1:... lands before a:...).",
            "sort by path alone, in natural order, not by the joined PATH:VALUE text",
            _whole_entry,
        ),
        Variant(
            "frame_mode_included",
            "frame_mode signed",
            "the string with frame_mode signed",
            "The sender signed frame_mode, which is never part of the string to sign.",
            "leave frame_mode out of the string to sign, at any depth",
            _frame_mode_included,
        ),
        Variant(
            "top_level_signature_only",
            "nested signatures signed",
            "the string with only the received signature removed",
            "The sender removed only the signature it was about to add and signed the other "
            "keys named signature; every key named signature is left out, at any depth.",
            "remove every key named signature, at any depth (inside lists too), before signing",
            _top_level_signature_only,
        ),
        Variant(
            "booleans_as_words",
            "booleans signed as words",
            "the string with booleans signed as true/false",
            "Booleans are signed as 1 and 0, but the sender signed the words true and false.",
            "sign true as 1 and false as 0",
            _booleans_as_words,
        ),
        Variant(
            "booleans_sent_as_words",
            "booleans sent as words",
            "the string with the words true/false signed as 1/0",
            "The sender signed booleans as 1 and 0 but sent the words true and false (the "
            "usual Payment Page URL mistake), so the values received are not the ones signed.",
            "send booleans as 1 and 0, exactly as they were signed",
            _booleans_sent_as_words,
        ),
    )
}

# What `ecp sign --as NAME` accepts besides the variant names themselves.
SDK_ALIASES = {
    "python": "python",
    "python-1.0.6": "python_1_0_6",
    "js": "js",
    "node": "js",
    "javascript": "js",
    "go": "go",
    "java": "whole_entry",
    "dotnet": "whole_entry",
    ".net": "whole_entry",
}


_SHOWN_ALIASES = ("python", "python-1.0.6", "js", "go", "java", "dotnet")


def variant_names() -> list[str]:
    """The names to offer a user: the SDKs first, then the other variants' ids."""
    offered = set(SDK_ALIASES.values()) | {"python_1_0_6"}
    return list(_SHOWN_ALIASES) + [name for name in VARIANTS if name not in offered]


def resolve(name: str) -> Variant:
    """The variant for an SDK name or variant id; KeyError names the choices."""
    key = name.strip().lower()
    key = SDK_ALIASES.get(key, key).replace("-", "_")
    if key not in VARIANTS:
        raise KeyError(f"unknown SDK {name!r} (choose from: {', '.join(variant_names())})")
    return VARIANTS[key]


# --- where a variant's string differs from the spec's -------------------------------------


def _undoubled(path: str) -> str:
    return path.replace("::", ":")


def differences(spec: list[Entry], other: list[Entry], limit: int = 8) -> list[str]:
    """Plain-English lines saying where ``other`` differs from the spec's entries."""
    if spec == other:
        return []
    lines: list[str] = []
    spec_set, other_set = set(spec), set(other)
    other_by_path = {e.path: e for e in other if e not in spec_set}
    other_by_plain_path = {_undoubled(e.path): e for e in other if e not in spec_set}
    explained: set[Entry] = set()
    for entry in spec:
        if entry in other_set:
            continue
        twin = other_by_path.get(entry.path)
        if twin is not None:
            lines.append(f"{entry.path}: the spec signs {entry.value!r}, this signs {twin.value!r}")
            explained.add(twin)
            continue
        twin = other_by_plain_path.get(_undoubled(entry.path))
        if twin is not None and "::" in entry.path:
            lines.append(
                f"{entry.path}: the ':' inside the key is not doubled here ({twin.path})"
                + (f", and the value is {twin.value!r}" if twin.value != entry.value else "")
            )
            explained.add(twin)
            continue
        lines.append(f"{entry}: signed by the spec, missing here")
    for entry in other:
        if entry not in spec_set and entry not in explained:
            lines.append(f"{entry}: signed here, but not by the spec")
    spec_common = [e for e in spec if e in other_set]
    other_common = [e for e in other if e in spec_set]
    pairs = list(zip(spec_common, other_common, strict=False))
    first = next((i for i, (a, b) in enumerate(pairs) if a != b), None)
    if first is not None:
        moved = sum(a != b for a, b in pairs)
        lines.append(
            f"order: where the spec signs {spec_common[first]}, this signs "
            f"{other_common[first]} ({moved} of {len(spec_common)} shared entries sit in a "
            "different place)"
        )
    if len(lines) > limit:
        lines = lines[:limit] + [f"... and {len(lines) - limit} more differences"]
    return lines
