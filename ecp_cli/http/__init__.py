"""HTTP as a client, in layers:

- ``client``: the one client factory (User-Agent, proxies, one SSL context per process);
- ``retry``: the one retry loop, for the Gate calls and callback delivery alike;
- ``urls``: the one rule for what is a usable http(s) address;
- ``excerpt``: the one rule for quoting a body someone else sent;
- ``exchange``: one retried JSON request and each way it can fail, in one line;
- on top: ``gate`` (the two Gate API calls: payment status, parameter pre-check) and
  ``delivery`` (POSTing a callback, with the platform's redelivery schedule);
- and as a server: ``serving`` runs an ASGI app on loopback within hard limits (strict
  parsing, body and head caps, a connection cap, a per-request deadline, graceful stop),
  for ``ecp listen`` and ``ecp sandbox``.

May import: signing, payment_page, callbacks, profiles and the foundation modules. Never
listen or cli; never Typer or rich.
"""
