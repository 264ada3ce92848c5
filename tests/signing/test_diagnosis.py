"""diagnosis.py: for each cause, a message that fails for exactly that reason gets it named.

Every test builds its failure from a real sample callback, so the shapes are the platform's.
The secrets are distinctive strings, so the last tests can prove that none of them appears in
anything a diagnosis holds or prints.
"""

import base64
import copy
import json
import subprocess
import sys
from urllib.parse import quote

import pytest

from ecp_cli.profiles import Profile
from ecp_cli.signing.diagnosis import (
    Diagnoser,
    diagnose,
    diff_documents,
    inspect_signature,
    reserialisation_signs,
    restore_integers,
)
from ecp_cli.signing.explanation import explain_lines
from ecp_cli.signing.sdk_variants import VARIANTS
from ecp_cli.signing.signature import embed_signature, sign, signed_string
from tests.conftest import SAMPLE_SECRETS, SIGNED_SAMPLES, load_sample

SECRET = "s3cr3t-DIAG-Q7"
OTHER_SECRET = "0ther-PROJ-S3CRET-55"
LIVE = Profile(name="live", project_id=100, secret=OTHER_SECRET)
ALL_SECRETS = (SECRET, OTHER_SECRET)


def body(name: str = "purchase_success.json") -> dict:
    """A sample callback without its signature."""
    data = load_sample(name)
    data.pop("signature", None)
    return data


def signed(data: dict, secret: str = SECRET) -> dict:
    return embed_signature(data, sign(data, secret))


def with_signature(data: dict, signature: object) -> dict:
    return {**data, "signature": signature}


def signature_containing(characters: str) -> tuple[dict, str]:
    """A callback signed with SECRET whose signature holds all of ``characters``."""
    data = body()
    for n in range(500):
        data["payment"]["id"] = f"order-{n}"
        signature = sign(data, SECRET)
        if all(c in signature for c in characters):
            return data, signature
    raise AssertionError("no such signature in 500 tries")


# --- no diagnosis for what is valid --------------------------------------------------------


@pytest.mark.parametrize("name", SIGNED_SAMPLES)
def test_a_valid_sample_gets_no_diagnosis(name):
    assert diagnose(load_sample(name), SAMPLE_SECRETS[name]) is None


def test_a_valid_callback_gets_no_diagnosis_even_with_other_profiles():
    assert diagnose(signed(body()), SECRET, other_profiles=[LIVE], profile_project_id=1) is None


# --- check 1: the signature itself ---------------------------------------------------------


def test_plus_turned_into_spaces_is_named_and_confirmed():
    data, signature = signature_containing("+")
    found = diagnose(with_signature(data, signature.replace("+", " ")), SECRET)
    assert (found.cause, found.check, found.confirmed) == ("signature_plus_as_space", 1, True)
    assert "turned each + into a space" in found.message
    assert "Repaired, it matches" in found.message
    assert found.hint == (
        "URL-encode the signature when putting it into a URL or form (+ must become %2B)."
    )
    assert found.details["repaired_signature"] == signature


def test_signature_left_url_encoded_is_named_even_when_encoded_twice():
    data, signature = signature_containing("+/")
    once = quote(signature, safe="")
    for damaged in (once, quote(once, safe="")):
        found = diagnose(with_signature(data, damaged), SECRET)
        assert (found.cause, found.confirmed) == ("signature_url_encoded", True)
        assert "still URL-encoded" in found.message


def test_whitespace_around_the_signature_is_named():
    data = body()
    found = diagnose(with_signature(data, f"  {sign(data, SECRET)}\n"), SECRET)
    assert (found.cause, found.confirmed) == ("signature_whitespace", True)


def test_a_signature_wrapped_over_lines_is_whitespace_damage():
    data = body()
    signature = sign(data, SECRET)
    found = diagnose(with_signature(data, f"{signature[:44]}\r\n{signature[44:]}"), SECRET)
    assert (found.cause, found.confirmed) == ("signature_whitespace", True)


def test_hex_instead_of_base64_is_named():
    data = body()
    as_hex = base64.b64decode(sign(data, SECRET)).hex()
    found = diagnose(with_signature(data, as_hex), SECRET)
    assert (found.cause, found.confirmed) == ("signature_hex", True)
    assert "hex" in found.hint


def test_url_safe_base64_without_padding_is_named():
    data, signature = signature_containing("+/")
    urlsafe = signature.replace("+", "-").replace("/", "_").rstrip("=")
    found = diagnose(with_signature(data, urlsafe), SECRET)
    assert (found.cause, found.confirmed) == ("signature_base64url", True)
    assert found.details["damage"] == ["signature_base64url", "signature_padding_missing"]


def test_not_base64():
    found = diagnose(with_signature(body(), "not a signature!"), SECRET)
    assert found.cause == "signature_not_base64"
    assert found.message == "The signature is not base64: it contains '!'."


def test_empty_signature():
    found = diagnose(with_signature(body(), ""), SECRET)
    assert (found.cause, found.message) == ("signature_not_base64", "The signature is empty.")


def test_wrong_length_names_the_digest_it_looks_like():
    sha256_sized = base64.b64encode(b"\x01" * 32).decode()
    found = diagnose(with_signature(body(), sha256_sized), SECRET)
    assert found.cause == "signature_wrong_length"
    assert found.message == (
        "The signature decodes to 32 bytes (the size of a SHA-256 digest); an HMAC-SHA512 "
        "signature is 64 bytes (88 base64 characters)."
    )


def test_signature_that_is_not_text():
    found = diagnose(with_signature(body(), 12345), SECRET)
    assert (found.cause, found.check) == ("signature_not_text", 1)
    assert found.message == "The signature is int, not text: it must be a base64 string."


def test_unsigned_message_points_at_a_signature_in_the_wrong_place():
    data = body()
    data["payment"]["Signature"] = "abc"
    found = diagnose(data, SECRET)
    assert found.cause == "unsigned"
    assert found.details["signature_elsewhere"] == ["payment:Signature"]
    assert "payment:Signature" in found.message


def test_damage_that_does_not_repair_into_a_match_is_named_but_not_confirmed():
    data, signature = signature_containing("+")
    wrong = sign(data, "not-the-secret")
    while "+" not in wrong:
        data["payment"]["description"] += "."
        wrong = sign(data, "not-the-secret")
    found = diagnose(with_signature(data, wrong.replace("+", " ")), SECRET)
    assert (found.cause, found.check, found.confirmed) == ("signature_plus_as_space", 1, False)
    assert "even repaired it does not match" in found.message


def test_inspect_signature_leaves_a_clean_signature_alone():
    inspection = inspect_signature(sign(body(), SECRET))
    assert inspection.damages == [] and inspection.fatal is None


# --- check 2: another profile, another project ---------------------------------------------


def test_another_profiles_secret_is_named():
    found = diagnose(signed(body(), OTHER_SECRET), SECRET, other_profiles=[LIVE])
    assert (found.cause, found.check, found.confirmed) == ("other_profile", 2, True)
    assert found.message.startswith(
        "The signature was made with the secret of profile 'live' (project 100)"
    )
    assert found.hint.startswith("Verify it with --profile live")
    assert found.details["profile"] == "live" and found.details["project_id"] == 100


def test_another_profile_is_found_through_a_damaged_signature_too():
    data, _ = signature_containing("")
    other = sign(data, OTHER_SECRET)
    found = diagnose(with_signature(data, f" {other} "), SECRET, other_profiles=[LIVE])
    assert found.cause == "other_profile"
    assert "also arrived damaged" in found.message
    assert found.details["damage"] == ["signature_whitespace"]


def test_project_id_of_another_project_is_named_when_no_secret_matches():
    found = diagnose(
        signed(body(), "unknown-secret"),
        SECRET,
        profile_project_id=112,
        profile_name="test",
        other_profiles=[LIVE],
    )
    assert (found.cause, found.check, found.confirmed) == ("project_mismatch", 2, False)
    assert found.message.startswith(
        "The body is for project 100, but the profile ecp used (profile 'test') is project 112"
    )
    assert "Profile 'live' is project 100, but its secret does not match either." in (found.message)


def test_same_project_is_no_mismatch():
    found = diagnose(signed(body(), "unknown-secret"), SECRET, profile_project_id=100)
    assert found.cause == "unknown"


# --- check 3: SDK variants -----------------------------------------------------------------

TWELVE = [{"p": i} for i in range(12)]
VARIANT_CASES = {
    "python": {"items": TWELVE, "a": 1, "a1": 2},
    "python_1_0_6": {"items": TWELVE, "note": None},
    "js": {"b": {"z": 1}, "b-a": 2},
    "go": {"a": 1, "a1": 2, "x": {"k:z": 3}},
    "java": {"a": 1, "a1": 2, "f": 1e20},
    "dotnet": {"flag": "true", "x": {"a": 1}},
    "whole_entry": {"a": 1, "a1": 2, "k:z": 3, "f": 1.5, "n": None},
    "frame_mode_included": {"frame_mode": "iframe"},
    # (with no null, the Java SDK signs the same string: it keeps nested signatures too)
    "top_level_signature_only": {"operation": {"id": 1, "signature": "inner"}, "n": None},
    "booleans_as_words": {"flag": True},
    "booleans_sent_as_words": {"flag": "true"},
}


@pytest.mark.parametrize("name", VARIANT_CASES)
def test_each_sdk_variant_is_named(name):
    data = {**body(), **VARIANT_CASES[name]}
    found = diagnose(with_signature(data, VARIANTS[name].sign(data, SECRET)), SECRET)
    assert (found.cause, found.check, found.confirmed) == ("sdk_variant", 3, True)
    assert found.details["variant"] == name
    assert found.message.startswith(f"The signature matches {VARIANTS[name].string}")
    assert found.hint == f"The sender must {VARIANTS[name].fix}."
    assert found.details["variant_string_to_sign"] == VARIANTS[name].string_to_sign(data)
    assert found.details["differences"]


def test_python_sdk_message_says_what_it_does_differently():
    data = {**body(), "items": TWELVE}
    found = diagnose(with_signature(data, VARIANTS["python"].sign(data, SECRET)), SECRET)
    assert "sorts paths as plain text (items:10 before items:2)" in found.message
    assert found.hint == (
        "The sender must sort the entries in natural order (PHP's strnatcmp), not as plain text."
    )


def test_variants_building_the_same_string_are_all_named():
    data = {**body(), "items": TWELVE}  # Python and Go agree here: plain-text order
    found = diagnose(with_signature(data, VARIANTS["go"].sign(data, SECRET)), SECRET)
    assert found.details["variants"] == ["python", "python_1_0_6", "go", "java", "whole_entry"]
    assert (
        "(the same string as the Python SDK 1.0.6 (PyPI ecommpay-sdk), the Go SDK (git "
        "db11425), the Java SDK (git 0faf4eb) and whole PATH:VALUE entries sorted)"
        in found.message
    )


def test_a_variant_with_another_profiles_secret():
    data = {**body(), "items": TWELVE, "note": None}
    signature = VARIANTS["python_1_0_6"].sign(data, OTHER_SECRET)
    found = diagnose(with_signature(data, signature), SECRET, other_profiles=[LIVE])
    assert found.cause == "sdk_variant" and found.details["profile"] == "live"
    assert "with the secret of profile 'live' (project 100)" in found.message


# --- check 4: re-serialised bodies ---------------------------------------------------------


def test_integers_turned_into_floats_are_proved_by_restoring_them():
    data = body()
    data["operation"]["id"] = 5001855000032182
    received = copy.deepcopy(signed(data))
    received["operation"]["id"] = 5001855000032182.0  # what a float-only JSON library writes
    found = diagnose(received, SECRET)
    assert (found.cause, found.check, found.confirmed) == ("reserialised_body", 4, True)
    assert "integers became floats (operation:id)" in found.message
    assert found.details["restored_string_to_sign"] == signed_string(data)


def test_signs_of_reserialisation_are_named_when_nothing_proves_them():
    data = signed(body(), "unknown-secret")
    data["payment"]["sum"]["amount"] = 1000.0
    data["operation"]["code"] = 0
    data["operation"]["sum_initial"]["amount"] = "100"
    found = diagnose(data, SECRET)
    assert (found.cause, found.check, found.confirmed) == ("reserialised_body", 4, False)
    kinds = {s["path"]: s["kind"] for s in found.details["signs"]}
    assert kinds == {
        "payment:sum:amount": "integral_float",
        "operation:code": "text_as_number",
        "operation:sum_initial:amount": "number_as_text",
    }
    assert found.message.startswith(
        "The body looks re-serialised by a JSON library: payment:sum:amount is 1000.0, a float"
    )


def test_against_a_known_good_copy_lists_the_changed_fields():
    good = signed(body())
    received = copy.deepcopy(good)
    received["payment"]["description"] = "changed"
    received["operation"]["provider"]["id"] = "3"  # a type change: same signed text
    del received["decision"]
    found = diagnose(received, SECRET, against=good)
    assert (found.cause, found.check, found.confirmed) == ("reserialised_body", 4, True)
    assert "carries the same signature and verifies" in found.message
    changes = {c["path"]: (c["change"], c["alters_string"]) for c in found.details["diff"]}
    assert changes == {
        "payment:description": ("value", True),
        "decision:message": ("missing", True),
        "operation:provider:id": ("type", False),
    }


def test_against_a_copy_that_does_not_verify_either_suspects_the_secret():
    good = signed(body(), "unknown-secret")
    received = copy.deepcopy(good)
    received["payment"]["status"] = "decline"
    found = diagnose(received, SECRET, against=good)
    assert (found.cause, found.confirmed) == ("reserialised_body", False)
    assert "does not verify with this secret either" in found.message


def test_against_an_identical_copy_tells_nothing_more():
    received = signed(body(), "unknown-secret")
    found = diagnose(received, SECRET, against=copy.deepcopy(received))
    assert found.cause == "unknown"


def test_reserialisation_helpers():
    assert restore_integers({"a": [1.0, 2.5, True], "b": 3}) == {"a": [1, 2.5, True], "b": 3}
    assert type(restore_integers({"a": 1.0})["a"]) is int
    assert [s.kind for s in reserialisation_signs({"x": "false", "y": 2.5})] == [
        "boolean_as_text",
        "float",
    ]
    assert diff_documents({"a": 1, "signature": "x"}, {"a": 1, "b": None, "signature": "y"}) == [
        {"path": "b", "change": "added", "good": None, "received": None, "alters_string": True}
    ]


# --- check 5 and the shape of a diagnosis --------------------------------------------------


def test_nothing_explains_it():
    found = diagnose(signed(body(), "unknown-secret"), SECRET)
    assert (found.cause, found.check, found.confirmed) == ("unknown", 5, False)
    assert found.message.startswith(
        "The body or the secret differs from what the sender signed, and nothing more can be told"
    )


def test_a_diagnosis_carries_both_signatures_and_the_string_signed():
    data = signed(body(), "unknown-secret")
    found = diagnose(data, SECRET)
    record = found.to_dict()
    assert record["string_to_sign"] == signed_string(data)
    assert record["received_signature"] == data["signature"]
    assert record["expected_signature"] == sign(data, SECRET)
    assert set(record) == {
        "cause",
        "check",
        "confirmed",
        "message",
        "hint",
        "string_to_sign",
        "received_signature",
        "expected_signature",
        "details",
    }
    json.dumps(record)  # plain data


def test_the_diagnoser_runs_diagnose_with_the_profile():
    diagnoser = Diagnoser(Profile(name="test", project_id=112, secret=SECRET), [LIVE])
    assert diagnoser(signed(body())) is None
    assert diagnoser(signed(body(), OTHER_SECRET)).cause == "other_profile"


# --- no secret anywhere, and fast ----------------------------------------------------------


def every_kind_of_failure() -> list:
    data, signature = signature_containing("+/")
    floats = body()
    floats["operation"]["id"] = 5001855000032182
    floats = signed(floats)
    floats["operation"]["id"] = 5001855000032182.0
    good = signed(body())
    changed = {**copy.deepcopy(good), "extra": 1}
    cases = [
        with_signature(data, signature.replace("+", " ")),
        with_signature(data, quote(signature, safe="")),
        with_signature(data, "!"),
        with_signature(data, 5),
        body(),
        signed(body(), OTHER_SECRET),
        signed(body(), "unknown-secret"),
        floats,
        changed,
    ]
    for name, extra in VARIANT_CASES.items():
        variant_data = {**body(), **extra}
        cases.append(with_signature(variant_data, VARIANTS[name].sign(variant_data, SECRET)))
    return cases


def test_no_secret_appears_in_any_diagnosis():
    causes = set()
    for case in every_kind_of_failure():
        found = diagnose(
            case, SECRET, other_profiles=[LIVE], profile_project_id=112, against=signed(body())
        )
        causes.add(found.cause)
        shown = json.dumps(found.to_dict()) + "\n".join(explain_lines(found)) + repr(found)
        for secret in ALL_SECRETS:
            assert secret not in shown
    assert len(causes) >= 6


# --- harder cases: the SDK named, two causes at once, deep documents ----------------------


def test_a_callback_signed_by_todays_python_sdk_is_put_down_to_it():
    # The Python SDK doubles ':' since PE-702: only plain-text order differs here.
    data = {**body(), "items": TWELVE, "meta": {"k:z": 1}}
    found = diagnose(with_signature(data, VARIANTS["python"].sign(data, SECRET)), SECRET)
    assert found.details["variant"] == "python"
    assert "python_1_0_6" not in found.details["variants"]
    assert "the Python SDK (git master 35ed5ec, PE-702)" in found.message


def test_a_null_top_level_signature_is_not_unsigned_when_general_has_one():
    data = body("tokenize_general_signature.json")
    data["signature"] = None
    assert diagnose(data, SAMPLE_SECRETS["tokenize_general_signature.json"]) is None


def test_two_causes_at_once_are_both_named():
    # Built by the Node SDK: its own key order, and booleans sent as the word true.
    params = {"project_id": "1", "item10": "x", "item2": "y", "redirect": True}
    signature = VARIANTS["js"].sign(params, SECRET)
    received = {**params, "redirect": "true", "signature": signature}
    found = diagnose(received, SECRET, from_url=True)
    assert (found.cause, found.confirmed) == ("sdk_variant", True)
    assert found.details["variant"] == "js+booleans_sent_as_words"
    assert found.message.startswith(
        "The signature matches the string the Node SDK 0.1.7 (npm ecommpay) would sign, for "
        "the words true/false it was sent as 1/0"
    )
    assert "Two causes at once." in found.message
    assert found.hint.endswith("and send booleans as 1 and 0, exactly as they were signed.")


def test_a_php_sdk_quirk_is_named_when_it_is_the_only_explanation():
    data = {"0": {"a": 1}, "b": 2}
    signature = VARIANTS["php"].sign(data, SECRET)
    found = diagnose(with_signature(data, signature), SECRET)
    assert found.details["variant"] == "php"
    assert found.details["php_quirks"] == ["php_zero_key_prefix"]
    assert 'drops a top-level "0" key from the paths below it' in found.message


def test_a_document_nested_as_deep_as_php_reads_is_diagnosed_without_running_out_of_stack():
    from ecp_cli.documents import MAX_DEPTH, parse_json

    levels = MAX_DEPTH - 1  # with the top-level object: exactly the limit
    for leaf in ('"true"', "true", "1.5"):
        data = parse_json('{"a":' * levels + leaf + "}" * levels)
        data["signature"] = sign({"other": 1}, SECRET)
        assert diagnose(data, SECRET).cause in {"unknown", "reserialised_body"}


def test_the_diagnosis_loads_no_typing():
    # A bad signature in `ecp decode` or `verify --explain` imports this module (and
    # sdk_variants); typing would add ~4 ms to it for annotations only.
    code = (
        "import sys\n"
        "import ecp_cli.signing.diagnosis\n"
        "print(sorted({'typing', 'dataclasses', 'inspect'} & set(sys.modules)))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (run.returncode, run.stdout, run.stderr) == (0, "[]\n", "")
