"""The ``ecp`` command: a thin layer over the library modules.

This package imports nothing by itself. ``ecp_cli.cli.launcher`` is the entry point and
runs the hottest path (``ecp verify``) without loading Typer; ``ecp_cli.cli.commands``
assembles the full Typer application from one module per command.
"""
