"""The sandbox: the ecommpay platform on your own machine (Payment Page, Gate API, pre-check).

One raw ASGI application (app.py) answers for the three hosts a shop talks to; payments live
in a SQLite file (state.py); the test-card table decides outcomes (outcomes.py); pages are
plain, escaped HTML (pages.py); callbacks are built, signed and delivered on the platform's
schedule (callbacks.py); headless.py walks the pages over HTTP for CI.

May import: signing, payment_page, callbacks, http and the foundation modules. Never listen
or cli; never Typer or rich.
"""
