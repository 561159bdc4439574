"""Named, append-only migrations: a database built at every earlier schema, with data in it, migrates
forward to exactly the schema a new database gets, keeping the data that is not derived."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, inspect

from versus.catalog.database import APPLICATION_ID, SqliteDatabase
from versus.catalog.migrations import MIGRATIONS, migrate
from versus.catalog.schema import catalog_tables, state_tables


def _build(path: Path, steps: int) -> None:
    """A database as a release that knew only the first `steps` migrations left it."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE versus_migrations (name VARCHAR NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        for step in MIGRATIONS[:steps]:
            step.apply(conn)
            conn.exec_driver_sql("INSERT INTO versus_migrations VALUES (?, '2026-01-01')", (step.name,))
        names = {m.name for m in MIGRATIONS[:steps]}
        if "m002_evidence_tables" in names:
            conn.exec_driver_sql(
                "INSERT INTO evidence_runs VALUES ('r1', 'suite', 's.yaml', 'd', '2026-01-01', NULL, 'complete', '{}')"
            )
        if "m005_snapshots_and_history" in names:
            conn.exec_driver_sql(
                "INSERT INTO price_history (source, provider_id, provider_model_id, model_id, input, output, "
                "valid_from, snapshot) VALUES ('genai-prices', 'openai', 'gpt-4o', 'openai/gpt-4o', '2.5', '10', "
                "'2026-01-01', '0.2.3')"
            )
    engine.dispose()


def _schema(path: Path) -> dict[str, dict[str, tuple[str, bool]]]:
    engine = create_engine(f"sqlite:///{path}")
    inspector = inspect(engine)
    schema = {
        table: {c["name"]: (str(c["type"]), bool(c["nullable"])) for c in inspector.get_columns(table)}
        for table in inspector.get_table_names()
    }
    engine.dispose()
    return schema


@pytest.mark.parametrize("steps", range(len(MIGRATIONS)))
def test_every_earlier_schema_migrates_to_the_current_one(tmp_path: Path, steps: int) -> None:
    fresh, old = tmp_path / "fresh.sqlite", tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{fresh}")
    migrate(engine, SqliteDatabase(Path(engine.url.database or "")))
    engine.dispose()
    _build(old, steps)
    engine = create_engine(f"sqlite:///{old}")
    applied = migrate(engine, SqliteDatabase(Path(engine.url.database or "")))
    engine.dispose()
    assert applied == [m.name for m in MIGRATIONS[steps:]]
    assert _schema(old) == _schema(fresh)
    with sqlite3.connect(old) as conn:
        if steps >= 2:
            assert conn.execute("SELECT id FROM evidence_runs").fetchall() == [("r1",)]
        if steps >= 5:
            assert conn.execute("SELECT input, output FROM price_history").fetchall() == [("2.5", "10")]
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_the_migrated_schema_is_the_one_the_code_reads_and_writes(tmp_path: Path) -> None:
    """schema.py describes the tables queries use; the migrations build exactly those."""
    db = tmp_path / "c.sqlite"
    engine = create_engine(f"sqlite:///{db}")
    migrate(engine, SqliteDatabase(Path(engine.url.database or "")))
    engine.dispose()
    built = _schema(db)
    metadata = MetaData()
    catalog_tables(metadata)
    state_tables(metadata)
    for table in metadata.sorted_tables:
        assert set(built[table.name]) == {c.name for c in table.columns}, table.name


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'c.sqlite'}")
    assert migrate(engine, SqliteDatabase(Path(engine.url.database or ""))) == [m.name for m in MIGRATIONS]
    assert migrate(engine, SqliteDatabase(Path(engine.url.database or ""))) == []
    engine.dispose()
