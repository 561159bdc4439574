"""What the page and API routes share: the live catalog, URLs, and answering from the page cache."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from versus.web.catalog_pages import popular_pairs
from versus.web.live import Catalog, LiveCatalog
from versus.web.pagecache import CACHE_CONTROL, CachedPage, PageKey
from versus.web.query import PageKeys
from versus.web.render import Urls

HTML = "text/html; charset=utf-8"


def cached_response(request: Request, page: CachedPage) -> Response:
    """A kept page: 304 when the browser has it, else its bytes (gzipped when the browser takes gzip)."""
    if request.headers.get("if-none-match") == page.etag:
        return Response(status_code=304, headers={"ETag": page.etag, "Cache-Control": page.cache_control})
    body, headers = page.headers(request.headers.get("accept-encoding", ""))
    response = Response(body, media_type=page.media_type)
    response.raw_headers = headers
    return response


@dataclass
class Web:
    """The app's state: the catalog it follows, its URLs, and (once every route is declared) the
    page keys that say which requests are the same page."""

    live: LiveCatalog
    urls: Urls
    keys: PageKeys | None = None

    def cache_key(self, catalog: Catalog, path: str, query_string: bytes) -> PageKey | None:
        canonical = self.keys.canonical(path, query_string) if self.keys else None
        return None if canonical is None else catalog.key(path, canonical)

    def cached(self, path: str, query_string: bytes) -> CachedPage | None:
        """The kept page for a request, answered before FastAPI's middleware (see CachedPages)."""
        catalog = self.live.current()
        key = self.cache_key(catalog, path, query_string)
        return catalog.pages.get(key) if key is not None else None

    def page(
        self,
        catalog: Catalog,
        request: Request,
        build: Callable[[], tuple[str, str]],
        cache_control: str = CACHE_CONTROL,
    ) -> Response:
        """A page from the cache, or built and kept: both keyed as CachedPages looks pages up."""
        key = self.cache_key(catalog, request.scope["path"], request.scope["query_string"])
        hit = catalog.pages.get(key) if key is not None else None
        if hit is None:
            body, media_type = build()
            hit = catalog.remember(key, body.encode(), media_type, cache_control)
        return cached_response(request, hit)

    def api(self, catalog: Catalog, request: Request, build: Callable[[], Any]) -> Response:
        """An API answer: the same JSON as the CLI's, kept like a page."""
        return self.page(catalog, request, lambda: (json.dumps(build(), ensure_ascii=False), "application/json"))

    def popular(self) -> list[dict[str, Any]]:
        """A few comparisons worth reading, for pages that have nothing else to show (an error)."""
        pairs = popular_pairs(self.live.current().catalog.summaries(), count=6)
        return [{"names": [a.name, b.name], "url": self.urls.compare([a.id, b.id])} for a, b in pairs]
