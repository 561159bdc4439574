"""`versus site build`: a static site of comparison pages, written incrementally by content hash."""

from __future__ import annotations

import gc
import hashlib
import html
import json
import multiprocessing as mp
import os
import signal
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations, islice
from pathlib import Path
from typing import TypeVar

from versus.analysis.traffic import Blend, TrafficProfile
from versus.catalog.types import CAPABILITIES, Offering
from versus.render.atom import changes_feed
from versus.services import Services
from versus.services.catalog import CatalogService
from versus.services.comparison import ComparisonService
from versus.site.folder import Put, SiteFolder, check_site_path
from versus.web.catalog_pages import (
    home_context,
    model_context,
    not_found_context,
    price_history_chart,
    provider_context,
)
from versus.web.feature_pages import changes_context
from versus.web.pages import compare_context
from versus.web.render import STATIC, Urls, environment, render, versioned_name

# This process renders and writes its pages this many at a time (~250 × 30 KB in memory at once).
BATCH = 250
T = TypeVar("T")


@dataclass
class SiteReport:
    pages: int
    compare_pages: int
    written: int
    unchanged: int
    removed: int
    seconds: float
    kept: list[str] = field(default_factory=list)  # files left alone: not ours, or changed since we wrote them


def choose_models(catalog: CatalogService, top: int) -> list[str]:
    """The `top` models with the most pay-per-token routes (ties by id)."""
    counts = catalog.route_counts()
    ranked = sorted(counts, key=lambda model_id: (-counts[model_id], model_id))
    return ranked[:top]


def _page_file(url: str) -> str:
    """Site-relative file for a page URL: `/compare/a-vs-b/` -> `compare/a-vs-b/index.html`."""
    path = url.lstrip("/")
    return f"{path}index.html" if path.endswith("/") or not path else path


def build_site(
    services: Services,
    model_ids: list[str],
    out: Path,
    *,
    base_url: str,
    today: date | None = None,
    progress: bool = False,
) -> SiteReport:
    """Render every page, then write only those whose bytes changed since the last build here.

    `out` must be missing, empty, or a site this command built (SiteRefused otherwise). A file is
    written or removed only if nothing is there or its bytes are still what we wrote; any other is
    left alone and listed in the report's `kept`."""
    started = time.perf_counter()
    folder = SiteFolder.open(out)
    folder.save()  # what a killed build left is settled before anything is written
    today = today or date.today()
    chosen = sorted(set(model_ids))
    urls = Urls(static_site=True, base=base_url)
    total = len(chosen) * (len(chosen) - 1) // 2 + len(chosen)
    puts: list[Put] = []
    try:
        with (
            _interrupts_between_batches() as check,
            _progress(total, progress) as advance,
            _compare_pages(services, chosen, today, urls, folder) as compared,
        ):
            # Worker processes render and write the compare pages meanwhile; this one writes the rest.
            for batch in _batches(_catalog_pages(services, chosen, urls, today), BATCH):
                check()
                puts += folder.put([(check_site_path(file), body, digest) for file, body, digest in batch])
                advance(len(batch))
            for done in compared:
                folder.adopt(done)
                puts += done
                advance(len(done))
                check()
        pages = [file for file, _, _ in puts]
        built = services.comparisons.catalog_built or today
        sitemap = _sitemap(base_url, [f for f in pages if f.endswith(".html") and f != "404.html"], built)
        folder.put([("sitemap.xml", sitemap, hashlib.sha256(sitemap).hexdigest())])
        removed = sum(folder.remove(file) for file in set(folder.files) - set(pages) - {"sitemap.xml"})
    finally:
        folder.save()
    statuses = Counter(status for _, _, status in puts)
    return SiteReport(
        len(pages),
        sum(1 for f in pages if f.startswith("compare/")),
        statuses["written"],
        statuses["unchanged"],
        removed,
        time.perf_counter() - started,
        sorted(folder.kept),
    )


@contextmanager
def _interrupts_between_batches() -> Iterator[Callable[[], None]]:
    """SIGINT noted when it comes and raised as KeyboardInterrupt by `check()`, between batches. Raised
    where it lands, it can land in a weak-reference callback of the worker pool, where Python prints
    and drops it, and the build runs on. Forked workers inherit the handler: the pool stops them."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: None
        return
    received: list[int] = []

    def check() -> None:
        if received:
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, lambda signum, _frame: received.append(signum))
    try:
        yield check
    finally:
        signal.signal(signal.SIGINT, previous)
    check()


Page = tuple[str, bytes, str]  # site-relative file, its bytes, their SHA-256


def _page(file: str, body: bytes) -> Page:
    return file, body, hashlib.sha256(body).hexdigest()


@contextmanager
def _compare_pages(
    services: Services, chosen: list[str], today: date, urls: Urls, folder: SiteFolder
) -> Iterator[Iterator[list[Put]]]:
    """Every compare page, rendered and written a chunk at a time; yields what became of each chunk.

    With more than one core, worker processes do it (forked, so they share the loaded catalog), started
    at once: the caller writes the other pages meanwhile. Otherwise the chunks are done here, as the
    caller asks for them."""
    global _WORKER
    service = services.comparisons
    service.preload(chosen)
    _warm(service, chosen)
    _WORKER = (service, urls, today, set(chosen), folder)
    pairs = list(combinations(chosen, 2))
    chunks = [pairs[i : i + CHUNK] for i in range(0, len(pairs), CHUNK)]
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    try:
        if workers > 1 and len(pairs) >= 2 * CHUNK and "fork" in mp.get_all_start_methods():
            # The loaded catalog is long-lived: frozen, no collection walks it again in any worker.
            gc.freeze()
            with warnings.catch_warnings():
                # Python 3.12 warns that forking a threaded process may deadlock; the workers only render
                # from memory and write files (no locks), so that cannot happen here.
                warnings.filterwarnings("ignore", ".*fork.*", DeprecationWarning)
                pool = mp.get_context("fork").Pool(workers)
            with pool:  # on leaving, early too, the workers are stopped before the folder is saved
                yield pool.imap_unordered(_put_pairs, chunks)
        else:
            yield map(_put_pairs, chunks)
    finally:
        gc.unfreeze()
        _WORKER = None


def _warm(service: ComparisonService, chosen: list[str]) -> None:
    """Read everything a comparison needs from the database, and rank each model's related models,
    before the fork: every worker then shares them, and no worker uses a connection opened before it."""
    service.evidence(chosen)
    service.benchmark_results(chosen)
    service.price_changes(chosen)
    _ = (service.providers, service.rules, service.catalog_built, service.sources)
    environment().get_template("compare.html")  # compiled once, not once per worker
    for model_id in chosen:
        service.model_input(model_id)
        candidate = service.candidates.by_id.get(model_id)
        if candidate is not None:
            for reason in ("same family", "similar price", "shared providers"):
                service.candidates.nearest(candidate, reason, RELATED_PER_REASON + 2)


RELATED_PER_REASON = 2  # related_comparisons' default, for a pair


def _catalog_pages(services: Services, chosen: list[str], urls: Urls, today: date) -> Iterator[Page]:
    """Home, not-found, robots, search index, assets, a page per model and per provider, and what
    changed (a page and its Atom feed)."""
    catalog, service = services.catalog, services.comparisons
    in_site = set(chosen)
    summaries = {m.id: m for m in catalog.summaries()}
    names = {m.id: m.name for m in summaries.values()}
    home = home_context(catalog, service, urls, live=False, in_site=in_site)
    yield _page("index.html", render("home.html", **home).encode())
    missing = not_found_context(urls, "No page lives at this address.", [], home["popular"][:6])
    yield _page("404.html", render("error.html", **missing, live=False).encode())
    yield _page("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {urls.base}/sitemap.xml\n".encode())
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
    yield _page("search-index.json", json.dumps(index, ensure_ascii=False).encode())
    for name in ("site.css", "app.js"):
        yield _page(f"static/{versioned_name(name)}", (STATIC / name).read_bytes())
    providers_used: set[str] = set()
    for model_id in chosen:
        loaded = service.model_input(model_id)  # read before the workers started
        model, offerings = loaded.model, loaded.offerings
        providers_used.update(o.provider_id for o in offerings)
        chart = price_history_chart(catalog, services.history, model, list(offerings), today)
        context = model_context(catalog, model, urls, offerings=list(offerings), price_history=chart)
        body = render("model.html", **context, live=False).encode()
        yield _page(_page_file(urls.model(model_id)), body)
    by_provider: dict[str, list[Offering]] = {}
    for offering in catalog.route_listing():
        by_provider.setdefault(offering.provider_id, []).append(offering)
    for provider, _ in catalog.providers():
        if provider.id in providers_used:
            routes = by_provider.get(provider.id, [])
            context = provider_context(catalog, provider, urls, in_site=in_site, names=names, offerings=routes)
            yield _page(_page_file(urls.provider(provider.id)), render("provider.html", **context, live=False).encode())
    yield from _changes_pages(services, urls, names, in_site, today)


def _changes_pages(
    services: Services, urls: Urls, names: dict[str, str], in_site: set[str], today: date
) -> Iterator[Page]:
    """What changed in the catalog: the page (no filters: a static site answers no query) and, when the
    site knows its absolute address, the Atom feed. Models without a page here are named, not linked."""
    changes = services.history.changes()
    providers = {p: v.name for p, v in services.catalog.providers_by_id.items()}
    context = changes_context(
        changes,
        urls,
        model_names=names,
        provider_names=providers,
        feed_url=urls.changes_feed(),
        today=today,
        in_site=in_site.__contains__,
    )
    yield _page(_page_file(urls.changes()), render("changes.html", **context, live=False).encode())
    if urls.base.startswith(("http://", "https://")):
        feed = changes_feed(
            changes,
            base_url=urls.base,
            model_names=names,
            provider_names=providers,
            model_path=urls.model,
            feed_path=urls.changes_feed(),
            page_path=urls.changes(),
            today=today,
            in_site=in_site.__contains__,
        )
        yield _page(urls.changes_feed().lstrip("/"), feed.encode())


# Compare pages are rendered and written by worker processes, a chunk of pairs at a time, each worker
# keeping the per-model pieces it has rendered. Fork shares the loaded catalog and the folder's state.
CHUNK = 64
MAX_WORKERS = 8
_WORKER: tuple[ComparisonService, Urls, date, set[str], SiteFolder] | None = None


def _put_pairs(chunk: list[tuple[str, str]]) -> list[Put]:
    assert _WORKER is not None
    service, urls, today, in_site, folder = _WORKER
    profile, blend = TrafficProfile(), Blend()

    def site_has(ids: list[str]) -> bool:
        return all(i in in_site for i in ids)

    pages = []
    for a, b in chunk:
        context = compare_context(service, [a, b], profile, blend, today, urls, live=False, in_site=site_has)
        pages.append(_page(_page_file(urls.compare([a, b])), render("compare.html", **context).encode()))
    return folder.put(pages)


def _sitemap(base_url: str, files: list[str], lastmod: date) -> bytes:
    urls = []
    for file in sorted(files):
        page = "/" + file.removesuffix("index.html")
        loc = html.escape(base_url + page, quote=False)  # &, < and >: what XML text needs
        urls.append(f"<url><loc>{loc}</loc><lastmod>{lastmod.isoformat()}</lastmod></url>")
    body = "\n".join(urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}\n</urlset>\n'
    ).encode()


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@contextmanager
def _progress(total: int, show: bool) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr when asked: yields `advance(pages)`."""
    if not show:
        yield lambda pages: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("rendering pages", total=total)
        yield lambda pages: bar.advance(task, pages)
