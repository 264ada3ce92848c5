"""The base of ecp's small data classes: what ``@dataclass`` gave them, without its import.

``import dataclasses`` brings in ``inspect`` and costs a one-shot command such as ``ecp url``
more start-up time than its work. So a record is a plain class: ``__slots__`` names its
fields in order, ``__init__`` is written out (typed, for mypy), and :class:`Record` adds
what the dataclass did: equality field by field with a record of the same class, and a
repr that names each field. A :class:`FrozenRecord` is also hashable by its fields, as a
frozen dataclass is; it is not changed after ``__init__`` (by convention: enforcing it
would cost every construction a call).
"""


class Record:
    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._fields() == other._fields()
        return NotImplemented

    # __eq__ without __hash__ makes Python set __hash__ to None: a record is mutable, so
    # unhashable, as a dataclass with eq is.

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__qualname__}({shown})"


class FrozenRecord(Record):
    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._fields())
