"""Related comparisons to continue with: same family, similar price, shared providers."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
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
        self.priced = [c for c in served if c.log_price is not None]
        self.by_provider: dict[str, list[Candidate]] = defaultdict(list)
        for c in served:
            for provider in c.providers:
                self.by_provider[provider].append(c)
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
            if model.log_price is None:
                return []
            log_price = model.log_price
            others = (c for c in self.priced if c.id != model.id and c.family != model.family)
            return heapq.nsmallest(
                count, others, key=lambda c: (abs(log_price - (c.log_price or 0.0)), -len(c.providers), c.id)
            )
        overlap: dict[str, int] = defaultdict(int)
        for provider in model.providers:
            for other in self.by_provider.get(provider, []):
                if other.id != model.id and (other.family != model.family or not model.family):
                    overlap[other.id] += 1
        return [self.by_id[i] for i in heapq.nsmallest(count, overlap, key=lambda i: (-overlap[i], i))]


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
