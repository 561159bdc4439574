"""Real headless Chromium (Debian's, driven by Playwright) against `versus serve` and the static site."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from versus.render.markdown import SECTIONS

from .conftest import LiveServer
from .databases import Databases
from .xss_catalog import EVIL_MODEL, EVIL_PROVIDER, write_xss_db

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PAIR = "mistralai/mistral-small-3.1-24b-instruct-vs-openai/gpt-4o-audio-preview"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium (make test installs it)")


@pytest.fixture(scope="module")
def browser() -> Iterator:  # type: ignore[type-arg]
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("request", lambda request: _local_only(request.url))
    yield tab
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def _local_only(url: str) -> None:
    assert url.startswith(("http://127.0.0.1", "data:", "about:")), f"page fetched {url}: no CDN, no network"


def test_compare_page_shows_every_section(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/compare/{PAIR}")
    headings = page.locator("h2").all_inner_texts()
    assert headings == list(SECTIONS)
    page.screenshot(path=str(ARTIFACTS / "compare-desktop.png"), full_page=True)


def test_traffic_calculator_updates_costs_in_place(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/compare/{PAIR}")
    page.evaluate("window.__noReload = true")
    cost_cell = page.locator("#cost-table tbody tr").first.locator("td").nth(1)
    before = cost_cell.inner_text()
    page.fill("input[name=requests]", "3000000")
    page.fill("input[name=cache_hit]", "25%")
    page.click("form.calculator button")
    page.wait_for_function(
        "(before) => document.querySelector('#cost-table tbody td:nth-of-type(2)').innerText !== before", arg=before
    )
    assert page.evaluate("window.__noReload") is True, "the page reloaded"
    api = httpx.get(
        f"{live_server}/api/compare",
        params={
            "models": "mistralai/mistral-small-3.1-24b-instruct,openai/gpt-4o-audio-preview",
            "requests": "3000000",
            "cache_hit": "25%",
        },
    ).json()
    from decimal import Decimal

    from versus.formats import usd

    expected = [usd(Decimal(str(m["cost"]["monthly"]))) for m in api["models"]]
    shown = [row.locator("td").nth(1).inner_text() for row in page.locator("#cost-table tbody tr").all()]
    assert shown == expected
    assert "requests=3000000" in page.url
    page.screenshot(path=str(ARTIFACTS / "compare-calculator.png"))


def test_calculator_reports_bad_input(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/compare/{PAIR}")
    page.fill("input[name=requests]", "-10")
    page.click("form.calculator button")
    alert = page.locator(".calc-error")
    alert.wait_for(state="visible")
    assert "cannot be negative" in alert.inner_text()


def test_n_way_comparison(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/compare?models=gpt-4o-audio,mistral-small-3.1,gpt-oss-120b,claude-sonnet-4.5")
    header = page.locator("#decision-scorecard thead th").all_inner_texts()
    assert len(header) == 5
    page.screenshot(path=str(ARTIFACTS / "compare-4-way.png"), full_page=True)


def test_search_from_home_to_a_model_page(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server)
    page.fill("#q", "mistral small 3.1")
    link = page.locator("#results a", has_text="Mistral Small 3.1 24B Instruct").first
    link.wait_for()
    link.click()
    page.wait_for_url("**/models/mistralai/mistral-small-3.1-24b-instruct")
    assert page.locator("h1").inner_text() == "Mistral Small 3.1 24B Instruct"
    page.locator("th[data-sort=number]").nth(1).click()  # sort by output price
    page.screenshot(path=str(ARTIFACTS / "model-page.png"), full_page=True)


@pytest.mark.parametrize(
    "path",
    [
        f"/compare/{PAIR}",
        "/",
        "/models/openai/gpt-oss-120b",
        "/providers/groq",
        "/compare?models=gpt-4o-audio,mistral-small-3.1,gpt-oss-120b,claude-sonnet-4.5",
    ],
)
def test_phone_width_has_no_horizontal_scroll(browser, live_server: str, path: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    tab.goto(live_server + path)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    assert tab.evaluate("document.body.scrollWidth") <= 360
    name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
    tab.screenshot(path=str(ARTIFACTS / f"phone-{name[:60]}.png"), full_page=False)
    context.close()


# --- untrusted data stays inert -------------------------------------------------------------------


@pytest.fixture(scope="module")
def xss_db(databases: Databases) -> str:
    return write_xss_db(databases.empty("xss"), date(2026, 6, 15))


def _assert_inert(page, url: str, shot: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.wait_for_load_state("load")
    assert page.evaluate("window.__xss") is None, "injected script ran"
    text = page.locator("body").inner_text()
    assert EVIL_MODEL in text
    assert page.locator("script:not([src]):not([type='application/ld+json'])").count() == 0
    assert page.locator("img").count() == 0
    page.screenshot(path=str(ARTIFACTS / shot), full_page=True)


def test_untrusted_names_are_inert_in_the_app(page, xss_db: Path) -> None:  # type: ignore[no-untyped-def]
    from versus.web.app import create_app

    server = LiveServer(create_app(xss_db))
    try:
        pair = "mistralai/mistral-small-3.1-24b-instruct-vs-openai/gpt-4o-audio-preview"
        _assert_inert(page, f"{server.url}/compare/{pair}", "xss-app-compare.png")
        _assert_inert(page, f"{server.url}/models/openai/gpt-4o-audio-preview", "xss-app-model.png")
        page.goto(f"{server.url}/providers/openrouter")
        assert page.evaluate("window.__xss") is None and EVIL_PROVIDER in page.locator("h1").inner_text()
    finally:
        server.stop()


def test_untrusted_names_are_inert_in_the_static_site(page, xss_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from versus.catalog.store import CatalogStore
    from versus.site.build import build_site

    store = CatalogStore(xss_db)
    build_site(store, [m.id for m in store.summaries()], tmp_path, base_url="http://127.0.0.1")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        _assert_inert(
            page,
            f"{base}/compare/mistralai/mistral-small-3.1-24b-instruct-vs-openai/gpt-4o-audio-preview/",
            "xss-site-compare.png",
        )
        _assert_inert(page, f"{base}/models/openai/gpt-4o-audio-preview/", "xss-site-model.png")
        page.goto(base + "/")
        page.fill("#q", "evil")
        page.locator("#results a").first.wait_for()
        assert page.evaluate("window.__xss") is None
        assert EVIL_MODEL in page.locator("#results").inner_text()
    finally:
        httpd.shutdown()
        httpd.server_close()
