"""The catalog a server serves: one generation at a time, with its rendered pages, followed without restart.

A request reads one `Catalog` snapshot from start to end: its services are pinned to one generation,
which a rebuild keeps until the next one, so a page never mixes two catalogs. `LiveCatalog` looks at
most every `CHECK_EVERY` seconds whether a rebuild (by `versus rebuild`, `versus sync` or another
server) or new local evidence changed the database, and then serves a fresh snapshot with an empty
page cache.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from datetime import date

from versus.services import Services
from versus.services.catalog import CatalogService
from versus.services.comparison import ComparisonService
from versus.web.pagecache import CACHE_CONTROL, PAGE_CACHE_BYTES, CachedPage, PageCache, PageKey
from versus.web.query import check_name

CHECK_EVERY = 0.5  # seconds between looks at the database for a new catalog or new evidence


class Catalog:
    """One catalog generation, its services and its rendered pages."""

    def __init__(
        self, services: Services, today: Callable[[], date] = date.today, page_cache_bytes: int = PAGE_CACHE_BYTES
    ) -> None:
        self.services = services
        self.catalog: CatalogService = services.catalog
        self.service: ComparisonService = services.comparisons
        meta = self.catalog.meta()
        self.version = hashlib.sha256(json.dumps(meta, sort_keys=True).encode()).hexdigest()[:12]
        self.today = today
        self.pages = PageCache(page_cache_bytes)

    @property
    def model_ids(self) -> frozenset[str]:
        """Every canonical id of this generation: a set look-up, where reading a model costs ~3 ms."""
        return self.catalog.model_ids

    def model_id(self, name: str) -> str:
        """The canonical id a name means (NotFound with suggestions, answered as a 404)."""
        return self.catalog.find(check_name(name))

    def key(self, path: str, canonical_query: str) -> PageKey:
        """Pages depend on the catalog (one per snapshot), the path, the canonical query and today's date."""
        return (path, f"{self.today().isoformat()}?{canonical_query}")

    def remember(
        self, key: PageKey | None, body: bytes, media_type: str, cache_control: str = CACHE_CONTROL
    ) -> CachedPage:
        """A rendered page with its ETag, kept under `key` (None: a page no cache key describes)."""
        page = CachedPage(f'"{self.version}-{hashlib.sha1(body).hexdigest()[:16]}"', body, media_type, cache_control)
        if key is not None:
            self.pages.put(key, page)
        return page


class LiveCatalog:
    """The newest catalog generation in one database, and the local evidence recorded in it."""

    def __init__(
        self,
        services: Services,
        today: Callable[[], date] = date.today,
        page_cache_bytes: int = PAGE_CACHE_BYTES,
        check_every: float = CHECK_EVERY,
    ) -> None:
        self.today, self.page_cache_bytes, self.check_every = today, page_cache_bytes, check_every
        self._token = services.change_token()
        self._current = Catalog(services, today, page_cache_bytes)
        self._next_check = time.monotonic() + check_every
        self._lock = threading.Lock()

    @property
    def pages(self) -> PageCache:
        return self.current().pages

    def current(self) -> Catalog:
        """The snapshot to serve this request from (a new one when the database changed)."""
        now = time.monotonic()
        if now < self._next_check:
            return self._current
        with self._lock:
            if now >= self._next_check:
                self._next_check = now + self.check_every
                newest = self._current.services.newest()
                token = newest.change_token()
                if token != self._token and token[0] is not None:
                    self._current = Catalog(newest, self.today, self.page_cache_bytes)
                    self._token = token
        return self._current
