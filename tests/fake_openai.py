"""A local stand-in for an OpenAI-compatible provider: the real chat-completions protocol (SSE
streaming or JSON), with the behaviour a test asks for chosen by the first path segment.

Answers
  /echo/v1                  streams the last user message back, word by word, with usage
  /no-usage/v1              the same, without a usage chunk
  /json/v1                  answers with one JSON body even when asked to stream
  /reasoning/v1             streams 30 reasoning deltas 10 ms apart, then the answer, then usage
                            counting both (reasoning_tokens: 30)
  /slow-first-token-200/v1  waits 200 ms before the first token
  /slow-300/v1              takes 300 ms per answer
  /echo-key/v1              answers with the caller's API key in raw, escaped and truncated forms
Failures
  /rate-limit-once/v1       429 on the first try of each request, then success
  /retry-after-N/v1         429 with `Retry-After: N` on the first try, then success
  /retry-after-date-N/v1    the same with an HTTP date N seconds ahead
  /status-NNN/v1            always HTTP NNN with an OpenAI-style error body
  /error-500/v1             always 500
  /echo-key-error/v1        400 whose message quotes the caller's API key
  /hang/v1                  never answers
  /keepalive/v1             an SSE comment every 0.5 s for 8 s, then the answer
  /malformed/v1             a stream chunk that is not JSON
  /stream-error/v1          two words, then a mid-stream `data: {"error": …}` chunk (as OpenRouter sends)
  /event-error/v1           two words, an `event: error` frame, then [DONE]
  /json-error/v1            HTTP 200 whose JSON body is only `{"error": …}`
  /json-no-type/v1          HTTP 200, a complete JSON answer with no content type
  /chunk-list/v1            a `data: [1,2]` chunk
  /choices-null/v1          a `choices: [null]` chunk
  /usage-strings/v1         usage counts sent as strings
  /truncated/v1             two words, then the stream stops: no finish_reason, no [DONE]
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter, defaultdict
from email.utils import formatdate
from typing import Any
from urllib.parse import quote, quote_plus

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


def chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> str:
    body = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n"


def key_forms(key: str) -> str:
    """Every way a careless provider might echo a key back."""
    return (
        f"raw {key} | json {json.dumps({'key': key})} | repr {key!r} | url {quote(key, safe='')} | "
        f"plus {quote_plus(key)} | truncated {key[:10]}… | tail …{key[-9:]}"
    )


class FakeProvider:
    def __init__(self, required_key: str | None = None) -> None:
        self.required_key = required_key
        self.calls: Counter[str] = Counter()
        self.seen_keys: set[str] = set()
        self.tries: defaultdict[str, list[float]] = defaultdict(list)  # behaviour:prompt -> perf_counter times
        self.app = Starlette(routes=[Route("/{behaviour}/v1/chat/completions", self.chat, methods=["POST"])])

    async def chat(self, request: Request) -> Response:
        behaviour = request.path_params["behaviour"]
        auth = request.headers.get("authorization", "")
        self.seen_keys.add(auth)
        key = auth.removeprefix("Bearer ")
        if behaviour == "echo-key-error":
            message = f"Incorrect API key provided: {key[:12]}****{key[-4:]}; you sent {json.dumps(key)}"
            return JSONResponse({"error": {"message": message}}, status_code=400)
        if self.required_key and auth != f"Bearer {self.required_key}":
            return JSONResponse({"error": {"message": "invalid api key"}}, status_code=401)
        body = await request.json()
        text = body["messages"][-1]["content"]
        self.calls[behaviour] += 1
        self.tries[f"{behaviour}:{text}"].append(time.perf_counter())
        tries = len(self.tries[f"{behaviour}:{text}"])
        failure = self._failure(behaviour, tries)
        if failure is not None:
            return failure
        if behaviour == "hang":
            await asyncio.sleep(3600)
        if behaviour == "echo-key":
            text = key_forms(key)
        words = text.split()
        usage: dict[str, Any] = {
            "prompt_tokens": 10 + len(words),
            "completion_tokens": len(words),
            "total_tokens": 10 + 2 * len(words),
        }
        if behaviour == "usage-strings":
            usage = {k: str(v) for k, v in usage.items()}
        if behaviour == "reasoning":
            usage["completion_tokens"] += 30
            usage["completion_tokens_details"] = {"reasoning_tokens": 30}
        if behaviour in ("json", "json-no-type") or not body.get("stream"):
            answer = {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": usage,
            }
            if behaviour == "json-no-type":
                return Response(json.dumps(answer).encode())  # no media type: no Content-Type header
            return JSONResponse(answer)
        return StreamingResponse(self._stream(behaviour, body["model"], words, usage), media_type="text/event-stream")

    def _failure(self, behaviour: str, tries: int) -> Response | None:
        if behaviour == "error-500":
            return JSONResponse({"error": {"message": "upstream exploded"}}, status_code=500)
        if behaviour.startswith("status-"):
            status = int(behaviour.removeprefix("status-"))
            return JSONResponse(
                {"error": {"message": f"fake status {status}", "type": "invalid_request_error"}}, status
            )
        if behaviour == "json-error":
            error = {"message": "The model `nope` does not exist", "type": "invalid_request_error"}
            return JSONResponse({"error": error})
        if tries == 1 and behaviour == "rate-limit-once":
            return JSONResponse({"error": {"message": "slow down"}}, status_code=429)
        if tries == 1 and behaviour.startswith("retry-after-date-"):
            when = formatdate(time.time() + int(behaviour.rsplit("-", 1)[1]), usegmt=True)
            return JSONResponse({"error": {"message": "slow down"}}, status_code=429, headers={"Retry-After": when})
        if tries == 1 and behaviour.startswith("retry-after-"):
            seconds = behaviour.removeprefix("retry-after-")
            return JSONResponse({"error": {"message": "slow down"}}, status_code=429, headers={"Retry-After": seconds})
        return None

    async def _stream(self, behaviour: str, model: str, words: list[str], usage: dict[str, Any]) -> Any:
        if behaviour.startswith("slow-first-token-"):
            await asyncio.sleep(int(behaviour.rsplit("-", 1)[1]) / 1000)
        if behaviour.startswith("slow-") and not behaviour.startswith("slow-first-token-"):
            await asyncio.sleep(int(behaviour.rsplit("-", 1)[1]) / 1000)
        if behaviour == "keepalive":
            for _ in range(16):
                yield ": keepalive\n\n"
                await asyncio.sleep(0.5)
        hostile = {
            "malformed": "data: {this is not json\n\n",
            "chunk-list": "data: [1,2]\n\n",
            "choices-null": 'data: {"id": "chatcmpl-fake", "choices": [null]}\n\n',
        }
        if behaviour in hostile:
            yield hostile[behaviour]
        if behaviour == "reasoning":
            for index in range(30):
                yield chunk(model, {"reasoning_content": f"thought {index}. "})
                await asyncio.sleep(0.01)
        for index, word in enumerate(words):
            yield chunk(model, {"content": word if index == 0 else " " + word})
            await asyncio.sleep(0.002)
            if index == 1 and behaviour == "stream-error":
                error = {"message": "upstream overloaded", "code": 502}
                yield f"data: {json.dumps({'id': 'chatcmpl-fake', 'error': error, 'choices': []})}\n\n"
                return
            if index == 1 and behaviour == "event-error":
                yield 'event: error\ndata: {"error": {"message": "the provider dropped the answer"}}\n\n'
                yield "data: [DONE]\n\n"
                return
            if index == 1 and behaviour == "truncated":
                return
        yield chunk(model, {}, "stop")
        if behaviour != "no-usage":
            yield f"data: {json.dumps({'id': 'chatcmpl-fake', 'choices': [], 'usage': usage})}\n\n"
        yield "data: [DONE]\n\n"
