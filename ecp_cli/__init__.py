"""ecp: the command-line toolkit for ecommpay integrations.

The layers, each allowed to import only those above it:

- foundation modules here: ``defaults`` (every default and limit), ``errors``,
  ``exit_codes``, ``environment`` (the outside world, replaceable in tests),
  ``documents`` and ``yaml_loading`` (reading input files), ``line_batches`` (a
  JSON-lines input read a batch at a time),
  ``profiles`` (project credentials; it checks base URLs with ``http.urls``, a
  standard-library-only module, so that every address obeys one rule), ``forking``
  (worker processes, forked once, for batch work), ``records`` (the base of the small
  data classes, lighter to import than dataclasses), ``data_tables`` (the shipped CSV
  tables, one looked-up row at a time);
- ``signing``: the canonical string, signatures, SDK variants, diagnosis and its
  explanation;
- ``payment_page``: parameters, signed URLs, decoding links, currencies;
- ``callbacks``: the callback model and headline, reference data, built-in scenarios and
  their overrides;
- ``http``: the HTTP client, its retry loop and URL rule, the Gate API calls, callback
  delivery;
- ``listen``: the local callback receiver and its event store;
- ``setup``: writing profile files and the checks of ``ecp doctor``;
- ``sandbox``: the platform on this machine (Payment Page, Gate API, pre-check, test cards,
  callbacks), a raw ASGI app; it uses ``signing`` to ``http`` but not ``listen``;
- ``cli``: the ``ecp`` command, a thin layer over all of the above.

Everything but ``cli`` imports neither Typer nor rich and can be used as a library.
"""

__version__ = "0.1.0"
