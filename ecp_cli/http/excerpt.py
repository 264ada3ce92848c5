"""The one rule for quoting a body someone else sent (an error answer, an endpoint's reply):
on one line, and short."""

from ecp_cli.defaults import EXCERPT_LENGTH


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """``text`` with its whitespace runs made single spaces, cut to ``length`` characters
    with a final "…" when it is longer."""
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"
