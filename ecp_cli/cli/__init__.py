"""The ``ecp`` command: a thin layer over the library modules.

This package imports nothing by itself. ``launcher`` is the entry point and runs the
hottest path (``ecp verify``) without loading Typer; ``commands`` is the table of every
command (name, module, help panel, short help); ``lazy_group`` loads from it only the
command being run; ``app`` holds the global options. Each command has its own module;
what several commands share has a module named for it (``callback_view``,
``callback_output``, ``scenario_options``, ``pre_check``, ``gate_options``,
``platform_problems``). Command
modules never import one another.
"""
