"""canonical.py: the string to sign, checked against the spec and against PHP."""

import json

import pytest

from ecp_cli.signing.canonical import CanonicalError, float_paths, php_float, string_to_sign
from tests.anchors import PHP_ARTEFACTS, PHP_SIGNATURES, SPEC_EXAMPLE, SPEC_STRING

PHP = PHP_SIGNATURES


def test_spec_worked_example_string():
    assert string_to_sign(SPEC_EXAMPLE) == SPEC_STRING


@pytest.mark.parametrize(
    "doc", [d for d in PHP["documents"] if d["name"] not in PHP_ARTEFACTS], ids=lambda d: d["name"]
)
def test_string_matches_php_implementation(doc):
    document = json.loads(doc["document_json"])
    assert string_to_sign(document) == doc["string_to_sign"]


@pytest.mark.parametrize("row", PHP["floats"], ids=lambda r: r["expr"])
def test_php_float_matches_php_string_cast(row):
    expr = row["expr"].split(" (")[0]  # "18446744073709551617 (json int beyond int64)"
    left, plus, right = expr.partition("+")
    value = float(left) + float(right) if plus and right else float(expr)
    assert php_float(value) == row["string_cast_precision_14"]


def test_booleans_nulls_and_empty_containers():
    doc = {"a": True, "b": False, "c": None, "d": {}, "e": [], "f": {"g": []}, "h": 0}
    assert string_to_sign(doc) == "a:1;b:0;c:;h:0"


def test_frame_mode_is_never_signed_at_any_depth():
    doc = {"frame_mode": "iframe", "x": {"frame_mode": "popup", "y": 1}}
    assert string_to_sign(doc) == "x:y:1"


def test_colons_in_keys_are_doubled_and_values_left_alone():
    assert string_to_sign({"a:b": "c:d;e"}) == "a::b:c:d;e"


def test_lists_use_indices_in_natural_order():
    doc = {"items": [f"v{i}" for i in range(12)]}
    text = string_to_sign(doc)
    assert text.split(";")[:3] == ["items:0:v0", "items:1:v1", "items:2:v2"]
    assert text.endswith("items:9:v9;items:10:v10;items:11:v11")


def test_unsignable_values_name_their_path():
    with pytest.raises(CanonicalError) as error:
        string_to_sign({"a": {"b": {1, 2}}})
    assert str(error.value) == "a:b: a set cannot be signed"


def test_float_paths_lists_every_float():
    assert float_paths({"amount": 100.0, "x": [1, 2.5], "y": {"z": 1}}) == ["amount", "x:1"]


# --- where ecp once disagreed with the PHP SDK (tests/fixtures/oracles) -------------------


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"": [1]}, "0:1"),  # PHP, Python and Node all sign 0:1
        ({"": [1, {"a": 2}], "b": 3}, "0:1;1:a:2;b:3"),
        ({"": {"a": 1}}, "a:1"),
        ({"x": {"": [1, 2]}}, "x::0:1;x::1:2"),
    ],
)
def test_a_list_under_an_empty_key_starts_the_path_with_its_index(document, expected):
    assert string_to_sign(document) == expected


@pytest.mark.parametrize(
    ("value", "signed"),
    [
        (2**63 - 1, "9223372036854775807"),
        (2**63, "9.2233720368548E+18"),  # json_decode made it a float
        (-(2**63), "-9223372036854775808"),  # still an integer
        (-(2**63) - 1, "-9.2233720368548E+18"),
        (18446744073709551617, "1.844674407371E+19"),
        (10**400, "INF"),
    ],
)
def test_integers_outside_64_bits_are_signed_as_the_float_php_makes_of_them(value, signed):
    assert string_to_sign({"a": value}) == f"a:{signed}"
    assert string_to_sign({"a": [value]}) == f"a:0:{signed}"
