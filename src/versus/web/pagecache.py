"""Rendered pages kept in memory, bounded by bytes, and served before any routing."""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

CACHE_CONTROL = "public, max-age=300"
# What the cache may hold in total. A compare page is ~150 KB, so this keeps several hundred of
# them; counting bytes rather than entries means no query can make one entry cost megabytes more.
PAGE_CACHE_BYTES = 64 * 1024 * 1024
# Python's own bookkeeping per entry (key tuple, strings, dict slot), counted so that many tiny
# entries cannot exceed the budget either.
ENTRY_OVERHEAD = 512

PageKey = tuple[str, str]


# Bodies shorter than this are sent as they are: gzip would save less than its own header costs.
GZIP_ABOVE = 1024


class CachedPage:
    """A rendered answer and its ETag; its gzip form is made once, on the first request that accepts it."""

    __slots__ = ("_gzipped", "body", "cache_control", "etag", "media_type")

    def __init__(self, etag: str, body: bytes, media_type: str, cache_control: str = CACHE_CONTROL) -> None:
        self.etag, self.body, self.media_type, self.cache_control = etag, body, media_type, cache_control
        self._gzipped: bytes | None = None

    def encoded(self, accept_encoding: str) -> tuple[bytes, bool]:
        """The body to send, and whether it is gzipped (when the client accepts gzip and it pays)."""
        if len(self.body) < GZIP_ABOVE or "gzip" not in accept_encoding:
            return self.body, False
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzipped, True

    def headers(self, accept_encoding: str) -> tuple[bytes, list[tuple[bytes, bytes]]]:
        """The body and every header of a 200 answer."""
        body, zipped = self.encoded(accept_encoding)
        headers = [
            (b"etag", self.etag.encode()),
            (b"cache-control", self.cache_control.encode()),
            (b"content-type", self.media_type.encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        if len(self.body) >= GZIP_ABOVE:
            headers.append((b"vary", b"Accept-Encoding"))
        if zipped:
            headers.append((b"content-encoding", b"gzip"))
        return body, headers


class PageCache:
    """Least recently used pages within a byte budget; safe to share between the event loop and
    the thread pool that runs page handlers."""

    def __init__(self, budget: int = PAGE_CACHE_BYTES) -> None:
        self.budget = budget
        self.size = 0
        self._pages: OrderedDict[PageKey, tuple[CachedPage, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, key: PageKey) -> CachedPage | None:
        with self._lock:
            hit = self._pages.get(key)
            if hit is None:
                return None
            self._pages.move_to_end(key)
            return hit[0]

    def put(self, key: PageKey, page: CachedPage) -> None:
        """Keep `page`, dropping the least recently used until it fits; a page bigger than an
        eighth of the budget is served but not kept (it would evict too much)."""
        cost = len(page.body) + len(page.etag) + len(page.media_type) + len(key[0]) + len(key[1]) + ENTRY_OVERHEAD
        if cost > self.budget // 8:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self.size -= old[1]
            while self._pages and self.size + cost > self.budget:
                _, (_, dropped) = self._pages.popitem(last=False)
                self.size -= dropped
            self._pages[key] = (page, cost)
            self.size += cost


class CachedPages:
    """ASGI middleware: a page already rendered is answered from memory, before the framework
    routes the request. A cached comparison page costs a key computation and a dictionary look-up."""

    def __init__(self, app: Any, lookup: Callable[[str, bytes], CachedPage | None]) -> None:
        self.app, self.lookup = app, lookup

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD":
            await self.app({**scope, "method": "GET"}, receive, _without_body(send))
            return
        if scope["type"] == "http" and scope["method"] == "GET":
            hit = self.lookup(scope["path"], scope["query_string"])
            if hit is not None:
                if (b"if-none-match", hit.etag.encode()) in scope["headers"]:
                    headers = [(b"etag", hit.etag.encode()), (b"cache-control", hit.cache_control.encode())]
                    await send({"type": "http.response.start", "status": 304, "headers": headers})
                    await send({"type": "http.response.body", "body": b""})
                    return
                accept = next((v for k, v in scope["headers"] if k == b"accept-encoding"), b"").decode("latin-1")
                body, headers = hit.headers(accept)
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def _without_body(send: Any) -> Any:
    """A send that drops the body: HEAD answers with GET's status and headers only."""

    async def head_send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return head_send
