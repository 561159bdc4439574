"""Running a suite through provider routes: concurrency, rate limits, retries, caching, interruption."""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import secrets
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx

from versus.analysis.pricing import price_at_traffic
from versus.analysis.traffic import TrafficProfile
from versus.catalog.types import RoutePrice
from versus.evidence.assertions import check
from versus.evidence.client import CallError, CallResult, chat
from versus.evidence.store import EvidenceStore, ResultRow
from versus.evidence.suite import Case, LoadedSuite, request_json


@dataclass(frozen=True)
class Route:
    """A provider route to call: where, with which key variable, and its catalog prices."""

    provider_id: str
    provider_model_id: str
    model_id: str
    url: str
    api_key_env: str | None
    price: RoutePrice

    @property
    def label(self) -> str:
        return f"{self.provider_id}:{self.provider_model_id}"


@dataclass(frozen=True)
class RunOptions:
    concurrency: int = 8
    rate_per_provider: float | None = None  # requests per second, None for no limit
    retries: int = 3
    timeout: float = 60.0
    use_cache: bool = True
    backoff: float = 0.5  # seconds before the first retry; doubles each time, plus jitter


@dataclass
class RunReport:
    run_id: str
    status: str  # complete or interrupted
    completed: int
    total: int
    retries: int
    errors: int
    from_cache: int
    seconds: float
    results: list[ResultRow] = field(default_factory=list)


def call_cost(price: RoutePrice, input_tokens: int, cached_tokens: int | None, output_tokens: int) -> float | None:
    """What one call cost at the route's list prices, cached input counted once (as part of the input)."""
    share = Decimal(min(cached_tokens or 0, input_tokens)) / input_tokens if input_tokens else Decimal(0)
    cost = price_at_traffic(price, TrafficProfile(1, input_tokens, output_tokens, share))
    return float(cost.monthly) if cost else None


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)


class _RateLimiter:
    """At most `rate` request starts per second for one provider."""

    def __init__(self, rate: float | None) -> None:
        self.interval = 1 / rate if rate else 0.0
        self.next_start = 0.0
        self.lock = asyncio.Lock()

    async def wait(self) -> None:
        if not self.interval:
            return
        async with self.lock:
            now = time.monotonic()
            delay = self.next_start - now
            self.next_start = max(now, self.next_start) + self.interval
        if delay > 0:
            await asyncio.sleep(delay)


@dataclass(frozen=True)
class _Job:
    route: Route
    case: Case
    repeat: int
    messages: list[dict[str, str]]
    request: str
    body: dict[str, Any]

    @property
    def cache_key(self) -> str:
        raw = json.dumps([self.route.provider_id, self.route.provider_model_id, self.route.url, self.request])
        return hashlib.sha256(raw.encode()).hexdigest()


def plan_jobs(suite: LoadedSuite, routes: list[Route]) -> list[_Job]:
    jobs = []
    for case in suite.suite.cases:
        messages = suite.messages(case)
        request = request_json(messages, suite.suite.defaults)
        for route in routes:
            for repeat in range(suite.repeats(case)):
                jobs.append(_Job(route, case, repeat, messages, request, json.loads(request)))
    return jobs


def run_suite(
    suite: LoadedSuite,
    routes: list[Route],
    store: EvidenceStore,
    keys: dict[str, str | None],
    options: RunOptions,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    run_id: str | None = None,
) -> RunReport:
    """Run every case × route × repeat and store each result; Ctrl-C stops and keeps what finished.

    `keys` maps each route's key variable to its value: keys are used for the Authorization header
    and nowhere else (never stored, logged or printed; errors are scrubbed of them)."""
    run_id = run_id or new_run_id()
    options_record = {
        "routes": [r.label for r in routes],
        "concurrency": options.concurrency,
        "rate_per_provider": options.rate_per_provider,
        "retries": options.retries,
        "timeout": options.timeout,
        "use_cache": options.use_cache,
    }
    store.start_run(run_id, suite.suite.name, str(suite.path), suite.digest, options_record)
    jobs = plan_jobs(suite, routes)
    report = RunReport(run_id, "running", 0, len(jobs), 0, 0, 0, 0.0)
    started = time.perf_counter()
    try:
        asyncio.run(_run_all(jobs, suite, store, keys, options, report, on_progress))
    finally:
        report.seconds = time.perf_counter() - started
        if report.status == "running":
            report.status = "interrupted"
        store.finish_run(run_id, report.status)
    return report


async def _run_all(
    jobs: list[_Job],
    suite: LoadedSuite,
    store: EvidenceStore,
    keys: dict[str, str | None],
    options: RunOptions,
    report: RunReport,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    semaphore = asyncio.Semaphore(options.concurrency)
    limiters = {job.route.provider_id: _RateLimiter(options.rate_per_provider) for job in jobs}
    pending: list[ResultRow] = []
    last_flush = time.monotonic()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGINT, stop.set)
    secrets_to_scrub = [k for k in keys.values() if k]

    def flush() -> None:
        nonlocal last_flush
        if pending:
            store.add_results(pending)
            pending.clear()
        last_flush = time.monotonic()

    limits = httpx.Limits(max_connections=options.concurrency, max_keepalive_connections=options.concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=options.timeout) as client:

        def record(row: ResultRow) -> None:
            pending.append(row)
            report.results.append(row)
            report.completed += 1
            report.errors += row.error is not None
            report.from_cache += row.from_cache
            if on_progress:
                on_progress(report.completed, report.total)
            if len(pending) >= 50 or time.monotonic() - last_flush > 0.5:
                flush()

        async def one(job: _Job) -> None:
            async with semaphore:
                limiter = limiters[job.route.provider_id]
                row = await _execute(job, client, limiter, store, keys, options, report, suite, secrets_to_scrub)
            record(row)  # each call books its own result: no central loop waiting on thousands of tasks

        tasks = [asyncio.create_task(one(job)) for job in jobs]
        everything: asyncio.Future[Any] = asyncio.gather(*tasks)
        stopper: asyncio.Future[Any] = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait([everything, stopper], return_when=asyncio.FIRST_COMPLETED)
            if everything.done():
                everything.result()  # a bug in a worker surfaces here rather than vanishing
                report.status = "complete"
            else:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                report.status = "interrupted"
        finally:
            stopper.cancel()
            flush()
            loop.remove_signal_handler(signal.SIGINT)


async def _execute(
    job: _Job,
    client: httpx.AsyncClient,
    limiter: _RateLimiter,
    store: EvidenceStore,
    keys: dict[str, str | None],
    options: RunOptions,
    report: RunReport,
    suite: LoadedSuite,
    scrub: list[str],
) -> ResultRow:
    route = job.route
    cached = store.cached_response(job.cache_key) if options.use_cache else None
    attempts = 0
    error: str | None = None
    result: CallResult | None = None
    if cached is None:
        body = job.body
        prompt_text = "\n".join(m["content"] for m in job.messages)
        key = keys.get(route.api_key_env or "")
        while True:
            attempts += 1
            await limiter.wait()
            try:
                result = await chat(
                    client,
                    route.url,
                    key,
                    route.provider_model_id,
                    body,
                    timeout=options.timeout,
                    prompt_text=prompt_text,
                )
                break
            except CallError as exc:
                if exc.retryable and attempts <= options.retries:
                    report.retries += 1
                    delay = options.backoff * 2 ** (attempts - 1)
                    await asyncio.sleep(delay + random.uniform(0, delay))
                    continue
                error = _scrub(f"{exc.kind}: {exc}", scrub)
                break
        if result is not None and options.use_cache:
            store.cache_response(
                job.cache_key,
                {
                    "text": result.text,
                    "input_tokens": result.input_tokens,
                    "output_tokens": result.output_tokens,
                    "cached_tokens": result.cached_tokens,
                    "usage_estimated": result.usage_estimated,
                },
            )
    text = result.text if result else (cached or {}).get("text")
    input_tokens = result.input_tokens if result else (cached or {}).get("input_tokens")
    output_tokens = result.output_tokens if result else (cached or {}).get("output_tokens")
    cached_tokens = result.cached_tokens if result else (cached or {}).get("cached_tokens")
    estimated = result.usage_estimated if result else (cached or {}).get("usage_estimated")
    cost = None
    if error is None and input_tokens is not None and output_tokens is not None:
        cost = call_cost(route.price, input_tokens, cached_tokens, output_tokens)
    latency = result.latency_ms if result else None
    outcomes = []
    if error is None and text is not None:
        outcomes = [
            check(a, text, latency_ms=latency, cost_usd=cost, case=job.case, folder=suite.path.parent).to_dict()
            for a in job.case.assertions
        ]
    judged = [o["passed"] for o in outcomes if o["passed"] is not None]
    return ResultRow(
        run_id=report.run_id,
        provider_id=route.provider_id,
        provider_model_id=route.provider_model_id,
        model_id=route.model_id,
        case_id=job.case.id,
        repeat=job.repeat,
        request=job.request,
        response_text=text,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_tokens=cached_tokens,
        tokens_estimated=estimated,
        latency_ms=latency,
        ttft_ms=result.ttft_ms if result else None,
        output_tps=result.output_tps if result else None,
        cost_usd=cost,
        from_cache=cached is not None,
        attempts=attempts,
        assertions=outcomes,
        passed=None if error else all(judged),
        error=error,
    )


def _scrub(text: str, secrets_: list[str]) -> str:
    for secret in secrets_:
        text = text.replace(secret, "[redacted]")
    return text
