"""`versus pick`: constraints, rankings, why each model is in and the closest misses are out — on
hand-made models, then on the real catalog, every pick checked against `versus show`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from versus.analysis.pick import (
    Constraints,
    ModelTraits,
    PricedModel,
    Ranking,
    ScoreFloor,
    default_value_ref,
    pick,
)
from versus.analysis.pick_input import PickInputError, parse_dollars, parse_floor, parse_needs, parse_ranking
from versus.analysis.quality import BenchmarkRef, resolve_board

from .benchmark_support import result

VISION_TOOLS = {"vision": True, "function_calling": True}


def _model(
    model_id: str,
    monthly: str | None,
    *,
    context: int | None = 200_000,
    caps: dict[str, bool | None] | None = None,
    openness: str | None = "proprietary",
    spdx: str | None = None,
) -> PricedModel:
    traits = ModelTraits(model_id, model_id.upper(), context, caps or VISION_TOOLS, openness, spdx, spdx)
    return PricedModel(traits, Decimal(monthly) if monthly is not None else None, "P · x" if monthly else None, "rule")


MODELS = [
    _model("a", "500", openness="open-weights", spdx="Apache-2.0"),
    _model("b", "100", caps={"vision": True, "function_calling": None}),
    _model("c", "50", context=32_000),
    _model("d", None),
    _model("e", "2000", context=1_000_000),
    _model("f", "700", caps={"vision": False, "function_calling": False}, context=None),
]
ASKED = Constraints(needs=("vision", "function_calling"), min_context=128_000, max_monthly=Decimal(1000))


BY_COST = Ranking("cost")


def _run(constraints: Constraints = ASKED, ranking: Ranking = BY_COST, boards=None, **kw):  # type: ignore[no-untyped-def]
    return pick(MODELS, boards or {}, constraints, ranking, policy="test policy", **kw)


def test_only_models_meeting_every_constraint_are_shortlisted() -> None:
    found = _run()
    assert [e.model_id for e in found.shortlist] == ["a"]
    assert found.shortlist[0].reasons == [
        "#1 by cost: $500 a month on P · x, rule",
        "$500 a month ≤ $1,000",
        "vision: yes",
        "function calling: yes",
        "context 200k ≥ 128k",
    ]
    assert (found.eligible, found.considered) == (1, 6)


def test_closest_misses_fail_fewest_constraints_and_unknown_never_passes() -> None:
    misses = {e.model_id: e.reasons for e in _run().excluded}
    assert list(misses) == ["c", "b", "e", "d", "f"]  # one failure each, cheapest first, unpriced last; then f
    assert misses["b"] == ["function calling: unknown"]
    assert misses["c"] == ["context 32k < 128k"]
    assert misses["d"] == ["no priced pay-per-token route under the route policy"]
    assert misses["e"] == ["$2,000 a month > $1,000"]
    assert misses["f"] == ["no vision", "no function calling", "context window unknown"]
    counts = {c.constraint: c.models for c in _run().exclusion_counts}
    assert counts == {
        "needs vision": 1,
        "needs function calling": 2,
        "context ≥ 128k": 2,
        "≤ $1,000 a month": 1,
        "a priced route under the route policy": 1,
    }


def test_open_weights_and_license_constraints() -> None:
    found = _run(Constraints(open_weights=True, licenses=("apache-2.0",)))
    assert [e.model_id for e in found.shortlist] == ["a"]
    assert found.shortlist[0].reasons[1:] == ["open weights", "license Apache-2.0"]
    misses = {e.model_id: e.reasons for e in found.excluded}
    assert misses["b"] == ["proprietary weights", "license unknown"]


def _aider(*scores: tuple[str, str]) -> dict[BenchmarkRef, Any]:
    ref = BenchmarkRef("aider-polyglot")
    results = [result(m, s, source="aider", benchmark="aider-polyglot", metric="pass@2 %") for m, s in scores]
    return {ref: resolve_board(ref, results)}


def test_rank_by_a_benchmark_puts_models_without_a_score_last_cheapest_first() -> None:
    boards = _aider(("a", "70"), ("e", "90"), ("f", "80"))
    found = _run(Constraints(), Ranking("benchmark", BenchmarkRef("aider-polyglot")), boards)
    assert [e.model_id for e in found.shortlist] == ["e", "f", "a", "c", "b"]  # d is unpriced: excluded
    assert [e.score for e in found.shortlist[:3]] == [Decimal(90), Decimal(80), Decimal(70)]
    assert found.shortlist[3].reasons[0].startswith("#4: no aider-polyglot overall score, ranked by cost")
    assert found.benchmark is not None and found.benchmark.startswith("aider-polyglot overall (Aider")


def test_rank_by_value_is_score_per_dollar_with_free_models_first() -> None:
    models = [*MODELS, _model("free", "0")]
    boards = _aider(("a", "70"), ("e", "90"), ("c", "40"), ("free", "10"))
    ref = BenchmarkRef("aider-polyglot")
    found = pick(models, boards, Constraints(), Ranking("value", ref), policy="p")
    assert [e.model_id for e in found.shortlist] == ["free", "c", "a", "e", "b", "f"]
    values = {e.model_id: e.value for e in found.shortlist}
    assert values["c"] == Decimal(40) / Decimal(50) and values["free"] is None


def test_min_score_floors() -> None:
    boards = _aider(("a", "70"), ("e", "90"))
    floor = ScoreFloor(BenchmarkRef("aider-polyglot"), Decimal(75))
    found = _run(Constraints(min_scores=(floor,)), boards=boards)
    assert [e.model_id for e in found.shortlist] == ["e"]
    misses = {e.model_id: e.reasons for e in found.excluded}
    assert misses["a"] == ["aider-polyglot overall 70 < 75"]
    assert misses["c"] == ["no aider-polyglot overall score"]


def test_value_benchmark_defaults() -> None:
    floor = ScoreFloor(BenchmarkRef("bfcl"), Decimal(1))
    assert default_value_ref([floor], ["lmarena-text"]) == BenchmarkRef("bfcl")
    assert default_value_ref([], ["aider-polyglot", "lmarena-text"]) == BenchmarkRef("lmarena-text")
    assert default_value_ref([], ["aider-polyglot", "bfcl"]) == BenchmarkRef("aider-polyglot")
    assert default_value_ref([], ["scicode"]) is None


def test_limit_cuts_the_shortlist() -> None:
    assert len(_run(Constraints(), limit=2).shortlist) == 2


# --- the real catalog ---------------------------------------------------------------------------


def test_the_issue_example_every_pick_satisfies_every_constraint_checked_with_show(cli) -> None:  # type: ignore[no-untyped-def]
    asked = ["--needs", "vision,function_calling", "--min-context", "128000", "--max-monthly", "1000"]
    found = cli("pick", *asked, "--limit", "8", "-f", "json")
    assert found.code == 0, found.err
    data = found.json()
    shortlist = data["shortlist"]
    assert len(shortlist) == 8 and data["eligible"] >= 8
    monthly = [Decimal(str(e["monthly"])) for e in shortlist]
    assert monthly == sorted(monthly) and all(m <= 1000 for m in monthly)
    for entry in shortlist:
        show = cli("show", entry["model_id"], "-f", "json").json()
        assert show["capabilities"]["vision"] is True, entry["model_id"]
        assert show["capabilities"]["function_calling"] is True, entry["model_id"]
        assert show["context_window"] >= 128_000, entry["model_id"]
    # The monthly costs are the ones a comparison prices the same models at.
    pair = cli("compare", shortlist[0]["model_id"], shortlist[-1]["model_id"], "-f", "json").json()
    compared = {m["id"]: Decimal(str(m["cost"]["monthly"])) for m in pair["models"]}
    assert compared == {e["model_id"]: Decimal(str(e["monthly"])) for e in (shortlist[0], shortlist[-1])}
    assert data["excluded"] and all(e["reasons"] for e in data["excluded"])
    assert data["constraints"] == ["needs vision", "needs function calling", "context ≥ 128k", "≤ $1,000 a month"]


def test_provider_open_weights_and_license_hold_on_the_real_catalog(cli) -> None:  # type: ignore[no-untyped-def]
    found = cli("pick", "--open-weights", "--license", "apache-2.0", "--provider", "groq", "-f", "json")
    assert found.code == 0, found.err
    shortlist = found.json()["shortlist"]
    assert shortlist
    for entry in shortlist:
        assert entry["route"].startswith("Groq · ")
        show = cli("show", entry["model_id"], "-f", "json").json()
        assert show["openness"] == "open-weights" and show["license"]["spdx"] == "Apache-2.0"
        assert any(r["provider"] == "groq" for r in show["routes"])


def test_rank_by_a_shipped_benchmark_and_by_value(cli) -> None:  # type: ignore[no-untyped-def]
    ranked = cli("pick", "--rank-by", "aider-polyglot", "--limit", "20", "-f", "json").json()
    scores = [e["score"] for e in ranked["shortlist"] if e["score"] is not None]
    assert len(scores) >= 10 and scores == sorted(scores, reverse=True)
    assert ranked["benchmark"].startswith("aider-polyglot overall (Aider")
    value = cli("pick", "--rank-by", "value:aider-polyglot", "--min-score", "aider-polyglot=60", "-f", "json").json()
    values = [e["value"] for e in value["shortlist"]]
    assert values and values == sorted(values, reverse=True)
    assert all(e["score"] >= 60 for e in value["shortlist"])


def test_pick_tables_say_what_was_asked(cli) -> None:  # type: ignore[no-untyped-def]
    found = cli("pick", "--needs", "vision", "--max-monthly", "$1,000", "--format", "markdown")
    assert found.code == 0, found.err
    for text in (
        "## Shortlist",
        "## Closest misses",
        "## Models each constraint kept out",
        "Constraints: needs vision",
    ):
        assert text in found.out
    table = cli("pick", "--needs", "reasoning")
    assert table.code == 0 and "Shortlist" in table.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--needs", "telepathy"], "unknown capability 'telepathy'"),
        (["--max-monthly", "a lot"], "is not an amount in USD"),
        (["--min-score", "aider-polyglot"], "is not BENCHMARK[/CATEGORY]=VALUE"),
        (["--min-score", "no-such-board=1"], "no benchmark 'no-such-board'"),
        (["--rank-by", "aider-polyglot/nope"], "has no category 'nope'"),
        (["--rank-by", "a b"], "is not a benchmark"),
        (["--provider", "nosuchprovider"], "unknown provider 'nosuchprovider'"),
        (["--requests", "-5"], "requests"),
    ],
)
def test_bad_input_is_a_usage_error(cli, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    found = cli("pick", *args)
    assert found.code == 2, found.err
    assert message in found.err


# --- a pick request as typed ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dollars"),
    [("1000", Decimal(1000)), ("$1,000", Decimal(1000)), (" 250.50 ", Decimal("250.50")), ("1_000", Decimal(1000))],
)
def test_dollars_as_typed(text: str, dollars: Decimal) -> None:
    assert parse_dollars(text) == dollars


@pytest.mark.parametrize("text", ["", "-5", "1e3", "ten", "$", "1" * 40, "1.1234567"])
def test_dollars_that_are_not_amounts(text: str) -> None:
    with pytest.raises(PickInputError, match="is not an amount in USD"):
        parse_dollars(text)


def test_needs_floors_and_rankings_as_typed() -> None:
    assert parse_needs(["vision,function-calling", "vision", " Reasoning "]) == (
        "vision",
        "function_calling",
        "reasoning",
    )
    with pytest.raises(PickInputError, match="unknown capability 'x"):
        parse_needs(["x" * 500])
    assert parse_floor("livebench/coding=60.5") == ScoreFloor(BenchmarkRef("livebench", "coding"), Decimal("60.5"))
    for bad in ("aider-polyglot", "aider-polyglot=", "aider-polyglot=lots", "=5"):
        with pytest.raises(ValueError):
            parse_floor(bad)
    assert parse_ranking("Cost") == Ranking("cost")
    assert parse_ranking("value") == Ranking("value")
    assert parse_ranking("value:lmarena-text/coding") == Ranking("value", BenchmarkRef("lmarena-text", "coding"))
    assert parse_ranking("bfcl") == Ranking("benchmark", BenchmarkRef("bfcl"))
    with pytest.raises(PickInputError, match="--rank-by"):
        parse_ranking("value:")
