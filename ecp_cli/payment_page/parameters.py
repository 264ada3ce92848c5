"""The Payment Page parameters ecp knows, and the likely typo behind an unknown name.

``data/payment_page_params.csv`` lists each parameter with its type and a short
description (types: integer, amount, string, boolean, currency, url, datetime, json,
base64-json, signature). The platform rejects or silently ignores a misspelt parameter, and
the signature then covers a field that does nothing, so a warning with a suggestion
(``payment_ammount`` -> ``payment_amount``) saves a round of guessing.

The list is not exhaustive: a name missing from it may still be valid, which is why callers
treat an unknown name without a close suggestion as a notice, not an error.

The CSV is read on first use, a name is looked up by its line, and a :class:`Parameter`
is made only for a name that is asked for: ``ecp url`` and ``ecp decode`` look up a
handful of names, not all of them (data_tables.py says how).
"""

import functools
import os
from collections.abc import Iterable, Mapping

from ecp_cli import data_tables as tables
from ecp_cli.records import FrozenRecord

DEFAULT_MODE = "purchase"
MODES = ("purchase", "payout", "card_tokenize", "card_verify")
# Modes that move (or check) money and so need to know which payment, how much and in what.
PAYMENT_FIELDS = ("payment_id", "payment_amount", "payment_currency")
MODES_NEEDING_PAYMENT = frozenset({"purchase", "payout", "card_verify"})
MODES_EXPECTING_CUSTOMER = frozenset({"purchase", "payout"})

_CSV_PATH = os.path.join(tables.DATA_DIR, "payment_page_params.csv")
_COLUMNS = ("name", "type", "description")
TYPES = frozenset(
    {
        "integer",
        "amount",
        "string",
        "boolean",
        "currency",
        "url",
        "datetime",
        "json",
        "base64-json",
        "signature",
    }
)

# What each page mode needs besides project_id and signature comes from payment_page (the
# module that builds links), so building and checking a link follow the same rules.
_ALWAYS = ("project_id", "signature")

# Top-level objects of callbacks and Gate requests: a document holding one of them is not a
# set of Payment Page parameters (whose nested data always travels as a string).
_NOT_PAYMENT_PAGE = ("payment", "operation", "operations", "general", "account", "card", "request")


class Parameter(FrozenRecord):
    __slots__ = ("name", "type", "description")

    def __init__(self, name: str, type: str, description: str) -> None:
        self.name = name
        self.type = type
        self.description = description


@functools.cache
def _parameter(name: str) -> Parameter | None:
    """The record for a name of the CSV (made once, when first asked for), or None."""
    row = tables.row(_CSV_PATH, _COLUMNS, name)
    return None if row is None else Parameter(*row)


def known() -> dict[str, Parameter]:
    """Every known parameter by name, in the file's order."""
    return {name: Parameter(*row) for name, row in tables.rows(_CSV_PATH, _COLUMNS).items()}


def get(name: str) -> Parameter | None:
    return _parameter(name) if tables.is_plain_key(name) else None


def is_known(name: str) -> bool:
    return tables.has(_CSV_PATH, _COLUMNS, name)


def names_of_type(kind: str) -> list[str]:
    return [p.name for p in known().values() if p.type == kind]


def _normalised(name: str) -> str:
    import re  # only for a name that is not known

    # "paymentAmount", "Payment-Amount" and " payment amount " all mean payment_amount.
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name.strip())
    return re.sub(r"[-\s.]+", "_", snake).lower()


def suggest(name: str) -> str | None:
    """The known parameter ``name`` most likely means; None if it is known or nothing is
    close enough to be a typo."""
    if not isinstance(name, str) or is_known(name):
        return None
    cleaned = _normalised(name)
    if is_known(cleaned):
        return cleaned
    import difflib  # only on this path

    close = difflib.get_close_matches(cleaned, list(known()), n=1, cutoff=0.8)
    return close[0] if close else None


def unknown_names(params: Mapping | Iterable[str]) -> list[tuple[str, str | None]]:
    """(name, suggestion or None) for every parameter name ecp does not know, in order."""
    return [(name, suggest(name)) for name in params if not is_known(str(name))]


def unknown_name_warnings(params: Mapping | Iterable[str]) -> list[tuple[str, str]]:
    """(name, warning text) for every unknown name, with the likely intended name."""
    warnings = []
    for name, suggestion in unknown_names(params):
        if suggestion:
            text = f"{name} is not a Payment Page parameter; did you mean {suggestion}?"
        else:
            text = f"{name} is not a Payment Page parameter ecp knows"
        warnings.append((name, text))
    return warnings


def looks_like_payment_page(document: object) -> bool:
    """True when ``document`` reads as Payment Page parameters rather than a callback or a
    Gate request: at least one known parameter besides project_id and signature, and none
    of the nested objects callbacks and Gate requests carry."""
    if not isinstance(document, Mapping):
        return False
    if any(isinstance(document.get(key), Mapping | list) for key in _NOT_PAYMENT_PAGE):
        return False
    return any(is_known(str(key)) and key not in _ALWAYS for key in document)


def required_for(mode: str) -> tuple[str, ...]:
    """Parameters the page refuses to open without, for ``mode`` (unknown modes: purchase)."""
    if mode not in MODES:
        mode = DEFAULT_MODE
    return _ALWAYS + (PAYMENT_FIELDS if mode in MODES_NEEDING_PAYMENT else ())


def expected_for(mode: str) -> tuple[str, ...]:
    """Parameters the platform expects for ``mode`` without always refusing the page."""
    return ("customer_id",) if mode in MODES_EXPECTING_CUSTOMER else ()
