"""`versus serve` under hostile requests, over real HTTP: every request does bounded work, and the
page cache holds one entry per page, within a byte budget, however the query is spelled."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import TODAY, LiveServer

PAIR = "/compare/mistralai/mistral-small-3.1-24b-instruct-vs-openai/gpt-4o-audio-preview"


def _serve(db: Path, page_cache_bytes: int | None = None) -> tuple[LiveServer, Any]:
    from versus.services import open_services
    from versus.web.app import create_app
    from versus.web.live import LiveCatalog

    options = {} if page_cache_bytes is None else {"page_cache_bytes": page_cache_bytes}
    catalog = LiveCatalog(open_services(str(db)), today=lambda: TODAY, **options)
    return LiveServer(create_app(live=catalog)), catalog


@pytest.fixture
def fresh(catalog_db: str) -> Iterator[tuple[httpx.Client, Any]]:
    """A server of its own, so the test counts only the cache entries it causes."""
    server, catalog = _serve(catalog_db)
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client, catalog
    server.stop()


def test_one_traffic_spelled_many_ways_is_one_cache_entry(fresh) -> None:  # type: ignore[no-untyped-def]
    http, catalog = fresh
    spellings = ["0.4", "40%", "0.40", " 0.4 ", "40.0%", "4E-1", "0.400000"]
    bodies = set()
    for i, spelling in enumerate(spellings):
        page = http.get(PAIR, params={"cache_hit": spelling, "utm_source": f"x{i}", "fragment": "no"})
        assert page.status_code == 200, page.text[:300]
        bodies.add(page.content)
    assert len(bodies) == 1 and 'value="40%"' in page.text
    assert len(catalog.pages) == 1
    # Defaults spelled out, or unknown parameters, are the plain page.
    http.get(PAIR)
    http.get(PAIR, params={"requests": "1,000,000", "blend": "070:030", "ref": "newsletter"})
    http.get(PAIR, params={"fragment": "costs"})
    assert len(catalog.pages) == 3


def test_absurd_precision_is_refused_before_any_rendering(fresh) -> None:  # type: ignore[no-untyped-def]
    http, catalog = fresh
    for query in (
        {"cache_hit": "1e-999999"},
        {"batch": "0.1234567"},
        {"cache_hit": "12.3456789%"},
        {"requests": "1e1000000"},
        {"blend": "²:1"},
        {"blend": "1" + "0" * 5000 + ":1"},
        {"input_tokens": "٣"},
    ):
        response = http.get(PAIR, params=query)
        assert response.status_code == 400, (query, response.status_code)
        assert len(response.content) < 20_000
    assert "more than 6 decimal places" in http.get(PAIR, params={"cache_hit": "1e-999999"}).text
    assert len(catalog.pages) == 0


def test_model_lists_are_capped_before_any_lookup(fresh) -> None:  # type: ignore[no-untyped-def]
    http, _ = fresh
    started = time.perf_counter()
    many = http.get("/compare", params={"models": ",".join(["o3"] * 10_000)})
    api_many = http.get("/api/compare", params={"models": ",".join(["o3"] * 10_000)})
    long_pair = http.get("/compare/" + "a-vs-" * 6_000 + "b")
    long_name = http.get("/models/" + "x" * 20_000)
    long_search = http.get("/", params={"q": "gpt " * 7_500})
    elapsed = time.perf_counter() - started
    assert many.status_code == 400 and "at most 8 models" in many.text
    assert api_many.status_code == 400 and api_many.json()["error"]
    assert long_pair.status_code == 404
    assert long_name.status_code == 400 and "names no model" in long_name.text
    assert long_search.status_code == 400
    assert elapsed < 5, f"{elapsed:.1f}s for five hostile requests"  # today's code took 40 s for the first
    nine = "o3,gpt-4o,gpt-4o-mini,gpt-oss-120b,mistral-small-3.1,claude-sonnet-4.5,gemini-2.5-pro,gpt-4.1,o4-mini"
    assert "at most 8 models" in http.get("/compare", params={"models": nine}).text
    twice = http.get("/compare", params={"models": "o3,gpt-4o,O3"})
    assert twice.status_code == 400 and "named twice" in twice.text


def test_page_cache_is_bounded_by_bytes(catalog_db: str) -> None:
    budget = 512 * 1024
    server, catalog = _serve(catalog_db, page_cache_bytes=budget)
    try:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            sizes = [len(http.get(PAIR, params={"requests": str(1000 + i)}).content) for i in range(60)]
    finally:
        server.stop()
    assert sum(sizes) > 2 * budget  # the pages asked for would not all fit
    assert catalog.pages.size <= budget
    assert 0 < len(catalog.pages) < 60


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads a process's memory from /proc")
def test_memory_of_a_live_server_stays_bounded_under_hostile_requests(catalog_db: str) -> None:
    """A real `versus serve` process: before the fix 60 requests of 20 bytes each added ~175 MB."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "versus", "--db", str(catalog_db), "serve", "--port", str(port)]
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
            deadline = time.monotonic() + 60
            while True:
                try:
                    http.get("/static/site.css")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline and server.poll() is None, "versus serve did not start"
                    time.sleep(0.1)
            http.get(PAIR)
            http.get(PAIR, params={"cache_hit": "0.4"})
            before = _rss_mb(server.pid)
            codes = [http.get(PAIR, params={"cache_hit": f"1e-9999{i:02d}"}).status_code for i in range(60)]
            codes += [http.get(PAIR, params={"utm": str(i), "cache_hit": "40%"}).status_code for i in range(200)]
            grown = _rss_mb(server.pid) - before
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert grown < 30, f"RSS grew by {grown:.0f} MB"
    assert codes[:60] == [400] * 60 and set(codes[60:]) == {200}


@pytest.mark.parametrize("name", ["%", "_", "%25", "a%", "%-vs-%", "o3-vs-%", "%00", "..", "x?y", "O3", "%ff"])
def test_odd_names_never_loop_or_fail(http_session: httpx.Client, name: str) -> None:
    """LIKE wildcards and odd bytes: at most one redirect, to a page that answers; never a 5xx."""
    for path in (f"/models/{name}", f"/compare/{name}-vs-o3", f"/api/models/{name}/routes", f"/providers/{name}"):
        response = http_session.get(path)
        if response.status_code == 301:
            target = response.headers["location"]
            assert target != path
            response = http_session.get(target)
        assert response.status_code in (200, 400, 404), (path, response.status_code)


@pytest.fixture(scope="module")
def http_session(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=60) as client:
        yield client


def test_pages_that_differ_keep_entries_of_their_own(fresh) -> None:  # type: ignore[no-untyped-def]
    """Canonical keys must never merge two different pages: each of these renders differently."""
    http, catalog = fresh
    variants = [
        ("/", {}),
        ("/", {"q": "mistral"}),
        ("/", {"q": "mistral", "capability": "vision"}),
        ("/models/openai/gpt-oss-120b", {}),
        ("/models/openai/gpt-oss-120b", {"sort": "provider"}),
        (PAIR, {}),
        (PAIR, {"fragment": "costs"}),
        (PAIR, {"requests": "2000000"}),
        (PAIR, {"blend": "3:1"}),
        (PAIR, {"cache_hit": "0.4"}),
        (PAIR, {"batch": "0.4"}),
        ("/api/models", {"q": "gpt-oss"}),
        ("/api/models", {"q": "gpt-oss", "limit": "1"}),
    ]
    bodies = []
    for path, params in variants:
        response = http.get(path, params=params)
        assert response.status_code == 200, (path, params)
        bodies.append(response.content)
    assert len(set(bodies)) == len(variants) == len(catalog.pages)
    for (path, params), body in zip(variants, bodies, strict=True):  # and each is served from its own entry
        assert http.get(path, params={**params, "utm_campaign": "x"}).content == body
