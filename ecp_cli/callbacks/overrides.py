"""Changing a callback from the command line: ``--payment-id``, ``--amount``,
``--currency`` and ``--code`` (:class:`Overrides`), and ``--set PATH=VALUE`` on any field,
whether the callback comes from a built-in scenario or from a file.
"""

import json
import re

from ecp_cli.errors import InputError
from ecp_cli.records import Record

TYPE_CHECKING = False  # typing costs `ecp callback` start-up time; Any is for annotations
if TYPE_CHECKING:
    from typing import Any


class Overrides(Record):
    """What the user changes on a scenario or a file. None means "keep the default"."""

    __slots__ = ("payment_id", "amount", "currency", "code", "sets")

    def __init__(
        self,
        payment_id: str | None = None,
        amount: int | None = None,
        currency: str | None = None,
        code: str | None = None,
        sets: list[tuple[str, object]] | None = None,
    ) -> None:
        self.payment_id = payment_id
        self.amount = amount
        self.currency = currency
        self.code = code  # decline and error scenarios only
        self.sets: list[tuple[str, object]] = [] if sets is None else sets  # --set, in order

    def sets_path(self, *paths: str) -> bool:
        return any(_normal_path(path) in paths for path, _ in self.sets)


def apply_overrides(data: dict, overrides: Overrides, source: str) -> dict:
    """A copy of a callback read from a file with the overrides applied where its shape
    has the matching fields. ``source`` names the file in error messages."""
    import copy  # only a callback from a file is copied

    body = copy.deepcopy(data)
    payment = body.get("payment") if isinstance(body.get("payment"), dict) else None
    general = body.get("general") if isinstance(body.get("general"), dict) else None
    if overrides.code is not None:
        raise InputError("--code applies to the decline and error scenarios, not to a file")
    if overrides.payment_id is not None:
        if payment is not None:
            payment["id"] = overrides.payment_id
        elif general is not None:
            general["payment_id"] = overrides.payment_id
        else:
            raise InputError(f"{source}: has no payment or general object for --payment-id")
    if overrides.amount is not None or overrides.currency is not None:
        sums: list[Any] = [payment.get("sum") if payment else None]
        operation = body.get("operation")
        if isinstance(operation, dict):
            sums += [operation.get("sum_initial"), operation.get("sum_converted")]
        sums = [s for s in sums if isinstance(s, dict)]
        if not sums:
            raise InputError(f"{source}: has no payment.sum for --amount or --currency")
        for item in sums:
            if overrides.amount is not None:
                item["amount"] = overrides.amount
            if overrides.currency is not None:
                item["currency"] = overrides.currency
    for path, value in overrides.sets:
        set_path(body, path, value)
    return body


# A JSON number. Compiled (by re, which caches it) on first use: only --set needs it, and
# compiling it at import cost every ecp callback about a million instructions.
_NUMBER = r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?"


def parse_value(text: str) -> object:
    """A --set value, typed: JSON numbers stay numbers (``1999``), ``true``/``false``/
    ``null`` are JSON, a JSON string, object or list in its JSON form (``'"0"'``,
    ``'[]'``) is that value; anything else is taken as plain text (``05`` stays "05")."""
    if text in ("true", "false", "null") or re.fullmatch(_NUMBER, text):
        return json.loads(text)
    if text[:1] in ('"', "{", "["):
        try:
            return json.loads(text)
        except ValueError:
            if text.startswith('"'):
                raise InputError(f"--set: {text}: a quoted value must be a JSON string") from None
    return text


def _normal_path(path: str) -> str:
    return re.sub(r"\[(\d+)\]", r".\1", path)


def split_path(path: str) -> list[str]:
    parts = _normal_path(path).split(".")
    if not path or any(part == "" for part in parts):
        raise InputError(f"--set: {path!r}: expected a dotted path such as payment.sum.amount")
    return parts


def parse_assignment(text: str) -> tuple[str, object]:
    """``dotted.path=value`` from --set, the value typed by :func:`parse_value`."""
    path, sep, value = text.partition("=")
    if not sep:
        raise InputError(f"--set: {text!r}: expected PATH=VALUE, e.g. payment.sum.amount=500")
    split_path(path.strip())
    return path.strip(), parse_value(value)


def set_path(document: dict, path: str, value: object) -> None:
    """Set ``value`` at ``path`` (keys joined by dots, list indices as numbers: errors.0.code
    or errors[0].code), creating missing objects on the way."""
    parts = split_path(path)
    node: object = document
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        where = ".".join(parts[:depth]) or "(top)"
        if isinstance(node, list):
            if not part.isdigit() or int(part) > len(node):
                raise InputError(
                    f"--set {path}: {where} is a list of {len(node)}; "
                    f"use an index from 0 to {len(node)}"
                )
            index = int(part)
            if index == len(node):
                node.append(value if last else {})
            elif last:
                node[index] = value
            node = node[index]
        elif isinstance(node, dict):
            if last:
                node[part] = value
            elif part in node:
                node = node[part]
            else:  # a new container: a list when the next part is an index
                following = parts[depth + 1]
                if following.isdigit() and following != "0":
                    raise InputError(
                        f"--set {path}: {'.'.join(parts[: depth + 1])} does not exist; "
                        "a new list starts at index 0"
                    )
                node[part] = [] if following == "0" else {}
                node = node[part]
        else:
            raise InputError(f"--set {path}: {where} is not an object or a list")
