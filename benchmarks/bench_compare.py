"""Comparison speed: `versus compare A B` wall time beside `genai-prices calc` for the same two models
in the same run, and comparisons per second rendered in-process.

Run: make bench-compare   (or .venv/bin/python benchmarks/bench_compare.py)
Targets (issue 3): `versus compare A B` on a built catalog <= 0.25 s wall; under one third of
`genai-prices calc` for the same two models (a peer that computes far less).
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from versus.analysis.traffic import Blend, TrafficProfile
from versus.catalog.local import open_catalog
from versus.render.json_view import render_json
from versus.render.markdown import render_markdown
from versus.service import ComparisonService

RUNS = 11
PAIR = ("gpt-4o-audio", "mistral-small-3.1")
GENAI = ("openrouter:openai/gpt-4o-audio-preview", "openrouter:mistralai/mistral-small-3.1-24b-instruct")
BIN = Path(sys.executable).parent
RENDERED = 1000


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def median_wall(command: list[str]) -> float:
    wall(command)  # warm caches
    return statistics.median(wall(command) for _ in range(RUNS))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "catalog.sqlite"
        store = open_catalog(db, today=date.today).store
        versus = [str(BIN / "versus"), "--db", str(db), "compare", *PAIR]
        results = {fmt: median_wall([*versus, "--format", fmt]) for fmt in ("table", "markdown", "json")}
        calc = median_wall([str(BIN / "genai-prices"), "calc", *GENAI, "-i", "800", "-o", "250", "-n"])

        ids = [m.id for m in store.summaries() if m.routes]
        rng = random.Random(0)
        pairs = [rng.sample(ids, 2) for _ in range(RENDERED)]
        service = ComparisonService(store)
        started = time.perf_counter()
        for pair in pairs:
            comparison = service.compare(pair, TrafficProfile(), Blend(), date.today())
            render_markdown(comparison)
            render_json(comparison)
        per_second = RENDERED / (time.perf_counter() - started)

    print(f"versus compare {' '.join(PAIR)}, median of {RUNS} (target <= 0.25 s):")
    for fmt, seconds in results.items():
        print(f"  --format {fmt:<9} {seconds:.3f} s   ratio to genai-prices calc {seconds / calc:.2f}")
    print(f"genai-prices calc for the same two models: {calc:.3f} s (one third: {calc / 3:.3f} s)")
    print(f"in-process: {per_second:.0f} comparisons/s (load from SQLite, compute, render Markdown and JSON)")


if __name__ == "__main__":
    main()
