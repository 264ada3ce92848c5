"""natural.py against real PHP: fixtures produced by PHP 8.2's strnatcmp and ksort
(tests/fixtures/php/generate.php)."""

import json
import random
import re
from functools import cmp_to_key

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecp_cli.signing.natural import natural_key, needs_port, sort_paths, strnatcmp
from tests.conftest import FIXTURES

PHP = json.loads((FIXTURES / "php" / "natural_order.json").read_text(encoding="utf-8"))


def test_fixture_is_from_php():
    assert PHP["php_version"].startswith("8.")
    assert len(PHP["pairs"]) > 2000 and len(PHP["cases"]) > 40


@pytest.mark.parametrize("pair", PHP["pairs"], ids=lambda p: f"{p['a']!r}~{p['b']!r}")
def test_strnatcmp_matches_php_on_every_pair(pair):
    assert strnatcmp(pair["a"], pair["b"]) == pair["strnatcmp"]


@pytest.mark.parametrize("case", PHP["cases"], ids=lambda c: c["name"])
def test_sort_paths_matches_php_usort_and_ksort(case):
    assert sort_paths(case["input"]) == case["usort_strnatcmp"]
    assert sort_paths(case["input"]) == case["ksort_natural"]


KEYED_PAIRS = [p for p in PHP["pairs"] if not (needs_port(p["a"]) or needs_port(p["b"]))]


def test_fast_key_is_checked_on_most_pairs():
    assert len(KEYED_PAIRS) > 1000


@pytest.mark.parametrize("pair", KEYED_PAIRS, ids=lambda p: f"{p['a']!r}~{p['b']!r}")
def test_fast_key_agrees_with_php_wherever_it_is_used(pair):
    a, b = pair["a"], pair["b"]
    key_order = (natural_key(a) > natural_key(b)) - (natural_key(a) < natural_key(b))
    assert key_order == pair["strnatcmp"]


def test_list_indices_of_ten_and_more_sort_as_numbers():
    paths = [f"receipt:positions:{i}:amount" for i in range(25)]
    shuffled = paths[:]
    random.Random(7).shuffle(shuffled)
    assert sort_paths(shuffled) == paths
    # The divergence the Python SDK has: plain string order puts 10 before 2.
    assert sorted(paths)[1] == "receipt:positions:10:amount"


def test_spec_examples():
    assert sort_paths(["item10", "item2", "item1"]) == ["item1", "item2", "item10"]
    expected = ["Item", "a", "a1", "item-a", "item.b", "item1", "item:name", "item_c"]
    assert sort_paths(reversed(expected)) == expected
    assert sort_paths(["c:d::e", "a:b", "a::b"]) == ["a::b", "a:b", "c:d::e"]


def test_ties_keep_document_order_like_php_stable_sort():
    # "a 1" and "a1" compare equal in PHP; a stable sort keeps them as given.
    assert sort_paths(["a1", "a 1"]) == ["a1", "a 1"]
    assert sort_paths(["a 1", "a1"]) == ["a 1", "a1"]


def test_fast_key_and_port_agree_on_random_simple_paths():
    rng = random.Random(2026)
    alphabet = ["a", "b", "Z", ":", "_", "-", ".", "1", "2", "9", "10", "0", "é"]
    paths = {"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(400)}
    simple = [p for p in paths if not needs_port(p)]
    assert len(simple) > 200
    assert sorted(simple, key=natural_key) == sorted(simple, key=cmp_to_key(strnatcmp))


# natural.py finds digit runs and zero-led runs by hand (importing re costs `ecp verify`
# start-up time); the regular expressions they replace are the oracle.
_PATH_TEXT = st.text(alphabet="ab:_ 0123456789\t\u0660\u00e9", max_size=12)


@given(_PATH_TEXT)
def test_needs_port_is_the_regular_expression(path):
    assert needs_port(path) == (re.search(r"[ \t\n\v\f\r]|(?<![0-9])0[0-9]", path) is not None)


@given(_PATH_TEXT)
def test_natural_key_encodes_digit_runs_as_the_regular_expression_does(path):
    def encode(match: re.Match[str]) -> str:
        return "0" + chr(len(match.group())) + match.group()

    assert natural_key(path) == re.sub(r"[0-9]+", encode, path)
