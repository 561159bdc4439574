"""Local evidence: which routes a run calls (chosen and checked here, not in the CLI), where it keeps
its results, and reading runs back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from versus.catalog.store import CatalogStore
from versus.services.errors import BadInput, NotFound

if TYPE_CHECKING:
    from versus.analysis.evidence import ResultRow
    from versus.evidence.runner import Route
    from versus.evidence.store import EvidenceStore
    from versus.services.catalog import CatalogService
    from versus.services.comparison import ComparisonService


class EvidenceService:
    """Runs and results in one catalog database, and the routes a run may call."""

    def __init__(self, store: CatalogStore, catalog: CatalogService, comparisons: ComparisonService) -> None:
        self.store, self.catalog, self.comparisons = store, catalog, comparisons

    def plan_routes(self, specs: Sequence[str], models: Sequence[str], base_url: str | None = None) -> list[Route]:
        """The routes to call: each `PROVIDER:MODEL_ID` as listed, and each model's basis route (its maker's,
        else the cheapest qualifying one), at the catalog's endpoint or `base_url`; BadInput or NotFound
        saying which is wrong."""
        from versus.evidence.client import check_url
        from versus.evidence.runner import Route

        chosen = []
        for spec in specs:
            provider_id, sep, model_id = spec.partition(":")
            if not sep or not model_id:
                raise BadInput(f"--route {spec!r} is not PROVIDER:MODEL_ID, e.g. openrouter:openai/gpt-oss-120b")
            chosen.append(self.catalog.route(provider_id, model_id))
        for name in models:
            model_id = self.catalog.find(name)
            basis = self.comparisons.basis_route(model_id)
            if basis is None:
                raise BadInput(f"{model_id} has no priced pay-per-token route; name one with --route")
            chosen.append(basis)
        routes = []
        for offering in chosen:
            provider = self.catalog.provider(offering.provider_id)
            base = base_url if base_url is not None else provider.api_base_url
            if not base:
                raise BadInput(f"no API base URL is known for {provider.id}; pass --base-url")
            url = base.rstrip("/") + "/chat/completions"
            if problem := check_url(url):
                source = "--base-url" if base_url is not None else f"the catalog's base URL for {provider.id}"
                raise BadInput(f"{source} cannot be called: {problem}")
            routes.append(
                Route(
                    offering.provider_id,
                    offering.provider_model_id,
                    offering.model_id,
                    url,
                    provider.api_key_env,
                    offering.price,
                )
            )
        return routes

    def recorder(self) -> EvidenceStore:
        """Where a run keeps its results (an EvidenceSink): the evidence tables, created if new."""
        from versus.evidence.store import EvidenceStore

        self.store.migrate()
        return EvidenceStore(self.store.db)

    def runs(self) -> list[dict[str, Any]]:
        """Every run, newest first, with its number of results."""
        return self._evidence().runs()

    def run(self, run_id: str | None = None) -> dict[str, Any]:
        """One run (the newest when None); NotFound when there is none."""
        runs = self.runs()
        if not runs:
            raise NotFound("no local evidence yet: `versus run SUITE --route PROVIDER:MODEL_ID` records some")
        chosen = runs[0] if run_id is None else next((r for r in runs if r["id"] == run_id), None)
        if chosen is None:
            raise NotFound(f"no run {run_id!r}; runs: {', '.join(r['id'] for r in runs[:10])}")
        return chosen

    def results(self, run_id: str) -> list[ResultRow]:
        return self._evidence().results(run_id=run_id)

    def _evidence(self) -> EvidenceStore:
        from versus.evidence.store import EvidenceStore

        return EvidenceStore(self.store.db)
