"""documents.py: JSON or YAML objects from files, stdin and JSON lines."""

import io

import pytest

from ecp_cli.documents import iter_json_lines, load_document
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
