"""Who may import whom (ARCHITECTURE.md): the domain is pure, adapters stand alone."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).parents[2] / "archivist"


def _runtime_nodes(tree: ast.AST):
    """Every node except those under `if TYPE_CHECKING:` (type-only imports couple nothing)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            continue
        yield node
        yield from _runtime_nodes(node)


def imports(path: Path) -> set[str]:
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if node.module == "archivist.adapters":
                found |= {f"archivist.adapters.{alias.name}" for alias in node.names}
    return found


def test_domain_imports_only_the_standard_library_and_itself():
    for path in (PACKAGE / "domain").rglob("*.py"):
        for name in imports(path):
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or name.startswith("archivist.domain"), (path, name)


def _adapter_name(path: Path) -> str:
    """The adapter a file belongs to: its module name, or its package's for a package adapter."""
    relative = path.relative_to(PACKAGE / "adapters")
    return relative.parts[0] if len(relative.parts) > 1 else path.stem


def test_adapters_import_the_domain_never_each_other_or_the_container():
    for path in (PACKAGE / "adapters").rglob("*.py"):
        adapter = _adapter_name(path)
        for name in imports(path):
            if not name.startswith("archivist"):
                continue
            parts = name.split(".")
            assert parts[1] in ("domain", "adapters"), (path, name)
            if parts[1] == "adapters" and len(parts) > 2:
                assert parts[2] == adapter, (path, name)


def test_package_adapters_are_seen_by_the_layering_rules():
    assert "cablecast" in {_adapter_name(p) for p in (PACKAGE / "adapters").rglob("*.py")}


def test_only_the_container_and_entrypoints_know_adapters():
    for path in [*(PACKAGE / "domain").rglob("*.py"), *(PACKAGE / "providers").rglob("*.py")]:
        assert not any(n.startswith("archivist.adapters") for n in imports(path)), path
