"""``Record``: the base of small immutable value classes on the start-up path.

What ``@dataclass(frozen=True)`` gives (equality, hashing, a repr, no assignment) without
importing ``dataclasses``, which imports ``inspect``: the test in tests/core/test_core_budget.py
keeps both off every local command. A subclass names its fields in ``__slots__`` and writes
a typed ``__init__`` that passes them to ``Record.__init__`` by name.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Self


class Record:
    __slots__ = ()

    def _names(self) -> tuple[str, ...]:
        names: tuple[str, ...] = type(self).__slots__
        return names

    def __init__(self, **values: object) -> None:
        for name in self._names():
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable (tried to set {name})")

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._names())

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __lt__(self, other: object) -> bool:
        """Field by field, as ``@dataclass(order=True)`` compares (same class only)."""
        if type(other) is not type(self):
            return NotImplemented
        return self._values() < other._values()  # type: ignore[attr-defined, operator]

    def replace(self, **changes: object) -> Self:
        """A copy with ``changes``, as ``dataclasses.replace`` makes."""
        values = dict(zip(self._names(), self._values(), strict=True))
        return type(self)(**{**values, **changes})

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._names())
        return f"{type(self).__name__}({shown})"


class _NamedTupleMeta(type):
    """Makes each annotated subclass body a ``collections.namedtuple``, as typing's does."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, object]) -> type:
        from collections import namedtuple

        fields = list(namespace.get("__annotations__", {}))  # type: ignore[call-overload]
        defaults = [namespace[field] for field in fields if field in namespace]
        module = str(namespace["__module__"])
        base = namedtuple(name, fields, defaults=defaults, module=module)  # type: ignore[misc]
        body = {k: v for k, v in namespace.items() if k not in fields and k != "__annotations__"}
        return type(name, (base,), {**body, "__slots__": ()})


# ``typing.NamedTuple`` without importing ``typing`` (a third of a bare Python start): import
# it as ``typing``'s under TYPE_CHECKING, this one otherwise, and subclass it the same way.
NamedTuple = type.__new__(_NamedTupleMeta, "NamedTuple", (), {})
