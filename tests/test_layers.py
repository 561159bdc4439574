"""The shape of the code: packages depend one way (no cycles), and the views — CLI, web app, renderers,
site builder — reach the catalog, evidence and history only through services, never a store or SQL."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "versus"
VIEWS = ("cli", "web", "render", "site")
# Modules that hold SQL or open databases, and the drivers themselves.
STORES = (
    "versus.catalog.store",
    "versus.catalog.database",
    "versus.catalog.history_store",
    "versus.catalog.migrations",
    "versus.catalog.schema",
    "versus.evidence.store",
    "versus.sync.store",
    "versus.sync.catalog",
    "versus.sync.loaders",
    "sqlalchemy",
    "sqlite3",
    "psycopg",
)


def _imports(path: Path) -> list[str]:
    """Every module a file imports, at the top or inside a function (a lazy import is still a dependency)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def _package(path: Path) -> str:
    """`versus/catalog/store.py` is in package `catalog`; a top-level module is its own package."""
    relative = path.relative_to(SRC)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in SRC.rglob("*.py"):
        source = _package(path)
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "versus" and len(parts) > 1 and parts[1] != source:
                edges[source].add(parts[1])
    return edges


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of packages, if there is any (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_packages_depend_one_way() -> None:
    assert _cycle(_graph()) is None, " -> ".join(_cycle(_graph()) or [])


def test_a_cycle_would_be_found() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}}) is None


@pytest.mark.parametrize("view", VIEWS)
def test_views_never_import_a_store_or_sql(view: str) -> None:
    offending = [
        f"{path.relative_to(SRC)}: {name}"
        for path in sorted((SRC / view).rglob("*.py"))
        for name in _imports(path)
        if any(name == store or name.startswith(store + ".") for store in STORES)
    ]
    assert offending == []


def test_value_types_do_not_live_in_modules_holding_sql() -> None:
    """Types the views use come from type modules: a view importing one never pulls in a store."""
    for module in ("catalog/store.py", "evidence/store.py", "catalog/history_store.py", "sync/store.py"):
        tree = ast.parse((SRC / module).read_text(encoding="utf-8"))
        classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
        assert all(name.endswith(("Store", "Catalog", "Error")) or name.startswith("_") for name in classes), (
            module,
            classes,
        )
