"""Switch friction: what changes when traffic moves from one compared model to another."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from versus.analysis.compare import ModelSide, PriceStanding


@dataclass(frozen=True)
class Friction:
    """Moving traffic from `from_id` to `to_id`. Deltas are `to` minus `from` (negative saves money)."""

    from_id: str
    to_id: str
    shared_providers: list[str]
    input_delta: Decimal | None
    output_delta: Decimal | None
    monthly_delta: Decimal | None
    gained: list[str]  # capabilities Yes on `to`, No on `from`
    lost: list[str]  # Yes on `from`, No on `to`
    unverified: list[str]  # Yes on `from`, unknown on `to`: test before moving traffic
    context_from: int | None
    context_to: int | None
    license_from: str | None
    license_to: str | None


def switch_friction(sides: Sequence[ModelSide], shared_providers: list[str]) -> list[Friction]:
    """Both directions for a pair; for three or more, each model towards the cheapest at the profile."""
    if len(sides) == 2:
        pairs = [(sides[0], sides[1]), (sides[1], sides[0])]
    else:
        costed = [s for s in sides if s.cost is not None]
        target = min(costed, key=lambda s: (s.cost.monthly, s.id)) if costed else sides[0]  # type: ignore[union-attr]
        pairs = [(s, target) for s in sides if s is not target]
    return [_friction(a, b, shared_providers if len(sides) == 2 else _shared(a, b)) for a, b in pairs]


def _shared(a: ModelSide, b: ModelSide) -> list[str]:
    return sorted(set(a.providers) & set(b.providers))


def _price(standing: PriceStanding | None) -> Decimal | None:
    return standing.price if standing else None


def _delta(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else b - a


def _friction(a: ModelSide, b: ModelSide, shared: list[str]) -> Friction:
    caps_a, caps_b = a.capabilities, b.capabilities
    return Friction(
        from_id=a.id,
        to_id=b.id,
        shared_providers=shared,
        input_delta=_delta(_price(a.input_price), _price(b.input_price)),
        output_delta=_delta(_price(a.output_price), _price(b.output_price)),
        monthly_delta=_delta(a.cost.monthly if a.cost else None, b.cost.monthly if b.cost else None),
        gained=[c for c in caps_b if caps_b[c] is True and caps_a.get(c) is False],
        lost=[c for c in caps_a if caps_a[c] is True and caps_b.get(c) is False],
        unverified=[c for c in caps_a if caps_a[c] is True and caps_b.get(c) is None],
        context_from=a.context_window,
        context_to=b.context_window,
        license_from=a.license_name,
        license_to=b.license_name,
    )
