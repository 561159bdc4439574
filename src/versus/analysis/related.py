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


def build_candidates(rows: Sequence[tuple[str, str, str | None, str, float | None]]) -> list[Candidate]:
    """Candidates from (id, name, family, comma-separated providers, cheapest output) rows."""
    return [
        Candidate(
            model_id,
            name,
            family,
            Decimal(str(cheapest)) if cheapest is not None else None,
            frozenset(p for p in providers.split(",") if p),
            math.log(cheapest) if cheapest else None,
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
        if model.family:
            family = [c for c in index.by_family.get(model.family, []) if c.id not in excluded]
            add(model, family[:per_reason], "same family")
        if model.log_price is not None:
            log_price = model.log_price
            others = (c for c in index.priced if c.id not in excluded and c.family != model.family)
            closest = heapq.nsmallest(
                per_reason, others, key=lambda c: (abs(log_price - (c.log_price or 0.0)), -len(c.providers), c.id)
            )
            add(model, closest, "similar price")
        overlap: dict[str, int] = defaultdict(int)
        for provider in model.providers:
            for other in index.by_provider.get(provider, []):
                if other.id not in excluded and other.family != model.family:
                    overlap[other.id] += 1
        ranked = heapq.nsmallest(per_reason, overlap, key=lambda i: (-overlap[i], i))
        add(model, [index.by_id[i] for i in ranked], "shared providers")
    return found
