"""Adapter for the price data shipped in pydantic's `genai-prices` PyPI package."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from importlib import metadata
from typing import Any

from versus.catalog.records import (
    DatedPrice,
    SourceData,
    SourceOffering,
    SourceProvider,
    SourceRecordError,
    SourceUnavailable,
)
from versus.catalog.types import PriceTier, Provenance, RoutePrice

SOURCE = "genai-prices"
PACKAGE = "genai-prices"
_PRICE_KEYS = {
    "input": "input_mtok",
    "output": "output_mtok",
    "cache_read": "cache_read_mtok",
    "cache_write": "cache_write_mtok",
}


def load(as_of: date) -> SourceData:
    """Import the package's price list and turn it into source records priced as of `as_of`."""
    try:
        version = metadata.version(PACKAGE)
        from genai_prices.data import providers
    except metadata.PackageNotFoundError as exc:
        raise SourceUnavailable(PACKAGE, "not installed (pip install genai-prices)") from exc
    except Exception as exc:  # a broken package can fail in any way on import
        raise SourceUnavailable(PACKAGE, f"cannot import its data: {type(exc).__name__}: {exc}") from exc
    return parse(providers, version, as_of)


def parse(providers: Iterable[Any], version: str, as_of: date) -> SourceData:
    """Turn genai-prices `Provider` objects into source records.

    Conditional prices are resolved to the one active on `as_of`; a `processing: batch` price
    variant becomes the route's batch price; tiered prices become context tiers.
    """
    data = SourceData(name=SOURCE, version=version, providers=[], offerings=[])
    for provider in providers:
        urls = getattr(provider, "pricing_urls", None) or []
        data.providers.append(SourceProvider(SOURCE, provider.id, provider.name, docs_url=urls[0] if urls else None))
        for model in provider.models:
            record_id = f"{provider.id}/{model.id}"
            try:
                data.offerings.append(_offering(provider.id, model, version, as_of))
            except (AttributeError, TypeError, ValueError) as exc:
                data.errors.append(SourceRecordError(SOURCE, record_id, f"{type(exc).__name__}: {exc}"))
    return data


def _offering(provider_id: str, model: Any, version: str, as_of: date) -> SourceOffering:
    ids = _equals_values(model.match)
    model_id = ids[0] if ids else model.id
    prices, since, note = _active_prices(model.prices, as_of)
    return SourceOffering(
        source=SOURCE,
        provider=provider_id,
        model_id=model_id,
        provenance=Provenance(
            source=SOURCE,
            record_id=f"{provider_id}/{model.id}",
            source_date=since,
            source_version=version,
            url="https://github.com/pydantic/genai-prices",
        ),
        name=model.name,
        context_window=model.context_window,
        deprecated=model.deprecated,
        price=_route_price(prices, _batch_prices(model, as_of)),
        aliases=tuple(alias for alias in dict.fromkeys([*ids[1:], model.id]) if alias != model_id),
        price_copied_from=_copied_from(getattr(model, "price_comments", None)),
        price_note=note,
        price_history=_dated_prices(model.prices, _batch_prices(model, as_of)),
    )


_IMPORTED = re.compile(r"\bImported from ([A-Za-z][\w .-]{0,40}?) pricing", re.IGNORECASE)


def _copied_from(comment: Any) -> str | None:
    """`Imported from OpenRouter pricing; verify …` -> `openrouter`: the source itself says so."""
    match = _IMPORTED.search(comment) if isinstance(comment, str) else None
    return match.group(1).strip().lower().replace(" ", "-") if match else None


def _equals_values(clause: Any) -> list[str]:
    """The exact model ids a match clause accepts, in order (`or` clauses are flattened)."""
    if hasattr(clause, "equals"):
        return [clause.equals]
    if hasattr(clause, "or_"):
        return [value for sub in clause.or_ for value in _equals_values(sub)]
    return []


def _active_prices(prices: Any, as_of: date) -> tuple[Any, date | None, str | None]:
    """The standard price set in force on `as_of`, the date it started when the source gives one, and a
    note when it was chosen among time-of-day prices.

    Date-constrained prices replace the unconstrained one from their start date. Time-of-day prices
    (DeepSeek's off-peak discounts) apply within a daily window: the standard rate is the peak one,
    the highest of them, so that is the one used, and the note says which discount was left out.
    """
    if not isinstance(prices, list):
        return prices, None, None
    chosen, since = prices[0].prices, None
    daily = []
    for conditional in prices:
        constraint = conditional.constraint
        start = getattr(constraint, "start_date", None)
        if constraint is None:
            chosen = conditional.prices
        elif start is not None:
            if start <= as_of and (since is None or start >= since):
                chosen, since = conditional.prices, start
        elif getattr(constraint, "start_time", None) is not None:
            daily.append(conditional)
    if not daily:
        return chosen, since, None
    peak = max(daily, key=lambda c: (_level(c.prices), c.constraint.start_time))
    if _level(peak.prices) <= _level(chosen):
        return chosen, since, None
    window = f"{peak.constraint.start_time:%H:%M}–{peak.constraint.end_time:%H:%M} UTC"
    off_peak = f"${_level(chosen)[1]} input / ${_level(chosen)[0]} output"
    return peak.prices, since, f"standard (peak) rate, {window}; the off-peak rate ({off_peak} per 1M) is not used"


def _dated_prices(prices: Any, batch: Any | None) -> tuple[DatedPrice, ...]:
    """Every price the source dates, oldest first: the unconstrained one (since before its records), then
    each date-constrained one from its start date. Empty when the source gives one price only."""
    if not isinstance(prices, list):
        return ()
    dated = [(c.constraint.start_date, c.prices) for c in prices if getattr(c.constraint, "start_date", None)]
    if not dated:
        return ()
    base = next((c.prices for c in prices if c.constraint is None), None)
    history = [DatedPrice(None, _route_price(base, batch))] if base is not None else []
    history += [DatedPrice(start, _route_price(p, batch)) for start, p in sorted(dated, key=lambda d: d[0])]
    return tuple(history)


def _level(prices: Any) -> tuple[Decimal, Decimal]:
    """(output, input) base prices, to rank price sets; unknown counts as 0."""
    return tuple(_base(getattr(prices, key, None)) or Decimal(0) for key in ("output_mtok", "input_mtok"))  # type: ignore[return-value]


def _batch_prices(model: Any, as_of: date) -> Any | None:
    for variant in model.price_variants or ():
        start = getattr(variant.constraint, "start_date", None)
        if variant.when == {"processing": "batch"} and (start is None or start <= as_of):
            return variant.prices
    return None


def _route_price(prices: Any, batch: Any | None) -> RoutePrice:
    values = {field: getattr(prices, key, None) for field, key in _PRICE_KEYS.items()}
    tiers: dict[int, dict[str, Decimal]] = {}
    for field, value in values.items():
        for tier in getattr(value, "tiers", None) or []:
            tiers.setdefault(tier.start, {})[field] = tier.price
    return RoutePrice(
        **{field: _base(value) for field, value in values.items()},
        tiers=tuple(PriceTier(start, **fields) for start, fields in sorted(tiers.items())),
        batch_input=_base(getattr(batch, "input_mtok", None)),
        batch_output=_base(getattr(batch, "output_mtok", None)),
        batch_cache_read=_base(getattr(batch, "cache_read_mtok", None)),
    )


def _base(value: Any) -> Decimal | None:
    if value is None:
        return None
    price = getattr(value, "base", value)
    if not isinstance(price, Decimal):
        raise TypeError(f"price {price!r} is not a Decimal")
    return price
