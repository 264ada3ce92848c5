"""PyYAML behind a lazy import, tuned for payment data.

Plain YAML 1.1 turns ``2026-12-31`` into a date, ``yes`` into True and ``02081234567``
into the integer 2081234567; in a parameter file those must stay the strings the user typed,
or the signature would cover something else. So: no timestamps, booleans only for
``true``/``false``, integers only without leading zeros. Floats and nulls keep their meaning.
"""

import re
import sys

# yaml/reader.py compiles, when yaml is imported, a class of every character its
# pure-Python reader accepts. Spanning all of Unicode, it takes re 57 million instructions
# to compile: a third of `ecp profiles list`, for a check the C loader ecp uses never makes.
# The few ranges it refuses, written as a class of their own, compile in 4 million and
# match exactly the same characters (tests/test_yaml_loading.py tries every code point);
# while yaml is imported, re.compile hands PyYAML that class instead. Should PyYAML ever
# change its pattern, nothing is replaced and it compiles its own, as it always did.
_PYYAML_NON_PRINTABLE = (
    "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"
)
NON_PRINTABLE = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"


def _import_yaml():
    if "yaml" in sys.modules:
        return sys.modules["yaml"]
    compile_pattern = re.compile

    def compile_for_yaml(pattern, flags=0):
        if type(pattern) is str and pattern == _PYYAML_NON_PRINTABLE:
            pattern = NON_PRINTABLE
        return compile_pattern(pattern, flags)

    re.compile = compile_for_yaml
    try:
        import yaml
    finally:
        re.compile = compile_pattern
    return yaml


TYPE_CHECKING = False  # importing typing costs start-up time (ecp profiles list)

if TYPE_CHECKING:
    import yaml
else:
    yaml = _import_yaml()

YamlError = yaml.YAMLError

if TYPE_CHECKING:  # both loaders offer the same interface; the checker needs one base
    _Base = yaml.SafeLoader
else:
    try:
        _Base = yaml.CSafeLoader  # libyaml: much faster where available
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        _Base = yaml.SafeLoader


class _Loader(_Base):
    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, KeyError, AttributeError):
            # An explicit tag (!!float x, !!bool maybe) runs a converter that fails with
            # a plain Python error; say which tag, which text and where instead.
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            value = node.value if isinstance(node.value, str) else "this node"
            if len(value) > 40:  # a 5,000-digit integer is not repeated in full
                value = value[:37] + "..."
            raise yaml.constructor.ConstructorError(
                None, None, f"{tag} cannot read {value!r}", node.start_mark
            ) from None


_REPLACED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int"}
# Copy the resolver table before editing it, so PyYAML's own loaders are left untouched.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _REPLACED]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)


# libyaml builds nested collections recursively in C and crashes the process somewhere
# past 20,000 levels; flow brackets are the only cheap way to nest that deep.
_FLOW_BRACKET = re.compile(r"[\[\]{}]")
_MAX_FLOW_DEPTH = 1000


def load_yaml(text: str) -> object:
    """The document's data, or YamlError (one line from :func:`describe_error`)."""
    if text.count("[") + text.count("{") > _MAX_FLOW_DEPTH and _flow_depth(text) > _MAX_FLOW_DEPTH:
        raise YamlError(f"nested more than {_MAX_FLOW_DEPTH} levels deep")
    if "&" in text or "*" in text:
        _refuse_anchors(text)
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


def _refuse_anchors(text: str) -> None:
    """Anchors and aliases are refused: a few hundred bytes of nested aliases ("billion
    laughs") expand to gigabytes, and a parameter file never needs them. The parser's
    events show them without expanding anything."""
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            line = event.start_mark.line + 1 if event.start_mark else "?"
            raise YamlError(
                f"anchors and aliases (&name, *name) are not accepted (line {line}): "
                "write the values out"
            )


def _flow_depth(text: str) -> int:
    """How deep the brackets nest, ignoring quoting: an upper bound is enough here."""
    depth = deepest = 0
    for bracket in _FLOW_BRACKET.findall(text):
        depth = depth + 1 if bracket in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def describe_error(error: YamlError) -> str:
    """PyYAML's several-line message as one line: the problem and where it is."""
    parts = [getattr(error, "context", None), getattr(error, "problem", None)]
    problem = ": ".join(part for part in parts if part)
    if not problem:
        return str(error).splitlines()[0] if str(error) else "syntax error"
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        problem += f" (line {mark.line + 1}, column {mark.column + 1})"
    return problem
