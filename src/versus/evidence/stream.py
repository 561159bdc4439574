"""A provider's answer, an SSE stream or one JSON body, read into a timed CallResult or a CallError.

Pure: the caller hands over the bytes as they arrive with the time each piece arrived, so any byte
sequence can be tested without a network. Whatever a provider sends becomes a CallResult or raises
CallError; nothing else escapes (a property test holds this to arbitrary input)."""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from typing import Any

MAX_LINE_CHARS = 1 << 20  # one SSE line; a chat-completion chunk is a few hundred characters
MAX_ANSWER_CHARS = 4_000_000  # answer and reasoning text kept from one call
MAX_TOKEN_COUNT = 10**9  # a usage count beyond this is not a count
_RETRYABLE_ERROR_TYPES = frozenset({"server_error", "overloaded_error", "overloaded", "rate_limit_exceeded", "timeout"})
_CONTROL = dict.fromkeys([*range(0x20), 0x7F], " ")
_decode = json.JSONDecoder().decode  # json.loads without its per-call checks: one call per chunk


class CallError(Exception):
    """A failed call: what kind, whether a retry may help, the HTTP status and the wait a provider
    asked for (Retry-After, in seconds) when there were some."""

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        retryable: bool,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind, self.retryable, self.status, self.retry_after = kind, retryable, status, retry_after


@dataclass(frozen=True)
class CallResult:
    text: str
    input_tokens: int | None
    output_tokens: int | None
    cached_tokens: int | None
    usage_estimated: bool
    latency_ms: float
    ttft_ms: float | None  # to the first streamed token of either kind, reasoning or answer
    answer_ttft_ms: float | None  # to the first answer token
    output_tps: float | None  # streamed output tokens (reasoning + answer) / seconds from first to last


@dataclass(frozen=True)
class Usage:
    input: int | None
    output: int | None
    cached: int | None
    reasoning: int | None


def is_retryable_status(status: int) -> bool:
    """408, 409, 429 and server errors may pass on a retry; any other 4xx will fail the same way again."""
    return status in (408, 409, 429) or (status >= 500 and status != 501)


def estimate_tokens(text: str) -> int:
    """A local token estimate for when a provider reports no usage: about one token per four characters
    of English, never fewer than the count of words and punctuation marks divided by 1.3."""
    if not text:
        return 0
    return max(1, round(len(text) / 4), round(len(re.findall(r"\w+|[^\w\s]", text)) / 1.3))


def clip(text: str, limit: int = 300) -> str:
    """Provider text fit for an error message: one line, bounded."""
    text = text.translate(_CONTROL).strip()
    return text if len(text) <= limit else text[:limit] + "…"


def provider_error(error: object) -> CallError:
    """The error a provider reported inside a 200 answer or a stream (`{"error": …}`, `event: error`)."""
    code: object = None
    if isinstance(error, dict):
        message, code = error.get("message"), error.get("code")
        if not isinstance(message, str):
            message = _shown(error)
        retryable = any(isinstance(v, str) and v in _RETRYABLE_ERROR_TYPES for v in (error.get("type"), code))
    else:
        message, retryable = error if isinstance(error, str) else _shown(error), False
    status = code if type(code) is int else None
    if isinstance(code, str) and len(code) == 3 and code.isascii() and code.isdigit():
        status = int(code)
    if status is not None and 100 <= status <= 599:
        retryable = retryable or is_retryable_status(status)
        message = f"{message} (code {status})"
    return CallError("provider", f"provider error: {clip(message)}", retryable=retryable)


def _shown(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)[:300]
    except (ValueError, RecursionError):  # pragma: no cover - parsed JSON always serialises back
        return type(value).__name__


def _malformed(what: str, kind: str = "stream") -> CallError:
    return CallError(kind, f"malformed {'stream chunk' if kind == 'stream' else 'answer'}: {what}", retryable=False)


def read_usage(usage: object, kind: str = "stream") -> Usage:
    """Token counts from a `usage` object; a count that is not a whole number in range is malformed."""
    if not isinstance(usage, dict):
        raise _malformed("usage is not an object", kind)
    prompt, completion = usage.get("prompt_tokens_details"), usage.get("completion_tokens_details")
    return Usage(
        input=_count(usage, "prompt_tokens", kind),
        output=_count(usage, "completion_tokens", kind),
        cached=_count(prompt, "cached_tokens", kind) if isinstance(prompt, dict) else None,
        reasoning=_count(completion, "reasoning_tokens", kind) if isinstance(completion, dict) else None,
    )


def _count(where: dict[str, Any], name: str, kind: str) -> int | None:
    value = where.get(name)
    if value is None or (type(value) is int and 0 <= value <= MAX_TOKEN_COUNT):
        return value
    raise _malformed(f"usage {name} is {clip(_shown(value), 40)}, not a token count", kind)


class StreamParser:
    """One server-sent event stream of chat-completion chunks: `feed` it bytes as they arrive, then
    `close` it and take its `result`. Stops at `data: [DONE]` (see `done`)."""

    def __init__(self) -> None:
        self.done = False  # `data: [DONE]` seen: the caller stops reading
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")  # a character may span two reads
        self._pending = ""  # an unfinished line
        self._data: list[str] = []  # data lines of the event being read
        self._event = ""
        self._finished = False  # a finish_reason seen
        self._answer: list[str] = []
        self._reasoning: list[str] = []
        self._chars = 0
        self._usage: Usage | None = None
        self._first: float | None = None
        self._first_answer: float | None = None
        self._last: float | None = None

    def feed(self, data: bytes, at: float) -> None:
        """Read the next bytes of the stream, received at time `at` (seconds, any monotonic clock)."""
        if self.done:
            return
        text = self._decoder.decode(data)
        buffer = self._pending + text if self._pending else text
        held = False
        if "\r" in buffer:  # SSE lines may end in CRLF, LF or a lone CR; a trailing CR waits for its LF
            held = buffer.endswith("\r")
            buffer = (buffer[:-1] if held else buffer).replace("\r\n", "\n").replace("\r", "\n")
        lines = buffer.split("\n")
        tail = lines.pop()
        self._pending = tail + "\r" if held else tail
        if len(self._pending) > MAX_LINE_CHARS:
            raise _malformed(f"a line longer than {MAX_LINE_CHARS:,} characters")
        for line in lines:
            if line.startswith("data:"):  # the usual line, read here rather than in _line
                self._data.append(line[6:] if line[5:6] == " " else line[5:])
            elif line or not self._data:
                self._line(line)
            else:
                self._dispatch(at)
                if self.done:
                    return

    def close(self, at: float) -> None:
        """The stream ended: read what is left, and refuse a stream that stopped before the answer ended."""
        self.feed(b"\n", at)  # ends an unfinished last line, a lone CR or a cut character included
        if self._data and not self.done:
            self._dispatch(at)
        if not (self.done or self._finished):
            raise CallError("stream", "the stream ended before the answer did (no [DONE])", retryable=True)

    def result(self, started: float, finished: float, prompt_text: str) -> CallResult:
        return build_result(
            "".join(self._answer),
            "".join(self._reasoning),
            self._usage,
            (self._first, self._first_answer, self._last),
            started,
            finished,
            prompt_text,
        )

    def _line(self, line: str) -> None:
        """Any line but a data line ending an event: a field, a comment, or a blank line with no data."""
        if not line:
            self._event = ""
        elif line[0] != ":":  # a line starting with a colon is a comment, e.g. `: keepalive`
            field, _, value = line.partition(":")
            value = value[1:] if value[:1] == " " else value
            if field == "data":
                self._data.append(value)
            elif field == "event":
                self._event = value

    def _dispatch(self, at: float) -> None:
        lines, self._data = self._data, []
        event, self._event = self._event, ""
        data = lines[0] if len(lines) == 1 else "\n".join(lines)
        if event == "error":
            try:
                payload = _decode(data)
            except (ValueError, RecursionError):
                raise provider_error(data) from None
            raise provider_error(payload.get("error", payload) if isinstance(payload, dict) else payload)
        if len(lines) > 1:
            try:
                chunk = _decode(data)
            except (ValueError, RecursionError):  # a provider that omits the blank line between events
                for line in lines:
                    if not self.done:
                        self._payload(line, at)
                return
            self._chunk(chunk, at)
            return
        self._payload(data, at)

    def _payload(self, data: str, at: float) -> None:
        if data == "[DONE]" or data.strip() == "[DONE]":
            self.done = True
            return
        try:
            chunk = _decode(data)
        except (ValueError, RecursionError):
            raise _malformed(f"not JSON: {clip(data, 80)!r}") from None
        self._chunk(chunk, at)

    def _chunk(self, chunk: object, at: float) -> None:
        if type(chunk) is not dict:
            raise _malformed(f"a {type(chunk).__name__}, not an object")
        if chunk.get("error") is not None:
            raise provider_error(chunk["error"])
        if chunk.get("usage") is not None:
            self._usage = read_usage(chunk["usage"])
        choices = chunk.get("choices")
        if not choices:
            return
        if type(choices) is not list or type(choices[0]) is not dict:
            raise _malformed("choices is not a list of objects")
        choice = choices[0]
        delta = choice.get("delta")
        if delta:
            if type(delta) is not dict:
                raise _malformed("delta is not an object")
            reasoning = delta.get("reasoning_content") or delta.get("reasoning")
            if reasoning and type(reasoning) is str:
                self._add(reasoning, at, self._reasoning)
            content = delta.get("content")
            if content:
                if type(content) is not str:
                    raise _malformed("delta content is not text")
                if self._first_answer is None:
                    self._first_answer = at
                self._add(content, at, self._answer)
        finish = choice.get("finish_reason")
        if finish is not None:
            if finish == "error":
                raise provider_error("the answer ended with finish_reason 'error'")
            self._finished = True

    def _add(self, text: str, at: float, parts: list[str]) -> None:
        if self._first is None:
            self._first = at
        self._last = at
        self._chars += len(text)
        if self._chars > MAX_ANSWER_CHARS:
            raise CallError("response", f"answer longer than {MAX_ANSWER_CHARS:,} characters", retryable=False)
        parts.append(text)


def parse_json_answer(body: bytes, started: float, at: float, prompt_text: str) -> CallResult:
    """A whole (non-streamed) chat completion received at time `at`."""
    try:
        answer = json.loads(body)
    except (ValueError, RecursionError):
        raise _malformed(f"not JSON: {clip(body.decode('utf-8', 'replace'), 80)!r}", "response") from None
    if type(answer) is not dict:
        raise _malformed(f"a {type(answer).__name__}, not an object", "response")
    if answer.get("error") is not None:
        raise provider_error(answer["error"])
    choices = answer.get("choices")
    if type(choices) is not list or not choices or type(choices[0]) is not dict:
        raise _malformed("no choices", "response")
    message = choices[0].get("message")
    if type(message) is not dict:
        raise _malformed("choices[0].message is not an object", "response")
    if choices[0].get("finish_reason") == "error":
        raise provider_error("the answer ended with finish_reason 'error'")
    text = message.get("content") or ""
    if type(text) is not str:
        raise _malformed("message content is not text", "response")
    reasoning = message.get("reasoning_content") or message.get("reasoning") or ""
    reasoning = reasoning if type(reasoning) is str else ""
    usage = read_usage(answer["usage"], "response") if answer.get("usage") is not None else None
    return build_result(text, reasoning, usage, (at, at if text else None, at), started, at, prompt_text)


def build_result(
    text: str,
    reasoning: str,
    usage: Usage | None,
    marks: tuple[float | None, float | None, float | None],
    started: float,
    finished: float,
    prompt_text: str,
) -> CallResult:
    """The measured call. `marks` are the times of the first token, the first answer token and the last
    token. Output speed counts the tokens that streamed over the time they streamed: reasoning tokens
    count when reasoning streamed, and are left out when the provider counted but did not stream them."""
    first, first_answer, last = marks
    measured_in = usage.input if usage else None
    measured_out = usage.output if usage else None
    input_tokens = measured_in if measured_in is not None else estimate_tokens(prompt_text)
    estimated_out = estimate_tokens(text) + estimate_tokens(reasoning) if measured_out is None else 0
    output_tokens = measured_out if measured_out is not None else estimated_out
    streamed = output_tokens
    if usage and usage.reasoning and not reasoning:
        streamed = max(output_tokens - usage.reasoning, 0)
    speed = None
    if first is not None and last is not None and last > first and streamed:
        speed = streamed / (last - first)
    return CallResult(
        text=text,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_tokens=usage.cached if usage else None,
        usage_estimated=measured_in is None or measured_out is None,
        latency_ms=(finished - started) * 1000,
        ttft_ms=(first - started) * 1000 if first is not None else None,
        answer_ttft_ms=(first_answer - started) * 1000 if first_answer is not None else None,
        output_tps=speed,
    )
