"""Explanations of the platform's response codes, statuses and payment/operation types.

The facts come from two CSV files shipped in ``data/``: ``response_codes.csv`` (code,
category, the platform's own message, an action class) and ``statuses.csv`` (payment and
operation statuses with whether they are final, plus payment and operation types). This
module reads and looks them up, names folded to one form (:func:`fold`, which headline
and model use too); the plain-English prose is elsewhere: what categories, statuses and
types mean in :mod:`.meanings`, what to do about a code in :mod:`.advice`.

Both files are read on first use (ecp_cli/data_tables.py), so importing this module stays
cheap; a lookup parses the one line it needs, the lists parse the whole file.
"""

import functools
import os

from ecp_cli import data_tables
from ecp_cli.records import FrozenRecord

# The prose (meanings, advice) is imported where it is used: ecp callback needs only the
# platform's message for a code (code_message), and importing both would cost it about 2
# million instructions of start-up.

PAYMENT_STATUS = "payment.status"
OPERATION_STATUS = "operation.status"
PAYMENT_TYPE = "payment.type"
OPERATION_TYPE = "operation.type"

# --- response codes --------------------------------------------------------------------

# Codes missing from the CSV get their category from the range they fall in. The action
# follows the range's general code where the CSV has one (10000, 20000, 30000, the pending
# codes), otherwise the most cautious choice for that kind of failure.
_PENDING_CODES = frozenset({9999, 19999, 29999})
_RANGES = (
    (1400, 1499, "risk", "none"),
    (2000, 2999, "request", "fix-request"),
    (3000, 3999, "business", "contact-support"),
    (10000, 10999, "issuer", "retry"),
    (20000, 20999, "provider", "retry"),
    (30000, 30999, "merchant", "none"),
)
_NOT_LISTED = "Not in the platform's list of response codes."


class CodeInfo(FrozenRecord):
    """What a response code means and what to do about it.

    ``message`` is the platform's own text when the code is listed. ``known`` is True when
    the code is listed or its range gives the category; ``inferred`` tells the two apart.
    ``what_to_do`` is the advice, ``short_advice`` the same as a headline's last clause,
    ``advice_source`` where the advice comes from (see :mod:`.advice`).
    """

    __slots__ = (
        "code",
        "category",
        "message",
        "action",
        "known",
        "meaning",
        "what_to_do",
        "inferred",
        "short_advice",
        "advice_source",
    )

    def __init__(
        self,
        code: str,
        category: str,
        message: str,
        action: str,
        known: bool,
        meaning: str,
        what_to_do: str,
        *,
        short_advice: str,
        advice_source: str,
        inferred: bool = False,
    ) -> None:
        self.code = code
        self.category = category
        self.message = message
        self.action = action
        self.known = known
        self.meaning = meaning
        self.what_to_do = what_to_do
        self.inferred = inferred
        self.short_advice = short_advice
        self.advice_source = advice_source


# The columns each file must have (data_tables checks the header).
_COLUMNS = {
    "response_codes.csv": ("code", "category", "message", "action"),
    "statuses.csv": ("field", "value", "final"),
}


def _read_csv(name: str) -> list[dict[str, str]]:
    # One dict per row (tests/callbacks/test_reference.py reads the files with
    # csv.DictReader too; they have no blank or short rows).
    columns = _COLUMNS[name]
    path = os.path.join(data_tables.DATA_DIR, name)
    return [dict(zip(columns, row, strict=True)) for row in data_tables.all_rows(path, columns)]


@functools.cache
def _code_rows() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in _read_csv("response_codes.csv")}


def _line_row(name: str, line_start: str) -> dict[str, str] | None:
    """The row on the first line of ``name`` that starts with ``line_start``, found without
    parsing the others (data_tables.row_starting): a callback names one or two codes and
    statuses. Their leading fields are written unquoted (no field holds a line break, no
    status or type name a comma or a quote: tests/callbacks/test_reference.py checks both
    files, and compares each lookup with the whole table)."""
    columns = _COLUMNS[name]
    found = data_tables.row_starting(os.path.join(data_tables.DATA_DIR, name), columns, line_start)
    return None if found is None else dict(zip(columns, found, strict=True))


def _code_row(code: str) -> dict[str, str] | None:
    """The row of one listed code (codes are written as plain integers, once each)."""
    return _line_row("response_codes.csv", f"{code},")


def _code_info(code: str, row: dict[str, str]) -> CodeInfo:
    from ecp_cli.callbacks import advice
    from ecp_cli.callbacks.meanings import CATEGORY_MEANINGS

    category = row["category"]
    action = advice.corrected_action(code, row["action"])
    said = advice.advice_for(code, category, action)
    return CodeInfo(
        code=code,
        category=category,
        message=row["message"],
        action=action,
        known=True,
        meaning=CATEGORY_MEANINGS.get(category, CATEGORY_MEANINGS["unknown"]),
        what_to_do=said.text,
        short_advice=said.short,
        advice_source=said.source,
    )


@functools.lru_cache(maxsize=256)
def _listed(code: str) -> CodeInfo | None:
    # One code at a time: a callback names one or two, and working out the advice for all
    # of them would cost ecp show more than the reading does. Bounded: ecp listen looks up
    # whatever the callbacks it receives say.
    row = _code_row(code)
    return None if row is None else _code_info(code, row)


def _codes() -> dict[str, CodeInfo]:
    return {code: _code_info(code, row) for code, row in _code_rows().items()}


def _normalise_code(code: str | int) -> str:
    if isinstance(code, bool):
        raise TypeError("a response code is a number, not a boolean")
    if isinstance(code, int):
        number = code
    elif isinstance(code, str):
        text = code.strip()
        # isascii() keeps out digits such as "²" that int() or isdigit() would accept.
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f"not a response code: {code!r}")
        number = int(text)
    else:
        raise TypeError(f"a response code is a number or a string, not {type(code).__name__}")
    if number < 0:
        raise ValueError(f"not a response code: {code!r}")
    return str(number)


def response_code(code: str | int) -> CodeInfo:
    """Explain a response code given as 10105, "10105" or " 10105 ".

    A listed code carries the platform's message and action. Any other code gets its
    category from the documented ranges, or category "unknown" with ``known`` False.
    Raises ValueError for text that is not a whole non-negative number.
    """
    key = _normalise_code(code)
    listed = _listed(key)
    if listed is not None:
        return listed
    number = int(key)
    category, action = "unknown", "contact-support"
    if number in _PENDING_CODES:
        category, action = "pending", "wait"
    else:
        for low, high, range_category, range_action in _RANGES:
            if low <= number <= high:
                category, action = range_category, range_action
                break
    known = category != "unknown"
    from ecp_cli.callbacks import advice
    from ecp_cli.callbacks.meanings import CATEGORY_MEANINGS

    said = advice.general_advice(category, action)
    return CodeInfo(
        code=key,
        category=category,
        message=_NOT_LISTED,
        action=action,
        known=known,
        meaning=CATEGORY_MEANINGS[category],
        what_to_do=said.text,
        inferred=known,
        short_advice=said.short,
        advice_source=said.source,
    )


def code_message(code: str | int) -> str:
    """The platform's own message for a response code, as :func:`response_code` gives it
    (ecp's note for a code the platform does not list), without working out the advice."""
    row = _code_row(_normalise_code(code))
    return _NOT_LISTED if row is None else row["message"]


def all_response_codes() -> list[CodeInfo]:
    """Every listed response code, in numeric order."""
    return sorted(_codes().values(), key=lambda info: int(info.code))


# --- status and type names -------------------------------------------------------------
#
# One folded form for the ways the platform and people write a name ("Awaiting_3DS_Result",
# "awaiting 3ds result") and one spelling for the two the platform sends ("canceled",
# "cancelled"). Written with str methods rather than regular expressions: importing re
# would cost ecp show more start-up time than its reading does (tests/callbacks/
# test_reference.py holds these equal to the expressions they replaced).


def fold(term: str) -> str:
    """``term`` stripped and lower-cased, each run of whitespace, "_" and "-" one space,
    and the word "canceled" spelled "cancelled"."""
    spaced = term.strip().lower().replace("_", " ").replace("-", " ")
    words = spaced.split()
    folded = " ".join(words)
    if spaced[:1].isspace():  # a run at the start ("_x"): strip() left it
        folded = " " + folded
    if words and spaced[-1:].isspace():
        folded += " "
    return cancelled(folded)


def cancelled(text: str, *, any_case: bool = False) -> str:
    """``text`` with each whole word "canceled" spelled "cancelled" (any mix of upper and
    lower case too, when ``any_case``): the same status from different platform parts."""
    # ASCII letters only: no other character matches these letters ignoring case, and
    # this keeps every character where it was.
    seen = text.translate(_ASCII_LOWER) if any_case else text
    start = seen.find("canceled")
    if start < 0:
        return text
    parts = []
    done = 0
    while start >= 0:
        end = start + len("canceled")
        if not (start and _in_word(text[start - 1]) or end < len(text) and _in_word(text[end])):
            parts += [text[done:start], "cancelled"]
            done = end
        start = seen.find("canceled", end)
    return "".join(parts) + text[done:]


def _in_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches in a str pattern


_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


# --- statuses and types ----------------------------------------------------------------


class StatusInfo(FrozenRecord):
    """A payment or operation status: whether it is final and what it means for you."""

    __slots__ = ("field", "value", "final", "meaning")

    def __init__(self, field: str, value: str, final: bool, meaning: str) -> None:
        self.field = field
        self.value = value
        self.final = final
        self.meaning = meaning


class TypeInfo(FrozenRecord):
    """A payment or operation type and what it stands for."""

    __slots__ = ("field", "value", "meaning")

    def __init__(self, field: str, value: str, meaning: str) -> None:
        self.field = field
        self.value = value
        self.meaning = meaning


def _explained(field: str, key: str, row: dict[str, str]) -> StatusInfo | TypeInfo:
    from ecp_cli.callbacks import meanings

    explained = {
        PAYMENT_STATUS: meanings.PAYMENT_STATUS_MEANINGS,
        OPERATION_STATUS: meanings.OPERATION_STATUS_MEANINGS,
        PAYMENT_TYPE: meanings.PAYMENT_TYPE_MEANINGS,
        OPERATION_TYPE: meanings.OPERATION_TYPE_MEANINGS,
    }[field].get(key)
    if field in (PAYMENT_TYPE, OPERATION_TYPE):
        return TypeInfo(field, row["value"], explained or meanings.FALLBACK_TYPE)
    final = row["final"].strip().lower() == "yes"
    fallback = meanings.FALLBACK_FINAL if final else meanings.FALLBACK_INTERMEDIATE
    return StatusInfo(field, row["value"], final, explained or fallback)


@functools.cache
def _statuses() -> dict[str, dict[str, StatusInfo | TypeInfo]]:
    """Every status and type, by field and folded name (for the lists and suggestions)."""
    fields = (PAYMENT_STATUS, OPERATION_STATUS, PAYMENT_TYPE, OPERATION_TYPE)
    tables: dict[str, dict[str, StatusInfo | TypeInfo]] = {field: {} for field in fields}
    for row in _read_csv("statuses.csv"):
        field, key = row["field"], fold(row["value"])
        if field not in tables or key in tables[field]:
            # The second spelling of an already-seen status ("canceled") adds nothing.
            continue
        tables[field][key] = _explained(field, key, row)
    return tables


@functools.lru_cache(maxsize=256)  # bounded, as _listed is
def _status_entry(field: str, key: str) -> StatusInfo | TypeInfo | None:
    # The file writes each name folded, except a second spelling after the first
    # ("canceled" after "cancelled"), so the line that starts with the field and the key
    # is the first row the whole table keeps for them.
    if not key or any(char in key for char in ',"\r\n'):  # in no name: not a line's start
        return None
    row = _line_row("statuses.csv", f"{field},{key},")
    return None if row is None else _explained(field, key, row)


def _find(field: str, value: str) -> StatusInfo | TypeInfo | None:
    if not isinstance(value, str):
        return None
    return _status_entry(field, fold(value))


def payment_status(value: str) -> StatusInfo | None:
    """Explain a ``payment.status`` value; None if the platform does not list it."""
    found = _find(PAYMENT_STATUS, value)
    return found if isinstance(found, StatusInfo) else None


def operation_status(value: str) -> StatusInfo | None:
    """Explain an ``operation.status`` value; None if the platform does not list it."""
    found = _find(OPERATION_STATUS, value)
    return found if isinstance(found, StatusInfo) else None


def payment_type(value: str) -> str | None:
    """What a ``payment.type`` value stands for, or None if it is not listed."""
    found = _find(PAYMENT_TYPE, value)
    return found.meaning if found is not None else None


def operation_type(value: str) -> str | None:
    """What an ``operation.type`` value stands for, or None if it is not listed."""
    found = _find(OPERATION_TYPE, value)
    return found.meaning if found is not None else None


def all_statuses() -> list[StatusInfo]:
    """Every listed payment status, then every operation status, in CSV order.

    A status spelled two ways ("cancelled", "canceled") appears once.
    """
    tables = _statuses()
    return [
        info
        for field in (PAYMENT_STATUS, OPERATION_STATUS)
        for info in tables[field].values()
        if isinstance(info, StatusInfo)
    ]


def all_types() -> list[TypeInfo]:
    """Every listed payment type, then every operation type, in CSV order."""
    tables = _statuses()
    return [
        info
        for field in (PAYMENT_TYPE, OPERATION_TYPE)
        for info in tables[field].values()
        if isinstance(info, TypeInfo)
    ]


def lookup(term: str) -> list[CodeInfo | StatusInfo | TypeInfo]:
    """Everything ``term`` can stand for, for ``ecp explain``.

    Digits give one response code. Anything else is matched, ignoring case and with
    underscores or hyphens read as spaces, against payment and operation statuses, then
    payment and operation types; a name can match several ("success" is both a payment
    and an operation status). Returns an empty list when nothing matches.
    """
    if not isinstance(term, str) or not term.strip():
        return []
    text = term.strip()
    if text.isascii() and text.isdigit():
        return [response_code(text)]
    matches: list[CodeInfo | StatusInfo | TypeInfo] = []
    for field in (PAYMENT_STATUS, OPERATION_STATUS, PAYMENT_TYPE, OPERATION_TYPE):
        found = _find(field, text)
        if found is not None:
            matches.append(found)
    return matches


def suggest_term(term: str, limit: int = 3) -> list[str]:
    """Status or type names close to a mistyped ``term``, best first, for a hint."""
    if not isinstance(term, str) or not term.strip():
        return []
    import difflib  # only needed on this error path

    names: dict[str, str] = {}
    for table in _statuses().values():
        for key, info in table.items():
            names.setdefault(key, info.value)
    close = difflib.get_close_matches(fold(term), list(names), n=limit, cutoff=0.6)
    return [names[key] for key in close]
