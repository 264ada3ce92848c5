"""The Payment Page: its parameters, signed URLs, decoding a link, and currencies.

May import: signing and the foundation modules. Never callbacks, http, listen or cli;
never Typer or rich.
"""
