"""advice.py: specific advice for the common codes, the action class's for the rest."""

import csv
from pathlib import Path

import pytest

from ecp_cli.callbacks import advice

DATA = Path(advice.__file__).parents[1] / "data"


def _listed() -> dict[str, dict[str, str]]:
    with open(DATA / "response_codes.csv", encoding="utf-8", newline="") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


def test_at_least_forty_listed_codes_have_their_own_advice():
    listed = _listed()
    assert len(advice.CODE_ADVICE) >= 40
    assert set(advice.CODE_ADVICE) <= set(listed)


@pytest.mark.parametrize("code", sorted(advice.CODE_ADVICE, key=int))
def test_each_advice_reads_as_sentences_and_a_headline_clause(code):
    said = advice.CODE_ADVICE[code]
    assert said.source in (advice.PLATFORM, advice.ECP), code
    assert said.text[0].isupper() or said.text.startswith(("3-D", "ecommpay")), code
    assert said.text.endswith("."), code
    assert said.short and said.short[0].islower() and not said.short.endswith("."), code
    assert "`" not in said.text + said.short  # plain text on a terminal


def test_only_codes_whose_message_or_documentation_says_so_are_marked_platform():
    # Each of these restates the code's own message ("... Do not try again", "Try again
    # later", "can take up to several days") or docs/spec/platform.md (3041, 3024, the
    # pending codes). Anything else is ecp's reading and must say so.
    platform = {code for code, said in advice.CODE_ADVICE.items() if said.source == "platform"}
    assert platform == {
        "3024", "3041", "601", "9999", "19999", "29999", "10112", "10113", "10403", "10404",
        "10405", "10601", "10603", "10810", "10811", "10812", "20601", "20603", "20899",
    }  # fmt: skip
    messages = _listed()
    for code in platform - {"3024", "3041", "9999", "19999", "29999"}:
        message = messages[code]["message"].lower()
        assert any(word in message for word in ("try again", "retry", "several days")), code


def test_the_action_class_advice_is_the_fallback():
    said = advice.advice_for("3106", "business", "retry-later")
    assert said == advice.Advice(
        advice.ACTION_ADVICE["retry-later"],
        "retry later, an immediate retry will most likely fail the same way",
        advice.ACTION_CLASS,
    )
    assert advice.advice_for("10301", "issuer", "retry").short == (
        "ask the customer to try again or to pay with another card"
    )
    assert advice.advice_for("20301", "provider", "retry").short == (
        "the customer may try again or choose another payment method"
    )
    assert advice.advice_for("30000", "merchant", "none").short == (
        "check your confirmation handler and logs for why"
    )
    assert advice.general_advice("success", "none").text == (
        "Nothing to do: the operation succeeded."
    )
    # An action class the list might gain one day falls back to the most cautious advice.
    assert (
        advice.general_advice("business", "escalate").text
        == (advice.ACTION_ADVICE["contact-support"])
    )


def test_corrections_apply_only_to_the_class_they_correct():
    listed = _listed()
    for code, (ours, theirs) in advice.ACTION_CORRECTIONS.items():
        assert listed[code]["action"] == theirs, code
        assert advice.corrected_action(code, theirs) == ours
        # Should the reference list change its mind, its new class wins.
        assert advice.corrected_action(code, "contact-support") == "contact-support"
    assert advice.corrected_action("10000", "retry") == "retry"
