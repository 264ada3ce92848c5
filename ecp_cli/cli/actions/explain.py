"""What ``ecp explain`` does (cli/explain.py declares its options and help).

The knowledge lives in :mod:`ecp_cli.callbacks.reference` (the data), ``.meanings`` and
``.advice`` (the prose); this module looks terms up and prints them.
"""

from ecp_cli.callbacks import advice, reference
from ecp_cli.cli.state import State
from ecp_cli.exit_codes import ExitStatus

PLAIN_WIDTH = 100
LABEL_WIDTH = 12

_KINDS = {
    reference.PAYMENT_STATUS: "payment_status",
    reference.OPERATION_STATUS: "operation_status",
    reference.PAYMENT_TYPE: "payment_type",
    reference.OPERATION_TYPE: "operation_type",
}


def explanation_facts(info) -> dict:
    """One match of :func:`ecp_cli.callbacks.reference.lookup` as plain data (for --json)."""
    if isinstance(info, reference.CodeInfo):
        return {
            "kind": "response_code",
            "code": info.code,
            "message": info.message,
            "category": info.category,
            "category_meaning": info.meaning,
            "action": info.action,
            "what_to_do": info.what_to_do,
            "advice_source": info.advice_source,
            "listed": info.known and not info.inferred,
        }
    facts = {"kind": _KINDS[info.field], "value": info.value}
    if isinstance(info, reference.StatusInfo):
        facts["final"] = info.final
    facts["meaning"] = info.meaning
    return facts


def _known(matches: list) -> bool:
    # A number outside every documented range is a "code" only in form: nothing is known.
    return bool(matches) and not (
        isinstance(matches[0], reference.CodeInfo) and not matches[0].known
    )


def _terms(given: list[str]) -> list[str]:
    """The terms to look up. Unquoted multi-word statuses (``ecp explain awaiting 3ds
    result``) arrive as several words: read them as one phrase when that is what fits."""
    if len(given) > 1:
        phrase = " ".join(given)
        if not all(_known(reference.lookup(word)) for word in given) and _known(
            reference.lookup(phrase)
        ):
            return [phrase]
    return given


def _problem(term: str, matches: list) -> str:
    shown = term.strip() or repr(term)
    if matches:  # a number, but in no documented range
        return (
            f"{shown}: not a response code the platform lists, and outside every range it documents"
        )
    hint = ""
    suggestions = reference.suggest_term(term)
    if suggestions:
        quoted = [repr(name) for name in suggestions]
        choices = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
        hint = f"; did you mean {choices}?"
    elif term.strip():
        hint = "; try a response code (10105) or a status such as 'awaiting 3ds result'"
    else:
        return "nothing to explain: give a response code, status or type"
    return f"{shown}: not a response code, status or type ecp knows{hint}"


def _wrap(label: str, text: str, width: int) -> list[str]:
    import textwrap

    indent = " " * (2 + LABEL_WIDTH + 2)
    first = f"  {label:<{LABEL_WIDTH}}  "
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _heading(state: State, name: str, what: str) -> str:
    if state.env.color:
        return f"\x1b[1m{name}\x1b[0m  {what}"
    return f"{name}  {what}"


def _block(state: State, facts: dict, width: int) -> list[str]:
    kind = facts["kind"]
    if kind == "response_code":
        what = "response code"
        if not facts["listed"]:
            what += " (not in the platform's list; the category comes from the code range)"
        out = [_heading(state, facts["code"], what)]
        if facts["listed"]:
            out += _wrap("message", facts["message"], width)
        out += _wrap("category", f"{facts['category']} - {facts['category_meaning']}", width)
        out += _wrap("action", facts["action"], width)
        out += _wrap("what to do", facts["what_to_do"], width)
        out += _wrap("advice from", advice.SOURCE_TEXTS[facts["advice_source"]], width)
        return out
    what = kind.replace("_", " ")
    if "final" in facts:
        what += ", final" if facts["final"] else ", not final"
    return [_heading(state, facts["value"], what), *_wrap("meaning", facts["meaning"], width)]


def _width(state: State) -> int:
    if not state.env.stdout_isatty:
        return PLAIN_WIDTH
    import shutil

    return max(40, min(PLAIN_WIDTH, shutil.get_terminal_size().columns))


def run(state: State, *, terms: list[str], as_json: bool) -> ExitStatus:
    width = _width(state)
    records: list[dict] = []
    blocks: list[list[str]] = []
    status = ExitStatus.OK
    for term in _terms(terms):
        matches = reference.lookup(term)
        if not _known(matches):
            status = ExitStatus.INPUT_ERROR
            state.error(_problem(term, matches))
            records.append(
                {"term": term, "matches": [], "suggestions": reference.suggest_term(term)}
            )
            continue
        facts = [explanation_facts(info) for info in matches]
        # "suggestions" in every record, [] when the term is known: one shape for jq.
        records.append({"term": term, "matches": facts, "suggestions": []})
        blocks.extend(_block(state, item, width) for item in facts)
    if as_json:
        state.print_json(records)
    elif blocks:
        state.out("\n\n".join("\n".join(block) for block in blocks))
    return status
