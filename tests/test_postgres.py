"""A team's deployment on one PostgreSQL database: several `versus serve` processes serve identical
pages and follow a sync made by another process; concurrent `versus run`s store every result once."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from versus.catalog.store import CatalogStore
from versus.evidence.store import EvidenceStore

from .conftest import SHARED_DATA, LiveServer
from .databases import Databases, postgres_only
from .evidence_support import OSS, SECRET, write_suite
from .fake_openai import FakeProvider
from .source_server import SourceServer

pytestmark = postgres_only

OPENROUTER = SHARED_DATA / "openrouter"
VERSUS = [sys.executable, "-m", "versus", "--db"]
PAGES = [
    "/",
    "/models/openai/gpt-4o",
    "/models/z-ai/glm-4.6",
    "/providers/openrouter",
    "/compare/openai/gpt-4o-vs-anthropic/claude-sonnet-4.5",
    "/api/models?limit=500",
    "/api/models/z-ai/glm-4.6/routes",
    "/api/compare?models=openai/gpt-4o,z-ai/glm-4.6",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Serve:
    """`versus serve` as its own process, on its own port, against the shared database."""

    def __init__(self, db: str, *args: str) -> None:
        self.port = _free_port()
        command = [*VERSUS, db, "serve", "--port", str(self.port), *args]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"versus serve exited: {self.process.stderr.read() if self.process.stderr else ''}"
                )
            try:
                if httpx.get(f"{self.url}/", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("versus serve did not answer within 60 s")

    def stop(self) -> str:
        self.process.terminate()
        _, err = self.process.communicate(timeout=30)
        return err


def _pages(client: httpx.Client, base: str) -> dict[str, tuple[int, str]]:
    return {path: _get(client, base + path) for path in PAGES}


def _get(client: httpx.Client, url: str) -> tuple[int, str]:
    response = client.get(url, follow_redirects=True)
    return response.status_code, response.text


@pytest.fixture
def servers(catalog_db: str, databases: Databases) -> Iterator[tuple[str, list[Serve]]]:
    db = databases.copy(catalog_db)
    started = [Serve(db), Serve(db), Serve(db, "--workers", "2")]
    try:
        for serve in started:
            serve.wait()
        yield db, started
    finally:
        errors = [serve.stop() for serve in started]
        assert not any("Traceback" in err for err in errors), errors


@pytest.mark.skipif(not SHARED_DATA.exists(), reason=f"real data snapshots not found at {SHARED_DATA}")
def test_three_servers_serve_identical_pages_before_and_after_a_sync(
    servers: tuple[str, list[Serve]], tmp_path: Path
) -> None:
    db, started = servers
    with httpx.Client(timeout=30) as client:
        before = [_pages(client, serve.url) for serve in started]
        assert all(code == 200 for code, _ in before[0].values()), {p: c for p, (c, _) in before[0].items()}
        assert before[1] == before[0] and before[2] == before[0]

        failures: list[str] = []
        served = Counter[int]()
        done = threading.Event()

        def hammer() -> None:  # requests to every server for as long as the sync runs
            with httpx.Client(timeout=30) as own:
                while not done.is_set():
                    for serve in started:
                        for path in PAGES:
                            try:
                                code, _ = _get(own, serve.url + path)
                                served[code] += 1
                                if code != 200:
                                    failures.append(f"{serve.url}{path}: {code}")
                            except httpx.TransportError as exc:
                                failures.append(f"{serve.url}{path}: {exc!r}")

        source = SourceServer()
        upstream = LiveServer(source.app)
        source.publish("v1/models", (OPENROUTER / "models.json").read_bytes(), date(2026, 8, 19))
        threads = [threading.Thread(target=hammer) for _ in range(3)]
        for thread in threads:
            thread.start()
        try:
            sync = subprocess.run(
                [
                    *VERSUS,
                    db,
                    "sync",
                    "openrouter",
                    "--format",
                    "json",
                    "--source",
                    f"openrouter={upstream.url}/v1/models",
                ],
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert sync.returncode == 0, sync.stderr
            assert json.loads(sync.stdout)["sources"][0]["status"] == "updated"
            generation = CatalogStore(db).current_generation()
            deadline = time.monotonic() + 30  # each server notices the new generation within ~0.5 s
            after = [_pages(client, serve.url) for serve in started]
            while time.monotonic() < deadline and not all(a == after[0] and a != before[0] for a in after):
                time.sleep(0.5)
                after = [_pages(client, serve.url) for serve in started]
        finally:
            done.set()
            for thread in threads:
                thread.join()
            upstream.stop()
        assert not failures, failures[:5]
        assert sum(served.values()) > len(PAGES) * len(started)
        assert generation is not None and generation > 1
        assert after[1] == after[0] and after[2] == after[0]
        changed = [path for path in PAGES if after[0][path] != before[0][path]]
        assert "/providers/openrouter" in changed and "/models/z-ai/glm-4.6" in changed, changed


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    fake = FakeProvider(required_key=SECRET)
    server = LiveServer(fake.app)
    yield server.url
    server.stop()


def test_concurrent_runs_from_four_processes_store_every_result_once(
    catalog_db: str, databases: Databases, provider: str, tmp_path: Path
) -> None:
    db = databases.copy(catalog_db)
    suite = write_suite(tmp_path, *(f"case {i}" for i in range(25)))
    env = {**os.environ, "VERSUS_TEST_KEY": SECRET}
    command = [*VERSUS, db, "run", str(suite), "--route", OSS]
    command += ["--base-url", f"{provider}/echo/v1", "--api-key-env", "VERSUS_TEST_KEY"]
    command += ["--concurrency", "8", "--no-cache", "--format", "json"]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(4)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0] * 4, [err for _, err in outputs]
    reports = [json.loads(out) for out, _ in outputs]
    assert len({r["run"] for r in reports}) == 4 and all(r["completed"] == 25 for r in reports)
    evidence = EvidenceStore(db)
    for report in reports:
        stored = evidence.results(run_id=report["run"])
        assert sorted(r.case_id for r in stored) == sorted(f"c{i}" for i in range(25))  # each once
    rows = databases.rows(db, "SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS ids FROM evidence_results")
    assert rows == [(100, 100)]
    assert {r["id"] for r in evidence.runs()} == {r["run"] for r in reports}


def test_a_source_record_with_nul_in_its_name_builds_and_nul_lookups_match_nothing(databases: Databases) -> None:
    """PostgreSQL text cannot hold NUL: an untrusted record carrying one is stored with U+FFFD instead
    of failing the build, and a lookup with NUL matches nothing instead of failing the request."""
    from dataclasses import replace

    from versus.sync.catalog import wanted_stamp

    from .reference_pair import reference_catalog

    catalog = reference_catalog(date(2026, 6, 15))
    gpt = "openai/gpt-4o-audio-preview"
    catalog.models[gpt] = replace(catalog.models[gpt], name="GPT-4o\x00Audio")
    db = databases.empty()
    CatalogStore(db).replace_catalog(catalog, wanted_stamp())
    store = CatalogStore(db)
    found = store.model(gpt)
    assert found is not None and found.name == "GPT-4o\ufffdAudio"
    assert store.model(gpt + "\x00") is None and store.offerings(gpt + "\x00") == []
