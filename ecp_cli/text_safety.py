"""The one escaping rule for every line a person reads.

Text that comes from outside (a callback's fields, a request path, a server's answer, a
file's keys) may hold terminal control sequences: ESC starts ANSI colour codes and OSC
commands (``ESC ]0;`` retitles the window), a newline forges a second log line, and
Unicode bidirectional overrides make text display in another order than it reads. In
human output all of them are shown escaped, Python-style, instead of acting:

* C0 controls: ``\\n``, ``\\r``, ``\\t`` and ``\\xNN`` for the rest (ESC is ``\\x1b``);
* DEL and the C1 controls (U+007F to U+009F, CSI U+009B among them): ``\\xNN``;
* bidirectional controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069)
  and the line and paragraph separators (U+2028, U+2029): ``\\uNNNN``;
* a backslash is left alone: the escapes are for reading, not for parsing back.

JSON output is never passed through this: it stays exact (``json.dumps`` escapes control
characters itself). Nothing else is changed, so ordinary text, accents and scripts other
than Latin show as they are.
"""

from __future__ import annotations

import re

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNSAFE_CLASS = "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
_unsafe: re.Pattern | None = None  # compiled when first needed: most text is plain ASCII


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(value: object) -> str:
    """``value`` as text with every control, escape and bidi character shown escaped."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable() and text.isascii():  # the common case, checked fast
        return text
    global _unsafe
    if _unsafe is None:
        _unsafe = re.compile(_UNSAFE_CLASS)
    return _unsafe.sub(_escape, text)


def safe_lines(text: str) -> str:
    """Several lines of human text: each line made safe, the line breaks between them
    kept (for output that is multi-line by design, such as a rendered table)."""
    return "\n".join(safe_text(line) for line in text.split("\n"))
