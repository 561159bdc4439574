"""Catalog speed: full build (three sources), identity resolution alone, and `versus show` wall time
beside `genai-prices calc` in the same run.

Run: make bench-catalog   (or .venv/bin/python benchmarks/bench_catalog.py)
Targets (issues 2 and 9): full catalog build <= 3 s; `versus show MODEL` on a built catalog <= 0.3 s.
The machine is shared: every figure is a median, and the ratio compares two things of one run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from versus.catalog.build import _collect_routes
from versus.catalog.identity import resolve_routes
from versus.catalog.overlay import load_overlay
from versus.catalog.providers import build_providers, provider_id_map
from versus.sync.catalog import open_catalog
from versus.sync.loaders import embedded_loaders

RUNS = 7
MODEL = "mistral-small-3.1"
GENAI_MODEL = "openrouter:mistralai/mistral-small-3.1-24b-instruct"
BIN = Path(sys.executable).parent


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def median_of(fn: Callable[[], float], runs: int = RUNS) -> float:
    fn()  # warm the OS file cache and byte-code cache
    return statistics.median(fn() for _ in range(runs))


def identity_time() -> tuple[float, int]:
    """Identity resolution alone, on the routes of the default sources."""
    overlay = load_overlay()
    sources = [load(date.today()) for load in embedded_loaders()]
    mapping = provider_id_map(overlay.providers)
    providers = build_providers(overlay.providers, [p for s in sources for p in s.providers], mapping)
    refs = [r.ref for r in _collect_routes(sources, mapping, providers, overlay)]

    def resolve() -> float:
        started = time.perf_counter()
        resolve_routes(refs, overlay.aliases)
        return time.perf_counter() - started

    return median_of(resolve), len(refs)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "catalog.sqlite"

        def build() -> float:
            started = time.perf_counter()
            opened = open_catalog(db, today=date.today, force=True)
            assert opened.rebuilt
            return time.perf_counter() - started

        build_s = median_of(build, runs=3)
        identity_s, routes = identity_time()
        show_s = median_of(lambda: wall([str(BIN / "versus"), "--db", str(db), "show", MODEL]))
        show_json_s = median_of(lambda: wall([str(BIN / "versus"), "--db", str(db), "show", MODEL, "-f", "json"]))
        calc_s = median_of(
            lambda: wall([str(BIN / "genai-prices"), "calc", GENAI_MODEL, "-i", "800", "-o", "250", "-n"])
        )
    print(f"full catalog build (sources -> SQLite), median of 3: {build_s:.2f} s   target <= 3 s")
    print(f"of which identity resolution of {routes} routes, median of {RUNS}: {identity_s:.2f} s")
    print(f"versus show {MODEL} (table), median of {RUNS}:      {show_s:.3f} s   target <= 0.3 s")
    print(f"versus show {MODEL} --format json:                  {show_json_s:.3f} s")
    print(f"genai-prices calc {GENAI_MODEL}:  {calc_s:.3f} s")
    print(f"ratio versus show / genai-prices calc: {show_s / calc_s:.2f}")


if __name__ == "__main__":
    main()
