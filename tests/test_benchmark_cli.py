"""`versus benchmarks`, `versus leaderboard` and the doctor's unmatched leaderboard names, on the
catalog built from the shipped data (Aider, BFCL, simple-evals, models.dev)."""

from __future__ import annotations

from decimal import Decimal

import pytest

RESULT_FIELDS = {"benchmark", "category", "score", "metric", "ci_low", "ci_high", "setting", "date", "source", "url"}


def test_benchmarks_lists_every_result_of_a_model_with_its_setting(cli) -> None:  # type: ignore[no-untyped-def]
    found = cli("benchmarks", "gpt-5", "--format", "json")
    assert found.code == 0, found.err
    results = found.json()
    assert results and all(set(r) >= RESULT_FIELDS for r in results)
    polyglot = {r["setting"]: r for r in results if r["source"] == "aider" and r["benchmark"] == "aider-polyglot"}
    # Three runs of one model, kept apart by their reasoning effort, with Aider's exact scores.
    assert {s: Decimal(str(r["score"])) for s, r in polyglot.items()} == {
        "edit format diff, reasoning effort high": Decimal("88.0"),
        "edit format diff, reasoning effort medium": Decimal("86.7"),
        "edit format diff, reasoning effort low": Decimal("81.3"),
    }
    high = polyglot["edit format diff, reasoning effort high"]
    assert high["leaderboard_name"] == "gpt-5 (high)" and high["date"] == "2025-08-23"
    assert high["url"].startswith("https://aider.chat/") and high["ci_low"] is None
    assert high["metric"] == "pass@2 %" and high["match_confidence"] > 0.8


def test_benchmarks_table_and_markdown(cli) -> None:  # type: ignore[no-untyped-def]
    table = cli("benchmarks", "claude-sonnet-4.5")
    assert table.code == 0, table.err
    assert "Claude Sonnet 4.5" in table.out and "bfcl" in table.out
    markdown = cli("benchmarks", "claude-sonnet-4.5", "-f", "markdown")
    assert "| Benchmark | Category | Score \\[95 % CI\\] |" in markdown.out
    assert "| bfcl V4 | overall | 73.24 | accuracy % | tool calling native |" in markdown.out
    assert "| bfcl V4 | overall | 24.90 | accuracy % | tool calling prompt |" in markdown.out


def test_a_model_without_results_says_so(cli) -> None:  # type: ignore[no-untyped-def]
    found = cli("benchmarks", "gpt-4o-audio")
    assert found.code == 0 and "No leaderboard result is matched" in found.out
    assert cli("benchmarks", "gpt-4o-audio", "-f", "json").json() == []
    unknown = cli("benchmarks", "gpt-4o-audoi")
    assert unknown.code == 2 and "Did you mean" in unknown.err


def _beats(p: dict, q: dict) -> bool:  # type: ignore[type-arg]
    a, b = (
        (Decimal(str(p["monthly"])), Decimal(str(p["score"]))),
        (Decimal(str(q["monthly"])), Decimal(str(q["score"]))),
    )
    return a[0] <= b[0] and a[1] >= b[1] and a != b


def test_leaderboard_ranks_by_score_with_monthly_cost_and_the_frontier(cli) -> None:  # type: ignore[no-untyped-def]
    found = cli("leaderboard", "aider-polyglot", "-f", "json")
    assert found.code == 0, found.err
    chart = found.json()
    assert chart["label"].startswith("aider-polyglot overall (Aider")
    points = chart["points"]
    assert len(points) >= 30
    assert [p["score"] for p in points] == sorted((p["score"] for p in points), reverse=True)
    priced = [p for p in points if p["monthly"] is not None]
    frontier = {p["model_id"] for p in priced if p["on_frontier"]}
    assert frontier == set(chart["frontier"]) and len(frontier) >= 2
    for p in priced:
        assert (p["model_id"] in frontier) == (not any(_beats(q, p) for q in priced)), p["model_id"]
    # The monthly cost is what a comparison of the same models prices.
    top, other = priced[0], priced[1]
    pair = cli("compare", top["model_id"], other["model_id"], "-f", "json").json()
    assert {m["id"]: m["cost"]["monthly"] for m in pair["models"]} == {
        top["model_id"]: top["monthly"],
        other["model_id"]: other["monthly"],
    }
    assert chart["traffic"]["requests"] == 1_000_000


def test_leaderboard_follows_the_traffic_and_the_route_policy(cli) -> None:  # type: ignore[no-untyped-def]
    base = cli("leaderboard", "aider-polyglot", "-f", "json").json()
    double = cli("leaderboard", "aider-polyglot", "--requests", "2000000", "-f", "json").json()
    costs = {p["model_id"]: p["monthly"] for p in base["points"] if p["monthly"] is not None}
    for p in double["points"]:
        if p["model_id"] in costs:
            assert Decimal(str(p["monthly"])) == 2 * Decimal(str(costs[p["model_id"]]))
    only = cli("leaderboard", "aider-polyglot", "--provider", "groq", "-f", "json").json()
    assert "only on groq" in only["policy"]
    assert sum(p["monthly"] is not None for p in only["points"]) < len(costs)


def test_leaderboard_tables_and_categories(cli) -> None:  # type: ignore[no-untyped-def]
    table = cli("leaderboard", "bfcl", "--category", "live", "--limit", "5")
    assert table.code == 0, table.err
    assert "bfcl live (BFCL, edition V4)" in table.out and "First 5 of" in table.out
    markdown = cli("leaderboard", "simple-evals/gpqa", "-f", "markdown")
    assert markdown.code == 0 and "# Leaderboard: simple-evals gpqa" in markdown.out
    assert "◆ frontier" in markdown.out and "Pareto frontier" in markdown.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-board"], "no benchmark 'no-such-board' has results in the catalog. Choose from:"),
        (["aider-polyglott"], "Choose from: aider-polyglot"),
        (["bfcl", "--category", "nope"], "bfcl has no category 'nope'. Choose from: overall"),
        (["lmarena:aider-polyglot"], "aider-polyglot has no results from 'lmarena'"),
        (["<b>"], "is not a benchmark"),
        (["bfcl", "--cache-hit", "2"], "cache hit"),
    ],
)
def test_leaderboard_bad_input_is_a_usage_error(cli, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    found = cli("leaderboard", *args)
    assert found.code == 2
    assert message in found.err


def test_doctor_lists_leaderboard_names_no_model_matches(cli) -> None:  # type: ignore[no-untyped-def]
    report = cli("doctor", "-f", "json").json()
    names = report["unmatched_benchmark_names"]
    assert names and report["summary"]["unmatched_benchmark_names"] == len(names)
    assert all(set(n) == {"source", "model_name", "reason"} and n["reason"] for n in names)
    assert {n["source"] for n in names} <= {"aider", "bfcl", "simple-evals", "models-dev"}
    table = cli("doctor", "--limit", "3", "-f", "markdown")
    assert "## Leaderboard names no model matches" in table.out


def test_pricing_commands_share_one_definition_of_traffic_and_route_options() -> None:
    import typer.main

    from versus.cli import app

    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    shared = ("requests", "input_tokens", "output_tokens", "cache_hit", "batch", "blend", "basis", "provider")
    shared += ("exclude_provider", "include_flagged")

    def options(name: str) -> dict[str, tuple[object, ...]]:
        params = {p.name: p for p in commands[name].params}
        return {n: (tuple(params[n].opts), params[n].help, params[n].default) for n in shared}

    assert options("compare") == options("leaderboard") == options("pick")
