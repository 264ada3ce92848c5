"""canonical.py's fast path (a generated function per document shape) against the general
walk: the same string for every document, whatever shapes came before it."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecp_cli.signing import canonical
from ecp_cli.signing.canonical import (
    NEVER_SIGNED,
    NOT_SIGNED_IN_DOCUMENTS,
    CanonicalError,
    string_to_sign,
)

SKIPS = [NEVER_SIGNED, NOT_SIGNED_IN_DOCUMENTS]


def general(document: dict, skip: frozenset[str]) -> str:
    return canonical._general_string(document, skip)


@pytest.fixture(autouse=True)
def no_shapes_known(monkeypatch):
    """Each test starts with no shape known, and leaves none behind. Shapes are generated
    at once here (the default waits for top-level keys to come back: see below)."""
    canonical._shapes.clear()
    canonical._sightings.clear()
    monkeypatch.setattr(canonical, "_SIGHTINGS_BEFORE_GENERATING", 0)
    yield
    canonical._shapes.clear()
    canonical._sightings.clear()


def test_a_shape_met_once_is_not_compiled(monkeypatch):
    # `ecp verify FILE` signs one document: compiling a function for it costs more than
    # the walk. The keys met again get their function.
    monkeypatch.setattr(canonical, "_SIGHTINGS_BEFORE_GENERATING", 1)
    document = {"b": {"x": 1}, "a": "A"}
    assert string_to_sign(document) == "a:A;b:x:1"
    assert canonical._shapes == {}
    assert string_to_sign(document) == "a:A;b:x:1"
    assert len(canonical._shapes) == 1


# Few keys, so that documents often share their top-level keys and differ deeper down:
# the shape functions of one are tried on the others.
keys = st.sampled_from(
    [
        "a",
        "b",
        "a1",
        "a10",
        "a2",
        "0",
        "1",
        "10",
        "01",
        "a:b",
        ":",
        "signature",
        "frame_mode",
        "x y",
        "é",
        "😀",
        "{0}",
        "%s",
        "%",
        "",
    ]  # fmt: skip
)
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, -1, 2**63 - 1, -(2**63), 2**63, -(2**63) - 1, 2**64]),
    st.floats(allow_nan=False),
    st.sampled_from(["", "x", "1", "%s", "{}", "a;b", "a:b", "\u0000", "é😀"]),
    st.text(max_size=5),
)
values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=10,
)
documents = st.dictionaries(keys, values, max_size=5)
RUNS = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@RUNS
@given(st.lists(documents, min_size=1, max_size=8), st.sampled_from(SKIPS))
def test_every_document_signs_as_the_general_walk_signs_it(batch, skip):
    for document in batch * 2:  # the second time round, every shape is known
        assert string_to_sign(document, skip) == general(document, skip)


def test_a_known_shape_is_signed_by_its_function_without_the_general_walk(monkeypatch):
    first = {"b": {"x": 1, "y": [True, None, 1.5]}, "a": "A", "signature": {"deep": 1}}
    string_to_sign(first, NOT_SIGNED_IN_DOCUMENTS)
    assert len(canonical._shapes) == 1

    def walked(*args):
        raise AssertionError("the general walk ran for a known shape")

    monkeypatch.setattr(canonical, "_walk", walked)
    second = {"b": {"y": [False, None, -0.0], "x": -7}, "a": "other", "signature": "s"}
    text = "a:other;b:x:-7;b:y:0:0;b:y:1:;b:y:2:-0"
    assert string_to_sign(second, NOT_SIGNED_IN_DOCUMENTS) == text


# The same top-level keys, the first document's shape, then one difference each: every
# one must be noticed (the shape function refuses) and signed as the walk signs it.
BASE = {"n": 5, "s": "text", "t": True, "z": None, "f": 0.5, "l": ["a", 2], "d": {"k": "v", "j": 1}}
VARIANTS = {
    "int becomes str": {**BASE, "n": "5"},
    "int becomes bool": {**BASE, "n": True},
    "int becomes float": {**BASE, "n": 5.0},
    "int beyond 64 bits": {**BASE, "n": 2**63},
    "int below 64 bits": {**BASE, "n": -(2**63) - 1},
    "str becomes int": {**BASE, "s": 7},
    "str becomes list": {**BASE, "s": ["t", "e"]},
    "str becomes dict": {**BASE, "s": {"k": "v"}},
    "bool becomes int": {**BASE, "t": 1},
    "null becomes str": {**BASE, "z": ""},
    "float becomes int": {**BASE, "f": 1},
    "list becomes str": {**BASE, "l": "a2"},
    "list becomes dict": {**BASE, "l": {"0": "a", "1": 2}},
    "list grows": {**BASE, "l": ["a", 2, 3]},
    "list shrinks": {**BASE, "l": ["a"]},
    "dict gains a key": {**BASE, "d": {"k": "v", "j": 1, "i": "w"}},
    "dict loses a key": {**BASE, "d": {"k": "v"}},
    "dict renames a key": {**BASE, "d": {"k": "v", "i": 1}},
    "nested keys in another order (signed alike)": {**BASE, "d": {"j": 1, "k": "v"}},
    "dict becomes list": {**BASE, "d": ["v"]},
    "dict becomes empty": {**BASE, "d": {}},
    "dict key with a colon": {**BASE, "d": {"k:": "v", "j": 1}},
    "dict key needing the port": {**BASE, "d": {"k 1": "v", "j": 1}},
    "dict becomes a set": {**BASE, "d": {"v"}},
    "keys in another order": dict(reversed(BASE.items())),
}


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=list(VARIANTS))
def test_a_document_of_another_shape_is_not_signed_by_a_known_shape(variant):
    assert string_to_sign(BASE) == general(BASE, NEVER_SIGNED)
    assert len(canonical._shapes) == 1
    try:
        expected = general(variant, NEVER_SIGNED)
    except CanonicalError as error:
        with pytest.raises(CanonicalError, match=str(error).replace("(", r"\(")):
            string_to_sign(variant)
        return
    assert string_to_sign(variant) == expected


def test_shapes_whose_order_could_depend_on_document_order_are_not_generated():
    for document in ({"a:": {"b": 1}, "a": {":b": 2}}, {"a 1": "x", "a1": "y"}, {"01": 1, "1": 2}):
        assert string_to_sign(document) == general(document, NEVER_SIGNED)
    assert canonical._shapes == {}


def test_values_with_percent_and_braces_are_filled_in_as_they_are():
    document = {"%s": "%d", "{0}": "{}", "b": ["%%", "%(x)s"]}
    text = "%s:%d;b:0:%%;b:1:%(x)s;{0}:{}"
    assert string_to_sign(document) == text
    assert string_to_sign(document) == text  # again, by the shape function


def test_the_shapes_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(canonical, "_MAX_SHAPES", 3)
    for length in range(10):
        document = {"a": list(range(length))}
        assert string_to_sign(document) == general(document, NEVER_SIGNED)
        assert sum(map(len, canonical._shapes.values())) <= 3


def test_a_str_subclass_signs_its_text_as_the_general_walk_does():
    class Shown(str):
        def __str__(self) -> str:
            return "shown"

    for document in ({"a": "x", "b": 1}, {"a": Shown("x"), "b": 1}):
        assert string_to_sign(document) == general(document, NEVER_SIGNED) == "a:x;b:1"
