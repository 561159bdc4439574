"""`versus run` overhead: 2,000 streamed requests at concurrency 64 against a local OpenAI-compatible
server, beside a bare httpx async loop making the same requests in the same run.

Run: make bench-evidence. Target (issue 5): at most 10 % fewer requests/s than the bare loop.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from versus.catalog.store import CatalogStore
from versus.catalog.types import RoutePrice
from versus.evidence.pacing import RunOptions
from versus.evidence.runner import Route, run_suite
from versus.evidence.store import EvidenceStore
from versus.evidence.suite import load_suite

ROOT = Path(__file__).resolve().parents[1]
REQUESTS, CONCURRENCY, ROUNDS = 2000, 64, 5
KEY = "sk-bench-0123456789abcdefghijklmnopqrstuvwxyz"  # sent by both; versus also redacts every stored text of it
SUITE = """name: overhead
defaults: {repeats: 1000}
cases:
  - {id: a, messages: [{role: user, content: one two three}], assert: [{type: contains, value: two}]}
  - {id: b, messages: [{role: user, content: four five six}], assert: [{type: contains, value: five}]}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def bare_loop(url: str) -> None:
    """The least a client can do: POST, read the stream up to [DONE], parse each chunk."""
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    semaphore = asyncio.Semaphore(CONCURRENCY)
    bodies = [
        {"model": "m", "stream": True, "messages": [{"role": "user", "content": text}]}
        for text in ("one two three", "four five six")
    ]

    async def one(client: httpx.AsyncClient, body: dict[str, object]) -> str:
        async with semaphore, client.stream("POST", url, json=body) as response:
            parts = []
            async for line in response.aiter_lines():
                if not line.startswith("data:"):
                    continue
                if line[5:].strip() == "[DONE]":
                    break
                chunk = json.loads(line[5:])
                if chunk.get("choices"):
                    parts.append(chunk["choices"][0].get("delta", {}).get("content") or "")
            return "".join(parts)

    headers = {"Authorization": f"Bearer {KEY}"}
    async with httpx.AsyncClient(limits=limits, timeout=60, headers=headers) as client:
        await asyncio.gather(*(one(client, bodies[i % 2]) for i in range(REQUESTS)))


def timed(work: Callable[[], object]) -> float:
    """Wall time of the whole call, set-up included, for both contenders alike."""
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def versus_run(base: str, db: Path, suite_path: Path) -> None:
    route = Route("bench", "m", "bench/m", f"{base}/chat/completions", "BENCH_KEY", RoutePrice())
    store = EvidenceStore(db)
    options = RunOptions(concurrency=CONCURRENCY, use_cache=False)
    with store.session():
        report = run_suite(load_suite(suite_path), [route], store, {"BENCH_KEY": KEY}, options)
    assert report.completed == REQUESTS and report.errors == 0, report


def main() -> None:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import uvicorn; from tests.fake_openai import FakeProvider; "
            f"uvicorn.run(FakeProvider().app, host='127.0.0.1', port={port}, log_level='warning')",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    base = f"http://127.0.0.1:{port}/echo/v1"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.post(
                    f"{base}/chat/completions", json={"model": "m", "messages": [{"role": "user", "content": "x"}]}
                )
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "evidence.sqlite"
            CatalogStore(db).migrate()
            suite = Path(tmp) / "overhead.yaml"
            suite.write_text(SUITE)
            ours, bare = [], []
            for _ in range(ROUNDS):  # interleaved, so both see the same machine
                bare.append(timed(lambda: asyncio.run(bare_loop(f"{base}/chat/completions"))))
                ours.append(timed(lambda: versus_run(base, db, suite)))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"rounds, seconds: bare {[round(t, 2) for t in bare]}, versus {[round(t, 2) for t in ours]}")
    ours_rps, bare_rps = REQUESTS / statistics.median(ours), REQUESTS / statistics.median(bare)
    print(f"{REQUESTS} streamed requests at concurrency {CONCURRENCY}, median of {ROUNDS} interleaved rounds:")
    print(f"  bare httpx async loop: {bare_rps:,.0f} req/s")
    print(f"  versus run (timing, pricing, assertions, SQLite writes): {ours_rps:,.0f} req/s")
    print(f"  versus run is {(1 - ours_rps / bare_rps) * 100:.1f} % slower (target <= 10 %)")


if __name__ == "__main__":
    main()
