"""Every HTTP client ecp makes: its User-Agent, the environment's proxy and CA settings as
httpx reads them, and never a proxy for the developer's own machine.

Callbacks sent to, forwarded to or replayed at 127.0.0.1 must not travel through a
corporate HTTP_PROXY, which cannot reach back into this machine; the platform's hosts do
go through it.

The SSL context (CA certificates loaded, ~80 ms) is made once per process and shared by
every client and every transport in it; only a change of SSL_CERT_FILE or SSL_CERT_DIR
makes another. Import this module only where HTTP is needed: it loads httpx.
"""

import functools
import os
import ssl

import httpx

from ecp_cli import __version__
from ecp_cli.errors import InputError

USER_AGENT = f"ecp/{__version__} (+httpx)"
LOOPBACK_PATTERNS = ("all://127.0.0.1", "all://localhost", "all://[::1]")


def ssl_context() -> ssl.SSLContext:
    """The process's SSL context, for the CA settings now in the environment.

    The CA bundle is SSL_CERT_FILE, else SSL_CERT_DIR, else certifi's, as httpx chooses it
    when it trusts the environment."""
    return _ssl_context(os.environ.get("SSL_CERT_FILE") or "", os.environ.get("SSL_CERT_DIR") or "")


@functools.cache
def _ssl_context(cert_file: str, cert_dir: str) -> ssl.SSLContext:
    if cert_file:
        return ssl.create_default_context(cafile=cert_file)
    if cert_dir:
        return ssl.create_default_context(capath=cert_dir)
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


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
        context = ssl_context() if transport is None else None
        if context is not None:
            direct = httpx.HTTPTransport(verify=context, trust_env=True)
            mounts = {pattern: direct for pattern in LOOPBACK_PATTERNS}
        return httpx.Client(
            timeout=timeout,
            verify=context or True,  # the default transport and any proxy's share it
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
