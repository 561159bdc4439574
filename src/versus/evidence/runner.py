"""Running a suite through provider routes: concurrency, rate limits, retries, caching, interruption."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import secrets
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

import httpx

from versus.analysis.evidence import OUTPUT_SPEED, ResultRow
from versus.analysis.pricing import price_at_traffic
from versus.analysis.traffic import TrafficProfile
from versus.catalog.types import RoutePrice
from versus.evidence.assertions import check
from versus.evidence.client import chat
from versus.evidence.keys import Redactor
from versus.evidence.pacing import RateLimiter, RunOptions, option_problems, retry_delay
from versus.evidence.stream import CallError, CallResult
from versus.evidence.suite import Case, LoadedSuite, request_json


class EvidenceSink(Protocol):
    """Where a run keeps what it learns (the evidence service hands one over): runs, results in small
    batches, and the response cache."""

    def start_run(
        self, run_id: str, suite_name: str, suite_path: str, digest: str, options: dict[str, Any]
    ) -> None: ...

    def finish_run(self, run_id: str, status: str) -> None: ...

    def add_results(self, rows: list[ResultRow]) -> None: ...

    def cached_response(self, key: str) -> dict[str, Any] | None: ...

    def cache_response(self, key: str, response: dict[str, Any]) -> None: ...


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


def call_cost(price: RoutePrice, input_tokens: int, cached_tokens: int | None, output_tokens: int) -> Decimal | None:
    """What one call cost at the route's list prices, cached input counted once (as part of the input)."""
    share = Decimal(min(cached_tokens or 0, input_tokens)) / input_tokens if input_tokens else Decimal(0)
    cost = price_at_traffic(price, TrafficProfile(1, input_tokens, output_tokens, share))
    return cost.monthly if cost else None


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)


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
    store: EvidenceSink,
    keys: dict[str, str | None],
    options: RunOptions,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    run_id: str | None = None,
) -> RunReport:
    """Run every case × route × repeat and store each result; Ctrl-C stops and keeps what finished
    (call it from the main thread: it handles SIGINT while it runs).

    `keys` maps each route's key variable to its value: keys are used for the Authorization header
    and nowhere else; every text stored (answer, error, request, assertion details, cache) is
    redacted of them first."""
    problems = option_problems(options)
    if problems:
        raise ValueError("; ".join(problems))
    run_id = run_id or new_run_id()
    options_record = {
        "routes": [r.label for r in routes],
        "concurrency": options.concurrency,
        "rate_per_provider": options.rate_per_provider,
        "retries": options.retries,
        "timeout": options.timeout,
        "use_cache": options.use_cache,
        "output_tps": OUTPUT_SPEED,  # what the stored speed figure covers
    }
    report = RunReport(run_id, "running", 0, 0, 0, 0, 0, 0.0)
    started = time.perf_counter()
    # From here on a Ctrl-C only asks the run to stop (the flag until the event loop takes over): no
    # KeyboardInterrupt can land in the middle of a write, so every result counted is a result stored.
    interrupted = threading.Event()
    previous_sigint = signal.signal(signal.SIGINT, lambda *_: interrupted.set())
    try:
        store.start_run(run_id, suite.suite.name, str(suite.path), suite.digest, options_record)
        jobs = plan_jobs(suite, routes)
        report.total = len(jobs)
        redact = Redactor(k for k in keys.values() if k)
        asyncio.run(_run_all(jobs, suite, store, keys, options, report, on_progress, redact, interrupted))
    except KeyboardInterrupt:  # only when the caller itself raised it: the handler above never does
        report.status = "interrupted"
    finally:
        # The event loop took its handler with it when it closed: until the run is recorded, a Ctrl-C
        # still only sets the flag.
        signal.signal(signal.SIGINT, lambda *_: interrupted.set())
        report.seconds = time.perf_counter() - started
        if report.status == "running":
            report.status = "interrupted"
        store.finish_run(run_id, report.status)
        if previous_sigint is not None:
            signal.signal(signal.SIGINT, previous_sigint)
    return report


async def _run_all(
    jobs: list[_Job],
    suite: LoadedSuite,
    store: EvidenceSink,
    keys: dict[str, str | None],
    options: RunOptions,
    report: RunReport,
    on_progress: Callable[[int, int], None] | None,
    redact: Redactor,
    interrupted: threading.Event,
) -> None:
    semaphore = asyncio.Semaphore(options.concurrency)
    limiters = {job.route.provider_id: RateLimiter(options.rate_per_provider) for job in jobs}
    pending: list[ResultRow] = []
    last_flush = time.monotonic()
    stop = asyncio.Event()
    # While the run lasts, a Ctrl-C (a second one included) only asks it to stop, and every finished
    # result is saved; one that came before the loop took over stops it at once.
    asyncio.get_running_loop().add_signal_handler(signal.SIGINT, stop.set)
    if interrupted.is_set():
        stop.set()
    requests: dict[str, str] = {}  # each distinct request redacted once

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
                result, cached, attempts, error = await _call(job, client, limiter, store, keys, options, report)
            if job.request not in requests:
                requests[job.request] = redact(job.request)
            row = _result_row(job, report.run_id, requests[job.request], result, cached, attempts, error, suite, redact)
            if result is not None and options.use_cache:
                store.cache_response(job.cache_key, {**_answer(result), "text": row.response_text})
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
                # Another Ctrl-C while what finished is saved only sets `stop` again.
                everything.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await everything  # collected here, so no "exception was never retrieved" at exit
                report.status = "interrupted"
        finally:
            stopper.cancel()
            flush()


async def _call(
    job: _Job,
    client: httpx.AsyncClient,
    limiter: RateLimiter,
    store: EvidenceSink,
    keys: dict[str, str | None],
    options: RunOptions,
    report: RunReport,
) -> tuple[CallResult | None, dict[str, Any] | None, int, str | None]:
    """The answer (live or cached), how many attempts it took, or the last attempt's error."""
    cached = store.cached_response(job.cache_key) if options.use_cache else None
    if cached is not None:
        return None, cached, 0, None
    prompt_text = "\n".join(m["content"] for m in job.messages)
    key = keys.get(job.route.api_key_env or "")
    attempts = 0
    while True:
        attempts += 1
        await limiter.wait()
        try:
            result = await chat(
                client,
                job.route.url,
                key,
                job.route.provider_model_id,
                job.body,
                timeout=options.timeout,
                prompt_text=prompt_text,
            )
            return result, None, attempts, None
        except CallError as exc:
            if exc.retryable and attempts <= options.retries:
                report.retries += 1
                await asyncio.sleep(retry_delay(exc, attempts, options))
                continue
            return None, None, attempts, f"{exc.kind}: {exc}"


def _result_row(
    job: _Job,
    run_id: str,
    request: str,
    result: CallResult | None,
    cached: dict[str, Any] | None,
    attempts: int,
    error: str | None,
    suite: LoadedSuite,
    redact: Redactor,
) -> ResultRow:
    """One stored result. Assertions judge the redacted answer, the one that is stored and cached."""
    route = job.route
    answer = _answer(result) if result else (cached or {})
    text = redact.optional(answer.get("text"))
    input_tokens, output_tokens = answer.get("input_tokens"), answer.get("output_tokens")
    cached_tokens = answer.get("cached_tokens")
    cost = None
    if error is None and input_tokens is not None and output_tokens is not None:
        cost = call_cost(route.price, input_tokens, cached_tokens, output_tokens)
    latency = result.latency_ms if result else None
    outcomes = []
    if error is None and text is not None:
        for assertion in job.case.assertions:
            outcome = check(assertion, text, latency_ms=latency, cost_usd=cost, case=job.case, folder=suite.path.parent)
            outcomes.append({**outcome.to_dict(), "detail": redact(outcome.detail)})
    judged = [o["passed"] for o in outcomes if o["passed"] is not None]
    return ResultRow(
        run_id=run_id,
        provider_id=route.provider_id,
        provider_model_id=route.provider_model_id,
        model_id=route.model_id,
        case_id=job.case.id,
        repeat=job.repeat,
        request=request,
        response_text=text,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_tokens=cached_tokens,
        tokens_estimated=answer.get("usage_estimated"),
        latency_ms=latency,
        ttft_ms=result.ttft_ms if result else None,
        output_tps=result.output_tps if result else None,
        cost_usd=cost,
        from_cache=cached is not None,
        attempts=attempts,
        assertions=outcomes,
        passed=None if error else all(judged),
        error=redact.optional(error),
    )


def _answer(result: CallResult) -> dict[str, Any]:
    """What the response cache keeps of a live answer."""
    return {
        "text": result.text,
        "input_tokens": result.input_tokens,
        "output_tokens": result.output_tokens,
        "cached_tokens": result.cached_tokens,
        "usage_estimated": result.usage_estimated,
    }
