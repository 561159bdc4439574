"""Benchmark commands' speed: `versus benchmarks MODEL`, `versus pick` over the whole catalog and
`versus leaderboard`, beside `versus show` and a bare Python start in the same run.

Run: make bench-benchmarks   (or .venv/bin/python benchmarks/bench_benchmarks.py)
Targets (issue 11): `versus benchmarks MODEL` <= 0.3 s; `versus pick` over the whole catalog <= 0.5 s.
The catalog is built from the shipped data, plus one `versus sync` of the leaderboards in
../shared/data/benchmarks when that folder exists (more results: the harder case).
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from versus.analysis.basis import DEFAULT_POLICY
from versus.analysis.pick import Constraints, Ranking
from versus.analysis.quality import BenchmarkRef
from versus.analysis.traffic import TrafficProfile
from versus.catalog.store import CatalogStore
from versus.services.comparison import ComparisonService
from versus.sync.catalog import open_catalog

RUNS = 11
BIN = Path(sys.executable).parent
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "benchmarks"
SYNCED = ("lmarena", "livebench", "aider", "bfcl", "swe-bench")
VALUE = ["pick", "--rank-by", "value", "-f", "json"]
PICK = ["pick", "--needs", "vision,function_calling", "--min-context", "128000", "--max-monthly", "1000"]


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def cpu(command: list[str]) -> float:
    """CPU seconds (user + system) of one run: steadier than wall time on a shared, busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_of(fn: Callable[[], float], runs: int = RUNS) -> float:
    fn()  # warm the OS file cache and byte-code cache
    return statistics.median(fn() for _ in range(runs))


def measure(command: list[str]) -> tuple[float, float]:
    """(median wall seconds, median CPU seconds)."""
    return median_of(lambda: wall(command)), median_of(lambda: cpu(command))


def in_process_ms(db: Path) -> tuple[float, float]:
    """Median ms of the work alone (catalog read, pricing, ranking), without Python start-up."""

    def once(call) -> float:  # type: ignore[no-untyped-def]
        service = ComparisonService(CatalogStore(db))
        started = time.perf_counter()
        call(service)
        return (time.perf_counter() - started) * 1000

    constraints = Constraints(needs=("vision", "function_calling"), min_context=128_000, max_monthly=Decimal(1000))
    pick_ms = median_of(lambda: once(lambda s: s.pick(constraints, Ranking("cost"), TrafficProfile(), DEFAULT_POLICY)))
    results_ms = median_of(lambda: once(lambda s: s.benchmark_results(["openai/gpt-5"])))
    return pick_ms, results_ms


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "catalog.sqlite"
        open_catalog(db, today=date.today)
        versus = [str(BIN / "versus"), "--db", str(db)]
        if SHARED.exists():
            sources = [arg for name in SYNCED for arg in ("--source", f"{name}={SHARED / name}")]
            subprocess.run([*versus, "sync", *SYNCED, *sources], check=True, capture_output=True)
        results = len(CatalogStore(db).benchmark_results())
        board = "lmarena-text" if SHARED.exists() else "aider-polyglot"
        commands = {
            "python -c pass (start-up floor)": [sys.executable, "-c", "pass"],
            "versus show gpt-5 (peer)": [*versus, "show", "gpt-5"],
            "versus benchmarks gpt-5 (target <= 0.3 s)": [*versus, "benchmarks", "gpt-5"],
            "versus benchmarks gpt-5 -f json (target <= 0.3 s)": [*versus, "benchmarks", "gpt-5", "-f", "json"],
            "versus pick, issue example (target <= 0.5 s)": [*versus, *PICK],
            "versus pick, issue example -f json (target <= 0.5 s)": [*versus, *PICK, "-f", "json"],
            "versus pick --rank-by value -f json (target <= 0.5 s)": [*versus, *VALUE],
            f"versus leaderboard {board} -f json": [*versus, "leaderboard", board, "-f", "json"],
        }
        timed = {label: measure(command) for label, command in commands.items()}
        pick_ms, results_ms = in_process_ms(db)
        ranked = ComparisonService(CatalogStore(db)).board(BenchmarkRef(board))
    synced = "shipped data + one sync of ../shared/data/benchmarks" if SHARED.exists() else "shipped data only"
    print(f"catalog: {synced}; {results:,} matched benchmark results; {board}: {len(ranked.entries)} models")
    print(f"medians of {RUNS} runs: wall seconds, CPU seconds (user + system)")
    for label, (wall_s, cpu_s) in timed.items():
        print(f"  {label:<58} {wall_s:6.3f} s  {cpu_s:6.3f} s CPU")
    show = timed["versus show gpt-5 (peer)"]
    for label, (wall_s, cpu_s) in timed.items():
        if label.startswith(("versus benchmarks", "versus pick")):
            name = label.split(" (")[0]
            print(f"  ratio to versus show, {name:<44} wall {wall_s / show[0]:.2f}  CPU {cpu_s / show[1]:.2f}")
    print(f"in process: pick over the whole catalog {pick_ms:.0f} ms, one model's results {results_ms:.1f} ms")


if __name__ == "__main__":
    main()
