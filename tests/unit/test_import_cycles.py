"""No import circle in archivist/: a module never needs, even indirectly, a module that needs it.

Every import counts: at module level, inside a function (a deferred import is still a circle, only
a later one) and under `if TYPE_CHECKING:` (a type-only circle still ties the two modules' design
together).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[2] / "archivist"


def module_names() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The archivist modules `name` imports anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            for alias in node.names:   # `from pkg import mod` names a module, else a name in pkg
                target = f"{base}.{alias.name}"
                found.add(target if target in known else base)
    return (found & known.keys()) - {name}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_no_module_in_archivist_imports_itself_in_a_circle() -> None:
    known = module_names()
    graph = {name: imported(name, path, known) for name, path in known.items()}
    assert circles(graph) == []


def test_the_finder_sees_a_deferred_and_a_type_only_circle(tmp_path: Path) -> None:
    (tmp_path / "x.py").write_text("def f():\n    from archivist.y import g\n")
    (tmp_path / "y.py").write_text("from typing import TYPE_CHECKING\n"
                                   "if TYPE_CHECKING:\n    from archivist import x\n")
    (tmp_path / "z.py").write_text("import archivist.x\n")
    known = {f"archivist.{n}": tmp_path / f"{n}.py" for n in "xyz"}
    graph = {name: imported(name, path, known) for name, path in known.items()}
    assert graph == {"archivist.x": {"archivist.y"}, "archivist.y": {"archivist.x"},
                     "archivist.z": {"archivist.x"}}
    assert circles(graph) == [["archivist.x", "archivist.y"]]
