"""Where the tests keep catalogs. `make test` runs the suite twice: on SQLite files, then with
VERSUS_TEST_DATABASE=postgresql on databases of a throwaway PostgreSQL cluster (tests/postgres.py).

Tests ask for a database through the `databases` fixture — `empty()` or `copy(source)` — and pass
what they get (a path or a URL) wherever a user would pass `--db`.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path

import pytest

from .postgres import Cluster

KIND = os.environ.get("VERSUS_TEST_DATABASE", "sqlite")
if KIND not in ("sqlite", "postgresql"):
    raise RuntimeError(f"VERSUS_TEST_DATABASE must be sqlite or postgresql, not {KIND!r}")
ON_POSTGRES = KIND == "postgresql"

sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="about the SQLite file itself (permissions, journal, bytes)")
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="runs in the PostgreSQL pass (VERSUS_TEST_DATABASE)")


class Databases:
    """New empty databases and copies, of the kind this pass runs on."""

    def __init__(self, folder: Path, cluster: Cluster | None = None) -> None:
        self.folder = folder
        self.cluster = cluster
        self._templates: dict[str, str] = {}  # a database → the unused original it was copied from

    def empty(self, name: str = "catalog") -> str:
        if self.cluster is None:
            return str(self.folder / f"{name}-{uuid.uuid4().hex[:8]}.sqlite")
        return self.cluster.create_database()

    def copy(self, source: str, name: str = "catalog") -> str:
        """A copy of `source` (a catalog with whatever it holds) that a test may change freely."""
        if self.cluster is None:
            target = self.empty(name)
            with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
                src.backup(dst)
            src.close()
            dst.close()
            return target
        template = self._templates.get(source, source)
        copied = self.cluster.create_database(template=template)
        self._templates[copied] = template
        return copied

    def freeze(self, built: str) -> str:
        """A copy of `built` for tests to read, keeping `built` itself untouched as the template for
        later copies (PostgreSQL copies a database only while nobody is connected to it)."""
        if self.cluster is None:
            return built
        from versus.catalog.database import dispose_engines

        dispose_engines()
        copied = self.cluster.create_database(template=built)
        self._templates[copied] = built
        return copied

    def rows(self, target: str, sql: str) -> list[tuple[object, ...]]:
        """Rows of one query, as tuples; none when the table does not exist yet."""
        from versus.catalog.database import MissingTable, open_database

        try:
            return [tuple(row.values()) for row in open_database(target).rows(sql)]
        except MissingTable:
            return []

    def execute(self, target: str, *statements: str) -> None:
        """Run statements in one transaction, the way another program editing the database would."""
        from sqlalchemy import create_engine, text

        from versus.catalog.database import open_database

        database = open_database(target)
        url = f"sqlite:///{target}" if self.cluster is None else database.url  # type: ignore[attr-defined]
        engine = create_engine(url)
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
        engine.dispose()

    def contents(self, target: str) -> bytes:
        """Every byte the database holds (the file, or a plain-text dump): for tests that look for leaks."""
        if self.cluster is None:
            return b"".join(p.read_bytes() for p in Path(target).parent.glob(Path(target).name + "*"))
        return self.cluster.dump(target).encode()
