"""Natural order exactly as PHP's ``strnatcmp`` (and so ``ksort($a, SORT_NATURAL)``).

The reference SDK sorts signature entries with it, so this module decides byte for byte
what the string to sign looks like. Two ways in:

* :func:`strnatcmp` is a line-by-line port of PHP's C function (ext/standard/strnatcmp.c),
  quirks included, on UTF-8 bytes;
* :func:`sort_paths` sorts with a precomputed key where that key provably gives the same
  order (no whitespace, no zero-prefixed digit run of two or more digits: the cases where
  PHP's comparison is not a plain "numbers as numbers" order) and falls back to the port
  otherwise. The key makes signing tens of thousands of callbacks cheap.
"""

from collections.abc import Iterable, Sequence
from functools import cmp_to_key

_SPACES = frozenset(b" \t\n\v\f\r")  # C isspace() in the "C" locale
_DIGITS = frozenset(b"0123456789")

# Strings the fast key cannot order: C whitespace anywhere, or a digit run that starts
# with "0" and has more digits after it (PHP compares those left-aligned, like decimals).
# Found by hand, not with regular expressions: importing re costs a one-shot `ecp verify`
# more than sorting its paths.
_SPACE_CHARS = frozenset(" \t\n\v\f\r")
_SPACE_OR_ZERO = _SPACE_CHARS | {"0"}  # what needs the port has one of these
_DIGIT_CHARS = frozenset("0123456789")  # ASCII digits only, as strnatcmp's isdigit()


def _compare_right(a: bytes, ai: int, b: bytes, bi: int) -> tuple[int, int, int]:
    """Runs without a leading zero: the longer run wins, else the first differing digit."""
    bias = 0
    alen, blen = len(a), len(b)
    while True:
        a_digit = ai < alen and a[ai] in _DIGITS
        b_digit = bi < blen and b[bi] in _DIGITS
        if not a_digit and not b_digit:
            return bias, ai, bi
        if not a_digit:
            return -1, ai, bi
        if not b_digit:
            return 1, ai, bi
        if not bias:
            if a[ai] < b[bi]:
                bias = -1
            elif a[ai] > b[bi]:
                bias = 1
        ai += 1
        bi += 1


def _compare_left(a: bytes, ai: int, b: bytes, bi: int) -> tuple[int, int, int]:
    """Runs where either starts with "0": compared left-aligned, the first difference wins."""
    alen, blen = len(a), len(b)
    while True:
        a_digit = ai < alen and a[ai] in _DIGITS
        b_digit = bi < blen and b[bi] in _DIGITS
        if not a_digit and not b_digit:
            return 0, ai, bi
        if not a_digit:
            return -1, ai, bi
        if not b_digit:
            return 1, ai, bi
        if a[ai] < b[bi]:
            return -1, ai, bi
        if a[ai] > b[bi]:
            return 1, ai, bi
        ai += 1
        bi += 1


def strnatcmp(a: str | bytes, b: str | bytes) -> int:
    """Compare like PHP's strnatcmp(): -1, 0 or 1. Strings are compared as UTF-8 bytes."""
    if isinstance(a, str):
        a = a.encode("utf-8", "surrogatepass")
    if isinstance(b, str):
        b = b.encode("utf-8", "surrogatepass")
    alen, blen = len(a), len(b)
    if alen == 0 or blen == 0:
        return 0 if alen == blen else (1 if alen > blen else -1)

    # PHP strings end in a NUL byte; reading one past the end yields 0, as in C.
    def at(s: bytes, i: int) -> int:
        return s[i] if i < len(s) else 0

    ai = bi = 0
    leading = True
    while True:
        ca, cb = at(a, ai), at(b, bi)
        if leading:
            # Leading zeros are skipped only at the very start of each string.
            while ca == 0x30 and ai + 1 < alen and a[ai + 1] in _DIGITS:
                ai += 1
                ca = a[ai]
            while cb == 0x30 and bi + 1 < blen and b[bi + 1] in _DIGITS:
                bi += 1
                cb = b[bi]
            leading = False
        while ca in _SPACES:
            ai += 1
            ca = at(a, ai)
        while cb in _SPACES:
            bi += 1
            cb = at(b, bi)
        if ca in _DIGITS and cb in _DIGITS:
            if ca == 0x30 or cb == 0x30:
                result, ai, bi = _compare_left(a, ai, b, bi)
            else:
                result, ai, bi = _compare_right(a, ai, b, bi)
            if result:
                return result
            if ai == alen and bi == blen:
                return 0
            if ai == alen:
                return -1
            if bi == blen:
                return 1
            ca, cb = a[ai], b[bi]
        if ca < cb:
            return -1
        if ca > cb:
            return 1
        ai += 1
        bi += 1
        if ai >= alen and bi >= blen:
            return 0
        if ai >= alen:
            return -1
        if bi >= blen:
            return 1


def _encode_runs(path: str) -> str:
    """``path`` with each digit run made "0" + its length + its digits. "0" stands for any
    digit when compared with a non-digit (no non-digit lies between "0" and "9"); between
    two runs the length decides first, then the digits: PHP's compare_right."""
    pieces: list[str] = []
    copied = index = 0  # path[:copied] is in pieces
    end = len(path)
    while index < end:
        if path[index] not in _DIGIT_CHARS:
            index += 1
            continue
        after = index + 1
        while after < end and path[after] in _DIGIT_CHARS:
            after += 1
        run = path[index:after]
        pieces.append(path[copied:index])
        pieces.append("0" + chr(len(run)) + run)
        copied = index = after
    pieces.append(path[copied:])
    return "".join(pieces)


_key_cache: dict[str, str] = {}


def natural_key(path: str) -> str:
    """A sort key ordering like strnatcmp, valid only for strings where
    :func:`needs_port` is false. Python compares str by code point, which is the order
    of their UTF-8 bytes, so the key is a str."""
    key = _key_cache.get(path)
    if key is None:
        key = _encode_runs(path) if not _DIGIT_CHARS.isdisjoint(path) else path
        if len(_key_cache) > 50_000:  # paths repeat across callbacks; keep memory bounded
            _key_cache.clear()
        _key_cache[path] = key
    return key


def needs_port(path: str) -> bool:
    """Whether only the port orders ``path`` right: C whitespace, or a "0" that starts a
    digit run of two digits or more."""
    if _SPACE_OR_ZERO.isdisjoint(path):
        return False
    if not _SPACE_CHARS.isdisjoint(path):
        return True
    zero = path.find("0")
    while zero >= 0:
        starts_run = zero == 0 or path[zero - 1] not in _DIGIT_CHARS
        if starts_run and path[zero + 1 : zero + 2] in _DIGIT_CHARS:
            return True
        zero = path.find("0", zero + 1)
    return False


def natural_order(paths: Sequence[str]) -> list[int]:
    """The indices of ``paths`` in PHP natural order (stable, as PHP 8's sort is): the fast
    key where it is exact for every path, the port of strnatcmp otherwise."""
    indices = range(len(paths))
    if any(needs_port(p) for p in paths):

        def compare(i: int, j: int) -> int:
            return strnatcmp(paths[i], paths[j])

        return sorted(indices, key=cmp_to_key(compare))
    return sorted(indices, key=lambda i: natural_key(paths[i]))


def sort_paths(paths: Iterable[str]) -> list[str]:
    """Return the paths in PHP natural order."""
    paths = list(paths)
    return [paths[i] for i in natural_order(paths)]
