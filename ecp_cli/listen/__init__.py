"""The local callback receiver behind ``ecp listen``: its HTTP server and the SQLite event
store it writes before it acknowledges.

May import: signing, callbacks, http and the foundation modules. Never cli; never Typer
or rich.
"""
