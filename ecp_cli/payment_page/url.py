"""Payment Page links: check the parameters, sign them, and build (or take apart) the URL.

The Payment Page reads its parameters from the query string, so every value travels as text.
The platform signs the text it receives; so this module first turns every value into the exact
text that goes into the URL (``True`` -> ``1``, ``2035`` -> ``2035``), then signs that very
mapping. What is signed and what is sent can therefore never differ.

Rules (docs/spec/platform.md, "Payment Page request parameters"):

* ``project_id`` comes from the profile, never from the parameters;
* booleans travel as ``1``/``0``; a parameter with no value (None, "") is left out;
* nested data is refused: the platform wants it as a (base64) JSON string;
* ``payment_currency`` is an ISO 4217 code, ``payment_amount`` a non-negative integer in
  minor units;
* ``mode`` is purchase (the default), payout, card_tokenize or card_verify; all but
  card_tokenize need payment_id, payment_amount and payment_currency;
* ``frame_mode`` travels in the URL but is never signed.
"""

import os
import time
from collections.abc import Iterable, Mapping
from urllib.parse import quote

from ecp_cli.defaults import MAX_ID_LENGTH
from ecp_cli.errors import InputError
from ecp_cli.payment_page import currencies
from ecp_cli.payment_page.parameters import (
    DEFAULT_MODE,
    MODES,
    MODES_EXPECTING_CUSTOMER,
    MODES_NEEDING_PAYMENT,
    PAYMENT_FIELDS,
    unknown_name_warnings,
)
from ecp_cli.records import FrozenRecord, Record
from ecp_cli.signing.canonical import php_float
from ecp_cli.signing.natural import sort_paths
from ecp_cli.signing.signature import sign

TYPE_CHECKING = False  # datetime costs start-up time; a caller may pass one, the CLI never
if TYPE_CHECKING:
    from datetime import datetime

PAYMENT_PATH = "/payment"

NESTED_HINT = (
    "encode nested data such as receipt_data as base64 JSON; "
    "recurring, interface_type and payment_methods_options as a JSON string"
)


def is_digits(text: str) -> bool:
    """What the regular expression ``[0-9]+`` matches whole (str methods, not re: compiling
    a pattern costs `ecp url` start-up time)."""
    return text.isascii() and text.isdigit()


def is_language_code(text: str) -> bool:
    """What ``[A-Za-z]{2}`` matches whole: two ASCII letters."""
    return len(text) == 2 and text.isascii() and text.isalpha()


class PaymentRequest(Record):
    """Parameters ready to sign, exactly as they will appear in the URL."""

    __slots__ = ("params", "mode", "generated_payment_id", "warnings")

    def __init__(
        self,
        params: dict[str, str],
        mode: str = DEFAULT_MODE,
        generated_payment_id: str | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        self.params = params  # every value is the text transmitted; no "signature" key
        self.mode = mode
        self.generated_payment_id = generated_payment_id  # set when build_params made one up
        # Things worth telling the user that do not stop the link from working. Checks added
        # later (e.g. unknown parameter names) append here; the command prints them on stderr.
        self.warnings: list[str] = [] if warnings is None else warnings


class SignedUrl(FrozenRecord):
    __slots__ = ("url", "params", "signature")

    def __init__(self, url: str, params: dict[str, str], signature: str) -> None:
        self.url = url
        self.params = params  # as transmitted, without the signature
        self.signature = signature


def new_payment_id(now: "datetime | None" = None, suffix: str | None = None) -> str:
    """A payment id unique enough for tests: ``ecp-20261128T175722Z-1f3a9c0e``.

    The time makes it readable and sortable; the random part keeps two ids made in the same
    second apart (the platform rejects a reused payment_id with code 3041)."""
    if now is None:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    else:
        from datetime import UTC

        stamp = f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    return f"ecp-{stamp}-{suffix or os.urandom(4).hex()}"  # os.urandom: what secrets uses


def _where(origins: Mapping[str, str], key: str) -> str:
    origin = origins.get(key)
    return f"{origin}: " if origin else ""


def transmitted_value(key: str, value: object, where: str = "") -> str | None:
    """The text ``value`` travels as in the query string, or None when it is left out."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        return value or None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InputError(f"{where}{key} is not a finite number")
        return php_float(value)  # the text `ecp sign` would sign for the same document
    if isinstance(value, Mapping | list | tuple):
        kind = "an object" if isinstance(value, Mapping) else "a list"
        raise InputError(
            f"{where}{key} is {kind}, but Payment Page parameters are flat: {NESTED_HINT}"
        )
    raise InputError(f"{where}{key}: a {type(value).__name__} cannot go into a URL")


# The platform's largest payment_amount, in minor units (its parameter reference: 1 to
# 10^13); the 0 of card verification stays allowed.
MAX_AMOUNT = 10**13


def _amount(value: object, where: str) -> str:
    """payment_amount as text: an integer in minor units, never a float."""
    problem = "payment_amount must be a non-negative integer in minor units (31415 for 314.15)"
    if isinstance(value, bool):
        raise InputError(f"{where}{problem}, got a boolean")
    if isinstance(value, str) and is_digits(value):
        digits = value.lstrip("0") or "0"
        if len(digits) > len(str(MAX_AMOUNT)):  # before int(): no 4,300-digit conversion
            raise InputError(f"{where}payment_amount is over the platform's {MAX_AMOUNT}")
        value = int(digits)  # "02035" and "2035" are the same amount; send the plain one
    if isinstance(value, int):
        if value < 0:
            raise InputError(f"{where}{problem}, got {value}")
        if value > MAX_AMOUNT:
            raise InputError(f"{where}payment_amount is over the platform's {MAX_AMOUNT}")
        return str(value)
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
    raise InputError(f"{where}{problem}, got {shown}")


def _check_currency(code: str, where: str) -> None:
    if currencies.is_known(code):
        return
    hint = currencies.suggest(code)
    tail = f"; did you mean {hint}?" if hint else " (three upper-case letters, such as USD)"
    raise InputError(f"{where}payment_currency {code!r} is not an ISO 4217 currency code{tail}")


def build_params(
    fields: Mapping[str, object],
    project_id: int,
    *,
    origins: Mapping[str, str] | None = None,
    generate_payment_id: bool = True,
) -> PaymentRequest:
    """Check ``fields`` and turn them into the parameters of a Payment Page request.

    ``fields`` holds the request's parameters in any JSON-like form (booleans, integers,
    strings); ``project_id`` is the profile's. ``origins`` maps a parameter name to where it
    came from (a file name, a flag) so an error can say so. With ``generate_payment_id``, a
    request that needs a payment_id and has none gets a fresh one (see ``new_payment_id``).

    Raises :class:`InputError` for anything the Payment Page would reject.
    """
    origins = origins or {}
    warnings: list[str] = []
    params: dict[str, str] = {}
    for key, value in fields.items():
        if not isinstance(key, str) or not key:
            raise InputError(f"{_where(origins, str(key))}parameter name {key!r} is not a text")
        where = _where(origins, key)
        if key == "signature":
            warnings.append(f"{where}the given signature is ignored; the URL gets a fresh one")
            continue
        if key == "project_id":
            given = transmitted_value(key, value, where)
            if given is not None and given != str(project_id):
                raise InputError(
                    f"{where}project_id {given} differs from the profile's {project_id}: the "
                    "secret belongs to the profile's project (choose another with --profile "
                    "or ECP_PROJECT_ID)"
                )
            continue
        if key == "payment_id" and value == "":
            raise InputError(f"{where}payment_id is empty; leave it out to get a generated one")
        text: str | None
        if key == "payment_amount" and value is not None and value != "":
            text = _amount(value, where)
        else:
            text = transmitted_value(key, value, where)
        if text is not None:
            params[key] = text

    mode = params.get("mode", DEFAULT_MODE)
    if mode not in MODES:
        import difflib

        close = difflib.get_close_matches(str(mode).lower(), MODES, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise InputError(
            f"{_where(origins, 'mode')}mode {mode!r} is not one of: {', '.join(MODES)}{hint}"
        )

    generated = None
    if mode in MODES_NEEDING_PAYMENT and "payment_id" not in params and generate_payment_id:
        generated = params["payment_id"] = new_payment_id()
    if mode in MODES_NEEDING_PAYMENT:
        missing = [name for name in PAYMENT_FIELDS if name not in params]
        if missing:
            raise InputError(
                f"mode {mode} needs {', '.join(missing)} "
                "(payment_amount in minor units, payment_currency as ISO 4217)"
            )
    if mode in MODES_EXPECTING_CUSTOMER and "customer_id" not in params:
        warnings.append(f"no customer_id: the platform expects one for a {mode}")
    for name, warning in unknown_name_warnings(params):
        warnings.append(f"{_where(origins, name)}{warning}")

    if "payment_currency" in params:
        _check_currency(params["payment_currency"], _where(origins, "payment_currency"))
    for name in ("payment_id", "customer_id"):
        if len(params.get(name, "")) > MAX_ID_LENGTH:
            raise InputError(
                f"{_where(origins, name)}{name} is longer than {MAX_ID_LENGTH} characters"
            )
    language = params.get("language_code")
    if language is not None and not is_language_code(language):
        raise InputError(
            f"{_where(origins, 'language_code')}language_code must be two letters "
            f"(ISO 639-1, such as en), got {language!r}"
        )

    # project_id first, the rest in signing order, so the URL reads like the signed string.
    ordered = {"project_id": str(project_id)}
    ordered.update((name, params[name]) for name in sort_paths(params))
    return PaymentRequest(ordered, mode, generated, warnings)


def payment_endpoint(base_url: str) -> str:
    """The Payment Page address for a host (``https://paymentpage.ecommpay.com``) or for an
    address that already ends in ``/payment``."""
    base = base_url.rstrip("/")
    return base if base.endswith(PAYMENT_PATH) else base + PAYMENT_PATH


def query_string(pairs: Iterable[tuple[str, str]]) -> str:
    """The one query encoder, for the Payment Page URL and the Gate pre-check alike.

    Everything but unreserved characters is percent-encoded: spaces as %20 (never "+",
    which some parsers keep as a plus), and "+", "/", "=" of the base64 signature survive."""
    return "&".join(f"{quote(key, safe='')}={quote(value, safe='')}" for key, value in pairs)


def build_url(base_url: str, params: Mapping[str, str], secret: str) -> SignedUrl:
    """Sign ``params`` (text values, as transmitted) and build the Payment Page URL.

    ``frame_mode`` stays in the URL but out of the signature, as the platform expects."""
    transmitted = {key: value for key, value in params.items() if key != "signature"}
    for key, value in transmitted.items():
        if not isinstance(value, str):
            raise TypeError(f"{key}: URL parameters must be text; use build_params first")
    signature = sign(transmitted, secret)
    query = query_string([*transmitted.items(), ("signature", signature)])
    url = f"{payment_endpoint(base_url)}?{query}"
    return SignedUrl(url, transmitted, signature)
