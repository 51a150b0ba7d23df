"""JSON with comments and trailing commas (VS Code's settings.json, launch.json), edited in place.

:func:`parse` builds a tree that remembers where each value sits in the text; the edits
(:func:`set_path`, :func:`append_item`) splice new text in at those places and never
re-serialise the document, so the user's comments, trailing commas, key order and spacing
stay as they were.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from gorig.errors import GorigError

_SPACE = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.DOTALL)
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*"')
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}
INDENT = "    "


@dataclass
class Node:
    """One value: ``start``/``end`` is its span; containers know their children and commas."""

    kind: str  # object | array | scalar
    start: int
    end: int
    value: Any = None  # scalars only
    members: list[tuple[str, int, Node]] = field(default_factory=list)  # (key, key start, value)
    items: list[Node] = field(default_factory=list)
    trailing_comma: bool = False

    def get(self, key: str) -> Node | None:
        found = [node for name, _, node in self.members if name == key]
        return found[-1] if found else None  # JSON's last-one-wins

    def to_python(self) -> Any:
        if self.kind == "object":
            return {name: node.to_python() for name, _, node in self.members}
        if self.kind == "array":
            return [node.to_python() for node in self.items]
        return self.value

    def child_starts(self) -> list[int]:
        return [start for _, start, _ in self.members] or [node.start for node in self.items]

    def child_ends(self) -> list[int]:
        return [node.end for _, _, node in self.members] or [node.end for node in self.items]


class _Parser:
    def __init__(self, text: str, where: str) -> None:
        self.text, self.where = text, where
        self.pos = 1 if text.startswith("\ufeff") else 0  # a byte-order mark stays in place

    def fail(self, message: str) -> GorigError:
        line = self.text.count("\n", 0, self.pos) + 1
        column = self.pos - (self.text.rfind("\n", 0, self.pos) + 1) + 1
        return GorigError(f"{self.where}:{line}:{column}: {message}; fix the file and run again")

    def skip(self) -> None:
        match = _SPACE.match(self.text, self.pos)
        self.pos = match.end() if match else self.pos
        if self.text.startswith("/*", self.pos):
            raise self.fail("unterminated comment")

    def decode(self, token: str, start: int) -> Any:
        try:
            return json.loads(token)
        except json.JSONDecodeError:
            self.pos = start
            raise self.fail(f"bad string or number {token[:20]}") from None

    def peek(self) -> str:
        self.skip()
        return self.text[self.pos : self.pos + 1]

    def value(self) -> Node:
        char = self.peek()
        if char == "{":
            return self.container("object", "}")
        if char == "[":
            return self.container("array", "]")
        start = self.pos
        for pattern in (_STRING, _NUMBER):
            match = pattern.match(self.text, start)
            if match:
                self.pos = match.end()
                return Node("scalar", start, self.pos, self.decode(match.group(), start))
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, start):
                self.pos = start + len(word)
                return Node("scalar", start, self.pos, literal)
        raise self.fail("expected a value" if char else "unexpected end of file")

    def key(self) -> tuple[str, int]:
        self.skip()
        match = _STRING.match(self.text, self.pos)
        if match is None:
            raise self.fail("expected a quoted key")
        self.pos = match.end()
        if self.peek() != ":":
            raise self.fail("expected ':' after the key")
        self.pos += 1
        return self.decode(match.group(), match.start()), match.start()

    def container(self, kind: str, close: str) -> Node:
        node = Node(kind, self.pos, -1)
        self.pos += 1
        while self.peek() != close:
            if not self.peek():
                raise self.fail(f"missing '{close}'")
            if kind == "object":
                name, key_start = self.key()
                node.members.append((name, key_start, self.value()))
            else:
                node.items.append(self.value())
            node.trailing_comma = self.peek() == ","
            if node.trailing_comma:
                self.pos += 1
            elif self.peek() != close:
                raise self.fail(f"expected ',' or '{close}'")
        self.pos += 1
        node.end = self.pos
        return node


def parse(text: str, where: str = "the file") -> Node:
    """The tree of a JSONC document; a one-line :class:`GorigError` naming line:column if bad."""
    parser = _Parser(text, where)
    root = parser.value()
    if parser.peek():
        raise parser.fail("unexpected text after the document")
    return root


def loads(text: str, where: str = "the file") -> Any:
    return parse(text, where).to_python()


def _line_indent(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    prefix = text[start:pos]
    return prefix if not prefix.strip() else re.match(r"[ \t]*", text[start:]).group()  # type: ignore[union-attr]


def _render(value: Any, indent: str, unit: str = INDENT) -> str:
    return json.dumps(value, indent=unit, ensure_ascii=False).replace("\n", "\n" + indent)


def _unit(text: str, node: Node) -> str:
    """The file's own indentation step: a child's indent beyond its container's."""
    starts = node.child_starts()
    if not starts:
        return INDENT
    inner, outer = _line_indent(text, starts[0]), _line_indent(text, node.start)
    step = inner[len(outer) :] if inner.startswith(outer) else ""
    return step or INDENT


def _insert(text: str, node: Node, child: str) -> str:
    """Add ``child`` (rendered, without indentation) as the last element of ``node``."""
    close = node.end - 1
    starts, ends = node.child_starts(), node.child_ends()
    indent = _line_indent(text, starts[0]) if starts else _line_indent(text, node.start) + INDENT
    child = child.replace("\n", "\n" + indent)
    comma = "," if node.trailing_comma else ""
    line_start = text.rfind("\n", 0, close) + 1
    if not text[line_start:close].strip():  # the closing bracket has its own line
        text = text[:line_start] + indent + child + comma + "\n" + text[line_start:]
    else:
        closing = "\n" + _line_indent(text, node.start)
        text = text[:close] + "\n" + indent + child + comma + closing + text[close:]
    if ends and not node.trailing_comma:
        text = text[: ends[-1]] + "," + text[ends[-1] :]
    return text


def set_path(
    text: str, path: tuple[str, ...], value: Any, *, overwrite: bool, where: str = "the file"
) -> str:
    """Set the value at ``path`` (object keys); an existing one only when ``overwrite``."""
    node = parse(text, where)
    if node.kind != "object":
        raise GorigError(f"{where}: the document is not a JSON object; fix it and run again")
    for depth, key in enumerate(path):
        child = node.get(key)
        rest = path[depth + 1 :]
        nested = value
        for name in reversed(rest):
            nested = {name: nested}
        if child is None:
            member = (
                f"{json.dumps(key, ensure_ascii=False)}: {_render(nested, '', _unit(text, node))}"
            )
            return _insert(text, node, member)
        if not rest or child.kind != "object":
            if not overwrite or child.to_python() == nested:
                return text
            rendered = _render(nested, _line_indent(text, child.start), _unit(text, node))
            return text[: child.start] + rendered + text[child.end :]
        node = child
    return text


def append_item(text: str, path: tuple[str, ...], item: Any, where: str = "the file") -> str:
    """Append ``item`` to the array at ``path`` (created when missing)."""
    node: Node | None = parse(text, where)
    for key in path:
        node = node.get(key) if node is not None and node.kind == "object" else None
    if node is None:
        return set_path(text, path, [item], overwrite=False, where=where)
    if node.kind != "array":
        raise GorigError(f"{where}: {'.'.join(path)} is not a list; fix it and run again")
    return _insert(text, node, _render(item, "", _unit(text, node)))
