"""sdk_variants.py: each variant builds exactly the string its SDK (or mistake) builds.

Anchors: the official Python SDK itself where it is installed (ecommpay-sdk 1.0.6, the
`bench` extra), otherwise strings worked out by hand from each SDK's rules.
"""

import copy
import json

import pytest

from ecp_cli.signing.canonical import NOT_SIGNED_IN_DOCUMENTS, CanonicalError, Entry, entries
from ecp_cli.signing.sdk_variants import (
    SDK_ALIASES,
    VARIANTS,
    differences,
    js_number,
    php_quirks,
    resolve,
    variant_names,
    without_received_signature,
    without_signatures_in_objects,
)
from ecp_cli.signing.signature import hmac_signature, sign
from tests.conftest import load_sample

TWELVE_ITEMS = [{"p": i} for i in range(12)]
# Plain text puts "items:10:p" before "items:1:p" ('0' sorts before ':').
ITEM_PATHS_PLAIN_TEXT = [0, 10, 11, 1, 2, 3, 4, 5, 6, 7, 8, 9]


def text(name: str, document: dict) -> str:
    return VARIANTS[name].string_to_sign(document)


# --- Python SDK ----------------------------------------------------------------------------


def test_python_sorts_paths_as_plain_text_and_doubles_colons_since_pe_702():
    document = {"items": TWELVE_ITEMS, "a:b": 1, "n": None, "f": 1.5}
    items = ";".join(f"items:{i}:p:{i}" for i in ITEM_PATHS_PLAIN_TEXT)
    assert text("python", document) == f"a::b:1;f:1.5;{items};n:"
    assert text("python_1_0_6", document) == f"a:b:1;f:1.5;{items};n:None"


def test_python_1_0_6_signs_null_as_the_word_none():
    assert text("python_1_0_6", {"b": None, "a": "x"}) == "a:x;b:None"
    assert text("python", {"b": None, "a": "x"}) == "a:x;b:"


def test_python_prints_floats_the_python_way():
    assert text("python", {"amount": 100.0, "rate": 0.1}) == "amount:100.0;rate:0.1"


def test_python_skips_frame_mode_at_any_depth_and_booleans_are_digits():
    document = {"frame_mode": "iframe", "x": {"frame_mode": "popup", "on": True, "off": False}}
    assert text("python", document) == "x:off:0;x:on:1"


def test_python_removes_signatures_in_objects_but_not_inside_lists():
    document = {"signature": "s", "a": {"signature": "t", "b": 1}, "l": [{"signature": "u"}]}
    assert text("python", document) == "a:b:1;l:0:signature:u"
    assert without_signatures_in_objects(document) == {"a": {"b": 1}, "l": [{"signature": "u"}]}


PYTHON_SDK_DOCUMENTS = [
    {"items": TWELVE_ITEMS, "a:b": 1, "n": None, "f": 1.5, "t": True, "e": {}, "z": []},
    {"frame_mode": "iframe", "nested": {"frame_mode": "x", "k": "v;w:x"}, "ü": "ß"},
    {k: v for k, v in load_sample("purchase_success.json").items() if k != "signature"},
    {k: v for k, v in load_sample("decline_with_errors.json").items() if k != "signature"},
]


@pytest.mark.parametrize("document", PYTHON_SDK_DOCUMENTS)
def test_python_1_0_6_matches_the_real_sdk(document):
    sdk = pytest.importorskip("payment_page_sdk.signature_handler")
    expected = sdk.SignatureHandler("k3y").sign(copy.deepcopy(document))
    assert VARIANTS["python_1_0_6"].sign(document, "k3y") == expected


def test_python_1_0_6_callback_check_of_the_real_sdk_accepts_our_signature():
    pytest.importorskip("payment_page_sdk")
    from payment_page_sdk.callback import Callback
    from payment_page_sdk.signature_handler import SignatureHandler

    document = {
        "project_id": 1,
        "payment": {"id": "p", "signature": "x"},
        "l": [{"signature": "y"}],
    }
    signed = {**document, "signature": VARIANTS["python_1_0_6"].sign(document, "k3y")}
    Callback(json.dumps(signed), SignatureHandler("k3y"))  # raises when invalid
    # ...and the spec's signature is refused, since the SDK signs the list's signature too.
    spec_signed = {**document, "signature": sign(document, "k3y")}
    with pytest.raises(Exception, match="is invalid"):
        Callback(json.dumps(spec_signed), SignatureHandler("k3y"))


# --- JavaScript SDK ------------------------------------------------------------------------


def test_js_sorts_each_level_on_its_own():
    document = {"b_c": 3, "b": {"z": 1, "a": 2}, "b-a": 4}
    # Whole paths in natural order put b-a first ('-' < ':'); per level, "b" comes first.
    assert entries(document) == [("b-a", "4"), ("b:a", "2"), ("b:z", "1"), ("b_c", "3")]
    assert text("js", document) == "b:a:2;b:z:1;b-a:4;b_c:3"


def test_js_lists_come_in_index_order_but_names_as_plain_text():
    document = {"items": TWELVE_ITEMS, "item10": "x", "item2": "y"}
    items = ";".join(f"items:{i}:p:{i}" for i in range(12))
    assert text("js", document) == f"item10:x;item2:y;{items}"


def test_js_keeps_colons_single_and_prints_numbers_the_javascript_way():
    document = {"a:b": 1, "f": 100.0, "g": 0.1 + 0.2, "n": None, "t": False}
    assert text("js", document) == "a:b:1;f:100;g:0.30000000000000004;n:;t:0"


def test_js_removes_signatures_everywhere_and_skips_frame_mode():
    document = {"signature": "s", "l": [{"signature": "u", "v": 1}], "frame_mode": "popup"}
    assert text("js", document) == "l:0:v:1"


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (100.0, "100"),
        (-2.5, "-2.5"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1.5e-7, "1.5e-7"),
        (0.000001, "0.000001"),
        (123.456, "123.456"),
        (0.0, "0"),
        (float("inf"), "Infinity"),
    ],
)
def test_js_number(value, printed):
    assert js_number(value) == printed


# --- Go, Java and .NET: whole-entry order --------------------------------------------------


def test_go_sorts_whole_entries_and_truncates_numbers():
    document = {"a": 1, "a1": 2, "f": 10.9, "big": 12345678901234567, "k:z": "v"}
    # "a1:2" before "a:1": the digit 1 (0x31) sorts before the colon (0x3A).
    assert text("go", document) == "a1:2;a:1;big:12345678901234568;f:10;k::z:v"


def test_go_doubles_colons_in_top_level_keys_only_and_wraps_beyond_int64():
    document = {"k:z": {"x:y": 1}, "big": 2**63, "f": -1e300}
    assert text("go", document) == (
        "big:-9223372036854775808;f:-9223372036854775808;k::z:x:y:1"
    )


def test_whole_entry_sorts_whole_entries_with_the_spec_values():
    document = {"a": 1, "a1": 2, "f": 10.5, "k:z": "v"}
    assert text("whole_entry", document) == "a1:2;a:1;f:10.5;k::z:v"


def test_go_keeps_signatures_inside_lists_like_the_python_sdk():
    assert text("go", {"l": [{"signature": "u"}], "signature": "s"}) == "l:0:signature:u"


# --- single deviations from the spec -------------------------------------------------------


def test_frame_mode_included_signs_it_at_every_depth():
    document = {"frame_mode": "iframe", "x": {"frame_mode": "popup"}, "signature": "s"}
    assert text("frame_mode_included", document) == "frame_mode:iframe;x:frame_mode:popup"


def test_top_level_signature_only_keeps_nested_signatures():
    document = {"signature": "s", "a": {"signature": "t"}, "l": [{"signature": "u"}]}
    assert text("top_level_signature_only", document) == "a:signature:t;l:0:signature:u"


def test_top_level_signature_only_removes_a_gate_style_signature():
    document = {"general": {"project_id": 1, "signature": "s"}, "x": {"signature": "t"}}
    assert without_received_signature(document) == {
        "general": {"project_id": 1},
        "x": {"signature": "t"},
    }
    assert text("top_level_signature_only", document) == "general:project_id:1;x:signature:t"


def test_booleans_as_words():
    assert text("booleans_as_words", {"a": True, "b": False, "c": "true"}) == (
        "a:true;b:false;c:true"
    )


def test_booleans_sent_as_words_signs_the_words_as_digits():
    document = {"a": "true", "b": "False", "c": "truth", "d": True}
    assert text("booleans_sent_as_words", document) == "a:1;b:0;c:truth;d:1"


def test_every_variant_agrees_with_the_spec_on_a_plain_flat_document():
    document = {"project_id": 1, "payment_id": "p", "payment_amount": 100}
    spec = "payment_amount:100;payment_id:p;project_id:1"
    for variant in VARIANTS.values():
        assert variant.string_to_sign(document) == spec, variant.name
        assert variant.sign(document, "k") == hmac_signature(spec, "k")


# --- names ---------------------------------------------------------------------------------


def test_resolve_accepts_sdk_names_aliases_and_variant_ids():
    assert resolve("python").name == "python"
    assert resolve("Python-1.0.6").name == "python_1_0_6"
    assert resolve("node").name == "js"
    assert resolve("java").name == "java"
    assert resolve("dotnet").name == resolve(".NET").name == "dotnet"
    assert resolve("php").name == "php"
    assert resolve("frame-mode-included").name == "frame_mode_included"
    for name in variant_names():
        resolve(name)
    assert set(SDK_ALIASES.values()) <= set(VARIANTS)


def test_resolve_names_the_choices_for_an_unknown_sdk():
    with pytest.raises(KeyError) as raised:
        resolve("cobol")
    assert raised.value.args[0].startswith("unknown SDK 'cobol' (choose from: python, python-1.0.6")


# --- differences ---------------------------------------------------------------------------


def spec_entries(document: dict) -> list[Entry]:
    return entries(document, NOT_SIGNED_IN_DOCUMENTS)


def test_differences_none_when_identical():
    document = {"a": 1}
    assert differences(spec_entries(document), VARIANTS["js"].entries(document)) == []


def test_differences_name_values_colons_and_extra_entries():
    document = {"n": None, "k:z": 1, "frame_mode": "iframe"}
    assert differences(spec_entries(document), VARIANTS["python_1_0_6"].entries(document)) == [
        "k::z: the ':' inside the key is not doubled here (k:z)",
        "n: the spec signs '', this signs 'None'",
    ]
    assert differences(
        spec_entries(document), VARIANTS["frame_mode_included"].entries(document)
    ) == ["frame_mode:iframe: signed here, but not by the spec"]


def test_differences_describe_the_first_change_of_order():
    document = {"items": TWELVE_ITEMS[:11]}
    lines = differences(spec_entries(document), VARIANTS["python"].entries(document))
    assert lines == [
        "order: where the spec signs items:1:p:1, this signs items:10:p:10 "
        "(10 of 11 shared entries sit in a different place)"
    ]


# --- each SDK as its source at the named version ------------------------------------------


def test_js_signs_integers_above_2_53_rounded_as_node_reads_them():
    document = {"a": 9007199254740993, "b": 2**63, "c": 10**21, "d": 2**53}
    assert text("js", document) == (
        "a:9007199254740992;b:9223372036854776000;c:1e+21;d:9007199254740992"
    )


def test_java_prints_doubles_the_java_way_and_cannot_sign_null():
    document = {"f": 1e20, "g": 100.0, "h": 0.001, "i": 1e-4, "j": 12345678.9, "n": 2**70}
    assert text("java", document) == (
        "f:1.0E20;g:100.0;h:0.001;i:1.0E-4;j:1.23456789E7;n:1180591620717411303424"
    )
    with pytest.raises(CanonicalError, match="NullPointerException"):
        text("java", {"a": None})


def test_java_keeps_nested_signatures_when_the_top_level_one_is_set():
    document = {"signature": "s", "a": {"signature": "t", "b": 1}}
    assert text("java", document) == "a:b:1;a:signature:t"
    assert text("java", {"general": {"signature": "g", "x": {"signature": "t"}}}) == (
        "general:x:signature:t"
    )


def test_dotnet_signs_top_level_keys_only_and_reads_true_false_text_as_booleans():
    document = {"b": {"x": [1, True]}, "a": "TRUE", "c": None, "signature": "s", "k:z": 1}
    assert text("dotnet", document) == 'a:1;b:{"x":[1,true]};c:;k::z:1'


def test_php_variant_reproduces_the_sdk_quirks_and_names_them():
    assert text("php", {"0": {"a": 1}, "b": 2}) == "a:1;b:2"
    assert text("php", {"10": "a", "9": "b", "x": {"y": 1}}) == "10:a;9:b;x:y:1"
    assert text("php", {"a:": {"b": 1}, "a": {":b": 2}}) == "a:::b:2"
    assert text("php", {"a": 1, "b": {"signature": None}, "signature": "s"}) == (
        "a:1;b:signature:"
    )
    assert php_quirks({"0": {"a": 1}, "b": 2, "signature": "s"}) == ["php_zero_key_prefix"]
    assert php_quirks({"b": {"signature": None}, "signature": "s"}) == [
        "php_null_signature_kept"
    ]
    assert php_quirks({"a": {"b": [1, 2]}, "signature": "s"}) == []


def test_sdk_titles_name_the_version_each_variant_reproduces():
    assert VARIANTS["python"].title == "the Python SDK (git master 35ed5ec, PE-702)"
    assert VARIANTS["js"].title == "the Node SDK 0.1.7 (npm ecommpay)"
    assert VARIANTS["go"].title == "the Go SDK (git db11425)"
    assert VARIANTS["java"].title == "the Java SDK (git 0faf4eb)"
    assert VARIANTS["dotnet"].title == "the .NET SDK (git 3a09773)"
