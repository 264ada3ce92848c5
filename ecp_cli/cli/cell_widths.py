"""How many terminal cells text takes, measured as rich measures it.

A wide East-Asian character takes two cells, a combining mark or other zero-width
character none, a control character none, everything else one. The per-character numbers
are rich's own table (cli/cell_width_table.py, generated from it), so that the plain layout
(cli/plain_layout.py) wraps and aligns exactly where rich would without importing rich.

Two characters change the width of what is around them, as rich counts them: variation
selector 16 (U+FE0F) makes some one-cell characters two-cell emoji (❤ and ❤️), and a
zero-width joiner (U+200D) joins the character after it to the one before (👨‍👩‍👧 is two
cells), so that character adds no cells.
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


JOINER = "\u200d"
EMOJI_STYLE = "\ufe0f"  # variation selector 16


def cell_len(text: str) -> int:
    """The cells ``text`` takes on one line."""
    if text.isascii() and text.isprintable():
        return len(text)
    if JOINER not in text and EMOJI_STYLE not in text:
        return sum(map(char_cells, text))
    from ecp_cli.cli.cell_width_table import EMOJI_WITH_VS16

    total = 0
    last = None  # the last character that took cells, while a selector may still widen it
    index = 0
    while index < len(text):
        char = text[index]
        if char == JOINER:
            index += 1  # the joined character takes no cells of its own
        elif char == EMOJI_STYLE:
            if last is not None:
                total += last in EMOJI_WITH_VS16
                last = None
        elif cells := char_cells(char):
            total += cells
            last = char
        index += 1
    return total


def graphemes(text: str) -> list[tuple[int, int, int]]:
    """``text`` cut into (start, end, cells) pieces that are never split across lines:
    a character that takes cells with the zero-width characters after it (a joiner takes
    the character after it along, a selector may widen the piece). Zero-width characters
    at the very start form a piece of no cells of their own."""
    pieces: list[tuple[int, int, int]] = []
    last = None  # as in cell_len
    index = 0
    while index < len(text):
        char = text[index]
        if char in (JOINER, EMOJI_STYLE) and pieces:
            start, _, cells = pieces[-1]
            if char == JOINER:
                index = min(index + 2, len(text))
            else:
                index += 1
                if last is not None:
                    from ecp_cli.cli.cell_width_table import EMOJI_WITH_VS16

                    if last in EMOJI_WITH_VS16:
                        cells += 1
                        last = None
            pieces[-1] = (start, index, cells)
            continue
        cells = 0 if char in (JOINER, EMOJI_STYLE) else char_cells(char)
        if cells:
            last = char
        if cells or not pieces:
            pieces.append((index, index + 1, cells))
        else:
            start, _, before = pieces[-1]
            pieces[-1] = (start, index + 1, before)
        index += 1
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
