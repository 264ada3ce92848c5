"""documents.json_lines_parser (orjson where it reads as json reads) against parse_json:
the same data, of the same types, or the same error, for any text."""

import json
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecp_cli.documents import MAX_DEPTH, json_lines_parser, parse_json
from ecp_cli.signing.canonical import deep_stack

pytest.importorskip("orjson")
FAST = json_lines_parser()


def outcome(parse, text: str) -> tuple:
    try:
        data = parse(text)
    except ValueError as error:
        return ("error", type(error).__name__, str(error))
    return ("data", typed(data))


def typed(value: object) -> object:
    """``value`` with every type spelled out: 1, 1.0 and True differ, and so do 0.0 and -0.0."""
    if isinstance(value, dict):
        return ("dict", [(key, typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    return (type(value).__name__, repr(value))


def same(text: str) -> None:
    with deep_stack():  # typed() walks 511 levels deep
        assert outcome(FAST, text) == outcome(parse_json, text), text


RUNS = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
numbers = st.one_of(
    st.integers(),
    st.sampled_from([2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1, 10**30]),
    st.floats(),
)
values = st.recursive(
    st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=6)),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=12,
)


@RUNS
@given(values, st.booleans())
def test_json_text_of_any_value_reads_the_same(value, ascii_only):
    same(json.dumps(value, ensure_ascii=ascii_only))


# Pieces of JSON, mostly put together wrong: every error must read as parse_json words it.
pieces = st.sampled_from(
    [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        " ",
        "\t",
        "\n",
        '"a"',
        '"b"',
        '""',
        "1",
        "-0",
        "0.5",
        "01",
        "1e400",
        "-1e400",
        "1e-400",
        "1.",
        ".5",
        "+1",
        "18446744073709551616",
        "9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "1.7976931348623159e308",
        "NaN",
        "Infinity",
        "-Infinity",
        "true",
        "false",
        "null",
        "tru",
        '"\\ud800"',
        '"\\ud83d\\ude00"',
        '"\\udc00\\ud800"',
        '"\\x"',
        '"\\u00e9"',
        "\ufeff",
        "\x00",
        '"\x01"',
        "\u2028",
        "é",
        '"é"',
        "/",
        "'a'",
    ]  # fmt: skip
)


@RUNS
@given(st.lists(pieces, max_size=12).map("".join))
def test_any_text_reads_the_same_or_fails_with_the_same_message(text):
    same(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "b": 2, "a": 3}',  # the last wins, in the first one's place
        '{"a": {"x": 1}, "a": [2]}',
        '{"n": 18446744073709551615, "m": 18446744073709551616, "k": -9223372036854775809}',
        '{"id": "12345678901234567890"}',  # 19 digits in a string: json reads it, alike
        '{"f": 1E2, "g": 1e-7, "h": -0.0, "i": -0, "j": 2.2250738585072011e-308}',
        '{"a": NaN}',
        '{"a": Infinity}',
        '{"s": "\\ud800"}',
        '{"s": "\\ud83d\\ude00", "t": "\\u0000"}',
        "[" * MAX_DEPTH + "]" * MAX_DEPTH,
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        "[" * 2000 + "]" * 2000,
        '{"a": 1} {"b": 2}',
        '  {"a": 1}  ',
    ],
)
def test_known_differences_between_the_parsers_do_not_show(text):
    same(text)


def test_orjson_reads_the_lines_it_can():
    assert FAST is not parse_json
    assert FAST('{"a": [1, "x"]}') == {"a": [1, "x"]}


def test_without_orjson_parse_json_reads_every_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "orjson", None)  # import orjson now fails
    assert json_lines_parser() is parse_json
