"""No import cycles: no module of `extractors`, `drafting` or `rpa` imports, directly
or through others, a module that imports it.

Every import statement counts, at the top of a module or inside a function: an
import moved into a function hides a cycle from Python, not from a reader.
Importing `a.b.c` also runs `a/b/__init__.py`; that implicit edge is not
counted, so a package may re-export what its modules define.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

from conftest import ROOT

PACKAGES = ("extractors", "drafting", "rpa")

Graph = Mapping[str, set[str]]


def import_graph(root: Path, packages: Iterable[str]) -> dict[str, set[str]]:
    """Module name -> the modules of `packages` it imports."""
    modules = {
        _module_name(path.relative_to(root)): path
        for package in packages
        for path in (root / package).rglob("*.py")
    }
    return {name: _imports_of(name, path, modules.keys()) - {name} for name, path in modules.items()}


def import_cycles(graph: Graph) -> list[list[str]]:
    """One cycle (`[a, b, ..., a]`) through each group of modules that import each other."""
    return [_cycle_through(sorted(group), graph) for group in _strongly_connected(graph) if len(group) > 1]


def _module_name(relative: Path) -> str:
    parts = relative.with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports_of(name: str, path: Path, known: Iterable[str]) -> set[str]:
    known = set(known)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(name, path, node)
            for alias in node.names:  # `from a import b`: module a.b, or a name defined in a
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in known else source)
    return found & known


def _absolute(name: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def _strongly_connected(graph: Graph) -> list[set[str]]:
    """Tarjan's algorithm, iteratively (no recursion limit to mind)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = lowest[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, targets = work[-1]
            target = next(targets, None)
            if target is None:
                work.pop()
                if work:
                    parent = work[-1][0]
                    lowest[parent] = min(lowest[parent], lowest[module])
                if lowest[module] == index[module]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == module:
                            break
                    groups.append(group)
            elif target not in index:
                index[target] = lowest[target] = len(index)
                stack.append(target)
                on_stack.add(target)
                work.append((target, iter(sorted(graph[target]))))
            elif target in on_stack:
                lowest[module] = min(lowest[module], index[target])
    return groups


def _cycle_through(group: list[str], graph: Graph) -> list[str]:
    """The shortest way from the group's first module back to itself, inside the group."""
    start, members = group[0], set(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for module in frontier:
            for target in sorted(graph[module] & members):
                if target == start:
                    return [*paths[module], start]
                if target not in paths:
                    paths[target] = [*paths[module], target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"{group} is not a cycle")  # a strongly connected group always has one


def test_no_module_imports_itself_through_others() -> None:
    cycles = import_cycles(import_graph(ROOT, PACKAGES))
    assert not cycles, "import cycles:\n" + "\n".join("  " + " -> ".join(cycle) for cycle in cycles)


def test_an_import_inside_a_function_still_makes_a_cycle(tmp_path: Path) -> None:
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "orders.py").write_text("from shop.invoices import total\n")
    (package / "invoices.py").write_text("def total():\n    from . import orders\n    return orders\n")
    (package / "prices.py").write_text("import shop.orders\n")
    assert import_cycles(import_graph(tmp_path, ["shop"])) == [
        ["shop.invoices", "shop.orders", "shop.invoices"]
    ]
