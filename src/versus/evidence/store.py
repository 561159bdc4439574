"""Local evidence in the catalog database: runs, results and the response cache.

The tables are created by recorded migrations (catalog/migrations.py) and, unlike the catalog tables,
never dropped by a rebuild. Evidence is written in small batches as calls finish, each batch its own
transaction, so an interrupted run keeps every result it got; several runs may write at once (rows
are appended). Costs are `Decimal`, stored exactly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from versus.analysis.evidence import ResultRow
from versus.catalog.database import Database, MissingTable, open_database

if TYPE_CHECKING:
    from sqlalchemy import Connection, Table


_RESULT_COLUMNS = (
    "run_id, provider_id, provider_model_id, model_id, case_id, repeat, request, response_text, input_tokens, "
    "output_tokens, cached_tokens, tokens_estimated, latency_ms, ttft_ms, output_tps, cost_usd, from_cache, "
    "attempts, assertions, passed, error"
)
_RESULT_FIELDS = tuple(name.strip() for name in _RESULT_COLUMNS.split(","))


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class EvidenceStore:
    """Evidence in one catalog database (migrated before use)."""

    def __init__(self, db: Database | Path | str) -> None:
        self.db = db if isinstance(db, Database) else open_database(db)
        self._session: Connection | None = None
        self._tables: dict[str, Table] | None = None

    def tables(self) -> dict[str, Table]:
        if self._tables is None:
            from sqlalchemy import MetaData

            from versus.catalog.schema import evidence_tables

            metadata = MetaData()
            evidence_tables(metadata)
            self._tables = dict(metadata.tables)
        return self._tables

    @contextmanager
    def session(self) -> Iterator[None]:
        """Keep one connection open (a run makes thousands of small reads and writes)."""
        engine = self.db.engine()
        self._session = engine.connect()
        try:
            yield
        finally:
            self._session.close()
            self._session = None
            self.db.dispose(engine)

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """One write transaction, on the session's connection when a run holds one."""
        if self._session is not None:
            with self._session.begin():
                yield self._session
            return
        engine = self.db.engine()
        try:
            with engine.begin() as conn:
                yield conn
        finally:
            self.db.dispose(engine)

    def has_tables(self) -> bool:
        if not self.db.exists():
            return False
        try:
            self.db.rows("SELECT 1 AS one FROM evidence_results WHERE 1 = 0")
        except MissingTable:
            return False
        return True

    def start_run(self, run_id: str, suite_name: str, suite_path: str, digest: str, options: dict[str, Any]) -> None:
        from sqlalchemy import insert

        row = {
            "id": run_id,
            "suite_name": suite_name,
            "suite_path": suite_path,
            "suite_digest": digest,
            "started_at": now(),
            "status": "running",
            "options": json.dumps(options, sort_keys=True),
        }
        with self._writing() as conn:
            conn.execute(insert(self.tables()["evidence_runs"]).values(row))

    def finish_run(self, run_id: str, status: str) -> None:
        from sqlalchemy import update

        runs = self.tables()["evidence_runs"]
        with self._writing() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(finished_at=now(), status=status))

    def add_results(self, rows: list[ResultRow]) -> None:
        from sqlalchemy import insert

        created = now()
        values = [
            {
                **{name: getattr(r, name) for name in _RESULT_FIELDS},
                "assertions": json.dumps(r.assertions),
                "created_at": created,
            }
            for r in rows
        ]
        with self._writing() as conn:
            conn.execute(insert(self.tables()["evidence_results"]), values)

    def cached_response(self, key: str) -> dict[str, Any] | None:
        rows = self._read("SELECT response FROM evidence_cache WHERE key = :key", {"key": key})
        return json.loads(rows[0]["response"]) if rows else None

    def cache_response(self, key: str, response: dict[str, Any]) -> None:
        row = {"key": key, "response": json.dumps(response), "created_at": now()}
        with self._writing() as conn:
            self.db.upsert(conn, self.tables()["evidence_cache"], row, ["key"])

    def _read(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self._session is not None:  # the run's own connection sees what it wrote
            from sqlalchemy import text

            with self._session.begin():  # a short transaction: none stays open between calls
                return [dict(r) for r in self._session.execute(text(sql), params).mappings()]
        return self.db.rows(sql, params)

    def runs(self) -> list[dict[str, Any]]:
        if not self.has_tables():
            return []
        return self._read(
            "SELECT r.*, (SELECT COUNT(*) FROM evidence_results e WHERE e.run_id = r.id) AS results "
            "FROM evidence_runs r ORDER BY r.started_at DESC, r.id DESC",
            {},
        )

    def results(self, run_id: str | None = None, model_ids: list[str] | None = None) -> list[ResultRow]:
        if not self.has_tables():
            return []
        where, params = [], {}
        if run_id is not None:
            where.append("run_id = :run")
            params["run"] = run_id
        if model_ids is not None:
            names = [f":m{index}" for index in range(len(model_ids))]
            where.append(f"model_id IN ({', '.join(names) or 'NULL'})")
            params.update({name[1:]: model_id for name, model_id in zip(names, model_ids, strict=True)})
        sql = f"SELECT {_RESULT_COLUMNS} FROM evidence_results"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [_result(r) for r in self._read(sql + " ORDER BY id", params)]


def _result(r: dict[str, Any]) -> ResultRow:
    values = dict(r)
    values["tokens_estimated"] = None if r["tokens_estimated"] is None else bool(r["tokens_estimated"])
    values["passed"] = None if r["passed"] is None else bool(r["passed"])
    values["from_cache"] = bool(r["from_cache"])
    values["assertions"] = json.loads(r["assertions"])
    values["cost_usd"] = None if r["cost_usd"] is None else Decimal(str(r["cost_usd"]))
    return ResultRow(**values)
