"""A local stand-in for the public hosts `versus sync` fetches from: real HTTP on loopback, conditional
requests (ETag and Last-Modified, answered with 304), and the failures a test asks for per path."""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@dataclass
class Published:
    body: bytes
    modified: date
    status: int = 200  # any other status: answered as that error, body and all
    delay: float = 0.0  # seconds before answering (a timeout when longer than the client waits)
    truncate: bool = False  # send only the first half of the body


class SourceServer:
    def __init__(self) -> None:
        self.files: dict[str, Published] = {}
        self.requests: Counter[str] = Counter()
        self.conditional: Counter[str] = Counter()
        self.app = Starlette(routes=[Route("/{path:path}", self.serve, methods=["GET"])])

    def publish(self, path: str, body: bytes, modified: date, **behaviour: object) -> None:
        self.files[path.lstrip("/")] = Published(body, modified, **behaviour)  # type: ignore[arg-type]

    async def serve(self, request: Request) -> Response:
        path = request.path_params["path"]
        self.requests[path] += 1
        published = self.files.get(path)
        if published is None:
            return Response(b"not found", status_code=404)
        if published.delay:
            await asyncio.sleep(published.delay)
        if published.status != 200:
            return Response(b'{"error": "upstream exploded"}', status_code=published.status)
        body = published.body[: len(published.body) // 2] if published.truncate else published.body
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        modified = email.utils.format_datetime(
            datetime(published.modified.year, published.modified.month, published.modified.day, tzinfo=UTC),
            usegmt=True,
        )
        headers = {"ETag": etag, "Last-Modified": modified}
        if request.headers.get("if-none-match") == etag or (
            "if-none-match" not in request.headers and request.headers.get("if-modified-since") == modified
        ):
            self.conditional[path] += 1
            return Response(status_code=304, headers=headers)
        return Response(body, headers=headers, media_type="application/json")
