"""Adapter for LiveBench: category averages and the global average of each release, as the site computes them.

Each release is a pair `table_<release>.csv` (one row per model, one column per task, scores
0–100) and `categories_<release>.json` (category -> task columns). As livebench.ai does
(`src/Table/Averaging.js`): a category's score is the mean of the model's task scores in that
category that are numbers, and the global average is the mean of the category scores. Results
of different releases are different question sets: the release is the result's `edition`.
No licence on the site's data: never shipped, fetched only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from versus.benchmarks.names import split_name
from versus.benchmarks.parsing import FileError, clean_text, load_json, parse_score, read_csv
from versus.benchmarks.types import BenchmarkData, BenchmarkResult, SourceInfo

_RELEASES = (
    "2024_06_24",
    "2024_07_26",
    "2024_08_31",
    "2024_11_25",
    "2025_04_02",
    "2025_04_25",
    "2025_05_30",
    "2025_11_25",
    "2025_12_23",
    "2026_01_08",
)
SOURCE = SourceInfo(
    name="livebench",
    title="LiveBench",
    homepage="https://livebench.ai/",
    base_url="https://raw.githubusercontent.com/LiveBench/livebench.github.io/main/public",
    files=tuple(
        f"{kind}_{release}.{ext}" for release in _RELEASES for kind, ext in (("table", "csv"), ("categories", "json"))
    ),
    licence="no licence stated for the site's data (fetched, never shipped)",
    redistributable=False,
)

BENCHMARK = "livebench"
GLOBAL = "global-average"
# The site shows averages to two decimals; so do we.
_CENT = Decimal("0.01")
_FILE = re.compile(r"^(table|categories)_(\d{4})_(\d{2})_(\d{2})\.(csv|json)$")
_CATEGORY_NAMES = {"IF": "instruction-following"}


def parse(files: Mapping[str, bytes], *, snapshot_date: date) -> BenchmarkData:
    """Category and global averages of every model of every release whose two files are given."""
    data = BenchmarkData(SOURCE.name)
    releases: dict[date, dict[str, tuple[str, bytes]]] = {}
    for file_name, blob in files.items():
        match = _FILE.match(file_name)
        release = _release_date(match) if match else None
        if match is None or release is None:
            data.error(file_name, "not a LiveBench table_<release>.csv or categories_<release>.json file")
            continue
        releases.setdefault(release, {})[match.group(1)] = (file_name, blob)
    for release, pair in sorted(releases.items()):
        if set(pair) != {"table", "categories"}:
            missing = ({"table", "categories"} - set(pair)).pop()
            data.error(pair[next(iter(pair))][0], f"release {release} has no {missing} file")
            continue
        try:
            categories = _categories(load_json(pair["categories"][1]))
            rows = read_csv(pair["table"][1])
        except FileError as exc:
            data.error(f"release {release}", str(exc))
            continue
        _read_release(data, release, pair["table"][0], categories, rows)
    return data


def _release_date(match: re.Match[str]) -> date | None:
    try:
        return date(int(match.group(2)), int(match.group(3)), int(match.group(4)))
    except ValueError:
        return None


def _categories(raw: Any) -> dict[str, list[str]]:
    if not isinstance(raw, dict) or not raw:
        raise FileError("categories file is not an object of category -> task columns")
    categories: dict[str, list[str]] = {}
    for name, tasks in raw.items():
        if not isinstance(tasks, list) or not all(isinstance(t, str) for t in tasks):
            raise FileError(f"category {name!r} is not a list of task names")
        categories[str(name)] = tasks
    return categories


def _read_release(
    data: BenchmarkData, release: date, file_name: str, categories: dict[str, list[str]], rows: list[list[str]]
) -> None:
    if not rows or not rows[0] or rows[0][0].strip() != "model":
        data.error(file_name, "header does not start with the model column")
        return
    header = [h.strip() for h in rows[0]]
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        name = clean_text(row[0])
        record_id = f"{file_name}:{line}" + (f" ({name})" if name else "")
        if name is None:
            data.error(record_id, "row has no model name")
            continue
        if len(row) != len(header):
            # A short row cannot be read safely: which task's score is missing is unknowable.
            data.error(record_id, f"row has {len(row)} fields, the header {len(header)}")
            continue
        try:
            tasks = {h: parse_score(v) for h, v in zip(header[1:], row[1:], strict=True)}
        except ValueError as exc:
            data.error(record_id, str(exc))
            continue
        _add_averages(data, release, name, categories, tasks)


def _add_averages(
    data: BenchmarkData,
    release: date,
    name: str,
    categories: dict[str, list[str]],
    tasks: dict[str, Decimal | None],
) -> None:
    averages: list[Decimal | None] = []
    setting = split_name(SOURCE.name, name).setting
    for category, columns in categories.items():
        values = [v for c in columns if (v := tasks.get(c)) is not None]
        average = sum(values, Decimal(0)) / len(values) if values else None
        averages.append(average)
        if average is not None:
            data.results.append(_result(release, name, _slug(category), average, setting))
    if averages and all(a is not None for a in averages):
        overall = sum((a for a in averages if a is not None), Decimal(0)) / len(averages)
        data.results.append(_result(release, name, GLOBAL, overall, setting))


def _result(
    release: date, name: str, category: str, score: Decimal, setting: tuple[tuple[str, str], ...]
) -> BenchmarkResult:
    return BenchmarkResult(
        source=SOURCE.name,
        benchmark=BENCHMARK,
        category=category,
        model_name=name,
        score=score.quantize(_CENT, rounding=ROUND_HALF_UP),
        metric="score (0-100)",
        source_url=SOURCE.homepage,
        licence=SOURCE.licence,
        setting=setting,
        date=release,
        edition=release.isoformat(),
    )


def _slug(category: str) -> str:
    return _CATEGORY_NAMES.get(category) or re.sub(r"[^a-z0-9]+", "-", category.lower()).strip("-")
