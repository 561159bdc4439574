"""`versus site build`: the top-100 site, its links and sitemap, and incremental rebuilds."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from versus.services import open_services
from versus.site.build import build_site, choose_models

from .conftest import TODAY
from .databases import Databases

BASE = "https://versus.test"
LINK = re.compile(r'(?:href|src)="([^"]*)"')


@pytest.fixture(scope="module")
def top_site(catalog_db: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from versus.cli import main

    out = tmp_path_factory.mktemp("site") / "public"
    import contextlib
    import io

    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(["--db", str(catalog_db), "site", "build", str(out), "--base-url", BASE])
    assert code == 0
    return out, stdout.getvalue()


def _html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def _target(root: Path, link: str) -> Path | None:
    """The file a site link points at, or None for links that leave the site."""
    parts = urlsplit(link)
    if parts.scheme in ("data", "mailto") or (parts.scheme and not link.startswith(BASE)):
        return None
    path = unquote(parts.path.removeprefix(BASE) if link.startswith(BASE) else parts.path)
    if not path:
        return None  # same-page anchor or query
    assert path.startswith("/"), f"relative link {link!r}"
    return root / (path.lstrip("/") + "index.html" if path.endswith("/") else path.lstrip("/"))


def test_top_100_site_has_every_pair(top_site: tuple[Path, str]) -> None:
    root, report = top_site
    compare_pages = list((root / "compare").rglob("index.html"))
    assert len(compare_pages) == 4950
    assert "4950 comparisons" in report
    assert len(list((root / "models").rglob("index.html"))) == 100
    assert (root / "index.html").exists() and (root / "search-index.json").exists()
    assert len(json.loads((root / "search-index.json").read_text())) == 100


def test_every_internal_link_resolves(top_site: tuple[Path, str]) -> None:
    root, _ = top_site
    broken = []
    checked = 0
    for page in _html_files(root):
        for link in set(LINK.findall(page.read_text())):
            target = _target(root, link)
            if target is None:
                continue
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(root)} -> {link}")
    assert checked > 10 * len(_html_files(root))  # every page links out many times
    assert broken == []


def test_sitemap_lists_every_page(top_site: tuple[Path, str]) -> None:
    root, _ = top_site
    sitemap = (root / "sitemap.xml").read_text()
    listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    pages = {BASE + "/" + str(p.relative_to(root)).removesuffix("index.html") for p in _html_files(root)}
    assert listed == pages - {BASE + "/404.html"}  # the not-found page is no page to index
    assert sitemap.count("<lastmod>") == len(listed)


def test_site_has_a_404_page_robots_and_versioned_assets(top_site: tuple[Path, str]) -> None:
    root, _ = top_site
    assert "Page not found" in (root / "404.html").read_text()
    assert f"Sitemap: {BASE}/sitemap.xml" in (root / "robots.txt").read_text()
    assets = sorted(p.name for p in (root / "static").iterdir())
    assert len(assets) == 2 and all(re.fullmatch(r"(app|site)\.[0-9a-f]{10}\.(js|css)", a) for a in assets)
    page = next((root / "compare").rglob("index.html")).read_text()
    assert '<script type="application/json" id="route-prices">' in page  # the browser prices the calculator
    assert 'data-static="1"' in page


def test_compare_pages_carry_canonical_links_and_faq_json_ld(top_site: tuple[Path, str]) -> None:
    root, _ = top_site
    page = next((root / "compare").rglob("index.html"))
    html = page.read_text()
    path = "/" + str(page.parent.relative_to(root)) + "/"
    assert f'<link rel="canonical" href="{BASE}{path}">' in html
    ld = json.loads(
        re.search(r'<script type="application/ld\+json" id="faq-jsonld">(.*?)</script>', html, re.S).group(1)
    )
    assert ld["@type"] == "FAQPage" and len(ld["mainEntity"]) == 6


def test_second_build_writes_nothing(catalog_db: str, top_site: tuple[Path, str]) -> None:
    root, _ = top_site
    services = open_services(catalog_db)
    report = build_site(services, choose_models(services.catalog, 100), root, base_url=BASE, today=TODAY)
    assert (report.written, report.removed) == (0, 0)
    assert report.unchanged == report.pages


def test_rebuild_after_a_price_change_rewrites_only_affected_pages(
    catalog_db: str, databases: Databases, tmp_path: Path
) -> None:
    db = databases.copy(catalog_db)
    services = open_services(db)
    chosen = choose_models(services.catalog, 12)
    out = tmp_path / "site"
    first = build_site(services, chosen, out, base_url=BASE, today=TODAY)
    assert first.written == first.pages
    changed = chosen[5]
    route = databases.rows(
        db,
        f"SELECT provider_id, provider_model_id FROM offerings WHERE model_id = '{changed}' "
        "AND kind = 'pay-per-token' ORDER BY provider_id, provider_model_id LIMIT 1",
    )[0]
    databases.execute(  # a new catalog in which one route of one model is dearer
        db,
        f"UPDATE offerings SET price_output = '999' WHERE provider_id = '{route[0]}' "
        f"AND provider_model_id = '{route[1]}' AND model_id = '{changed}'",
    )
    second = build_site(open_services(db), chosen, out, base_url=BASE, today=TODAY)
    assert 0 < second.written < second.pages
    manifest = json.loads((out / ".versus-site.json").read_text())
    assert manifest["generator"] == "llm-versus site build"
    assert len(manifest["files"]) == second.pages + 1  # every page, and sitemap.xml
    assert (out / "models" / changed / "index.html").read_text().count("$999/1M") >= 1
    assert second.unchanged >= (12 - 1) * (12 - 2) // 2  # pairs without the changed model are untouched


def test_the_site_says_what_changed_and_draws_price_history(top_site: tuple[Path, str]) -> None:
    import xml.etree.ElementTree as ET

    root, _ = top_site
    changes = (root / "changes" / "index.html").read_text()
    assert "What changed in the catalog" in changes and '<form class="search filters"' not in changes
    feed = ET.fromstring((root / "changes.atom").read_bytes())
    atom = "{http://www.w3.org/2005/Atom}"
    links = [e.find(f"{atom}link").get("href", "") for e in feed.findall(f"{atom}entry")]  # type: ignore[union-attr]
    assert links and all(link.startswith(BASE + "/") for link in links)
    # An entry links to a model page only when the site has that page.
    for link in links:
        path = link.removeprefix(BASE).split("#")[0]
        assert path == "/changes" or (root / path.strip("/") / "index.html").is_file(), link
    charts = [p for p in (root / "models").rglob("index.html") if 'id="price-history-title"' in p.read_text()]
    assert charts, "models with dated prices draw their history"
