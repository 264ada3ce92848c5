"""The string to sign as each official SDK (or common home-made implementation) builds it.

The spec (docs/spec/signature.md) is what ecp signs. The official SDKs disagree with it in
small ways, and integrators who write their own code tend to make the same few mistakes.
Each :class:`Variant` below reproduces exactly one of those ways, so that a signature that
does not match the spec can be tried against them: when one matches, we know what the
sender does differently and can tell them what to change.

Two kinds of variant:

* SDK variants walk the document as that SDK does, modelled from its source at the version
  named in :data:`SDK_VERSIONS` (and, for PHP, Python and Node, checked against the real
  SDK run on thousands of documents: tests/fixtures/oracles). Each reproduces what the SDK
  signs when it checks a callback: its own way of removing the received signature, then
  its ``sign``. docs/spec/sdk-variants.md lists what each one does;
* single deviations from the spec (``frame_mode_included``, ``top_level_signature_only``,
  ``whole_entry``, ``booleans_as_words``, ``booleans_sent_as_words``) reuse ecp's own
  canonical walk with one change. :func:`combined` pairs an input change with a walk, for
  senders who make two mistakes at once.

All of it is plain data manipulation; nothing here knows about the command line.
"""

import math
import re
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping

from ecp_cli.signing.canonical import (
    INT64_MAX,
    INT64_MIN,
    NEVER_SIGNED,
    NOT_SIGNED_IN_DOCUMENTS,
    CanonicalError,
    Entry,
    deep_stack,
    entries,
    format_value,
    iter_entries,
    join,
    php_float,
    php_integer,
)
from ecp_cli.signing.natural import natural_order
from ecp_cli.signing.signature import hmac_signature

TYPE_CHECKING = False  # typing costs ~4 ms of start-up; Any is for annotations
if TYPE_CHECKING:
    from typing import Any

SIGNATURE_KEY = "signature"

# What each SDK variant was modelled from: the source it reproduces.
SDK_VERSIONS = {
    "php": "paymentpage-sdk-php cf81e39 (Dec 2025)",
    "python": "paymentpage-sdk-python master 35ed5ec (PE-702, Dec 2023)",
    "python_1_0_6": "ecommpay-sdk 1.0.6 on PyPI",
    "js": "ecommpay 0.1.7 on npm",
    "go": "paymentpage-sdk-go db11425 (Dec 2025), on amd64",
    "java": "paymentpage-sdk-java 0faf4eb (Jan 2026), Jackson, JDK 19 or later",
    "dotnet": "paymentpage-sdk-net 3a09773 (Feb 2025), System.Text.Json, ICU collation",
}
# --- removing the received signature, as each SDK's callback check does -----------------


def without_signatures_in_objects(node: object) -> "Any":  # node's shape
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


def without_set_signatures(node: object) -> "Any":  # node's shape
    """The PHP SDK's ``removeParam``: ``unset`` a ``signature`` that ``isset`` (so not a null
    one), in objects and lists, at every depth."""
    if isinstance(node, Mapping):
        return {
            key: without_set_signatures(value)
            for key, value in node.items()
            if not (key == SIGNATURE_KEY and value is not None)
        }
    if isinstance(node, list | tuple):
        return [without_set_signatures(value) for value in node]
    return node


def without_shallowest_signatures(node: object) -> "Any":  # node's shape
    """The Java SDK's ``removeParam``: an object with a non-null ``signature`` loses it and
    is not descended into; otherwise each nested object (not list) is tried the same way."""
    if not isinstance(node, Mapping):
        return node
    if node.get(SIGNATURE_KEY) is not None:
        return {key: value for key, value in node.items() if key != SIGNATURE_KEY}
    return {key: without_shallowest_signatures(value) for key, value in node.items()}


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


def _drop_key_everywhere(node: object, key: str) -> "Any":  # node's shape
    if isinstance(node, Mapping):
        return {k: _drop_key_everywhere(v, key) for k, v in node.items() if k != key}
    if isinstance(node, list | tuple):
        return [_drop_key_everywhere(v, key) for v in node]
    return node


def _map_leaves(node: object, change: Callable[[object], object]) -> "Any":  # node's shape
    if isinstance(node, Mapping):
        return {key: _map_leaves(value, change) for key, value in node.items()}
    if isinstance(node, list | tuple):
        return [_map_leaves(value, change) for value in node]
    return change(node)


# --- how each SDK prints a value -----------------------------------------------------------


def _common_value(value: object, path: str) -> str | None:
    """Values every SDK prints alike: booleans as 1/0, strings as they are. None for the
    ones where SDKs differ (null, numbers); anything else is not signable."""
    if value is True:
        return "1"
    if value is False:
        return "0"
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, int | float):
        return None
    return format_value(value, path)  # raises CanonicalError, as ecp's own signing does


def python_value(value: object, path: str) -> str:
    """Python SDK: ``str(value)``: exact integers, ``100.0``, ``1e+20``; null is empty."""
    text = _common_value(value, path)
    if text is not None:
        return text
    return "" if value is None else str(value)


def python_1_0_6_value(value: object, path: str) -> str:
    """Python SDK 1.0.6 as published on PyPI: ``str(None)`` is the text ``None``."""
    return "None" if value is None else python_value(value, path)


def _shortest_digits(value: float) -> tuple[str, int]:
    """The shortest digits that round-trip (as JavaScript and Java 19+ print them) and n,
    with abs(value) == 0.DIGITS x 10^n."""
    from decimal import Decimal  # only numbers need it

    _, digit_tuple, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    return digits, int(exponent) + len(digits)


def js_number(value: float) -> str:
    """A number as JavaScript's ``String(n)`` prints it (ECMAScript Number::toString)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    digits, n = _shortest_digits(value)
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    power = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{mantissa}e{'+' if power >= 0 else '-'}{abs(power)}"


def _as_double(value: int | float) -> float:
    """A JSON number as a parser that reads every number as a double holds it."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def js_value(value: object, path: str) -> str:
    """Node SDK: ``JSON.parse`` reads every number as a double, so an integer above 2^53
    is signed rounded, as ``String(Number(n))`` prints it."""
    text = _common_value(value, path)
    if text is not None:
        return text
    return "" if value is None else js_number(_as_double(value))  # type: ignore[arg-type]


def go_value(value: object, path: str) -> str:
    """Go SDK: JSON numbers arrive as float64 and are printed as ``strconv.Itoa(int(f))``:
    truncated, and (on amd64) -9223372036854775808 when outside int64."""
    text = _common_value(value, path)
    if text is not None:
        return text
    if value is None:
        return ""
    number = _as_double(value)  # type: ignore[arg-type]
    if math.isinf(number):
        raise CanonicalError(path, "the Go SDK cannot read a number this large (json error)")
    if -(2.0**63) <= number < 2.0**63:
        return str(int(number))
    return str(INT64_MIN)


def java_double(value: float) -> str:
    """A double as Java's ``Double.toString`` prints it (JDK 19+: shortest digits)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    sign = "-" if value < 0 else ""
    digits, n = _shortest_digits(value)
    if 1e-3 <= abs(value) < 1e7:
        if n <= 0:
            return f"{sign}0.{'0' * -n}{digits}"
        whole, fraction = digits[:n].ljust(n, "0"), digits[n:]
        return f"{sign}{whole}.{fraction or '0'}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{n - 1}"


def java_value(value: object, path: str) -> str:
    """Java SDK (Jackson): integers exact (Integer, Long, BigInteger), other numbers
    ``Double.toString``; a null makes ``toString()`` throw, so nothing is signed."""
    text = _common_value(value, path)
    if text is not None:
        return text
    if value is None:
        raise CanonicalError(path, "the Java SDK throws a NullPointerException on a null value")
    if isinstance(value, int):
        return str(value)
    return java_double(value)  # type: ignore[arg-type]


_DOTNET_WHITESPACE = " \t\n\v\f\r\x00\x85\xa0"


def dotnet_value(value: object) -> str:
    """.NET SDK: ``JsonElement.ToString()`` (a nested object or list is its JSON text,
    rebuilt here compactly), then any text ``bool.TryParse`` reads becomes 1 or 0."""
    import json  # only the .NET variant needs it

    if value is True or value is False:
        text = "True" if value else "False"
    elif value is None:
        text = ""
    elif isinstance(value, str):
        text = value
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    word = text.strip(_DOTNET_WHITESPACE).lower()
    if word in ("true", "false"):
        return "1" if word == "true" else "0"
    return text


# --- walks -------------------------------------------------------------------------------


def _leaves(
    node: object,
    value_text: Callable[[object, str], str],
    prefix: str = "",
    double_colons: Callable[[str], bool] = lambda prefix: False,
) -> Iterator[Entry]:
    """Leaf entries in document order: a key is joined to a non-empty prefix with ``:``
    (doubled inside it where ``double_colons(prefix)``), ``frame_mode`` skipped at every
    depth, empty containers contributing nothing."""
    items = node.items() if isinstance(node, Mapping) else enumerate(node)  # type: ignore[arg-type]
    for key, value in items:
        name = str(key)
        if name in NEVER_SIGNED:
            continue
        if double_colons(prefix):
            name = name.replace(":", "::")
        path = f"{prefix}:{name}" if prefix else name
        if isinstance(value, Mapping | list | tuple):
            yield from _leaves(value, value_text, path, double_colons)
        else:
            yield Entry(path, value_text(value, path))


def _always(prefix: str) -> bool:
    return True


def _at_top(prefix: str) -> bool:
    return prefix == ""


def _by_path_lexicographic(found: Iterable[Entry]) -> list[Entry]:
    # The Python SDK keeps entries in a dict keyed by path (a later duplicate wins) and
    # sorts the paths as plain strings: "items:10" before "items:2".
    by_path = {entry.path: entry for entry in found}
    return [by_path[path] for path in sorted(by_path)]


def _last_per_path(found: Iterable[Entry]) -> list[Entry]:
    # Go and Java collect entries in a map keyed by path: one entry per path.
    return list({entry.path: entry for entry in found}.values())


def _by_whole_entry(found: Iterable[Entry]) -> list[Entry]:
    # Go sorts the finished "PATH:VALUE" strings byte-wise, so "a1:x" (digit 0x31) lands
    # before "a:y" (colon 0x3A). Python compares str by code point: the UTF-8 byte order.
    return sorted(found, key=str)


def _utf16(entry: Entry) -> bytes:
    return str(entry).encode("utf-16-be", "surrogatepass")


def _by_whole_entry_utf16(found: Iterable[Entry]) -> list[Entry]:
    # Java's String.compareTo compares UTF-16 code units: astral characters (surrogates,
    # 0xD800-0xDFFF) sort before U+E000-U+FFFF.
    return sorted(found, key=_utf16)


# An approximation of ICU's root collation (what .NET's culture-aware string comparison
# uses on Linux) for the characters signed strings hold: spaces, then punctuation and
# symbols in this order, then digits, then letters regardless of case (lower case first
# when all else is equal), then everything else by code point.
_ICU_PUNCTUATION = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"


def _icu_key(entry: Entry) -> tuple:
    primary: list[tuple[int, int]] = []
    tertiary: list[int] = []
    for char in str(entry):
        if char.isspace():
            primary.append((0, ord(char)))
        elif char in _ICU_PUNCTUATION:
            primary.append((1, _ICU_PUNCTUATION.index(char)))
        elif "0" <= char <= "9":
            primary.append((2, ord(char)))
        elif char.isascii() and char.isalpha():
            primary.append((3, ord(char.lower())))
            tertiary.append(char.isupper())
        elif ord(char) < 0x20:
            continue  # control characters are ignorable
        else:
            primary.append((4, ord(char)))
    return (primary, tertiary)


def _by_culture(found: Iterable[Entry]) -> list[Entry]:
    return sorted(found, key=_icu_key)


_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]{0,9}")


def _js_key_order(keys: list[str]) -> list[str]:
    """The order of ``Object.entries`` after the JS SDK's ``Object.keys(o).sort()``.

    ``sort()`` compares UTF-16 code units, but the SDK copies the keys into a new object,
    and a JavaScript object lists array-index keys ("0", "1", "10") first, in numeric
    order, whatever order they were added in."""
    indices = [k for k in keys if _ARRAY_INDEX.fullmatch(k) and int(k) < 2**32 - 1]
    index_set = set(indices)
    names = [k for k in keys if k not in index_set]
    return sorted(indices, key=int) + sorted(
        names, key=lambda k: k.encode("utf-16-be", "surrogatepass")
    )


def _js_entries(node: Mapping | list | tuple, prefix: str = "") -> Iterator[Entry]:
    """The JS SDK walk: each object's keys sorted on their own level, then flattened."""
    keyed: dict[str, object]
    if isinstance(node, Mapping):
        keyed = {str(key): value for key, value in node.items()}
    else:
        keyed = {str(index): value for index, value in enumerate(node)}
    for name in _js_key_order(list(keyed)):
        if name in NEVER_SIGNED or name == "__proto__":  # __proto__ is not copied as a key
            continue
        value = keyed[name]
        path = f"{prefix}:{name}" if prefix else name
        if isinstance(value, Mapping | list | tuple):
            yield from _js_entries(value, path)
        else:
            yield Entry(path, js_value(value, path))


def _spec_entries(document: Mapping, skip: frozenset[str] = NOT_SIGNED_IN_DOCUMENTS) -> list[Entry]:
    return entries(document, skip)


# --- the PHP SDK, quirks included ----------------------------------------------------------

_PHP_INTEGER_KEY = re.compile(r"-?(0|[1-9][0-9]*)")

# The PHP SDK's ways of differing from the spec that real payloads never meet (see
# docs/spec/sdk-variants.md), by id: what happens, completing "the PHP SDK ...".
PHP_QUIRKS = {
    "php_zero_key_prefix": (
        'drops a top-level "0" key from the paths below it, because PHP reads the prefix '
        '"0" as false: {"0":{"a":1}} signs a:1'
    ),
    "php_renumbered_keys": (
        "renumbers numeric paths when it merges nested entries (array_merge), which changes "
        'their order: {"10":"a","9":"b","x":{"y":1}} signs 10:a;9:b;x:y:1'
    ),
    "php_colliding_paths": (
        "keeps only the last of two entries whose paths are equal once ':' is doubled: "
        '{"a:":{"b":1},"a":{":b":2}} signs a:::b:2 alone'
    ),
    "php_null_signature_kept": (
        'keeps a "signature": null in the string it checks, because isset(null) is false: '
        '{"a":1,"signature":null,...} signs signature: too'
    ),
}


def _php_key(text: str) -> int | str:
    """PHP array keys: a decimal integer string within 64 bits becomes an integer key."""
    if _PHP_INTEGER_KEY.fullmatch(text) and text != "-0":
        number = int(text)
        if INT64_MIN <= number <= INT64_MAX:
            return number
    return text


def _php_value(value: object, path: str) -> str:
    text = _common_value(value, path)
    if text is not None:
        return text
    if value is None:
        return ""
    if isinstance(value, int):
        return php_integer(value)
    return php_float(value)  # type: ignore[arg-type]


def _php_merge(into: dict, other: dict, quirks: set[str]) -> dict:
    """``array_merge``: integer keys appended and renumbered, string keys overwritten."""
    merged: dict = {}
    for part in (into, other):
        for key, value in part.items():
            if isinstance(key, int):
                if key != len([k for k in merged if isinstance(k, int)]):
                    quirks.add("php_renumbered_keys")
                merged[sum(isinstance(k, int) for k in merged)] = value
            else:
                if key in merged:
                    quirks.add("php_colliding_paths")
                merged[key] = value
    return merged


def _php_params(node: object, prefix: str, quirks: set[str]) -> dict:
    """``SignatureHandler::getParamsToSign``, PHP arrays as dicts with int or str keys."""
    found: dict = {}
    items = node.items() if isinstance(node, Mapping) else enumerate(node)  # type: ignore[arg-type]
    for key, value in items:
        name = str(key)
        if name in NEVER_SIGNED:
            continue
        if prefix == "0":
            quirks.add("php_zero_key_prefix")
        path = (f"{prefix}:" if prefix not in ("", "0") else "") + name.replace(":", "::")
        if isinstance(value, Mapping | list | tuple):
            found = _php_merge(found, _php_params(value, path, quirks), quirks)
        else:
            slot = _php_key(path)
            if slot in found:
                quirks.add("php_colliding_paths")
            found[slot] = Entry(path, _php_value(value, path))
    return found


def php_sdk_entries(params: Mapping) -> tuple[list[Entry], set[str]]:
    """The entries the PHP SDK's ``SignatureHandler::sign(params)`` signs, in its order,
    and the quirks (ids of :data:`PHP_QUIRKS`) met on the way."""
    quirks: set[str] = set()
    found = _php_params(params, "", quirks)
    keys = [str(key) for key in found]
    values = list(found.values())
    return [values[i] for i in natural_order(keys)], quirks


def php_quirks(document: Mapping) -> list[str]:
    """The PHP quirks that make the PHP SDK's callback check sign ``document`` unlike the
    spec (empty when it signs it as the spec does)."""
    checked = without_set_signatures(document)
    found, quirks = php_sdk_entries(checked)
    if found == entries(document, NOT_SIGNED_IN_DOCUMENTS):
        return []
    if _has_null_signature(document):
        quirks.add("php_null_signature_kept")
    return [name for name in PHP_QUIRKS if name in quirks]


def _has_null_signature(node: object) -> bool:
    if isinstance(node, Mapping):
        return any(
            (key == SIGNATURE_KEY and value is None) or _has_null_signature(value)
            for key, value in node.items()
        )
    if isinstance(node, list | tuple):
        return any(_has_null_signature(value) for value in node)
    return False


# --- the variants -------------------------------------------------------------------------


class Variant(namedtuple("Variant", "name title string differs fix build")):
    """One way of building the string to sign (a namedtuple: this module is imported by
    ``ecp verify``, and dataclasses cost start-up time).

    name: stable id, used by --as and in JSON; title: a short label naming the SDK and its
    version ("the Python SDK (...)"); string: what the string is, completing "the signature
    matches ..."; differs: what it does unlike the spec, a whole sentence; fix: what a
    sender must change, completing "the sender must ..."; build: document -> the entries it
    signs, in its order."""

    __slots__ = ()

    def entries(self, document: Mapping) -> list[Entry]:
        try:
            return self.build(document)
        except RecursionError:
            pass
        # Documents may nest 511 levels (as PHP reads them); some walks here take two
        # frames a level, so they get the stack they need, for this call only.
        with deep_stack():
            try:
                return self.build(document)
            except RecursionError:
                raise CanonicalError("", "nested too deeply to sign") from None

    def string_to_sign(self, document: Mapping) -> str:
        return join(self.entries(document))

    def sign(self, document: Mapping, secret: str) -> str:
        return hmac_signature(self.string_to_sign(document), secret)


def _php(document: Mapping) -> list[Entry]:
    return php_sdk_entries(without_set_signatures(document))[0]


def _python(document: Mapping) -> list[Entry]:
    stripped = without_signatures_in_objects(document)
    return _by_path_lexicographic(_leaves(stripped, python_value, "", _always))


def _python_1_0_6(document: Mapping) -> list[Entry]:
    stripped = without_signatures_in_objects(document)
    return _by_path_lexicographic(_leaves(stripped, python_1_0_6_value))


def _js(document: Mapping) -> list[Entry]:
    # The JS SDK removes signatures at every depth, inside lists too, as the spec does.
    return list(_js_entries(_drop_key_everywhere(document, SIGNATURE_KEY)))


def _go(document: Mapping) -> list[Entry]:
    stripped = without_signatures_in_objects(document)
    return _by_whole_entry(_last_per_path(_leaves(stripped, go_value, "", _at_top)))


def _java(document: Mapping) -> list[Entry]:
    stripped = without_shallowest_signatures(document)
    return _by_whole_entry_utf16(_last_per_path(_leaves(stripped, java_value, "", _always)))


def _dotnet(document: Mapping) -> list[Entry]:
    found = (
        Entry(str(key).replace(":", "::"), dotnet_value(value))
        for key, value in document.items()
        if key not in NOT_SIGNED_IN_DOCUMENTS
    )
    return _by_culture(found)


def _whole_entry(document: Mapping) -> list[Entry]:
    return _by_whole_entry(iter_entries(document, NOT_SIGNED_IN_DOCUMENTS))


def _frame_mode_included(document: Mapping) -> list[Entry]:
    return _spec_entries(document, frozenset({SIGNATURE_KEY}))


def _top_level_signature_only(document: Mapping) -> list[Entry]:
    return _spec_entries(without_received_signature(document), NEVER_SIGNED)


def _words(document: Mapping) -> Mapping:
    def word(value: object) -> object:
        return ("true" if value else "false") if isinstance(value, bool) else value

    return _map_leaves(document, word)


def _booleans_as_words(document: Mapping) -> list[Entry]:
    return _spec_entries(_words(document))


_WORD_BOOLEANS = {"true": True, "false": False}


def _digits(document: Mapping) -> Mapping:
    def digit(value: object) -> object:
        if isinstance(value, str) and value.lower() in _WORD_BOOLEANS:
            return _WORD_BOOLEANS[value.lower()]
        return value

    return _map_leaves(document, digit)


def _booleans_sent_as_words(document: Mapping) -> list[Entry]:
    return _spec_entries(_digits(document))


# Short labels naming the version each SDK variant reproduces (SDK_VERSIONS says more).
SDK_TITLES = {
    "php": "the PHP SDK (git cf81e39)",
    "python": "the Python SDK (git master 35ed5ec, PE-702)",
    "python_1_0_6": "the Python SDK 1.0.6 (PyPI ecommpay-sdk)",
    "js": "the Node SDK 0.1.7 (npm ecommpay)",
    "go": "the Go SDK (git db11425)",
    "java": "the Java SDK (git 0faf4eb)",
    "dotnet": "the .NET SDK (git 3a09773)",
}


VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in (
        Variant(
            "python",
            SDK_TITLES["python"],
            f"the string {SDK_TITLES['python']} would sign",
            "It sorts paths as plain text (items:10 before items:2), prints floats the Python "
            "way (100.0, 1e+20) and leaves signatures inside lists in.",
            "sort the entries in natural order (PHP's strnatcmp), not as plain text",
            _python,
        ),
        Variant(
            "python_1_0_6",
            SDK_TITLES["python_1_0_6"],
            f"the string {SDK_TITLES['python_1_0_6']} would sign",
            "It signs null as the text 'None', sorts paths as plain text (items:10 before "
            "items:2) and never doubles ':' inside keys.",
            "sign null as an empty value (or leave such fields out), sort the entries in "
            "natural order, not as plain text, and double ':' inside keys (upgrade the SDK)",
            _python_1_0_6,
        ),
        Variant(
            "js",
            SDK_TITLES["js"],
            f"the string {SDK_TITLES['js']} would sign",
            "It sorts the keys of each object on their own instead of sorting whole paths, "
            "never doubles ':' inside keys and reads numbers as doubles (integers above 2^53 "
            "are signed rounded).",
            "sort all the flattened paths together in natural order, double ':' inside keys "
            "and keep integers exact",
            _js,
        ),
        Variant(
            "go",
            SDK_TITLES["go"],
            f"the string {SDK_TITLES['go']} would sign",
            "It sorts whole PATH:VALUE strings (so a1:... lands before a:...), truncates every "
            "number to an integer and doubles ':' only in top-level keys.",
            "sort by path alone, in natural order, print numbers as they are and double ':' "
            "in every key",
            _go,
        ),
        Variant(
            "java",
            SDK_TITLES["java"],
            f"the string {SDK_TITLES['java']} would sign",
            "It sorts whole PATH:VALUE strings (so a1:... lands before a:...), prints floats "
            "the Java way (100.0, 1.0E20) and, when the top-level signature is set, leaves "
            "nested signatures in.",
            "sort by path alone, in natural order, not by the joined PATH:VALUE text",
            _java,
        ),
        Variant(
            "php",
            SDK_TITLES["php"],
            f"the string {SDK_TITLES['php']} would sign",
            "It signs this document unlike the spec because of a quirk real payloads never "
            "meet.",
            "avoid the keys that trigger it (see docs/spec/sdk-variants.md)",
            _php,
        ),
        Variant(
            "whole_entry",
            "whole PATH:VALUE entries sorted",
            "the string with whole PATH:VALUE entries sorted",
            "The sender sorted whole PATH:VALUE strings (so a1:... lands before a:...).",
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
        # Last: on a flat document (a URL's parameters) .NET differs from the spec only by
        # reading true/false as 1/0, which "booleans sent as words" names better.
        Variant(
            "dotnet",
            SDK_TITLES["dotnet"],
            f"the string {SDK_TITLES['dotnet']} would sign",
            "It signs only the top-level keys (a nested object or list is signed as its JSON "
            "text), signs the text true/false as 1/0 and sorts whole PATH:VALUE strings in "
            "culture order.",
            "flatten nested objects and lists into PATH:VALUE entries and sort them by path in "
            "natural order",
            _dotnet,
        ),
    )
}

# Input changes that combine with any walk above: a sender who builds the Payment Page URL
# with an SDK that writes booleans as words makes that mistake on top of the SDK's own.
INPUT_CHANGES: dict[str, Callable[[Mapping], Mapping]] = {
    "booleans_sent_as_words": _digits,
    "booleans_as_words": _words,
}
# (.NET is not among them: it reads the words true/false as 1/0 itself.)
_WALKS_FOR_COMBINING = (
    "python", "python_1_0_6", "js", "go", "java", "php", "whole_entry",
    "frame_mode_included", "top_level_signature_only",
)
_CHANGE_PHRASES = {
    "booleans_sent_as_words": "for the words true/false it was sent as 1/0",
    "booleans_as_words": "with booleans as the words true/false",
}
# Each SDK writes booleans its own way in a URL: Python's str(True) is "True", Node and Go
# write "true". So the words in a URL also tell which SDK built it.
_PYTHON_WORDS = {"True": True, "False": False}
_LOWER_WORDS = {"true": True, "false": False}
# A text parameter may hold the word "true" as text, signed as such: with a few words in a
# document, every subset of them is tried as the booleans; beyond, all of them only.
_MOST_WORDS_SPLIT = 5


def _word_paths(node: object, words: Mapping[str, bool], path: tuple = ()) -> list[tuple]:
    if isinstance(node, Mapping):
        return [p for k, v in node.items() for p in _word_paths(v, words, (*path, k))]
    if isinstance(node, list | tuple):
        return [p for i, v in enumerate(node) for p in _word_paths(v, words, (*path, i))]
    return [path] if isinstance(node, str) and node in words else []


def _digits_at(node: object, words: Mapping[str, bool], paths: frozenset, path: tuple = ()):
    if isinstance(node, Mapping):
        return {k: _digits_at(v, words, paths, (*path, k)) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_digits_at(v, words, paths, (*path, i)) for i, v in enumerate(node)]
    return words[node] if path in paths else node  # type: ignore[index]


def _word_subsets(document: Mapping, words: Mapping[str, bool]) -> list[frozenset]:
    """The sets of word fields to read as booleans: all of them first, then (when there
    are only a few) every smaller non-empty subset, larger ones first."""
    from itertools import combinations

    found = _word_paths(document, words)
    if not found:
        return []
    subsets = [frozenset(found)]
    if len(found) <= _MOST_WORDS_SPLIT:
        for size in range(len(found) - 1, 0, -1):
            subsets += [frozenset(c) for c in combinations(found, size)]
    return subsets


def combine(
    change: Variant, walk: Variant, fields: frozenset | None = None, words=_LOWER_WORDS
) -> Variant:
    """Two causes at once: ``walk`` signing the document after ``change``. Named
    ``WALK+CHANGE``; its sentences give both causes and both fixes. For booleans sent as
    words, ``fields`` are the paths (tuples) of the words that were booleans (all, when
    None), ``words`` the spelling the SDK uses."""
    alter = INPUT_CHANGES[change.name]
    if change.name == "booleans_sent_as_words":

        def alter(document: Mapping) -> Mapping:
            chosen = fields if fields is not None else frozenset(_word_paths(document, words))
            return _digits_at(document, words, chosen)

    def build(document: Mapping) -> list[Entry]:
        return walk.entries(alter(document))

    return Variant(
        f"{walk.name}+{change.name}",
        f"{walk.title}, {change.title}",
        f"{walk.string}, {_CHANGE_PHRASES[change.name]}",
        f"Two causes at once. {walk.differs} And: {change.differs[:1].lower()}"
        f"{change.differs[1:]}",
        f"{walk.fix}, and {change.fix}",
        build,
    )


def _words_for(walk: str) -> dict[str, bool]:
    return _PYTHON_WORDS if walk.startswith("python") else _LOWER_WORDS


def combined(document: Mapping | None = None) -> Iterator[Variant]:
    """Every pair of known causes worth trying together: an input change (booleans as
    words) with a walk (an SDK, or another single deviation), as one :class:`Variant`.
    Given the document, also each subset of its words read as booleans."""
    sent = VARIANTS["booleans_sent_as_words"]
    for walk in _WALKS_FOR_COMBINING:
        words = _words_for(walk)
        choices: list[frozenset | None] = [None]
        if document is not None:  # without words to read back, the pair is the walk alone
            choices = [*_word_subsets(document, words)]
        for fields in choices:
            yield combine(sent, VARIANTS[walk], fields, words)
    if document is not None and not _has_boolean(document):
        return  # nothing to write as words
    for walk in _WALKS_FOR_COMBINING:
        yield combine(VARIANTS["booleans_as_words"], VARIANTS[walk])


def _has_boolean(node: object) -> bool:
    if isinstance(node, Mapping):
        return any(_has_boolean(value) for value in node.values())
    if isinstance(node, list | tuple):
        return any(_has_boolean(value) for value in node)
    return isinstance(node, bool)


# Tried after every pair, and named only when nothing before builds the same string: on a
# flat document (a URL's parameters) the .NET SDK's string is the spec's with true/false
# read as 1/0 and a culture order, which the other causes name better.
LAST = ("dotnet",)


def _some_words_sent(fields: frozenset) -> Variant:
    sent = VARIANTS["booleans_sent_as_words"]

    def build(document: Mapping) -> list[Entry]:
        words = {**_LOWER_WORDS, **_PYTHON_WORDS, "TRUE": True, "FALSE": False}
        return _spec_entries(_digits_at(document, words, fields))

    return sent._replace(build=build)


def candidates(document: Mapping | None = None) -> Iterator[Variant]:
    """Every known cause, alone or paired, in the order a diagnosis tries them (given the
    document, with each subset of its true/false words read as booleans)."""
    yield from (v for name, v in VARIANTS.items() if name not in LAST)
    if document is not None:
        any_case = {"true": True, "false": False, "True": True, "False": False}
        for fields in _word_subsets(document, any_case)[1:]:
            yield _some_words_sent(fields)
    yield from combined(document)
    yield from (VARIANTS[name] for name in LAST)


def describe(variant: Variant, document: Mapping) -> str:
    """What ``variant`` does unlike the spec, for this document: for the PHP SDK, the
    quirks it meets in it (it agrees with the spec otherwise)."""
    if variant.name.split("+")[0] != "php":
        return variant.differs
    quirks = php_quirks(document)
    if not quirks:
        return variant.differs
    said = "; and it ".join(PHP_QUIRKS[name] for name in quirks)
    return f"The PHP SDK {said}. Real payloads never meet this quirk; the spec is what counts."


# What `ecp sign --as NAME` accepts besides the variant names themselves.
SDK_ALIASES = {
    "php": "php",
    "python": "python",
    "python-1.0.6": "python_1_0_6",
    "js": "js",
    "node": "js",
    "javascript": "js",
    "go": "go",
    "java": "java",
    "dotnet": "dotnet",
    ".net": "dotnet",
}


_SHOWN_ALIASES = ("python", "python-1.0.6", "js", "go", "java", "dotnet", "php")


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
