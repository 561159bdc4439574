"""One call to an OpenAI-compatible chat-completions endpoint, streamed and timed."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any

import httpx

RETRYABLE_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


class CallError(Exception):
    """A failed call: what kind, whether a retry may help, and the HTTP status when there was one."""

    def __init__(self, kind: str, message: str, *, retryable: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.kind, self.retryable, self.status = kind, retryable, status


@dataclass(frozen=True)
class CallResult:
    text: str
    input_tokens: int | None
    output_tokens: int | None
    cached_tokens: int | None
    usage_estimated: bool
    latency_ms: float
    ttft_ms: float | None
    output_tps: float | None  # output tokens / seconds from the first content token to the last


def estimate_tokens(text: str) -> int:
    """A local token estimate for when a provider reports no usage: about one token per four characters
    of English, never fewer than the count of words and punctuation marks divided by 1.3."""
    if not text:
        return 0
    return max(1, round(len(text) / 4), round(len(re.findall(r"\w+|[^\w\s]", text)) / 1.3))


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
    """POST a streaming chat completion and measure it. Raises CallError on any failure."""
    headers = {"Accept": "text/event-stream, application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    payload = {**body, "model": model, "stream": True, "stream_options": {"include_usage": True}}
    started = time.perf_counter()
    first = last = None
    parts: list[str] = []
    usage: dict[str, Any] | None = None
    try:
        async with client.stream("POST", url, json=payload, headers=headers, timeout=timeout) as response:
            if response.status_code >= 400:
                detail = (await response.aread()).decode("utf-8", "replace")[:300]
                raise CallError(
                    "http",
                    f"HTTP {response.status_code}: {detail}",
                    retryable=response.status_code in RETRYABLE_STATUS,
                    status=response.status_code,
                )
            if response.headers.get("content-type", "").startswith("application/json"):
                data = json.loads(await response.aread())
                first = last = time.perf_counter()
                parts.append(_message_text(data))
                usage = data.get("usage")
            else:
                async for line in response.aiter_lines():
                    if not line.startswith("data:"):
                        continue
                    chunk = line[5:].strip()
                    if chunk == "[DONE]":
                        break
                    try:
                        data = json.loads(chunk)
                    except json.JSONDecodeError as exc:
                        raise CallError("stream", f"malformed stream chunk: {chunk[:80]!r}", retryable=False) from exc
                    if data.get("usage"):
                        usage = data["usage"]
                    text = _delta_text(data)
                    if text:
                        now = time.perf_counter()
                        first = first or now
                        last = now
                        parts.append(text)
    except httpx.TimeoutException as exc:
        raise CallError("timeout", f"no complete answer within {timeout:g}s", retryable=True) from exc
    except httpx.TransportError as exc:
        raise CallError("connection", f"{type(exc).__name__}: {exc}", retryable=True) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CallError("response", f"unreadable response: {exc}", retryable=False) from exc
    finished = time.perf_counter()
    text = "".join(parts)
    estimated = usage is None or usage.get("completion_tokens") is None
    input_tokens = usage.get("prompt_tokens") if usage else None
    output_tokens = usage.get("completion_tokens") if usage else None
    if input_tokens is None:
        input_tokens = estimate_tokens(prompt_text)
    if output_tokens is None:
        output_tokens = estimate_tokens(text)
    cached = ((usage or {}).get("prompt_tokens_details") or {}).get("cached_tokens")
    speed = None
    if first is not None and last is not None and last > first and output_tokens:
        speed = output_tokens / (last - first)
    return CallResult(
        text=text,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_tokens=cached,
        usage_estimated=estimated,
        latency_ms=(finished - started) * 1000,
        ttft_ms=(first - started) * 1000 if first is not None else None,
        output_tps=speed,
    )


def _delta_text(data: dict[str, Any]) -> str:
    choices = data.get("choices") or []
    if not choices:
        return ""
    delta = choices[0].get("delta") or {}
    content = delta.get("content")
    return content if isinstance(content, str) else ""


def _message_text(data: dict[str, Any]) -> str:
    choices = data.get("choices") or []
    if not choices:
        return ""
    content = (choices[0].get("message") or {}).get("content")
    return content if isinstance(content, str) else ""
