"""Setting ecp up and checking the setup: writing a profile file (``ecp init``,
``ecp profiles add``) and the checks of ``ecp doctor``.

May import: signing, http and the foundation modules. Never listen or cli; never Typer or
rich.
"""
