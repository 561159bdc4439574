"""Related comparisons to continue with: same family, similar price, shared providers."""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Candidate:
    """What choosing a related comparison needs to know about any catalog model."""

    id: str
    name: str
    family: str | None
    cheapest_output: Decimal | None
    providers: frozenset[str]
    log_price: float | None = field(default=None, compare=False)


@dataclass(frozen=True)
class RelatedComparison:
    model_ids: list[str]
    names: list[str]
    reason: str  # "same family", "similar price" or "shared providers"


def build_candidates(rows: Sequence[tuple[str, str, str | None, str, Decimal | float | None]]) -> list[Candidate]:
    """Candidates from (id, name, family, comma-separated providers, cheapest output) rows."""
    return [
        Candidate(
            model_id,
            name,
            family,
            Decimal(str(cheapest)) if cheapest is not None else None,
            frozenset(p for p in providers.split(",") if p),
            math.log(float(cheapest)) if cheapest else None,
        )
        for model_id, name, family, providers, cheapest in rows
    ]


class CandidateIndex:
    """Candidates indexed once, so each comparison's related list costs little (the site builds thousands)."""

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        self.by_id = {c.id: c for c in candidates}
        served = [c for c in candidates if c.providers]
        self.by_family: dict[str, list[Candidate]] = defaultdict(list)
        for c in served:
            if c.family:
                self.by_family[c.family].append(c)
        for members in self.by_family.values():
            members.sort(key=lambda c: (-len(c.providers), c.id))
        self.priced = sorted((c for c in served if c.log_price is not None), key=lambda c: c.log_price or 0.0)
        self._log_prices = [c.log_price or 0.0 for c in self.priced]
        self.ids_by_provider: dict[str, list[str]] = defaultdict(list)
        for c in served:
            for provider in c.providers:
                self.ids_by_provider[provider].append(c.id)
        self._nearest: dict[tuple[str, str, int], list[Candidate]] = {}

    def nearest(self, model: Candidate, reason: str, count: int) -> list[Candidate]:
        """The `count` best candidates for `model` by one reason, excluding only the model itself;
        memoised, since a site compares every model with many others."""
        key = (model.id, reason, count)
        if key not in self._nearest:
            self._nearest[key] = self._rank(model, reason, count)
        return self._nearest[key]

    def _rank(self, model: Candidate, reason: str, count: int) -> list[Candidate]:
        if reason == "same family":
            return [c for c in self.by_family.get(model.family or "", []) if c.id != model.id][:count]
        if reason == "similar price":
            return self._similar_price(model, count) if model.log_price is not None else []
        overlap: Counter[str] = Counter()
        for provider in model.providers:
            overlap.update(self.ids_by_provider.get(provider, ()))
        others = (i for i in overlap if i != model.id and (not model.family or self.by_id[i].family != model.family))
        return [self.by_id[i] for i in heapq.nsmallest(count, others, key=lambda i: (-overlap[i], i))]

    def _similar_price(self, model: Candidate, count: int) -> list[Candidate]:
        """The `count` other-family models nearest in log price (ties: more providers, then id): walked
        outwards from the model's price, stopping once no farther model can tie the last one taken."""
        log_price, prices, n = model.log_price or 0.0, self._log_prices, len(self._log_prices)
        below, above = bisect_left(prices, log_price) - 1, bisect_left(prices, log_price)
        found: list[tuple[float, int, str, Candidate]] = []
        farthest = math.inf  # the distance of the count-th model found, once found
        while below >= 0 or above < n:
            down = log_price - prices[below] if below >= 0 else math.inf
            up = prices[above] - log_price if above < n else math.inf
            if down <= up:
                distance, other, below = down, self.priced[below], below - 1
            else:
                distance, other, above = up, self.priced[above], above + 1
            if distance > farthest:
                break
            if other.id != model.id and other.family != model.family:
                found.append((distance, -len(other.providers), other.id, other))
                if len(found) == count:
                    farthest = distance
        return [c for *_, c in sorted(found)[:count]]


def related_comparisons(compared: Sequence[str], index: CandidateIndex, per_reason: int = 2) -> list[RelatedComparison]:
    """For each compared model, up to `per_reason` other models per reason, best first."""
    found: list[RelatedComparison] = []
    seen: set[tuple[str, str]] = set()
    excluded = set(compared)

    def add(model: Candidate, others: list[Candidate], reason: str) -> None:
        for other in others:
            if (model.id, other.id) not in seen:
                seen.add((model.id, other.id))
                found.append(RelatedComparison([model.id, other.id], [model.name, other.name], reason))

    for model_id in compared:
        model = index.by_id.get(model_id)
        if model is None:
            continue
        for reason in ("same family", "similar price", "shared providers"):
            ranked = index.nearest(model, reason, per_reason + len(compared))
            add(model, [c for c in ranked if c.id not in excluded][:per_reason], reason)
    return found
