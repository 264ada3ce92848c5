"""What a test card does: the platform's test-card table, shipped as data/test_cards.csv.

On a test project the card number alone picks the outcome; expiry (not past), CVV and
holder only have to be well formed. Choices the public sources leave open, made here and
documented in docs/sandbox.md:

* the ACS page accepts the code ``1234`` (the one code a public source names); any other
  code declines with 104, as does a challenge card whose row says decline;
* a well-formed card that is not in the table declines with 3101 (Card not found): a clear
  code that says "this is not a test card";
* the partial-authorisation cards succeed in full (partial authorisation needs a project
  setting the sandbox does not have).
"""

from __future__ import annotations

import csv
import functools
import os
from dataclasses import dataclass

_CSV_PATH = os.path.join(os.path.dirname(__file__), "data", "test_cards.csv")
ACS_CODE = "1234"
WRONG_3DS_CODE = "104"  # Declined by 3DS check
UNKNOWN_CARD_CODE = "3101"  # Card not found

DIRECT, CHALLENGE, FRICTIONLESS = "direct", "challenge", "frictionless"


@dataclass(frozen=True)
class TestCard:
    number: str
    brand: str
    flow: str  # as the table words it: "no 3-D Secure", "3-D Secure challenge", ...
    outcome: str  # success, decline, partial
    code: str
    note: str

    @property
    def kind(self) -> str:
        """direct, challenge or frictionless: what the customer goes through."""
        if "challenge" in self.flow:
            return CHALLENGE
        if "frictionless" in self.flow:
            return FRICTIONLESS
        return DIRECT

    @property
    def approves(self) -> bool:
        return self.outcome in ("success", "partial")

    @property
    def result(self) -> str:
        return "success" if self.approves else f"decline {self.code}"

    @property
    def summary(self) -> str:
        text = f"{self.flow}, {self.result}"
        return f"{text} ({self.note})" if self.note else text

    @property
    def short(self) -> str:
        """A few words for the checkout's panel of cards (the note goes in a tooltip)."""
        flow = {CHALLENGE: "3-D Secure challenge", FRICTIONLESS: "frictionless 3-D Secure"}
        how = "payout" if self.flow == "payout" else flow.get(self.kind, "no 3-D Secure")
        return f"{self.result} · {how}"


@dataclass(frozen=True)
class Decision:
    """How a payment with this card goes: through 3-D Secure or not, and how it ends."""

    kind: str  # direct, challenge, frictionless
    approved: bool
    code: str  # "0" when approved
    brand: str
    card: TestCard | None  # None: not a test card


@functools.cache
def cards() -> dict[str, TestCard]:
    with open(_CSV_PATH, encoding="utf-8", newline="") as handle:
        return {
            row["card"]: TestCard(
                row["card"], row["brand"], row["flow"], row["outcome"], row["code"], row["note"]
            )
            for row in csv.DictReader(handle)
        }


def brand_of(number: str) -> str:
    """The scheme a card number belongs to, by its first digits."""
    if number.startswith("4"):
        return "visa"
    if number[:2] in ("51", "52", "53", "54", "55") or "2221" <= number[:4] <= "2720":
        return "mastercard"
    if number[:2] in ("34", "37"):
        return "amex"
    if number.startswith(("6011", "65")):
        return "discover"
    if number.startswith(("50", "56", "57", "58", "6")):
        return "maestro"
    return "card"


def decide(number: str, *, payout: bool = False) -> Decision:
    """The outcome of paying with ``number`` (digits only, already checked by Luhn)."""
    card = cards().get(number)
    if card is None:
        return Decision(DIRECT, False, UNKNOWN_CARD_CODE, brand_of(number), None)
    # Payouts do not ask the customer to authenticate: the card's final outcome counts.
    kind = DIRECT if payout else card.kind
    return Decision(kind, card.approves, "0" if card.approves else card.code, card.brand, card)


def luhn_ok(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def mask(number: str) -> str:
    """How the platform shows a card: first six and last four digits."""
    return f"{number[:6]}******{number[-4:]}"
