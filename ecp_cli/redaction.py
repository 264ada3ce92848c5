"""Credentials in URLs are never shown: ``http://user:pw@host/cb`` is shown, logged, stored
and printed in JSON as ``http://***@host/cb``. The URL itself, with its credentials, stays
in memory for the request that needs it."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

MASK = "***"


def redact_url(url: str) -> str:
    """``url`` with any ``user:password@`` replaced by ``***@``; other URLs unchanged.
    Text that does not parse as a URL is returned with everything before an ``@`` in its
    authority masked, so that a malformed URL cannot smuggle a password out either."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return _mask_loosely(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{MASK}@{host}"))


def redact_in(text: str, url: str) -> str:
    """``text`` with every occurrence of ``url`` and of its credentials masked."""
    if not url:
        return text
    shown = redact_url(url)
    text = text.replace(url, shown)
    try:
        userinfo = urlsplit(url).netloc.rpartition("@")[0]
    except ValueError:
        return text
    if userinfo:
        text = text.replace(userinfo, MASK)
    return text


def _mask_loosely(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    authority_end = len(rest)
    for stop in "/?#":
        index = rest.find(stop)
        if index != -1:
            authority_end = min(authority_end, index)
    authority = rest[:authority_end]
    if "@" in authority:
        rest = f"{MASK}@{authority.rpartition('@')[2]}" + rest[authority_end:]
    return f"{scheme}{sep}{rest}"
