"""What a callback (or a signed Gate response) says, whatever its shape.

Shapes handled: standard (``payment`` + ``operation``), Gate style with
``general.signature``, the older ``operations`` list, card-on-file ``recurring`` updates
and token callbacks.
"""

from collections.abc import Mapping


def _get(data: Mapping, *path: str) -> object | None:
    node: object = data
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def _text(value: object) -> str | None:
    if value is None or isinstance(value, Mapping | list):
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def payment_id(data: Mapping) -> str | None:
    """The merchant's payment id: ``payment.id``, else ``general.payment_id``."""
    return _text(_get(data, "payment", "id")) or _text(_get(data, "general", "payment_id"))


def payment_status(data: Mapping) -> str | None:
    """The headline status: the payment's, else the request's or the recurring's."""
    return (
        _text(_get(data, "payment", "status"))
        or _text(_get(data, "request", "status"))
        or _text(_get(data, "recurring", "status"))
    )
