"""Adapter for the SWE-bench leaderboards: % of issues resolved, per leaderboard and agent system.

Each leaderboard (`Verified`, `Lite`, `bash-only`, `Test`, `Multimodal`) is its own benchmark.
An entry is an agent system driving one or more models; the system and its number of
attempts are the setting, and the entry's `Model:` tags are hints for name matching. CC BY-NC
4.0: never shipped, fetched only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from versus.benchmarks.names import split_name
from versus.benchmarks.parsing import MAX_RECORDS, FileError, clean_text, load_json, parse_score
from versus.benchmarks.types import BenchmarkData, BenchmarkResult, SourceInfo, make_setting

SOURCE = SourceInfo(
    name="swe-bench",
    title="SWE-bench",
    homepage="https://www.swebench.com/",
    base_url="https://raw.githubusercontent.com/SWE-bench/swe-bench.github.io/main/data",
    files=("leaderboards.json",),
    licence="CC-BY-NC-4.0 (fetched, never shipped)",
    redistributable=False,
)

_ATTEMPTS = re.compile(r"^System:\s*Attempts\s*-\s*(\S+)$")


def parse(files: Mapping[str, bytes], *, snapshot_date: date) -> BenchmarkData:
    """One result per entry of each leaderboard in `leaderboards.json`."""
    data = BenchmarkData(SOURCE.name)
    for file_name, blob in files.items():
        if file_name != "leaderboards.json":
            data.error(file_name, "not a SWE-bench file this adapter reads (it reads leaderboards.json)")
            continue
        try:
            raw = load_json(blob)
        except FileError as exc:
            data.error(file_name, str(exc))
            continue
        boards = raw.get("leaderboards") if isinstance(raw, dict) else None
        if not isinstance(boards, list):
            data.error(file_name, "no list of leaderboards")
            continue
        count = 0
        for board in boards:
            board_name = clean_text(board.get("name"), 60) if isinstance(board, dict) else None
            results = board.get("results") if isinstance(board, dict) else None
            if board_name is None or not isinstance(results, list):
                data.error(file_name, "a leaderboard without a name or a list of results")
                continue
            benchmark = "swe-bench-" + re.sub(r"[^a-z0-9]+", "-", board_name.lower()).strip("-")
            for index, entry in enumerate(results):
                count += 1
                if count > MAX_RECORDS:
                    data.error(file_name, f"more than {MAX_RECORDS:,} entries; the rest were skipped")
                    return data
                result = _result(benchmark, entry, snapshot_date)
                if isinstance(result, str):
                    data.error(f"{board_name}#{index + 1}", result)
                else:
                    data.results.append(result)
    return data


def _result(benchmark: str, entry: Any, snapshot_date: date) -> BenchmarkResult | str:
    """The result of one entry, or why it cannot be read."""
    if not isinstance(entry, dict):
        return "entry is not an object"
    name = clean_text(entry.get("name"))
    if name is None:
        return "entry has no name"
    try:
        score = parse_score(entry.get("resolved"))
    except ValueError as exc:
        return f"{name}: resolved: {exc}"
    if score is None:
        return f"{name}: no resolved rate"
    raw_tags = entry.get("tags")
    tags = [t for t in (clean_text(tag) for tag in raw_tags) if t] if isinstance(raw_tags, list) else []
    models = tuple(dict.fromkeys(t.partition(":")[2].strip() for t in tags if t.startswith("Model:")))
    organisations = [t.partition(":")[2].strip() for t in tags if t.startswith("Org:")]
    attempts = next((m.group(1) for t in tags if (m := _ATTEMPTS.match(t))), None)
    parts = split_name(SOURCE.name, name)
    # The bash-only board runs every model in the same minimal agent; its names are bare models.
    runner = "mini-SWE-agent" if parts.system is None and "mini-swe-agent_version" in entry else None
    return BenchmarkResult(
        source=SOURCE.name,
        benchmark=benchmark,
        category="overall",
        model_name=name,
        score=score,
        metric="% resolved",
        source_url=SOURCE.homepage,
        licence=SOURCE.licence,
        setting=make_setting(parts.setting, system=runner, attempts=attempts),
        date=_entry_date(entry.get("date")) or snapshot_date,
        organisation=organisations[0] if organisations else None,
        model_hints=tuple(m for m in models if m),
    )


def _entry_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
