"""A callback's layout (cli/callback_view.py) as plain text at a fixed width, without rich.

Into a pipe ``ecp show`` prints no colour, 100 cells wide. That text used to come from
rich, whose import cost most of the command's start-up; this module produces the same
text, character for character (tests/cli/test_plain_layout.py renders many layouts both
ways), so a pipe gets what it always got, sooner. On a terminal rich still lays it out.

What the layout is, as rich's grid makes it:

* blocks of label/value rows; a block with a title has the title on a line of its own,
  after a blank line unless it is the first thing printed, and its rows indented by two;
* the label column is 12 cells (14 in the untitled top block, so that its values line up
  with the indented ones), then two spaces; a longer label is cut to 11 cells and "…";
* the value column is as wide as the widest value of the block, at most what is left of
  the 100 cells (84); a value wraps at whitespace, a word longer than the column is
  folded (a character too wide for what is left of a line becomes a space); whitespace
  at the end of a line is cut only as far as the line has more characters than cells;
* widths are terminal cells (cli/cell_widths.py): CJK takes two, combining marks none,
  and emoji joined by U+200D or widened by U+FE0F count as rich counts them, which at
  the edges of styled parts is not always what a terminal shows: the same text either way.
"""

import os

from ecp_cli.cli.cell_widths import EMOJI_STYLE, JOINER, cell_len, chop, fit

WIDTH = 100  # fixed when stdout is not a terminal, so output does not depend on it
INDENT = 2  # titled blocks
GAP = 2  # between the label and the value column
LABEL_WIDTH = 12

# Text only rich lays out: control characters and line breaks (text_safety escapes them
# all in callback text).
_RICH_ONLY = frozenset(map(chr, [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]))
# No re in this module: importing it would cost ecp show more than its layout does. The
# hand-written searches below are held equal to the expressions they replaced
# (tests/cli/test_plain_layout.py).

# A row: its label, its value, and where in the value the styled parts are (rich measures
# text part by part, which differs from measuring it whole around a joiner or a selector).
Row = tuple[str, str, list[tuple[int, int]]]
Block = tuple[str | None, list[Row]]


def can_render(blocks: list[Block]) -> bool:
    """Whether this module lays these blocks out exactly as rich would."""
    if "UNICODE_VERSION" in os.environ:  # rich then measures by another Unicode version
        return False
    texts = [text for _, rows in blocks for label, value, _ in rows for text in (label, value)]
    texts += [title for title, _ in blocks if title is not None]
    unusual = [text for text in texts if not (text.isascii() and text.isprintable())]
    return not any(_RICH_ONLY.intersection(text) for text in unusual)


def render(blocks: list[Block]) -> str:
    """The blocks as lines of text, each ending in a newline, trailing blanks kept."""
    lines: list[str] = []
    for title, rows in blocks:
        if not rows:
            continue
        if title is not None:
            if lines:
                lines.append("")
            lines.extend(_title_lines(title))
        indent = INDENT if title is not None else 0
        label_width = LABEL_WIDTH if title is not None else LABEL_WIDTH + INDENT
        space = WIDTH - indent - label_width - GAP
        # As wide as the widest value (at least one cell), at most the space left.
        value_width = min(max(max(cell_len(value) for _, value, _ in rows), 1), space)
        blank = [" " * (label_width + GAP)]
        for label, value, styled in rows:
            head = _label_cell(label, label_width)
            for number, parts in enumerate(_value_cells(value, styled, value_width)):
                line = (head if number == 0 else blank) + parts
                # Each line is measured once more by the indenting block, then by the page.
                if indent:
                    line = [" " * indent, *_adjust(line, WIDTH - indent)]
                lines.append("".join(_adjust(line, WIDTH, pad=False)))
    return "".join(line + "\n" for line in lines)


# Rich measures each line as a list of parts, again at every level of the layout (the cell,
# the table, the indented block, the page): text measured whole and part by part only
# differs around a zero-width joiner or a variation selector, which is when these extra
# measurements pad or cut a line.


def _title_lines(title: str) -> list[str]:
    lines = []
    for _, line in _lines(title, WIDTH):
        if cell_len(line) > WIDTH:
            line = fit(line, WIDTH)
        lines.append("".join(_adjust([line], WIDTH, pad=False)))
    return lines


def _label_cell(label: str, width: int) -> list[str]:
    """The label column: the label cut or padded to ``width``, then the gap."""
    size = cell_len(label)
    text = fit(label, width - 1) + "…" if size > width else label + " " * (width - size)
    if cell_len(text) > width:
        text = fit(text, width - 1) + "…"
    cell = [*_adjust([text], width), " " * GAP]
    return _adjust(_adjust(cell, width + GAP), width + GAP)


def _value_cells(value: str, styled: list[tuple[int, int]], width: int) -> list[list[str]]:
    """The value column: each line of ``value`` made ``width`` cells, in parts (a part ends
    where a styled one starts or ends)."""
    cells = []
    for start, line in _lines(value, width):
        size = cell_len(line)
        if size > width:
            line = fit(line, width)
        text_end = len(line)  # the padding after it is in no styled part
        if size < width:
            line += " " * (width - size)
        if cell_len(line) > width:
            line = fit(line, width)
            text_end = min(text_end, len(line))
        cuts = {0, len(line)}
        for first, last in styled:
            first, last = max(first - start, 0), min(last - start, text_end)
            if last > first:
                cuts |= {first, last}
        edges = sorted(cuts)
        parts = [line[a:b] for a, b in zip(edges, edges[1:], strict=False)]
        cells.append(_adjust(_adjust(_adjust(parts, width), width), width))
    return cells


def _adjust(parts: list[str], width: int, *, pad: bool = True) -> list[str]:
    """A line's parts made ``width`` cells counted part by part: a space part added, or
    the parts cut where they reach the width."""
    joined = "".join(parts)
    plain = joined.isascii() and joined.isprintable()  # a cell a character: measured at once
    size = len(joined) if plain else sum(map(cell_len, parts))
    if size < width:
        return [*parts, " " * (width - size)] if pad else parts
    if size == width:
        return parts
    kept: list[str] = []
    used = 0
    for part in parts:
        cells = cell_len(part)
        if used + cells < width:
            kept.append(part)
            used += cells
        else:
            kept.append(fit(part, width - used))
            break
    return kept


def break_offsets(text: str, width: int) -> list[int]:
    """Where ``text`` breaks into lines of ``width`` cells: the character offsets at which
    new lines start. A word goes to the next line when it does not fit on this one (the
    whitespace after it stays with it); a word wider than a whole line is folded."""
    if JOINER not in text and EMOJI_STYLE not in text and cell_len(text) <= width:
        return []  # it fits: without these two, a text's cells are the sum of its words'
    breaks: list[int] = []
    used = 0  # cells on the current line
    position = 0
    while (span := word_span(text, position)) is not None:
        start, position = span
        word = text[start:position]
        size = cell_len(word.rstrip())
        if size <= width - used:
            used += cell_len(word)
        elif size > width:
            parts = chop(word, width)
            for number, part in enumerate(parts, start=1):
                if start:
                    breaks.append(start)
                if number == len(parts):
                    used = cell_len(part)
                else:
                    start += len(part)
        else:  # fits on a line of its own (so this one is not empty: used > 0)
            breaks.append(start)
            used = cell_len(word)
    return breaks


def word_span(text: str, position: int) -> tuple[int, int] | None:
    """Where the next word, with the whitespace around it, starts and ends in ``text`` (as
    ``\\s*\\S+\\s*`` matches at ``position``); None when only whitespace is left."""
    end = len(text)
    index = position
    while index < end and text[index].isspace():
        index += 1
    if index >= end:
        return None
    while index < end and not text[index].isspace():
        index += 1
    while index < end and text[index].isspace():
        index += 1
    return position, index


def _lines(text: str, width: int) -> list[tuple[int, str]]:
    """``text`` (no line breaks) broken into lines of ``width`` cells, each with the offset
    where it starts; whitespace at a line's end is cut only as far as the line has more
    characters than the width has cells."""
    edges = [0, *break_offsets(text, width), len(text)]
    lines = []
    for start, end in zip(edges, edges[1:], strict=False):
        line = text[start:end]
        excess = len(line) - width
        if excess > 0 and (blank := len(line) - len(line.rstrip())):
            line = line[: len(line) - min(blank, excess)]
        lines.append((start, line))
    return lines
