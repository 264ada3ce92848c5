"""The checks the Payment Page (and its pre-check) makes before showing a checkout.

Each problem carries the platform's response code and message from the reference data
where the platform has a code for it; format problems the platform reports without a
documented code carry the field and a message only, never an invented code.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ecp_cli.http.urls import url_problem
from ecp_cli.payment_page import currencies
from ecp_cli.payment_page.parameters import required_for
from ecp_cli.payment_page.url import DEFAULT_MODE, MAX_ID_LENGTH, MODES
from ecp_cli.signing.signature import sign

# The sandbox's limit on one payment: the platform's limits are per project and not
# published; this one keeps amounts inside what every SDK and database column holds.
MAX_AMOUNT = 99_999_999_999
URL_PARAMETERS = (
    "merchant_callback_url",
    "merchant_success_url",
    "merchant_fail_url",
    "merchant_return_url",
    "redirect_success_url",
    "redirect_fail_url",
    "redirect_tokenize_url",
)
OPERATION_TYPES = ("sale", "auth")
UNSIGNED = ("signature", "frame_mode")  # frame_mode travels in the URL but is never signed
_BOOLEAN_TEXT = {"true": "1", "True": "1", "false": "0", "False": "0"}
_DIGITS = re.compile(r"[0-9]+")
_LANGUAGE = re.compile(r"[A-Za-z]{2}")


@dataclass(frozen=True)
class Project:
    """A project the sandbox accepts: its id, its secret and the profile it came from."""

    project_id: int
    secret: str
    name: str | None = None

    def __repr__(self) -> str:  # the secret never shows
        return f"Project({self.project_id}, name={self.name!r})"


@dataclass(frozen=True)
class Problem:
    message: str
    code: str | None = None
    field: str | None = None
    description: str | None = None

    def as_dict(self) -> dict:
        # errors[].code is a number on the platform
        return {
            "code": int(self.code) if self.code else None,
            "message": self.message,
            "field": self.field or "",
            "description": self.description or "",
        }


def coded(code: str, field_name: str | None = None, description: str | None = None) -> Problem:
    """A problem with the platform's own message for ``code``."""
    from ecp_cli.callbacks.reference import response_code

    return Problem(response_code(code).message, code, field_name, description)


@dataclass
class PageCheck:
    """The verdict on one Payment Page request."""

    params: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    project: Project | None = None
    mode: str = DEFAULT_MODE
    diagnosis: object | None = None  # signing.diagnosis.Diagnosis for a bad signature

    @property
    def ok(self) -> bool:
        return not self.problems


def signature_matches(params: Mapping[str, str], signature: str, secret: str) -> bool:
    """Whether ``signature`` signs ``params`` as the platform accepts them.

    Besides the parameters exactly as received, the platform accepts links whose signature
    leaves out frame_mode, and links from SDKs that put ``true``/``True`` in the URL while
    signing ``1`` (the official Python, JS and Go SDKs do): the page reads both as the same
    boolean. Which values were booleans the URL does not say: first the parameters the
    platform knows as booleans are read back as 1/0, then every true/false."""
    from ecp_cli.payment_page.parameters import get as parameter

    unsigned = {k: v for k, v in params.items() if k != "signature"}
    known = {
        k: _BOOLEAN_TEXT.get(v, v) if (p := parameter(k)) and p.type == "boolean" else v
        for k, v in unsigned.items()
    }
    every = {k: _BOOLEAN_TEXT.get(v, v) for k, v in unsigned.items()}
    candidates = []
    for variant in (unsigned, known, every):
        if variant not in candidates:
            candidates.append(variant)
    candidates += [{k: v for k, v in c.items() if k != "frame_mode"} for c in list(candidates)]
    return any(
        hmac.compare_digest(sign(candidate, secret).encode(), signature.encode())
        for candidate in candidates
    )


def parse_best_before(value: str) -> datetime | None:
    """best_before as an aware datetime, or None when it is not ISO 8601. A time without
    an offset is taken as UTC: the official Python SDK sends a naive datetime that way."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def check_page_request(
    params: Mapping[str, str],
    signature: str | None,
    projects: Mapping[int, Project],
    *,
    signed: bool = True,
    payment_id_taken=None,  # callable(project_id, payment_id) -> bool
    now: datetime | None = None,
) -> PageCheck:
    """Check a Payment Page request as the platform would. ``signed`` False is the
    pre-check, which takes the same parameters and checks a signature only when given."""
    params = dict(params)
    check = PageCheck(params)
    problems = check.problems
    raw_project = params.get("project_id", "")
    project = None
    if not raw_project:
        problems.append(coded("2004", "project_id"))
    elif not _DIGITS.fullmatch(raw_project) or int(raw_project) not in projects:
        problems.append(coded("2442", "project_id", f"project {raw_project} is not served here"))
    else:
        project = check.project = projects[int(raw_project)]
    if project is None and signed:
        return check  # the page cannot even tell whose secret signs the link
    if project is None:
        pass  # the pre-check goes on: every problem of the parameters at once
    elif signature is None or signature == "":
        if signed:
            problems.append(coded("3262", "signature"))
            return check
    elif not signature_matches(params, signature, project.secret):
        from ecp_cli.profiles import Profile
        from ecp_cli.signing.diagnosis import diagnose

        others = [Profile(p.name, p.project_id, p.secret)
                  for p in projects.values() if p.secret != project.secret]  # fmt: skip
        document = {k: v for k, v in params.items() if k not in UNSIGNED}
        document["signature"] = signature
        check.diagnosis = diagnose(
            document, project.secret, other_profiles=others,
            profile_project_id=project.project_id, profile_name=project.name, from_url=True,
        )  # fmt: skip
        problems.append(coded("3261", "signature"))
        return check

    mode = check.mode = params.get("mode") or DEFAULT_MODE
    if mode not in MODES:
        problems.append(Problem(f"mode must be one of: {', '.join(MODES)}", field="mode"))
        return check
    for name in required_for(mode):
        if name not in ("project_id", "signature") and not params.get(name):
            problems.append(coded("2004", name))
    amount = params.get("payment_amount")
    if amount:
        if not _DIGITS.fullmatch(amount):
            problems.append(Problem(
                "payment_amount must be an integer in minor units (31415 for 314.15)",
                field="payment_amount",
            ))  # fmt: skip
        elif int(amount) > MAX_AMOUNT:
            problems.append(coded("2642", "payment_amount", f"at most {MAX_AMOUNT} here"))
        elif int(amount) == 0 and mode in ("purchase", "payout"):
            problems.append(Problem(f"a {mode} needs an amount above 0", field="payment_amount"))
    currency = params.get("payment_currency")
    if currency and not currencies.is_known(currency):
        hint = currencies.suggest(currency)
        problems.append(coded(
            "3121", "payment_currency",
            f"not an ISO 4217 code; did you mean {hint}?" if hint else "not an ISO 4217 code",
        ))  # fmt: skip
    payment_id = params.get("payment_id")
    if payment_id is not None and len(payment_id) > MAX_ID_LENGTH:
        problems.append(coded("3024", "payment_id", f"at most {MAX_ID_LENGTH} characters"))
    elif payment_id and project and payment_id_taken and payment_id_taken(project.project_id,
                                                                           payment_id):
        problems.append(coded("3041", "payment_id"))
    if len(params.get("customer_id", "")) > MAX_ID_LENGTH:
        problems.append(coded("2124", "customer_id", f"at most {MAX_ID_LENGTH} characters"))
    best_before = params.get("best_before")
    if best_before:
        moment = parse_best_before(best_before)
        if moment is None:
            problems.append(Problem(
                "best_before must be ISO 8601, such as 2026-12-31T23:59:59+00:00",
                field="best_before",
            ))  # fmt: skip
        elif moment <= (now or datetime.now(UTC)):
            problems.append(Problem(
                f"best_before {best_before} has passed: the link has expired",
                field="best_before",
            ))  # fmt: skip
    for name in URL_PARAMETERS:
        value = params.get(name)
        if value and url_problem(value) is not None:
            problems.append(Problem(f"{name} must be an http:// or https:// URL", field=name))
    operation_type = params.get("operation_type") or params.get("card_operation_type")
    if operation_type and operation_type not in OPERATION_TYPES:
        problems.append(Problem(
            f"operation_type must be sale or auth, got {operation_type!r}",
            field="operation_type",
        ))  # fmt: skip
    language = params.get("language_code")
    if language and not _LANGUAGE.fullmatch(language):
        problems.append(Problem("language_code must be two letters (ISO 639-1)",
                                field="language_code"))  # fmt: skip
    return check
