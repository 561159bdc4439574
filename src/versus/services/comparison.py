"""Comparisons from a catalog store: the glue the CLI, the web app and the site builder share."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from versus.analysis.basis import DEFAULT_POLICY, Basis, BasisError, RoutePolicy, choose_basis
from versus.analysis.benchmarks import ModelResult, result_order, results_from_rows
from versus.analysis.quality import (
    BenchmarkRef,
    Board,
    BoardError,
    QualityChart,
    chart_for_board,
    choose_scope,
    resolve_board,
)
from versus.analysis.traffic import Blend, TrafficProfile
from versus.catalog.lookup import suggest_names
from versus.catalog.store import CatalogStore
from versus.catalog.types import Offering, Provider

# Comparisons, tags, related pairs and evidence are imported where used: `versus pick` and
# `versus leaderboard` need none of them, and importing them costs a sixth of pick's time budget.
# Likewise pick for `versus compare`, whose whole budget is ~0.15 s.
if TYPE_CHECKING:
    from versus.analysis.compare import Comparison, MeasuredTokens, ModelInput
    from versus.analysis.evidence import RouteEvidence
    from versus.analysis.pick import Constraints, PickResult, PricedModel, Ranking
    from versus.analysis.price_history import PriceChange
    from versus.analysis.related import CandidateIndex
    from versus.analysis.tags import TagRules
    from versus.evidence.store import EvidenceStore


class ComparisonService:
    """Builds Comparisons from one catalog; what every comparison shares is loaded once."""

    def __init__(self, store: CatalogStore) -> None:
        self.store = store
        self._inputs: dict[str, ModelInput] = {}
        self._evidence: dict[str, list[RouteEvidence]] = {}
        self._results: dict[str, list[ModelResult]] = {}
        # Rendered pieces that depend on one model only (its routes table), reused across pages.
        self.fragments: dict[tuple[str, ...], object] = {}
        self.memo: dict[tuple[object, ...], object] = {}  # per-model results `compare` reuses

    def model_input(self, model_id: str) -> ModelInput:
        """A model and its routes, loaded once per service (a site build compares each model ~100 times)."""
        if model_id not in self._inputs:
            from versus.analysis.compare import ModelInput

            model = self.store.model(model_id)
            if model is None:
                raise KeyError(model_id)
            self._inputs[model_id] = ModelInput(model, self.store.offerings(model_id))
        return self._inputs[model_id]

    def preload(self, model_ids: Sequence[str]) -> None:
        """Load these models and their routes in one read (a site build needs them all)."""
        from versus.analysis.compare import ModelInput

        by_model: dict[str, list[Offering]] = {}
        for offering in self.store.offerings(models=[m for m in model_ids if m not in self._inputs]):
            by_model.setdefault(offering.model_id, []).append(offering)
        for model_id in model_ids:
            if model_id not in self._inputs:
                model = self.store.model(model_id)
                if model is None:
                    raise KeyError(model_id)
                self._inputs[model_id] = ModelInput(model, by_model.get(model_id, []))

    @cached_property
    def providers(self) -> dict[str, Provider]:
        return {p.id: p for p, _ in self.store.providers()}

    @cached_property
    def candidates(self) -> CandidateIndex:
        from versus.analysis.related import CandidateIndex, build_candidates

        return CandidateIndex(build_candidates(self.store.related_candidates()))

    @cached_property
    def rules(self) -> TagRules:
        from versus.analysis.tags import tag_rules_from_dict

        return tag_rules_from_dict(self.store.tag_rules())

    @cached_property
    def catalog_built(self) -> date | None:
        built = self.store.built_meta().get("built_on")
        return date.fromisoformat(built) if built else None

    @cached_property
    def sources(self) -> dict[str, str]:
        sources: dict[str, str] = json.loads(self.store.built_meta().get("sources", "{}"))
        return sources

    @cached_property
    def _evidence_store(self) -> EvidenceStore | None:
        from versus.evidence.store import EvidenceStore

        store = EvidenceStore(self.store.db)
        return store if store.has_tables() else None

    def runs(self) -> list[dict[str, object]]:
        return self._runs

    @cached_property
    def _runs(self) -> list[dict[str, object]]:
        return self._evidence_store.runs() if self._evidence_store else []

    def evidence(self, model_ids: list[str]) -> list[RouteEvidence]:
        """Per route of these models, the summary of the latest run that tried it (read once per model)."""
        store = self._evidence_store
        if store is None or not self._runs:
            return []
        missing = [m for m in model_ids if m not in self._evidence]
        if missing:
            from versus.analysis.evidence import latest_per_route

            rows = store.results(model_ids=missing)
            summaries = latest_per_route(rows, [str(run["id"]) for run in self._runs]) if rows else []
            for model_id in missing:
                self._evidence[model_id] = [s for s in summaries if s.model_id == model_id]
        return [s for m in model_ids for s in self._evidence[m]]

    def measured_tokens(self, run_id: str, model_ids: list[str]) -> dict[str, MeasuredTokens]:
        """Mean input and output tokens per request of each model's successful calls in a run."""
        from versus.analysis.compare import MeasuredTokens

        store = self._evidence_store
        rows = store.results(run_id=run_id, model_ids=model_ids) if store else []
        measured = {}
        for model_id in model_ids:
            ok = [r for r in rows if r.model_id == model_id and r.error is None and r.input_tokens is not None]
            if ok:
                measured[model_id] = MeasuredTokens(
                    run_id,
                    round(sum(r.input_tokens or 0 for r in ok) / len(ok)),
                    round(sum(r.output_tokens or 0 for r in ok) / len(ok)),
                )
        return measured

    def basis_route(self, model_id: str, policy: RoutePolicy = DEFAULT_POLICY) -> Offering | None:
        """The route a model's cost is priced on at the default traffic (its maker's, by default)."""
        basis = choose_basis(self.model_input(model_id).offerings, TrafficProfile(), policy)
        return basis.costed.offering if basis else None

    def route_policy(
        self,
        basis: str = "maker",
        providers: Sequence[str] = (),
        excluded: Sequence[str] = (),
        include_flagged: bool = False,
    ) -> RoutePolicy:
        """A validated route policy; BasisError (with suggestions) for a basis or provider that does not exist."""
        try:
            chosen = Basis(basis)
        except ValueError as exc:
            raise BasisError(f"unknown basis {basis!r}; choose {' or '.join(b.value for b in Basis)}") from exc
        for name in [*providers, *excluded]:
            if name not in self.providers:
                raise BasisError(f"unknown provider {name!r}", suggest_names(name, list(self.providers)))
        return RoutePolicy(chosen, frozenset(providers), frozenset(excluded), include_flagged)

    def compare(
        self,
        model_ids: list[str],
        profile: TrafficProfile,
        blend: Blend,
        today: date,
        tokens_from_run: str | None = None,
        policy: RoutePolicy = DEFAULT_POLICY,
    ) -> Comparison:
        from versus.analysis.compare import compare

        return compare(
            [self.model_input(model_id) for model_id in model_ids],
            self.providers,
            profile=profile,
            blend=blend,
            today=today,
            policy=policy,
            rules=self.rules,
            candidates=self.candidates,
            catalog_built=self.catalog_built,
            sources=self.sources,
            evidence=self.evidence(model_ids),
            measured=self.measured_tokens(tokens_from_run, model_ids) if tokens_from_run else None,
            benchmarks=self.benchmark_results(model_ids),
            memo=self.memo,
            price_changes=self.price_changes(model_ids),
        )

    # --- benchmarks, quality per dollar, pick -------------------------------------------------------

    def benchmark_results(self, model_ids: Sequence[str]) -> dict[str, list[ModelResult]]:
        """Each model's matched leaderboard results, in listing order (read once per model)."""
        missing = [m for m in dict.fromkeys(model_ids) if m not in self._results]
        if missing:
            found: dict[str, list[ModelResult]] = {m: [] for m in missing}
            for r in results_from_rows(self.store.benchmark_results(model_ids=missing)):
                found[r.model_id].append(r)
            for model_id, results in found.items():
                self._results[model_id] = sorted(results, key=result_order)
        return {m: self._results[m] for m in model_ids}

    @cached_property
    def benchmark_ids(self) -> list[str]:
        """Every benchmark with a matched result, as `versus leaderboard` and `--min-score` name them."""
        return self.store.benchmark_ids()

    def board(self, ref: BenchmarkRef) -> Board:
        """The leaderboard `ref` names; BoardError with the benchmarks there are when it names none.
        Only the chosen source's category is read: LMArena's text board alone has 10,000 results."""
        scopes = self.store.benchmark_scopes(ref.benchmark)
        if not scopes:
            raise BoardError(
                f"no benchmark {ref.benchmark!r} has results in the catalog",
                suggest_names(ref.benchmark, self.benchmark_ids) or self.benchmark_ids,
            )
        source, category = choose_scope(ref, scopes)
        rows = self.store.benchmark_results(benchmark=ref.benchmark, source=source, category=category)
        return resolve_board(BenchmarkRef(ref.benchmark, category, source), results_from_rows(rows))

    def priced_models(
        self, profile: TrafficProfile, policy: RoutePolicy, model_ids: Sequence[str] | None = None
    ) -> list[PricedModel]:
        """Every model (or these) with its monthly cost on its basis route under `policy` at `profile`
        (None when no route qualifies), from the light reads: this is what ranks the whole catalog."""
        from versus.analysis.pick import PricedModel, traits_from_row

        routes: dict[str, list[Offering]] = {}
        for o in self.store.pricing_routes(model_ids):
            routes.setdefault(o.model_id, []).append(o)
        priced = []
        for row in self.store.model_traits(model_ids):
            basis = choose_basis(routes.get(row["id"], ()), profile, policy)
            if basis is None:
                priced.append(PricedModel(traits_from_row(row), None, None, None))
                continue
            o = basis.costed.offering
            provider = self.providers.get(o.provider_id)
            route = f"{provider.name if provider else o.provider_id} · {o.provider_model_id}"
            priced.append(PricedModel(traits_from_row(row), basis.costed.cost.monthly, route, basis.rule))
        return priced

    def leaderboard(self, ref: BenchmarkRef, profile: TrafficProfile, policy: RoutePolicy) -> QualityChart:
        """A leaderboard with each model's monthly cost at `profile` and the Pareto frontier."""
        board = self.board(ref)
        priced = self.priced_models(profile, policy, [e.model_id for e in board.entries])
        names = {m.traits.id: m.traits.name for m in priced}
        return chart_for_board(board, names, {m.traits.id: m.monthly for m in priced})

    def pick(
        self,
        constraints: Constraints,
        ranking: Ranking,
        profile: TrafficProfile,
        policy: RoutePolicy,
        limit: int = 10,
    ) -> PickResult:
        """The shortlist for these constraints at this traffic and route policy (BoardError for a
        benchmark the catalog has no results for)."""
        from versus.analysis.pick import pick

        refs = [f.ref for f in constraints.min_scores] + ([ranking.ref] if ranking.ref else [])
        boards = {ref: self.board(ref) for ref in dict.fromkeys(refs)}
        models = self.priced_models(profile, policy)
        return pick(models, boards, constraints, ranking, policy=policy.describe(), limit=limit)

    # --- price history ------------------------------------------------------------------------------

    @cached_property
    def _changes(self) -> dict[str, dict[tuple[str, str], list[PriceChange]]]:
        """Each model's routes' price changes, as read so far."""
        return {}

    def price_changes(self, model_ids: Sequence[str]) -> dict[tuple[str, str], list[PriceChange]]:
        """Every recorded price change of these models' routes, oldest first per route: read once per
        model, in one query for all the models not read yet."""
        missing = [m for m in dict.fromkeys(model_ids) if m not in self._changes]
        if missing:
            from versus.analysis.price_history import route_price_changes
            from versus.catalog.history_store import HistoryStore

            routes = {m: [(o.provider_id, o.provider_model_id) for o in self.model_input(m).offerings] for m in missing}
            intervals = HistoryStore(self.store.db).intervals_of_models(
                [key for keys in routes.values() for key in keys], missing
            )
            by_route = route_price_changes(intervals, {p: provider.name for p, provider in self.providers.items()})
            for model_id, keys in routes.items():
                self._changes[model_id] = {key: by_route[key] for key in keys if key in by_route}
        return {key: changes for m in model_ids for key, changes in self._changes[m].items()}
