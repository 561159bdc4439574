"""Comparison speed: `versus compare A B` wall time beside `genai-prices calc` for the same two models
in the same run, and comparisons per second rendered in-process.

Run: make bench-compare   (or .venv/bin/python benchmarks/bench_compare.py)
Targets: `versus compare A B` on a built catalog <= 0.25 s wall; `--format json` at most 0.5× the wall
time of `genai-prices calc` for the same two models (issue 12), measured alternately in the same run.

Both peers run as installed: Python bytecode compiled (pip compiles a wheel's modules; an editable
install of ours is compiled here first) and PYTHONDONTWRITEBYTECODE unset for both.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import versus as versus_package
from versus.analysis.traffic import Blend, TrafficProfile
from versus.render.json_view import render_json
from versus.render.markdown import render_markdown
from versus.services.comparison import ComparisonService
from versus.sync.catalog import open_catalog

RUNS = 11
PAIR = ("gpt-4o-audio", "mistral-small-3.1")  # loose names, as people type them
IDS = ("openai/gpt-4o-audio-preview", "mistralai/mistral-small-3.1-24b-instruct")  # canonical ids, as genai gets
GENAI = ("openrouter:openai/gpt-4o-audio-preview", "openrouter:mistralai/mistral-small-3.1-24b-instruct")
BIN = Path(sys.executable).parent
RENDERED = 1000


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - started


def median_walls(commands: list[list[str]]) -> list[float]:
    """Each command's median wall time, the commands run in turn so that load hits them alike."""
    for command in commands:
        wall(command)  # warm caches
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(RUNS):
        for index, command in enumerate(commands):
            times[index].append(wall(command))
    return [statistics.median(t) for t in times]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "catalog.sqlite"
        store = open_catalog(db, today=date.today).store
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(versus_package.__file__).parent)], env=ENV)
        calc_command = [str(BIN / "genai-prices"), "calc", *GENAI, "-i", "800", "-o", "250", "-n"]
        commands = {
            f"{fmt}, {label}": [str(BIN / "versus"), "--db", str(db), "compare", *names, "--format", fmt]
            for fmt in ("table", "markdown", "json")
            for label, names in (("loose names", PAIR), ("canonical ids", IDS))
        }
        *ours, calc = median_walls([*commands.values(), calc_command])
        results = dict(zip(commands, ours, strict=True))

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
    for name, seconds in results.items():
        print(f"  --format {name:<26} {seconds:.3f} s   ratio to genai-prices calc {seconds / calc:.2f}")
    print(f"genai-prices calc for the same two models: {calc:.3f} s (half: {calc / 2:.3f} s)")
    print(f"in-process: {per_second:.0f} comparisons/s (load from SQLite, compute, render Markdown and JSON)")


if __name__ == "__main__":
    main()
