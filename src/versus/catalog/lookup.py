"""Finding models and routes from what a user types: canonical ids, provider ids, or loose names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from versus.catalog.types import ModelSummary, Resolution, RouteKey

if TYPE_CHECKING:
    from versus.catalog.identity import NamingRules
    from versus.catalog.overlay import AliasFile
    from versus.catalog.store import CatalogStore


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


class ModelIndex(Protocol):
    """The look-ups `find_model` needs; the store answers them with indexed SQL."""

    def models_by_id(self, text: str) -> list[tuple[str, int]]: ...

    def models_served_as(self, provider_model_id: str) -> list[tuple[str, int]]: ...

    def models_with_key(self, key: str) -> list[tuple[str, int]]: ...

    def models_with_key_prefix(self, key: str) -> list[tuple[str, int, tuple[str, ...]]]: ...

    def summaries(self) -> list[ModelSummary]: ...

    def naming(self) -> NamingRules:
        """The id normalisation rules (asked for only when a query is not an id the catalog lists)."""
        ...


def find_model(query: str, index: ModelIndex) -> Match:
    """The model a query names, tried from most to least exact; UnknownModel with suggestions if none.

    Ties go to the model with the most routes: `gpt-4o` means the model everyone serves under that id.
    """
    text = query.strip()
    if hits := index.models_by_id(text):
        return Match(_most_offered(hits), "canonical id")
    if hits := index.models_served_as(text):
        return Match(_most_offered(hits), "a provider's model id")
    from versus.catalog.identity import parse_model_id  # here: a canonical id needs no normalising

    key = parse_model_id("", text, index.naming()).key
    if not key:
        raise UnknownModel(query, [])
    if hits := index.models_with_key(key):
        return Match(_most_offered(hits), "normalised name")
    if prefixed := index.models_with_key_prefix(key):
        best = min(prefixed, key=lambda m: (min(len(k) for k in m[2] if k.startswith(key)), -m[1], m[0]))
        return Match(best[0], f"closest name starting with {text!r}")
    raise UnknownModel(query, suggest(text, index.summaries()))


def _most_offered(hits: Sequence[tuple[str, int]]) -> str:
    return max(hits, key=lambda hit: (hit[1], hit[0]))[0]


def search_models(
    summaries: Sequence[ModelSummary],
    query: str = "",
    capabilities: Sequence[str] = (),
    served: set[str] | None = None,
    min_context: int | None = None,
) -> list[ModelSummary]:
    """Models whose id, name or creator hold every word of `query`, with every capability, served by
    the provider whose models are `served`, with at least `min_context`; most routes first."""
    words = query.lower().split()
    found = [
        m
        for m in summaries
        if all(w in f"{m.id} {m.name} {m.creator}".lower() for w in words)
        and all(m.capabilities.get(c) is True for c in capabilities)
        and (served is None or m.id in served)
        and (min_context is None or (m.context_window or 0) >= min_context)
    ]
    return sorted(found, key=lambda m: (-m.routes, m.id))


def suggest_names(text: str, names: Sequence[str], limit: int = 3) -> list[str]:
    """The names closest to `text`, for 'did you mean' on providers and other short ids."""
    from rapidfuzz import fuzz, process

    found = process.extract(text.lower(), list(names), scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
    return [name for name, _, _ in found]


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
    from versus.catalog.identity import alias_targets, parse_model_id

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


def resolve_provider_model(
    store: CatalogStore, provider: str, provider_model_id: str, rules: AliasFile
) -> dict[str, object] | None:
    """`versus resolve` and `/api/resolve`: the stored resolution of a listed route, else the same rules
    applied to an unlisted id; None when nothing matches."""
    wanted = provider_model_id.lower()
    listed = [o for o in store.offerings(provider_id=provider) if o.provider_model_id.lower() == wanted]
    resolution = (
        listed[0].resolution
        if listed
        else resolve_unlisted_route(provider, provider_model_id, store.route_keys(), rules)
    )
    if resolution is None:
        return None
    return {
        "provider": provider,
        "provider_model_id": provider_model_id,
        "model": resolution.model_id,
        "confidence": resolution.confidence,
        "reason": resolution.reason,
        "listed_route": bool(listed),
    }
