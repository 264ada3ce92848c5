import csv
from pathlib import Path

import pytest

from ecp_cli.payment_page import currencies

DATA = Path(currencies.__file__).parents[1] / "data" / "currencies.csv"


def test_csv_is_well_formed():
    with open(DATA, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["code", "numeric", "exponent", "name"]
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes)) >= 150
    assert codes == sorted(codes)
    for row in rows:
        assert len(row["code"]) == 3 and row["code"].isupper()
        assert len(row["numeric"]) == 3 and row["numeric"].isdigit()
        assert row["exponent"] in {"", "0", "2", "3", "4"}
        assert row["name"]
    assert len({row["numeric"] for row in rows}) == len(rows)


def test_loads_every_row():
    assert len(currencies.all_currencies()) == 178


@pytest.mark.parametrize("code", ["USD", "EUR", "JPY", "KWD", "UYI", "CLF", "BOV", "XAF", "XAU"])
def test_known_codes(code):
    assert currencies.is_known(code)


@pytest.mark.parametrize("code", ["usd", " USD", "USD ", "Usd", "ABC", "", "RUR", "HRK", None, 840])
def test_unknown_codes(code):
    assert not currencies.is_known(code)


def test_currency_record():
    yen = currencies.get("JPY")
    assert yen == currencies.Currency("JPY", "392", "Yen", 0, 0)
    assert currencies.get("ALL").numeric == "008"  # leading zeros kept
    assert currencies.get("usd") is None


@pytest.mark.parametrize(
    ("code", "platform", "iso"),
    [
        ("USD", 2, 2),
        ("EUR", 2, 2),
        ("JPY", 0, 0),
        ("KWD", 3, 3),
        ("BHD", 3, 3),
        ("CLF", 4, 4),
        ("UYI", 0, 0),
        ("ISK", 0, 0),
        ("UGX", 0, 0),
        ("XOF", 0, 0),
        ("XAU", 0, None),
        ("XDR", 0, None),
    ],
)
def test_exponents(code, platform, iso):
    assert currencies.exponent(code) == platform
    assert currencies.get(code).iso_exponent == iso


def test_platform_zero_decimal_list_is_respected():
    for code in currencies.PLATFORM_ZERO_DECIMAL:
        assert currencies.exponent(code) == 0, code


def test_exponent_of_unknown_code_raises():
    with pytest.raises(KeyError):
        currencies.exponent("ABC")
    with pytest.raises(KeyError):
        currencies.exponent("usd")


@pytest.mark.parametrize(
    ("minor", "code", "text"),
    [
        (31415, "USD", "314.15 USD"),
        (100, "JPY", "100 JPY"),
        (1500, "KWD", "1.500 KWD"),
        (-5, "EUR", "-0.05 EUR"),
        (-31415, "USD", "-314.15 USD"),
        (0, "EUR", "0.00 EUR"),
        (7, "EUR", "0.07 EUR"),
        (-100, "JPY", "-100 JPY"),
        (1, "KWD", "0.001 KWD"),
        (12345, "CLF", "1.2345 CLF"),
        (5000, "UYI", "5000 UYI"),
        (31415, "ABC", "31415 ABC"),
        (31415, "usd", "31415 usd"),
        # Far beyond float precision: integer maths keeps every digit.
        (123456789012345678901, "USD", "1234567890123456789.01 USD"),
    ],
)
def test_format_amount(minor, code, text):
    assert currencies.format_amount(minor, code) == text


@pytest.mark.parametrize("bad", [314.15, "31415", True, None])
def test_format_amount_wants_an_integer(bad):
    with pytest.raises(TypeError):
        currencies.format_amount(bad, "USD")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("usd", "USD"),
        ("EUR ", "EUR"),
        (" eur", "EUR"),
        ("u s d", "USD"),
        ("RUR", "RUB"),
        ("HRK", "EUR"),
        ("ANG", "XCG"),
        ("GPB", "GBP"),
        ("USS", "USD"),
        ("JPN", "JPY"),
    ],
)
def test_suggest(typed, meant):
    assert currencies.suggest(typed) == meant


@pytest.mark.parametrize("typed", ["USD", "", "   ", "QQQ", None])
def test_suggest_nothing(typed):
    assert currencies.suggest(typed) is None


def test_currencies_are_made_when_asked_for_and_equal_the_csv():
    with open(DATA, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = []
    for row in rows:
        iso = int(row["exponent"]) if row["exponent"] else None
        zero = row["code"] in currencies.PLATFORM_ZERO_DECIMAL or iso is None
        expected.append(
            currencies.Currency(row["code"], row["numeric"], row["name"], 0 if zero else iso, iso)
        )
    assert currencies.all_currencies() == expected
    assert currencies.get("USD") is currencies.get("USD")  # made once

