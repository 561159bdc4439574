"""`versus compare`: the golden reference pair, the real pair, N-way, and bad input."""

from __future__ import annotations

import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from versus.cli import main

from .databases import Databases
from .reference_pair import write_reference_db

SNAPSHOTS = Path(__file__).parent / "snapshots"
SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "schema" / "compare.schema.json"
GPT, MISTRAL = "openai/gpt-4o-audio-preview", "mistralai/mistral-small-3.1-24b-instruct"


@pytest.fixture(scope="module")
def reference_db(databases: Databases) -> str:
    return write_reference_db(databases.empty("reference"), date(2026, 6, 15))


def _run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _normalise(text: str) -> str:
    return text.replace(date.today().isoformat(), "<today>")


def test_golden_reference_pair_json(reference_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, reference_db, "compare", GPT, MISTRAL, "--format", "json")
    assert code == 0, err
    data = json.loads(out, parse_float=Decimal)
    gpt, mistral = data["models"]
    assert (gpt["cost"]["monthly"], mistral["cost"]["monthly"]) == (4500, 155)
    assert gpt["cost"]["gap"] == 4345 and mistral["cost"]["gap"] == 0
    assert gpt["output_price"]["delta"] == Decimal("9.7")
    assert data["blend"] == "70:30" and gpt["blended"]["delta"] == Decimal("4.59")
    assert mistral["cost"]["route"]["provider_name"] == "Together AI"
    assert len(mistral["production_routes"]) == 5  # the page's "6 tracked" names five
    jsonschema.validate(json.loads(out), json.loads(SCHEMA.read_text()))


def test_golden_reference_pair_markdown_states_the_numbers(reference_db: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = _run(capsys, reference_db, "compare", GPT, MISTRAL, "--format", "markdown")
    assert code == 0
    for number in ("$4,500", "$155", "$4,345", "$9.70/1M", "$4.59/1M", "25×", "33×"):
        assert number in out, number
    assert "25× cheaper on input and 33× cheaper on output" in out
    assert "2400%" not in out
    snapshot = SNAPSHOTS / "reference_pair.md"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        snapshot.write_text(_normalise(out))
    assert _normalise(out) == snapshot.read_text()


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_real_pair_renders_every_section(cli, fmt: str) -> None:  # type: ignore[no-untyped-def]
    from versus.render.markdown import SECTIONS

    result = cli("compare", "gpt-4o-audio", "mistral-small-3.1", "--format", fmt)
    assert result.code == 0, result.err
    if fmt == "json":
        data = result.json()
        assert [m["id"] for m in data["models"]] == [GPT, MISTRAL]
        assert len(data["text"]["faq"]) == 6 and data["text"]["headline"]
        jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    else:
        for section in SECTIONS:
            assert section in result.out, section


def test_four_way_widens_every_table(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("compare", "gpt-4o-audio", "mistral-small-3.1", "gpt-oss-120b", "claude-sonnet-4.5", "-f", "markdown")
    assert result.code == 0, result.err
    header = next(line for line in result.out.splitlines() if line.startswith("| Signal"))
    assert header.count("|") == 6
    assert "is cheapest at" in result.out


def test_traffic_options_change_the_cost(cli) -> None:  # type: ignore[no-untyped-def]
    base = cli("compare", "gpt-4o", "claude-sonnet-4.5", "-f", "json").json()
    cached = cli("compare", "gpt-4o", "claude-sonnet-4.5", "--cache-hit", "50%", "--batch", "0.5", "-f", "json").json()
    for before, after in zip(base["models"], cached["models"], strict=True):
        # Cheaper, or the route has no cache/batch price and the output says so.
        assert after["cost"]["monthly"] < before["cost"]["monthly"] or after["cost"]["standard_rate_parts"]
        assert after["cost"]["monthly"] <= before["cost"]["monthly"]
    bigger = cli("compare", "gpt-4o", "claude-sonnet-4.5", "--requests", "2,000,000", "-f", "json").json()
    assert bigger["models"][0]["cost"]["monthly"] == 2 * base["models"][0]["cost"]["monthly"]
    assert cli("compare", "gpt-4o", "claude-sonnet-4.5", "--blend", "3:1", "-f", "json").json()["blend"] == "3:1"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gpt-4o", "--requests", "-5"], "cannot be negative"),
        (["gpt-4o", "--requests", "lots"], "is not a number"),
        (["gpt-4o", "--requests", "1e30"], "beyond any real workload"),
        (["gpt-4o", "--input-tokens", "2.5"], "whole number"),
        (["gpt-4o", "--cache-hit", "150%"], "between 0 and 1"),
        (["gpt-4o", "--batch", "half"], "not a number"),
        (["gpt-4o", "--blend", "seventy"], "INPUT:OUTPUT"),
        (["gpt-4o-audoi"], "Did you mean"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(cli, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("compare", "mistral-small-3.1", *args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_one_model_is_not_a_comparison(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("compare", "gpt-4o")
    assert result.code == 2 and "at least two models" in result.err


def test_comparing_a_model_with_itself(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("compare", "gpt-4o", "openai/gpt-4o")
    assert result.code == 2
    assert "same model (openai/gpt-4o)" in result.err


def test_unpriced_model_still_renders(cli, catalog) -> None:  # type: ignore[no-untyped-def]
    unpriced = next(m for m in sorted(catalog.models) if not any(o.is_production for o in catalog.offerings_of(m)))
    result = cli("compare", unpriced, "gpt-4o", "-f", "markdown")
    assert result.code == 0, result.err
    assert "no known pay-per-token price" in result.out or "cost is unknown" in result.out


def test_schema_command_prints_the_committed_schema(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("schema", "compare")
    assert result.code == 0
    assert json.loads(result.out) == json.loads(SCHEMA.read_text())
    assert cli("schema", "nothing").code == 2
