"""The two facts every ``ecp verify`` line shows: the payment id and its status.

Apart from the full model (model.py) because verify imports it on every call: this
module needs nothing but the standard library's Mapping.
"""

from collections.abc import Mapping


def _get(data: Mapping, *path: str) -> object | None:
    node: object = data
    for key in path:
        # dict first: JSON gives dicts, and the Mapping check is an ABC's (slow)
        if (type(node) is not dict and not isinstance(node, Mapping)) or key not in node:
            return None
        node = node[key]
    return node


def text_of(value: object) -> str | None:
    """A scalar as text (booleans as 1/0, as they are signed); None for containers."""
    if type(value) is str:  # the usual case, first
        return value
    if value is None or isinstance(value, Mapping | list):
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def payment_id(data: Mapping) -> str | None:
    """The merchant's payment id: ``payment.id``, else ``general.payment_id``."""
    return text_of(_get(data, "payment", "id")) or text_of(_get(data, "general", "payment_id"))


def payment_status(data: Mapping) -> str | None:
    """The headline status: the payment's, else the request's or the recurring's."""
    return (
        text_of(_get(data, "payment", "status"))
        or text_of(_get(data, "request", "status"))
        or text_of(_get(data, "recurring", "status"))
    )


def id_and_status(data: Mapping) -> tuple[str | None, str | None]:
    """(payment_id(data), payment_status(data)), the usual case (both in a ``payment``
    object) looked up at once: ``ecp verify --jsonl`` shows them for every line."""
    payment = data.get("payment") if type(data) is dict else None
    if type(payment) is dict:
        found = text_of(payment.get("id")), text_of(payment.get("status"))
        if found[0] and found[1]:
            return found
    return payment_id(data), payment_status(data)
