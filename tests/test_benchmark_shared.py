"""Which benchmarks compared models share, which result of each is shown, and who leads or ties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from versus.analysis.benchmarks import preferred, results_from_rows, setting_rank, shared_benchmarks

from .benchmark_support import result

A, B, C = "lab/a", "lab/b", "lab/c"


def _shared(*results):  # type: ignore[no-untyped-def]
    by_model: dict[str, list] = {}  # type: ignore[type-arg]
    for r in results:
        by_model.setdefault(r.model_id, []).append(r)
    return shared_benchmarks([A, B], by_model)


def test_only_rankings_both_models_have_are_shared() -> None:
    shared = _shared(
        result(A, "1400", ci=("1395", "1405"), style_control="on"),
        result(B, "1380", ci=("1370", "1390"), style_control="on"),
        result(A, "80", source="aider", benchmark="aider-polyglot", metric="pass@2 %"),
    )
    assert [(s.benchmark, s.category) for s in shared] == [("lmarena-text", "overall")]
    assert [s.model_id for s in shared[0].scores] == [A, B]


def test_intervals_that_overlap_are_a_tie_and_apart_a_lead() -> None:
    tie = _shared(
        result(A, "1436.75", ci=("1432.20", "1441.31"), style_control="on"),
        result(B, "1445.45", ci=("1440.41", "1450.48"), style_control="on"),
    )[0]
    assert tie.is_tie and tie.leader is None
    assert (tie.first, tie.second, tie.margin) == (B, A, Decimal("8.70"))
    assert "overlap" in tie.reason
    lead = _shared(
        result(A, "1470", ci=("1462", "1478"), style_control="on"),
        result(B, "1504", ci=("1495", "1513"), style_control="on"),
    )[0]
    assert not lead.is_tie and lead.leader == B and lead.margin == Decimal(34)


def test_without_intervals_a_higher_score_leads_untested_and_equal_scores_tie() -> None:
    lead = _shared(result(A, "78.85", metric="score"), result(B, "70.56", metric="score"))[0]
    assert lead.leader == A and "no interval" in lead.reason
    tie = _shared(result(A, "50.00", metric="score"), result(B, "50.00", metric="score"))[0]
    assert tie.is_tie and tie.reason == "equal scores"


def test_style_control_on_is_preferred_and_off_is_never_compared_with_on() -> None:
    shared = _shared(
        result(A, "1400", style_control="on"),
        result(A, "1390", style_control="off"),
        result(B, "1380", style_control="on"),
        result(B, "1410", style_control="off"),
    )
    assert len(shared) == 1 and shared[0].measurement == "style control on"
    assert shared[0].leader == A
    only_off = _shared(result(A, "1400", style_control="on"), result(B, "1410", style_control="off"))
    assert only_off == []  # different rankings: never put side by side


def test_newest_edition_both_models_appear_in() -> None:
    livebench = {"source": "livebench", "benchmark": "livebench", "category": "global-average", "metric": "score"}
    shared = _shared(
        result(A, "70", edition="2025-05-30", day=date(2025, 5, 30), **livebench),
        result(A, "60", edition="2026-01-08", day=date(2026, 1, 8), **livebench),
        result(B, "75", edition="2025-05-30", day=date(2025, 5, 30), **livebench),
        result(B, "65", edition="2025-11-25", day=date(2025, 11, 25), **livebench),
    )
    assert len(shared) == 1
    assert shared[0].edition == "2025-05-30" and shared[0].leader == B
    both_newer = _shared(
        result(A, "70", edition="2025-05-30", day=date(2025, 5, 30), **livebench),
        result(A, "61", edition="2025-11-25", day=date(2025, 11, 25), **livebench),
        result(B, "75", edition="2025-05-30", day=date(2025, 5, 30), **livebench),
        result(B, "60", edition="2025-11-25", day=date(2025, 11, 25), **livebench),
    )
    assert both_newer[0].edition == "2025-11-25" and both_newer[0].leader == A
    never_together = _shared(
        result(A, "60", edition="2026-01-08", **livebench), result(B, "65", edition="2025-11-25", **livebench)
    )
    assert never_together == []


def test_a_setting_every_model_has_is_compared_like_for_like() -> None:
    bfcl = {"source": "bfcl", "benchmark": "bfcl", "metric": "accuracy %", "edition": "V4"}
    shared = _shared(
        result(A, "48.56", tool_calling="native", **bfcl),
        result(A, "63.05", tool_calling="prompt", **bfcl),
        result(B, "73.24", tool_calling="native", **bfcl),
        result(B, "24.90", tool_calling="prompt", **bfcl),
    )[0]
    assert not shared.settings_differ
    assert [s.setting for s in shared.scores] == ["tool calling native", "tool calling native"]
    assert [s.score for s in shared.scores] == [Decimal("48.56"), Decimal("73.24")]


def test_different_settings_are_shown_with_both_not_silently_compared() -> None:
    shared = _shared(
        result(A, "1436", reasoning_effort="high", style_control="on"),
        result(B, "1445", style_control="on"),
        result(B, "1449", thinking="32k", style_control="on"),
    )[0]
    assert shared.settings_differ
    assert [s.setting for s in shared.scores] == ["reasoning effort high", ""]  # B's default run, not its best


def test_each_models_default_run_is_preferred() -> None:
    aider = {"source": "aider", "benchmark": "aider-polyglot", "metric": "pass@2 %"}
    runs = [
        result(A, "88.0", edit_format="diff", reasoning_effort="high", day=date(2025, 8, 23), **aider),
        result(A, "86.7", edit_format="diff", reasoning_effort="medium", day=date(2025, 8, 25), **aider),
        result(A, "81.3", edit_format="diff", reasoning_effort="low", day=date(2025, 8, 25), **aider),
    ]
    assert preferred(runs).result.score == Decimal("86.7")  # medium: the API's default effort
    assert setting_rank((("attempts", "1"), ("system", "x"))) == 0
    assert setting_rank((("attempts", "2+"),)) == 1


def test_a_models_dev_copy_gives_way_to_the_leaderboards_own_file() -> None:
    aider = {"benchmark": "aider-polyglot", "day": date(2025, 8, 1)}
    shared = _shared(
        result(A, "88.0", source="aider", metric="pass@2 %", edit_format="diff", **aider),
        result(B, "83.1", source="aider", metric="pass@2 %", edit_format="diff", **aider),
        result(A, "88.0", source="models-dev", metric="percent correct", **aider),
        result(B, "83.1", source="models-dev", metric="percent correct", **aider),
    )
    assert [s.source for s in shared] == ["aider"]


def test_only_headline_categories_are_compared() -> None:
    shared = _shared(
        result(A, "1400", category="coding", style_control="on"),
        result(B, "1380", category="coding", style_control="on"),
        result(A, "1400", category="industry-legal-and-government", style_control="on"),
        result(B, "1380", category="industry-legal-and-government", style_control="on"),
    )
    assert [s.category for s in shared] == ["coding"]


def test_three_models_lead_is_the_top_two() -> None:
    by_model = {
        A: [result(A, "1400", ci=("1395", "1405"), style_control="on")],
        B: [result(B, "1420", ci=("1415", "1425"), style_control="on")],
        C: [result(C, "1300", ci=("1295", "1305"), style_control="on")],
    }
    shared = shared_benchmarks([A, B, C], by_model)[0]
    assert (shared.leader, shared.second, shared.margin) == (B, A, Decimal(20))
    assert shared_benchmarks([A, B, C], {A: by_model[A], B: by_model[B]}) == []


def test_stored_rows_read_back_exactly() -> None:
    row = {
        "model_id": A,
        "source": "lmarena",
        "benchmark": "lmarena-text",
        "category": "overall",
        "score": "1436.7541925537778",
        "metric": "elo",
        "ci_low": "1432.199416934596",
        "ci_high": None,
        "setting": '[["reasoning_effort", "high"], ["style_control", "on"]]',
        "date": "2025-12-17",
        "edition": None,
        "model_name": "gpt-5-high",
        "organisation": None,
        "source_url": "https://lmarena.ai/leaderboard",
        "licence": "none",
        "confidence": 0.95,
        "reason": "because",
    }
    (read,) = results_from_rows([row])
    assert read.result.score == Decimal("1436.7541925537778")
    assert read.result.ci_low == Decimal("1432.199416934596") and read.result.ci_high is None
    assert read.result.setting == (("reasoning_effort", "high"), ("style_control", "on"))
    assert read.result.date == date(2025, 12, 17) and read.confidence == 0.95
