"""Every HTTP client ecp makes: its User-Agent, the environment's proxy and CA settings as
httpx reads them, and never a proxy for the developer's own machine.

Callbacks sent to, forwarded to or replayed at 127.0.0.1 must not travel through a
corporate HTTP_PROXY, which cannot reach back into this machine; the platform's hosts do
go through it. Import this module only where HTTP is needed: it loads httpx.
"""

import ssl

import httpx

from ecp_cli import __version__
from ecp_cli.errors import InputError

USER_AGENT = f"ecp/{__version__} (+httpx)"
LOOPBACK_PATTERNS = ("all://127.0.0.1", "all://localhost", "all://[::1]")


def make_client(
    *,
    timeout: float | httpx.Timeout,
    transport: httpx.BaseTransport | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Client:
    """An httpx.Client that follows no redirects (a signed request must not wander to
    another host). ``transport`` replaces the network, for tests; then nothing is mounted."""
    try:
        mounts = None
        if transport is None:
            direct = httpx.HTTPTransport(trust_env=True)  # one SSL context for all three
            mounts = {pattern: direct for pattern in LOOPBACK_PATTERNS}
        return httpx.Client(
            timeout=timeout,
            trust_env=True,
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            transport=transport,
            mounts=mounts,
        )
    except (OSError, ssl.SSLError) as error:
        # The CA bundle named by SSL_CERT_FILE / SSL_CERT_DIR could not be loaded.
        reason = getattr(error, "strerror", None) or str(error)
        raise InputError(
            f"cannot load the CA certificates named by SSL_CERT_FILE or SSL_CERT_DIR: {reason}"
        ) from None
    except ValueError:
        # An unusable proxy setting; its value may hold credentials, so it is not repeated.
        raise InputError(
            "a proxy setting in the environment (HTTP_PROXY, HTTPS_PROXY or ALL_PROXY) is not "
            "a usable proxy URL"
        ) from None
