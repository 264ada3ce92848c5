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
  folded (a character too wide for what is left of a line becomes a space);
* widths are terminal cells (cli/cell_widths.py): CJK takes two, combining marks none.
"""

import os
import re

from ecp_cli.cli.cell_widths import cell_len, chop, fit

WIDTH = 100  # fixed when stdout is not a terminal, so output does not depend on it
INDENT = 2  # titled blocks
GAP = 2  # between the label and the value column
LABEL_WIDTH = 12

_WORD = re.compile(r"\s*\S+\s*")  # a word with the whitespace around it
# Text only rich lays out: control characters and line breaks (text_safety escapes them
# all in callback text), and the zero-width joiner and variation selector 16, which change
# the width of the character before them in ways cell_widths does not follow.
_RICH_ONLY = "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200d\ufe0f]"

Block = tuple[str | None, list[tuple[str, str]]]


def can_render(blocks: list[Block]) -> bool:
    """Whether this module lays these blocks out exactly as rich would."""
    if "UNICODE_VERSION" in os.environ:  # rich then measures by another Unicode version
        return False
    texts = [text for title, rows in blocks for row in rows for text in row]
    texts += [title for title, _ in blocks if title is not None]
    unusual = [text for text in texts if not (text.isascii() and text.isprintable())]
    return not any(re.search(_RICH_ONLY, text) for text in unusual)


def render(blocks: list[Block]) -> str:
    """The blocks as lines of text, each ending in a newline, trailing blanks kept."""
    lines: list[str] = []
    for title, rows in blocks:
        if not rows:
            continue
        if title is not None:
            if lines:
                lines.append("")
            lines.extend(_wrap(title, WIDTH, pad=False))
        indent = INDENT if title is not None else 0
        label_width = LABEL_WIDTH if title is not None else LABEL_WIDTH + INDENT
        space = WIDTH - indent - label_width - GAP
        # As wide as the widest value (at least one cell), at most the space left.
        value_width = min(max(max(cell_len(value) for _, value in rows), 1), space)
        margin = " " * indent
        blank = " " * (label_width + GAP)
        for label, value in rows:
            head = _label(label, label_width) + " " * GAP
            for number, line in enumerate(_wrap(value, value_width, pad=True)):
                lines.append(f"{margin}{head if number == 0 else blank}{line}")
    return "".join(line + "\n" for line in lines)


def _label(label: str, width: int) -> str:
    if cell_len(label) > width:
        return fit(label, width - 1) + "…"
    return fit(label, width)


def break_offsets(text: str, width: int) -> list[int]:
    """Where ``text`` breaks into lines of ``width`` cells: the character offsets at which
    new lines start. A word goes to the next line when it does not fit on this one (the
    whitespace after it stays with it); a word wider than a whole line is folded."""
    breaks: list[int] = []
    used = 0  # cells on the current line
    position = 0
    while (match := _WORD.match(text, position)) is not None:
        start, position = match.span()
        word = match.group()
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


def _wrap(text: str, width: int, *, pad: bool) -> list[str]:
    """``text`` (no line breaks) as lines of at most ``width`` cells; with ``pad`` each
    exactly ``width``."""
    edges = [0, *break_offsets(text, width), len(text)]
    lines = []
    for start, end in zip(edges, edges[1:], strict=False):
        # Whitespace at the end of a line may overflow: it is cut with the rest (and
        # callback_view strips trailing whitespace from every line it prints).
        line = text[start:end]
        lines.append(fit(line, width) if pad or cell_len(line) > width else line)
    return lines
