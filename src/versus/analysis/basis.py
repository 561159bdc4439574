"""Which route a model's cost is priced on (its basis), and the cheapest trustworthy route beside it.

By default a model is priced as Artificial Analysis prices it: at its maker's list price, falling
back to the cheapest cloud or host route only where the maker does not sell it, and to a gateway
only where nobody else does. Flagged routes (variants, serving variants, suspect records) are never
priced unless the user asks. The user can price on the cheapest route of any class instead, and
limit or exclude providers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from versus.analysis.pricing import CostedRoute, Tiebreak, by_provider, price_at_traffic
from versus.analysis.traffic import TrafficProfile
from versus.catalog.types import Offering, RouteClass


class Basis(StrEnum):
    MAKER = "maker"  # the maker's list price, else the cheapest cloud/host route, else any route
    CHEAPEST = "cheapest"  # the cheapest allowed route of any class


class BasisError(ValueError):
    """A route policy that names nothing real; the message says what and suggests."""

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        hint = f". Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(message + hint)
        self.suggestions = suggestions or []


@dataclass(frozen=True)
class RoutePolicy:
    """Which routes may price a model, and how the basis route is chosen among them."""

    basis: Basis = Basis.MAKER
    providers: frozenset[str] = frozenset()  # only these providers (empty: every provider)
    excluded: frozenset[str] = frozenset()
    include_flagged: bool = False

    def allows(self, o: Offering) -> bool:
        """A production route this policy may price on (variants never: they are not real-time service)."""
        if not o.is_production:
            return False
        if self.providers and o.provider_id not in self.providers:
            return False
        if o.provider_id in self.excluded:
            return False
        return self.include_flagged or not o.flags

    @property
    def is_default(self) -> bool:
        return self == RoutePolicy()

    def describe(self) -> str:
        """The policy in words, for every view that states what a cost is priced on."""
        text = (
            "the maker's list price where the maker sells the model, else the cheapest cloud or host route, "
            "else the cheapest route"
            if self.basis is Basis.MAKER
            else "the cheapest route of any class"
        )
        limits = []
        if self.providers:
            limits.append(f"only on {', '.join(sorted(self.providers))}")
        if self.excluded:
            limits.append(f"never on {', '.join(sorted(self.excluded))}")
        limits.append("flagged routes included" if self.include_flagged else "flagged routes left out")
        return f"{text} ({'; '.join(limits)})"


DEFAULT_POLICY = RoutePolicy()


@dataclass(frozen=True)
class BasisRoute:
    costed: CostedRoute
    rule: str  # why this route: "maker's list price", "cheapest cloud or host route: …", …


_HOSTED = (RouteClass.CLOUD, RouteClass.HOST)


def costed_routes(offerings: Sequence[Offering], profile: TrafficProfile, policy: RoutePolicy) -> list[CostedRoute]:
    return [
        CostedRoute(o, cost)
        for o in offerings
        if policy.allows(o) and (cost := price_at_traffic(o.price, profile)) is not None
    ]


def _cheapest(routes: Sequence[CostedRoute], tiebreak: Tiebreak) -> CostedRoute | None:
    return min(routes, key=lambda c: (c.cost.monthly, tiebreak(c.offering)), default=None)


def choose_basis(
    offerings: Sequence[Offering], profile: TrafficProfile, policy: RoutePolicy, tiebreak: Tiebreak = by_provider
) -> BasisRoute | None:
    """The route a model's cost is priced on under `policy`, and why; None when no route qualifies."""
    routes = costed_routes(offerings, profile, policy)
    if not routes:
        return None
    if policy.basis is Basis.CHEAPEST:
        best = _cheapest(routes, tiebreak)
        return BasisRoute(best, "the cheapest route of any class") if best else None
    maker = _cheapest([c for c in routes if c.offering.route_class is RouteClass.MAKER], tiebreak)
    if maker:
        return BasisRoute(maker, "the maker's list price")
    hosted = _cheapest([c for c in routes if c.offering.route_class in _HOSTED], tiebreak)
    if hosted:
        return BasisRoute(hosted, "the cheapest cloud or host route (the maker does not sell it here)")
    anyone = _cheapest(routes, tiebreak)
    return BasisRoute(anyone, "the cheapest route (only gateways list it)") if anyone else None


def cheapest_route(
    offerings: Sequence[Offering], profile: TrafficProfile, policy: RoutePolicy, tiebreak: Tiebreak = by_provider
) -> CostedRoute | None:
    """The cheapest route the policy allows, of any class, whatever the basis."""
    return _cheapest(costed_routes(offerings, profile, policy), tiebreak)
