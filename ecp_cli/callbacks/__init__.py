"""Callbacks: what a callback says (model and headline), the platform's reference data
(statuses, response codes) and the built-in scenarios that make signed callbacks.

May import: signing, payment_page (currencies) and the foundation modules. Never http,
listen or cli; never Typer or rich.
"""
