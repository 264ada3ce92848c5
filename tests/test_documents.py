"""documents.py: JSON or YAML objects from files, stdin and JSON lines."""

import io
import os

import pytest

from ecp_cli import documents
from ecp_cli.documents import MAX_DEPTH, iter_json_lines, load_document, parse_json
from ecp_cli.errors import InputError


def test_json_file(tmp_path):
    (tmp_path / "a.json").write_text('{"a": 1}')
    doc = load_document(str(tmp_path / "a.json"))
    assert doc.data == {"a": 1} and doc.source == str(tmp_path / "a.json")


def test_stdin_json_then_yaml():
    assert load_document("-", io.StringIO('{"a": 1}')).data == {"a": 1}
    doc = load_document("-", io.StringIO("a: 1\nb: [x]\n"))
    assert doc.data == {"a": 1, "b": ["x"]} and doc.source == "<stdin>"


def test_utf8_bom_is_accepted(tmp_path):
    (tmp_path / "bom.json").write_bytes(b'\xef\xbb\xbf{"a": "\xc3\xa9"}')
    assert load_document(str(tmp_path / "bom.json")).data == {"a": "é"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"a": 1,}', "not valid JSON: Expecting property name enclosed in double quotes"),
        (b"\xff\xfe", "not UTF-8 text"),
        (b"   \n", "is empty"),
        (b'"text"', "expected an object at the top, got a string"),
        (b"42", "expected an object at the top, got a number"),
        (b"null", "expected an object at the top, got null"),
        (b"key: [unclosed", "not valid JSON or YAML"),
    ],
)
def test_bad_content(tmp_path, content, message):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(InputError) as error:
        load_document(str(path))
    assert error.value.message.startswith(f"{path}: ")
    assert message in error.value.message


def test_directory_and_missing(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        load_document(str(tmp_path))
    with pytest.raises(InputError, match="no such file"):
        load_document(str(tmp_path / "nope.json"))


def test_yaml_file_is_parsed_as_yaml(tmp_path):
    (tmp_path / "p.yml").write_text("best_before: 2026-12-31T23:59:59+00:00\nflag: yes\n")
    data = load_document(str(tmp_path / "p.yml")).data
    assert data == {"best_before": "2026-12-31T23:59:59+00:00", "flag": "yes"}


def test_json_lines_report_bad_lines_and_go_on(tmp_path):
    (tmp_path / "l.jsonl").write_text('{"a": 1}\n\n[1]\n{"b": 2}\n')
    items = list(iter_json_lines(str(tmp_path / "l.jsonl")))
    assert [type(i).__name__ for i in items] == ["Document", "InputError", "Document"]
    assert (
        items[1].message == f"{tmp_path / 'l.jsonl'}:3: expected an object at the top, got a list"
    )
    assert items[2].source == f"{tmp_path / 'l.jsonl'}:4"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # PyYAML's own messages span four lines; ecp's errors are one line.
        (
            "a: [\n  b: c\n",
            "not valid JSON or YAML: while parsing a flow sequence: "
            "did not find expected ',' or ']' (line 3",
        ),
        (
            "a: 1\n---\nb: 2\n",
            "not valid JSON or YAML: expected a single document in the stream: "
            "but found another document (line 2",
        ),
        (
            "<<: 5\n",
            "not valid JSON or YAML: while constructing a mapping: "
            "expected a mapping or list of mappings for merging",
        ),
        # Explicit tags run PyYAML's converters, which raise plain Python errors.
        ("a: !!float x\n", "not valid JSON or YAML: !!float cannot read 'x' (line 1, column 4)"),
        ("a: !!bool maybe\n", "not valid JSON or YAML: !!bool cannot read 'maybe'"),
        ("a: !!timestamp x\n", "not valid JSON or YAML: !!timestamp cannot read 'x'"),
    ],
)
def test_yaml_errors_are_one_line(tmp_path, content, message):
    path = tmp_path / "p.yaml"
    path.write_text(content)
    with pytest.raises(InputError) as error:
        load_document(str(path))
    assert error.value.message.startswith(f"{path}: {message}")
    assert "\n" not in error.value.message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a: !!binary aGk=\n", "a: a binary value has no JSON equivalent"),
        ("a: [1, !!timestamp 2026-01-01]\n", "a:1: a date has no JSON equivalent"),
        ("a: !!set {x, y}\n", "a: a set has no JSON equivalent"),
        ("a: {b: .inf}\n", "a:b: Infinity and NaN are not valid JSON"),
        ("a: .nan\n", "a: Infinity and NaN are not valid JSON"),
    ],
)
def test_yaml_values_json_cannot_hold_are_rejected(tmp_path, content, message):
    path = tmp_path / "p.yaml"
    path.write_text(content)
    with pytest.raises(InputError) as error:
        load_document(str(path))
    assert error.value.message == f"{path}: {message}"


@pytest.mark.parametrize("suffix", ["json", "yaml"])
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 990, 30000])
def test_deep_nesting_is_refused_before_anything_recurses(tmp_path, suffix, depth):
    # Signing, diagnosis and copying walk documents recursively; without a limit a
    # document nested a few hundred levels deep ends in RecursionError (or, in libyaml,
    # a crash of the whole process).
    path = tmp_path / f"deep.{suffix}"
    path.write_text('{"a": ' + "[" * depth + "]" * depth + "}")
    with pytest.raises(InputError) as error:
        load_document(str(path))
    # YAML brackets are counted before parsing (libyaml would crash), quotes ignored, so
    # the very deep YAML case is caught by a looser first limit.
    limit = 1000 if (suffix, depth) == ("yaml", 30000) else MAX_DEPTH
    assert error.value.message.startswith(f"{path}: ")
    assert error.value.message.endswith(f"nested more than {limit} levels deep")


def test_nesting_up_to_the_limit_is_fine(tmp_path):
    lists = MAX_DEPTH - 1  # the object and MAX_DEPTH - 1 lists: exactly the limit
    text = '{"a": ' + "[" * lists + "]" * lists + "}"
    innermost: list = []
    for _ in range(lists - 1):
        innermost = [innermost]
    for name in ("deep.json", "deep.yaml"):
        (tmp_path / name).write_text(text)
        assert load_document(str(tmp_path / name)).data == {"a": innermost}


@pytest.mark.parametrize("escape", ["\\ud800", "\\udc00", "x\\uDBFFy"])
def test_half_a_surrogate_pair_is_not_text(tmp_path, escape):
    # Valid JSON syntax, but no character: UTF-8 (and so HMAC signing) cannot encode it.
    path = tmp_path / "s.json"
    path.write_text('{"a": {"b": "' + escape + '"}}')
    with pytest.raises(InputError) as error:
        load_document(str(path))
    assert error.value.message == (
        f"{path}: a:b: contains half of a UTF-16 surrogate pair (a \\u escape from "
        "\\ud800 to \\udfff without its partner), which is not a character"
    )


def test_surrogate_pairs_and_keys(tmp_path):
    path = tmp_path / "s.json"
    path.write_text('{"smile": "\\ud83d\\ude00"}')
    assert load_document(str(path)).data == {"smile": "\U0001f600"}
    path.write_text('{"\\ud800": 1}')
    with pytest.raises(InputError, match="contains half of a UTF-16 surrogate pair"):
        load_document(str(path))


def test_json_lines_with_half_a_surrogate_pair(tmp_path):
    (tmp_path / "l.jsonl").write_text('{"a": "\\ud800"}\n{"a": 1}\n')
    items = list(iter_json_lines(str(tmp_path / "l.jsonl")))
    assert [type(i).__name__ for i in items] == ["InputError", "Document"]
    assert items[0].message.startswith(f"{tmp_path / 'l.jsonl'}:1: a: contains half of a")


def test_closed_or_unreadable_stdin_is_an_input_error(monkeypatch, tmp_path):
    # `ecp sign - <&-`: Python sets sys.stdin to None when file descriptor 0 is closed.
    monkeypatch.setattr("sys.stdin", None)
    with pytest.raises(InputError) as error:
        load_document("-")
    assert error.value.message == "<stdin>: is closed"
    # `ecp sign - 0>file`: descriptor 0 is open, but for writing only.
    read_end, write_end = os.pipe()
    os.close(read_end)
    with open(write_end) as write_only, pytest.raises(InputError) as error:
        load_document("-", write_only)
    assert error.value.message == "<stdin>: cannot be read (Bad file descriptor)"


@pytest.mark.parametrize(("levels", "accepted"), [(511, True), (512, False)])
def test_nesting_limit_is_php_json_decode_s(levels, accepted):
    # PHP's json_decode (default depth 512) reads 511 nested levels and refuses 512
    # (checked with php-cli 8.2: tests/fixtures/oracles, documents depth_511_*/depth_512_*).
    text = '{"a":' * levels + "1" + "}" * levels
    if accepted:
        assert parse_json(text) is not None
    else:
        with pytest.raises(ValueError, match="nested more than 511 levels deep"):
            parse_json(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1} x', "not valid JSON: Extra data (line 1, column 10)"),
        (" x", "not valid JSON: Expecting value (line 1, column 2)"),
        ('{"a": 1', "not valid JSON: Expecting ',' delimiter (line 1, column 8)"),
        ('{"a": NaN}', "NaN is not valid JSON"),
        ('{"a": "\\ud800"}', "a: contains half of a UTF-16 surrogate pair"),
        ('{"a": "\\uD83D"}', "a: contains half of a UTF-16 surrogate pair"),
    ],
)
def test_bad_json_lines_are_worded_as_before(text, message):
    item = documents.parse_json_line("log", 3, text)
    assert isinstance(item, InputError)
    assert item.message.startswith(f"log:3: {message}")
