"""What ecp accepts as an http(s) address, in one rule, for every place that takes one: a
profile's base URLs, ``--api-url``/``--check-url``/``--base-url``, ``--to`` and
``--forward-to``, and the Gate calls themselves.

Standard library only (profiles imports it when it loads a file): no httpx here.
"""

from urllib.parse import urlsplit

from ecp_cli.errors import EcpError, InputError
from ecp_cli.redaction import redact_url


def url_problem(value: object) -> str | None:
    """Why ``value`` is not a usable http(s) URL, or None when it is one.

    Usable: text starting with ``http://`` or ``https://``, a host name, no whitespace
    anywhere, and a port (if any) from 1 to 65535."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return "expected an http:// or https:// URL"
    if any(c.isspace() for c in value):
        return "a URL has no spaces"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as error:  # "http://[::1" (unclosed IPv6 bracket), a port out of range
        return str(error)
    if not parts.hostname:
        return "no host name"
    if port == 0:
        return "port 0"
    return None


def check_url(url: str, option: str = "--to") -> str:
    """An address to send to (``--to``, ``--forward-to``), or an InputError naming ``option``."""
    if url_problem(url) is not None:
        raise InputError(f"{option} {redact_url(url)}: expected an http:// or https:// URL")
    return url


def check_base_url(value: object, where: str, error: type[EcpError] = InputError) -> str:
    """A base URL (a profile's ``api_url``, ``--check-url``) without its trailing slash.

    ``where`` names the setting (``--api-url``, ``ecp.yaml: profile 'test': 'api_url'``);
    ``error`` is the exception to raise (a profile file raises ProfileError)."""
    if not isinstance(value, str) or url_problem(value) is not None:
        raise error(f"{where} must be an http(s):// URL, got {value!r}")
    if "?" in value or "#" in value:
        raise error(f"{where} must be a base URL, without a query or fragment")
    return value.rstrip("/")
