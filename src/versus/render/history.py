"""Views of price history and catalog changes: rows for tables, and the JSON the CLI and API print."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from versus.catalog.types import ChangeRow, PriceInterval
from versus.formats import UNKNOWN, json_number, per_million
from versus.render.tabledata import TableData


def interval_to_dict(i: PriceInterval) -> dict[str, Any]:
    return {
        "provider": i.provider,
        "provider_model_id": i.provider_model_id,
        "model": i.model,
        "input": json_number(i.input),
        "output": json_number(i.output),
        "cache_read": json_number(i.cache_read),
        "cache_write": json_number(i.cache_write),
        "valid_from": i.valid_from.isoformat() if i.valid_from else None,
        "valid_to": i.valid_to.isoformat() if i.valid_to else None,
        "source": i.source,
        "snapshot": i.snapshot,
    }


def change_to_dict(c: ChangeRow) -> dict[str, Any]:
    def prices(p: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if p is None else {"input": json_number(p["input"]), "output": json_number(p["output"])}

    return {
        "kind": c.kind,
        "model": c.model,
        "provider": c.provider,
        "provider_model_id": c.provider_model_id,
        "old": prices(c.old),
        "new": prices(c.new),
        "date": c.date.isoformat(),
        "source": c.source,
    }


def history_table(model_id: str, intervals: Sequence[PriceInterval]) -> TableData:
    rows = [
        [
            i.provider,
            i.provider_model_id,
            per_million(i.input),
            per_million(i.output),
            per_million(i.cache_read),
            i.valid_from.isoformat() if i.valid_from else "before records",
            i.valid_to.isoformat() if i.valid_to else "now",
            i.source,
        ]
        for i in intervals
    ]
    header = ["Provider", "Provider model id", "Input", "Output", "Cache read", "From", "To", "Source"]
    return TableData(f"{model_id}: price history ({len(rows)} prices)", header, rows, numeric=(2, 3, 4))


def changes_table(changes: Sequence[ChangeRow]) -> TableData:
    def pair(p: dict[str, Any] | None) -> str:
        return UNKNOWN if p is None else f"{per_million(p['input'])} / {per_million(p['output'])}"

    rows = [
        [
            c.date.isoformat(),
            c.kind.replace("_", " "),
            c.model,
            f"{c.provider or ''} {c.provider_model_id or ''}".strip() or UNKNOWN,
            pair(c.old),
            pair(c.new),
            c.source,
        ]
        for c in changes
    ]
    header = ["Date", "Change", "Model", "Route", "Old in / out", "New in / out", "Source"]
    return TableData(f"{len(rows)} changes", header, rows)
