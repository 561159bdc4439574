"""Finding models and routes from what a user types: canonical ids, provider ids, or loose names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from versus.catalog.identity import NamingRules, parse_model_id
from versus.catalog.store import ModelSummary, RouteKey
from versus.catalog.types import Resolution

if TYPE_CHECKING:
    from versus.catalog.overlay import AliasFile


class UnknownModel(LookupError):
    """Nothing in the catalog matches; carries the closest names to suggest."""

    def __init__(self, query: str, suggestions: list[str]) -> None:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no model matches {query!r}.{hint}")
        self.query = query
        self.suggestions = suggestions


@dataclass(frozen=True)
class Match:
    model_id: str
    how: str


def find_model(query: str, models: Sequence[ModelSummary], routes: Sequence[RouteKey], rules: NamingRules) -> Match:
    """The model a query names, tried from most to least exact; UnknownModel with suggestions if none."""
    text = query.strip()
    lowered = text.lower()
    by_id = {m.id.lower(): m for m in models}
    if lowered in by_id:
        return Match(by_id[lowered].id, "canonical id")
    route_hits = sorted({r.model_id for r in routes if r.provider_model_id.lower() == lowered})
    if route_hits:
        return Match(_most_offered(route_hits, models), "a provider's model id")

    key = parse_model_id("", text, rules).key
    if not key:
        raise UnknownModel(query, [])
    exact = sorted({m.id for m in models if key in m.keys})
    exact += sorted({r.model_id for r in routes if r.match_key == key} - set(exact))
    if exact:
        return Match(_most_offered(exact, models), "normalised name")
    prefixed = [m for m in models if any(k.startswith(key) for k in m.keys)]
    if prefixed:
        best = min(prefixed, key=lambda m: (min(len(k) for k in m.keys if k.startswith(key)), -m.routes, m.id))
        return Match(best.id, f"closest name starting with {text!r}")
    raise UnknownModel(query, suggest(text, models))


def _most_offered(model_ids: Sequence[str], models: Sequence[ModelSummary]) -> str:
    routes = {m.id: m.routes for m in models}
    return max(model_ids, key=lambda m: (routes.get(m, 0), m))


def suggest(text: str, models: Sequence[ModelSummary], limit: int = 5) -> list[str]:
    """The canonical ids closest to `text` by id or name, for 'did you mean'."""
    from rapidfuzz import fuzz, process

    choices = {m.id: f"{m.id} {m.name}".lower() for m in models}
    found = process.extract(text.lower(), choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=50)
    return [model_id for _, _, model_id in found]


def resolve_unlisted_route(
    provider: str, provider_model_id: str, routes: Sequence[RouteKey], rules: AliasFile
) -> Resolution | None:
    """Which model a provider model id the catalog does not list is, by the same rules as listed ones."""
    from versus.catalog.identity import alias_targets

    key = parse_model_id(provider, provider_model_id, rules).key
    targets = alias_targets(rules)
    alias = targets.get((provider, key)) or targets.get(("*", key))
    if alias:
        key = alias[0]
    candidates = sorted({r.model_id for r in routes if r.match_key == key})
    if len(candidates) != 1:
        return None
    how = f"curated alias: {alias[1].reason}" if alias else f"its normalised id {key!r} matches this model's routes"
    return Resolution(candidates[0], 1.0 if alias else 0.8, f"not a listed route of {provider}; {how}")
