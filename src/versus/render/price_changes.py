"""Price changes in words, one phrasing for every view: the comparison's table row and sentence, the
changes page and the Atom feed. Numbers come from one formatter, so the prose repeats the table's."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from versus.analysis.price_history import TokenPrices
from versus.formats import UNKNOWN, per_million

if TYPE_CHECKING:  # the changes page and the feed read no store, and need no comparison
    from versus.analysis.compare import ModelSide
    from versus.catalog.types import ChangeRow

NO_CHANGE = "none recorded"
KIND_LABELS = {
    "price_change": "Price changes",
    "new_model": "New models",
    "new_route": "New routes",
    "removed_route": "Removed routes",
}


def dollars(value: Decimal | None) -> str:
    """A price per 1M tokens without its unit, for text that says the unit once: `$1.74`."""
    return per_million(value).removesuffix("/1M")


def moves_text(old: TokenPrices, new: TokenPrices) -> str:
    """`output $1.74 → $2.00`, or `input $0.43 → $0.50 and output $1.74 → $2.00`: the parts that moved."""
    moves = [
        f"{label} {dollars(before)} → {dollars(after)}"
        for label, before, after in (("input", old.input, new.input), ("output", old.output, new.output))
        if before != after
    ]
    return " and ".join(moves) or "no change in input or output"


def last_change_cell(m: ModelSide) -> str:
    """The pricing table's cell: `2026-08-19: output $1.74 → $2.00 (openrouter)`."""
    c = m.last_price_change
    if c is None:
        return NO_CHANGE
    return f"{c.date.isoformat()}: {moves_text(c.old, c.new)} ({c.source})"


def last_change_sentence(m: ModelSide) -> str | None:
    """`GLM-4.6's price on OpenRouter changed on 2026-08-19: output $1.74 → $2.00 per 1M.`"""
    c = m.last_price_change
    if c is None:
        return None
    return f"{m.name}'s price on {c.provider_name} changed on {c.date.isoformat()}: {moves_text(c.old, c.new)} per 1M."


def _pair(prices: Mapping[str, Decimal | None] | None) -> TokenPrices | None:
    return None if prices is None else TokenPrices(prices.get("input"), prices.get("output"))


def change_title(c: ChangeRow, model_name: str, provider_name: str | None) -> str:
    """One catalog change as a headline: `GLM-4.6 on OpenRouter: output $1.74 → $2.00`."""
    where = f"{model_name} on {provider_name or c.provider}" if c.provider else model_name
    old, new = _pair(c.old), _pair(c.new)
    if c.kind == "new_model":
        return f"New model: {model_name}"
    if c.kind == "new_route":
        prices = f" at {prices_text(new)}" if new else ""
        return f"{where}: new route{prices}"
    if c.kind == "removed_route":
        return f"{where}: route removed"
    if c.kind == "price_change" and old and new:
        return f"{where}: {moves_text(old, new)}"
    return f"{where}: {c.kind.replace('_', ' ')}"


def prices_text(prices: TokenPrices | None) -> str:
    """`$0.50 in / $2.00 out`."""
    if prices is None:
        return UNKNOWN
    return f"{dollars(prices.input)} in / {dollars(prices.output)} out"


def change_summary(c: ChangeRow, model_name: str, provider_name: str | None) -> str:
    """A sentence for a feed entry's summary: what changed, the route's id, the source and the date."""
    route = f" ({c.provider_model_id})" if c.provider_model_id else ""
    unit = " per 1M tokens" if c.kind in ("price_change", "new_route") and c.new else ""
    return f"{change_title(c, model_name, provider_name)}{unit}{route}. Source: {c.source}, {c.date.isoformat()}."
