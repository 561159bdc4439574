"""Local evidence in the catalog database: runs, results and the response cache.

The tables are created by recorded migrations (catalog/migrations.py) and, unlike the catalog tables,
never dropped by a rebuild. Evidence is written as each call finishes, with the standard library
driver, so an interrupted run keeps every result it got."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ResultRow:
    run_id: str
    provider_id: str
    provider_model_id: str
    model_id: str
    case_id: str
    repeat: int
    request: str
    response_text: str | None
    input_tokens: int | None
    output_tokens: int | None
    cached_tokens: int | None
    tokens_estimated: bool | None
    latency_ms: float | None
    ttft_ms: float | None
    output_tps: float | None
    cost_usd: float | None
    from_cache: bool
    attempts: int
    assertions: list[dict[str, Any]]
    passed: bool | None
    error: str | None


_RESULT_COLUMNS = (
    "run_id, provider_id, provider_model_id, model_id, case_id, repeat, request, response_text, input_tokens, "
    "output_tokens, cached_tokens, tokens_estimated, latency_ms, ttft_ms, output_tps, cost_usd, from_cache, "
    "attempts, assertions, passed, error"
)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class EvidenceStore:
    """Evidence in one catalog database file (migrated before use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._session: sqlite3.Connection | None = None

    @contextmanager
    def session(self) -> Iterator[None]:
        """Keep one connection open (a run makes thousands of small reads and writes)."""
        self._session = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        # WAL with NORMAL sync: a commit is safe against the process dying, and costs no fsync, which
        # would otherwise stall the run's event loop on every batch of results.
        self._session.execute("PRAGMA journal_mode=WAL")
        self._session.execute("PRAGMA synchronous=NORMAL")
        try:
            yield
        finally:
            self._session.commit()
            self._session.close()
            self._session = None

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if self._session is not None:
            yield self._session
            self._session.commit()
            return
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            yield conn
            conn.commit()
        finally:
            conn.close()

    def has_tables(self) -> bool:
        if not self.path.exists():
            return False
        with self._connect() as conn:
            row = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'evidence_results'").fetchone()
        return row is not None

    def start_run(self, run_id: str, suite_name: str, suite_path: str, digest: str, options: dict[str, Any]) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO evidence_runs (id, suite_name, suite_path, suite_digest, started_at, status, options) "
                "VALUES (?, ?, ?, ?, ?, 'running', ?)",
                (run_id, suite_name, suite_path, digest, now(), json.dumps(options, sort_keys=True)),
            )

    def finish_run(self, run_id: str, status: str) -> None:
        with self._connect() as conn:
            conn.execute("UPDATE evidence_runs SET finished_at = ?, status = ? WHERE id = ?", (now(), status, run_id))

    def add_results(self, rows: list[ResultRow]) -> None:
        values = [
            (
                r.run_id,
                r.provider_id,
                r.provider_model_id,
                r.model_id,
                r.case_id,
                r.repeat,
                r.request,
                r.response_text,
                r.input_tokens,
                r.output_tokens,
                r.cached_tokens,
                r.tokens_estimated,
                r.latency_ms,
                r.ttft_ms,
                r.output_tps,
                r.cost_usd,
                r.from_cache,
                r.attempts,
                json.dumps(r.assertions),
                r.passed,
                r.error,
                now(),
            )
            for r in rows
        ]
        with self._connect() as conn:
            conn.executemany(
                f"INSERT INTO evidence_results ({_RESULT_COLUMNS}, created_at) VALUES ({', '.join('?' * 22)})", values
            )

    def cached_response(self, key: str) -> dict[str, Any] | None:
        with self._connect() as conn:
            row = conn.execute("SELECT response FROM evidence_cache WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def cache_response(self, key: str, response: dict[str, Any]) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO evidence_cache (key, response, created_at) VALUES (?, ?, ?)",
                (key, json.dumps(response), now()),
            )

    def runs(self) -> list[dict[str, Any]]:
        if not self.has_tables():
            return []
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            rows = conn.execute(
                "SELECT r.*, (SELECT COUNT(*) FROM evidence_results e WHERE e.run_id = r.id) AS results "
                "FROM evidence_runs r ORDER BY r.started_at DESC, r.id DESC"
            ).fetchall()
        return [dict(r) for r in rows]

    def results(self, run_id: str | None = None, model_ids: list[str] | None = None) -> list[ResultRow]:
        if not self.has_tables():
            return []
        where, params = [], []
        if run_id is not None:
            where.append("run_id = ?")
            params.append(run_id)
        if model_ids is not None:
            where.append(f"model_id IN ({', '.join('?' * len(model_ids))})")
            params += model_ids
        sql = f"SELECT {_RESULT_COLUMNS} FROM evidence_results"
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self._connect() as conn:
            rows = conn.execute(sql + " ORDER BY id", params).fetchall()
        return [
            ResultRow(
                run_id=r[0],
                provider_id=r[1],
                provider_model_id=r[2],
                model_id=r[3],
                case_id=r[4],
                repeat=r[5],
                request=r[6],
                response_text=r[7],
                input_tokens=r[8],
                output_tokens=r[9],
                cached_tokens=r[10],
                tokens_estimated=None if r[11] is None else bool(r[11]),
                latency_ms=r[12],
                ttft_ms=r[13],
                output_tps=r[14],
                cost_usd=r[15],
                from_cache=bool(r[16]),
                attempts=r[17],
                assertions=json.loads(r[18]),
                passed=None if r[19] is None else bool(r[19]),
                error=r[20],
            )
            for r in rows
        ]
