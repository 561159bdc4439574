"""Named, append-only migrations: a database built at every earlier schema, with data in it, migrates
forward to exactly the schema a new database gets, keeping the data that is not derived — on SQLite
and, in the PostgreSQL pass, on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import MetaData, inspect, text

from versus.catalog.database import APPLICATION_ID, open_database
from versus.catalog.migrations import MIGRATIONS, migrate
from versus.catalog.schema import catalog_tables, evidence_tables, state_tables

from .databases import ON_POSTGRES, Databases, postgres_only


def _build(target: str, steps: int) -> None:
    """A database as a release that knew only the first `steps` migrations left it."""
    database = open_database(target)
    engine = database.engine()
    with engine.begin() as conn:
        database.mark_ours(conn)
        conn.execute(
            text("CREATE TABLE versus_migrations (name VARCHAR NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)")
        )
        for step in MIGRATIONS[:steps]:
            step.apply(conn)
            conn.execute(text("INSERT INTO versus_migrations VALUES (:name, '2026-01-01')"), {"name": step.name})
        names = {m.name for m in MIGRATIONS[:steps]}
        if "m002_evidence_tables" in names:
            conn.execute(
                text(
                    "INSERT INTO evidence_runs VALUES "
                    "('r1', 'suite', 's.yaml', 'd', '2026-01-01', NULL, 'complete', '{}')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO evidence_results (run_id, provider_id, provider_model_id, model_id, case_id, "
                    "repeat, request, cost_usd, from_cache, attempts, assertions, created_at) VALUES "
                    "('r1', 'openai', 'gpt-4o', 'openai/gpt-4o', 'c1', 0, '{}', 0.000125, false, 1, '[]', "
                    "'2026-01-01')"
                )
            )
        if "m005_snapshots_and_history" in names:
            conn.execute(
                text(
                    "INSERT INTO price_history (source, provider_id, provider_model_id, model_id, input, output, "
                    "valid_from, snapshot) VALUES ('genai-prices', 'openai', 'gpt-4o', 'openai/gpt-4o', '2.5', '10', "
                    "'2026-01-01', '0.2.3')"
                )
            )
    database.dispose(engine)


def _migrate(target: str) -> list[str]:
    database = open_database(target)
    engine = database.engine()
    try:
        return migrate(engine, database)
    finally:
        database.dispose(engine)


def _schema(target: str) -> dict[str, dict[str, tuple[str, bool]]]:
    database = open_database(target)
    engine = database.engine()
    inspector = inspect(engine)
    schema = {
        table: {c["name"]: (str(c["type"]), bool(c["nullable"])) for c in inspector.get_columns(table)}
        for table in inspector.get_table_names()
    }
    database.dispose(engine)
    return schema


def _values(databases: Databases, target: str, sql: str) -> list[tuple[Any, ...]]:
    return databases.rows(target, sql)


@pytest.mark.parametrize("steps", range(len(MIGRATIONS)))
def test_every_earlier_schema_migrates_to_the_current_one(databases: Databases, steps: int) -> None:
    fresh, old = databases.empty("fresh"), databases.empty("old")
    _migrate(fresh)
    _build(old, steps)
    assert _migrate(old) == [m.name for m in MIGRATIONS[steps:]]
    assert _schema(old) == _schema(fresh)
    if steps >= 2:
        assert _values(databases, old, "SELECT id FROM evidence_runs") == [("r1",)]
        (cost,) = _values(databases, old, "SELECT cost_usd FROM evidence_results")[0]
        assert str(cost) in ("0.000125", "0.00012500")  # the float became an exact decimal, unrounded
    if steps >= 5:
        assert _values(databases, old, "SELECT input, output FROM price_history") == [("2.5", "10")]
    if not ON_POSTGRES:
        assert _values(databases, old, "PRAGMA application_id") == [(APPLICATION_ID,)]


def test_the_migrated_schema_is_the_one_the_code_reads_and_writes(databases: Databases) -> None:
    """schema.py describes the tables queries use; the migrations build exactly those."""
    db = databases.empty()
    _migrate(db)
    built = _schema(db)
    metadata = MetaData()
    catalog_tables(metadata)
    state_tables(metadata)
    evidence_tables(metadata)
    for table in metadata.sorted_tables:
        assert set(built[table.name]) == {c.name for c in table.columns}, table.name


def test_migrating_twice_changes_nothing(databases: Databases) -> None:
    db = databases.empty()
    assert _migrate(db) == [m.name for m in MIGRATIONS]
    assert _migrate(db) == []


@postgres_only
def test_every_text_column_sorts_by_code_point_on_postgresql(databases: Databases) -> None:
    """Lists come out in the same order as on SQLite whatever the server's locale: a migration that
    adds a text column gives it COLLATE "C" too."""
    db = databases.empty()
    _migrate(db)
    collations = databases.rows(
        db,
        "SELECT table_name, column_name, collation_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying')",
    )
    assert collations and all(c == "C" for _, _, c in collations), [r for r in collations if r[2] != "C"]
