"""Taking a Payment Page URL apart: its parameters, decoded, checked and verified.

:func:`decode_url` is what ``ecp decode`` shows: each query parameter with its decoded value
(base64 JSON and JSON strings opened up), whether the signature matches the profile's
secret (with the same diagnosis as ``ecp verify --explain``), and the mistakes that make the
page refuse a link or behave oddly: missing parameters for the mode, booleans sent as
``true``, amounts that are not integers, unknown currencies, misspelt parameter names.

The query string is split by hand (not with ``parse_qs``) so that each value keeps its raw
form next to the decoded one, duplicates are seen, and a ``+`` in an unencoded signature
becomes a space exactly as it does on the platform's side.
"""

import re  # urllib.parse imports it anyway
from collections.abc import Sequence
from urllib.parse import unquote_plus, urlsplit

from ecp_cli.errors import InputError
from ecp_cli.payment_page import currencies
from ecp_cli.payment_page import parameters as payment_page_params
from ecp_cli.records import Record
from ecp_cli.signing.signature import Verdict, verify

TYPE_CHECKING = False  # the diagnosis is loaded only for a signature that does not match
if TYPE_CHECKING:
    from ecp_cli.signing.diagnosis import Diagnosis, SigningProfile

TEXT, JSON, BASE64_JSON = "text", "json", "base64-json"
PROBLEM, NOTICE = "problem", "notice"
UNCHECKED = "unchecked"  # no secret to check the signature with
# Compiled on first use (re caches it): only a value of an unknown parameter is tried.
_BASE64_TEXT = r"[A-Za-z0-9+/_-]{8,}={0,2}"
_WORD_BOOLEANS = {"true", "false"}


class QueryParameter(Record):
    __slots__ = ("name", "raw", "value", "kind", "decoded", "problem")

    def __init__(
        self,
        name: str,
        raw: str,
        value: str,
        kind: str = TEXT,
        decoded: object = None,
        problem: str | None = None,
    ) -> None:
        self.name = name
        self.raw = raw  # as written in the query string, still percent-encoded
        self.value = value  # decoded the way the platform reads it ('+' is a space)
        self.kind = kind  # text, json or base64-json
        self.decoded = decoded  # the JSON inside, for json and base64-json values
        self.problem = problem  # e.g. declared base64 JSON but not decodable

    def to_dict(self) -> dict:
        data: dict[str, object] = {
            "name": self.name,
            "value": self.value,
            "raw": self.raw,
            "kind": self.kind,
        }
        if self.kind != TEXT:
            data["decoded"] = self.decoded
        known = payment_page_params.get(self.name)
        data["known"] = known is not None
        data["type"] = known.type if known else None
        return data


class SplitUrl(Record):
    __slots__ = ("address", "parameters")

    def __init__(self, address: str, parameters: list[QueryParameter]) -> None:
        self.address = address  # scheme://host/path, or "" for a bare query string
        self.parameters = parameters

    def params(self) -> dict[str, str]:
        """Name to value, as the platform sees them (the last of duplicates wins)."""
        return {p.name: p.value for p in self.parameters}

    def duplicates(self) -> list[str]:
        seen: dict[str, int] = {}
        for p in self.parameters:
            seen[p.name] = seen.get(p.name, 0) + 1
        return [name for name, count in seen.items() if count > 1]


def _shown(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def split_url(text: str) -> SplitUrl:
    """Split a Payment Page URL (or a bare ``?query``) into decoded parameters.

    Raises InputError for text that is not an http(s) URL or has no query string."""
    text = text.strip()
    if not text:
        raise InputError("URL: is empty")
    if text.startswith("?"):
        address, query = "", text[1:]
    else:
        try:
            parts = urlsplit(text)
        except ValueError as error:
            raise InputError(f"{_shown(text)}: not a URL ({error})") from None
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(
                f"{_shown(text)}: not a Payment Page URL (expected https://host/payment?...)"
            )
        address = f"{parts.scheme}://{parts.netloc}{parts.path}"
        query = parts.query
    pieces = [piece for piece in query.split("&") if piece]
    if not pieces:
        raise InputError(f"{_shown(text)}: has no query string, so there are no parameters")
    parameters = []
    for piece in pieces:
        raw_name, _, raw = piece.partition("=")
        parameter = QueryParameter(unquote_plus(raw_name), raw, unquote_plus(raw))
        _decode_value(parameter)
        parameters.append(parameter)
    return SplitUrl(address, parameters)


def _decode_value(parameter: QueryParameter) -> None:
    known = payment_page_params.get(parameter.name)
    kind = known.type if known else None
    value = parameter.value
    if kind == "base64-json" or (kind is None and re.fullmatch(_BASE64_TEXT, value)):
        decoded = _base64_json(value)
        if decoded is not _NOTHING:
            parameter.kind, parameter.decoded = BASE64_JSON, decoded
        elif kind == "base64-json" and value:
            parameter.problem = f"{parameter.name} is not base64-encoded JSON"
        return
    if kind == "json" or (kind is None and value[:1] in ("{", "[")):
        import json  # only for values that may be JSON

        try:
            parameter.kind, parameter.decoded = JSON, json.loads(value)
        except ValueError:
            if kind == "json" and value:
                parameter.problem = f"{parameter.name} is not valid JSON"


_NOTHING = object()


def _base64_json(value: str) -> object:
    """The JSON object or list inside a base64 text, or _NOTHING."""
    import base64  # only for values that may be base64
    import binascii
    import json

    padded = value + "=" * (-len(value) % 4)
    try:
        data = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        decoded = json.loads(data.decode("utf-8"))
    except (binascii.Error, ValueError):
        return _NOTHING
    return decoded if isinstance(decoded, dict | list) else _NOTHING


class Finding(Record):
    __slots__ = ("code", "parameter", "message", "severity")

    def __init__(
        self, code: str, parameter: str | None, message: str, severity: str = PROBLEM
    ) -> None:
        self.code = code  # missing_parameter, boolean_as_word, amount_not_integer, ...
        self.parameter = parameter
        self.message = message
        self.severity = severity  # problem (exit 1) or notice (shown, but fine)

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "parameter": self.parameter,
            "severity": self.severity,
            "message": self.message,
        }


def check_parameters(split: SplitUrl) -> list[Finding]:
    """Everything about the parameters themselves that is wrong or worth a second look."""
    params = split.params()
    found: list[Finding] = []
    for name in split.duplicates():
        found.append(
            Finding(
                "duplicate_parameter",
                name,
                f"{name} is given more than once; only one value can count, and the signature "
                "covers only one",
            )
        )
    mode = params.get("mode") or payment_page_params.DEFAULT_MODE
    if mode not in payment_page_params.MODES:
        found.append(
            Finding(
                "unknown_mode",
                "mode",
                f"mode {mode!r} is not one of {', '.join(payment_page_params.MODES)}",
            )
        )
    for name in payment_page_params.required_for(mode):
        if name not in params:
            found.append(
                Finding("missing_parameter", name, f"{name} is missing; mode {mode} needs it")
            )
    for name in payment_page_params.expected_for(mode):
        if name not in params:
            found.append(
                Finding(
                    "missing_parameter",
                    name,
                    f"{name} is missing; the platform expects it for mode {mode}",
                    NOTICE,
                )
            )
    for parameter in split.parameters:
        found += _check_one(parameter, params)
    for name, suggestion in payment_page_params.unknown_names(params):
        if suggestion:
            found.append(
                Finding(
                    "unknown_parameter",
                    name,
                    f"{name} is not a Payment Page parameter; did you mean {suggestion}?",
                )
            )
        else:
            found.append(
                Finding(
                    "unknown_parameter",
                    name,
                    f"{name} is not a parameter ecp knows (it may still be valid)",
                    NOTICE,
                )
            )
    return found


def _check_one(parameter: QueryParameter, params: dict[str, str]) -> list[Finding]:
    name, value = parameter.name, parameter.value
    known = payment_page_params.get(name)
    kind = known.type if known else None
    found = []
    if parameter.problem:
        found.append(Finding("bad_encoding", name, parameter.problem))
    if value == "" and kind != "signature":
        found.append(
            Finding(
                "empty_value",
                name,
                f"{name} is empty; a parameter with no value is better left out",
                NOTICE,
            )
        )
        return found
    if value.lower() in _WORD_BOOLEANS:
        digit = "1" if value.lower() == "true" else "0"
        found.append(
            Finding(
                "boolean_as_word",
                name,
                f"{name}={value}: booleans travel as 1/0; send {name}={digit} (most SDKs sign "
                f"1 but put {value} in the URL, which breaks the signature)",
            )
        )
    elif kind == "boolean" and value not in ("0", "1"):
        found.append(Finding("bad_boolean", name, f"{name}={value}: send 1 or 0"))
    if kind == "amount" and not is_integer_text(value):
        found.append(Finding("amount_not_integer", name, _amount_message(name, value, params)))
    elif kind == "integer" and not is_integer_text(value):
        found.append(Finding("not_integer", name, f"{name}={value}: must be an integer"))
    if kind == "currency" and not currencies.is_known(value):
        suggestion = currencies.suggest(value)
        hint = f"; did you mean {suggestion}?" if suggestion else ""
        found.append(
            Finding(
                "unknown_currency",
                name,
                f"{name}={value} is not an ISO 4217 currency code{hint}",
            )
        )
    return found


def is_integer_text(value: str) -> bool:
    """What the regular expression ``-?[0-9]+`` matches whole: ASCII digits, perhaps after a
    minus (str methods, not re: compiling a pattern costs `ecp decode` start-up time)."""
    digits = value[1:] if value[:1] == "-" else value
    return digits.isascii() and digits.isdigit()


def _amount_message(name: str, value: str, params: dict[str, str]) -> str:
    message = f"{name}={value}: amounts are integers in minor units of the currency"
    from decimal import Decimal, InvalidOperation  # only for an amount that is not an integer

    code = params.get("payment_currency", "")
    try:
        amount = Decimal(value.replace(",", "."))
    except InvalidOperation:
        return message
    if not currencies.is_known(code) or not amount.is_finite():
        return message
    minor = amount * (10 ** currencies.exponent(code))
    if minor == minor.to_integral_value():
        return f"{message} (send {int(minor)} for {value} {code})"
    return message


class DecodeReport(Record):
    __slots__ = ("url", "verdict", "profile", "string_to_sign", "diagnosis", "findings")

    def __init__(
        self,
        url: SplitUrl,
        verdict: str,
        profile: str | None,
        string_to_sign: str | None,
        diagnosis: "Diagnosis | None",
        findings: list[Finding] | None = None,
    ) -> None:
        self.url = url
        self.verdict = verdict  # valid, invalid, unsigned, or unchecked when there was no secret
        self.profile = profile  # the name of the profile the signature was checked with
        self.string_to_sign = string_to_sign
        self.diagnosis = diagnosis
        self.findings: list[Finding] = [] if findings is None else findings

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == PROBLEM]

    @property
    def ok(self) -> bool:
        return self.verdict == Verdict.VALID.value and not self.problems

    def to_dict(self) -> dict:
        return {
            "url": self.url.address,
            "parameters": [p.to_dict() for p in self.url.parameters],
            "signature": {
                "verdict": self.verdict,
                "profile": self.profile,
                "string_to_sign": self.string_to_sign,
                "diagnosis": self.diagnosis.to_dict() if self.diagnosis else None,
            },
            "findings": [f.to_dict() for f in self.findings],
            "ok": self.ok,
        }


def decode_url(
    text: str,
    secret: str | None = None,
    *,
    other_profiles: "Sequence[SigningProfile]" = (),
    profile_project_id: int | None = None,
    profile_name: str | None = None,
) -> DecodeReport:
    """Split, verify (when a secret is given) and check a Payment Page URL."""
    split = split_url(text)
    params = split.params()
    findings = check_parameters(split)
    if secret is None:
        return DecodeReport(split, UNCHECKED, None, None, None, findings)
    check = verify(params, secret)
    diagnosis = None
    if not check.ok:
        from ecp_cli.signing.diagnosis import diagnose

        diagnosis = diagnose(
            params,
            secret,
            other_profiles=other_profiles,
            profile_project_id=profile_project_id,
            profile_name=profile_name,
            from_url=True,
        )
    return DecodeReport(
        split, check.verdict.value, profile_name, check.string_to_sign, diagnosis, findings
    )
