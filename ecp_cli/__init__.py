"""ecp: the command-line toolkit for ecommpay integrations.

The core modules (canonical, signature, documents, profiles, ...) import neither Typer nor
rich and can be used as a library; ``ecp_cli.cli`` is a thin command layer over them.
"""

__version__ = "0.1.0"
