"""ISO 4217 currencies and how many minor units the platform counts for each.

Amounts travel as integers in minor units: 31415 USD means 314.15 USD, 100 JPY means 100 JPY.
``data/currencies.csv`` holds the active ISO 4217 list (code, numeric code, ISO exponent,
name); this module adds the platform's own view of the exponent on top of it.

The CSV is read on first use, so importing this module costs next to nothing; a code is
looked up by its line, and a :class:`Currency` is made only for a code that is asked for
(``ecp url`` checks one code; data_tables.py says how).
"""

import functools
import os

from ecp_cli import data_tables as tables
from ecp_cli.records import FrozenRecord

_CSV_PATH = os.path.join(tables.DATA_DIR, "currencies.csv")
_COLUMNS = ("code", "numeric", "exponent", "name")

# The platform's own shop plug-ins send these in whole units. Today this set matches ISO's
# exponent-0 currencies exactly, but the platform is what counts, so it is kept on its own.
PLATFORM_ZERO_DECIMAL = frozenset(
    {
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "ISK",
        "JPY",
        "KMF",
        "KRW",
        "PYG",
        "RWF",
        "UGX",
        "UYI",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    }
)

# Withdrawn codes that old systems still send, mapped to what replaced them, so a hint can
# say "did you mean XCG?" for ANG instead of a look-alike code picked by spelling.
_REPLACED_BY = {
    "ANG": "XCG",
    "BGN": "EUR",
    "BYR": "BYN",
    "CUC": "CUP",
    "CYP": "EUR",
    "EEK": "EUR",
    "GHC": "GHS",
    "HRK": "EUR",
    "LTL": "EUR",
    "LVL": "EUR",
    "MRO": "MRU",
    "MTL": "EUR",
    "MZM": "MZN",
    "ROL": "RON",
    "RUR": "RUB",
    "SIT": "EUR",
    "SKK": "EUR",
    "SLL": "SLE",
    "STD": "STN",
    "TRL": "TRY",
    "VEF": "VES",
    "ZMK": "ZMW",
    "ZWL": "ZWG",
}


class Currency(FrozenRecord):
    """One ISO 4217 currency.

    ``numeric`` keeps its leading zeros ("008"). ``iso_exponent`` is None where ISO says
    "N.A." (gold, SDR, test code ...). ``exponent`` is the number of decimals in the
    platform's minor units: 0 for the platform's zero-decimal list and for N.A. codes (no
    minor unit exists, so an amount can only count whole units), otherwise the ISO value.
    """

    __slots__ = ("code", "numeric", "name", "exponent", "iso_exponent")

    def __init__(
        self, code: str, numeric: str, name: str, exponent: int, iso_exponent: int | None
    ) -> None:
        self.code = code
        self.numeric = numeric
        self.name = name
        self.exponent = exponent
        self.iso_exponent = iso_exponent


def _from_row(row: list[str]) -> Currency:
    code, numeric, iso_text, name = row
    iso = int(iso_text) if iso_text else None
    platform = 0 if code in PLATFORM_ZERO_DECIMAL or iso is None else iso
    return Currency(code, numeric, name, platform, iso)


@functools.cache
def _currency(code: str) -> Currency | None:
    """The record for a code of the CSV (made once, when first asked for), or None."""
    row = tables.row(_CSV_PATH, _COLUMNS, code)
    return None if row is None else _from_row(row)


def _codes() -> list[str]:
    """Every code of the CSV, in the file's order."""
    return list(tables.rows(_CSV_PATH, _COLUMNS))


def all_currencies() -> list[Currency]:
    """Every known currency, sorted by code."""
    rows = tables.rows(_CSV_PATH, _COLUMNS)
    return [_from_row(rows[code]) for code in sorted(rows)]


def is_known(code: str) -> bool:
    """True for an active ISO 4217 alpha-3 code written exactly as the platform wants it.

    The platform expects upper case, so "usd" and " USD" are not known; use ``suggest``
    to turn them into a hint.
    """
    return isinstance(code, str) and tables.has(_CSV_PATH, _COLUMNS, code)


def get(code: str) -> Currency | None:
    """The currency for an exact upper-case code, or None."""
    if not isinstance(code, str):
        return None
    return _currency(code)


def exponent(code: str) -> int:
    """Decimals in the platform's minor unit for ``code`` (USD 2, JPY 0, KWD 3).

    Raises KeyError for a code that is not known.
    """
    currency = get(code)
    if currency is None:
        raise KeyError(code)
    return currency.exponent


def format_amount(minor: int, code: str) -> str:
    """Render an amount in minor units for people: 31415 USD -> "314.15 USD".

    Integer arithmetic only, so large amounts never pick up float rounding errors.
    Three-decimal currencies (BHD, KWD, ...) follow ISO: no platform source says how it
    counts them. An unknown code gets the raw integer back ("31415 ABC"), since guessing
    the decimals could show a customer an amount 100 times off.
    """
    if not isinstance(minor, int) or isinstance(minor, bool):
        raise TypeError(f"amount must be an integer in minor units, not {type(minor).__name__}")
    currency = get(code)
    if currency is None or currency.exponent == 0:
        return f"{minor} {code}"
    places = currency.exponent
    sign = "-" if minor < 0 else ""
    whole, fraction = divmod(abs(minor), 10**places)
    return f"{sign}{whole}.{fraction:0{places}d} {code}"


def suggest(code: str) -> str | None:
    """The known code the user most likely meant, for an error hint; None if none fits.

    Fixes case and stray spaces ("usd", "EUR "), maps withdrawn codes to their successors
    (RUR -> RUB, HRK -> EUR) and otherwise picks the closest spelling. Returns None for a
    code that is already known, since there is nothing to correct.
    """
    if not isinstance(code, str) or is_known(code):
        return None
    cleaned = "".join(code.split()).upper()
    if not cleaned:
        return None
    table = _codes()
    if cleaned in table:
        return cleaned
    if cleaned in _REPLACED_BY:
        return _REPLACED_BY[cleaned]

    import difflib  # only needed on this error path

    candidates = difflib.get_close_matches(cleaned, table, n=10, cutoff=0.6)
    if not candidates:
        return None

    def rank(candidate: str) -> tuple[int, int, str]:
        # Prefer letters in the right place, then a shared start (the country part of the
        # code), so "USS" gives USD rather than an unrelated code ending in "SS".
        same_place = sum(a == b for a, b in zip(cleaned, candidate, strict=False))
        shared_start = len(_common_prefix(cleaned, candidate))
        return (-same_place, -shared_start, candidate)

    return min(candidates, key=rank)


def _common_prefix(a: str, b: str) -> str:
    end = 0
    while end < min(len(a), len(b)) and a[end] == b[end]:
        end += 1
    return a[:end]
