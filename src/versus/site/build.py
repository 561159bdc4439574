"""`versus site build`: a static site of comparison pages, written incrementally by content hash."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from versus.analysis.traffic import Blend, TrafficProfile
from versus.catalog.store import CatalogStore
from versus.catalog.types import CAPABILITIES
from versus.service import ComparisonService
from versus.web.pages import compare_context, home_context, model_context, provider_context
from versus.web.render import STATIC, Urls, render

MANIFEST = ".versus-site.json"


@dataclass
class SiteReport:
    pages: int
    compare_pages: int
    written: int
    unchanged: int
    removed: int
    seconds: float


def choose_models(store: CatalogStore, top: int) -> list[str]:
    """The `top` models with the most pay-per-token routes (ties by id)."""
    counts = store.pay_per_token_route_counts()
    ranked = sorted(counts, key=lambda model_id: (-counts[model_id], model_id))
    return ranked[:top]


def _page_file(url: str) -> str:
    """Site-relative file for a page URL: `/compare/a-vs-b/` -> `compare/a-vs-b/index.html`."""
    path = url.lstrip("/")
    return f"{path}index.html" if path.endswith("/") or not path else path


def build_site(
    store: CatalogStore,
    model_ids: list[str],
    out: Path,
    *,
    base_url: str,
    today: date | None = None,
    progress: bool = False,
) -> SiteReport:
    """Render every page, then write only those whose bytes changed since the last build here."""
    started = time.perf_counter()
    today = today or date.today()
    chosen = sorted(set(model_ids))
    pages = dict(
        _pages(store, chosen, today, Urls(static_site=True, base=base_url))
    )  # file -> bytes, rendered lazily below
    manifest_path = out / MANIFEST
    old: dict[str, str] = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    new: dict[str, str] = {}
    written = unchanged = 0
    for file, content in _with_progress(pages.items(), len(pages), progress):
        body = content() if callable(content) else content
        digest = hashlib.sha256(body).hexdigest()
        new[file] = digest
        target = out / file
        if old.get(file) == digest and target.exists():
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        written += 1
    removed = 0
    for file in set(old) - set(new):
        (out / file).unlink(missing_ok=True)
        removed += 1
    sitemap = _sitemap(base_url, [f for f in new if f.endswith(".html")])
    (out / "sitemap.xml").write_bytes(sitemap)
    manifest_path.write_text(json.dumps(new, sort_keys=True, indent=0))
    compare_pages = sum(1 for f in new if f.startswith("compare/"))
    return SiteReport(len(new), compare_pages, written, unchanged, removed, time.perf_counter() - started)


def _pages(
    store: CatalogStore, chosen: list[str], today: date, urls: Urls
) -> Iterator[tuple[str, Callable[[], bytes] | bytes]]:
    service = ComparisonService(store)
    in_site = set(chosen)
    summaries = {m.id: m for m in store.summaries()}
    profile, blend = TrafficProfile(), Blend()

    def site_has(ids: list[str]) -> bool:
        return all(i in in_site for i in ids)

    home = home_context(store, urls, live=False, in_site=in_site)
    yield "index.html", render("home.html", **home, search_index="/search-index.json").encode()
    index = [
        {
            "id": m,
            "name": summaries[m].name,
            "creator": summaries[m].creator,
            "routes": summaries[m].routes,
            "capabilities": [c for c in CAPABILITIES if summaries[m].capabilities.get(c) is True],
            "url": urls.model(m),
        }
        for m in chosen
    ]
    yield "search-index.json", json.dumps(index, ensure_ascii=False).encode()
    for name in ("site.css", "app.js"):
        yield f"static/{name}", (STATIC / name).read_bytes()

    providers_used: set[str] = set()
    for model_id in chosen:
        model = store.model(model_id)
        assert model is not None
        context = model_context(store, model, urls)
        providers_used.update(o.provider_id for o in store.offerings(model_id))

        def model_page(context: dict[str, Any] = context) -> bytes:
            return render("model.html", **context).encode()

        yield _page_file(urls.model(model_id)), model_page
    for provider, _ in store.providers():
        if provider.id in providers_used:
            context = provider_context(store, provider, urls, in_site=in_site)

            def provider_page(context: dict[str, Any] = context) -> bytes:
                return render("provider.html", **context).encode()

            yield _page_file(urls.provider(provider.id)), provider_page
    for a, b in combinations(chosen, 2):

        def compare_page(ids: list[str] = [a, b]) -> bytes:  # noqa: B006 (bound per pair, never mutated)
            context = compare_context(service, ids, profile, blend, today, urls, live=False, in_site=site_has)
            return render("compare.html", **context).encode()

        yield _page_file(urls.compare([a, b])), compare_page


def _sitemap(base_url: str, files: list[str]) -> bytes:
    urls = []
    for file in sorted(files):
        page = "/" + file.removesuffix("index.html")
        urls.append(f"<url><loc>{xml_escape(base_url + page)}</loc></url>")
    body = "\n".join(urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}\n</urlset>\n'
    ).encode()


def _with_progress(items: Any, total: int, show: bool) -> Iterator[Any]:
    if not show:
        yield from items
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("rendering pages", total=total)
        for item in items:
            yield item
            bar.advance(task)
