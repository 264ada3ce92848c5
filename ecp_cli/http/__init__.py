"""HTTP as a client: one client factory, one retry policy, one URL check and one rule for
quoting a body; the Gate API calls (payment status, parameter pre-check) and callback
delivery sit on top.

May import: signing, payment_page, callbacks, profiles and the foundation modules. Never
listen or cli; never Typer or rich.
"""
