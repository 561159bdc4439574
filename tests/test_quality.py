"""Quality per dollar: benchmark references, resolving a leaderboard, and the Pareto frontier."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from versus.analysis.quality import (
    BenchmarkRef,
    BoardError,
    chart_for_board,
    pareto_frontier,
    parse_benchmark_ref,
    resolve_board,
)

from .benchmark_support import result


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("lmarena-text", BenchmarkRef("lmarena-text")),
        ("LiveBench/Coding", BenchmarkRef("livebench", "coding")),
        ("models-dev:aider-polyglot", BenchmarkRef("aider-polyglot", None, "models-dev")),
        (" swe-bench:swe-bench-verified/overall ", BenchmarkRef("swe-bench-verified", "overall", "swe-bench")),
    ],
)
def test_benchmark_references(text: str, ref: BenchmarkRef) -> None:
    assert parse_benchmark_ref(text) == ref
    assert parse_benchmark_ref(ref.text) == ref


@pytest.mark.parametrize("text", ["", "a b", "x/y/z", "a:b:c", "<script>", "é", "x" * 500, "/coding", "bench="])
def test_bad_benchmark_references_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a benchmark") as caught:
        parse_benchmark_ref(text)
    assert len(str(caught.value)) < 400  # a long input is not echoed back whole


@pytest.mark.parametrize(
    ("points", "frontier"),
    [
        ([], []),
        ([("a", "10", "90")], ["a"]),
        ([("a", "10", "90"), ("b", "20", "95"), ("c", "15", "80")], ["a", "b"]),  # c: dearer than a, worse
        ([("a", "10", "90"), ("b", "10", "80")], ["a"]),  # same cost, lower score
        ([("a", "10", "90"), ("b", "12", "90")], ["a"]),  # same score, dearer
        ([("a", "10", "90"), ("b", "10", "90")], ["a", "b"]),  # equal points: neither beats the other
        ([("free", "0", "50"), ("a", "10", "90")], ["free", "a"]),
    ],
)
def test_pareto_frontier(points: list[tuple[str, str, str]], frontier: list[str]) -> None:
    assert pareto_frontier([(i, Decimal(c), Decimal(s)) for i, c, s in points]) == frontier


def _beats(p: tuple[str, Decimal, Decimal], q: tuple[str, Decimal, Decimal]) -> bool:
    return p[1] <= q[1] and p[2] >= q[2] and (p[1] < q[1] or p[2] > q[2])


@given(
    st.lists(
        st.tuples(st.integers(0, 50).map(Decimal), st.integers(0, 50).map(Decimal)),
        max_size=30,
    )
)
def test_frontier_is_exactly_the_points_nothing_beats(raw: list[tuple[Decimal, Decimal]]) -> None:
    points = [(f"m{i}", cost, score) for i, (cost, score) in enumerate(raw)]
    frontier = set(pareto_frontier(points))
    for p in points:
        beaten = any(_beats(q, p) for q in points)
        assert (p[0] in frontier) == (not beaten), p


LIVEBENCH = {"source": "livebench", "benchmark": "livebench", "metric": "score"}


def test_a_board_takes_the_default_category_the_newest_edition_and_one_result_per_model() -> None:
    results = [
        result("x/a", "60", category="global-average", edition="2026-01-08", day=date(2026, 1, 8), **LIVEBENCH),
        result("x/a", "70", category="global-average", edition="2025-05-30", day=date(2025, 5, 30), **LIVEBENCH),
        result("x/b", "65", category="global-average", edition="2026-01-08", day=date(2026, 1, 8), **LIVEBENCH),
        result(
            "x/b",
            "75",
            category="global-average",
            edition="2026-01-08",
            day=date(2026, 1, 8),
            thinking="64k",
            **LIVEBENCH,
        ),
        result("x/c", "99", category="coding", edition="2026-01-08", day=date(2026, 1, 8), **LIVEBENCH),
    ]
    board = resolve_board(BenchmarkRef("livebench"), results)
    assert (board.category, board.edition) == ("global-average", "2026-01-08")
    assert [(e.model_id, e.result.score) for e in board.entries] == [("x/b", Decimal(65)), ("x/a", Decimal(60))]
    coding = resolve_board(BenchmarkRef("livebench", "coding"), results)
    assert [e.model_id for e in coding.entries] == ["x/c"]
    with pytest.raises(BoardError, match="no category 'math'") as caught:
        resolve_board(BenchmarkRef("livebench", "math"), results)
    assert caught.value.suggestions == ["global-average", "coding"]


def test_a_board_prefers_the_leaderboards_own_file_and_style_control_on() -> None:
    results = [
        result("x/a", "88.0", source="models-dev", benchmark="aider-polyglot", metric="percent correct"),
        result("x/a", "86.7", source="aider", benchmark="aider-polyglot", metric="pass@2 %"),
        result("x/b", "70", source="models-dev", benchmark="aider-polyglot", metric="percent correct"),
    ]
    own = resolve_board(BenchmarkRef("aider-polyglot"), results)
    assert own.source == "aider" and [e.model_id for e in own.entries] == ["x/a"]
    copy = resolve_board(BenchmarkRef("aider-polyglot", source="models-dev"), results)
    assert [e.model_id for e in copy.entries] == ["x/a", "x/b"]
    with pytest.raises(BoardError, match="no results from 'bfcl'"):
        resolve_board(BenchmarkRef("aider-polyglot", source="bfcl"), results)
    arena = [result("x/a", "1400", style_control="off"), result("x/a", "1380", style_control="on")]
    board = resolve_board(BenchmarkRef("lmarena-text"), arena)
    assert board.measurement == "style control on" and board.entries[0].result.score == Decimal(1380)


def test_a_benchmark_without_an_overall_score_uses_its_first_headline_category() -> None:
    evals = {"source": "simple-evals", "benchmark": "simple-evals", "metric": "percent"}
    results = [result("x/a", "83.4", category="gpqa", **evals), result("x/a", "90", category="mmlu", **evals)]
    assert resolve_board(BenchmarkRef("simple-evals"), results).category == "mmlu"


def test_chart_puts_costs_beside_scores_and_marks_the_frontier() -> None:
    results = [
        result("x/a", "1445", ci=("1440", "1450"), style_control="on"),
        result("x/b", "1436", ci=("1432", "1441"), style_control="on"),
        result("x/c", "1300", style_control="on"),
        result("x/d", "1200", style_control="on"),
    ]
    board = resolve_board(BenchmarkRef("lmarena-text"), results)
    costs = {"x/a": Decimal(6150), "x/b": Decimal(3500), "x/c": Decimal(4000), "x/d": None}
    chart = chart_for_board(board, {"x/a": "A"}, costs)
    assert chart.frontier == ["x/b", "x/a"]
    by_id = {p.model_id: p for p in chart.points}
    assert [p.model_id for p in chart.points] == ["x/a", "x/b", "x/c", "x/d"]
    assert by_id["x/a"].name == "A" and by_id["x/b"].name == "x/b"
    assert by_id["x/b"].value == Decimal(1436) / Decimal(3500)
    assert not by_id["x/c"].on_frontier  # dearer than b and lower
    assert by_id["x/d"].monthly is None and by_id["x/d"].value is None and not by_id["x/d"].on_frontier
