"""Quality per dollar: one leaderboard's scores beside each model's monthly cost at the user's traffic,
with the Pareto frontier (no other model scores higher for less) marked.

`resolve_board` turns a benchmark reference (`[SOURCE:]BENCHMARK[/CATEGORY]`) into one ranking
with one result per model; `quality_chart` puts costs beside it. Pure: results and costs come in.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from versus.analysis.benchmarks import (
    DEFAULT_CATEGORY,
    SOURCE_TITLES,
    ModelResult,
    SharedBenchmark,
    category_order,
    edition_order,
    measurement_label,
    measurement_rank,
    preferred,
    ranking_of,
    run_setting,
    source_rank,
)
from versus.benchmarks.types import describe_setting

MAX_REF_CHARS = 120
_REF = re.compile(
    r"(?:(?P<source>[a-z0-9][a-z0-9.-]*):)?(?P<benchmark>[a-z0-9][a-z0-9.-]*)(?:/(?P<category>[a-z0-9][a-z0-9.-]*))?"
)


class BoardError(ValueError):
    """A benchmark reference that names no ranking in the catalog; the message suggests real ones."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        hint = (
            f". Choose from: {', '.join(suggestions[:12])}{', …' if len(suggestions) > 12 else ''}"
            if suggestions
            else ""
        )
        super().__init__(message + hint)
        self.suggestions = list(suggestions)


@dataclass(frozen=True)
class BenchmarkRef:
    """A leaderboard as the user names it: `lmarena-text`, `livebench/coding`, `models-dev:aider-polyglot`."""

    benchmark: str
    category: str | None = None
    source: str | None = None

    @property
    def text(self) -> str:
        source = f"{self.source}:" if self.source else ""
        return f"{source}{self.benchmark}{f'/{self.category}' if self.category else ''}"


def parse_benchmark_ref(text: str) -> BenchmarkRef:
    """`[SOURCE:]BENCHMARK[/CATEGORY]`, lower case; ValueError saying the expected form."""
    cleaned = text.strip().lower()
    found = _REF.fullmatch(cleaned) if len(cleaned) <= MAX_REF_CHARS else None
    if found is None:
        shown = repr(text[:MAX_REF_CHARS]) + ("…" if len(text) > MAX_REF_CHARS else "")
        raise ValueError(
            f"{shown} is not a benchmark: use BENCHMARK, BENCHMARK/CATEGORY or SOURCE:BENCHMARK, "
            "e.g. lmarena-text, livebench/coding, models-dev:aider-polyglot"
        )
    return BenchmarkRef(found["benchmark"], found["category"], found["source"])


@dataclass(frozen=True)
class Board:
    """One ranking as a leaderboard: the chosen source, category, measurement and edition, and each
    model's one result in it (see `analysis.benchmarks.preferred`), highest score first."""

    source: str
    source_title: str
    benchmark: str
    category: str
    metric: str
    edition: str | None
    measurement: str
    url: str
    entries: list[ModelResult]

    @property
    def label(self) -> str:
        return board_label(self.source_title, self.benchmark, self.category, self.edition, self.measurement)

    def score_of(self, model_id: str) -> ModelResult | None:
        return self._by_model.get(model_id)

    @cached_property
    def _by_model(self) -> dict[str, ModelResult]:
        return {e.model_id: e for e in self.entries}


def board_label(source_title: str, benchmark: str, category: str, edition: str | None, measurement: str) -> str:
    """`lmarena-text overall (LMArena, style control on)`: how every view names one ranking."""
    notes = ", ".join(n for n in (source_title, edition and f"edition {edition}", measurement) if n)
    return f"{benchmark} {category} ({notes})"


def resolve_board(ref: BenchmarkRef, results: Sequence[ModelResult]) -> Board:
    """The ranking `ref` names among `results` (every result of `ref.benchmark`): its own source, or
    the leaderboard's own before a models.dev copy; its category, or the benchmark's headline one;
    LMArena's style-controlled view; the newest edition. BoardError when nothing matches."""
    if not results:
        raise BoardError(f"no benchmark {ref.benchmark!r} in the catalog")
    source, category = choose_scope(ref, {(r.result.source, r.result.category) for r in results})
    mine = [r for r in results if r.result.source == source]
    rankings: dict[tuple[str, tuple[tuple[str, str], ...]], list[ModelResult]] = defaultdict(list)
    for r in mine:
        if r.result.category == category:
            key = ranking_of(r.result)
            rankings[(key[3], key[4])].append(r)
    (metric, measured), chosen = min(rankings.items(), key=lambda kv: (measurement_rank(kv[0][1]), -len(kv[1])))
    editions: dict[str | None, list[ModelResult]] = defaultdict(list)
    for r in chosen:
        editions[r.result.edition].append(r)
    edition = max(editions, key=lambda e: edition_order(e, editions[e]))
    per_model: dict[str, list[ModelResult]] = defaultdict(list)
    for r in editions[edition]:
        per_model[r.model_id].append(r)
    entries = sorted((preferred(rs) for rs in per_model.values()), key=lambda r: (-r.result.score, r.model_id))
    ranking = (source, ref.benchmark, category, metric, measured)
    return Board(
        source=source,
        source_title=SOURCE_TITLES.get(source, source),
        benchmark=ref.benchmark,
        category=category,
        metric=metric,
        edition=edition,
        measurement=measurement_label(ranking),
        url=entries[0].result.source_url,
        entries=entries,
    )


def choose_scope(ref: BenchmarkRef, scopes: Iterable[tuple[str, str]]) -> tuple[str, str]:
    """The (source, category) `ref` means among those a benchmark has results in: its own source, or
    the leaderboard's own before a models.dev copy; its category, or the benchmark's default one (the
    first headline category when it has no overall score, as simple-evals)."""
    available = set(scopes)
    sources = sorted({s for s, _ in available}, key=source_rank)
    if ref.source and ref.source not in sources:
        raise BoardError(f"{ref.benchmark} has no results from {ref.source!r}", sources)
    source = ref.source or sources[0]
    categories = sorted((c for s, c in available if s == source), key=lambda c: category_order(ref.benchmark, c))
    category = ref.category or DEFAULT_CATEGORY.get(ref.benchmark, "overall")
    if category not in categories:
        if ref.category is not None:
            raise BoardError(f"{ref.benchmark} has no category {ref.category!r}", categories)
        category = categories[0]
    return source, category


# --- score against cost ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QualityPoint:
    model_id: str
    name: str
    score: Decimal
    ci_low: Decimal | None
    ci_high: Decimal | None
    setting: str
    monthly: Decimal | None  # at the traffic, on the model's basis route; None when unpriced
    value: Decimal | None  # score per dollar of monthly cost; None when unpriced or free
    on_frontier: bool


@dataclass(frozen=True)
class QualityChart:
    """Score against monthly cost for one ranking: what the CLI's table and the pages' chart draw."""

    label: str
    benchmark: str
    category: str
    metric: str
    source_title: str
    points: list[QualityPoint]  # highest score first
    frontier: list[str]  # model ids on the Pareto frontier, cheapest first


@dataclass(frozen=True)
class Scored:
    model_id: str
    score: Decimal
    ci_low: Decimal | None
    ci_high: Decimal | None
    setting: str


def chart_for_board(board: Board, names: Mapping[str, str], costs: Mapping[str, Decimal | None]) -> QualityChart:
    scored = [
        Scored(e.model_id, e.result.score, e.result.ci_low, e.result.ci_high, describe_setting(run_setting(e.result)))
        for e in board.entries
    ]
    return quality_chart(
        board.label, board.benchmark, board.category, board.metric, board.source_title, scored, names, costs
    )


def chart_for_shared(
    shared: SharedBenchmark, names: Mapping[str, str], costs: Mapping[str, Decimal | None]
) -> QualityChart:
    scored = [Scored(s.model_id, s.score, s.ci_low, s.ci_high, s.setting) for s in shared.scores]
    label = board_label(shared.source_title, shared.benchmark, shared.category, shared.edition, shared.measurement)
    return quality_chart(
        label, shared.benchmark, shared.category, shared.metric, shared.source_title, scored, names, costs
    )


def quality_chart(
    label: str,
    benchmark: str,
    category: str,
    metric: str,
    source_title: str,
    scored: Sequence[Scored],
    names: Mapping[str, str],
    costs: Mapping[str, Decimal | None],
) -> QualityChart:
    """Each scored model's monthly cost and score per dollar, and the Pareto frontier among the priced."""
    priced = [(s.model_id, cost, s.score) for s in scored if (cost := costs.get(s.model_id)) is not None]
    frontier = pareto_frontier(priced)
    on = set(frontier)
    points = []
    for s in sorted(scored, key=lambda s: (-s.score, s.model_id)):
        monthly = costs.get(s.model_id)
        value = s.score / monthly if monthly else None
        points.append(
            QualityPoint(
                s.model_id,
                names.get(s.model_id, s.model_id),
                s.score,
                s.ci_low,
                s.ci_high,
                s.setting,
                monthly,
                value,
                s.model_id in on,
            )
        )
    return QualityChart(label, benchmark, category, metric, source_title, points, frontier)


def pareto_frontier(points: Sequence[tuple[str, Decimal, Decimal]]) -> list[str]:
    """Ids of the (id, cost, score) points no other point beats: none costs as little or less and
    scores as high or higher, one of them strictly. Cheapest first; equal points are all kept."""
    frontier: list[str] = []
    best: tuple[Decimal, Decimal] | None = None  # (cost, score) of the last frontier point
    for model_id, cost, score in sorted(points, key=lambda p: (p[1], -p[2], p[0])):
        if best is None or score > best[1] or (cost, score) == best:
            frontier.append(model_id)
            best = (cost, score)
    return frontier
