"""Adapter for LMArena's (Chatbot Arena) leaderboard exports: ratings with 95 % intervals per category.

Style control is a setting, not a separate benchmark: both views rank the same votes, one with
the style of answers (length, markdown) regressed out. A comparison must only put ratings of
the same setting side by side; style control on is LMArena's default view since 2025.
Never shipped: the exports carry no licence. `versus sync` fetches them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from versus.benchmarks.names import split_name
from versus.benchmarks.parsing import MAX_RECORDS, FileError, clean_text, load_json, parse_score
from versus.benchmarks.types import BenchmarkData, BenchmarkResult, SourceInfo, make_setting

SOURCE = SourceInfo(
    name="lmarena",
    title="LMArena",
    homepage="https://lmarena.ai/leaderboard",
    base_url="https://raw.githubusercontent.com/lmarena/arena-catalog/main/data",
    files=(
        "leaderboard-text.json",
        "leaderboard-text-style-control.json",
        "leaderboard-vision.json",
        "leaderboard-vision-style-control.json",
        "leaderboard-image.json",
        "scatterplot-data.json",
    ),
    licence="no licence stated upstream (fetched, never shipped)",
    redistributable=False,
)

# file -> (benchmark, style control); text-to-image has no style-controlled view.
_BOARDS: dict[str, tuple[str, str | None]] = {
    "leaderboard-text.json": ("lmarena-text", "off"),
    "leaderboard-text-style-control.json": ("lmarena-text", "on"),
    "leaderboard-vision.json": ("lmarena-vision", "off"),
    "leaderboard-vision-style-control.json": ("lmarena-vision", "on"),
    "leaderboard-image.json": ("lmarena-text-to-image", None),
}
_ORGANISATIONS = "scatterplot-data.json"
_CATEGORIES = {
    "full": "overall",
    "hard_6": "hard-prompts",
    "hard_english_6": "hard-prompts-english",
    "if": "instruction-following",
    "long_user": "longer-query",
    "multiturn": "multi-turn",
    "no_tie": "exclude-ties",
    "no_short": "exclude-short-queries",
    "no_refusal": "exclude-refusals",
}


def parse(files: Mapping[str, bytes], *, snapshot_date: date) -> BenchmarkData:
    """Ratings of every (category, model) in the leaderboard files given; `scatterplot-data.json`,
    when given, supplies each model's organisation and the id LMArena calls its API with."""
    data = BenchmarkData(SOURCE.name)
    organisations: dict[str, str | None] = {}
    if _ORGANISATIONS in files:
        try:
            organisations = _organisations(load_json(files[_ORGANISATIONS]))
        except FileError as exc:
            data.error(_ORGANISATIONS, str(exc))
    for file_name, blob in files.items():
        if file_name == _ORGANISATIONS:
            continue
        board = _BOARDS.get(file_name)
        if board is None:
            data.error(file_name, "not an LMArena leaderboard file this adapter reads")
            continue
        try:
            raw = load_json(blob)
        except FileError as exc:
            data.error(file_name, str(exc))
            continue
        _read_board(data, file_name, raw, board, organisations, snapshot_date)
    return data


def _organisations(raw: Any) -> dict[str, str | None]:
    """Leaderboard key (LMArena's `model_api_name`) -> the organisation LMArena names."""
    if not isinstance(raw, list):
        raise FileError("scatterplot data is not a list of models")
    found: dict[str, str | None] = {}
    for entry in raw[:MAX_RECORDS]:
        if isinstance(entry, dict) and (api_name := clean_text(entry.get("model_api_name"))):
            found[api_name] = clean_text(entry.get("organization"))
    return found


def _read_board(
    data: BenchmarkData,
    file_name: str,
    raw: Any,
    board: tuple[str, str | None],
    organisations: Mapping[str, str | None],
    snapshot_date: date,
) -> None:
    if not isinstance(raw, dict):
        data.error(file_name, "not an object of categories")
        return
    count = 0
    for category, models in raw.items():
        if not isinstance(models, dict):
            data.error(f"{file_name}/{category}", "category is not an object of models")
            continue
        for model_name, entry in models.items():
            count += 1
            if count > MAX_RECORDS:
                data.error(file_name, f"more than {MAX_RECORDS:,} entries; the rest were skipped")
                return
            record_id = f"{file_name}/{category}/{model_name}"
            result = _result(board, str(category), str(model_name), entry, organisations, snapshot_date)
            if isinstance(result, str):
                data.error(record_id, result)
            else:
                data.results.append(result)


def _result(
    board: tuple[str, str | None],
    category: str,
    model_name: str,
    entry: Any,
    organisations: Mapping[str, str | None],
    snapshot_date: date,
) -> BenchmarkResult | str:
    """The result of one entry, or why it cannot be read."""
    benchmark, style_control = board
    name = clean_text(model_name)
    if name is None:
        return "empty model name"
    if not isinstance(entry, dict):
        return "entry is not an object"
    try:
        rating = parse_score(entry.get("rating"))
        high = parse_score(entry.get("rating_q975"))
        low = parse_score(entry.get("rating_q025"))
    except ValueError as exc:
        return str(exc)
    if rating is None:
        return "no rating"
    if low is not None and high is not None and not low <= rating <= high:
        return f"rating {rating} lies outside its interval [{low}, {high}]"
    return BenchmarkResult(
        source=SOURCE.name,
        benchmark=benchmark,
        category=_CATEGORIES.get(category, category.replace("_", "-")),
        model_name=name,
        score=rating,
        metric="elo",
        source_url=SOURCE.homepage,
        licence=SOURCE.licence,
        ci_low=low,
        ci_high=high,
        setting=make_setting(split_name(SOURCE.name, name).setting, style_control=style_control),
        date=snapshot_date,
        organisation=organisations.get(name),
    )
