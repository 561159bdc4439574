"""Reading provider answers without a network: hand-made SSE byte sequences and JSON bodies, and
property tests that no input raises anything but CallError."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from versus.evidence.client import parse_retry_after
from versus.evidence.stream import (
    MAX_LINE_CHARS,
    CallError,
    CallResult,
    StreamParser,
    parse_json_answer,
    provider_error,
)


def sse(*events: object) -> bytes:
    """`data:` events, each a JSON value or a raw string."""
    return b"".join(f"data: {e if isinstance(e, str) else json.dumps(e)}\n\n".encode() for e in events)


def delta(content: str | None = None, reasoning: str | None = None, finish: str | None = None) -> dict[str, Any]:
    part: dict[str, Any] = {}
    if content is not None:
        part["content"] = content
    if reasoning is not None:
        part["reasoning_content"] = reasoning
    return {"choices": [{"index": 0, "delta": part, "finish_reason": finish}]}


USAGE = {"usage": {"prompt_tokens": 12, "completion_tokens": 3}, "choices": []}
GOOD = sse(delta("Hello"), delta(" there"), delta(" you"), delta(finish="stop"), USAGE, "[DONE]")


def parse(pieces: list[bytes], times: list[float] | None = None) -> CallResult:
    parser = StreamParser()
    for index, piece in enumerate(pieces):
        parser.feed(piece, times[index] if times else 1.0 + index)
        if parser.done:
            break
    parser.close(100.0)
    return parser.result(0.0, 100.0, "prompt")


def test_a_stream_gives_text_usage_and_timings() -> None:
    events = [sse(delta("Hello")), sse(delta(" there")), sse(delta(" you"), delta(finish="stop"), USAGE, "[DONE]")]
    result = parse(events, [1.0, 1.5, 2.0])
    assert result.text == "Hello there you"
    assert (result.input_tokens, result.output_tokens, result.usage_estimated) == (12, 3, False)
    assert result.ttft_ms == result.answer_ttft_ms == 1000.0
    assert result.output_tps == pytest.approx(3 / 1.0)  # 3 tokens from the first (1.0 s) to the last (2.0 s)
    assert result.latency_ms == 100_000.0


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_line_endings_split_anywhere_read_the_same(newline: bytes) -> None:
    body = GOOD.replace(b"\n", newline)
    for cut in range(1, len(body)):
        assert parse([body[:cut], body[cut:]]).text == "Hello there you", cut


def test_comments_and_other_fields_are_ignored() -> None:
    body = b": keepalive\n\nid: 7\nretry: 100\nevent: message\n" + GOOD
    assert parse([body]).text == "Hello there you"


def test_events_without_blank_lines_between_them_are_read_one_per_line() -> None:
    body = GOOD.replace(b"\n\n", b"\n") + b"\n"
    assert parse([body]).text == "Hello there you"


def test_reasoning_streams_count_toward_speed_and_ttft() -> None:
    usage = {
        "usage": {"prompt_tokens": 5, "completion_tokens": 40, "completion_tokens_details": {"reasoning_tokens": 30}}
    }
    pieces = [sse(delta(reasoning="Let me think.")), sse(delta(reasoning=" Done.")), sse(delta("Yes.", finish="stop"))]
    result = parse([*pieces, sse(usage, "[DONE]")], [1.0, 3.0, 5.0, 5.0])
    assert result.text == "Yes."
    assert result.ttft_ms == 1000.0 and result.answer_ttft_ms == 5000.0
    assert result.output_tps == pytest.approx(40 / 4.0)  # all 40 tokens streamed from 1.0 s to 5.0 s


def test_hidden_reasoning_is_left_out_of_the_speed() -> None:
    """A provider that counts 30 reasoning tokens but streams none: 10 answer tokens over 2 s."""
    usage = {
        "usage": {"prompt_tokens": 5, "completion_tokens": 40, "completion_tokens_details": {"reasoning_tokens": 30}}
    }
    result = parse([sse(delta("a")), sse(delta("b"), delta(finish="stop"), usage, "[DONE]")], [1.0, 3.0])
    assert result.output_tokens == 40 and result.output_tps == pytest.approx(10 / 2.0)


def test_missing_usage_is_estimated_from_answer_and_reasoning() -> None:
    result = parse([sse(delta(reasoning="one two three four"), delta("five six", finish="stop"), "[DONE]")])
    assert result.usage_estimated and result.output_tokens == 6 and result.input_tokens == 2


@pytest.mark.parametrize(
    ("body", "kind", "message"),
    [
        (sse(delta("Hi"), {"error": {"message": "upstream overloaded", "code": 502}}), "provider", "overloaded"),
        (
            sse(delta("Hi")) + b'event: error\ndata: {"error": {"message": "dropped"}}\n\n' + sse("[DONE]"),
            "provider",
            "dropped",
        ),
        (b"event: error\ndata: not json at all\n\n", "provider", "not json at all"),
        (b'event: error\r\ndata: {"error": {"message": "cut short"}}\r', "provider", "cut short"),
        (sse(delta("Hi", finish="error"), "[DONE]"), "provider", "finish_reason 'error'"),
        (sse([1, 2]), "stream", "a list, not an object"),
        (sse({"choices": [None]}), "stream", "choices"),
        (sse({"choices": {"0": {}}}), "stream", "choices"),
        (sse({"choices": [{"delta": "text"}]}), "stream", "delta"),
        (sse({"choices": [{"delta": {"content": ["a"]}}]}), "stream", "content"),
        (sse({"usage": {"prompt_tokens": "12", "completion_tokens": 3}}), "stream", 'prompt_tokens is "12"'),
        (sse({"usage": {"completion_tokens": -1}}), "stream", "completion_tokens is -1"),
        (sse({"usage": {"completion_tokens": True}}), "stream", "completion_tokens is true"),
        (sse({"usage": {"completion_tokens": 10**30}}), "stream", "not a token count"),
        (sse({"usage": [3]}), "stream", "usage is not an object"),
        (b"data: {this is not json\n\n", "stream", "not JSON"),
        (b"data: " + b"[" * 100_000 + b"\n\n", "stream", "not JSON"),
        (b"data: \xff\xfe\n\n", "stream", "not JSON"),
        (sse(delta("Hi"), delta(" there")), "stream", "ended before the answer"),
        (b"", "stream", "ended before the answer"),
    ],
)
def test_every_protocol_failure_is_a_call_error(body: bytes, kind: str, message: str) -> None:
    with pytest.raises(CallError) as error:
        parse([body])
    assert error.value.kind == kind and message in str(error.value), str(error.value)


def test_retryable_provider_errors() -> None:
    assert provider_error({"message": "x", "code": 502}).retryable
    assert provider_error({"message": "x", "code": "429"}).retryable
    assert provider_error({"message": "x", "type": "server_error"}).retryable
    assert not provider_error({"message": "x", "type": "invalid_request_error", "code": 400}).retryable
    assert not provider_error({"message": "x", "type": ["unhashable"], "code": {"a": 1}}).retryable
    assert not provider_error("plain text").retryable
    assert not provider_error({"message": "x", "code": "٣٠٠"}).retryable  # digits, but not ASCII ones


def test_a_line_without_end_is_bounded() -> None:
    parser = StreamParser()
    with pytest.raises(CallError, match="longer than"):
        for _ in range(MAX_LINE_CHARS // 65536 + 2):
            parser.feed(b"x" * 65536, 1.0)


def test_anything_after_done_is_ignored() -> None:
    parser = StreamParser()
    parser.feed(GOOD + b"data: [1, 2]\n\n", 1.0)
    assert parser.done
    parser.feed(b"data: {broken\n\n", 2.0)
    parser.close(3.0)
    assert parser.result(0.0, 3.0, "p").text == "Hello there you"


ANSWER = {"choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi"}, "finish_reason": "stop"}]}


@pytest.mark.parametrize(
    ("body", "kind", "message"),
    [
        ({"error": {"message": "The model `nope` does not exist"}}, "provider", "does not exist"),
        ({"error": "quota exceeded"}, "provider", "quota exceeded"),
        ({"choices": []}, "response", "no choices"),
        ({"choices": [None]}, "response", "no choices"),
        ({"choices": [{"message": "Hi"}]}, "response", "message is not an object"),
        ({"choices": [{"message": {"content": 5}}]}, "response", "content is not text"),
        ({**ANSWER, "usage": {"prompt_tokens": 1.5}}, "response", "not a token count"),
        ([ANSWER], "response", "a list, not an object"),
    ],
)
def test_json_answers_that_are_failures(body: object, kind: str, message: str) -> None:
    with pytest.raises(CallError) as error:
        parse_json_answer(json.dumps(body).encode(), 0.0, 1.0, "prompt")
    assert error.value.kind == kind and message in str(error.value)


def test_a_json_answer_is_read() -> None:
    body = {
        **ANSWER,
        "usage": {"prompt_tokens": 7, "completion_tokens": 1, "prompt_tokens_details": {"cached_tokens": 4}},
    }
    result = parse_json_answer(json.dumps(body).encode(), 0.0, 0.25, "prompt")
    assert (result.text, result.input_tokens, result.cached_tokens, result.ttft_ms) == ("Hi", 7, 4, 250.0)
    assert result.output_tps is None  # one body, no stream to time


NOW = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("1", 1.0),
        (" 2.5 ", 2.5),
        ("0", 0.0),
        (format_datetime(NOW + timedelta(seconds=30), usegmt=True), 30.0),
        (format_datetime(NOW - timedelta(seconds=30), usegmt=True), 0.0),
        ("Fri, 27 Nov 2026 12:00:05 GMT", 5.0),
        (None, None),
        ("", None),
        ("-1", None),
        ("nan", None),
        ("inf", None),
        ("soon", None),
        ("Fri, 99 Nov 2026 12:00:05 GMT", None),
    ],
)
def test_retry_after_in_seconds_or_as_a_date(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, NOW) == seconds


@given(st.text(max_size=60))
def test_retry_after_never_raises(value: str) -> None:
    wait = parse_retry_after(value, NOW)
    assert wait is None or wait >= 0


# --- properties: whatever a provider sends, the only exception is CallError -----------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)
KEYS = st.sampled_from(["choices", "delta", "content", "reasoning", "usage", "error", "finish_reason", "message"])
CHUNKS = st.recursive(
    JSON,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=16,
)
LINES = st.lists(
    st.one_of(
        CHUNKS.map(lambda value: b"data: " + json.dumps(value).encode()),
        st.sampled_from([b"", b"data: [DONE]", b": ping", b"event: error", b"event: message", b"data:", b"\r"]),
        st.binary(max_size=20),
    ),
    max_size=12,
)


def _feed_all(pieces: list[bytes]) -> None:
    parser = StreamParser()
    with contextlib.suppress(CallError):
        for at, piece in enumerate(pieces):
            parser.feed(piece, float(at))
        parser.close(99.0)
        parser.result(0.0, 100.0, "p")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(LINES, st.integers(min_value=1, max_value=7))
def test_any_sequence_of_sse_lines_only_raises_call_error(lines: list[bytes], step: int) -> None:
    body = b"\n".join(lines) + b"\n\n"
    _feed_all([body[i : i + step] for i in range(0, len(body), step)])


@given(st.lists(st.binary(max_size=40), max_size=8))
def test_any_bytes_only_raise_call_error(pieces: list[bytes]) -> None:
    _feed_all(pieces)


@given(st.one_of(CHUNKS.map(lambda value: json.dumps(value).encode()), st.binary(max_size=40)))
def test_any_json_answer_only_raises_call_error(body: bytes) -> None:
    with contextlib.suppress(CallError):
        parse_json_answer(body, 0.0, 1.0, "p")


@given(st.lists(st.sampled_from(["Hello", " there", " é", "\n", " 🙂", ""]), min_size=1, max_size=6), st.data())
def test_chunk_boundaries_never_change_the_answer(words: list[str], data: st.DataObject) -> None:
    body = sse(*(delta(w) for w in words), delta(finish="stop"), "[DONE]")
    cuts = sorted(data.draw(st.sets(st.integers(1, len(body) - 1), max_size=6)))
    pieces = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]
    assert parse(pieces).text == "".join(words)
