"""How a run paces its calls: numeric options and their ranges, the rate limit, the wait before a retry."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass

from versus.evidence.stream import CallError

RETRY_AFTER_CAP = 60.0  # seconds: the longest wait a provider's Retry-After gets; a longer ask waits this long
OPTION_RANGES: dict[str, tuple[float, float, str]] = {
    "concurrency": (1, 1000, "requests in flight"),
    "rate": (0.01, 10_000, "requests per second per provider"),
    "retries": (0, 20, "retries per call"),
    "timeout": (0.1, 3600, "seconds per call"),
}


@dataclass(frozen=True)
class RunOptions:
    concurrency: int = 8
    rate_per_provider: float | None = None  # requests per second, None for no limit
    retries: int = 3
    timeout: float = 60.0  # seconds for a whole call, from sending the request to the last byte
    use_cache: bool = True
    backoff: float = 0.5  # seconds before the first retry; doubles each time, plus jitter
    retry_after_cap: float = RETRY_AFTER_CAP


def option_problems(options: RunOptions) -> list[str]:
    """What is wrong with the numeric options, named as the command line names them."""
    values = {
        "concurrency": options.concurrency,
        "rate": options.rate_per_provider,
        "retries": options.retries,
        "timeout": options.timeout,
    }
    problems = []
    for name, value in values.items():
        low, high, unit = OPTION_RANGES[name]
        if value is not None and not low <= value <= high:  # also false for nan and infinities
            problems.append(f"--{name} must be a number from {low:g} to {high:,g} ({unit}), not {value!r}")
    return problems


def retry_delay(error: CallError, attempt: int, options: RunOptions) -> float:
    """Seconds to wait before retrying: what the provider asked for (Retry-After, capped), otherwise
    exponential backoff with jitter."""
    if error.retry_after is not None:
        return min(error.retry_after, options.retry_after_cap)
    delay = options.backoff * 2.0 ** (attempt - 1)
    return delay + random.uniform(0, delay)


class RateLimiter:
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
