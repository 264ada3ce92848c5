"""documents' fast JSON readers against the slower ones they stand in for.

json_bytes_reader (orjson, where it reads as json reads) against parse_json_line: for any
text, the same object, of the same types, or None (then parse_json_line has its say).
documents._json_decode (_json's scanner, which spares `ecp verify` importing json and re)
against json.JSONDecoder set up the same way: the same data, or the same error."""

import json
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecp_cli import documents
from ecp_cli.documents import MAX_DEPTH, json_bytes_reader, parse_json_line
from ecp_cli.signing.canonical import deep_stack

pytest.importorskip("orjson")
READ = json_bytes_reader()


def typed(value: object) -> object:
    """``value`` with every type spelled out: 1, 1.0 and True differ, and so do 0.0 and -0.0."""
    if isinstance(value, dict):
        return ("dict", [(key, typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    return (type(value).__name__, repr(value))


def same(text: str) -> None:
    """What the reader reads is what parse_json_line reads, an object; else it says None."""
    with deep_stack():  # typed() walks 511 levels deep
        read = READ(text.encode("utf-8", "surrogatepass"))
        if read is not None:
            document = parse_json_line("log", 1, text)
            assert type(document).__name__ == "Document", text
            assert typed(read) == typed(document.data), text
        return read


def anything(text: str) -> None:
    same(text)
    same("{" + f'"k": {text}' + "}")  # the same inside an object, which the reader reads


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
    anything(json.dumps(value, ensure_ascii=ascii_only))


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
def test_any_text_reads_the_same_or_is_left_to_parse_json_line(text):
    anything(text)


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
        "[" + "[]," * MAX_DEPTH + "{}]",  # many brackets, two levels deep
        '{"a": [' + '"é", ' * 300 + "[[]]]}",
        '{"a": 1} {"b": 2}',
        '  {"a": 1}  ',
    ],
)
def test_known_differences_between_the_parsers_do_not_show(text):
    anything(text)


def test_what_orjson_would_read_otherwise_or_not_check_is_left_to_parse_json_line():
    assert same('{"n": 18446744073709551616}') is None  # orjson: a float
    assert same('{"n": 1}' + " " * 2 * MAX_DEPTH + "[]" * MAX_DEPTH) is None  # deep? maybe
    assert same('{"id": "1234567890123456789"}') is None  # 19 digits, even in a string


def test_the_reader_reads_objects_and_leaves_the_rest():
    assert same('{"a": [1, "x"], "a": {"b": null}}') == {"a": {"b": None}}
    for text in ("", "  ", "[1]", '"x"', "1", "{oops", '{"a": NaN}', '{"a": "\\ud800"}'):
        assert same(text) is None


def test_without_orjson_there_is_no_reader(monkeypatch):
    monkeypatch.setitem(sys.modules, "orjson", None)  # import orjson now fails
    assert json_bytes_reader() is None


def scanner_and_json_agree(text: str) -> None:
    oracle = json.JSONDecoder(parse_constant=documents._reject_constant)
    outcomes = []
    for read in (documents._json_decode, oracle.decode):
        try:
            outcomes.append(typed(read(text)))
        except (ValueError, RecursionError) as error:  # the error is the outcome compared
            outcomes.append((type(error), str(error)))
    assert outcomes[0] == outcomes[1], text


@RUNS
@given(
    values,
    st.booleans(),
    st.sampled_from(["", " ", "\n", "\t\r ", "\x0c", "\u00a0"]),  # JSON's whitespace or not
)
def test_the_scanner_reads_json_text_of_any_value_as_json_does(value, ascii_only, space):
    scanner_and_json_agree(space + json.dumps(value, ensure_ascii=ascii_only) + space)


@RUNS
@given(st.lists(pieces, max_size=12).map("".join))
def test_the_scanner_reads_any_text_as_json_does(text):
    scanner_and_json_agree(text)
