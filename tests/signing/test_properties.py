"""Properties of signing, over random documents (Hypothesis): a signed document verifies,
also after a trip through JSON text, and any single change to a signed field breaks it."""

import json

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ecp_cli.documents import parse_json
from ecp_cli.signing.canonical import format_value
from ecp_cli.signing.signature import Verdict, embed_signature, sign, verify

SECRET = "pr0perty-s3cret"
NOT_SIGNED = {"signature", "frame_mode"}

keys = st.one_of(
    st.sampled_from(["a", "a1", "a10", "a2", "item", "0", "10", "a:b", ":", "é", "😀", "x y"]),
    st.text(min_size=1, max_size=6),
).filter(lambda key: key not in NOT_SIGNED and key != "general")
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=8,
)
documents = st.dictionaries(keys, values, min_size=1, max_size=5)
# Derandomized, no example database: the same 200 documents every run, nothing written
# into the working tree.
PROPERTY = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def leaf_paths(node: object, path: tuple = ()) -> list[tuple]:
    """Paths of every leaf (not of empty containers: they sign nothing)."""
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in leaf_paths(value, (*path, key))]
    if isinstance(node, list):
        return [p for i, value in enumerate(node) for p in leaf_paths(value, (*path, i))]
    return [path]


def changed(document: dict, path: tuple, how: str) -> dict:
    copy = json.loads(json.dumps(document))
    parent = copy
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "value":  # a value that signs differently, whatever its type was
        parent[last] = format_value(parent[last]) + "x"
    elif how == "delete":
        del parent[last]
    elif isinstance(parent, dict):  # rename the key
        parent[f"{last}\u00b7"] = parent.pop(last)
    else:  # a list element cannot be renamed: add one instead
        parent.append("added")
    return copy


@PROPERTY
@given(documents)
def test_a_signed_document_verifies_also_after_a_trip_through_json(document):
    signed = embed_signature(document, sign(document, SECRET))
    assert verify(signed, SECRET).verdict is Verdict.VALID
    assert verify(parse_json(json.dumps(signed)), SECRET).verdict is Verdict.VALID
    assert verify(signed, SECRET + "x").verdict is Verdict.INVALID


@PROPERTY
@given(documents, st.data())
def test_any_single_change_to_a_signed_field_is_rejected(document, data):
    paths = leaf_paths(document)
    assume(paths)
    signature = sign(document, SECRET)
    path = data.draw(st.sampled_from(paths))
    how = data.draw(st.sampled_from(["value", "delete", "rename"]))
    received = embed_signature(changed(document, path, how), signature)
    assert verify(received, SECRET).verdict is Verdict.INVALID, (path, how)
