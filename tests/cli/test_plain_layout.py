"""cli/plain_layout.py prints a callback's layout exactly as rich does without colour at the
fixed width of a pipe: every sample, brief and verbose, and many random layouts (Hypothesis)
are rendered both ways and the texts compared."""

import io
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ecp_cli.cli import plain_layout
from ecp_cli.cli.callback_view import (
    PLAIN_WIDTH,
    _Layout,
    _layout_of,
    _rich_plain_text,
    _trimmed,
    render_callback,
)
from ecp_cli.cli.state import State
from ecp_cli.environment import Environment
from ecp_cli.signing.signature import verify
from ecp_cli.text_safety import safe_text
from tests.conftest import ALL_SAMPLES, SAMPLE_SECRETS, SAMPLES, load_sample

# Derandomized, no example database: the same layouts every run, nothing written into the
# working tree.
PROPERTY = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def both_ways(layout: _Layout) -> tuple[str, str]:
    """(what rich prints, what plain_layout prints), as render_callback writes them."""
    with_rich = _trimmed(_rich_plain_text(layout, PLAIN_WIDTH, {}))
    blocks = layout.plain_blocks()
    assert plain_layout.can_render(blocks)
    return with_rich, _trimmed(plain_layout.render(blocks))


@pytest.mark.parametrize("brief", [False, True], ids=["verbose", "brief"])
@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_every_sample_is_laid_out_as_rich_lays_it_out(name, brief):
    data = load_sample(name)
    secret = SAMPLE_SECRETS.get(name, "not the secret")
    for verification, checked_with in [(None, None), (verify(data, secret), "the secret")]:
        _, layout = _layout_of(data, verification, not brief, checked_with, ["a note"])
        with_rich, plain = both_ways(layout)
        assert plain == with_rich
        assert plain.count("\n") > 5


# Text that makes layout hard: words of every length, runs of spaces and other whitespace
# (no-break, ideographic, en), wide CJK and emoji, combining marks, zero-width space, a
# soft hyphen, accents, and control characters (text_safety escapes them to \\n, \\t ...).
HARD_CHARACTERS = [
    "a", "b", "Z", "0", "-", ".", "/", "…", " ", " ", " ", "\u00a0", "\u3000", "\u2002",
    "\t", "\n", "\x1b", "\u202e", "é", "ß", "Я", "中", "文", "あ", "한", "ｱ", "Ａ", "😀", "🇩",
    "\u0301", "\u0308", "\u200b", "\u00ad", "\u1160", "\U000e0001", "\u200d", "\ufe0f",
    "❤", "#", "☺",
]  # fmt: skip
fragments = st.one_of(
    st.text(st.sampled_from(HARD_CHARACTERS), max_size=30),
    st.text(st.sampled_from("abcdefgh"), min_size=1, max_size=120),  # long words
    st.text(st.sampled_from(["a", " "]), max_size=100),
    st.text(max_size=10),  # anything at all
)
texts = st.lists(fragments, max_size=4).map("".join)
# Values just under, at and over the widths that matter: 84 (the value column) and 12/14.
boundary = st.sampled_from([11, 12, 13, 14, 15, 82, 83, 84, 85, 86, 97, 98, 99, 100, 101]).flatmap(
    lambda n: st.sampled_from(["x" * n, "x" * (n - 1) + " y", "中" * (n // 2) + "x" * (n % 2)])
)
values = st.one_of(texts, boundary, st.text(st.sampled_from("ab \u4e2d"), max_size=200))
parts = st.tuples(values, st.sampled_from(["", "bold", "meaning", "yellow"]))
labels = st.one_of(
    st.sampled_from(["", "id", "status", "what to do", "1.", "-", "request id", "card holder"]),
    texts,
    boundary,
)
rows = st.tuples(labels, st.lists(parts, min_size=1, max_size=4))
titles = st.one_of(
    st.none(),
    st.sampled_from(["Payment", "Odd content (shown as far as possible)"]),
    texts.filter(lambda t: t.strip()),
)
layouts = st.lists(st.tuples(titles, st.lists(rows, max_size=5)), min_size=1, max_size=4)


def layout_of(blocks) -> _Layout:
    """A layout of these blocks, labels and titles made safe as callback_view makes them."""
    layout = _Layout(verbose=True)
    for title, block_rows in blocks:
        section = layout.section(None if title is None else safe_text(title))
        for label, pieces in block_rows:
            _Layout.row(section, safe_text(label), *pieces)
    return layout


# Whitespace that overflows a line is cut before the line is measured (a joiner after it).
OVERFLOWING_BLANKS = [
    ("x" * 78 + "a      \u200d", ""),
    ("x" * 75 + "aaaaa  ", ""),
    ("x" * 70, "meaning"),
]


@PROPERTY
@given(layouts)
@example([(None, [("signature", [("x" * 84, "")])]), ("T", [("ab", [("y" * 85, "bold")])])])
@example([("T", [("中" * 7, [("中" * 42, ""), ("a", "meaning")])])])
@example([("T", [("l", [("\u0301\u0301ab" + " " * 90 + "c", "")])])])
@example([("T", [("\u0301" + "中" * 20, [("\u0301" + "x" * 100, "")])])])
# Rich counts a line's cells part by part (a part ends where a styled one starts or ends):
# a joiner at the end of a part then no longer hides the character after it.
@example([(None, [("", [("\u200d", "bold"), ("a", "")])])])
@example([("T", [("ab\u200d", [("x", "")])])])  # and in a label, the first space of the padding
@example([(None, [("", OVERFLOWING_BLANKS)])])
def test_random_layouts_are_laid_out_as_rich_lays_them_out(blocks):
    layout = layout_of(blocks)
    blocks_text = layout.plain_blocks()
    if not plain_layout.can_render(blocks_text):  # left to rich: nothing to compare
        return
    with_rich, plain = both_ways(layout)
    assert plain == with_rich


def test_what_text_safety_escapes_is_left_to_rich():
    # Line breaks and control characters never reach the layout (text_safety escapes them);
    # should one come, rich lays it out, as it always did.
    assert not plain_layout.can_render([(None, [("label", "line\u2028break", [])])])
    assert not plain_layout.can_render([("Title\x1b", [("label", "value", [])])])
    assert plain_layout.can_render([(None, [("label", "family 👨\u200d👩\u200d👧 ❤\ufe0f", [])])])


@pytest.mark.parametrize(
    "family", ["family", "👨\u200d👩\u200d👧", "❤\ufe0f", "a\u200d", "\u200d"], ids=repr
)
@pytest.mark.parametrize("unicode_version", [None, "9.0"])
def test_into_a_pipe_ecp_show_prints_what_rich_prints(family, unicode_version, monkeypatch):
    # Joiners and selectors at the ends of parts, where rich counts their cells part by
    # part; with UNICODE_VERSION set rich measures by another table and lays it out itself.
    if unicode_version:
        monkeypatch.setenv("UNICODE_VERSION", unicode_version)
    data = load_sample("purchase_success.json")
    data["payment"]["description"] = f"{family} and a long description{family} " * 5
    data["payment"]["status"] = f"success{family}"
    out = io.StringIO()  # not a terminal: 100 cells, no colour
    render_callback(State(Environment({}, stdout=out)), data, None)
    _, layout = _layout_of(data, None, True, None, ())
    assert plain_layout.can_render(layout.plain_blocks()) is not bool(unicode_version)
    assert out.getvalue() == _trimmed(_rich_plain_text(layout, PLAIN_WIDTH, {}))
    assert f"  description   {family} and a long description{family} " in out.getvalue()


def test_a_label_longer_than_its_column_is_cut_with_an_ellipsis():
    layout = layout_of([("Customer", [("a very long label", [("value", "")])])])
    assert _trimmed(plain_layout.render(layout.plain_blocks())) == (
        "Customer\n  a very long…  value\n"
    )


def test_a_long_value_wraps_under_its_column():
    layout = layout_of([("Payment", [("description", [("word " * 20, "")])])])
    assert _trimmed(plain_layout.render(layout.plain_blocks())) == (
        "Payment\n"
        f"  description   {'word ' * 16}word\n"
        f"                {'word ' * 2}word\n"
    )


def test_showing_a_callback_into_a_pipe_imports_no_rich():
    # Every sample, brief and verbose, verified and not: rich is for terminals only.
    code = (
        "import io, json, sys\n"
        "from ecp_cli.cli.callback_view import render_callback\n"
        "from ecp_cli.cli.state import State\n"
        "from ecp_cli.environment import Environment\n"
        "from ecp_cli.signing.signature import verify\n"
        "for path in sys.argv[1:]:\n"
        "    data = json.load(open(path, encoding='utf-8'))\n"
        "    for verbose in (True, False):\n"
        "        for verification in (None, verify(data, 'secret')):\n"
        "            out = io.StringIO()\n"
        "            render_callback(State(Environment({}, stdout=out)), data, verification,\n"
        "                            verbose=verbose)\n"
        "            assert out.getvalue().startswith('signature  ')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))\n"
    )
    paths = [str(SAMPLES / name) for name in ALL_SAMPLES]
    run = subprocess.run([sys.executable, "-c", code, *paths], capture_output=True, text=True)
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout == "[]\n"


# plain_layout finds words, trailing whitespace and the characters it leaves to rich with
# str methods, not re (importing re costs ecp show start-up time): the regular expressions
# they replaced are the oracle.
_SPACED = st.text(alphabet="ab \t\u00a0\u3000\x1c\u2028\n\x00\x7f\x9f\u00e9中", max_size=12)


@given(_SPACED, st.integers(min_value=0, max_value=13))
def test_word_span_is_the_regular_expression(text, position):
    match = re.compile(r"\s*\S+\s*").match(text, position)
    assert plain_layout.word_span(text, position) == (match.span() if match else None)


@given(_SPACED, st.integers(min_value=1, max_value=6))
def test_lines_cut_the_whitespace_the_regular_expression_found(text, width):
    edges = [0, *plain_layout.break_offsets(text, width), len(text)]
    expected = []
    for start, end in zip(edges, edges[1:], strict=False):
        line = text[start:end]
        excess = len(line) - width
        if excess > 0 and (blank := re.search(r"\s+$", line)) is not None:
            line = line[: len(line) - min(len(blank.group()), excess)]
        expected.append((start, line))
    assert plain_layout._lines(text, width) == expected


@given(st.one_of(_SPACED, st.text(max_size=8)))
def test_what_is_left_to_rich_is_what_the_regular_expression_found(text):
    rich_only = re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", text) is not None
    assert plain_layout.can_render([(None, [("label", text, [])])]) is not rich_only
