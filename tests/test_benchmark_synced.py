"""Benchmarks at the command and comparison level after one real `versus sync` of the leaderboards'
files in ../shared/data/benchmarks: exact scores from each source, settings kept apart, ties from
LMArena's intervals, and flagships that share several benchmarks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from versus.cli import main

from .conftest import SHARED_DATA, LiveServer
from .databases import Databases

BENCHMARKS = SHARED_DATA / "benchmarks"
# simple-evals syncs the upstream Markdown (README.md), which the shared folder does not hold: it stays
# on its shipped copy, as do models.dev's entries.
SYNCED = ("lmarena", "livebench", "aider", "bfcl", "swe-bench")
pytestmark = pytest.mark.skipif(not BENCHMARKS.exists(), reason=f"real leaderboard snapshots not found at {BENCHMARKS}")


@pytest.fixture(scope="module")
def synced(catalog_db: str, databases: Databases) -> str:
    db = databases.copy(catalog_db)
    sources = [arg for name in SYNCED for arg in ("--source", f"{name}={BENCHMARKS / name}")]
    assert main(["--db", str(db), "sync", *SYNCED, *sources, "--format", "json"]) == 0
    return db


@pytest.fixture
def run(synced: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def versus(*args: str) -> Any:
        code = main(["--db", str(synced), *args])
        out, err = capsys.readouterr()
        assert code == 0, err
        return json.loads(out) if "json" in args else out

    return versus


def _scores(results: list[dict[str, Any]], **match: str) -> dict[str, Decimal]:
    """setting -> exact score of the results matching every field given."""
    found = [r for r in results if all(r[k] == v for k, v in match.items())]
    return {r["setting"]: Decimal(str(r["score"])) for r in found}


def test_exact_scores_from_every_source_with_settings_kept_apart(run) -> None:  # type: ignore[no-untyped-def]
    sonnet = run("benchmarks", "claude-sonnet-4.5", "-f", "json")
    arena = [r for r in sonnet if r["source"] == "lmarena" and r["benchmark"] == "lmarena-text"]
    assert _scores(arena, category="overall") == {
        "style control on": Decimal("1445.4453711302708"),
        "style control off": Decimal("1426.6103157511056"),
        "style control on, thinking 32k": Decimal("1449.8767907386675"),
        "style control off, thinking 32k": Decimal("1426.9636632815746"),
    }
    on = next(r for r in arena if r["category"] == "overall" and r["setting"] == "style control on")
    assert (Decimal(str(on["ci_low"])), Decimal(str(on["ci_high"]))) == (
        Decimal("1440.4065745307291"),
        Decimal("1450.4841677298125"),
    )
    assert _scores(sonnet, source="livebench", category="global-average", edition="2026-01-08") == {
        "": Decimal("53.69"),
        "thinking 64k": Decimal("68.19"),
    }
    assert _scores(sonnet, source="bfcl", category="overall") == {
        "tool calling native": Decimal("73.24"),
        "tool calling prompt": Decimal("24.90"),
    }
    assert _scores(sonnet, source="swe-bench", benchmark="swe-bench-bash-only") == {
        "attempts 1, agent system mini-SWE-agent": Decimal("70.6")
    }
    gpt5 = run("benchmarks", "gpt-5", "-f", "json")
    assert _scores(gpt5, source="aider", benchmark="aider-polyglot")["edit format diff, reasoning effort high"] == (
        Decimal("88.0")
    )
    o3 = run("benchmarks", "o3", "-f", "json")
    assert _scores(o3, source="simple-evals", category="gpqa")["reasoning effort high"] == Decimal("83.4")
    gemini = run("benchmarks", "gemini-2.5-pro", "-f", "json")
    assert _scores(gemini, source="models-dev", benchmark="artificial-analysis-coding-index") == {"": Decimal(32)}


@pytest.mark.parametrize("pair", [("gpt-5", "claude-sonnet-4.5"), ("gpt-5.1", "claude-opus-4.5")])
def test_two_flagships_share_at_least_three_benchmarks(run, pair: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    comparison = run("compare", *pair, "-f", "json")
    benchmarks = comparison["benchmarks"]
    assert len({(b["source"], b["benchmark"]) for b in benchmarks}) >= 3
    ids = [m["id"] for m in comparison["models"]]
    for b in benchmarks:
        assert [s["model_id"] for s in b["scores"]] == ids
        assert b["is_tie"] == (b["leader"] is None)
    scorecard = run("compare", *pair, "-f", "markdown")
    assert f"| Shared benchmarks | {len(benchmarks)} scores on" in scorecard


def test_a_tie_from_lmarenas_intervals_and_both_settings_shown(run) -> None:  # type: ignore[no-untyped-def]
    comparison = run("compare", "gpt-5", "claude-sonnet-4.5", "-f", "json")
    overall = next(
        b for b in comparison["benchmarks"] if b["benchmark"] == "lmarena-text" and b["category"] == "overall"
    )
    assert overall["measurement"] == "style control on"
    assert overall["is_tie"] and "95 % intervals overlap" in overall["reason"]
    assert overall["settings_differ"]
    assert [s["setting"] for s in overall["scores"]] == ["reasoning effort high", ""]
    coding = next(b for b in comparison["benchmarks"] if b["benchmark"] == "lmarena-text" and b["category"] == "coding")
    assert coding["leader"] == "anthropic/claude-sonnet-4.5" and not coding["is_tie"]
    markdown = run("compare", "gpt-5", "claude-sonnet-4.5", "-f", "markdown")
    section = markdown.split("## Benchmarks", 1)[1].split("## Deep dive", 1)[0]
    assert "| lmarena-text overall (style control on) | 1436.75 \\[1432.20, 1441.31\\] |" in section
    assert "tie: Claude Sonnet 4.5 and GPT-5 (95 % intervals overlap)" in section
    assert "GPT-5: reasoning effort high; Claude Sonnet 4.5: default" in section
    assert "### Quality per dollar: lmarena-text overall (LMArena, style control on)" in section
    terminal = run("compare", "gpt-5", "claude-sonnet-4.5")
    assert "lmarena-text overall" in terminal and "Quality per dollar" in terminal


def test_lmarena_leaderboard_and_pick_by_it(run) -> None:  # type: ignore[no-untyped-def]
    chart = run("leaderboard", "lmarena-text", "--category", "coding", "-f", "json")
    assert chart["label"] == "lmarena-text coding (LMArena, style control on)"
    assert len(chart["points"]) >= 100 and all(p["ci_low"] is not None for p in chart["points"])
    picked = run("pick", "--rank-by", "lmarena-text", "--min-score", "lmarena-text=1400", "--limit", "5", "-f", "json")
    scores = [e["score"] for e in picked["shortlist"]]
    assert len(scores) == 5 and scores == sorted(scores, reverse=True) and min(scores) >= 1400
    by_value = run("pick", "--rank-by", "value", "-f", "json")
    assert by_value["benchmark"].startswith("lmarena-text overall")


@pytest.fixture
def web(synced: Path) -> Iterator[str]:
    from versus.web.app import create_app

    server = LiveServer(create_app(synced))
    yield server.url
    server.stop()


def test_the_compare_page_shows_the_shared_benchmarks(web: str, run) -> None:  # type: ignore[no-untyped-def]
    import httpx

    ids = sorted(m["id"] for m in run("compare", "gpt-5", "claude-sonnet-4.5", "-f", "json")["models"])
    page = httpx.get(f"{web}/compare?models={','.join(ids)}", follow_redirects=True)
    assert page.status_code == 200
    assert "lmarena-text overall (style control on)" in page.text
    assert "tie: Claude Sonnet 4.5 and GPT-5 (95 % intervals overlap)" in page.text
