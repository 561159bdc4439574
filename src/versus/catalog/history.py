"""Price history and catalog changes, as plans computed from one build and what the database held before.

Pure: the store applies a plan in the same transaction as the catalog swap, so history never records
a catalog that was not served. Each source keeps its own timeline of each route's price: a price is
an interval (`valid_from`, `valid_to`), and a new price from the same source closes the open interval
and opens another — a price change. Dated prices a source states (genai-prices' start dates) become
intervals the first time the route is seen. Changes between generations are new models, new and
removed routes, and price changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from versus.catalog.types import Offering, RoutePrice

if TYPE_CHECKING:
    from versus.catalog.records import DatedPrice

HistoryKey = tuple[str, str, str]  # (provider, provider model id, source)
RouteKey = tuple[str, str]
Prices = tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]


def prices_of(price: RoutePrice) -> Prices:
    return (price.input, price.output, price.cache_read, price.cache_write)


@dataclass(frozen=True)
class RoutePriceRecord:
    """One source's price of one route in a build, with the date its data is from (None: undated)."""

    provider_id: str
    provider_model_id: str
    model_id: str
    source: str
    snapshot: str
    prices: Prices
    since: date | None
    dated: tuple[DatedPrice, ...] = ()

    @property
    def key(self) -> HistoryKey:
        return (self.provider_id, self.provider_model_id, self.source)


@dataclass(frozen=True)
class OpenInterval:
    """A source's current price of a route as history holds it."""

    id: int
    prices: Prices
    valid_from: date | None


@dataclass(frozen=True)
class Interval:
    provider_id: str
    provider_model_id: str
    model_id: str
    source: str
    snapshot: str
    prices: Prices
    valid_from: date | None
    valid_to: date | None = None


@dataclass(frozen=True)
class Change:
    kind: str  # new_model | new_route | removed_route | price_change
    model_id: str
    date: date
    source: str
    provider_id: str | None = None
    provider_model_id: str | None = None
    old: tuple[Decimal | None, Decimal | None] | None = None  # (input, output)
    new: tuple[Decimal | None, Decimal | None] | None = None


@dataclass
class HistoryPlan:
    close: list[tuple[int, date]] = field(default_factory=list)  # (open interval id, valid_to)
    add: list[Interval] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


@dataclass(frozen=True)
class PreviousCatalog:
    """What the generation being replaced served: its models, and each route's model and prices."""

    models: frozenset[str]
    routes: Mapping[RouteKey, tuple[str, Prices]]


def plan_history(
    records: Sequence[RoutePriceRecord],
    offerings: Sequence[Offering],
    open_intervals: Mapping[HistoryKey, OpenInterval],
    seen: frozenset[HistoryKey],
    sources_loaded: frozenset[str],
    previous: PreviousCatalog | None,
    today: date,
) -> HistoryPlan:
    """What to write for a new build. `seen` are the (route, source) pairs history has ever recorded;
    only the timelines of sources loaded in this build can end."""
    plan = HistoryPlan()
    current: set[HistoryKey] = set()
    for r in records:
        current.add(r.key)
        opened = open_intervals.get(r.key)
        if opened is None:
            if r.key not in seen and r.dated:
                plan.add += _dated_intervals(r, plan.changes)
            else:
                plan.add.append(_interval(r, r.prices, r.since))
        elif opened.prices != r.prices:
            when = r.since or today  # undated new data: first seen in this build
            when = max(when, opened.valid_from) if opened.valid_from else when
            plan.close.append((opened.id, when))
            plan.add.append(_interval(r, r.prices, when))
            if opened.prices[:2] != r.prices[:2]:  # a change of cache prices only is history, not news
                plan.changes.append(
                    Change(
                        "price_change",
                        r.model_id,
                        when,
                        r.source,
                        r.provider_id,
                        r.provider_model_id,
                        opened.prices[:2],
                        r.prices[:2],
                    )
                )
    for key, opened in open_intervals.items():
        if key not in current and key[2] in sources_loaded:
            plan.close.append((opened.id, today))
    if previous is not None:
        plan.changes += _catalog_changes(offerings, records, previous, today)
    return plan


def _interval(r: RoutePriceRecord, prices: Prices, since: date | None, until: date | None = None) -> Interval:
    return Interval(r.provider_id, r.provider_model_id, r.model_id, r.source, r.snapshot, prices, since, until)


def _dated_intervals(r: RoutePriceRecord, changes: list[Change]) -> list[Interval]:
    intervals = []
    for index, dated in enumerate(r.dated):
        until = r.dated[index + 1].start if index + 1 < len(r.dated) else None
        prices = prices_of(dated.price)
        intervals.append(_interval(r, prices, dated.start, until))
        if index and dated.start is not None:
            before = prices_of(r.dated[index - 1].price)
            if before[:2] != prices[:2]:
                changes.append(
                    Change(
                        "price_change",
                        r.model_id,
                        dated.start,
                        r.source,
                        r.provider_id,
                        r.provider_model_id,
                        before[:2],
                        prices[:2],
                    )
                )
    return intervals


def _catalog_changes(
    offerings: Sequence[Offering], records: Sequence[RoutePriceRecord], previous: PreviousCatalog, today: date
) -> list[Change]:
    """New models, new routes and removed routes against the generation being replaced."""
    dated = {(r.provider_id, r.provider_model_id): r.since for r in records if r.since}
    changes = []
    now: dict[RouteKey, Offering] = {(o.provider_id, o.provider_model_id): o for o in offerings}
    new_models: dict[str, tuple[date, str]] = {}
    for key, o in sorted(now.items()):
        if key in previous.routes:
            continue
        source = o.price_provenance.source if o.price_provenance else o.provenance[0].source
        when = dated.get(key) or today
        if o.model_id not in previous.models:
            new_models.setdefault(o.model_id, (when, source))
        changes.append(Change("new_route", o.model_id, when, source, *key, None, (o.price.input, o.price.output)))
    for model_id, (when, source) in sorted(new_models.items()):
        changes.append(Change("new_model", model_id, when, source))
    for key, (model_id, prices) in sorted(previous.routes.items()):
        if key not in now:
            changes.append(Change("removed_route", model_id, today, "catalog", *key, prices[:2], None))
    return changes
