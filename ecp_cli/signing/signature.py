"""Signing and verification: base64(HMAC-SHA512(secret, string_to_sign)).

Library API, free of any CLI concern. :func:`sign` and :func:`verify` work on
:func:`signed_string`, which leaves out ``frame_mode`` and every ``signature`` key, so that
``verify(embed_signature(d, sign(d, s)), s)`` always holds. The platform's SDK
``SignatureHandler::sign(params)`` leaves out only ``frame_mode``: its string is
:func:`ecp_cli.signing.canonical.string_to_sign`, and ``hmac_signature(string_to_sign(p), s)``
is its signature. The two agree on any document without a ``signature`` key.

>>> sign({"project_id": 1, "payment_id": "X"}, "secret")  # doctest: +SKIP
"""

import binascii
import hashlib
import hmac
from collections import namedtuple
from collections.abc import Mapping
from enum import StrEnum

from ecp_cli.signing.canonical import NOT_SIGNED_IN_DOCUMENTS, string_to_sign


def hmac_signature(text: str, secret: str) -> str:
    """The signature of an already built string to sign."""
    digest = hmac.digest(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha512)
    return binascii.b2a_base64(digest, newline=False).decode("ascii")  # base64, imported faster


def signed_string(document: Mapping) -> str:
    """What a document's signature covers: everything but ``frame_mode`` and ``signature``
    keys, at any depth (the spec's verification rule, applied to signing too so that
    ``sign --embed`` output always verifies)."""
    return string_to_sign(document, NOT_SIGNED_IN_DOCUMENTS)


def sign(document: Mapping, secret: str) -> str:
    """The signature of a parameter object or a callback body."""
    return hmac_signature(signed_string(document), secret)


def find_signature(document: Mapping) -> object | None:
    """The received signature: top-level ``signature``, else ``general.signature``.

    A top-level ``signature`` that is null counts as absent, as in the SDKs (PHP's ``??``,
    Python's ``is not None``): ``general.signature`` is then the one received."""
    if document.get("signature") is not None:
        return document["signature"]
    general = document.get("general")
    if isinstance(general, Mapping) and "signature" in general:
        return general["signature"]
    return None


def embed_signature(document: dict, signature: str) -> dict:
    """A copy of ``document`` carrying ``signature`` where the platform puts it: inside a
    ``general`` object when there is one (Gate style), else at the top."""
    result = dict(document)
    general = result.get("general")
    if isinstance(general, Mapping):
        result["general"] = {**general, "signature": signature}
    else:
        result["signature"] = signature
    return result


class Verdict(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    UNSIGNED = "unsigned"


def verdict_of(document: Mapping, key: bytes) -> "Verdict":
    """The verdict of :func:`verify` alone (it raises what verify raises), for checking
    many documents: ``key`` is the secret's UTF-8, encoded once."""
    text = signed_string(document)
    digest = hmac.digest(key, text.encode("utf-8"), hashlib.sha512)
    received = find_signature(document)
    if received is None:
        return Verdict.UNSIGNED
    if isinstance(received, str) and hmac.compare_digest(
        received.encode("utf-8", "surrogatepass"), binascii.b2a_base64(digest, newline=False)
    ):
        return Verdict.VALID
    return Verdict.INVALID


class Verification(namedtuple("Verification", "verdict received expected string_to_sign")):
    """The outcome of :func:`verify`: the verdict, the received signature (if any), the
    expected one and the string it covers. (A namedtuple, not a dataclass: importing
    dataclasses costs ``ecp verify`` measurable start-up time.)"""

    __slots__ = ()

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.VALID


def verify(document: Mapping, secret: str) -> Verification:
    """Check a callback or signed response against the project's secret."""
    text = signed_string(document)
    expected = hmac_signature(text, secret)
    received = find_signature(document)
    if received is None:
        verdict = Verdict.UNSIGNED
    elif isinstance(received, str) and hmac.compare_digest(
        received.encode("utf-8", "surrogatepass"), expected.encode("ascii")
    ):
        verdict = Verdict.VALID
    else:
        verdict = Verdict.INVALID
    return Verification(verdict, received, expected, text)
