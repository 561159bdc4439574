"""Price changes of routes, read from their recorded price intervals: what changed, when, by which source.

Pure: intervals come in (`catalog.history_store.PriceInterval`, or anything with its fields). A price
change is what `versus changes` calls one: a source's price of a route that ends on the day its next
price from the same source begins, with a different input or output price. A change of cache prices
only is history, not news, as in `catalog.history.plan_history`. A timeline with two prices in force at
once gives no change at all: a wrong "price changed" is worse than none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from versus.catalog.types import Offering

RouteKey = tuple[str, str]  # (provider id, provider model id)


class IntervalLike(Protocol):
    """The fields of a recorded price interval this module reads."""

    @property
    def provider(self) -> str: ...
    @property
    def provider_model_id(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def input(self) -> Decimal | None: ...
    @property
    def output(self) -> Decimal | None: ...
    @property
    def valid_from(self) -> date | None: ...
    @property
    def valid_to(self) -> date | None: ...


@dataclass(frozen=True)
class TokenPrices:
    """Input and output prices in USD per 1M tokens (None: the source gave none)."""

    input: Decimal | None
    output: Decimal | None


@dataclass(frozen=True)
class PriceChange:
    """One source re-pricing one route on one day."""

    date: date
    provider: str
    provider_name: str
    provider_model_id: str
    source: str
    old: TokenPrices
    new: TokenPrices


def route_price_changes(
    intervals: Iterable[IntervalLike], provider_names: Mapping[str, str] | None = None
) -> dict[RouteKey, list[PriceChange]]:
    """Every price change of every route in `intervals`, oldest first per route."""
    names = provider_names or {}
    timelines: dict[tuple[str, str, str], list[IntervalLike]] = defaultdict(list)
    for i in intervals:
        timelines[(i.provider, i.provider_model_id, i.source)].append(i)
    found: dict[RouteKey, list[PriceChange]] = defaultdict(list)
    for (provider, model_id, source), timeline in timelines.items():
        # Intervals without a start ("before records") come first: only a dated start can be a change.
        timeline.sort(key=lambda i: (i.valid_from is not None, i.valid_from or date.min))
        if _overlaps(timeline):
            continue  # the source priced the route twice at once: which price changed is unknowable
        for before, after in pairwise(timeline):
            start = after.valid_from
            if start is None or before.valid_to != start:
                continue  # a gap: the route was gone for a while and came back, not a re-pricing
            if (before.input, before.output) == (after.input, after.output):
                continue
            found[(provider, model_id)].append(
                PriceChange(
                    start,
                    provider,
                    names.get(provider, provider),
                    model_id,
                    source,
                    TokenPrices(before.input, before.output),
                    TokenPrices(after.input, after.output),
                )
            )
    for changes in found.values():
        changes.sort(key=lambda c: (c.date, c.source))
    return dict(found)


def _overlaps(timeline: Sequence[IntervalLike]) -> bool:
    """Two prices in force at once in one source's timeline of one route (sorted by start). It happens
    where a source lists one route several times, as genai-prices lists Hugging Face's model ids once
    per inference provider behind them."""
    for before, after in pairwise(timeline):
        if before.valid_to is None or after.valid_from is None or after.valid_from < before.valid_to:
            return True
    return False


def last_price_change(
    changes: Sequence[PriceChange], price_source: str | None, current: TokenPrices, today: date
) -> PriceChange | None:
    """The change behind a route's price as shown on `today`: the latest one in force (a source's
    scheduled future price is not), recorded by the source the price is read from, or by another
    source whose new price is the one shown; None when no recorded change explains it."""
    fitting = [c for c in changes if c.date <= today and (c.source == price_source or c.new == current)]
    if not fitting:
        return None
    return max(fitting, key=lambda c: (c.date, c.source == price_source, c.source))


def route_price_change(
    route: Offering, changes: Mapping[RouteKey, Sequence[PriceChange]] | None, today: date
) -> PriceChange | None:
    """`last_price_change` of one route of the catalog, its price and price source read from it."""
    if not changes:
        return None
    found = changes.get((route.provider_id, route.provider_model_id))
    if not found:
        return None
    source = route.price_provenance.source if route.price_provenance else None
    return last_price_change(found, source, TokenPrices(route.price.input, route.price.output), today)


# --- timelines for a chart -------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceStep:
    """One price of a route, in force from `start` (None: before the records) to `end` (None: now)."""

    start: date | None
    end: date | None
    prices: TokenPrices


@dataclass(frozen=True)
class RouteTimeline:
    provider: str
    provider_name: str
    provider_model_id: str
    source: str
    steps: list[PriceStep]  # oldest first, none overlapping

    @property
    def label(self) -> str:
        return f"{self.provider_name} · {self.provider_model_id}"


def route_timelines(
    intervals: Iterable[IntervalLike],
    provider_names: Mapping[str, str] | None = None,
    price_sources: Mapping[RouteKey, str] | None = None,
) -> list[RouteTimeline]:
    """One timeline per route: the source its price is read from (`price_sources`), else the source
    with the most recorded prices. Timelines with two prices in force at once are never chosen; a
    route with no other is left out. Cheapest current output price first."""
    names, chosen_sources = provider_names or {}, price_sources or {}
    by_route: dict[RouteKey, dict[str, list[IntervalLike]]] = defaultdict(lambda: defaultdict(list))
    for i in intervals:
        by_route[(i.provider, i.provider_model_id)][i.source].append(i)
    timelines = []
    for (provider, model_id), sources in by_route.items():
        usable = {}
        for source, timeline in sources.items():
            timeline.sort(key=lambda i: (i.valid_from is not None, i.valid_from or date.min))
            if not _overlaps(timeline):
                usable[source] = timeline
        if not usable:
            continue
        preferred = chosen_sources.get((provider, model_id))
        source = preferred if preferred in usable else max(usable, key=lambda s: (len(usable[s]), s))
        steps = [PriceStep(i.valid_from, i.valid_to, TokenPrices(i.input, i.output)) for i in usable[source]]
        timelines.append(RouteTimeline(provider, names.get(provider, provider), model_id, source, steps))
    big = Decimal("Infinity")
    return sorted(timelines, key=lambda t: (t.steps[-1].prices.output or big, t.label, t.source))


def price_sources(routes: Iterable[Offering]) -> dict[RouteKey, str]:
    """The source each route's shown price is read from: the timeline a chart draws for it."""
    return {
        (o.provider_id, o.provider_model_id): o.price_provenance.source
        for o in routes
        if o.price_provenance is not None
    }
