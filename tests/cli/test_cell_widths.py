"""cli/cell_widths.py measures text as rich does: the committed table is rich's, and the
functions agree with rich's on every kind of character."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich import cells as rich_cells
from rich._unicode_data import load

from ecp_cli.cli import cell_width_table
from ecp_cli.cli.cell_widths import cell_len, char_cells, chop, fit

PROPERTY = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_the_table_is_the_one_rich_measures_with():
    # When rich's table changes, run scripts/make_cell_widths.py (its docstring says how).
    table = load("latest")
    assert table.unicode_version == cell_width_table.UNICODE_VERSION
    others = [entry for entry in table.widths if entry[2] != 1]
    assert list(zip(cell_width_table.STARTS, cell_width_table.ENDS, cell_width_table.WIDTHS,
                    strict=True)) == others  # fmt: skip
    assert table.narrow_to_wide == cell_width_table.EMOJI_WITH_VS16


def test_every_code_point_has_riches_width():
    # The edges of every range, all of Latin, Greek and Cyrillic (the fast path), and every
    # 97th code point besides (all of them: too slow).
    points = set(range(0, 0x110000, 97)) | set(range(0x500))
    for start, end in zip(cell_width_table.STARTS, cell_width_table.ENDS, strict=True):
        points |= {start - 1, start, end, end + 1}
    wrong = [
        hex(point)
        for point in sorted(points)
        if 0 <= point < 0x110000
        and char_cells(chr(point)) != rich_cells.get_character_cell_size(chr(point))
    ]
    assert wrong == []


characters = st.characters(codec=None)
mixed = st.sampled_from(
    ["a", " ", "中", "😀", "\u0301", "\u200b", "\x1b", "é", "\u3000", "\u200d", "\ufe0f", "❤", "#"]
)
texts = st.text(st.one_of(characters, mixed), max_size=40)


@PROPERTY
@given(texts, st.integers(min_value=1, max_value=12))
def test_measuring_folding_and_cutting_agree_with_rich(text, width):
    assert cell_len(text) == rich_cells.cell_len(text)
    assert chop(text, width) == rich_cells.chop_cells(text, width)
    assert fit(text, width) == rich_cells.set_cell_size(text, width)


def test_some_widths():
    assert [cell_len(t) for t in ["abc", "中文", "e\u0301", "😀", "\u200b", "\x1b", ""]] == [
        3, 4, 1, 2, 0, 0, 0,
    ]  # fmt: skip
    assert [cell_len(t) for t in ["❤", "❤\ufe0f", "👨\u200d👩\u200d👧", "a\u200db"]] == [1, 2, 2, 1]
    assert chop("ab中cd", 3) == ["ab", "中c", "d"]
    assert fit("ab中", 3) == "ab " and fit("ab", 4) == "ab  " and fit("abc", 2) == "ab"
