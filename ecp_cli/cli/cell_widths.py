"""How many terminal cells text takes, measured as rich measures it.

A wide East-Asian character takes two cells, a combining mark or other zero-width
character none, a control character none, everything else one. The per-character numbers
are rich's own table (cli/cell_width_table.py, generated from it), so that the plain layout
(cli/plain_layout.py) wraps and aligns exactly where rich would without importing rich.

Rich treats a zero-width joiner (U+200D) and variation selector 16 (U+FE0F) specially;
this module does not: plain_layout leaves text holding them to rich.
"""

from functools import lru_cache


@lru_cache(maxsize=4096)
def char_cells(char: str) -> int:
    code = ord(char)
    if 0x20 <= code < 0x7F:
        return 1
    if code < 0x20 or 0x7F <= code < 0xA0:
        return 0
    if 0xA0 <= code <= 0x2FF and code != 0xAD or 0x370 <= code <= 0x482:
        return 1  # Latin, Greek, Cyrillic: one cell each, without reading the table
    # The table is read only for text beyond these scripts.
    from bisect import bisect_right

    from ecp_cli.cli.cell_width_table import ENDS, STARTS, WIDTHS

    index = bisect_right(STARTS, code) - 1
    if index >= 0 and code <= ENDS[index]:
        return WIDTHS[index]
    return 1


def cell_len(text: str) -> int:
    """The cells ``text`` takes on one line."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(map(char_cells, text))


def graphemes(text: str) -> list[tuple[int, int, int]]:
    """``text`` cut into (start, end, cells) pieces that are never split across lines:
    a character that takes cells with the zero-width characters after it. Zero-width
    characters at the very start form a piece of no cells of their own."""
    pieces: list[tuple[int, int, int]] = []
    for index, char in enumerate(text):
        cells = char_cells(char)
        if cells or not pieces:
            pieces.append((index, index + 1, cells))
        else:
            start, _, before = pieces[-1]
            pieces[-1] = (start, index + 1, before)
    return pieces


def chop(text: str, width: int) -> list[str]:
    """``text`` folded into parts of at most ``width`` cells (a character wider than the
    width gets a part of its own, after an empty one when it comes first)."""
    parts: list[str] = []
    begin = used = 0
    for start, _end, cells in graphemes(text):
        if used + cells > width:
            parts.append(text[begin:start])
            begin, used = start, 0
        used += cells
    if used:
        parts.append(text[begin:])
    return parts


def fit(text: str, width: int) -> str:
    """``text`` made exactly ``width`` cells: padded with spaces, or cut; a two-cell
    character that the cut would halve becomes a space."""
    size = cell_len(text)
    if size < width:
        return text + " " * (width - size)
    if width <= 0:
        return ""
    if size == width:
        return text
    used = 0
    for start, end, cells in graphemes(text):
        if used + cells == width:
            return text[:end]
        if used + cells > width:
            return text[:start] + " "
        used += cells
    return text
