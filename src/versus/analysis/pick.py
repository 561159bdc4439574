"""`versus pick`, the decision engine: every model checked against the user's constraints at their
traffic and route policy, the ones that pass ranked as asked, and why the best of the rest are out.

Pure: models come in priced (their basis route's monthly cost under the policy) and leaderboards
come in resolved (`analysis.quality.Board`); nothing is read here.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from versus.analysis.benchmarks import ModelResult, run_setting
from versus.analysis.quality import BenchmarkRef, Board
from versus.benchmarks.types import describe_setting
from versus.catalog.types import CAPABILITY_LABELS
from versus.formats import tokens, usd

# `--rank-by value` without a benchmark: the first of these the catalog has results for.
VALUE_BENCHMARKS = ("lmarena-text", "livebench", "aider-polyglot", "bfcl", "swe-bench-verified")
RankKind = Literal["cost", "benchmark", "value"]


@dataclass(frozen=True)
class ModelTraits:
    """What the constraints read about a model (the same fields `versus show` prints)."""

    id: str
    name: str
    context_window: int | None
    capabilities: Mapping[str, bool | None]
    openness: str | None
    license_spdx: str | None
    license_name: str | None


def traits_from_row(row: Mapping[str, Any]) -> ModelTraits:
    """A `CatalogStore.model_traits()` row as the values the constraints read."""
    licence = json.loads(row["license"]) if row["license"] else {}
    return ModelTraits(
        id=row["id"],
        name=row["name"],
        context_window=row["context_window"],
        capabilities=json.loads(row["capabilities"]),
        openness=row["openness"],
        license_spdx=licence.get("spdx"),
        license_name=licence.get("name"),
    )


@dataclass(frozen=True)
class PricedModel:
    traits: ModelTraits
    monthly: Decimal | None  # on its basis route under the policy, at the traffic; None when no route qualifies
    route: str | None  # "OpenAI · gpt-5 (maker)"
    basis: str | None  # why that route: "the maker's list price", …


@dataclass(frozen=True)
class ScoreFloor:
    ref: BenchmarkRef
    value: Decimal


@dataclass(frozen=True)
class Constraints:
    needs: tuple[str, ...] = ()
    min_context: int | None = None
    open_weights: bool = False
    licenses: tuple[str, ...] = ()
    max_monthly: Decimal | None = None
    min_scores: tuple[ScoreFloor, ...] = ()


@dataclass(frozen=True)
class Ranking:
    kind: RankKind
    ref: BenchmarkRef | None = None  # the benchmark, for "benchmark" and "value"


@dataclass(frozen=True)
class PickEntry:
    rank: int
    model_id: str
    name: str
    monthly: Decimal | None
    route: str | None
    basis: str | None
    score: Decimal | None  # on the ranking's benchmark, when it has one
    setting: str | None  # how the leaderboard ran the model for that score
    value: Decimal | None  # score per dollar of monthly cost
    reasons: list[str]  # why it is in (shortlist) or out (excluded)


@dataclass(frozen=True)
class ExclusionCount:
    constraint: str
    models: int


@dataclass(frozen=True)
class PickResult:
    ranking: str  # how the shortlist is ordered, in words
    benchmark: str | None  # the ranking's leaderboard, named in full
    constraints: list[str]
    policy: str
    considered: int
    eligible: int
    shortlist: list[PickEntry]
    excluded: list[PickEntry]  # the closest misses: fewest constraints failed, best-ranked first
    exclusion_counts: list[ExclusionCount] = field(default_factory=list)  # most common first


def describe_constraints(c: Constraints) -> list[str]:
    labels = [f"needs {CAPABILITY_LABELS.get(n, n).lower()}" for n in c.needs]
    if c.min_context is not None:
        labels.append(f"context ≥ {tokens(c.min_context)}")
    if c.open_weights:
        labels.append("open weights")
    if c.licenses:
        labels.append(f"license {' or '.join(c.licenses)}")
    if c.max_monthly is not None:
        labels.append(f"≤ {usd(c.max_monthly)} a month")
    labels += [f"{f.ref.text} ≥ {f.value}" for f in c.min_scores]
    return labels


def default_value_ref(floors: Sequence[ScoreFloor], available: Sequence[str]) -> BenchmarkRef | None:
    """The benchmark `--rank-by value` means alone: the first `--min-score` one, else the first of
    VALUE_BENCHMARKS with results in the catalog."""
    if floors:
        return floors[0].ref
    return next((BenchmarkRef(b) for b in VALUE_BENCHMARKS if b in available), None)


def pick(
    models: Sequence[PricedModel],
    boards: Mapping[BenchmarkRef, Board],
    constraints: Constraints,
    ranking: Ranking,
    *,
    policy: str,
    limit: int = 10,
    excluded_limit: int = 5,
) -> PickResult:
    """The shortlist: models meeting every constraint, ordered by `ranking`; the closest misses (fewest
    constraints failed, best-ranked first) with every constraint they fail; how many models each
    constraint kept out."""
    board = boards[ranking.ref] if ranking.ref is not None else None
    failures: Counter[str] = Counter()
    passed: list[tuple[tuple[object, ...], PricedModel, list[str]]] = []
    failed: list[tuple[tuple[object, ...], PricedModel, list[str]]] = []
    for m in models:
        checks = _checks(m, boards, constraints)
        misses = [(label, why) for label, ok, why in checks if not ok]
        key = _rank_key(m, board, ranking.kind)
        if misses:
            failures.update(label for label, _ in misses)
            failed.append((key, m, [why for _, why in misses]))
        else:
            passed.append((key, m, [why for _, ok, why in checks]))
    passed.sort(key=lambda t: t[0])
    # The closest misses first: fewest constraints failed, then the ranking's order.
    failed.sort(key=lambda t: (len(t[2]), t[0]))
    shortlist = [
        _entry(rank, m, board, [_rank_reason(rank, m, board, ranking.kind), *why])
        for rank, (_, m, why) in enumerate(passed[:limit], start=1)
    ]
    excluded = [_entry(0, m, board, why) for _, m, why in failed[:excluded_limit]]
    return PickResult(
        ranking=_describe_ranking(ranking.kind),
        benchmark=board.label if board else None,
        constraints=describe_constraints(constraints),
        policy=policy,
        considered=len(models),
        eligible=len(passed),
        shortlist=shortlist,
        excluded=excluded,
        exclusion_counts=[
            ExclusionCount(label, n) for label, n in sorted(failures.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
    )


Check = tuple[str, bool, str]  # constraint label, passed, why (in words)


def _checks(m: PricedModel, boards: Mapping[BenchmarkRef, Board], c: Constraints) -> list[Check]:
    t = m.traits
    checks: list[Check] = []
    if m.monthly is None:
        checks.append(
            ("a priced route under the route policy", False, "no priced pay-per-token route under the route policy")
        )
    elif c.max_monthly is not None:
        ok = m.monthly <= c.max_monthly
        sign = "≤" if ok else ">"
        checks.append((f"≤ {usd(c.max_monthly)} a month", ok, f"{usd(m.monthly)} a month {sign} {usd(c.max_monthly)}"))
    for need in c.needs:
        label = CAPABILITY_LABELS.get(need, need).lower()
        has = t.capabilities.get(need)
        why = f"{label}: yes" if has else (f"{label}: unknown" if has is None else f"no {label}")
        checks.append((f"needs {label}", has is True, why))
    if c.min_context is not None:
        least = tokens(c.min_context)
        if t.context_window is None:
            checks.append((f"context ≥ {least}", False, "context window unknown"))
        else:
            ok = t.context_window >= c.min_context
            why = f"context {tokens(t.context_window)} {'≥' if ok else '<'} {least}"
            checks.append((f"context ≥ {least}", ok, why))
    if c.open_weights:
        why = {"open-weights": "open weights", "proprietary": "proprietary weights"}.get(
            t.openness or "", "openness unknown"
        )
        checks.append(("open weights", t.openness == "open-weights", why))
    if c.licenses:
        checks.append(_license_check(t, c.licenses))
    for floor in c.min_scores:
        checks.append(_score_check(t.id, boards[floor.ref], floor))
    return checks


def _license_check(t: ModelTraits, wanted: Sequence[str]) -> Check:
    label = f"license {' or '.join(wanted)}"
    names = {n.lower() for n in (t.license_spdx, t.license_name) if n}
    if not names:
        return (label, False, "license unknown")
    shown = t.license_spdx or t.license_name
    ok = any(w.lower() in names for w in wanted)
    return (label, ok, f"license {shown}" if ok else f"license {shown}, not {' or '.join(wanted)}")


def _score_check(model_id: str, board: Board, floor: ScoreFloor) -> Check:
    label = f"{floor.ref.text} ≥ {floor.value}"
    found = board.score_of(model_id)
    if found is None:
        return (label, False, f"no {board.benchmark} {board.category} score")
    ok = found.result.score >= floor.value
    return (label, ok, f"{board.benchmark} {board.category} {found.result.score} {'≥' if ok else '<'} {floor.value}")


def _value(m: PricedModel, score: ModelResult | None) -> Decimal | None:
    if score is None or not m.monthly:
        return None
    return score.result.score / m.monthly


def _rank_key(m: PricedModel, board: Board | None, kind: RankKind) -> tuple[object, ...]:
    """Smaller is better. Unpriced models after priced ones; without a score, after every scored
    model, cheapest first. Value: free models (cost 0 at this traffic) first by score, then score
    per dollar."""
    cost = (m.monthly is None, m.monthly if m.monthly is not None else Decimal(0))
    if kind == "cost" or board is None:
        return (*cost, m.traits.id)
    found = board.score_of(m.traits.id)
    if found is None:
        return (3, *cost, m.traits.id)
    if kind == "benchmark":
        return (0, -found.result.score, *cost, m.traits.id)
    if m.monthly is None:
        return (2, -found.result.score, *cost, m.traits.id)
    if m.monthly == 0:
        return (0, -found.result.score, *cost, m.traits.id)
    return (1, -(found.result.score / m.monthly), *cost, m.traits.id)


def _describe_ranking(kind: RankKind) -> str:
    if kind == "cost":
        return "cheapest monthly cost at your traffic first"
    if kind == "benchmark":
        return "highest score first; models without a score follow, cheapest first"
    return (
        "most score per dollar of monthly cost first (models free at this traffic before all, by score); "
        "models without a score follow, cheapest first"
    )


def _rank_reason(rank: int, m: PricedModel, board: Board | None, kind: RankKind) -> str:
    cost = f"{usd(m.monthly)} a month on {m.route}, {m.basis}" if m.monthly is not None else "unpriced"
    found = board.score_of(m.traits.id) if board else None
    if kind == "cost" or board is None:
        return f"#{rank} by cost: {cost}"
    if found is None:
        return f"#{rank}: no {board.benchmark} {board.category} score, ranked by cost: {cost}"
    score = f"{board.benchmark} {board.category} {found.result.score}"
    if kind == "benchmark":
        return f"#{rank} by {score}; {cost}"
    return f"#{rank} by value: {score} for {cost}"


def _entry(rank: int, m: PricedModel, board: Board | None, reasons: list[str]) -> PickEntry:
    found = board.score_of(m.traits.id) if board else None
    return PickEntry(
        rank=rank,
        model_id=m.traits.id,
        name=m.traits.name,
        monthly=m.monthly,
        route=m.route,
        basis=m.basis,
        score=found.result.score if found else None,
        setting=describe_setting(run_setting(found.result)) if found else None,
        value=_value(m, found),
        reasons=reasons,
    )
