"""The catalog tables as they are now (migrations.py builds them; queries and writes use these).

Every catalog table is keyed by a generation: a rebuild writes a whole new generation and makes it
current by committing it, in one transaction, so readers always see one complete catalog. The
previous generation is kept for readers that started on it; older ones are deleted.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Numeric, Text
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:
    from sqlalchemy import Dialect, MetaData
    from sqlalchemy.types import TypeEngine


class Money(TypeDecorator[Decimal]):
    """USD as `Decimal`, stored exactly: NUMERIC on PostgreSQL, text on SQLite (whose NUMERIC affinity
    would turn it into a binary float)."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(Numeric(asdecimal=True) if dialect.name == "postgresql" else Text())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return Decimal(value) if dialect.name == "postgresql" else str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(str(value))


CATALOG_TABLES = (
    "catalog_meta",
    "providers",
    "models",
    "offerings",
    "source_errors",
    "benchmark_results",
    "benchmark_unmatched",
    "model_briefs",
)


def catalog_tables(metadata: MetaData) -> None:
    from sqlalchemy import Column, Float, Index, Integer, String, Table, Text, func

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
        *(Column(c, Text) for c in ("name", "route_class", "route_kind", "docs_url", "api_base_url", "api_key_env")),
        Column("source_ids", Text, nullable=False),
    )
    Table(
        "models",
        metadata,
        generation(),
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
        Column("capability_support", Text, nullable=False, server_default="{}"),
    )
    offerings = Table(
        "offerings",
        metadata,
        generation(),
        Column("provider_id", String, primary_key=True),
        Column("provider_model_id", String, primary_key=True),
        Column("model_id", String, nullable=False),
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
        Column("route_class", Text, nullable=False, server_default="host"),
        Column("class_reason", Text),
        Column("flags", Text, nullable=False, server_default="[]"),
    )
    Index("offerings_model", offerings.c.generation, offerings.c.model_id)
    Index("offerings_provider_model_id", offerings.c.generation, func.lower(offerings.c.provider_model_id))
    Index("offerings_match_key", offerings.c.generation, offerings.c.match_key)
    Table(
        "source_errors",
        metadata,
        Column("generation", Integer, nullable=False, index=True),
        Column("source", Text, nullable=False),
        Column("record_id", Text, nullable=False),
        Column("message", Text, nullable=False),
    )
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
    Table(  # derived from models and offerings when built: a narrow row per model, for finding models
        "model_briefs",  # by name and choosing related comparisons without reading the wide `models` rows
        metadata,
        generation(),
        Column("model_id", String, primary_key=True),
        Column("name", Text, nullable=False),
        Column("family", Text),
        Column("match_keys", Text, nullable=False),  # normalised name keys, space-separated
        Column("providers", Text, nullable=False),  # pay-per-token providers, sorted, comma-separated
        Column("cheapest_output", Text),  # the lowest pay-per-token output price, as exact decimal text
    )


def state_tables(metadata: MetaData) -> None:
    """Tables that hold what nothing else can rebuild: fetched snapshots, price history, changes."""
    from sqlalchemy import Column, Integer, LargeBinary, String, Table, Text

    Table(
        "snapshot_blobs",
        metadata,
        Column("sha256", String, primary_key=True),
        Column("encoding", Text, nullable=False),
        Column("payload", LargeBinary, nullable=False),
    )
    Table(
        "source_snapshots",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("source", String, nullable=False),
        *(Column(c, Text, nullable=False) for c in ("fetched_at", "snapshot_date", "location", "status")),
        Column("sha256", String),
        Column("validators", Text, nullable=False),
        Column("records", Integer),
        Column("priced", Integer),
        Column("error", Text),
    )
    Table(
        "price_history",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        *(Column(c, String, nullable=False) for c in ("source", "provider_id", "provider_model_id", "model_id")),
        *(Column(c, Text) for c in ("input", "output", "cache_read", "cache_write")),
        Column("valid_from", Text),
        Column("valid_to", Text),
        Column("snapshot", Text, nullable=False),
    )
    Table(
        "catalog_changes",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        *(Column(c, String, nullable=False) for c in ("kind", "model_id", "date", "source")),
        Column("provider_id", String),
        Column("provider_model_id", String),
        *(Column(c, Text) for c in ("old_input", "old_output", "new_input", "new_output")),
        Column("generation", Integer),
    )


def evidence_tables(metadata: MetaData) -> None:
    """Local evidence: runs, one row per call, and the response cache (costs exact, migration m007)."""
    from sqlalchemy import Boolean, Column, Float, Index, Integer, String, Table

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
        *(Column(c, Float) for c in ("latency_ms", "ttft_ms", "output_tps")),
        Column("from_cache", Boolean, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("assertions", Text, nullable=False),
        Column("passed", Boolean),
        Column("error", Text),
        Column("created_at", Text, nullable=False),
        Column("cost_usd", Money),
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
