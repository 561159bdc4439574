"""A local stand-in for an OpenAI-compatible provider: the real chat-completions protocol (SSE
streaming or JSON), with the failure a test asks for chosen by the first path segment.

  /echo/v1                  streams the last user message back, word by word, with usage
  /no-usage/v1              the same, without a usage chunk
  /json/v1                  answers with one JSON body even when asked to stream
  /slow-first-token-200/v1  waits 200 ms before the first token
  /slow-300/v1              takes 300 ms per answer
  /rate-limit-once/v1       429 on the first try of each request, then success
  /error-500/v1             always 500
  /hang/v1                  never answers
  /malformed/v1             a stream chunk that is not JSON
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


class FakeProvider:
    def __init__(self, required_key: str | None = None) -> None:
        self.required_key = required_key
        self.calls: Counter[str] = Counter()
        self.seen_keys: set[str] = set()
        self.app = Starlette(routes=[Route("/{behaviour}/v1/chat/completions", self.chat, methods=["POST"])])

    async def chat(self, request: Request) -> Response:
        behaviour = request.path_params["behaviour"]
        auth = request.headers.get("authorization", "")
        self.seen_keys.add(auth)
        if self.required_key and auth != f"Bearer {self.required_key}":
            return JSONResponse({"error": {"message": "invalid api key"}}, status_code=401)
        body = await request.json()
        text = body["messages"][-1]["content"]
        self.calls[behaviour] += 1
        tries = self.calls[f"{behaviour}:{text}"] = self.calls[f"{behaviour}:{text}"] + 1
        if behaviour == "error-500":
            return JSONResponse({"error": {"message": "upstream exploded"}}, status_code=500)
        if behaviour == "rate-limit-once" and tries == 1:
            return JSONResponse({"error": {"message": "slow down"}}, status_code=429)
        if behaviour == "hang":
            await asyncio.sleep(3600)
        words = text.split()
        usage = {"prompt_tokens": 10 + len(words), "completion_tokens": len(words), "total_tokens": 10 + 2 * len(words)}
        if behaviour == "json" or not body.get("stream"):
            return JSONResponse(
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body["model"],
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                    ],
                    "usage": usage,
                }
            )
        return StreamingResponse(self._stream(behaviour, body["model"], words, usage), media_type="text/event-stream")

    async def _stream(self, behaviour: str, model: str, words: list[str], usage: dict[str, int]) -> Any:
        if behaviour.startswith("slow-first-token-"):
            await asyncio.sleep(int(behaviour.rsplit("-", 1)[1]) / 1000)
        if behaviour.startswith("slow-") and not behaviour.startswith("slow-first-token-"):
            await asyncio.sleep(int(behaviour.rsplit("-", 1)[1]) / 1000)
        if behaviour == "malformed":
            yield "data: {this is not json\n\n"
            return
        for index, word in enumerate(words):
            chunk = {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "model": model,
                "choices": [{"index": 0, "delta": {"content": word if index == 0 else " " + word}}],
            }
            yield f"data: {json.dumps(chunk)}\n\n"
            await asyncio.sleep(0.002)
        final = {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "model": model,
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        }
        yield f"data: {json.dumps(final)}\n\n"
        if behaviour != "no-usage":
            yield f"data: {json.dumps({'id': 'chatcmpl-fake', 'choices': [], 'usage': usage})}\n\n"
        yield "data: [DONE]\n\n"
