"""Reading the catalog: models, routes, providers, names, search and data quality, each with the
checks that belong to it (an unknown provider or capability is refused here, once, for every view)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from versus.catalog.lookup import UnknownModel, find_model, resolve_provider_model, search_models, suggest_names
from versus.catalog.store import CatalogStore
from versus.catalog.types import CAPABILITIES, Model, ModelSummary, Offering, Provider
from versus.services.errors import BadInput, NotFound

if TYPE_CHECKING:
    from versus.analysis.benchmarks import ModelResult
    from versus.analysis.doctor import DoctorReport
    from versus.catalog.identity import Naming

# The longest model or provider id in the catalog is ~60 characters; a longer name matches nothing,
# and each look-up of one costs fuzzy matching over every model.
MAX_NAME_CHARS = 200


class CatalogService:
    """One generation of one catalog database, read through the checks every view needs."""

    def __init__(self, store: CatalogStore) -> None:
        self.store = store

    @property
    def location(self) -> str:
        """Where the catalog lives, fit to show (a URL without its password)."""
        return self.store.location

    @property
    def generation(self) -> int:
        return self.store.generation

    def change_token(self) -> tuple[int | None, int | None]:
        """(newest generation, newest evidence row) in the database: changes when a rebuild or run lands."""
        return self.store.change_token()

    def newest(self) -> CatalogService:
        """The same database at its newest generation (after a rebuild this service does not see)."""
        return CatalogService(CatalogStore(self.store.db))

    # --- the build --------------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        """How this generation was built: sources and their versions, date, format."""
        return self.store.built_meta()

    def source_errors(self) -> list[dict[str, str]]:
        """Records a source (or a curated file) could not read: reported, the rest kept."""
        return self.store.source_errors()

    def naming(self) -> Naming:
        return self.store.naming()

    # --- models -----------------------------------------------------------------------------------

    def summaries(self) -> list[ModelSummary]:
        return self.store.summaries()

    @cached_property
    def model_ids(self) -> frozenset[str]:
        """Every canonical id: a set look-up, where reading a model costs milliseconds."""
        return frozenset(m.id for m in self.store.summaries())

    def models(self) -> list[Model]:
        return self.store.models()

    def model(self, model_id: str) -> Model | None:
        return self.store.model(model_id)

    def find(self, name: str) -> str:
        """The canonical id a user's name for a model means; NotFound with the nearest names otherwise
        (BadInput for a name too long to be any model's: fuzzy-matching it would only cost)."""
        if len(name) > MAX_NAME_CHARS:
            raise BadInput(f"a model name of {len(name):,} characters names no model (at most {MAX_NAME_CHARS})")
        try:
            return find_model(name, self.store).model_id
        except UnknownModel as exc:
            raise NotFound(str(exc), exc.suggestions) from exc

    def found(self, name: str) -> Model:
        """The model a user's name means (see find)."""
        model = self.store.model(self.find(name))
        if model is None:  # a name resolved to an id this generation does not hold
            raise NotFound(f"no model {name!r}")
        return model

    def search(
        self,
        query: str = "",
        capabilities: Sequence[str] = (),
        provider: str | None = None,
        min_context: int | None = None,
    ) -> list[ModelSummary]:
        """Models whose id, name or creator hold every word of `query`, with every capability, served by
        `provider`, with at least `min_context` tokens; most offered first. Capabilities may be spelt
        with dashes (`function-calling`)."""
        capabilities = [name.replace("-", "_") for name in capabilities]
        for name in capabilities:
            self.check_capability(name)
        served = None
        if provider:
            self.provider(provider)
            served = {o.model_id for o in self.store.offerings(provider_id=provider)}
        return search_models(self.store.summaries(), query, list(capabilities), served, min_context)

    @staticmethod
    def check_capability(name: str) -> None:
        if name not in CAPABILITIES:
            raise BadInput(f"unknown capability {name!r}; choose from {', '.join(CAPABILITIES)}")

    # --- routes and providers ---------------------------------------------------------------------

    def routes(self, model_id: str | None = None, provider_id: str | None = None) -> list[Offering]:
        """Routes of a model, of a provider, or every route."""
        return self.store.offerings(model_id, provider_id=provider_id)

    def route_listing(self) -> list[Offering]:
        """Every route with what a listing of routes shows (prices, class, flags, context), read lightly."""
        return self.store.route_listing()

    def route(self, provider_id: str, provider_model_id: str) -> Offering:
        """One provider's route by its own model id (any case); NotFound otherwise."""
        self.provider(provider_id)
        wanted = provider_model_id.lower()
        for offering in self.store.offerings(provider_id=provider_id):
            if offering.provider_model_id.lower() == wanted:
                return offering
        raise NotFound(f"{provider_id} lists no route {provider_model_id!r}; `versus routes MODEL` shows the exact ids")

    def route_counts(self) -> dict[str, int]:
        """Pay-per-token routes per model (what 'most offered' means)."""
        return self.store.pay_per_token_route_counts()

    def providers(self) -> list[tuple[Provider, int]]:
        """Every provider with its number of routes."""
        return self._providers

    @cached_property
    def _providers(self) -> list[tuple[Provider, int]]:
        return self.store.providers()

    @cached_property
    def providers_by_id(self) -> dict[str, Provider]:
        return {p.id: p for p, _ in self._providers}

    def provider(self, provider_id: str) -> Provider:
        """The provider with this id; NotFound with the nearest ids otherwise."""
        found = self.providers_by_id.get(provider_id)
        if found is None:
            suggestions = suggest_names(provider_id[:MAX_NAME_CHARS], list(self.providers_by_id))
            raise NotFound(f"unknown provider {provider_id!r}; `versus providers` lists them", suggestions)
        return found

    def resolve(self, provider_id: str, provider_model_id: str) -> dict[str, Any]:
        """Which canonical model a provider's model id is, and how sure that is."""
        from versus.catalog.overlay import alias_rules

        self.provider(provider_id)
        if len(provider_model_id) > MAX_NAME_CHARS:
            raise NotFound(f"{provider_id}:{provider_model_id[:60]}… matches no model in the catalog")
        result = resolve_provider_model(self.store, provider_id, provider_model_id, alias_rules())
        if result is None:
            raise NotFound(f"{provider_id}:{provider_model_id} matches no model in the catalog")
        return result

    # --- benchmarks and data quality --------------------------------------------------------------

    def benchmark_results(self, model_id: str) -> list[ModelResult]:
        """Every leaderboard result matched to a model, in listing order."""
        from versus.analysis.benchmarks import result_order, results_from_rows

        return sorted(results_from_rows(self.store.benchmark_results(model_ids=[model_id])), key=result_order)

    def doctor(self) -> DoctorReport:
        """What a careful buyer should know before trusting the catalog's figures."""
        from versus.analysis.doctor import diagnose

        return diagnose(
            self.store.models(),
            self.store.offerings(),
            self.store.source_errors(),
            naming=self.store.naming(),
            benchmark_unmatched=self.store.benchmark_unmatched(),
        )
