"""One call to an OpenAI-compatible chat-completions endpoint, streamed, timed and bounded.

Every failure becomes a CallError with a kind and a `retryable` flag: `http` (a status other than
2xx), `provider` (an error reported inside a 200 answer or its stream), `stream` and `response`
(a malformed or incomplete answer), `timeout`, `connection`, `url` and `request` (a request that
can never be sent)."""

from __future__ import annotations

import asyncio
import json
import math
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

import httpx

from versus.evidence.stream import (
    CallError,
    CallResult,
    StreamParser,
    clip,
    is_retryable_status,
    parse_json_answer,
    provider_error,
)

MAX_ERROR_BYTES = 4096  # of an error response's body: enough for its message
MAX_JSON_BYTES = 16 << 20  # a whole (non-streamed) answer


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds a `Retry-After` header asks to wait (delay-seconds or an HTTP date); None when absent
    or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


@lru_cache(maxsize=256)
def check_url(url: str) -> str | None:
    """Why a chat-completions URL can never work, or None when it may."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        return f"invalid URL: {clip(str(exc), 120)}"
    if parsed.scheme not in ("http", "https"):
        return f"unsupported URL scheme {parsed.scheme or '(none)'!r}: use http:// or https://"
    if not parsed.host or any(c.isspace() for c in url):
        return "invalid URL: no host, or a space in it"
    return None


async def chat(
    client: httpx.AsyncClient,
    url: str,
    api_key: str | None,
    model: str,
    body: dict[str, Any],
    *,
    timeout: float,
    prompt_text: str,
) -> CallResult:
    """POST a streaming chat completion and measure it; `timeout` bounds the whole call, from send to
    the last byte. Raises CallError on any failure."""
    problem = check_url(url)
    if problem:
        raise CallError("url", problem, retryable=False)
    headers = {"Accept": "text/event-stream, application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    payload = {**body, "model": model, "stream": True, "stream_options": {"include_usage": True}}
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            return await _exchange(client, url, payload, headers, timeout, started, prompt_text)
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise CallError("timeout", f"no complete answer within {timeout:g}s", retryable=True) from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise CallError("url", clip(str(exc)), retryable=False) from exc
    except httpx.LocalProtocolError as exc:
        raise CallError("request", f"the request could not be sent: {clip(str(exc))}", retryable=False) from exc
    except httpx.TransportError as exc:
        raise CallError("connection", f"{type(exc).__name__}: {clip(str(exc))}", retryable=True) from exc
    except httpx.HTTPError as exc:  # content decoding, too many redirects: the answer is unusable
        raise CallError("response", f"{type(exc).__name__}: {clip(str(exc))}", retryable=False) from exc


async def _exchange(
    client: httpx.AsyncClient,
    url: str,
    payload: dict[str, Any],
    headers: dict[str, str],
    timeout: float,
    started: float,
    prompt_text: str,
) -> CallResult:
    async with client.stream("POST", url, json=payload, headers=headers, timeout=timeout) as response:
        if not 200 <= response.status_code < 300:
            raise await _http_error(response)
        content_type = response.headers.get("content-type", "").partition(";")[0].strip().lower()
        if content_type == "text/event-stream":
            parser = StreamParser()
            async for data in response.aiter_bytes():
                parser.feed(data, time.perf_counter())
                if parser.done:
                    break
            finished = time.perf_counter()
            parser.close(finished)
            return parser.result(started, finished, prompt_text)
        body, complete = await _read(response, MAX_JSON_BYTES)
        at = time.perf_counter()
        if content_type == "application/json" or content_type.endswith("+json"):
            if not complete:
                raise CallError("response", f"answer larger than {MAX_JSON_BYTES >> 20} MiB", retryable=False)
            return parse_json_answer(body, started, at, prompt_text)
        snippet = clip(body[:200].decode("utf-8", "replace"), 200)
        raise CallError(
            "response",
            f"unexpected content type {content_type or '(none)'!r}, not text/event-stream or application/json: "
            f"{snippet!r}",
            retryable=False,
        )


async def _http_error(response: httpx.Response) -> CallError:
    status = response.status_code
    body, _ = await _read(response, MAX_ERROR_BYTES)
    retry_after = parse_retry_after(response.headers.get("retry-after"), datetime.now(UTC))
    if 300 <= status < 400:
        where = clip(response.headers.get("location", "?"), 200)
        return CallError("http", f"HTTP {status}: redirected to {where}; use that URL", retryable=False, status=status)
    detail = body.decode("utf-8", "replace")
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        pass
    else:
        if isinstance(parsed, dict) and parsed.get("error") is not None:
            detail = str(provider_error(parsed["error"])).removeprefix("provider error: ")
    return CallError(
        "http",
        f"HTTP {status}: {clip(detail)}",
        retryable=is_retryable_status(status),
        status=status,
        retry_after=retry_after,
    )


async def _read(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    """At most `limit` bytes of the body, and whether that was all of it."""
    chunks, size = [], 0
    async for data in response.aiter_bytes():
        chunks.append(data)
        size += len(data)
        if size > limit:
            return b"".join(chunks)[:limit], False
    return b"".join(chunks), True
