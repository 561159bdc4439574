"""Benchmark adapters on the real leaderboard files: exact scores, settings kept apart, ties, errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from versus.benchmarks.ties import lead_or_tie
from versus.benchmarks.types import BenchmarkData, BenchmarkResult
from versus.sources import aider, bfcl, livebench, lmarena, models_dev_benchmarks, simple_evals, swe_bench
from versus.sources.leaderboards import SOURCE_NAMES, adapter

from .conftest import SHARED_DATA

BENCHMARKS = SHARED_DATA / "benchmarks"
SNAPSHOT = date(2025, 12, 17)
pytestmark = pytest.mark.skipif(
    not BENCHMARKS.is_dir(), reason=f"shared benchmark data not found at {BENCHMARKS} (see SOURCES.md)"
)


def _files(folder: str, names: tuple[str, ...] | None = None) -> dict[str, bytes]:
    paths = sorted((BENCHMARKS / folder).iterdir())
    return {p.name: p.read_bytes() for p in paths if names is None or p.name in names}


@pytest.fixture(scope="module")
def parsed() -> dict[str, BenchmarkData]:
    """Every adapter over its default files from the shared data (simple-evals: its CSV copies)."""
    return {
        "lmarena": lmarena.parse(_files("lmarena"), snapshot_date=SNAPSHOT),
        "livebench": livebench.parse(_files("livebench"), snapshot_date=SNAPSHOT),
        "aider": aider.parse(_files("aider", aider.SOURCE.files), snapshot_date=SNAPSHOT),
        "bfcl": bfcl.parse(_files("bfcl", bfcl.SOURCE.files), snapshot_date=SNAPSHOT),
        "swe-bench": swe_bench.parse(_files("swe-bench"), snapshot_date=SNAPSHOT),
        "simple-evals": simple_evals.parse(_files("simple-evals"), snapshot_date=SNAPSHOT),
        "models-dev": models_dev_benchmarks.parse(
            {"providers.tar.gz": (SHARED_DATA / "models-dev" / "providers.tar.gz").read_bytes()}, snapshot_date=SNAPSHOT
        ),
    }


def _one(data: BenchmarkData, **wanted: object) -> BenchmarkResult:
    found = [r for r in data.results if all(getattr(r, k) == v for k, v in wanted.items())]
    assert len(found) == 1, f"{len(found)} results match {wanted}"
    return found[0]


def test_lmarena_rating_and_interval_of_one_model(parsed: dict[str, BenchmarkData]) -> None:
    plain = _one(
        parsed["lmarena"], benchmark="lmarena-text", category="overall", model_name="gemini-3-pro",
        setting=(("style_control", "off"),),
    )  # fmt: skip
    assert plain.score == Decimal("1486.6027120272704")
    assert (plain.ci_low, plain.ci_high) == (Decimal("1480.4026895976556"), Decimal("1492.8027344568852"))
    assert (plain.metric, plain.date, plain.organisation) == ("elo", SNAPSHOT, "Google")
    styled = _one(
        parsed["lmarena"], benchmark="lmarena-text", category="overall", model_name="gemini-3-pro",
        setting=(("style_control", "on"),),
    )  # fmt: skip
    assert styled.score == Decimal("1492.0464937622653")
    coding = _one(
        parsed["lmarena"], benchmark="lmarena-vision", category="overall", model_name="gpt-4o-2024-05-13",
        setting=(("style_control", "off"),),
    )  # fmt: skip
    assert coding.ci_low is not None and coding.ci_low < coding.score < (coding.ci_high or 0)


def test_lmarena_tie_from_overlapping_intervals(parsed: dict[str, BenchmarkData]) -> None:
    def overall(name: str, style_control: str = "off") -> BenchmarkResult:
        found = [
            r for r in parsed["lmarena"].results
            if (r.benchmark, r.category, r.model_name) == ("lmarena-text", "overall", name)
            and dict(r.setting)["style_control"] == style_control
        ]  # fmt: skip
        assert len(found) == 1
        return found[0]

    # Claude Opus 4.5 rates 1446.4 [1439.4, 1453.5], Grok 4.1 Thinking 1451.2 [1445.1, 1457.3].
    tie = lead_or_tie(overall("claude-opus-4-5-20251101"), overall("grok-4.1-thinking"))
    assert tie.is_tie and tie.margin < 0 and "overlap" in tie.reason
    lead = lead_or_tie(overall("gemini-3-pro"), overall("gemini-2.5-pro"))
    assert lead.leader == "a" and lead.margin > 20 and "do not overlap" in lead.reason
    coding = _one(
        parsed["lmarena"], benchmark="lmarena-text", category="coding", model_name="gemini-3-pro",
        setting=(("style_control", "off"),),
    )  # fmt: skip
    with pytest.raises(ValueError, match="category"):
        lead_or_tie(coding, overall("gemini-2.5-pro"))
    with pytest.raises(ValueError, match="different rankings"):
        lead_or_tie(overall("gemini-3-pro", "on"), overall("gemini-2.5-pro"))


def test_livebench_category_and_global_averages_as_the_site_computes_them(
    parsed: dict[str, BenchmarkData],
) -> None:
    def average(category: str, name: str = "claude-4-1-opus-20250805-base", edition: str = "2026-01-08") -> Decimal:
        return _one(parsed["livebench"], category=category, model_name=name, edition=edition).score

    assert average("coding") == Decimal("76.07")  # (76.056 + 76.087) / 2 = 76.0715
    assert average("reasoning") == Decimal("40.89")  # (48.077 + 11.5 + 62.0 + 42.0) / 4
    assert average("instruction-following") == Decimal("25.92")
    assert average("global-average") == Decimal("54.45")  # mean of the seven unrounded category means
    # A missing task score is left out of the mean, as livebench.ai does: (15.888 + 10.0) / 2.
    assert average("language", "phi-3-small-8k-instruct", "2024-11-25") == Decimal("12.94")
    result = _one(parsed["livebench"], category="coding", model_name="gpt-5-mini-high", edition="2026-01-08")
    assert result.date == date(2026, 1, 8) and result.setting == (("reasoning_effort", "high"),)


def test_livebench_short_row_is_an_error_not_a_guess(parsed: dict[str, BenchmarkData]) -> None:
    errors = [e for e in parsed["livebench"].errors if "nemotron-3-super-120b-a12b" in e.record_id]
    assert len(errors) == 1 and "21 fields, the header 24" in errors[0].message
    assert not [r for r in parsed["livebench"].results if r.model_name == "nemotron-3-super-120b-a12b"]
    assert len(parsed["livebench"].errors) == 1


def test_aider_polyglot_pass_rate_with_its_edit_format(parsed: dict[str, BenchmarkData]) -> None:
    high = _one(parsed["aider"], benchmark="aider-polyglot", model_name="gpt-5 (high)")
    assert (high.score, high.metric, high.date) == (Decimal("88.0"), "pass@2 %", date(2025, 8, 23))
    assert high.setting == (("edit_format", "diff"), ("reasoning_effort", "high"))
    thinking = _one(parsed["aider"], benchmark="aider-polyglot", model_name="claude-sonnet-4-20250514 (32k thinking)")
    assert dict(thinking.setting)["thinking"] == "32k"
    architect = _one(parsed["aider"], benchmark="aider-polyglot", model_name="o3 (high) + gpt-4.1")
    assert dict(architect.setting) == {
        "edit_format": "architect",
        "editor_edit_format": "editor-diff",
        "editor_model": "gpt-4.1",
        "reasoning_effort": "high",
    }
    refactor = _one(parsed["aider"], benchmark="aider-refactoring", model_name="claude-3-5-sonnet-20241022")
    assert (refactor.score, refactor.metric) == (Decimal("92.1"), "pass@1 %")


def test_same_model_at_two_reasoning_efforts_is_two_results(parsed: dict[str, BenchmarkData]) -> None:
    gpt5 = [
        r for r in parsed["aider"].results if r.benchmark == "aider-polyglot" and r.model_name.startswith("gpt-5 (")
    ]
    efforts = {dict(r.setting)["reasoning_effort"]: r.score for r in gpt5}
    assert efforts == {"high": Decimal("88.0"), "medium": Decimal("86.7"), "low": Decimal("81.3")}
    swe = [r for r in parsed["swe-bench"].results if r.benchmark == "swe-bench-bash-only"]
    assert len({r.setting for r in swe}) > 1


def test_bfcl_overall_and_sub_scores_with_tool_calling_mode(parsed: dict[str, BenchmarkData]) -> None:
    fc = _one(parsed["bfcl"], category="overall", model_name="Claude-Opus-4-5-20251101 (FC)")
    assert (fc.score, fc.metric, fc.edition, fc.organisation) == (Decimal("77.47"), "accuracy %", "V4", "Anthropic")
    assert fc.setting == (("tool_calling", "native"),)
    prompt = _one(parsed["bfcl"], category="overall", model_name="Claude-Opus-4-5-20251101 (Prompt)")
    assert prompt.score == Decimal("33.47") and prompt.setting == (("tool_calling", "prompt"),)
    live = _one(parsed["bfcl"], category="live", model_name="Claude-Opus-4-5-20251101 (FC)")
    assert live.score == Decimal("79.79")
    glm = _one(parsed["bfcl"], category="overall", model_name="GLM-4.6 (FC thinking)")
    assert glm.model_hints == ("zai-org/GLM-4.6",) and dict(glm.setting)["thinking"] == "on"
    categories = {r.category for r in parsed["bfcl"].results}
    assert {"overall", "non-live-ast", "multi-turn", "web-search", "memory", "irrelevance-detection"} <= categories
    assert not {c for c in categories if "latency" in c or "cost" in c or "sensitivity" in c}
    assert parsed["bfcl"].errors == []


def test_swe_bench_resolved_per_leaderboard_with_the_agent_as_setting(parsed: dict[str, BenchmarkData]) -> None:
    verified = _one(
        parsed["swe-bench"], benchmark="swe-bench-verified", model_name="mini-SWE-agent + Claude 4.5 Sonnet (20250929)"
    )
    assert (verified.score, verified.metric, verified.date) == (Decimal("70.6"), "% resolved", date(2025, 9, 29))
    assert dict(verified.setting) == {"system": "mini-SWE-agent", "attempts": "1"}
    assert verified.model_hints == ("claude-sonnet-4-5-20250929",)
    bash = _one(parsed["swe-bench"], benchmark="swe-bench-bash-only", model_name="Claude 4.5 Opus medium (20251101)")
    assert bash.score == Decimal("74.4")
    assert dict(bash.setting) == {"system": "mini-SWE-agent", "attempts": "1", "reasoning_effort": "medium"}
    boards = {r.benchmark for r in parsed["swe-bench"].results}
    assert boards == {f"swe-bench-{b}" for b in ("bash-only", "test", "verified", "lite", "multimodal")}
    assert len(parsed["swe-bench"].results) == 322 and parsed["swe-bench"].errors == []


def test_simple_evals_per_column_with_missing_and_zero_padded_values(parsed: dict[str, BenchmarkData]) -> None:
    gpqa = _one(parsed["simple-evals"], category="gpqa", model_name="o3-high")
    assert gpqa.score == Decimal("83.4") and gpqa.setting == (("reasoning_effort", "high"),)
    assert _one(parsed["simple-evals"], category="simpleqa", model_name="o1-mini").score == Decimal("7.6")
    assert not [r for r in parsed["simple-evals"].results if r.model_name == "o1" and r.category == "humaneval"]
    reported = _one(parsed["simple-evals"], category="mmlu", model_name="Claude 3.5 Sonnet")
    assert dict(reported.setting) == {"reported_by": "the model's lab"}
    assert reported.source_url == "https://www.anthropic.com/news/claude-3-5-sonnet"
    arabic = _one(parsed["simple-evals"], category="mmmlu-arabic", model_name="o3-high")
    assert arabic.score == Decimal("90.4")
    assert parsed["simple-evals"].errors == []


def test_every_default_upstream_file_is_a_raw_url_and_licences_decide_shipping() -> None:
    shipped = {name for name in SOURCE_NAMES if adapter(name).SOURCE.redistributable}
    assert shipped == {"aider", "bfcl", "simple-evals", "models-dev"}
    for name in SOURCE_NAMES:
        info = adapter(name).SOURCE
        hosts = ("https://raw.githubusercontent.com/", "https://codeload.github.com/")
        assert info.files and all(info.url(f).startswith(hosts) for f in info.files)


def test_models_dev_entries_per_base_model_with_harness_and_variant(parsed: dict[str, BenchmarkData]) -> None:
    data = parsed["models-dev"]
    assert len(data.results) == 288 and data.errors == []
    aider_run = _one(data, benchmark="aider-polyglot", model_name="gpt-4o-2024-08-06")
    assert (aider_run.score, aider_run.metric, aider_run.date) == (
        Decimal("23.1"),
        "percent correct",
        date(2024, 12, 30),
    )
    assert (aider_run.organisation, aider_run.source_url) == ("openai", "https://aider.chat/docs/leaderboards/")
    agent = _one(
        data, benchmark="artificial-analysis-coding-agent-index", model_name="claude-opus-4-7",
        setting=(("system", "Claude Code"), ("variant", "max")),
    )  # fmt: skip
    assert agent.score == Decimal("66.6")
    terminal = _one(
        data,
        benchmark="terminal-bench",
        model_name="claude-opus-4-7",
        edition="2.1",
        setting=(("system", "Terminus-2"),),
    )
    assert terminal.score == Decimal("66.1")


# Rows of upstream's README.md table as published (ragged cells, footnotes, bold group rows);
# the last row is cut short after MATH, as a ragged row can be.
README_EXCERPT = """# Overview

## Benchmark Results

| Model   | Prompt   | MMLU | GPQA [^8] | MATH [^6]| HumanEval | MGSM[^5] | DROP[^5]<br>(F1, 3-shot) | SimpleQA
|:------:|:------:|:------:|:------:|:-----:|:-----:|:------:|:-------:|:---------:|
| **o3**    |   |   |   |   |   |   |   |   |   |
| o3-high [^10]     | n/a [^7]  |  93.3  |  83.4  |   98.1   |  88.4     |  92.0  |  89.8   |  48.6     |
| **o1**    |   |   |   |   |   |   |   |   |
|  o1       | n/a   |  91.8  |  75.7  |   96.4   |    -      |  89.3  |  90.2     |  42.6     |
| **Other Models (Reported)**   |   |   |   |   |   |   |   |
| [Claude 3.5 Sonnet](https://www.anthropic.com/news/claude-3-5-sonnet) | unknown |  88.3  |  59.4  |  71.1  |
"""


def test_simple_evals_reads_the_upstream_markdown_like_its_csv_copy(parsed: dict[str, BenchmarkData]) -> None:
    from_md = simple_evals.parse({"README.md": README_EXCERPT.encode()}, snapshot_date=SNAPSHOT)
    assert from_md.errors == []
    by_key = {(r.model_name, r.category): r for r in parsed["simple-evals"].results}
    assert len(from_md.results) == 7 + 6 + 3
    for result in from_md.results:
        twin = by_key[(result.model_name, result.category)]
        assert (result.score, result.setting, result.source_url) == (twin.score, twin.setting, twin.source_url)
