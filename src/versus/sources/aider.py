"""Adapter for Aider's coding leaderboards: polyglot, code editing and refactoring pass rates.

Each row is one benchmark run with its own date. The edit format, reasoning effort, thinking
budget and (architect runs) the editor model are the run's setting. Apache-2.0: shipped as
an embedded snapshot and loaded by default.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from versus.benchmarks.names import split_name
from versus.benchmarks.parsing import MAX_RECORDS, FileError, clean_text, load_yaml, parse_score
from versus.benchmarks.types import BenchmarkData, BenchmarkResult, Setting, SourceInfo, make_setting

SOURCE = SourceInfo(
    name="aider",
    title="Aider LLM leaderboards",
    homepage="https://aider.chat/docs/leaderboards/",
    base_url="https://raw.githubusercontent.com/Aider-AI/aider/main/aider/website/_data",
    files=("polyglot_leaderboard.yml", "edit_leaderboard.yml", "refactor_leaderboard.yml"),
    licence="Apache-2.0",
    redistributable=True,
)

# file -> (benchmark, score field, metric, leaderboard page). The refactoring benchmark gives
# one attempt only, so its pass rate is pass_rate_1.
_BOARDS: dict[str, tuple[str, str, str, str]] = {
    "polyglot_leaderboard.yml": ("aider-polyglot", "pass_rate_2", "pass@2 %", "https://aider.chat/docs/leaderboards/"),
    "edit_leaderboard.yml": (
        "aider-code-editing",
        "pass_rate_2",
        "pass@2 %",
        "https://aider.chat/docs/leaderboards/edit.html",
    ),
    "refactor_leaderboard.yml": (
        "aider-refactoring",
        "pass_rate_1",
        "pass@1 %",
        "https://aider.chat/docs/leaderboards/refactor.html",
    ),
}


def parse(files: Mapping[str, bytes], *, snapshot_date: date) -> BenchmarkData:
    """One result per run row of each leaderboard file given."""
    data = BenchmarkData(SOURCE.name)
    for file_name, blob in files.items():
        board = _BOARDS.get(file_name)
        if board is None:
            data.error(file_name, "not an Aider leaderboard file this adapter reads")
            continue
        try:
            rows = load_yaml(blob)
        except FileError as exc:
            data.error(file_name, str(exc))
            continue
        if not isinstance(rows, list):
            data.error(file_name, "not a list of benchmark runs")
            continue
        if len(rows) > MAX_RECORDS:
            data.error(file_name, f"more than {MAX_RECORDS:,} runs; the rest were skipped")
        for index, row in enumerate(rows[:MAX_RECORDS]):
            result = _result(board, row, snapshot_date)
            if isinstance(result, str):
                data.error(f"{file_name}#{index + 1}", result)
            else:
                data.results.append(result)
    return data


def _result(board: tuple[str, str, str, str], row: Any, snapshot_date: date) -> BenchmarkResult | str:
    """The result of one run, or why it cannot be read."""
    benchmark, field, metric, page = board
    if not isinstance(row, dict):
        return "run is not a mapping"
    name = clean_text(row.get("model"))
    if name is None:
        return "run has no model name"
    try:
        score = parse_score(row.get(field))
    except ValueError as exc:
        return f"{name}: {field}: {exc}"
    if score is None:
        return f"{name}: no {field}"
    run_date = row.get("date")
    return BenchmarkResult(
        source=SOURCE.name,
        benchmark=benchmark,
        category="overall",
        model_name=name,
        score=score,
        metric=metric,
        source_url=page,
        licence=SOURCE.licence,
        setting=make_setting(split_name(SOURCE.name, name).setting, _row_setting(row)),
        date=_run_date(run_date) or snapshot_date,
    )


def _row_setting(row: dict[str, Any]) -> Setting:
    """The run's own fields win over what its name says: they are what Aider was run with."""
    effort = clean_text(row.get("reasoning_effort"), 20)
    thinking = row.get("thinking_tokens")
    return make_setting(
        edit_format=clean_text(row.get("edit_format"), 40),
        editor_model=clean_text(row.get("editor_model"), 120),
        editor_edit_format=clean_text(row.get("editor_edit_format"), 40),
        reasoning_effort=effort.lower() if effort else None,
        thinking=_budget(thinking) if isinstance(thinking, int) and not isinstance(thinking, bool) else None,
    )


def _budget(tokens: int) -> str:
    """32000 and 32768 are both a `32k` thinking budget, as the run names say; 0 is thinking off."""
    if tokens <= 0:
        return "off"
    for unit in (1000, 1024):
        if tokens % unit == 0:
            return f"{tokens // unit}k"
    return str(tokens)


def _run_date(value: object) -> date | None:
    """YAML reads `date: 2025-08-23` as a date; a quoted or timestamped one arrives otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None
