"""status_names folds names with str methods, not re (importing re costs ecp show start-up
time): the regular expressions it replaced are the oracle."""

import re

from hypothesis import given
from hypothesis import strategies as st

from ecp_cli.callbacks.status_names import cancelled, fold

# Pieces that make the edge cases likely: the word in several cases, word characters of
# other scripts next to it, separators, whitespace that is not a space, a dotted capital I
# (its lower case is two characters long).
_PIECES = st.sampled_from(
    ["canceled", "CANCELED", "Canceled", "cAnCeLeD", "cancelled", "cancel", "ed", "_", "-",
     " ", "\t", "\u00a0", "\x1c", "\u2028", "x", "7", "\u00e9", "\u0660", "\u00b2", "\u0130",
     "\u212a", ".", "3DS", "Awaiting"]
)  # fmt: skip
_NAMES = st.one_of(st.lists(_PIECES, max_size=8).map("".join), st.text(max_size=12))


@given(_NAMES)
def test_fold_is_the_regular_expressions(term):
    folded = re.sub(r"[\s_\-]+", " ", term.strip().lower())
    assert fold(term) == re.sub(r"\bcanceled\b", "cancelled", folded)


@given(_NAMES)
def test_cancelled_is_the_regular_expression(text):
    assert cancelled(text) == re.sub(r"\bcanceled\b", "cancelled", text)
    expected = re.sub(r"\bcanceled\b", "cancelled", text, flags=re.IGNORECASE)
    assert cancelled(text, any_case=True) == expected


def test_examples():
    assert fold(" Awaiting_3DS-Result ") == "awaiting 3ds result"
    assert fold("_partially  canceled-") == " partially cancelled "
    assert fold("__") == " "
    assert fold("") == ""
    assert cancelled("Canceled, canceled_x canceled") == "Canceled, canceled_x cancelled"
    assert cancelled("CANCELED précanceled", any_case=True) == "cancelled précanceled"
