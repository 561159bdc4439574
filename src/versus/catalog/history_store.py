"""Price history and catalog changes in the catalog database: written with each catalog swap, read by
`versus history` and `versus changes`. Every SQL statement about them lives here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from versus.catalog.database import Database, MissingTable, open_database
from versus.catalog.rows import decimal_from_text, decimal_to_text
from versus.catalog.types import ChangeRow, PriceInterval

if TYPE_CHECKING:
    from sqlalchemy import Connection, Table

    from versus.catalog.build import Catalog


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def record_history(
    conn: Connection, tables: dict[str, Table], catalog: Catalog, previous_generation: int | None
) -> int:
    """Close and open price intervals and record changes for `catalog`, inside the swap's transaction.
    Returns how many changes were recorded."""
    from sqlalchemy import insert, select, update

    from versus.catalog.history import OpenInterval, plan_history

    history, changes = tables["price_history"], tables["catalog_changes"]
    open_intervals = {
        (r.provider_id, r.provider_model_id, r.source): OpenInterval(
            r.id,
            (
                decimal_from_text(r.input),
                decimal_from_text(r.output),
                decimal_from_text(r.cache_read),
                decimal_from_text(r.cache_write),
            ),
            _day(r.valid_from),
        )
        for r in conn.execute(select(history).where(history.c.valid_to.is_(None)))
    }
    keys = select(history.c.provider_id, history.c.provider_model_id, history.c.source).distinct()
    seen = frozenset((r[0], r[1], r[2]) for r in conn.execute(keys))
    previous = _previous_catalog(conn, tables, previous_generation) if previous_generation is not None else None
    plan = plan_history(
        catalog.route_prices,
        catalog.offerings,
        open_intervals,
        seen,
        frozenset(catalog.sources),
        previous,
        catalog.built_on,
    )
    for interval_id, valid_to in plan.close:
        conn.execute(update(history).where(history.c.id == interval_id).values(valid_to=valid_to.isoformat()))
    if plan.add:
        conn.execute(
            insert(history),
            [
                {
                    "source": i.source,
                    "provider_id": i.provider_id,
                    "provider_model_id": i.provider_model_id,
                    "model_id": i.model_id,
                    "input": decimal_to_text(i.prices[0]),
                    "output": decimal_to_text(i.prices[1]),
                    "cache_read": decimal_to_text(i.prices[2]),
                    "cache_write": decimal_to_text(i.prices[3]),
                    "valid_from": i.valid_from.isoformat() if i.valid_from else None,
                    "valid_to": i.valid_to.isoformat() if i.valid_to else None,
                    "snapshot": i.snapshot,
                }
                for i in plan.add
            ],
        )
    if plan.changes:
        conn.execute(
            insert(changes),
            [
                {
                    "kind": c.kind,
                    "model_id": c.model_id,
                    "date": c.date.isoformat(),
                    "source": c.source,
                    "provider_id": c.provider_id,
                    "provider_model_id": c.provider_model_id,
                    "old_input": decimal_to_text(c.old[0]) if c.old else None,
                    "old_output": decimal_to_text(c.old[1]) if c.old else None,
                    "new_input": decimal_to_text(c.new[0]) if c.new else None,
                    "new_output": decimal_to_text(c.new[1]) if c.new else None,
                }
                for c in plan.changes
            ],
        )
    return len(plan.changes)


def _previous_catalog(conn: Connection, tables: dict[str, Table], generation: int) -> Any:
    from sqlalchemy import select

    from versus.catalog.history import PreviousCatalog

    models, offerings = tables["models"], tables["offerings"]
    model_ids = frozenset(r[0] for r in conn.execute(select(models.c.id).where(models.c.generation == generation)))
    query = select(
        offerings.c.provider_id,
        offerings.c.provider_model_id,
        offerings.c.model_id,
        offerings.c.price_input,
        offerings.c.price_output,
        offerings.c.price_cache_read,
        offerings.c.price_cache_write,
    ).where(offerings.c.generation == generation)
    routes = {
        (r[0], r[1]): (
            r[2],
            (decimal_from_text(r[3]), decimal_from_text(r[4]), decimal_from_text(r[5]), decimal_from_text(r[6])),
        )
        for r in conn.execute(query)
    }
    return PreviousCatalog(model_ids, routes)


_BATCH = 400  # bound parameters per statement, well under SQLite's limit


def _interval(r: dict[str, Any]) -> PriceInterval:
    return PriceInterval(
        r["provider_id"],
        r["provider_model_id"],
        r["model_id"],
        decimal_from_text(r["input"]),
        decimal_from_text(r["output"]),
        decimal_from_text(r["cache_read"]),
        decimal_from_text(r["cache_write"]),
        _day(r["valid_from"]),
        _day(r["valid_to"]),
        r["source"],
        r["snapshot"],
    )


class HistoryStore:
    """Reads of price history and changes (written by CatalogStore.replace_catalog)."""

    def __init__(self, target: Database | Path | str) -> None:
        self.db = target if isinstance(target, Database) else open_database(target)

    def _rows(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if not self.db.exists():
            return []
        try:
            return self.db.rows(sql, params)
        except MissingTable:  # no history tables yet
            return []

    def intervals(self, routes: Sequence[tuple[str, str]], model_id: str) -> list[PriceInterval]:
        """Every recorded price of these routes, or recorded under this model, oldest first per route."""
        rows = self._rows(
            "SELECT * FROM price_history WHERE model_id = :m ORDER BY provider_id, provider_model_id, "
            "COALESCE(valid_from, ''), id",
            {"m": model_id},
        )
        wanted = set(routes)
        if wanted:
            keys = {(r["provider_id"], r["provider_model_id"]) for r in rows}
            for provider, pmid in sorted(wanted - keys):
                rows += self._rows(
                    "SELECT * FROM price_history WHERE provider_id = :p AND provider_model_id = :i "
                    "ORDER BY COALESCE(valid_from, ''), id",
                    {"p": provider, "i": pmid},
                )
        return [_interval(r) for r in rows]

    def intervals_of_models(self, routes: Sequence[tuple[str, str]], model_ids: Sequence[str]) -> list[PriceInterval]:
        """Every recorded price of these models, and of these routes under whatever model they were
        recorded, in two indexed reads for all of them (a comparison asks for several models at once)."""
        found: dict[int, Any] = {}
        for start in range(0, len(model_ids), _BATCH):
            ids = {f"m{i}": m for i, m in enumerate(model_ids[start : start + _BATCH])}
            sql = f"SELECT * FROM price_history WHERE model_id IN ({', '.join(':' + k for k in ids)})"
            found.update((r["id"], r) for r in self._rows(sql, ids))
        keys = sorted(set(routes))
        for start in range(0, len(keys), _BATCH // 2):
            chunk = keys[start : start + _BATCH // 2]
            params = {f"{side}{i}": v for i, key in enumerate(chunk) for side, v in zip("pi", key, strict=True)}
            pairs = ", ".join(f"(:p{i}, :i{i})" for i in range(len(chunk)))
            # A join, not `(a, b) IN (VALUES …)`: SQLite scans the whole table for the latter.
            sql = (
                f"SELECT p.* FROM (VALUES {pairs}) AS v JOIN price_history p "
                "ON p.provider_id = v.column1 AND p.provider_model_id = v.column2"
            )
            found.update((r["id"], r) for r in self._rows(sql, params))
        ordered = sorted(
            found.values(), key=lambda r: (r["provider_id"], r["provider_model_id"], r["valid_from"] or "", r["id"])
        )
        return [_interval(r) for r in ordered]

    def changes(self, since: date | None = None, model_id: str | None = None, limit: int = 5000) -> list[ChangeRow]:
        where = ["1 = 1"]
        params: dict[str, Any] = {"limit": limit}
        if since is not None:
            where.append("date >= :since")
            params["since"] = since.isoformat()
        if model_id is not None:
            where.append("model_id = :m")
            params["m"] = model_id
        rows = self._rows(
            f"SELECT * FROM catalog_changes WHERE {' AND '.join(where)} ORDER BY date DESC, id DESC LIMIT :limit",
            params,
        )
        return [
            ChangeRow(
                r["kind"],
                r["model_id"],
                r["provider_id"],
                r["provider_model_id"],
                None
                if r["kind"] == "new_route" or (r["old_input"] is None and r["old_output"] is None)
                else {"input": decimal_from_text(r["old_input"]), "output": decimal_from_text(r["old_output"])},
                None
                if r["new_input"] is None and r["new_output"] is None
                else {"input": decimal_from_text(r["new_input"]), "output": decimal_from_text(r["new_output"])},
                date.fromisoformat(r["date"]),
                r["source"],
            )
            for r in rows
        ]
