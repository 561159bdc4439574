"""Provider identity across sources: one canonical provider (models.dev's id) per company or service."""

from __future__ import annotations

from collections.abc import Sequence

from versus.catalog.overlay import ProviderRegistry
from versus.catalog.records import SourceProvider
from versus.catalog.types import Provider, RouteClass, RouteKind

# Sources in the order their provider names, URLs and keys are trusted.
_SOURCE_ORDER = ("models-dev", "genai-prices", "openrouter", "litellm")


def provider_id_map(registry: ProviderRegistry) -> dict[tuple[str, str], str]:
    """(source, source's provider id) -> canonical provider id, from the registry's aliases."""
    mapping: dict[tuple[str, str], str] = {}
    for entry in registry.providers:
        for source, ids in entry.aliases.items():
            for alias in ids:
                mapping[(source, alias)] = entry.id
    return mapping


def canonical_provider_id(source: str, provider_id: str, mapping: dict[tuple[str, str], str]) -> str:
    """A source's provider id is canonical unless the registry names it an alias of another."""
    return mapping.get((source, provider_id), provider_id)


def build_providers(
    registry: ProviderRegistry, records: Sequence[SourceProvider], mapping: dict[tuple[str, str], str]
) -> dict[str, Provider]:
    """Merge the registry's kind and overrides with what the sources say about each provider."""
    entries = {entry.id: entry for entry in registry.providers}
    ordered = sorted(records, key=lambda r: _SOURCE_ORDER.index(r.source) if r.source in _SOURCE_ORDER else 99)
    providers: dict[str, Provider] = {}
    for record in ordered:
        pid = canonical_provider_id(record.source, record.id, mapping)
        entry = entries.get(pid)
        provider = providers.get(pid)
        if provider is None:
            provider = providers[pid] = Provider(
                id=pid,
                name=(entry.name if entry and entry.name else record.name),
                route_class=RouteClass(entry.class_) if entry else RouteClass.HOST,
                route_kind=RouteKind(entry.route_kind) if entry else RouteKind.PAY_PER_TOKEN,
                docs_url=entry.docs_url if entry and entry.docs_url else None,
                api_base_url=entry.api_base_url if entry and entry.api_base_url else None,
                api_key_env=entry.api_key_env if entry and entry.api_key_env else None,
            )
        provider.source_ids[record.source] = record.id
        provider.docs_url = provider.docs_url or record.docs_url
        provider.api_base_url = provider.api_base_url or record.api_base_url
        provider.api_key_env = provider.api_key_env or record.api_key_env
    return providers
