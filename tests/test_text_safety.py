"""text_safety escapes with str.translate, not re (importing re costs every command that
prints a line): the regular expression it used before is the oracle."""

import re
import sys

from hypothesis import given
from hypothesis import strategies as st

from ecp_cli.text_safety import safe_lines, safe_text

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _oracle(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in _NAMED:
            return _NAMED[char]
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE.sub(escape, text)


def test_every_code_point_is_escaped_as_the_regular_expression_escapes_it():
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert safe_text(every) == _oracle(every)
    # The fast path returns printable text as it is: no unsafe character is printable.
    assert not any(char.isprintable() for char in _UNSAFE.findall(every))


@given(st.text(alphabet="a\u00e9\u4e2d\n\r\t\x1b\x00\x7f\x9b\u061c\u200e\u202e\u2028\u2069 \\"))
def test_escaping_is_the_regular_expression(text):
    assert safe_text(text) == _oracle(text)
    assert safe_lines(text) == "\n".join(_oracle(line) for line in text.split("\n"))


@given(st.text())
def test_escaping_any_text_is_the_regular_expression(text):
    assert safe_text(text) == _oracle(text)


def test_examples():
    assert safe_text("pay\x1b[31mred") == "pay\\x1b[31mred"
    assert safe_text("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert safe_text("inv\u202eexe") == "inv\\u202eexe"
    assert safe_text("Успешная оплата") == "Успешная оплата"
    assert safe_text(31415) == "31415"
