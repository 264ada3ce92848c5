"""signature.py: external anchors first (the spec's example, SDK-signed samples, PHP)."""

import json

import pytest

from ecp_cli.signing.signature import Verdict, embed_signature, find_signature, sign, verify
from tests.anchors import PHP_ARTEFACTS, SPEC_EXAMPLE, SPEC_SIGNATURE
from tests.anchors import PHP_SIGNATURES as PHP
from tests.conftest import ALL_SAMPLES, SAMPLE_SECRETS, SIGNED_SAMPLES, load_sample


def test_spec_worked_example_signature():
    assert sign(SPEC_EXAMPLE, "secret") == SPEC_SIGNATURE


@pytest.mark.parametrize("name", SIGNED_SAMPLES)
def test_every_sample_verifies_with_its_secret(name):
    result = verify(load_sample(name), SAMPLE_SECRETS[name])
    assert result.verdict is Verdict.VALID
    assert result.ok


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_every_sample_fails_with_another_secret(name):
    assert verify(load_sample(name), "not-the-secret").verdict is Verdict.INVALID


@pytest.mark.parametrize(
    "doc", [d for d in PHP["documents"] if d["name"] not in PHP_ARTEFACTS], ids=lambda d: d["name"]
)
def test_signature_matches_php_implementation(doc):
    assert sign(json.loads(doc["document_json"]), doc["secret"]) == doc["signature"]


def test_signature_found_under_general_for_gate_style_bodies():
    data = load_sample("tokenize_general_signature.json")
    assert find_signature(data) == data["general"]["signature"]


def test_nested_signature_keys_are_not_signed():
    plain = {"a": 1, "b": {"c": 2}}
    nested = {"a": 1, "b": {"c": 2, "signature": "x"}, "l": [{"signature": "y"}]}
    assert sign(nested, "k") == sign(plain, "k")


def test_unsigned_document():
    result = verify({"payment": {"id": "1"}}, "secret")
    assert result.verdict is Verdict.UNSIGNED and result.received is None


def test_non_string_signature_is_invalid_not_an_error():
    assert verify({"a": 1, "signature": 12345}, "secret").verdict is Verdict.INVALID


def test_embed_then_verify_round_trips_at_top_and_under_general():
    for doc in ({"a": 1}, {"general": {"project_id": 1}, "x": [1, 2]}):
        signed = embed_signature(doc, sign(doc, "k"))
        assert verify(signed, "k").verdict is Verdict.VALID
    gate = embed_signature({"general": {"project_id": 1}}, "S")
    assert gate == {"general": {"project_id": 1, "signature": "S"}}


# --- a null top-level signature, and the SDK's names for sign and verify ------------------


def test_a_null_top_level_signature_falls_back_to_general_signature():
    document = {"payment": {"id": "p"}, "general": {"project_id": 1}}
    signed = embed_signature(document, sign(document, "k"))
    signed["signature"] = None  # PHP's ?? and the Python SDK's "is not None" skip it
    assert find_signature(signed) == signed["general"]["signature"]
    assert verify(signed, "k").verdict is Verdict.VALID


def test_sign_and_verify_pair_with_signed_string_and_the_sdk_sign_with_string_to_sign():
    from ecp_cli.signing.canonical import string_to_sign
    from ecp_cli.signing.signature import hmac_signature, signed_string

    document = {"a": 1, "frame_mode": "popup", "b": {"signature": "x", "c": 2}}
    assert signed_string(document) == "a:1;b:c:2"
    assert sign(document, "k") == hmac_signature(signed_string(document), "k")
    # What the SDK's SignatureHandler::sign($params) signs: signature keys included (the
    # PHP SDK gives this string for the same document: tests/fixtures/oracles).
    assert string_to_sign(document) == "a:1;b:c:2;b:signature:x"
    plain = {"a": 1, "b": {"c": 2}}
    assert string_to_sign(plain) == signed_string(plain)
