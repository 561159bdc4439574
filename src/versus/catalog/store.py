"""The catalog database: every SQL statement of the project lives here.

Schema changes are ordered, recorded migrations run through SQLAlchemy Core, and so is every
write. Reads of the SQLite file use the standard library driver with plain SQL: importing
SQLAlchemy alone costs ~0.2 s, two thirds of the 0.3 s budget of `versus show`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from versus.catalog.identity import Naming
from versus.catalog.rows import (
    model_from_row,
    model_row,
    offering_from_row,
    offering_row,
    provider_from_row,
    provider_row,
)
from versus.catalog.types import Model, Offering, Provider

if TYPE_CHECKING:
    from sqlalchemy import Connection, MetaData

    from versus.catalog.build import Catalog


@dataclass(frozen=True)
class ModelSummary:
    """What listing, searching and resolving names need about a model, without its details."""

    id: str
    name: str
    creator: str
    family: str | None
    context_window: int | None
    routes: int
    capabilities_json: str
    keys: tuple[str, ...]

    @cached_property
    def capabilities(self) -> dict[str, bool | None]:
        parsed: dict[str, bool | None] = json.loads(self.capabilities_json)
        return parsed


@dataclass(frozen=True)
class RouteKey:
    provider_id: str
    provider_model_id: str
    match_key: str
    model_id: str


# --- schema and migrations ------------------------------------------------------------------------


def _catalog_tables(metadata: MetaData) -> None:
    from sqlalchemy import Column, Float, Index, Integer, String, Table, Text

    Table("meta", metadata, Column("key", String, primary_key=True), Column("value", Text, nullable=False))
    Table(
        "providers",
        metadata,
        Column("id", String, primary_key=True),
        *(Column(c, Text) for c in ("name", "kind", "route_kind", "docs_url", "api_base_url", "api_key_env")),
        Column("source_ids", Text, nullable=False),
    )
    Table(
        "models",
        metadata,
        Column("id", String, primary_key=True),
        Column("name", Text, nullable=False),
        Column("creator", Text, nullable=False),
        Column("creator_name", Text),
        Column("family", Text),
        Column("release_date", Text),
        Column("knowledge_cutoff", Text),
        Column("context_window", Integer),
        Column("max_output", Integer),
        *(Column(c, Text) for c in ("parameters_total_b", "parameters_active_b", "architecture", "license")),
        *(Column(c, Text) for c in ("openness", "commercial_use", "commercial_use_note")),
        *(Column(c, Text, nullable=False) for c in ("input_modalities", "output_modalities", "capabilities")),
        *(Column(c, Text, nullable=False) for c in ("facts", "conflicts", "aliases")),
        Column("match_keys", Text, nullable=False),
    )
    offerings = Table(
        "offerings",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("model_id", String, nullable=False),
        Column("provider_id", String, nullable=False),
        Column("provider_model_id", Text, nullable=False),
        Column("match_key", Text, nullable=False),
        Column("kind", Text, nullable=False),
        Column("kind_reason", Text),
        *(Column(f"price_{c}", Text) for c in ("input", "output", "cache_read", "cache_write")),
        Column("price_extra", Text, nullable=False),
        Column("price_provenance", Text),
        Column("confidence", Float, nullable=False),
        Column("reason", Text, nullable=False),
        Column("name", Text),
        Column("context_window", Integer),
        Column("max_output", Integer),
        *(Column(c, Text, nullable=False) for c in ("capabilities", "attributes", "provenance", "conflicts")),
    )
    Index("offerings_model", offerings.c.model_id)
    Index("offerings_provider", offerings.c.provider_id)
    Table(
        "source_errors",
        metadata,
        Column("source", Text, nullable=False),
        Column("record_id", Text, nullable=False),
        Column("message", Text, nullable=False),
    )


def _migration_1_catalog(conn: Connection) -> None:
    from sqlalchemy import MetaData

    metadata = MetaData()
    _catalog_tables(metadata)
    metadata.create_all(conn)


def _migration_2_evidence(conn: Connection) -> None:
    from sqlalchemy import MetaData

    from versus.evidence.store import evidence_tables

    metadata = MetaData()
    evidence_tables(metadata)
    metadata.create_all(conn)


# Ordered; each runs once per database and is recorded in the `migrations` table.
MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("catalog tables", _migration_1_catalog),
    ("local evidence tables", _migration_2_evidence),
]

CATALOG_TABLES = ("meta", "providers", "models", "offerings", "source_errors")


class CatalogStore:
    """One catalog database file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Memoised reads: a store lives for one command or one server's catalog version, and the
        # catalog only changes by replace_catalog, which clears them.
        self._summaries: list[ModelSummary] | None = None
        self._route_keys: list[RouteKey] | None = None
        self._memo: dict[str, Any] = {}

    def _memoised(self, name: str, load: Callable[[], Any]) -> Any:
        if name not in self._memo:
            self._memo[name] = load()
        return self._memo[name]

    # --- writes (SQLAlchemy Core) -----------------------------------------------------------------

    def _engine(self) -> Any:
        from sqlalchemy import create_engine, event

        self.path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(f"sqlite:///{self.path}")

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA journal_mode=WAL")

        return engine

    def migrate(self) -> list[str]:
        """Apply the migrations this database has not seen; return their names."""
        from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select

        metadata = MetaData()
        record = Table(
            "migrations",
            metadata,
            Column("id", Integer, primary_key=True),
            Column("name", String, nullable=False),
        )
        applied: list[str] = []
        engine = self._engine()
        with engine.begin() as conn:
            metadata.create_all(conn)
            done = {row.id for row in conn.execute(select(record.c.id))}
            for number, (name, migration) in enumerate(MIGRATIONS, start=1):
                if number not in done:
                    migration(conn)
                    conn.execute(insert(record).values(id=number, name=name))
                    applied.append(name)
        engine.dispose()
        return applied

    def replace_catalog(self, catalog: Catalog, stamp: dict[str, str]) -> None:
        """Swap in a new catalog in one transaction: readers see the old one or the new one, whole.

        `stamp` records what the catalog was built from, to tell later whether it is current.
        """
        from sqlalchemy import MetaData, insert

        self.migrate()
        metadata = MetaData()
        _catalog_tables(metadata)
        t = metadata.tables
        meta = {
            **stamp,
            "built_on": catalog.built_on.isoformat(),
            "naming": json.dumps(catalog.naming.__dict__),
            "tag_rules": json.dumps(catalog.tag_rules),
        }
        self._summaries, self._route_keys, self._memo = None, None, {}
        engine = self._engine()
        with engine.begin() as conn:
            # Catalog tables hold derived data: recreated whole, so a new catalog format needs no migration.
            tables = [t[name] for name in CATALOG_TABLES]
            metadata.drop_all(conn, tables=tables)
            metadata.create_all(conn, tables=tables)
            conn.execute(insert(t["meta"]), [{"key": k, "value": v} for k, v in meta.items()])
            conn.execute(insert(t["providers"]), [provider_row(p) for p in catalog.providers.values()])
            conn.execute(
                insert(t["models"]),
                [{**model_row(m), "match_keys": " ".join(catalog.model_keys[m.id])} for m in catalog.models.values()],
            )
            conn.execute(
                insert(t["offerings"]),
                [offering_row(o, catalog.match_keys[(o.provider_id, o.provider_model_id)]) for o in catalog.offerings],
            )
            if catalog.errors:
                conn.execute(
                    insert(t["source_errors"]),
                    [{"source": e.source, "record_id": e.record_id, "message": e.message} for e in catalog.errors],
                )
        engine.dispose()

    # --- reads (standard library driver) ----------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            yield conn
        finally:
            conn.close()

    def _rows(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        with self._read() as conn:
            return [dict(row) for row in conn.execute(sql, params)]

    def meta(self) -> dict[str, str] | None:
        """The catalog's build record, or None when no catalog has been built here."""
        if not self.path.exists():
            return None
        try:
            return {r["key"]: r["value"] for r in self._rows("SELECT key, value FROM meta")}
        except sqlite3.DatabaseError:
            return None

    def built_meta(self) -> dict[str, str]:
        """meta() of a built catalog, memoised."""
        result: dict[str, str] = self._memoised("meta", lambda: self.meta() or {})
        return result

    def naming(self) -> Naming:
        """The id normalisation rules the catalog was built with."""
        raw = json.loads(self.built_meta().get("naming", '{"creators": {}, "name_prefixes": {}}'))
        return Naming(raw["creators"], raw["name_prefixes"])

    def tag_rules(self) -> dict[str, Any]:
        """data/tags.yaml as validated when the catalog was built."""
        raw: dict[str, Any] = json.loads(self.built_meta().get("tag_rules", '{"tags": [], "best_for": []}'))
        return raw

    def model(self, model_id: str) -> Model | None:
        rows = self._rows("SELECT * FROM models WHERE id = :id", id=model_id)
        return model_from_row(rows[0]) if rows else None

    def summaries(self) -> list[ModelSummary]:
        """Every model, lightly (memoised: lookups and listings ask more than once per command)."""
        if self._summaries is None:
            with self._read() as conn:
                rows = conn.execute(
                    "SELECT m.id, m.name, m.creator, m.family, m.context_window, COALESCE(r.n, 0), m.capabilities, "
                    "m.match_keys FROM models m LEFT JOIN (SELECT model_id, COUNT(*) AS n FROM offerings "
                    "GROUP BY model_id) r ON r.model_id = m.id ORDER BY m.id"
                ).fetchall()
            self._summaries = [
                ModelSummary(r[0], r[1], r[2], r[3], r[4], r[5], r[6], tuple(r[7].split())) for r in rows
            ]
        return self._summaries

    def offerings(self, model_id: str | None = None, provider_id: str | None = None) -> list[Offering]:
        sql = "SELECT * FROM offerings WHERE (:m IS NULL OR model_id = :m) AND (:p IS NULL OR provider_id = :p)"
        rows = self._rows(sql + " ORDER BY model_id, provider_id, provider_model_id", m=model_id, p=provider_id)
        return [offering_from_row(r) for r in rows]

    # --- name look-ups (versus.catalog.lookup.ModelIndex) -------------------------------------------

    _ROUTES_OF = "(SELECT COUNT(*) FROM offerings o WHERE o.model_id = m.id)"

    def models_by_id(self, text: str) -> list[tuple[str, int]]:
        sql = f"SELECT m.id, {self._ROUTES_OF} FROM models m WHERE m.id = :t COLLATE NOCASE"
        with self._read() as conn:
            return list(conn.execute(sql, {"t": text}))

    def models_served_as(self, provider_model_id: str) -> list[tuple[str, int]]:
        sql = (
            f"SELECT m.id, {self._ROUTES_OF} FROM models m WHERE m.id IN "
            "(SELECT model_id FROM offerings WHERE provider_model_id = :t COLLATE NOCASE)"
        )
        with self._read() as conn:
            return list(conn.execute(sql, {"t": provider_model_id}))

    def models_with_key(self, key: str) -> list[tuple[str, int]]:
        sql = (
            f"SELECT m.id, {self._ROUTES_OF} FROM models m WHERE (' ' || m.match_keys || ' ') LIKE :like "
            "OR m.id IN (SELECT model_id FROM offerings WHERE match_key = :k)"
        )
        with self._read() as conn:
            return list(conn.execute(sql, {"like": f"% {key} %", "k": key}))

    def models_with_key_prefix(self, key: str) -> list[tuple[str, int, tuple[str, ...]]]:
        sql = f"SELECT m.id, {self._ROUTES_OF}, m.match_keys FROM models m WHERE (' ' || m.match_keys) LIKE :like"
        with self._read() as conn:
            rows = conn.execute(sql, {"like": f"% {key}%"}).fetchall()
        return [(r[0], r[1], tuple(r[2].split())) for r in rows]

    def route_keys(self) -> list[RouteKey]:
        if self._route_keys is None:
            with self._read() as conn:
                rows = conn.execute("SELECT provider_id, provider_model_id, match_key, model_id FROM offerings")
                self._route_keys = [RouteKey(*r) for r in rows]
        return self._route_keys

    def pay_per_token_route_counts(self) -> dict[str, int]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT model_id, COUNT(*) FROM offerings WHERE kind = 'pay-per-token' GROUP BY model_id"
            )
            return dict(rows)

    def related_candidates(self) -> list[tuple[str, str, str | None, str, float | None]]:
        """(id, name, family, providers with a pay-per-token route, cheapest known output) per model."""
        rows: list[tuple[str, str, str | None, str, float | None]] = self._memoised(
            "candidates", self._related_candidates
        )
        return rows

    def _related_candidates(self) -> list[tuple[str, str, str | None, str, float | None]]:
        sql = (
            "SELECT m.id, m.name, m.family, COALESCE(r.providers, ''), r.cheapest FROM models m LEFT JOIN "
            "(SELECT model_id, group_concat(DISTINCT provider_id) AS providers, "
            "MIN(CAST(price_output AS REAL)) AS cheapest FROM offerings WHERE kind = 'pay-per-token' "
            "GROUP BY model_id) r ON r.model_id = m.id"
        )
        with self._read() as conn:
            return list(conn.execute(sql))

    def providers(self) -> list[tuple[Provider, int]]:
        result: list[tuple[Provider, int]] = self._memoised("providers", self._providers)
        return result

    def _providers(self) -> list[tuple[Provider, int]]:
        rows = self._rows(
            "SELECT p.*, (SELECT COUNT(*) FROM offerings o WHERE o.provider_id = p.id) AS routes "
            "FROM providers p ORDER BY p.id"
        )
        return [(provider_from_row(r), r["routes"]) for r in rows]

    def source_errors(self) -> list[dict[str, Any]]:
        return self._rows("SELECT source, record_id, message FROM source_errors ORDER BY source, record_id")
