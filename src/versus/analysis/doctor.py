"""`versus doctor`: a data-quality report over the whole catalog, from catalog objects only (pure).

It lists what a careful buyer should know before trusting a figure: flagged routes and why, models
priced on something other than their maker's list price, facts chosen against the majority of
sources, impossible limits, priced models without specs, source records that could not be read or
that matched no other route, leaderboard names that matched no model, and identity's open questions
(doctor_identity.py): models that look split and routes that look wrongly merged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from versus.analysis.basis import DEFAULT_POLICY, choose_basis
from versus.analysis.doctor_identity import CandidateMerge, CandidateSplit, candidate_merges, candidate_splits
from versus.analysis.traffic import TrafficProfile
from versus.catalog.identity_parse import NamingRules
from versus.catalog.records import CURATED_SOURCE
from versus.catalog.types import Model, Offering, RouteClass


@dataclass(frozen=True)
class FlaggedRoute:
    provider: str
    provider_model_id: str
    model: str
    flags: list[dict[str, str]]


@dataclass(frozen=True)
class NonMakerBasis:
    model: str
    basis_provider: str | None
    basis_class: str | None
    why: str


@dataclass(frozen=True)
class AgainstMajority:
    model: str
    fact: str
    chosen: Any
    majority: Any
    claims: int
    rule: str


@dataclass(frozen=True)
class MissingSpecs:
    model: str
    missing: list[str]


@dataclass
class DoctorReport:
    flagged_routes: list[FlaggedRoute] = field(default_factory=list)
    non_maker_basis: list[NonMakerBasis] = field(default_factory=list)
    facts_against_majority: list[AgainstMajority] = field(default_factory=list)
    max_output_over_context: list[FlaggedRoute] = field(default_factory=list)
    priced_without_specs: list[MissingSpecs] = field(default_factory=list)
    unreadable_records: list[dict[str, str]] = field(default_factory=list)
    curated_file_errors: list[dict[str, str]] = field(default_factory=list)
    unmatched_records: list[dict[str, str]] = field(default_factory=list)
    candidate_splits: list[CandidateSplit] = field(default_factory=list)
    candidate_merges: list[CandidateMerge] = field(default_factory=list)
    unmatched_benchmark_names: list[dict[str, str]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        per_flag = Counter(f["flag"] for route in self.flagged_routes for f in route.flags)
        return {
            "flagged_routes": len(self.flagged_routes),
            "flags": dict(sorted(per_flag.items())),
            "non_maker_basis": len(self.non_maker_basis),
            "facts_against_majority": len(self.facts_against_majority),
            "max_output_over_context": len(self.max_output_over_context),
            "priced_without_specs": len(self.priced_without_specs),
            "unreadable_records": len(self.unreadable_records),
            "curated_file_errors": len(self.curated_file_errors),
            "unmatched_records": len(self.unmatched_records),
            "candidate_splits": len(self.candidate_splits),
            "candidate_merges": len(self.candidate_merges),
            "unmatched_benchmark_names": len(self.unmatched_benchmark_names),
        }


_SPECS = ("context_window", "max_output", "release_date")


def diagnose(
    models: Sequence[Model],
    offerings: Sequence[Offering],
    source_errors: Sequence[dict[str, str]],
    naming: NamingRules | None = None,
    benchmark_unmatched: Sequence[dict[str, str]] = (),
) -> DoctorReport:
    """The report. `naming` is the catalog's id rules (`CatalogStore.naming()`); without it the
    curated rules shipped in data/aliases.yaml are read. `benchmark_unmatched`: leaderboard names no
    catalog model matched (source, model_name, reason); their results are left out of every
    comparison, leaderboard and pick."""
    if naming is None:
        from versus.catalog.overlay import alias_rules

        naming = alias_rules()
    report = DoctorReport(
        unreadable_records=[e for e in source_errors if e["source"] != CURATED_SOURCE],
        curated_file_errors=[e for e in source_errors if e["source"] == CURATED_SOURCE],
        unmatched_benchmark_names=list(benchmark_unmatched),
    )
    report.candidate_splits = candidate_splits(models, offerings, naming)
    report.candidate_merges = candidate_merges(offerings)
    by_model: dict[str, list[Offering]] = defaultdict(list)
    for o in offerings:
        by_model[o.model_id].append(o)
        if o.flags:
            route = FlaggedRoute(o.provider_id, o.provider_model_id, o.model_id, [f.to_dict() for f in o.flags])
            report.flagged_routes.append(route)
            if any("exceeds its context window" in f.reason for f in o.flags):
                report.max_output_over_context.append(route)
        if o.resolution.confidence <= 0.7:  # no other route shares its id: it is a model of its own
            report.unmatched_records.append(
                {"provider": o.provider_id, "provider_model_id": o.provider_model_id, "model": o.model_id}
            )
    profile = TrafficProfile()
    for model in models:
        routes = by_model.get(model.id, [])
        basis = choose_basis(routes, profile, DEFAULT_POLICY)
        if basis is not None and basis.costed.offering.route_class is not RouteClass.MAKER:
            report.non_maker_basis.append(_non_maker(model, routes, basis.costed.offering, basis.rule))
        report.facts_against_majority += _against_majority(model)
        missing = [spec for spec in _SPECS if getattr(model, spec) is None]
        if basis is not None and missing:
            report.priced_without_specs.append(MissingSpecs(model.id, missing))
    return report


def _non_maker(model: Model, routes: Sequence[Offering], basis: Offering, rule: str) -> NonMakerBasis:
    maker = [o for o in routes if o.route_class is RouteClass.MAKER and o.is_pay_per_token]
    if not maker:
        why = f"the maker does not list it; {rule}"
    elif not any(o.price.is_known for o in maker):
        why = f"the maker's route has no price; {rule}"
    else:
        flags = sorted({f.flag.value for o in maker for f in o.flags})
        why = f"the maker's route is flagged ({', '.join(flags)}); {rule}" if flags else rule
    return NonMakerBasis(model.id, basis.provider_id, basis.route_class.value, why)


def _against_majority(model: Model) -> list[AgainstMajority]:
    found = []
    for conflict in model.conflicts:
        counts = Counter(str(claim.value) for claim in conflict.claims)
        top, top_count = counts.most_common(1)[0]
        if str(conflict.chosen) != top and counts.get(str(conflict.chosen), 0) < top_count:
            found.append(
                AgainstMajority(model.id, conflict.fact, conflict.chosen, top, len(conflict.claims), conflict.rule)
            )
    return found
