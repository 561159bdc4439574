"""Schema changes as named, append-only migrations, each run once per database and recorded by name.

A migration builds the schema as it was when it was written: never edit one that has shipped, add a
new one. (The pattern of simonw/llm's `migrations.py`.) On PostgreSQL a new text column takes
COLLATE "C" (m008), so both databases sort alike. `tests/test_migrations.py` migrates databases
built with each earlier schema and checks the result equals `schema.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from versus.catalog.database import Database


@dataclass(frozen=True)
class Migration:
    name: str
    apply: Callable[[Connection], None]


MIGRATIONS: list[Migration] = []
# What the first release recorded, by position, in its `migrations` table.
LEGACY_NAMES = {"catalog tables": "m001_catalog_tables", "local evidence tables": "m002_evidence_tables"}


def migration(apply: Callable[[Connection], None]) -> Callable[[Connection], None]:
    MIGRATIONS.append(Migration(apply.__name__, apply))
    return apply


@migration
def m001_catalog_tables(conn: Connection) -> None:
    """The first release's catalog tables: one catalog, replaced in place."""
    from sqlalchemy import Column, Float, Index, Integer, MetaData, String, Table, Text

    metadata = MetaData()
    Table("meta", metadata, Column("key", String, primary_key=True), Column("value", Text, nullable=False))
    Table(
        "providers",
        metadata,
        Column("id", String, primary_key=True),
        *(Column(c, Text) for c in ("name", "kind", "route_kind", "docs_url", "api_base_url", "api_key_env")),
        Column("source_ids", Text, nullable=False),
    )
    text_columns = [
        *("creator_name", "family", "release_date", "knowledge_cutoff", "parameters_total_b"),
        *("parameters_active_b", "architecture", "license", "openness", "commercial_use", "commercial_use_note"),
    ]
    required = ["input_modalities", "output_modalities", "capabilities", "facts", "conflicts", "aliases", "match_keys"]
    Table(
        "models",
        metadata,
        Column("id", String, primary_key=True),
        Column("name", Text, nullable=False),
        Column("creator", Text, nullable=False),
        *(Column(c, Text) for c in text_columns),
        Column("context_window", Integer),
        Column("max_output", Integer),
        *(Column(c, Text, nullable=False) for c in required),
    )
    offerings = Table(
        "offerings",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("model_id", String, nullable=False),
        Column("provider_id", String, nullable=False),
        *(Column(c, Text, nullable=False) for c in ("provider_model_id", "match_key", "kind")),
        *(Column(c, Text) for c in ("kind_reason", "price_input", "price_output", "price_cache_read")),
        Column("price_cache_write", Text),
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
    Table("source_errors", metadata, *(Column(c, Text, nullable=False) for c in ("source", "record_id", "message")))
    metadata.create_all(conn)


@migration
def m002_evidence_tables(conn: Connection) -> None:
    """Local evidence: runs, one row per call, and the response cache."""
    from sqlalchemy import Boolean, Column, Float, Index, Integer, MetaData, String, Table, Text

    metadata = MetaData()
    Table(
        "evidence_runs",
        metadata,
        Column("id", String, primary_key=True),
        *(Column(c, Text, nullable=False) for c in ("suite_name", "suite_path", "suite_digest", "started_at")),
        Column("finished_at", Text),
        Column("status", Text, nullable=False),
        Column("options", Text, nullable=False),
    )
    results = Table(
        "evidence_results",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("run_id", String, nullable=False),
        Column("provider_id", String, nullable=False),
        Column("provider_model_id", Text, nullable=False),
        Column("model_id", String, nullable=False),
        Column("case_id", Text, nullable=False),
        Column("repeat", Integer, nullable=False),
        Column("request", Text, nullable=False),
        Column("response_text", Text),
        *(Column(c, Integer) for c in ("input_tokens", "output_tokens", "cached_tokens")),
        Column("tokens_estimated", Boolean),
        *(Column(c, Float) for c in ("latency_ms", "ttft_ms", "output_tps", "cost_usd")),
        Column("from_cache", Boolean, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("assertions", Text, nullable=False),
        Column("passed", Boolean),
        Column("error", Text),
        Column("created_at", Text, nullable=False),
    )
    Index("evidence_results_run", results.c.run_id)
    Index("evidence_results_model", results.c.model_id)
    Table(
        "evidence_cache",
        metadata,
        Column("key", String, primary_key=True),
        Column("response", Text, nullable=False),
        Column("created_at", Text, nullable=False),
    )
    metadata.create_all(conn)


@migration
def m003_catalog_generations(conn: Connection) -> None:
    """Catalog tables keyed by generation, so a rebuild swaps the whole catalog in one commit.
    The old tables held derived data only: they are dropped, and the next open rebuilds."""
    from sqlalchemy import Column, Float, Index, Integer, MetaData, String, Table, Text

    for table in ("meta", "providers", "models", "offerings", "source_errors"):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
    metadata = MetaData()

    def generation() -> Column[int]:
        return Column("generation", Integer, primary_key=True)

    Table(
        "catalog_generations",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("built_at", Text, nullable=False),
    )
    Table("catalog_meta", metadata, generation(), Column("key", String, primary_key=True), Column("value", Text))
    Table(
        "providers",
        metadata,
        generation(),
        Column("id", String, primary_key=True),
        *(Column(c, Text) for c in ("name", "kind", "route_kind", "docs_url", "api_base_url", "api_key_env")),
        Column("source_ids", Text, nullable=False),
    )
    text_columns = [
        *("creator_name", "family", "release_date", "knowledge_cutoff", "parameters_total_b"),
        *("parameters_active_b", "architecture", "license", "openness", "commercial_use", "commercial_use_note"),
    ]
    required = ["input_modalities", "output_modalities", "capabilities", "facts", "conflicts", "aliases", "match_keys"]
    Table(
        "models",
        metadata,
        generation(),
        Column("id", String, primary_key=True),
        Column("name", Text, nullable=False),
        Column("creator", Text, nullable=False),
        *(Column(c, Text) for c in text_columns),
        Column("context_window", Integer),
        Column("max_output", Integer),
        *(Column(c, Text, nullable=False) for c in required),
    )
    offerings = Table(
        "offerings",
        metadata,
        generation(),
        Column("provider_id", String, primary_key=True),
        Column("provider_model_id", String, primary_key=True),
        Column("model_id", String, nullable=False),
        *(Column(c, Text, nullable=False) for c in ("match_key", "kind")),
        *(Column(c, Text) for c in ("kind_reason", "price_input", "price_output", "price_cache_read")),
        Column("price_cache_write", Text),
        Column("price_extra", Text, nullable=False),
        Column("price_provenance", Text),
        Column("confidence", Float, nullable=False),
        Column("reason", Text, nullable=False),
        Column("name", Text),
        Column("context_window", Integer),
        Column("max_output", Integer),
        *(Column(c, Text, nullable=False) for c in ("capabilities", "attributes", "provenance", "conflicts")),
    )
    Index("offerings_model", offerings.c.generation, offerings.c.model_id)
    Table(
        "source_errors",
        metadata,
        Column("generation", Integer, nullable=False, index=True),
        *(Column(c, Text, nullable=False) for c in ("source", "record_id", "message")),
    )
    metadata.create_all(conn)


@migration
def m004_route_classes_and_flags(conn: Connection) -> None:
    """Trustworthy facts: every route's class and flags, providers' class, capability support counts."""
    conn.exec_driver_sql("ALTER TABLE providers RENAME COLUMN kind TO route_class")
    conn.exec_driver_sql("ALTER TABLE offerings ADD COLUMN route_class TEXT NOT NULL DEFAULT 'host'")
    conn.exec_driver_sql("ALTER TABLE offerings ADD COLUMN class_reason TEXT")
    conn.exec_driver_sql("ALTER TABLE offerings ADD COLUMN flags TEXT NOT NULL DEFAULT '[]'")
    conn.exec_driver_sql("ALTER TABLE models ADD COLUMN capability_support TEXT NOT NULL DEFAULT '{}'")


@migration
def m005_snapshots_and_history(conn: Connection) -> None:
    """Fetched source payloads (content-addressed, compressed), price history and catalog changes.
    Unlike catalog tables these are not derived from anything else: never dropped by a rebuild."""
    from sqlalchemy import Column, Index, Integer, LargeBinary, MetaData, String, Table, Text

    metadata = MetaData()
    Table(
        "snapshot_blobs",
        metadata,
        Column("sha256", String, primary_key=True),
        Column("encoding", Text, nullable=False),
        Column("payload", LargeBinary, nullable=False),
    )
    snapshots = Table(
        "source_snapshots",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("source", String, nullable=False),
        *(Column(c, Text, nullable=False) for c in ("fetched_at", "snapshot_date", "location", "status")),
        Column("sha256", String),
        Column("validators", Text, nullable=False),  # JSON: per file, the ETag and Last-Modified it came with
        Column("records", Integer),
        Column("priced", Integer),
        Column("error", Text),
    )
    Index("source_snapshots_source", snapshots.c.source, snapshots.c.id)
    history = Table(
        "price_history",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        *(Column(c, String, nullable=False) for c in ("source", "provider_id", "provider_model_id", "model_id")),
        *(Column(c, Text) for c in ("input", "output", "cache_read", "cache_write")),
        Column("valid_from", Text),  # NULL: since before the source's records
        Column("valid_to", Text),
        Column("snapshot", Text, nullable=False),
    )
    Index("price_history_route", history.c.provider_id, history.c.provider_model_id)
    Index("price_history_model", history.c.model_id)
    changes = Table(
        "catalog_changes",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        *(Column(c, String, nullable=False) for c in ("kind", "model_id", "date", "source")),
        Column("provider_id", String),
        Column("provider_model_id", String),
        *(Column(c, Text) for c in ("old_input", "old_output", "new_input", "new_output")),
        Column("generation", Integer),
    )
    Index("catalog_changes_date", changes.c.date)
    metadata.create_all(conn)


@migration
def m006_benchmark_results(conn: Connection) -> None:
    """Leaderboard results matched to the catalog's models, and the names no model matched, per generation."""
    from sqlalchemy import Column, Float, Index, Integer, MetaData, String, Table, Text

    metadata = MetaData()
    results = Table(
        "benchmark_results",
        metadata,
        Column("generation", Integer, nullable=False),
        Column("model_id", String, nullable=False),
        *(Column(c, String, nullable=False) for c in ("source", "benchmark", "category", "score", "metric")),
        *(Column(c, Text) for c in ("ci_low", "ci_high")),
        Column("setting", Text, nullable=False),
        *(Column(c, Text) for c in ("date", "edition", "model_name", "organisation", "source_url", "licence")),
        Column("confidence", Float, nullable=False),
        Column("reason", Text, nullable=False),
    )
    Index("benchmark_results_model", results.c.generation, results.c.model_id)
    Index("benchmark_results_benchmark", results.c.generation, results.c.benchmark)
    Table(
        "benchmark_unmatched",
        metadata,
        Column("generation", Integer, nullable=False, index=True),
        *(Column(c, Text, nullable=False) for c in ("source", "model_name", "reason")),
    )
    metadata.create_all(conn)


@migration
def m007_exact_evidence_costs(conn: Connection) -> None:
    """Evidence costs as exact decimals (NUMERIC on PostgreSQL, text on SQLite), not binary floats."""
    exact = "NUMERIC" if conn.dialect.name == "postgresql" else "TEXT"
    conn.exec_driver_sql(f"ALTER TABLE evidence_results ADD COLUMN cost_exact {exact}")
    conn.exec_driver_sql(f"UPDATE evidence_results SET cost_exact = CAST(cost_usd AS {exact})")
    conn.exec_driver_sql("ALTER TABLE evidence_results DROP COLUMN cost_usd")
    conn.exec_driver_sql("ALTER TABLE evidence_results RENAME COLUMN cost_exact TO cost_usd")


@migration
def m008_byte_order_text_on_postgresql(conn: Connection) -> None:
    """On PostgreSQL, every text column sorts and compares by code point (collation "C"), as SQLite
    does: lists come out in the same order on both, whatever locale the server was created with
    (en_US would sort `gpt-4o` and `GPT-4o-mini` by its own rules). Nothing to do on SQLite."""
    if conn.dialect.name != "postgresql":
        return
    columns = conn.exec_driver_sql(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying') "
        "ORDER BY table_name, ordinal_position"
    ).all()
    for table, column, data_type in columns:
        kind = "TEXT" if data_type == "text" else "VARCHAR"
        conn.exec_driver_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE {kind} COLLATE "C"')


@migration
def m009_name_lookup_indexes(conn: Connection) -> None:
    """Indexes for finding a model from what a user types: a provider's model id in any case, and a
    route's normalised name key (each look-up scanned every route of the catalog)."""
    conn.exec_driver_sql("CREATE INDEX offerings_provider_model_id ON offerings (generation, lower(provider_model_id))")
    conn.exec_driver_sql("CREATE INDEX offerings_match_key ON offerings (generation, match_key)")


@migration
def m010_model_briefs(conn: Connection) -> None:
    """A narrow row per model and generation, written when the catalog is built: its name keys, and
    what related comparisons need (its providers and cheapest output price). A comparison read every
    route to work those out (~20 ms) and a name look-up every wide model row for the keys (~12 ms)."""
    collate = ' COLLATE "C"' if conn.dialect.name == "postgresql" else ""
    conn.exec_driver_sql(
        f"CREATE TABLE model_briefs (generation INTEGER NOT NULL, model_id VARCHAR{collate} NOT NULL, "
        f"name TEXT{collate} NOT NULL, family TEXT{collate}, match_keys TEXT{collate} NOT NULL, "
        f"providers TEXT{collate} NOT NULL, cheapest_output TEXT{collate}, PRIMARY KEY (generation, model_id))"
    )


def migrate(engine: Engine, database: Database | None = None) -> list[str]:
    """Apply, in one transaction, the migrations this database has not seen; return their names."""
    from sqlalchemy import Column, MetaData, String, Table, Text, insert, inspect, select

    metadata = MetaData()
    record = Table(
        "versus_migrations",
        metadata,
        Column("name", String, primary_key=True),
        Column("applied_at", Text, nullable=False),
    )
    applied: list[str] = []
    with engine.begin() as conn:
        if database is not None:
            database.mark_ours(conn)
        metadata.create_all(conn)
        done = {row.name for row in conn.execute(select(record.c.name))}
        if not done and inspect(conn).has_table("migrations"):  # a database of the first release
            legacy = [LEGACY_NAMES[row[0]] for row in conn.exec_driver_sql("SELECT name FROM migrations")]
            conn.execute(insert(record), [{"name": name, "applied_at": _now()} for name in legacy])
            conn.exec_driver_sql("DROP TABLE migrations")
            done = set(legacy)
        for step in MIGRATIONS:
            if step.name not in done:
                step.apply(conn)
                conn.execute(insert(record).values(name=step.name, applied_at=_now()))
                applied.append(step.name)
    return applied


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
