"""Why a signature does not match: the most likely cause, and what the sender must change.

:func:`diagnose` runs these checks in this order:

1. the signature itself is damaged (not text, not base64, wrong length, ``+`` turned into a
   space, left URL-encoded, whitespace around it, hex or URL-safe base64);
2. another profile's secret matches, or the body's project_id is not the profile's;
3. the signature matches under a known SDK variant (:mod:`ecp_cli.signing.sdk_variants`);
4. the body looks re-serialised (floats for integers, numbers as text or the reverse), with a
   field-by-field diff when a known-good copy is given;
5. otherwise: the body or the secret differs, and nothing more can be told.

Checks that can *prove* a cause (the repaired or alternative signature then matches) are
tried first, in that order; checks that can only point at a likely cause (a project_id that
differs, signs of re-serialisation, damage that does not repair into a match) come after,
in the same order. A :class:`Diagnosis` never holds a secret: only names, project ids,
signatures and the strings that were signed.

The other profiles of check 2 are given by the caller (ecp_cli.profiles.other_profiles
finds them in the profile file); ecp_cli.signing.explanation renders a Diagnosis as text.
"""

import base64
import binascii
import hmac
import re
from collections import namedtuple
from collections.abc import Iterator, Mapping, Sequence

from ecp_cli.signing import sdk_variants
from ecp_cli.signing.canonical import CanonicalError, deep_stack, entries, format_value
from ecp_cli.signing.signature import find_signature, hmac_signature, signed_string, verify

SHA512_BYTES = 64
SHA512_BASE64_CHARS = 88
_DIGEST_NAMES = {16: "MD5", 20: "SHA-1", 28: "SHA-224", 32: "SHA-256", 48: "SHA-384"}
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")
_HEX_DIGEST = re.compile(r"[0-9a-fA-F]{128}")
_URL_ESCAPE = re.compile(r"%(2B|2F|3D|25)", re.IGNORECASE)


TYPE_CHECKING = False  # typing costs ~4 ms of start-up: Any and the protocol are for mypy
if TYPE_CHECKING:
    from typing import Any, Protocol

    class SigningProfile(Protocol):
        """What diagnosis needs of a profile (ecp_cli.profiles.Profile fits)."""

        name: str | None
        project_id: int | None
        secret: str | None


class Diagnosis:
    """The most likely cause of a signature mismatch. Holds no secret: only what was signed,
    both signatures, names and project ids. (A plain class, not a dataclass: ``ecp verify``
    imports this module, and dataclasses cost start-up time.)"""

    __slots__ = (
        "cause",
        "check",
        "confirmed",
        "message",
        "hint",
        "string_to_sign",
        "received",
        "expected",
        "details",
    )

    def __init__(
        self,
        cause: str,  # a stable id: "signature_plus_as_space", "other_profile", "sdk_variant"...
        check: int,  # which of the five checks found it
        confirmed: bool,  # True when a repaired or alternative signature actually matches
        message: str,  # what is wrong, in one paragraph
        hint: str,  # what the sender must change
        string_to_sign: str,  # what ecp signed
        received: object,  # the signature in the document, as it was
        expected: str,  # what the secret gives for the string ecp signed
        details: dict | None = None,
    ):
        self.cause = cause
        self.check = check
        self.confirmed = confirmed
        self.message = message
        self.hint = hint
        self.string_to_sign = string_to_sign
        self.received = received
        self.expected = expected
        self.details = details if details is not None else {}

    def __repr__(self) -> str:
        return f"Diagnosis(cause={self.cause!r}, check={self.check}, confirmed={self.confirmed})"

    def __getstate__(self):  # workers of `ecp verify --jsonl` send diagnoses back pickled
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state):
        for name, value in state.items():
            setattr(self, name, value)

    def to_dict(self) -> dict:
        received = self.received
        if not isinstance(received, str | int | float | bool | list | dict | type(None)):
            received = str(received)
        return {
            "cause": self.cause,
            "check": self.check,
            "confirmed": self.confirmed,
            "message": self.message,
            "hint": self.hint,
            "string_to_sign": self.string_to_sign,
            "received_signature": received,
            "expected_signature": self.expected,
            "details": self.details,
        }


# --- check 1: the signature itself ----------------------------------------------------------


# cause: the id; what: how it is damaged, completing "The signature ..."; fix: the remedy.
Damage = namedtuple("Damage", "cause what fix")


_DAMAGE = {
    "signature_plus_as_space": Damage(
        "signature_plus_as_space",
        "has spaces where base64 has '+': a URL or form decoder turned each + into a space",
        "URL-encode the signature when putting it into a URL or form (+ must become %2B)",
    ),
    "signature_url_encoded": Damage(
        "signature_url_encoded",
        "is still URL-encoded (%2B, %2F or %3D in place of +, / or =)",
        "URL-decode the signature exactly once: it was encoded twice, or never decoded",
    ),
    "signature_whitespace": Damage(
        "signature_whitespace",
        "has whitespace around it or line breaks inside it",
        "send the signature as one line, without spaces or line breaks around it",
    ),
    "signature_base64url": Damage(
        "signature_base64url",
        "uses the URL-safe base64 alphabet (- and _ instead of + and /)",
        "encode the signature with standard base64 (+ / and = padding), not base64url",
    ),
    "signature_padding_missing": Damage(
        "signature_padding_missing",
        "has lost its '=' padding at the end",
        "keep the '=' padding at the end of the signature",
    ),
    "signature_hex": Damage(
        "signature_hex",
        "is written in hex (128 hex digits) instead of base64",
        "encode the 64-byte HMAC-SHA512 digest with base64, not as hex",
    ),
}


# damages: what was found; repaired: the signature with the damage undone, None when it is
# beyond repair; fatal: (cause, message, hint) when it is beyond repair.
SignatureInspection = namedtuple("SignatureInspection", "damages repaired fatal", defaults=(None,))


def inspect_signature(received: object) -> SignatureInspection:
    """Check 1: find the usual damage and undo what can be undone."""
    if not isinstance(received, str):
        kind = "null" if received is None else type(received).__name__
        return SignatureInspection(
            [],
            None,
            (
                "signature_not_text",
                f"The signature is {kind}, not text: it must be a base64 string.",
                "Send the signature as the base64 text of the HMAC-SHA512 digest.",
            ),
        )
    damages: list[Damage] = []
    text = received
    folded = re.sub(r"[\r\n\t]", "", text.strip())  # also base64 wrapped over several lines
    if folded != text:
        damages.append(_DAMAGE["signature_whitespace"])
        text = folded
    if _URL_ESCAPE.search(text):
        from urllib.parse import unquote

        damages.append(_DAMAGE["signature_url_encoded"])
        for _ in range(3):  # undo double and triple encoding too
            if not _URL_ESCAPE.search(text):
                break
            text = unquote(text)
    if " " in text:
        damages.append(_DAMAGE["signature_plus_as_space"])
        text = text.replace(" ", "+")
    if _HEX_DIGEST.fullmatch(text):
        damages.append(_DAMAGE["signature_hex"])
        text = base64.b64encode(bytes.fromhex(text)).decode("ascii")
    elif ("-" in text or "_" in text) and _BASE64URL.fullmatch(text):
        damages.append(_DAMAGE["signature_base64url"])
        text = text.replace("-", "+").replace("_", "/")
    if _BASE64.fullmatch(text) and text and len(text) % 4 and not text.endswith("="):
        damages.append(_DAMAGE["signature_padding_missing"])
        text += "=" * (-len(text) % 4)
    if not text:
        return SignatureInspection(
            damages,
            None,
            (
                "signature_not_base64",
                "The signature is empty.",
                "Send the base64 HMAC-SHA512 signature (88 characters ending in '==').",
            ),
        )
    if not _BASE64.fullmatch(text) or len(text) % 4:
        odd = sorted({c for c in text if not re.fullmatch(r"[A-Za-z0-9+/=]", c)})
        shown = " ".join(repr(c) for c in odd[:5])
        return SignatureInspection(
            damages,
            None,
            (
                "signature_not_base64",
                "The signature is not base64"
                + (f": it contains {shown}." if odd else ": its length or padding is wrong."),
                "Send the HMAC-SHA512 digest encoded with standard base64.",
            ),
        )
    try:
        size = len(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        size = -1
    if size != SHA512_BYTES:
        algorithm = _DIGEST_NAMES.get(size)
        guess = f" (the size of a {algorithm} digest)" if algorithm else ""
        return SignatureInspection(
            damages,
            None,
            (
                "signature_wrong_length",
                f"The signature decodes to {max(size, 0)} bytes{guess}; an HMAC-SHA512 "
                f"signature is {SHA512_BYTES} bytes ({SHA512_BASE64_CHARS} base64 characters).",
                "Sign with HMAC-SHA512 and send the whole base64 digest, untruncated.",
            ),
        )
    return SignatureInspection(damages, text)


# --- check 4: re-serialisation -------------------------------------------------------------


class Sign(namedtuple("Sign", "path kind text")):
    """One trace a JSON library leaves when it parses a body and writes it out again.
    kind: integral_float, float, number_as_text, text_as_number or boolean_as_text."""

    __slots__ = ()

    def to_dict(self) -> dict:
        return {"path": self.path, "kind": self.kind, "text": self.text}


def _walk(node: object, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _walk(value, (*path, str(key)))
    elif isinstance(node, list | tuple):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, str(index)))
    else:
        yield path, node


def _expects_integer(path: tuple) -> bool:
    # Fields the platform always sends as JSON integers.
    leaf = path[-1] if path else ""
    parent = path[-2] if len(path) > 1 else ""
    grandparent = path[-3] if len(path) > 2 else ""
    return leaf == "amount" or (
        leaf == "id"
        and (parent in {"operation", "transaction", "provider"} or grandparent == "operations")
    )


def _expects_text(path: tuple) -> bool:
    # Fields the platform always sends as JSON strings even though they look numeric.
    leaf = path[-1] if path else ""
    parent = path[-2] if len(path) > 1 else ""
    grandparent = path[-3] if len(path) > 2 else ""
    return (
        (leaf == "code" and (parent == "operation" or grandparent == "operations"))
        or (leaf == "id" and parent in {"payment", "customer"})
        or (leaf in {"expiry_month", "expiry_year"} and parent == "account")
        or (leaf == "payment_id" and parent in {"general", "provider"})
    )


_INTEGER_TEXT = re.compile(r"-?[0-9]+")


def reserialisation_signs(document: Mapping) -> list[Sign]:
    """Traces of a JSON round trip: floats, numbers turned into text or text into numbers."""
    found: list[Sign] = []
    for path, value in _walk(document):
        if path and path[-1] == "signature":
            continue
        where = ":".join(path)
        if isinstance(value, float):
            if value.is_integer():
                found.append(
                    Sign(
                        where,
                        "integral_float",
                        f"{where} is {value!r}, a float where the platform sends an integer",
                    )
                )
            else:
                found.append(Sign(where, "float", f"{where} is the float {value!r}"))
        elif isinstance(value, str) and _expects_integer(path) and _INTEGER_TEXT.fullmatch(value):
            found.append(
                Sign(
                    where,
                    "number_as_text",
                    f"{where} is the text {value!r}; the platform sends a number",
                )
            )
        elif isinstance(value, int | float) and not isinstance(value, bool) and _expects_text(path):
            found.append(
                Sign(
                    where,
                    "text_as_number",
                    f"{where} is the number {value!r}; the platform sends it as text",
                )
            )
        elif isinstance(value, str) and value.lower() in {"true", "false"}:
            found.append(
                Sign(where, "boolean_as_text", f"{where} is the text {value!r}, not a boolean")
            )
    return found


def restore_integers(node: object) -> "Any":  # node's shape
    """The document with every float that holds a whole number turned back into an integer."""
    if isinstance(node, Mapping):
        return {key: restore_integers(value) for key, value in node.items()}
    if isinstance(node, list | tuple):
        return [restore_integers(value) for value in node]
    if isinstance(node, float) and node.is_integer() and abs(node) < 2**63:
        return int(node)
    return node


def diff_documents(good: Mapping, received: Mapping) -> list[dict]:
    """Field-by-field differences, ``signature`` keys left out (they are compared apart).

    Each item: path, change (missing, added, type, value), the two values, and whether the
    change alters the string to sign."""
    good_leaves = {p: v for p, v in _walk(good) if not (p and p[-1] == "signature")}
    got_leaves = {p: v for p, v in _walk(received) if not (p and p[-1] == "signature")}
    changes: list[dict] = []
    for path, value in good_leaves.items():
        where = ":".join(path)
        if path not in got_leaves:
            changes.append(_change(where, "missing", value, None, True))
            continue
        other = got_leaves[path]
        if type(value) is type(other) and value == other:
            continue
        signed_alike = _signed_text(value) == _signed_text(other)
        kind = "type" if signed_alike or str(value) == str(other) else "value"
        changes.append(_change(where, kind, value, other, not signed_alike))
    for path, value in got_leaves.items():
        if path not in good_leaves:
            changes.append(_change(":".join(path), "added", None, value, True))
    return changes


def _signed_text(value: object) -> str | None:
    try:
        return format_value(value)
    except CanonicalError:
        return None


def _change(path: str, kind: str, good: object, got: object, alters: bool) -> dict:
    return {"path": path, "change": kind, "good": good, "received": got, "alters_string": alters}


# --- the diagnosis --------------------------------------------------------------------------


def _same(candidate: str, signature: str) -> bool:
    return hmac.compare_digest(candidate.encode("utf-8"), signature.encode("utf-8"))


def _body_project_id(document: Mapping) -> int | None:
    value = document.get("project_id")
    general = document.get("general")
    if value is None and isinstance(general, Mapping):
        value = general.get("project_id")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _signature_elsewhere(document: Mapping) -> list[str]:
    """Paths of keys that look like a signature but are not where ecp looks."""
    found = []
    for path, _ in _walk(document):
        for depth, key in enumerate(path):
            if key.lower() in {"signature", "sign", "sig"} and path[: depth + 1] not in {
                ("signature",),
                ("general", "signature"),
            }:
                found.append(":".join(path[: depth + 1]))
    return sorted(set(found))


def _profile_label(profile: "SigningProfile") -> str:
    label = f"profile {profile.name or '(environment)'!r}"
    return f"{label} (project {profile.project_id})" if profile.project_id else label


def diagnose(
    document: Mapping,
    secret: str,
    *,
    other_profiles: "Sequence[SigningProfile]" = (),
    profile_project_id: int | None = None,
    profile_name: str | None = None,
    against: Mapping | None = None,
    from_url: bool = False,
) -> Diagnosis | None:
    """:func:`_diagnose`, with the stack a document nested 511 levels deep needs (the
    checks walk it recursively, some two frames a level)."""
    with deep_stack():
        return _diagnose(
            document,
            secret,
            other_profiles=other_profiles,
            profile_project_id=profile_project_id,
            profile_name=profile_name,
            against=against,
            from_url=from_url,
        )


def _diagnose(
    document: Mapping,
    secret: str,
    *,
    other_profiles: "Sequence[SigningProfile]" = (),
    profile_project_id: int | None = None,
    profile_name: str | None = None,
    against: Mapping | None = None,
    from_url: bool = False,
) -> Diagnosis | None:
    """The most likely reason ``document``'s signature does not match ``secret``; None when
    it matches.

    ``other_profiles`` are the other profiles of the profile file (with their secrets) for
    check 2; ``profile_project_id`` / ``profile_name`` describe the active profile;
    ``against`` is a known-good copy of the same message for check 4's diff. ``from_url``
    says the document is a URL's query parameters: every value is text there, so the signs
    of a JSON round trip mean nothing and are not looked for."""
    text = signed_string(document)
    expected = hmac_signature(text, secret)
    received = find_signature(document)

    def result(cause, check, confirmed, message, hint, **details) -> Diagnosis:
        return Diagnosis(cause, check, confirmed, message, hint, text, received, expected, details)

    if received is None and from_url:
        return result(
            "unsigned",
            1,
            True,
            "The URL has no signature parameter.",
            "Sign the parameters and add the signature, URL-encoded, as the signature parameter.",
            signature_elsewhere=[],
        )
    if received is None:
        elsewhere = _signature_elsewhere(document)
        where = (
            f" (found {', '.join(elsewhere)}, which is not where it belongs)" if elsewhere else ""
        )
        return result(
            "unsigned",
            1,
            True,
            "The message carries no signature: neither a top-level signature nor "
            f"general.signature{where}.",
            "Put the signature at the top level (or in general.signature for Gate-style bodies).",
            signature_elsewhere=elsewhere,
        )
    if isinstance(received, str) and _same(received, expected):
        return None

    # Check 1: the signature itself.
    inspection = inspect_signature(received)
    if inspection.fatal is not None:
        cause, message, hint = inspection.fatal
        return result(cause, 1, True, message, hint, damage=[d.cause for d in inspection.damages])
    candidate = inspection.repaired
    damages = inspection.damages
    damage_ids = [d.cause for d in damages]
    if damages and _same(candidate, expected):
        return result(
            damages[0].cause,
            1,
            True,
            f"The signature {_and(d.what for d in damages)}. Repaired, it matches: the body "
            "and the secret are right.",
            _sentence(d.fix for d in damages),
            damage=damage_ids,
            repaired_signature=candidate,
        )
    also = (
        f" The signature also arrived damaged: it {_and(d.what for d in damages)}."
        if damages
        else ""
    )
    also_fix = (" Also: " + _sentence(d.fix for d in damages)) if damages else ""
    # The other profiles that have a secret, each with it (typed str: no cast needed).
    others = [(p, p.secret) for p in other_profiles if p.secret]

    # Check 2: another profile's secret.
    for profile, other_secret in others:
        if _same(candidate, hmac_signature(text, other_secret)):
            return result(
                "other_profile",
                2,
                True,
                f"The signature was made with the secret of {_profile_label(profile)}, "
                f"not the one ecp used{_active(profile_name, profile_project_id)}.{also}",
                f"Verify it with --profile {profile.name}; if it is meant for this project, the "
                "sender must sign with this project's secret." + also_fix,
                profile=profile.name,
                project_id=profile.project_id,
                body_project_id=_body_project_id(document),
                damage=damage_ids,
            )

    # Check 3: a known SDK variant, with this secret or another profile's. A body whose
    # only oddity is integers written as floats is left to check 4: that is re-serialisation,
    # even when some SDK happens to print those floats as integers.
    has_floats = any(isinstance(value, float) for _, value in _walk(document))
    restored_text = signed_string(restore_integers(document)) if has_floats else text
    for variant_text, group in _variant_strings(document, skip={text, restored_text}):
        for signer, key in ((None, secret), *others):
            if _same(candidate, hmac_signature(variant_text, key)):
                return _variant_diagnosis(
                    result, document, variant_text, group, signer, also, also_fix, damage_ids
                )

    # Check 4, the proving part: integers that became floats, a known-good copy.
    if restored_text != text and _same(candidate, hmac_signature(restored_text, secret)):
        floats = [s for s in reserialisation_signs(document) if s.kind == "integral_float"]
        return result(
            "reserialised_body",
            4,
            True,
            "The body was re-serialised: integers became floats "
            f"({_and(s.path for s in floats[:3])}), which changes how they are signed; "
            f"with the integers restored the signature matches.{also}",
            "Verify the raw body exactly as it arrived, before any JSON library parses "
            "and re-encodes it (or parse numbers without turning integers into floats)." + also_fix,
            signs=[s.to_dict() for s in floats],
            restored_string_to_sign=restored_text,
            damage=damage_ids,
        )
    if against is not None:
        found = _against(document, against, secret, candidate, result, also, also_fix, damage_ids)
        if found is not None:
            return found

    # Hints that cannot be proved, in the same order.
    if damages:
        return result(
            damages[0].cause,
            1,
            False,
            f"The signature {_and(d.what for d in damages)}; even repaired it does not match, "
            "so the body or the secret differs as well.",
            _sentence(d.fix for d in damages)
            + " Then compare the string to sign and the secret with the sender's.",
            damage=damage_ids,
            repaired_signature=candidate,
        )
    body_project = _body_project_id(document)
    if (
        profile_project_id is not None
        and body_project is not None
        and body_project != profile_project_id
    ):
        same_project = [p.name for p, _ in others if p.project_id == body_project]
        tried_too = (
            f" Profile {same_project[0]!r} is project {body_project}, but its secret does "
            "not match either."
            if same_project
            else ""
        )
        return result(
            "project_mismatch",
            2,
            False,
            f"The {'URL' if from_url else 'body'} is for project {body_project}, but the "
            "profile ecp used"
            f"{_active(profile_name, None)} is project {profile_project_id}: the message was most "
            f"likely signed with project {body_project}'s secret.{tried_too}",
            f"Verify it with the profile of project {body_project} (add one if you have none); "
            "if it is meant for this project, the sender must use this project's id and secret.",
            body_project_id=body_project,
            profile_project_id=profile_project_id,
            profiles_for_body_project=same_project,
        )
    signs = [] if from_url else reserialisation_signs(document)
    if signs:
        return result(
            "reserialised_body",
            4,
            False,
            f"The body looks re-serialised by a JSON library: {_and(s.text for s in signs[:3])}"
            + (f" (and {len(signs) - 3} more)" if len(signs) > 3 else "")
            + ". The bytes the sender signed were probably different.",
            "Verify the raw body exactly as it arrived, before a framework parses and "
            "re-encodes it; compare with a known-good copy using --against FILE.",
            signs=[s.to_dict() for s in signs],
        )
    return result(
        "unknown",
        5,
        False,
        "The body or the secret differs from what the sender signed, and nothing more can be "
        "told: no damage, no other profile and no known SDK variant explains it.",
        "Compare the string to sign with the sender's (ecp sign --explain), check that both "
        "sides use the same project's secret, and verify the raw body as received "
        "(or give a known-good copy with --against FILE).",
    )


def _variant_strings(document: Mapping, skip: set[str]) -> list[tuple[str, list]]:
    """Each distinct string the known variants build, with the variants that build it."""
    groups: dict[str, list] = {}
    single_texts: set[str] = set()
    # Single causes first, then pairs of them; a pair (or a cause tried last) is kept only
    # when no single cause builds the same string.
    for variant in sdk_variants.candidates(document):
        try:
            variant_entries = variant.entries(document)
        except CanonicalError:
            continue
        variant_text = sdk_variants.join(variant_entries)
        paired = "+" in variant.name or variant.name in sdk_variants.LAST
        if variant_text in skip or (paired and variant_text in single_texts):
            continue
        if not paired:
            single_texts.add(variant_text)
        groups.setdefault(variant_text, []).append((variant, variant_entries))
    return list(groups.items())


def _variant_diagnosis(result, document, variant_text, group, profile, also, also_fix, damage):
    variant, variant_entries = group[0]
    alike = [v.title for v, _ in group[1:]]
    same_as = f" (the same string as {_and(alike)})" if alike else ""
    with_secret = "" if profile is None else f", with the secret of {_profile_label(profile)}"
    return result(
        "sdk_variant",
        3,
        True,
        f"The signature matches {variant.string}{same_as}{with_secret}. "
        f"{sdk_variants.describe(variant, document)}{also}",
        f"The sender must {variant.fix}." + also_fix,
        variant=variant.name,
        variants=[v.name for v, _ in group],
        variant_title=variant.title,
        variant_string_to_sign=variant_text,
        differences=sdk_variants.differences(
            entries(document, sdk_variants.NOT_SIGNED_IN_DOCUMENTS), variant_entries
        ),
        profile=None if profile is None else profile.name,
        damage=damage,
        # Which PHP SDK quirks explain it (docs/spec/sdk-variants.md), when it is the PHP SDK.
        **({"php_quirks": sdk_variants.php_quirks(document)} if variant.name == "php" else {}),
    )


def _against(document, against, secret, candidate, result, also, also_fix, damage_ids):
    changes = diff_documents(against, document)
    if not changes:
        return None
    good = verify(against, secret)
    good_signature = find_signature(against)
    same_signature = isinstance(good_signature, str) and _same(candidate, good_signature.strip())
    altering = [c for c in changes if c["alters_string"]]
    listed = _and(f"{c['path']} ({c['change']})" for c in (altering or changes)[:4])
    if good.ok:
        origin = (
            "carries the same signature and verifies, so the body changed after it was signed"
            if same_signature
            else "verifies with this secret, and the body received differs from it"
        )
        return result(
            "reserialised_body",
            4,
            True,
            f"The known-good copy {origin}: {len(changes)} field(s) differ, "
            f"{len(altering)} of them in the string to sign ({listed}).{also}",
            "Verify the body exactly as the platform sent it; whatever changed these fields "
            "(a proxy, a framework, a log) must pass the body through untouched." + also_fix,
            diff=changes,
            known_good_verifies=True,
            damage=damage_ids,
        )
    return result(
        "reserialised_body",
        4,
        False,
        f"The body differs from the known-good copy in {len(changes)} field(s) ({listed}), but "
        "the known-good copy does not verify with this secret either, so the secret is likely "
        f"wrong too.{also}",
        "Check the secret first (another project's?), then why the body changed." + also_fix,
        diff=changes,
        known_good_verifies=False,
        damage=damage_ids,
    )


def _active(name: str | None, project_id: int | None) -> str:
    if name and project_id:
        return f" (profile {name!r}, project {project_id})"
    if name:
        return f" (profile {name!r})"
    if project_id:
        return f" (project {project_id})"
    return ""


def _and(items) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _sentence(fixes) -> str:
    text = "; ".join(dict.fromkeys(fixes))
    return text[:1].upper() + text[1:] + "."


class Diagnoser:
    """Diagnoses document after document for one profile, with the same other profiles and
    known-good copy (what ``ecp verify`` needs for a whole batch)."""

    def __init__(self, profile: "SigningProfile", others: Sequence = (), against=None):
        if profile.secret is None:
            raise ValueError("a profile without a secret has nothing to diagnose against")
        self._profile = profile
        self._secret: str = profile.secret
        self._others = list(others)
        self._against = against

    def __call__(self, document: Mapping) -> Diagnosis | None:
        return diagnose(
            document,
            self._secret,
            other_profiles=self._others,
            profile_project_id=self._profile.project_id,
            profile_name=self._profile.name,
            against=self._against,
        )
