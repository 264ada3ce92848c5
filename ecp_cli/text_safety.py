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

# The characters shown escaped, as code point ranges (first, last).
_UNSAFE = (
    (0x00, 0x1F), (0x7F, 0x9F), (0x061C, 0x061C), (0x200E, 0x200F), (0x2028, 0x2029),
    (0x202A, 0x202E), (0x2066, 0x2069),
)  # fmt: skip
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# What str.translate replaces each of them with, built when first needed. No re: importing
# it would cost every command that prints a line more than its escaping does.
_escapes: dict[int, str] | None = None


def _escape_table() -> dict[int, str]:
    global _escapes
    if _escapes is None:
        table = {}  # filled, then published whole: the listener's threads share it
        for first, last in _UNSAFE:
            for code in range(first, last + 1):
                escaped = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
                table[code] = _NAMED.get(chr(code), escaped)
        _escapes = table
    return _escapes


def safe_text(value: object) -> str:
    """``value`` as text with every control, escape and bidi character shown escaped."""
    text = value if isinstance(value, str) else str(value)
    # Every unsafe character is unprintable (a test checks it): the common case is fast.
    if text.isprintable():
        return text
    return text.translate(_escape_table())


def safe_lines(text: str) -> str:
    """Several lines of human text: each line made safe, the line breaks between them
    kept (for output that is multi-line by design, such as a rendered table)."""
    return "\n".join(safe_text(line) for line in text.split("\n"))
