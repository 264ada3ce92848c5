"""Callbacks: what a callback says (``model`` reads it, ``headline`` says what it means,
``facts`` gives both as plain data; ``ids`` holds the two facts ``ecp verify`` shows), the
platform's reference data (``reference``: statuses, response codes) with ecp's prose about
it (``meanings``: what they mean; ``advice``: what to do about a code, and whose advice it
is), the built-in scenarios that make signed callbacks (``scenarios``) and the edits
``--set`` and friends make to them (``overrides``).

May import: signing, payment_page (currencies) and the foundation modules. Never http,
listen or cli; never Typer or rich.
"""
