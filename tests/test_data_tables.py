"""data_tables.py: one row found by its line is the row csv.DictReader reads."""

import csv
import os

import pytest

from ecp_cli import data_tables as tables

FILES = {
    "currencies.csv": ("code", "numeric", "exponent", "name"),
    "payment_page_params.csv": ("name", "type", "description"),
}


def dict_rows(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("name", FILES)
def test_each_file_keeps_what_finding_a_row_by_its_line_needs(name):
    rows = dict_rows(os.path.join(tables.DATA_DIR, name))
    keys = [row[FILES[name][0]] for row in rows]
    assert len(keys) == len(set(keys)) > 50
    assert all(tables.is_plain_key(key) for key in keys)
    assert not any("\n" in field or "\r" in field for row in rows for field in row.values())


@pytest.mark.parametrize("name", FILES)
def test_every_row_is_the_row_csv_dict_reader_reads(name):
    path, columns = os.path.join(tables.DATA_DIR, name), FILES[name]
    rows = dict_rows(path)
    assert tables.rows(path, columns) == {row[columns[0]]: list(row.values()) for row in rows}
    for row in rows:
        key = row[columns[0]]
        assert tables.row(path, columns, key) == list(row.values())
        assert tables.has(path, columns, key)


# Texts that are no key: a column's name, a key with more after it or around it, a prefix,
# a field that is not the first, and what is not text at all.
NOT_KEYS = [
    *("", "code", "name", "USD,840", "USD\n", "\nUSD", " USD", "USD ", "usd", "US", "840"),
    *("payment_amount,", "payment_amoun", "string", ",", "\n", None, 840, ["USD"]),
]


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("key", NOT_KEYS, ids=repr)
def test_a_text_that_is_no_key_finds_nothing(name, key):
    path, columns = os.path.join(tables.DATA_DIR, name), FILES[name]
    assert tables.row(path, columns, key) is None
    assert not tables.has(path, columns, key)


def test_is_plain_key():
    assert tables.is_plain_key("payment_amount") and tables.is_plain_key("USD")
    for text in ("", "a-b", "a b", "a,b", "é", "a\n", "٣", None, 1):
        assert not tables.is_plain_key(text), text


def write(tmp_path, text: str) -> str:
    path = tmp_path / "table.csv"
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def test_a_file_whose_columns_moved_is_refused(tmp_path):
    path = write(tmp_path, "numeric,code\n840,USD\n")
    with pytest.raises(ValueError, match=r"expected the columns \['code', 'numeric'\]"):
        tables.has(path, ("code", "numeric"), "USD")


def test_the_last_line_without_a_line_break_and_crlf_lines_read_the_same(tmp_path):
    columns = ("code", "name")
    lf = write(tmp_path, 'code,name\nAAA,"One, two"\nBBB,Three')
    assert tables.row(lf, columns, "BBB") == ["BBB", "Three"]
    assert tables.row(lf, columns, "AAA") == ["AAA", "One, two"]
    (tmp_path / "crlf").mkdir()
    crlf = write(tmp_path / "crlf", 'code,name\r\nAAA,"One, two"\r\nBBB,Three\r\n')
    assert tables.rows(crlf, columns) == tables.rows(lf, columns)
    assert tables.row(crlf, columns, "AAA") == ["AAA", "One, two"]
    assert tables.row(crlf, columns, "BBB") == ["BBB", "Three"]


def test_the_c_reader_s_default_dialect_is_csv_s_excel():
    # data_tables.py reads with _csv.reader (csv.py costs start-up time): csv's own dialect.
    import _csv

    excel, default = csv.get_dialect("excel"), _csv.reader([]).dialect
    for name in ("delimiter", "quotechar", "escapechar", "doublequote", "skipinitialspace",
                 "lineterminator", "quoting", "strict"):  # fmt: skip
        assert getattr(default, name) == getattr(excel, name), name
