"""Related comparisons to continue with: same family, similar price, shared providers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Candidate:
    """What choosing a related comparison needs to know about any catalog model."""

    id: str
    name: str
    family: str | None
    cheapest_output: Decimal | None
    providers: frozenset[str]


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
        )
        for model_id, name, family, providers, cheapest in rows
    ]


def related_comparisons(
    compared: Sequence[str], candidates: Sequence[Candidate], per_reason: int = 2
) -> list[RelatedComparison]:
    """For each compared model, up to `per_reason` other models per reason, best first."""
    by_id = {c.id: c for c in candidates}
    others = [c for c in candidates if c.id not in compared and c.providers]
    found: list[RelatedComparison] = []
    seen: set[tuple[str, str]] = set()

    def add(model: Candidate, other: Candidate, reason: str) -> None:
        key = (model.id, other.id)
        if key not in seen:
            seen.add(key)
            found.append(RelatedComparison([model.id, other.id], [model.name, other.name], reason))

    for model_id in compared:
        model = by_id.get(model_id)
        if model is None:
            continue
        if model.family:
            family = [c for c in others if c.family == model.family]
            for other in sorted(family, key=lambda c: (-len(c.providers), c.id))[:per_reason]:
                add(model, other, "same family")
        if model.cheapest_output:
            price = model.cheapest_output
            priced = [c for c in others if c.cheapest_output and c.family != model.family]
            closest = sorted(priced, key=lambda c: (_distance(price, c.cheapest_output), -len(c.providers), c.id))
            for other in closest[:per_reason]:
                add(model, other, "similar price")
        overlap = [c for c in others if c.family != model.family and model.providers & c.providers]
        ranked = sorted(overlap, key=lambda c: (-len(model.providers & c.providers), c.id))
        for other in ranked[:per_reason]:
            add(model, other, "shared providers")
    return found


def _distance(a: Decimal, b: Decimal | None) -> float:
    assert b is not None
    return abs(math.log(float(a)) - math.log(float(b)))
