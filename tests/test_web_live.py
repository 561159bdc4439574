"""A running server follows the catalog: rebuilds and new local evidence show without a restart, and
requests during rebuilds never fail."""

from __future__ import annotations

import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import httpx

from versus.analysis.evidence import ResultRow
from versus.catalog.build import Catalog
from versus.catalog.store import CatalogStore
from versus.catalog.types import RouteClass
from versus.evidence.store import EvidenceStore
from versus.sync.catalog import wanted_stamp

from .conftest import LiveServer
from .databases import Databases

PAIR = "/compare/anthropic/claude-sonnet-4.5-vs-openai/gpt-4o"


def _wait_for(check, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_a_rebuilt_catalog_is_served_without_restart(
    catalog: Catalog, catalog_db: str, databases: Databases, tmp_path: Path
) -> None:
    from versus.web.app import create_app

    db = databases.copy(catalog_db)
    server = LiveServer(create_app(db))
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            before = http.get(PAIR)
            assert before.status_code == 200 and "$6,150" in before.text
            # A new generation in which Anthropic's list price for Sonnet 4.5 doubled (on each of its
            # own routes: its API and its Claude Platform on AWS).
            dearer = [
                replace(o, price=replace(o.price, input=Decimal(6), output=Decimal(30)))
                if o.model_id == "anthropic/claude-sonnet-4.5" and o.route_class is RouteClass.MAKER
                else o
                for o in catalog.offerings
            ]
            CatalogStore(db).replace_catalog(replace(catalog, offerings=dearer), wanted_stamp())
            assert _wait_for(lambda: "$12,300" in http.get(PAIR).text), "the server kept the old catalog"
            assert http.get(PAIR).headers["etag"] != before.headers["etag"]
    finally:
        server.stop()


def test_new_local_evidence_shows_without_restart(catalog_db: str, databases: Databases, tmp_path: Path) -> None:
    from versus.web.app import create_app

    db = databases.copy(catalog_db)
    CatalogStore(db).migrate()
    server = LiveServer(create_app(db))
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            assert "run r-live" not in http.get(PAIR).text
            evidence = EvidenceStore(db)
            evidence.start_run("r-live", "suite", "suite.yaml", "abc", {})
            evidence.add_results([_result("r-live")])
            evidence.finish_run("r-live", "complete")
            assert _wait_for(lambda: "run r-live" in http.get(PAIR).text), "evidence appeared only after restart"
    finally:
        server.stop()


def _result(run_id: str) -> ResultRow:
    return ResultRow(
        run_id=run_id,
        provider_id="openai",
        provider_model_id="gpt-4o",
        model_id="openai/gpt-4o",
        case_id="c1",
        repeat=0,
        request="{}",
        response_text="ok",
        input_tokens=10,
        output_tokens=2,
        cached_tokens=None,
        tokens_estimated=False,
        latency_ms=120.0,
        ttft_ms=40.0,
        output_tps=50.0,
        cost_usd=0.0001,
        from_cache=False,
        attempts=1,
        assertions=[],
        passed=True,
        error=None,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_no_request_fails_while_the_catalog_is_rebuilt(catalog_db: str, databases: Databases, tmp_path: Path) -> None:
    """A short soak: `versus serve` under concurrent requests while `versus rebuild` runs again and again.
    (`benchmarks/bench_soak.py` runs the long one under wrk and records memory.)"""
    db = databases.copy(catalog_db)
    store = CatalogStore(db)
    ids = sorted(store.pay_per_token_route_counts(), key=lambda m: -store.pay_per_token_route_counts()[m])[:12]
    pages = [f"/compare/{a}-vs-{b}" for a in ids for b in ids if a < b] + [f"/models/{m}" for m in ids]
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(
        [sys.executable, "-m", "versus", "--db", str(db), "serve", "--port", str(port)],
        stdout=log,
        stderr=log,
    )
    failures: list[str] = []
    served = 0
    done = threading.Event()
    try:
        url = f"http://127.0.0.1:{port}"
        assert _wait_for(lambda: _up(url), timeout=60), "versus serve did not start"

        def hammer(seed: int) -> None:
            nonlocal served
            rng = random.Random(seed)
            with httpx.Client(base_url=url, timeout=60, follow_redirects=False) as http:
                while not done.is_set():
                    path = rng.choice(pages)
                    response = http.get(path)
                    if response.status_code != 200:
                        failures.append(f"{response.status_code} {path}: {response.text[:120]}")
                    served += 1

        workers = [threading.Thread(target=hammer, args=(seed,)) for seed in range(4)]
        for worker in workers:
            worker.start()
        for _ in range(3):
            rebuild = subprocess.run(
                [sys.executable, "-m", "versus", "--db", str(db), "rebuild"], capture_output=True, text=True
            )
            assert rebuild.returncode == 0, rebuild.stderr
        time.sleep(1)
        done.set()
        for worker in workers:
            worker.join()
    finally:
        done.set()
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=30)
        log.close()
    assert not failures, failures[:5]
    assert served > 50
    assert CatalogStore(db).current_generation() is not None


def _up(url: str) -> bool:
    try:
        return httpx.get(url + "/", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False
