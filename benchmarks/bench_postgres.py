"""PostgreSQL beside SQLite: catalog rebuild time, and compare pages over HTTP from `versus serve`.

Both servers run at once and are asked in turn for the same pages — every pair of the 30 models
with the most routes (435 compare pages), each page first uncached (rendered from the database) and
then again (the server's page cache) — so both see the same machine load. PostgreSQL is a throwaway
cluster on loopback (tests/postgres.py: Debian's postgresql, fsync off as in the tests).

Run: make bench-postgres
Targets (team deployment issue): compare page p50 on PostgreSQL within 1.5x of SQLite; rebuild on
PostgreSQL <= 10 s.
"""

from __future__ import annotations

import itertools
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.postgres import start_cluster

BIN = Path(sys.executable).parent
TOP = 30
REBUILDS = 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rebuild_seconds(db: str) -> list[float]:
    times = []
    for _ in range(REBUILDS):
        started = time.perf_counter()
        subprocess.run([str(BIN / "versus"), "--db", db, "rebuild"], check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def serve(db: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "versus"), "--db", db, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(url + "/", timeout=2)
            return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"versus serve on {db} did not start")


def percentile(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    from versus.services import open_services
    from versus.site.build import choose_models
    from versus.sync.catalog import open_catalog

    cluster = start_cluster()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            targets = {"SQLite": str(Path(tmp) / "catalog.sqlite"), "PostgreSQL": cluster.create_database()}
            for db in targets.values():
                open_catalog(db)
            rebuilds = {name: rebuild_seconds(db) for name, db in targets.items()}
            ids = sorted(choose_models(open_services(str(targets["SQLite"])).catalog, TOP))
            paths = [f"/compare/{a}-vs-{b}" for a, b in itertools.combinations(ids, 2)]
            servers = {name: serve(db) for name, db in targets.items()}
            timings: dict[tuple[str, str], list[float]] = {}
            try:
                with httpx.Client(timeout=60, follow_redirects=True) as client:
                    for phase in ("uncached", "cached"):
                        for path in paths:
                            for name, (_, url) in servers.items():  # in turn: the same load for both
                                started = time.perf_counter()
                                response = client.get(url + path)
                                elapsed = time.perf_counter() - started
                                if response.status_code != 200:
                                    raise RuntimeError(f"{name} {path}: HTTP {response.status_code}")
                                timings.setdefault((name, phase), []).append(elapsed * 1000)
            finally:
                for process, _ in servers.values():
                    process.terminate()
                    process.wait(timeout=30)
    finally:
        cluster.stop()

    print(f"catalog rebuild, {REBUILDS} runs (`versus rebuild`, whole process):")
    for name, times in rebuilds.items():
        print(f"  {name:<11} median {statistics.median(times):5.2f} s   min {min(times):5.2f} s")
    print(f"\ncompare pages over HTTP, {len(paths)} distinct pairs each, asked of both servers in turn:")
    print(f"  {'':<11} {'phase':<9} {'p50 ms':>7} {'p95 ms':>7}")
    for (name, phase), values in sorted(timings.items(), key=lambda kv: (kv[0][1] != "uncached", kv[0][0])):
        print(f"  {name:<11} {phase:<9} {percentile(values, 0.5):7.1f} {percentile(values, 0.95):7.1f}")
    for phase in ("uncached", "cached"):
        ratio = percentile(timings[("PostgreSQL", phase)], 0.5) / percentile(timings[("SQLite", phase)], 0.5)
        print(f"  p50 PostgreSQL / SQLite, {phase}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
