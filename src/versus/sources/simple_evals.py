"""Adapter for OpenAI's simple-evals results: MMLU, GPQA, MATH, HumanEval, MGSM, DROP, SimpleQA, MMMLU.

Upstream publishes the results only as Markdown tables (`README.md`,
`multilingual_mmlu_benchmark_results.md`); this adapter reads those, and the CSV conversions
of them kept beside the test data (`benchmark_results.csv`, `multilingual_mmlu_benchmark_results.csv`).
Rows under "Other Models (Reported)" are the labs' own numbers, not OpenAI's runs: their setting
says so. The repository is deprecated (no new results since July 2025). MIT: shipped as an
embedded snapshot and loaded by default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from versus.benchmarks.names import split_name
from versus.benchmarks.parsing import FileError, clean_text, decode_text, parse_score, read_csv
from versus.benchmarks.types import BenchmarkData, BenchmarkResult, Setting, SourceInfo, make_setting

SOURCE = SourceInfo(
    name="simple-evals",
    title="OpenAI simple-evals",
    homepage="https://github.com/openai/simple-evals",
    base_url="https://raw.githubusercontent.com/openai/simple-evals/main",
    files=("README.md", "multilingual_mmlu_benchmark_results.md"),
    licence="MIT",
    redistributable=True,
)

BENCHMARK = "simple-evals"
_EVALS = ("MMLU", "GPQA", "MATH", "HumanEval", "MGSM", "DROP", "SimpleQA")
_FOOTNOTE = re.compile(r"\[\^\d+\]")
_LINK = re.compile(r"^\[([^\]]+)\]\((https?://[^)\s]+)\)$")
_REPORTED = "Other Models (Reported)"
_MAIN = ("README.md", "benchmark_results.csv")
_MULTILINGUAL = ("multilingual_mmlu_benchmark_results.md", "multilingual_mmlu_benchmark_results.csv")


def parse(files: Mapping[str, bytes], *, snapshot_date: date) -> BenchmarkData:
    """One result per model and eval column; the multilingual table gives MMMLU per language."""
    data = BenchmarkData(SOURCE.name)
    for file_name, blob in files.items():
        try:
            if file_name in _MAIN:
                rows = _main_rows(blob, markdown=file_name.endswith(".md"))
                _read_main(data, file_name, rows, snapshot_date)
            elif file_name in _MULTILINGUAL:
                table = _markdown_table(decode_text(blob)) if file_name.endswith(".md") else read_csv(blob)
                _read_multilingual(data, file_name, table, snapshot_date)
            else:
                data.error(file_name, "not a simple-evals results file this adapter reads")
        except FileError as exc:
            data.error(file_name, str(exc))
    return data


def _main_rows(blob: bytes, *, markdown: bool) -> list[dict[str, str]]:
    """Rows as {group, model, prompt, source_url, <eval>: text}; the Markdown's bold rows are groups."""
    if not markdown:
        table = read_csv(blob)
        if not table:
            raise FileError("empty file")
        header = [h.strip() for h in table[0]]
        return [dict(zip(header, row, strict=False)) for row in table[1:] if any(c.strip() for c in row)]
    table = _markdown_table(decode_text(blob), after="## Benchmark Results")
    if not table:
        raise FileError("no Benchmark Results table")
    header = [_FOOTNOTE.sub("", h).split("<br>")[0].strip() for h in table[0]]
    rows: list[dict[str, str]] = []
    group = ""
    for cells in table[1:]:
        first = cells[0].strip() if cells else ""
        if first.startswith("**") and first.endswith("**") and not any(c.strip() for c in cells[1:]):
            group = first.strip("*").strip()
            continue
        row = dict(zip(header, (_FOOTNOTE.sub("", c).strip() for c in cells), strict=False))
        name = row.get("Model", "")
        if link := _LINK.match(name):
            name, row["source_url"] = link.group(1), link.group(2)
        rows.append({**row, "group": group, "model": name, "prompt": row.get("Prompt", "")})
    return rows


def _markdown_table(text: str, after: str | None = None) -> list[list[str]]:
    """The first pipe table (after a heading, if given) as rows of cells, separator row dropped."""
    lines = text.splitlines()
    if after is not None:
        starts = [i for i, line in enumerate(lines) if line.strip() == after]
        if not starts:
            return []
        lines = lines[starts[0] + 1 :]
    table: list[list[str]] = []
    for line in lines:
        stripped = line.strip()
        if not stripped.startswith("|"):
            if table:
                break
            continue
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        if all(re.fullmatch(r":?-{2,}:?", c) or not c for c in cells) and table:
            continue  # the |:---:| separator row
        table.append(cells)
    return table


def _read_main(data: BenchmarkData, file_name: str, rows: list[dict[str, str]], snapshot_date: date) -> None:
    for index, row in enumerate(rows, start=1):
        name = clean_text(row.get("model"))
        if name is None:
            data.error(f"{file_name}#{index}", "row has no model name")
            continue
        reported = row.get("group", "").strip() == _REPORTED
        prompt = (row.get("prompt") or "").strip().lower()
        setting = make_setting(
            split_name(SOURCE.name, name).setting,
            prompt=prompt if prompt not in ("", "n/a", "unknown") else None,
            reported_by="the model's lab" if reported else None,
        )
        url = clean_text(row.get("source_url"), 500) if reported else None
        if url and not url.startswith(("https://", "http://")):
            url = None  # a link shown to users: web links only
        for eval_name in _EVALS:
            try:
                score = parse_score(row.get(eval_name))
            except ValueError as exc:
                data.error(f"{file_name}#{index} ({name}, {eval_name})", str(exc))
                continue
            if score is not None:
                data.results.append(_result(name, eval_name.lower(), score, setting, url, snapshot_date))


def _read_multilingual(data: BenchmarkData, file_name: str, table: list[list[str]], snapshot_date: date) -> None:
    if not table or not table[0] or table[0][0].strip().lower() != "language":
        data.error(file_name, "header does not start with the Language column")
        return
    models = [clean_text(h) for h in table[0][1:]]
    for line, cells in enumerate(table[1:], start=2):
        language = (cells[0] if cells else "").strip().strip("*").strip()
        if not language:
            continue
        category = (
            "mmmlu"
            if language.lower() == "average"
            else "mmmlu-" + re.sub(r"[^a-z0-9]+", "-", language.lower()).strip("-")
        )
        for model, cell in zip(models, cells[1:], strict=False):
            try:
                fraction = parse_score(cell.strip().strip("*"))
            except ValueError as exc:
                data.error(f"{file_name}:{line} ({model}, {language})", str(exc))
                continue
            if fraction is None or model is None:
                continue
            if not 0 <= fraction <= 1:
                data.error(f"{file_name}:{line} ({model}, {language})", f"{fraction} is not a fraction")
                continue
            setting = split_name(SOURCE.name, model).setting
            data.results.append(_result(model, category, fraction * 100, setting, None, snapshot_date))


def _result(
    name: str, category: str, score: Decimal, setting: Setting, url: str | None, snapshot_date: date
) -> BenchmarkResult:
    return BenchmarkResult(
        source=SOURCE.name,
        benchmark=BENCHMARK,
        category=category,
        model_name=name,
        score=score,
        metric="percent",
        source_url=url or SOURCE.homepage,
        licence=SOURCE.licence,
        setting=setting,
        date=snapshot_date,
    )
