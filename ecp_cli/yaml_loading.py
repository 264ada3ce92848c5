"""PyYAML behind a lazy import, tuned for payment data.

Plain YAML 1.1 turns ``2026-12-31`` into a date, ``yes`` into True and ``02081234567``
into the integer 2081234567; in a parameter file those must stay the strings the user typed,
or the signature would cover something else. So: no timestamps, booleans only for
``true``/``false``, integers only without leading zeros. Floats and nulls keep their meaning.
"""

import re

import yaml

YamlError = yaml.YAMLError

try:
    _Base = yaml.CSafeLoader  # libyaml: much faster where available
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader


class _Loader(_Base):
    pass


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


def load_yaml(text: str) -> object:
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
