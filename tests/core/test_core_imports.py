"""The import graph of ``src/gorig`` has no cycle.

Every ``import`` counts, at the top of a module or inside a function (a deferred import
still ties the two modules together). A cycle means two modules are one concern split in
two, or a rule that lives in the wrong one.
"""

from __future__ import annotations

import ast
from pathlib import Path

from support.sourcetrees import parsed

SOURCE = Path(__file__).resolve().parents[2] / "src"
# Edges the cycle check leaves out, each with the work that removes it.
KNOWN: set[tuple[str, str]] = set()


def modules() -> dict[str, Path]:
    found = {}
    for path in SOURCE.rglob("*.py"):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def import_graph(known: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the gorig modules it imports (``from pkg import sub`` names ``pkg.sub``)."""

    def owner(name: str) -> str:
        while name not in known:
            name = name.rpartition(".")[0]
        return name

    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        targets: set[str] = set()
        for node in ast.walk(parsed(path)):
            if isinstance(node, ast.Import):
                targets |= {owner(a.name) for a in node.names if a.name.startswith("gorig.")}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gorig"):
                base = node.module or ""
                targets |= {
                    f"{base}.{a.name}" if f"{base}.{a.name}" in known else owner(base)
                    for a in node.names
                }
        graph[name] = targets - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle's modules (strongly connected components larger than one), iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_imports_itself_through_others():
    graph = import_graph(modules())
    for source, target in KNOWN:
        graph[source].discard(target)
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_known_exceptions_are_still_real_edges():
    """An exception whose edge is gone must be deleted from KNOWN."""
    graph = import_graph(modules())
    assert [edge for edge in KNOWN if edge[1] not in graph.get(edge[0], set())] == []
