"""Benchmark results of catalog models: one ranking's result per model, and what compared models share.

A *ranking* is one leaderboard table: the same source, benchmark, category, metric and
measurement (LMArena's style control, a models.dev dataset). Only results of one ranking and one
edition (a LiveBench release) are ever put side by side. Within a ranking a model may have
several results, one per setting (reasoning effort, thinking budget, edit format): the rules
below choose one, and say when the compared models ended up under different settings.

Pure: results come in as values (`results_from_rows` reads the store's rows), nothing is read here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from versus.benchmarks.ties import lead_or_tie
from versus.benchmarks.types import MEASUREMENT_KEYS, BenchmarkResult, Setting, describe_setting

# Leaderboards in the order views list them; models.dev copies other leaderboards' numbers, so
# its entries come last and give way to the leaderboard's own file (see `_drop_copies`).
SOURCE_ORDER = ("lmarena", "livebench", "aider", "bfcl", "swe-bench", "simple-evals", "models-dev")
SOURCE_TITLES = {
    "lmarena": "LMArena",
    "livebench": "LiveBench",
    "aider": "Aider",
    "bfcl": "BFCL",
    "swe-bench": "SWE-bench",
    "simple-evals": "OpenAI simple-evals",
    "models-dev": "models.dev",
}
SECONDARY_SOURCES = frozenset({"models-dev"})
# Categories a comparison shows, per benchmark and in this order; every other category is in
# `versus benchmarks MODEL` and `versus leaderboard BENCHMARK --category C`.
HEADLINE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "lmarena-text": ("overall", "coding", "math", "hard-prompts", "instruction-following", "creative-writing"),
    "livebench": (
        "global-average",
        "reasoning",
        "coding",
        "agentic-coding",
        "mathematics",
        "data-analysis",
        "language",
        "instruction-following",
    ),
    "bfcl": ("overall", "non-live-ast", "live", "multi-turn", "web-search", "memory"),
    "simple-evals": ("mmlu", "gpqa", "math", "humaneval", "mgsm", "drop", "simpleqa", "mmmlu"),
}
DEFAULT_CATEGORY = {"livebench": "global-average"}  # the rest: "overall"
# Setting keys that define the ranking itself: results under different values are never compared.
RANKING_KEYS = MEASUREMENT_KEYS | {"dataset"}
# Setting values that are how the model runs when nobody asks otherwise (OpenAI's default
# reasoning effort is medium; function calling through the API's own tools is BFCL's FC mode).
_DEFAULT_VALUES: dict[str, frozenset[str]] = {
    "tool_calling": frozenset({"native"}),
    "thinking": frozenset({"off", "default"}),
    "reasoning_effort": frozenset({"medium"}),
    "style_control": frozenset({"on"}),
    "attempts": frozenset({"1"}),  # SWE-bench: one attempt per task is the comparable run
}
# Keys every entry of a leaderboard carries (Aider's edit format, an agent harness): not a deviation.
_NEUTRAL_KEYS = frozenset({"edit_format", "editor_edit_format", "system", "dataset"})

RankingKey = tuple[str, str, str, str, Setting]  # source, benchmark, category, metric, measurement


@dataclass(frozen=True)
class ModelResult:
    """A leaderboard result matched to a catalog model, with how sure the match is and why."""

    model_id: str
    result: BenchmarkResult
    confidence: float
    match_reason: str


@dataclass(frozen=True)
class SharedScore:
    """One compared model's result in a shared benchmark."""

    model_id: str
    score: Decimal
    ci_low: Decimal | None
    ci_high: Decimal | None
    setting: str  # as the leaderboard ran it; "" for its default
    date: date | None
    leaderboard_name: str  # the leaderboard's own spelling of the model


@dataclass(frozen=True)
class SharedBenchmark:
    """A ranking every compared model has a result in, side by side, and who leads it."""

    source: str
    source_title: str
    benchmark: str
    category: str
    metric: str
    edition: str | None
    measurement: str  # "style control on", or "" when the leaderboard has one way to score
    url: str
    scores: list[SharedScore]  # in the comparison's model order
    first: str  # model id of the highest score
    second: str  # model id of the next highest
    leader: str | None  # `first`, or None when the leaderboard cannot tell the top two apart (a tie)
    margin: Decimal  # the top score minus the second
    is_tie: bool
    reason: str  # why it is a lead or a tie (the leaderboard's 95 % intervals, or none given)
    settings_differ: bool  # the models were run under different settings: both are shown


def results_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[ModelResult]:
    """Stored `benchmark_results` rows as values; Decimals from their text, so no digit is lost."""

    def number(text: str | None) -> Decimal | None:
        return None if text is None else Decimal(text)

    found = []
    for r in rows:
        setting = tuple((str(k), str(v)) for k, v in json.loads(r["setting"]))
        result = BenchmarkResult(
            source=r["source"],
            benchmark=r["benchmark"],
            category=r["category"],
            model_name=r["model_name"] or "",
            score=Decimal(r["score"]),
            metric=r["metric"],
            source_url=r["source_url"] or "",
            licence=r["licence"] or "",
            ci_low=number(r["ci_low"]),
            ci_high=number(r["ci_high"]),
            setting=setting,
            date=date.fromisoformat(r["date"]) if r["date"] else None,
            edition=r["edition"],
            organisation=r["organisation"],
        )
        found.append(ModelResult(r["model_id"], result, float(r["confidence"]), r["reason"]))
    return found


def ranking_of(result: BenchmarkResult) -> RankingKey:
    measured = tuple((k, v) for k, v in result.setting if k in RANKING_KEYS)
    return (result.source, result.benchmark, result.category, result.metric, measured)


def run_setting(result: BenchmarkResult) -> Setting:
    """How the model was run, without the keys that define the ranking."""
    return tuple((k, v) for k, v in result.setting if k not in RANKING_KEYS)


def measurement_label(ranking: RankingKey) -> str:
    return describe_setting(ranking[4])


def measurement_rank(measured: Setting) -> tuple[int, int, str]:
    """LMArena's default view (style control on) first, then the plainest measurement."""
    values = dict(measured)
    return (0 if values.get("style_control", "on") == "on" else 1, len(measured), describe_setting(measured))


def setting_rank(setting: Setting) -> int:
    """How far a run is from the model's default: settings nobody asked for count, defaults do not."""
    return sum(1 for k, v in setting if k not in _NEUTRAL_KEYS and v not in _DEFAULT_VALUES.get(k, ()))


def preferred(results: Sequence[ModelResult]) -> ModelResult:
    """A model's one result among its results in one ranking and edition: the run closest to its
    default setting, then the newest, then the highest score."""
    return min(results, key=_preference)


def _preference(r: ModelResult) -> tuple[int, int, Decimal, str]:
    day = r.result.date.toordinal() if r.result.date else 0
    return (setting_rank(run_setting(r.result)), -day, -r.result.score, describe_setting(r.result.setting))


def edition_order(edition: str | None, results: Iterable[ModelResult]) -> tuple[date, str]:
    """Newest edition first when sorted descending: by its newest result's date, then its name."""
    newest = max((r.result.date for r in results if r.result.date), default=date.min)
    return (newest, edition or "")


def headline_categories(benchmark: str) -> tuple[str, ...]:
    """The categories a comparison shows for a benchmark: its listed ones, else its default one."""
    return HEADLINE_CATEGORIES.get(benchmark, (DEFAULT_CATEGORY.get(benchmark, "overall"),))


def category_order(benchmark: str, category: str) -> tuple[int, str]:
    headline = headline_categories(benchmark)
    return (headline.index(category) if category in headline else len(headline), category)


def is_headline(benchmark: str, category: str) -> bool:
    return category in headline_categories(benchmark)


def source_rank(source: str) -> int:
    return SOURCE_ORDER.index(source) if source in SOURCE_ORDER else len(SOURCE_ORDER)


def result_order(r: ModelResult) -> tuple[Any, ...]:
    """How a model's own results are listed: by source, benchmark, headline category, newest edition."""
    res = r.result
    day = res.date.toordinal() if res.date else 0
    return (
        source_rank(res.source),
        res.benchmark,
        category_order(res.benchmark, res.category),
        measurement_rank(ranking_of(res)[4]),
        -day,
        setting_rank(run_setting(res)),
        describe_setting(res.setting),
    )


# --- what compared models share -------------------------------------------------------------------

HeadlineGroups = dict[RankingKey, dict[str | None, list[ModelResult]]]


def group_headlines(results: Iterable[ModelResult]) -> HeadlineGroups:
    """One model's headline results by ranking, then edition: what `shared_benchmarks` matches."""
    grouped: dict[RankingKey, defaultdict[str | None, list[ModelResult]]] = defaultdict(lambda: defaultdict(list))
    for r in results:
        if is_headline(r.result.benchmark, r.result.category):
            grouped[ranking_of(r.result)][r.result.edition].append(r)
    return {ranking: dict(editions) for ranking, editions in grouped.items()}  # plain: a reader adds no key


def shared_benchmarks(
    model_ids: Sequence[str],
    results: Mapping[str, Sequence[ModelResult]],
    grouped: Mapping[str, HeadlineGroups] | None = None,
) -> list[SharedBenchmark]:
    """The headline rankings every model in `model_ids` has a result in (pure).

    Per ranking: the newest edition every model appears in; LMArena with style control on when
    every model has it; each model's run closest to its default setting, or a setting all of them
    share when there is one (see `_choose`). A models.dev copy of a leaderboard gives way to the
    leaderboard's own shared result. `grouped`: each model's `group_headlines`, when the caller keeps them.
    """
    if not model_ids:
        return []
    if grouped is None:
        grouped = {m: group_headlines(results.get(m, ())) for m in model_ids}
    common = set.intersection(*(set(g) for g in grouped.values()))
    by_base: dict[tuple[str, str, str, str], list[RankingKey]] = defaultdict(list)
    for ranking in common:
        by_base[ranking[:4]].append(ranking)
    shared = []
    for variants in by_base.values():
        for ranking in sorted(variants, key=lambda k: measurement_rank(k[4])):
            found = _shared_in(ranking, model_ids, grouped)
            if found is not None:
                shared.append(found)
                break
    shared = _drop_copies(shared)
    return sorted(
        shared,
        key=lambda s: (source_rank(s.source), s.benchmark, category_order(s.benchmark, s.category), s.metric),
    )


def _shared_in(
    ranking: RankingKey, model_ids: Sequence[str], grouped: Mapping[str, HeadlineGroups]
) -> SharedBenchmark | None:
    editions = set.intersection(*(set(grouped[m][ranking]) for m in model_ids))
    if not editions:
        return None  # e.g. LiveBench releases: the models were never in one release together
    every = {e: [r for m in model_ids for r in grouped[m][ranking][e]] for e in editions}
    edition = max(editions, key=lambda e: edition_order(e, every[e]))
    chosen, differ = _choose({m: grouped[m][ranking][edition] for m in model_ids})
    return _standing(ranking, edition, [chosen[m] for m in model_ids], differ)


def _choose(candidates: Mapping[str, Sequence[ModelResult]]) -> tuple[dict[str, ModelResult], bool]:
    """One result per model: a run setting every model has (the most default one) when there is
    one, else each model's own default run; the flag says the settings differ."""
    settings = [{run_setting(r.result) for r in results} for results in candidates.values()]
    common = set.intersection(*settings)
    if common:
        setting = min(common, key=lambda s: (setting_rank(s), describe_setting(s)))
        return {
            m: preferred([r for r in results if run_setting(r.result) == setting]) for m, results in candidates.items()
        }, False
    chosen = {m: preferred(results) for m, results in candidates.items()}
    return chosen, len({run_setting(r.result) for r in chosen.values()}) > 1


def _standing(ranking: RankingKey, edition: str | None, chosen: list[ModelResult], differ: bool) -> SharedBenchmark:
    source, benchmark, category, metric, _ = ranking
    top, second = sorted(chosen, key=lambda r: (-r.result.score, r.model_id))[:2]
    standing = lead_or_tie(top.result, second.result)
    return SharedBenchmark(
        source=source,
        source_title=SOURCE_TITLES.get(source, source),
        benchmark=benchmark,
        category=category,
        metric=metric,
        edition=edition,
        measurement=measurement_label(ranking),
        url=top.result.source_url,
        scores=[
            SharedScore(
                r.model_id,
                r.result.score,
                r.result.ci_low,
                r.result.ci_high,
                describe_setting(run_setting(r.result)),
                r.result.date,
                r.result.model_name,
            )
            for r in chosen
        ],
        first=top.model_id,
        second=second.model_id,
        leader=None if standing.is_tie else top.model_id,
        margin=standing.margin,
        is_tie=standing.is_tie,
        reason=standing.reason,
        settings_differ=differ,
    )


def _drop_copies(shared: list[SharedBenchmark]) -> list[SharedBenchmark]:
    primary = {(s.benchmark, s.category) for s in shared if s.source not in SECONDARY_SOURCES}
    return [s for s in shared if s.source not in SECONDARY_SOURCES or (s.benchmark, s.category) not in primary]
