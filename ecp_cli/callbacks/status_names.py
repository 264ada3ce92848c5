"""How ecp compares status and type names: one folded form for the ways the platform and
people write them ("Awaiting_3DS_Result", "awaiting 3ds result"), and one spelling for the
two the platform sends ("canceled", "cancelled").

Written with str methods rather than regular expressions: importing re costs ``ecp show``
more start-up time than its reading does (tests/callbacks/test_status_names.py holds
these equal to the expressions they replace).
"""


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
