"""Check parsed JSON against a TypedDict, driven by the type's own annotations.

One home for a document's shape: the TypedDicts in :mod:`gorig.doctor.facts` are what
mypy checks the code against and what a loaded document is checked against here, so the
two cannot drift apart. Understands what those types use: ``str``, ``int``, ``float``,
``bool``, ``None``, ``X | None``, ``list[X]``, ``dict[str, X]`` and TypedDicts (required
and ``NotRequired`` keys; unknown keys are ignored). A wrong value raises
:class:`ShapeError` naming its path (``gos/0/archs``), what was expected and what was found.
"""

from __future__ import annotations

import json
import types
import typing
from functools import cache
from typing import Any, get_args, get_origin, get_type_hints, is_typeddict

SCALARS: dict[object, tuple[str, str]] = {  # type -> (one, several)
    str: ("a string", "strings"),
    int: ("an integer", "integers"),
    float: ("a number", "numbers"),
    bool: ("true or false", "booleans"),
    type(None): ("null", "nulls"),
}


class ShapeError(ValueError):
    """A value in a document is not what its type says."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or 'the document'}: {message}")
        self.path = path


@cache
def _fields(typed_dict: type) -> tuple[dict[str, Any], frozenset[str]]:
    """(key -> type, required keys) of a TypedDict, computed once per class."""
    return get_type_hints(typed_dict), typed_dict.__required_keys__  # type: ignore[attr-defined]


def _members(hint: object) -> tuple[object, ...]:
    """The alternatives of ``X | Y`` (or of ``Optional[X]``), else ``(hint,)``."""
    if get_origin(hint) in (types.UnionType, typing.Union):
        return get_args(hint)
    return (hint,)


def describe(hint: object, plural: bool = False) -> str:
    """``dict[str, str]`` -> "an object of strings", in the words an error message uses."""
    if hint in SCALARS:
        return SCALARS[hint][plural]
    origin = get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(describe(member, plural) for member in get_args(hint))
    if origin is list:
        return f"{'lists' if plural else 'a list'} of {describe(get_args(hint)[0], True)}"
    if origin is dict:
        return f"{'objects' if plural else 'an object'} of {describe(get_args(hint)[1], True)}"
    if is_typeddict(hint):
        return "objects" if plural else "an object"
    raise TypeError(f"shape cannot check {hint!r}")


def brief(value: object) -> str:
    """A short rendering of a JSON value for an error message (never the whole of it)."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_scalar(value: object, hint: object) -> bool:
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is str:  # a lone surrogate (JSON "\ud800") cannot be printed: refuse it here
        return isinstance(value, str) and (value.isascii() or _encodes(value))
    return value is None


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _matches(value: object, hint: object, path: str) -> bool:
    """Whether ``value`` has ``hint``'s kind at its top: scalars fully, containers by kind.

    A container of the right kind is then checked inside, and its errors name the inner
    path; so ``[1]`` for ``list[str] | None`` reports ``path/0``, not the whole list.
    """
    origin = get_origin(hint)
    if origin is list:
        return isinstance(value, list)
    if origin is dict or is_typeddict(hint):
        return isinstance(value, dict)
    return _is_scalar(value, hint)


def check(value: object, hint: object, path: str = "") -> None:
    """Raise :class:`ShapeError` unless ``value`` fits ``hint`` all the way down."""
    for member in _members(hint):
        if _matches(value, member, path):
            _check_inside(value, member, path)
            return
    raise ShapeError(path, f"expected {describe(hint)}, got {brief(value)}")


def _segment(key: object) -> str:
    """A key as one segment of an error's path; quoted when it could mislead (a ``/``, a
    line break or other unprintable characters, or nothing)."""
    text = str(key)
    return text if text and text.isprintable() and "/" not in text else json.dumps(text)


def _check_inside(value: Any, hint: object, path: str) -> None:
    prefix = f"{path}/" if path else ""
    origin = get_origin(hint)
    if origin is list:
        (item,) = get_args(hint)
        for index, element in enumerate(value):
            check(element, item, f"{prefix}{index}")
    elif origin is dict:
        _, item = get_args(hint)
        for key, element in value.items():
            check(element, item, prefix + _segment(key))
    elif is_typeddict(hint):
        hints, required = _fields(hint)  # type: ignore[arg-type]
        missing = [key for key in hints if key in required and key not in value]
        if missing:  # the first in the type's order
            key = missing[0]
            raise ShapeError(f"{prefix}{key}", f"missing (expected {describe(hints[key])})")
        for key, element in value.items():
            if key in hints:
                check(element, hints[key], f"{prefix}{key}")
