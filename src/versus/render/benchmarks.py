"""Views of benchmark results: a model's results (`versus benchmarks`), a leaderboard with quality per
dollar (`versus leaderboard`), and the comparison's shared benchmarks, as plain tables and JSON.

No Rich here: the JSON path of the commands stays light.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from versus.analysis.benchmarks import ModelResult, SharedBenchmark, SharedScore, run_setting
from versus.analysis.quality import QualityChart
from versus.analysis.traffic import TrafficProfile
from versus.benchmarks.types import describe_setting
from versus.formats import UNKNOWN, json_number, jsonable, share, usd
from versus.render.tabledata import TableData

_CENT = Decimal("0.01")
FRONTIER_MARK = "◆ frontier"
VALUE_HEADER = "Score per $1k a month"


def score_text(value: Decimal) -> str:
    """A score as its leaderboard gives it, cut to two decimals: `1436.75`, `88.0`, `32`."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        value = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    return f"{value:f}"


def interval_text(low: Decimal | None, high: Decimal | None) -> str:
    return f"[{score_text(low)}, {score_text(high)}]" if low is not None and high is not None else UNKNOWN


def scored_text(score: Decimal, low: Decimal | None, high: Decimal | None) -> str:
    """`1445.45 [1440.41, 1450.48]`: a score with its 95 % interval when the leaderboard gives one."""
    return (
        f"{score_text(score)} {interval_text(low, high)}" if low is not None and high is not None else score_text(score)
    )


def value_text(value: Decimal | None) -> str:
    """Score per $1,000 of monthly cost: `411`, `23.5`, `0.84`; `free` is not a number, so unknown."""
    if value is None:
        return UNKNOWN
    per_k = value * 1000
    places = Decimal(1) if per_k >= 100 else Decimal("0.1") if per_k >= 10 else _CENT
    return f"{per_k.quantize(places, rounding=ROUND_HALF_UP):,f}"


def traffic_text(profile: TrafficProfile) -> str:
    """`1,000,000 requests a month × 800 input + 250 output tokens`, with cache and batch shares when set."""
    text = (
        f"{profile.requests:,} requests a month × {profile.input_tokens:,} input + "
        f"{profile.output_tokens:,} output tokens"
    )
    if profile.cache_hit:
        text += f", {share(profile.cache_hit)} of input from cache"
    if profile.batch_share:
        text += f", {share(profile.batch_share)} through batch APIs"
    return text


# --- one model's results (`versus benchmarks MODEL`) -----------------------------------------------


def result_to_dict(r: ModelResult) -> dict[str, Any]:
    res = r.result
    return {
        "benchmark": res.benchmark,
        "category": res.category,
        "score": json_number(res.score),
        "metric": res.metric,
        "ci_low": json_number(res.ci_low),
        "ci_high": json_number(res.ci_high),
        "setting": describe_setting(res.setting),
        "setting_pairs": dict(res.setting),
        "date": res.date.isoformat() if res.date else None,
        "edition": res.edition,
        "source": res.source,
        "url": res.source_url,
        "licence": res.licence,
        "leaderboard_name": res.model_name,
        "match_confidence": r.confidence,
        "match_reason": r.match_reason,
    }


def results_table(name: str, results: Sequence[ModelResult]) -> TableData:
    """Every result of one model: the edition (a LiveBench release) beside the benchmark's name."""
    rows = [
        [
            r.result.benchmark + (f" {r.result.edition}" if r.result.edition else ""),
            r.result.category,
            scored_text(r.result.score, r.result.ci_low, r.result.ci_high),
            r.result.metric,
            describe_setting(r.result.setting) or "default",
            r.result.date.isoformat() if r.result.date else UNKNOWN,
            r.result.source,
        ]
        for r in results
    ]
    header = ["Benchmark", "Category", "Score [95 % CI]", "Metric", "Setting", "Date", "Source"]
    return TableData(f"{name}: {len(results)} benchmark results", header, rows, numeric=(2,))


# --- a leaderboard with quality per dollar ---------------------------------------------------------


def quality_table(chart: QualityChart, limit: int | None = None, title: str | None = None) -> TableData:
    """Rank, score, monthly cost, score per $1k and the frontier mark, highest score first."""
    rows = [
        [
            str(rank),
            p.name,
            score_text(p.score),
            interval_text(p.ci_low, p.ci_high),
            p.setting or "default",
            usd(p.monthly),
            value_text(p.value),
            FRONTIER_MARK if p.on_frontier else "",
        ]
        for rank, p in enumerate(chart.points[:limit] if limit else chart.points, start=1)
    ]
    header = ["#", "Model", "Score", "95 % CI", "Setting", "Monthly cost", VALUE_HEADER, "Pareto"]
    return TableData(title or chart.label, header, rows, numeric=(0, 2, 5, 6))


def frontier_line(chart: QualityChart) -> str:
    names = {p.model_id: p.name for p in chart.points}
    if not chart.frontier:
        return "No model on this leaderboard has a price under the route policy, so there is no frontier."
    return (
        f"Pareto frontier ({FRONTIER_MARK}), cheapest first: {' → '.join(names[m] for m in chart.frontier)}. "
        "Every other model is beaten by one of these on both score and monthly cost."
    )


def chart_to_dict(chart: QualityChart, profile: TrafficProfile, policy: str) -> dict[str, Any]:
    data: dict[str, Any] = jsonable(chart)
    data["traffic"] = jsonable(profile)
    data["policy"] = policy
    data["value_unit"] = "score per dollar of monthly cost"
    return data


# --- the comparison's shared benchmarks ------------------------------------------------------------


def ranking_label(b: SharedBenchmark) -> str:
    """`livebench coding (edition 2025-05-30)`, `lmarena-text overall (style control on)`."""
    notes = ", ".join(n for n in (b.edition and f"edition {b.edition}", b.measurement) if n)
    return f"{b.benchmark} {b.category}" + (f" ({notes})" if notes else "")


def standing_text(b: SharedBenchmark, names: dict[str, str]) -> str:
    intervals = all(s.ci_low is not None and s.ci_high is not None for s in b.scores)
    if b.is_tie:
        why = "95 % intervals overlap" if intervals and b.margin else "equal scores"
        return f"tie: {names[b.first]} and {names[b.second]} ({why})"
    how = "95 % intervals apart" if intervals else "no interval to test it"
    return f"{names[b.first]} by {score_text(b.margin)} ({how})"


def setting_text(b: SharedBenchmark, names: dict[str, str]) -> str:
    if not b.settings_differ:
        return b.scores[0].setting or "default"
    return "; ".join(f"{names[s.model_id]}: {s.setting or 'default'}" for s in b.scores)


def dates_text(scores: Sequence[SharedScore], names: dict[str, str]) -> str:
    days = {s.date for s in scores}
    if len(days) == 1:
        day = next(iter(days))
        return day.isoformat() if day else UNKNOWN
    return "; ".join(f"{names[s.model_id]}: {s.date.isoformat() if s.date else UNKNOWN}" for s in scores)


def shared_row(b: SharedBenchmark, model_ids: Sequence[str], names: dict[str, str]) -> list[str]:
    by_model = {s.model_id: s for s in b.scores}
    cells = [scored_text(by_model[m].score, by_model[m].ci_low, by_model[m].ci_high) for m in model_ids]
    return [
        ranking_label(b),
        *cells,
        standing_text(b, names),
        setting_text(b, names),
        dates_text(b.scores, names),
        b.source_title,
    ]


def run_label(r: ModelResult) -> str:
    return describe_setting(run_setting(r.result)) or "default"
