"""The catalog database: every SQL statement about the catalog lives here.

Writes (migrations, the catalog swap) go through SQLAlchemy Core in real transactions. Reads of the
SQLite file use the standard library driver with plain SQL: importing SQLAlchemy alone costs ~0.2 s,
two thirds of the 0.3 s budget of `versus show`. A store reads one catalog generation, chosen at its
first read; `current_generation()` tells a long-lived reader when a rebuild has made another current.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from versus.catalog.database import Database, MissingTable, open_database
from versus.catalog.rows import (
    decimal_from_text,
    decimal_to_text,
    model_from_row,
    model_row,
    offering_from_row,
    offering_row,
    provider_from_row,
    provider_row,
)
from versus.catalog.types import (
    Model,
    ModelSummary,
    Offering,
    PriceTier,
    Provider,
    Resolution,
    RouteClass,
    RouteFlag,
    RouteFlagName,
    RouteKey,
    RouteKind,
    RoutePrice,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection, Table

    from versus.catalog.build import Catalog
    from versus.catalog.identity import Naming

KEPT_GENERATIONS = 2  # the current catalog and the one before it, for readers that started on it


class NoCatalog(LookupError):
    """The database holds no catalog yet."""


@dataclass(frozen=True)
class _KeyIndex:
    """Normalised name keys of one generation's models, both ways, and the keys in order."""

    keys_of: dict[str, tuple[str, ...]]
    by_key: dict[str, list[str]]
    sorted_keys: list[str]


class CatalogStore:
    """One catalog database (a SQLite file or PostgreSQL); reads see one generation of the catalog, whole."""

    def __init__(self, target: Database | Path | str, generation: int | None = None) -> None:
        self.db = target if isinstance(target, Database) else open_database(target)
        self.db.check_ownership()
        self.writable = self.db.writable
        self._generation = generation
        # Memoised reads: a store reads one generation, which never changes once committed.
        self._summaries: list[ModelSummary] | None = None
        self._route_keys: list[RouteKey] | None = None
        self._memo: dict[str, Any] = {}

    def _memoised(self, name: str, load: Callable[[], Any]) -> Any:
        if name not in self._memo:
            self._memo[name] = load()
        return self._memo[name]

    # --- writes (SQLAlchemy Core) -----------------------------------------------------------------

    def migrate(self) -> list[str]:
        """Apply the migrations this database has not seen; return their names."""
        from versus.catalog.migrations import MIGRATIONS, migrate

        if self._applied_migrations() >= {m.name for m in MIGRATIONS}:
            return []  # up to date: no need to load SQLAlchemy or take the write lock
        engine = self.db.engine()
        try:
            return migrate(engine, self.db)
        finally:
            self.db.dispose(engine)

    def _applied_migrations(self) -> set[str]:
        if not self.db.exists():
            return set()
        try:
            return {row["name"] for row in self.db.rows("SELECT name FROM versus_migrations")}
        except MissingTable:
            return set()

    @contextmanager
    def build_lock(self) -> Iterator[None]:
        """Held while building: concurrent first uses build once, the others wait and read."""
        with self.db.build_lock():
            yield

    def replace_catalog(
        self, catalog: Catalog, stamp: dict[str, str], serialised: dict[str, list[dict[str, Any]]] | None = None
    ) -> int:
        """Write `catalog` as a new generation and make it current, in one transaction: readers see the
        old catalog or the new one, whole, and a process killed midway leaves the old one. Returns the
        new generation. `stamp` records what the catalog was built from, to tell later whether it is current;
        `serialised` is `model_and_route_rows(catalog)` when the caller made them already.
        """
        from sqlalchemy import MetaData, delete, func, insert, select

        from versus.catalog.history_store import record_history
        from versus.catalog.schema import CATALOG_TABLES, catalog_tables, state_tables

        self.migrate()
        metadata = MetaData()
        catalog_tables(metadata)
        state_tables(metadata)
        t = metadata.tables
        generations = t["catalog_generations"]
        contents = _catalog_rows(catalog, stamp, serialised)  # before the write lock is taken
        engine = self.db.engine()
        try:
            with engine.begin() as conn:
                previous = conn.execute(select(func.max(generations.c.id))).scalar()
                record_history(conn, dict(t), catalog, previous)
                built_at = datetime.now(UTC).isoformat(timespec="seconds")
                inserted = conn.execute(insert(generations).values(built_at=built_at))
                g = int(inserted.inserted_primary_key[0])  # type: ignore[index]
                for name, rows in contents.items():
                    if rows:
                        _insert_many(conn, t[name], [{"generation": g, **row} for row in rows])
                newest = select(generations.c.id).order_by(generations.c.id.desc()).limit(KEPT_GENERATIONS)
                kept = [row[0] for row in conn.execute(newest)]
                for name in CATALOG_TABLES:
                    conn.execute(delete(t[name]).where(t[name].c.generation.not_in(kept)))
                conn.execute(delete(generations).where(generations.c.id.not_in(kept)))
        finally:
            self.db.dispose(engine)
        self.db.after_write()
        self._generation, self._summaries, self._route_keys, self._memo = g, None, None, {}
        return g

    # --- reads (the standard library driver on SQLite) ----------------------------------------------

    @property
    def location(self) -> str:
        return self.db.location

    def current_generation(self) -> int | None:
        """The newest committed catalog generation in the database, or None when none was built."""
        if not self.db.exists():
            return None
        try:
            rows = self.db.rows("SELECT MAX(id) AS g FROM catalog_generations")
        except MissingTable:  # a new database, or one from before generations
            return None
        return rows[0]["g"] if rows else None

    def change_token(self) -> tuple[int | None, int | None]:
        """(newest catalog generation, newest local evidence row): what a long-lived reader compares to
        know that a rebuild or a run changed the database."""
        if not self.db.exists():
            return (None, None)
        with self.db.reading() as read:
            try:
                generation = read("SELECT MAX(id) AS g FROM catalog_generations", {})[0]["g"]
            except MissingTable:
                generation = None
            try:
                evidence = read("SELECT MAX(id) AS e FROM evidence_results", {})[0]["e"]
            except MissingTable:
                evidence = None
        return (generation, evidence)

    @property
    def generation(self) -> int:
        """The generation this store reads (the current one at its first read)."""
        if self._generation is None:
            current = self.current_generation()
            if current is None:
                raise NoCatalog(f"{self.location} holds no catalog yet")
            self._generation = current
        return self._generation

    def _rows(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        params["g"] = self.generation
        return self.db.rows(sql, params)

    def meta(self) -> dict[str, str] | None:
        """The build record of the catalog this store reads, or None when no catalog has been built."""
        try:
            return {
                r["key"]: r["value"] for r in self._rows("SELECT key, value FROM catalog_meta WHERE generation = :g")
            }
        except NoCatalog:
            return None

    def built_meta(self) -> dict[str, str]:
        """meta() of a built catalog, memoised."""
        result: dict[str, str] = self._memoised("meta", lambda: self.meta() or {})
        return result

    def naming(self) -> Naming:
        """The id normalisation rules the catalog was built with."""
        from versus.catalog.identity import Naming

        raw = json.loads(self.built_meta().get("naming", '{"creators": {}, "name_prefixes": {}}'))
        return Naming(raw["creators"], raw["name_prefixes"])

    def tag_rules(self) -> dict[str, Any]:
        """data/tags.yaml as validated when the catalog was built."""
        raw: dict[str, Any] = json.loads(self.built_meta().get("tag_rules", '{"tags": [], "best_for": []}'))
        return raw

    def model(self, model_id: str) -> Model | None:
        rows = self._rows("SELECT * FROM models WHERE generation = :g AND id = :id", id=model_id)
        return model_from_row(rows[0]) if rows else None

    def models(self) -> list[Model]:
        """Every model, whole (for reports over the catalog)."""
        return [model_from_row(r) for r in self._rows("SELECT * FROM models WHERE generation = :g ORDER BY id")]

    def summaries(self) -> list[ModelSummary]:
        """Every model, lightly (memoised: lookups and listings ask more than once per command)."""
        if self._summaries is None:
            rows = self._rows(
                "SELECT m.id, m.name, m.creator, m.family, m.context_window, COALESCE(r.n, 0) AS n, m.capabilities, "
                "m.match_keys FROM models m LEFT JOIN (SELECT model_id, COUNT(*) AS n FROM offerings "
                "WHERE generation = :g GROUP BY model_id) r ON r.model_id = m.id WHERE m.generation = :g ORDER BY m.id"
            )
            self._summaries = [
                ModelSummary(
                    r["id"],
                    r["name"],
                    r["creator"],
                    r["family"],
                    r["context_window"],
                    r["n"],
                    r["capabilities"],
                    tuple(r["match_keys"].split()),
                )
                for r in rows
            ]
        return self._summaries

    def offerings(
        self, model_id: str | None = None, provider_id: str | None = None, *, models: Sequence[str] | None = None
    ) -> list[Offering]:
        """Routes of one model, of one provider, of the given `models`, or every route."""
        where, params = _among("model_id", models)
        if model_id is not None:
            where.append("model_id = :m")
            params["m"] = model_id
        if provider_id is not None:
            where.append("provider_id = :p")
            params["p"] = provider_id
        # Sorted here, not by ORDER BY: with it, SQLite walks the whole generation in key order rather
        # than use the model index (~10 ms a model). Code-point order, as SQLite and PostgreSQL's "C" sort.
        rows = self._rows(f"SELECT * FROM offerings WHERE {' AND '.join(where)}", **params)
        rows.sort(key=lambda r: (r["model_id"], r["provider_id"], r["provider_model_id"]))
        return [offering_from_row(r) for r in rows]

    # --- name look-ups (versus.catalog.lookup.ModelIndex) -------------------------------------------

    _ROUTES_OF = "(SELECT COUNT(*) FROM offerings o WHERE o.generation = :g AND o.model_id = m.id)"

    def _pairs(self, sql: str, **params: Any) -> list[tuple[str, int]]:
        return [(r["id"], r["n"]) for r in self._rows(sql, **params)]

    def models_by_id(self, text: str) -> list[tuple[str, int]]:
        sql = f"SELECT m.id, {self._ROUTES_OF} AS n FROM models m WHERE m.generation = :g AND lower(m.id) = lower(:t)"
        return self._pairs(sql, t=text)

    def models_served_as(self, provider_model_id: str) -> list[tuple[str, int]]:
        sql = (
            f"SELECT m.id, {self._ROUTES_OF} AS n FROM models m WHERE m.generation = :g AND m.id IN "
            "(SELECT model_id FROM offerings WHERE generation = :g AND lower(provider_model_id) = lower(:t))"
        )
        return self._pairs(sql, t=provider_model_id)

    def _key_index(self) -> _KeyIndex:
        """Every model's normalised name keys, read once in one light query: key look-ups and prefix
        look-ups then run in memory (a `LIKE` over every model's keys cost ~6 ms per name)."""

        def read() -> _KeyIndex:
            keys_of = {
                r["model_id"]: tuple(r["match_keys"].split())
                for r in self._rows("SELECT model_id, match_keys FROM model_briefs WHERE generation = :g")
            }
            by_key: dict[str, list[str]] = {}
            for model_id, keys in keys_of.items():
                for key in keys:
                    by_key.setdefault(key, []).append(model_id)
            return _KeyIndex(keys_of, by_key, sorted(by_key))

        index: _KeyIndex = self._memoised("key_index", read)
        return index

    def _route_counts(self, model_ids: set[str]) -> list[tuple[str, int]]:
        if not model_ids:
            return []
        params = {f"i{n}": model_id for n, model_id in enumerate(sorted(model_ids))}
        marks = ", ".join(f":{name}" for name in params)
        return self._pairs(
            f"SELECT m.id, {self._ROUTES_OF} AS n FROM models m WHERE m.generation = :g AND m.id IN ({marks})", **params
        )

    def models_with_key(self, key: str) -> list[tuple[str, int]]:
        found = set(self._key_index().by_key.get(key, ()))
        rows = self._rows("SELECT model_id FROM offerings WHERE generation = :g AND match_key = :k", k=key)
        return self._route_counts(found | {r["model_id"] for r in rows})

    def models_with_key_prefix(self, key: str) -> list[tuple[str, int, tuple[str, ...]]]:
        index = self._key_index()
        found: set[str] = set()
        for candidate in index.sorted_keys[bisect_left(index.sorted_keys, key) :]:
            if not candidate.startswith(key):
                break
            found.update(index.by_key[candidate])
        return [(model_id, n, index.keys_of[model_id]) for model_id, n in self._route_counts(found)]

    def route_keys(self) -> list[RouteKey]:
        if self._route_keys is None:
            rows = self._rows(
                "SELECT provider_id, provider_model_id, match_key, model_id, route_class FROM offerings "
                "WHERE generation = :g"
            )
            self._route_keys = [
                RouteKey(r["provider_id"], r["provider_model_id"], r["match_key"], r["model_id"], r["route_class"])
                for r in rows
            ]
        return self._route_keys

    def pay_per_token_route_counts(self) -> dict[str, int]:
        rows = self._rows(
            "SELECT model_id, COUNT(*) AS n FROM offerings WHERE generation = :g AND kind = 'pay-per-token' "
            "GROUP BY model_id"
        )
        return {r["model_id"]: r["n"] for r in rows}

    def related_candidates(self) -> list[tuple[str, str, str | None, str, Decimal | None]]:
        """(id, name, family, providers with a pay-per-token route, cheapest known output) per model."""
        rows: list[tuple[str, str, str | None, str, Decimal | None]] = self._memoised(
            "candidates", self._related_candidates
        )
        return rows

    def _related_candidates(self) -> list[tuple[str, str, str | None, str, Decimal | None]]:
        rows = self._rows(
            "SELECT model_id, name, family, providers, cheapest_output FROM model_briefs WHERE generation = :g"
        )
        return [
            (r["model_id"], r["name"], r["family"], r["providers"], decimal_from_text(r["cheapest_output"]))
            for r in rows
        ]

    def providers(self) -> list[tuple[Provider, int]]:
        result: list[tuple[Provider, int]] = self._memoised("providers", self._providers)
        return result

    def _providers(self) -> list[tuple[Provider, int]]:
        rows = self._rows(
            "SELECT p.*, (SELECT COUNT(*) FROM offerings o WHERE o.generation = :g AND o.provider_id = p.id) "
            "AS routes FROM providers p WHERE p.generation = :g ORDER BY p.id"
        )
        return [(provider_from_row(r), r["routes"]) for r in rows]

    def source_errors(self) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT source, record_id, message FROM source_errors WHERE generation = :g ORDER BY source, record_id"
        )

    # --- benchmark results (rows; versus.analysis.benchmarks makes them values) ---------------------

    def benchmark_results(
        self,
        model_ids: Sequence[str] | None = None,
        benchmark: str | None = None,
        source: str | None = None,
        category: str | None = None,
    ) -> list[dict[str, Any]]:
        """Matched leaderboard results: of these models, of one benchmark (from one source, in one
        category), or all."""
        where, params = _among("model_id", model_ids)
        for column, value in (("benchmark", benchmark), ("source", source), ("category", category)):
            if value is not None:
                where.append(f"{column} = :{column}")
                params[column] = value
        sql = f"SELECT * FROM benchmark_results WHERE {' AND '.join(where)} ORDER BY model_id, source, benchmark"
        return self._rows(sql, **params)

    def benchmark_ids(self) -> list[str]:
        """Every benchmark with a matched result."""
        rows = self._rows("SELECT DISTINCT benchmark FROM benchmark_results WHERE generation = :g ORDER BY benchmark")
        return [r["benchmark"] for r in rows]

    def benchmark_scopes(self, benchmark: str) -> list[tuple[str, str]]:
        """(source, category) pairs one benchmark has results in."""
        rows = self._rows(
            "SELECT DISTINCT source, category FROM benchmark_results WHERE generation = :g AND benchmark = :b",
            b=benchmark,
        )
        return [(r["source"], r["category"]) for r in rows]

    def benchmark_unmatched(self) -> list[dict[str, Any]]:
        """Leaderboard names no catalog model matched, with why."""
        return self._rows(
            "SELECT source, model_name, reason FROM benchmark_unmatched WHERE generation = :g "
            "ORDER BY source, model_name"
        )

    # --- light reads for ranking the whole catalog (versus pick, versus leaderboard) ----------------

    def model_traits(self, model_ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Each model's id, name, context window, capabilities, openness and license (all models, or
        these): what a constraint reads, without the provenance that makes `models()` slow."""
        where, params = _among("id", model_ids)
        return self._rows(
            "SELECT id, name, context_window, capabilities, openness, license FROM models "
            f"WHERE {' AND '.join(where)} ORDER BY id",
            **params,
        )

    def pricing_routes(self, model_ids: Sequence[str] | None = None) -> list[Offering]:
        """Priced pay-per-token routes (of all models, or these) with their prices, class and flags, but
        without provenance, conflicts, capabilities or attributes: enough to price each model on its
        basis route, several times faster than `offerings()`."""
        where, params = _among("model_id", model_ids)
        where.append("kind = 'pay-per-token' AND (price_input IS NOT NULL OR price_output IS NOT NULL)")
        return self._light_routes(where, params)

    def route_listing(self) -> list[Offering]:
        """Every route as a listing shows it (prices, class, flags, context window), read as lightly as
        `pricing_routes()`."""
        return self._light_routes(*_among("model_id", None))

    def _light_routes(self, where: list[str], params: dict[str, Any]) -> list[Offering]:
        rows = self._rows(
            "SELECT provider_id, provider_model_id, model_id, kind, price_input, price_output, price_cache_read, "
            "price_cache_write, price_extra, route_class, flags, context_window FROM offerings "
            f"WHERE {' AND '.join(where)} ORDER BY model_id, provider_id, provider_model_id",
            **params,
        )
        return [_light_offering(r) for r in rows]


def _insert_many(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows of plain values into `table`. On SQLite in one driver-level executemany: SQLAlchemy's
    per-row parameter processing, which these strings and numbers do not need, was a tenth of a
    rebuild. PostgreSQL keeps SQLAlchemy's batched multi-row INSERTs."""
    from sqlalchemy import insert

    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    columns = list(rows[0])
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
    conn.exec_driver_sql(sql, rows)


def model_and_route_rows(catalog: Catalog) -> dict[str, list[dict[str, Any]]]:
    """The catalog's models and routes as rows: most of the time of writing a catalog (~0.3 s)."""
    return {
        "models": [{**model_row(m), "match_keys": " ".join(catalog.model_keys[m.id])} for m in catalog.models.values()],
        "offerings": [
            offering_row(o, catalog.match_keys[(o.provider_id, o.provider_model_id)]) for o in catalog.offerings
        ],
    }


def _catalog_rows(
    catalog: Catalog, stamp: dict[str, str], serialised: dict[str, list[dict[str, Any]]] | None
) -> dict[str, list[dict[str, Any]]]:
    meta = {
        **stamp,
        "built_on": catalog.built_on.isoformat(),
        "naming": json.dumps(catalog.naming.__dict__),
        "tag_rules": json.dumps(catalog.tag_rules),
    }
    return {
        "catalog_meta": [{"key": k, "value": v} for k, v in meta.items()],
        "providers": [provider_row(p) for p in catalog.providers.values()],
        **(serialised or model_and_route_rows(catalog)),
        "source_errors": [{"source": e.source, "record_id": e.record_id, "message": e.message} for e in catalog.errors],
        "benchmark_results": catalog.benchmarks.rows if catalog.benchmarks else [],
        "benchmark_unmatched": catalog.benchmarks.unmatched if catalog.benchmarks else [],
        "model_briefs": _brief_rows(catalog),
    }


def _brief_rows(catalog: Catalog) -> list[dict[str, Any]]:
    """Per model, its name keys, pay-per-token providers and cheapest output price (compared as Decimal,
    never as a float): what name look-ups and related comparisons read."""
    providers: dict[str, set[str]] = {}
    cheapest: dict[str, Decimal] = {}
    for o in catalog.offerings:
        if o.kind != RouteKind.PAY_PER_TOKEN:
            continue
        providers.setdefault(o.model_id, set()).add(o.provider_id)
        price = o.price.output
        if price is not None and (o.model_id not in cheapest or price < cheapest[o.model_id]):
            cheapest[o.model_id] = price
    return [
        {
            "model_id": m.id,
            "name": m.name,
            "family": m.family,
            "match_keys": " ".join(catalog.model_keys[m.id]),
            "providers": ",".join(sorted(providers.get(m.id, ()))),
            "cheapest_output": decimal_to_text(cheapest.get(m.id)),
        }
        for m in catalog.models.values()
    ]


def _among(column: str, values: Sequence[str] | None) -> tuple[list[str], dict[str, Any]]:
    """WHERE terms for this generation and, when `values` is given, `column` among them (bound, never
    spliced in)."""
    if values is None:
        return ["generation = :g"], {}
    names = [f"v{i}" for i in range(len(values))]
    placeholders = ", ".join(f":{n}" for n in names) or "NULL"
    return ["generation = :g", f"{column} IN ({placeholders})"], dict(zip(names, values, strict=True))


# What most routes store as `price_extra` (rows.offering_row): no tiers, no batch prices.
_NO_EXTRA_TEXT = '{"batch_cache_read": null, "batch_input": null, "batch_output": null, "note": null, "tiers": []}'
_NO_EXTRA: dict[str, Any] = json.loads(_NO_EXTRA_TEXT)


def _light_offering(r: dict[str, Any]) -> Offering:
    extra = _NO_EXTRA if r["price_extra"] == _NO_EXTRA_TEXT else json.loads(r["price_extra"])
    prices = ("input", "output", "cache_read", "cache_write")
    tiers = tuple(PriceTier(t["above_tokens"], *(decimal_from_text(t[k]) for k in prices)) for t in extra["tiers"])
    price = RoutePrice(
        decimal_from_text(r["price_input"]),
        decimal_from_text(r["price_output"]),
        decimal_from_text(r["price_cache_read"]),
        decimal_from_text(r["price_cache_write"]),
        tiers=tiers,
        batch_input=decimal_from_text(extra["batch_input"]),
        batch_output=decimal_from_text(extra["batch_output"]),
        batch_cache_read=decimal_from_text(extra["batch_cache_read"]),
    )
    flags = (
        ()
        if r["flags"] == "[]"
        else tuple(RouteFlag(RouteFlagName(f["flag"]), f["reason"]) for f in json.loads(r["flags"]))
    )
    return Offering(
        provider_id=r["provider_id"],
        provider_model_id=r["provider_model_id"],
        model_id=r["model_id"],
        kind=RouteKind(r["kind"]),
        price=price,
        resolution=Resolution(r["model_id"], 1.0, "read lightly: prices, class, flags, context"),
        context_window=r["context_window"],
        route_class=RouteClass(r["route_class"]),
        flags=flags,
    )
