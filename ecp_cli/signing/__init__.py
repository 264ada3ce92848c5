"""Signing: the platform's signature rules, and why a signature does not match.

What is here: natural order (PHP's strnatcmp), the canonical string to sign, the HMAC
signature and its verification, the official SDKs' deviations, the diagnosis built on
them (``diagnosis``: the checks) and its rendering as text (``explanation``). The rules
are written down in docs/spec/signature.md.

May import: the standard library and the foundation modules (errors, exit_codes,
documents); not profiles (the caller passes the profiles a diagnosis tries). Never
payment_page, callbacks, http, listen or cli; never Typer or rich.
"""
