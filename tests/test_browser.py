"""Real headless Chromium (Debian's, driven by Playwright) against `versus serve` and the static site,
at a desktop (1366×900) and a phone (390×844) viewport, with axe-core checking accessibility."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from versus.formats import usd
from versus.render.markdown import SECTIONS

from .conftest import LiveServer
from .databases import Databases
from .xss_catalog import EVIL_MODEL, EVIL_PROVIDER, write_xss_db

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PAIR = "mistralai/mistral-small-3.1-24b-instruct-vs-openai/gpt-4o-audio-preview"
THREE = "/compare?models=anthropic/claude-sonnet-4.5,openai/gpt-4o,openai/gpt-oss-120b"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
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


def _open(browser, viewport: dict[str, int] = DESKTOP, javascript: bool = True):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("request", lambda request: _local_only(request.url))
    return context, tab


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context, tab = _open(browser)
    yield tab
    context.close()
    assert tab.errors == [], f"JavaScript errors: {tab.errors}"


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    context, tab = _open(browser, PHONE)
    yield tab
    context.close()
    assert tab.errors == [], f"JavaScript errors: {tab.errors}"


def _local_only(url: str) -> None:
    assert url.startswith(("http://127.0.0.1", "data:", "about:")), f"page fetched {url}: no CDN, no network"


def _card_costs(tab) -> list[str]:  # type: ignore[no-untyped-def]
    return tab.locator(".card .card-monthly").all_inner_texts()


def test_compare_page_shows_every_section(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/compare/{PAIR}")
    assert page.locator("h2").all_inner_texts() == list(SECTIONS)
    page.screenshot(path=str(ARTIFACTS / "compare-desktop.png"), full_page=True)


def test_both_monthly_costs_are_in_the_first_desktop_screen(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/compare/{PAIR}")
    costs = page.locator(".card .card-monthly")
    assert sorted(costs.all_inner_texts()) == ["$155", "$4,500"]
    for index in range(2):
        box = costs.nth(index).bounding_box()
        assert box is not None and box["y"] + box["height"] <= DESKTOP["height"], box
    assert page.locator("form.calculator").bounding_box()["y"] < DESKTOP["height"]  # type: ignore[index]
    page.screenshot(path=str(ARTIFACTS / "compare-first-screen-desktop.png"))


# Every kind of page, with a chart where one is drawn: checked at phone width and by axe-core.
PAGES = [
    "/",
    f"/compare/{PAIR}",
    THREE,
    "/models/openai/gpt-oss-120b",
    "/models/openai/o3",
    "/compare/anthropic/claude-3.5-sonnet-vs-openai/gpt-4o",
    "/providers/groq",
    "/changes",
    "/leaderboard",
    "/pick?needs=function_calling",
]

# Elements wider than the viewport, or reaching past its right edge, that are not inside a scroller a
# keyboard can reach (role=region, tabindex=0): each one would scroll the whole page sideways. A chart's
# data table for screen readers is clipped to one pixel (overflow hidden): it scrolls nothing.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth, found = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest('.table-wrap[tabindex="0"]') || el.closest(".visually-hidden")) continue;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && (box.right > width + 1 || box.left < -1)) found.push(el.tagName + "." + el.className);
  }
  return [document.documentElement.scrollWidth, width, found.slice(0, 5)];
}"""


@pytest.mark.parametrize("path", [*PAGES, "/no/such/page"])
def test_phone_width_has_nothing_wider_than_the_screen(phone, live_server: str, path: str) -> None:  # type: ignore[no-untyped-def]
    phone.goto(live_server + path)
    scroll_width, width, wide = phone.evaluate(OVERFLOW)
    assert wide == [] and scroll_width <= width == PHONE["width"], (path, scroll_width, wide)
    # Scrollers are reachable by keyboard, and no table cell breaks a word to fit.
    assert phone.locator(".table-wrap:not([tabindex='0'])").count() == 0
    assert phone.evaluate("getComputedStyle(document.body).overflowWrap") != "anywhere"
    name = path.strip("/").replace("/", "_").replace("?", "_").replace(",", "_") or "home"
    phone.screenshot(path=str(ARTIFACTS / f"phone-{name[:60]}.png"), full_page=False)


def test_narrowest_phone_has_nothing_wider_than_the_screen(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    context, tab = _open(browser, {"width": 360, "height": 740})
    try:
        for path in (f"/compare/{PAIR}", THREE, "/"):
            tab.goto(live_server + path)
            scroll_width, width, wide = tab.evaluate(OVERFLOW)
            assert wide == [] and scroll_width <= width == 360, (path, scroll_width, wide)
    finally:
        context.close()


def test_three_way_calculator_with_javascript(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + THREE)
    page.evaluate("window.__noReload = true")
    before_costs = _card_costs(page)
    before_faq = page.locator("#faq-answers").inner_text()
    page.fill("#f-requests", "3M")
    page.click("form.calculator button[type=submit]")
    page.wait_for_function("(before) => document.querySelector('#faq-answers').innerText !== before", arg=before_faq)
    assert page.evaluate("window.__noReload") is True, "the page reloaded"
    assert page.locator(".calc-error").is_hidden()
    api = httpx.get(
        f"{live_server}/api/compare",
        params={"models": "anthropic/claude-sonnet-4.5,openai/gpt-4o,openai/gpt-oss-120b", "requests": "3000000"},
    ).json()
    expected = [usd(Decimal(str(m["cost"]["monthly"]))) for m in api["models"]]
    assert _card_costs(page) == expected != before_costs
    assert (
        expected[0] in page.locator("#faq-answers").inner_text()
        and expected[0] in page.locator("#headline").inner_text()
    )
    assert expected[0] in page.locator('meta[name="description"]').get_attribute("content")  # type: ignore[operator]
    assert "requests=3M" in page.url and page.url.count("models=") == 1
    page.screenshot(path=str(ARTIFACTS / "compare-3-way-calculator.png"))


def test_three_way_calculator_without_javascript(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    context, tab = _open(browser, javascript=False)
    try:
        tab.goto(live_server + THREE)
        before_faq = tab.locator("#faq-answers").inner_text()
        tab.fill("#f-requests", "3M")
        tab.click("form.calculator button[type=submit]")
        tab.wait_for_url("**#monthly-cost-at-traffic")
        assert "requests=3M" in tab.url
        assert tab.locator("#faq-answers").inner_text() != before_faq
        api = httpx.get(
            f"{live_server}/api/compare",
            params={"models": "anthropic/claude-sonnet-4.5,openai/gpt-4o,openai/gpt-oss-120b", "requests": "3M"},
        ).json()
        assert _card_costs(tab) == [usd(Decimal(str(m["cost"]["monthly"]))) for m in api["models"]]
    finally:
        context.close()


def test_calculator_errors_are_inline_and_decoded(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/compare/{PAIR}")
    page.fill("#f-requests", "lots")
    page.click("form.calculator button[type=submit]")
    alert = page.locator(".calc-error")
    alert.wait_for(state="visible")
    assert "'lots' is not a number" in alert.inner_text() and "&#" not in alert.inner_text()
    assert page.get_attribute("#f-requests", "aria-invalid") == "true"
    page.fill("#f-requests", "-10")
    page.click("form.calculator button[type=submit]")
    page.wait_for_function("document.querySelector('.calc-error').innerText.includes('cannot be negative')")


def test_choosing_two_models_on_the_home_page(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server)
    page.fill("#q", "gpt-oss-120b")
    page.locator("tr:visible input[name=models]").first.check()
    page.fill("#q", "claude sonnet 4.5")
    page.locator("tr:visible input[name=models]").first.check()
    page.click("#pick button[type=submit]")
    page.wait_for_url("**/compare/anthropic/claude-sonnet-4.5-vs-openai/gpt-oss-120b")
    assert page.locator(".card").count() == 2
    page.screenshot(path=str(ARTIFACTS / "home-picked.png"))


def test_compare_with_from_a_model_page_and_keyboard_sorting(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server}/models/openai/gpt-oss-120b")
    header = page.locator("#routes thead th").nth(5)
    header.locator("button").focus()
    page.keyboard.press("Enter")  # sortable headers are buttons: a keyboard sorts them
    assert header.get_attribute("aria-sort") == "ascending"
    page.fill("input[name=add]", "Claude Sonnet 4.5")
    page.keyboard.press("Enter")
    page.wait_for_url("**/compare/anthropic/claude-sonnet-4.5-vs-openai/gpt-oss-120b")
    page.screenshot(path=str(ARTIFACTS / "model-compare-with.png"))


def _axe(tab) -> list[str]:  # type: ignore[no-untyped-def]
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.skipif(not AXE.exists(), reason="needs axe-core (make test installs it with npm)")
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_serious_violation(browser, live_server: str, viewport: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    context, tab = _open(browser, viewport)
    problems = {}
    try:
        for path in PAGES:
            tab.goto(live_server + path)
            if found := _axe(tab):
                problems[path] = found
    finally:
        context.close()
    assert problems == {}


# --- the static site -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def static_site(catalog_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from versus.services import open_services
    from versus.site.build import build_site

    root = tmp_path_factory.mktemp("static")
    models = ["openai/gpt-4o", "openai/gpt-oss-120b", "anthropic/claude-sonnet-4.5", "google/gemini-2.5-pro"]
    build_site(open_services(catalog_db), models, root, base_url="http://127.0.0.1")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_static_site_prices_in_the_browser_and_finds_models_from_any_page(
    page, static_site: str, live_server: str
) -> None:  # type: ignore[no-untyped-def]
    pair = "/compare/openai/gpt-4o-vs-openai/gpt-oss-120b/"
    page.goto(static_site + pair)
    page.fill("#f-requests", "2.5M")
    page.fill("#f-cache_hit", "40%")
    page.click("form.calculator button[type=submit]")
    page.locator("#static-note").wait_for()
    served = httpx.get(
        f"{live_server}/api/compare",
        params={"models": "openai/gpt-4o,openai/gpt-oss-120b", "requests": "2500000", "cache_hit": "40%"},
    ).json()
    assert _card_costs(page) == [usd(Decimal(str(m["cost"]["monthly"]))) for m in served["models"]]
    # Search from a model page: the header's search leads to the home table, filtered.
    page.goto(static_site + "/models/openai/gpt-oss-120b/")
    page.fill("#top-q", "claude")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=claude")
    assert page.locator("#models tbody tr:visible").count() == 1
    page.goto(static_site + "/models/openai/gpt-oss-120b/")
    page.fill("input[name=add]", "gemini 2.5 pro")
    page.keyboard.press("Enter")
    page.wait_for_url("**/compare/google/gemini-2.5-pro-vs-openai/gpt-oss-120b/")
    page.goto(static_site + "/")
    for box in page.locator("input[name=models]").all()[:2]:
        box.check()
    page.click("#pick button[type=submit]")
    page.wait_for_url("**/compare/**")
    assert page.locator(".card").count() == 2
    assert httpx.get(static_site + "/404.html").status_code == 200


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
    assert (
        page.locator("script:not([src]):not([type='application/ld+json']):not([type='application/json'])").count() == 0
    )
    assert page.locator("img").count() == 0
    page.screenshot(path=str(ARTIFACTS / shot), full_page=True)


def test_untrusted_names_are_inert_in_the_app(page, xss_db: Path) -> None:  # type: ignore[no-untyped-def]
    from versus.web.app import create_app

    server = LiveServer(create_app(xss_db))
    try:
        _assert_inert(page, f"{server.url}/compare/{PAIR}", "xss-app-compare.png")
        _assert_inert(page, f"{server.url}/models/openai/gpt-4o-audio-preview", "xss-app-model.png")
        _assert_inert(page, f"{server.url}/", "xss-app-home.png")
        page.goto(f"{server.url}/providers/openrouter")
        assert page.evaluate("window.__xss") is None and EVIL_PROVIDER in page.locator("h1").inner_text()
    finally:
        server.stop()


def test_untrusted_names_are_inert_in_the_static_site(page, xss_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from versus.services import open_services
    from versus.site.build import build_site

    services = open_services(xss_db)
    build_site(services, [m.id for m in services.catalog.summaries()], tmp_path, base_url="http://127.0.0.1")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        _assert_inert(page, f"{base}/compare/{PAIR}/", "xss-site-compare.png")
        _assert_inert(page, f"{base}/models/openai/gpt-4o-audio-preview/", "xss-site-model.png")
        page.goto(base + "/?q=evil")
        assert page.evaluate("window.__xss") is None
        assert EVIL_MODEL in page.locator("#models tbody tr:visible").inner_text()
    finally:
        httpd.shutdown()
        httpd.server_close()
