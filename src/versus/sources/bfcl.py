"""Adapter for the Berkeley Function Calling Leaderboard (BFCL V4): overall and sub-score accuracies.

`(FC)` runs use the model's native function calling, `(Prompt)` runs describe the tools in
the prompt: that is the run's setting. The file has no per-row dates; results carry the
snapshot's date. Apache-2.0: shipped as an embedded snapshot and loaded by default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from urllib.parse import urlsplit

from versus.benchmarks.names import split_name
from versus.benchmarks.parsing import FileError, clean_text, parse_score, read_csv
from versus.benchmarks.types import BenchmarkData, BenchmarkResult, SourceInfo

SOURCE = SourceInfo(
    name="bfcl",
    title="Berkeley Function Calling Leaderboard",
    homepage="https://gorilla.cs.berkeley.edu/leaderboard.html",
    base_url="https://raw.githubusercontent.com/ShishirPatil/gorilla/gh-pages",
    files=("data_overall.csv",),
    licence="Apache-2.0",
    redistributable=True,
)

BENCHMARK = "bfcl"
_EDITION = "V4"
_NOT_SCORES = re.compile(
    r"^(rank|model|model link|total cost.*|latency.*|format sensitivity.*|organization|license)$", re.I
)
_HF_REPO = re.compile(r"^/([A-Za-z0-9][\w.-]*/[\w.-]+)/?$")


def parse(files: Mapping[str, bytes], *, snapshot_date: date) -> BenchmarkData:
    """One result per model row and accuracy column (`Overall Acc`, `Live Acc`, …) of `data_overall.csv`."""
    data = BenchmarkData(SOURCE.name)
    for file_name, blob in files.items():
        if file_name != "data_overall.csv":
            data.error(file_name, "not a BFCL file this adapter reads (it reads data_overall.csv)")
            continue
        try:
            rows = read_csv(blob)
        except FileError as exc:
            data.error(file_name, str(exc))
            continue
        _read_table(data, file_name, rows, snapshot_date)
    return data


def _read_table(data: BenchmarkData, file_name: str, rows: list[list[str]], snapshot_date: date) -> None:
    if not rows:
        data.error(file_name, "empty file")
        return
    header = [h.strip() for h in rows[0]]
    if "Model" not in header or "Overall Acc" not in header:
        data.error(file_name, "header lacks the Model and Overall Acc columns")
        return
    scores = [(i, _category(h)) for i, h in enumerate(header) if h and not _NOT_SCORES.match(h)]
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        record_id = f"{file_name}:{line}"
        if len(row) != len(header):
            data.error(record_id, f"row has {len(row)} fields, the header {len(header)}")
            continue
        cells = dict(zip(header, row, strict=True))
        name = clean_text(cells["Model"])
        if name is None:
            data.error(record_id, "row has no model name")
            continue
        hints = _hints(cells.get("Model Link", ""))
        setting = split_name(SOURCE.name, name).setting
        for index, category in scores:
            try:
                score = parse_score(row[index])
            except ValueError as exc:
                data.error(f"{record_id} ({name}, {header[index]})", str(exc))
                continue
            if score is None:
                continue
            data.results.append(
                BenchmarkResult(
                    source=SOURCE.name,
                    benchmark=BENCHMARK,
                    category=category,
                    model_name=name,
                    score=score,
                    metric="accuracy %",
                    source_url=SOURCE.homepage,
                    licence=SOURCE.licence,
                    setting=setting,
                    date=snapshot_date,
                    edition=_EDITION,
                    organisation=clean_text(cells.get("Organization")),
                    model_hints=hints,
                )
            )


def _category(column: str) -> str:
    """`Overall Acc` -> `overall`, `Non-Live Simple AST` -> `non-live-simple-ast`."""
    text = re.sub(r"\s+acc$", "", column.strip(), flags=re.I)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _hints(link: str) -> tuple[str, ...]:
    """A Hugging Face model link names the exact weights: `zai-org/GLM-4.6`."""
    try:
        parts = urlsplit(link.strip())
    except ValueError:
        return ()
    match = _HF_REPO.match(parts.path)
    if parts.scheme in ("http", "https") and parts.hostname == "huggingface.co" and match:
        return (match.group(1),)
    return ()
