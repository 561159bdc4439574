"""The changes feed and page, the leaderboard and the pick pages: pure contexts rendered with the real
templates from a real catalog, bad input answered beside its field, hostile names inert.

`_pick_page` and `_leaderboard_page` below are the wiring a route needs (service calls, then context):
what `web/app.py` will do with these pages."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from versus.catalog.history_store import HistoryStore
from versus.catalog.store import CatalogStore
from versus.catalog.types import ChangeRow
from versus.render.atom import changes_feed, entry_id
from versus.services.comparison import ComparisonService
from versus.sync.catalog import open_catalog
from versus.web.feature_forms import Params, read_leaderboard_form, read_pick_form
from versus.web.feature_pages import changes_context
from versus.web.feature_routes import leaderboard_page, pick_page
from versus.web.render import Urls, render

from .conftest import TODAY

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "<script>alert(1)</script>&\x01\"'"
BASE = "https://versus.example.org"


def _change(
    kind: str, model: str, day: str, old: tuple[str, str] | None, new: tuple[str, str] | None, **kw: Any
) -> ChangeRow:
    def prices(p: tuple[str, str] | None) -> dict[str, Decimal | None] | None:
        return None if p is None else {"input": Decimal(p[0]), "output": Decimal(p[1])}

    return ChangeRow(
        kind,
        model,
        kw.get("provider", "openrouter"),
        kw.get("pmid", model),
        prices(old),
        prices(new),
        date.fromisoformat(day),
        kw.get("source", "openrouter"),
    )


GLM = _change("price_change", "z-ai/glm-4.6", "2026-08-19", ("1.74", "1.74"), ("1.74", "2"))
CHANGES = [
    GLM,
    _change("new_route", "z-ai/glm-4.6", "2026-08-19", None, ("0.5", "2"), provider="novita", pmid="zai-org/glm-4.6"),
    _change("new_model", "x/new", "2026-08-20", None, None, provider=None, pmid=None),
    _change("removed_route", "gone/model", "2026-05-15", ("1", "2"), None, source="catalog"),
]
NAMES = {"z-ai/glm-4.6": "GLM-4.6", "x/new": "New One"}
PROVIDERS = {"openrouter": "OpenRouter", "novita": "Novita"}


@pytest.fixture(scope="module")
def service(store: CatalogStore) -> ComparisonService:
    return ComparisonService(store)


def test_the_contexts_import_no_store_and_no_service() -> None:
    code = (
        "import sys, versus.web.feature_pages, versus.web.feature_forms, versus.render.atom, versus.render.charts;"
        "print(sorted(m for m in sys.modules if m.startswith('versus') and "
        "any(w in m for w in ('store', 'service', 'database', 'sqlalchemy'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- the Atom feed ---------------------------------------------------------------------------------


def _feed(changes: list[ChangeRow], names: dict[str, str] = NAMES) -> ET.Element:
    return ET.fromstring(changes_feed(changes, base_url=BASE, model_names=names, provider_names=PROVIDERS))


def test_the_feed_is_valid_atom_with_an_entry_per_change() -> None:
    feed = _feed(CHANGES)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author/" + ATOM + "name"):
        assert feed.find(ATOM + required) is not None, required
    assert feed.findtext(f"{ATOM}updated") == "2026-08-20T00:00:00Z"  # the newest change
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": f"{BASE}/changes.atom", "alternate": f"{BASE}/changes"}
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(CHANGES)
    for entry, change in zip(entries, CHANGES, strict=True):
        assert entry.findtext(f"{ATOM}id", "").startswith("urn:uuid:")
        assert entry.findtext(f"{ATOM}updated") == f"{change.date.isoformat()}T00:00:00Z"
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None and entry.findtext(f"{ATOM}summary")
    first = entries[0]
    assert first.findtext(f"{ATOM}title") == "GLM-4.6 on OpenRouter: output $1.74 → $2.00"
    assert first.find(f"{ATOM}link").get("href") == f"{BASE}/models/z-ai/glm-4.6"  # type: ignore[union-attr]
    # A model the catalog no longer has links to its day on the changes page.
    assert entries[3].find(f"{ATOM}link").get("href") == f"{BASE}/changes#2026-05-15"  # type: ignore[union-attr]
    assert [e.findtext(f"{ATOM}title") for e in entries[1:3]] == [
        "GLM-4.6 on Novita: new route at $0.50 in / $2.00 out",
        "New model: New One",
    ]
    # A price stated ahead is news on its day, not before.
    ahead = ET.fromstring(
        changes_feed(CHANGES, base_url=BASE, model_names=NAMES, provider_names=PROVIDERS, today=date(2026, 8, 19))
    )
    assert len(ahead.findall(f"{ATOM}entry")) == 3 and ahead.findtext(f"{ATOM}updated") == "2026-08-19T00:00:00Z"


def test_entry_ids_are_the_same_in_two_databases_built_alike(catalog_db: Path, tmp_path: Path) -> None:
    """Ids come from what changed, not from row numbers: another build of the same data keeps them."""
    other = tmp_path / "other.sqlite"
    assert open_catalog(other, today=lambda: TODAY).rebuilt
    ours, theirs = HistoryStore(catalog_db).changes(), HistoryStore(other).changes()
    assert len(ours) > 100
    assert [entry_id(c) for c in ours] == [entry_id(c) for c in theirs]
    names = {m.id: m.name for m in CatalogStore(catalog_db).summaries()}
    first = changes_feed(ours, base_url=BASE, model_names=names, provider_names=PROVIDERS)
    assert first == changes_feed(theirs, base_url=BASE, model_names=names, provider_names=PROVIDERS)
    assert len({e.findtext(f"{ATOM}id") for e in ET.fromstring(first).findall(f"{ATOM}entry")}) == len(ours)


def test_the_feed_survives_hostile_names_and_refuses_a_relative_base() -> None:
    hostile = _change("price_change", HOSTILE, "2026-08-19", ("1", "2"), ("1", "3"), provider=HOSTILE, pmid=HOSTILE)
    feed = _feed([hostile], {HOSTILE: HOSTILE})
    title = feed.findtext(f"{ATOM}entry/{ATOM}title")
    assert title == "<script>alert(1)</script>&\"' on <script>alert(1)</script>&\"': output $2.00 → $3.00"
    for bad in ("", "/", "example.org", "javascript:alert(1)"):
        with pytest.raises(ValueError, match="absolute"):
            changes_feed(CHANGES, base_url=bad, model_names=NAMES, provider_names=PROVIDERS)


# --- the changes page ------------------------------------------------------------------------------


def test_changes_are_grouped_by_date_newest_first_and_filtered() -> None:
    urls = Urls()
    ctx = changes_context(CHANGES, urls, model_names=NAMES, provider_names=PROVIDERS, today=date(2026, 8, 19))
    assert [g["date"] for g in ctx["groups"]] == ["2026-08-20", "2026-08-19", "2026-05-15"]
    assert [g["scheduled"] for g in ctx["groups"]] == [True, False, False]
    assert "(scheduled: a price its source states ahead)" in render("changes.html", **ctx)
    assert ctx["count"] == 4 and ctx["status"] == 200
    by_kind = changes_context(CHANGES, urls, model_names=NAMES, provider_names=PROVIDERS, kind="price_change")
    assert [r["title"] for g in by_kind["groups"] for r in g["rows"]] == ["GLM-4.6 on OpenRouter: output $1.74 → $2.00"]
    by_provider = changes_context(CHANGES, urls, model_names=NAMES, provider_names=PROVIDERS, provider="novita")
    assert by_provider["count"] == 1 and by_provider["title"] == "What changed: changes on Novita"
    html = render("changes.html", **by_kind)
    assert '<h2 id="h-2026-08-19">2026-08-19</h2>' in html and 'href="/changes.atom"' in html
    assert '<option value="price_change" selected>' in html


def test_a_bad_filter_is_an_error_beside_it_and_is_ignored() -> None:
    ctx = changes_context(
        CHANGES, Urls(), model_names=NAMES, provider_names=PROVIDERS, kind="<b>x</b>", provider="nope"
    )
    assert ctx["status"] == 400 and set(ctx["errors"]) == {"kind", "provider"} and ctx["count"] == 4
    html = render("changes.html", **ctx)
    assert 'aria-invalid="true" aria-describedby="e-kind"' in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>x</b>" not in html


def test_the_changes_page_escapes_what_sources_say() -> None:
    hostile = _change("price_change", HOSTILE, "2026-08-19", ("1", "2"), ("1", "3"), provider=HOSTILE, pmid=HOSTILE)
    html = render(
        "changes.html", **changes_context([hostile], Urls(), model_names={HOSTILE: HOSTILE}, provider_names={})
    )
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_changes_page_of_a_real_catalog(catalog_db: Path) -> None:
    changes = HistoryStore(catalog_db).changes()
    store = CatalogStore(catalog_db)
    ctx = changes_context(
        changes,
        Urls(),
        model_names={m.id: m.name for m in store.summaries()},
        provider_names={p.id: p.name for p, _ in store.providers()},
        kind="price_change",
    )
    days = [g["date"] for g in ctx["groups"]]
    assert days == sorted(days, reverse=True) and ctx["count"] == len(changes)
    html = render("changes.html", **ctx)
    assert html.count('<tr><th scope="row">') == len(changes)


# --- leaderboard -----------------------------------------------------------------------------------


def _leaderboard_page(service: ComparisonService, params: Params) -> tuple[int, str]:
    return leaderboard_page(service, params, Urls())


def test_the_leaderboard_page_has_the_ranking_the_chart_and_value_per_dollar(service: ComparisonService) -> None:
    status, html = _leaderboard_page(service, {"benchmark": "aider-polyglot", "requests": "5M"})
    assert status == 200
    form = read_leaderboard_form({"benchmark": "aider-polyglot", "requests": "5M"})
    assert form.ref is not None and form.profile.requests == 5_000_000
    chart = service.leaderboard(form.ref, form.profile, service.route_policy())
    assert html.count('<tr><th scope="row"><span class="rank">') == min(len(chart.points), 100)
    assert "<svg" in html and 'class="frontier"' in html and "Score per $1k a month" in html
    assert 'value="5M"' in html and "5,000,000 requests a month" in html
    frontier_names = [p.name for p in chart.points if p.on_frontier]
    assert all(name in html for name in frontier_names)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"benchmark": "no-such-benchmark"}, "benchmark"),
        ({"benchmark": "bad benchmark!"}, "benchmark"),
        ({"benchmark": "aider-polyglot", "requests": "lots"}, "requests"),
        ({"benchmark": "aider-polyglot", "category": "nope"}, "benchmark"),
    ],
)
def test_a_bad_leaderboard_field_is_answered_beside_it(service: ComparisonService, params: Params, field: str) -> None:
    status, html = _leaderboard_page(service, params)
    assert status == 400
    assert f'aria-invalid="true" aria-describedby="e-{field}"' in html and f'id="e-{field}" role="alert"' in html
    assert "<svg" not in html or field == "requests"


# --- pick ------------------------------------------------------------------------------------------


def _pick_page(service: ComparisonService, params: Params) -> tuple[int, str]:
    return pick_page(service, params, Urls())


def test_the_pick_page_shortlists_like_versus_pick(service: ComparisonService, cli) -> None:  # type: ignore[no-untyped-def]
    params = {"needs": ["vision", "function_calling"], "min_context": "128k", "max_monthly": "1,000", "limit": "5"}
    status, html = _pick_page(service, params)
    assert status == 200
    listed = cli(
        "pick",
        "--needs",
        "vision,function_calling",
        "--min-context",
        "128000",
        "--max-monthly",
        "1000",
        "--limit",
        "5",
        "-f",
        "json",
    ).json()
    assert len(listed["shortlist"]) == 5
    for entry in listed["shortlist"]:
        assert entry["name"] in html
    assert "Closest misses" in html and "Models each constraint kept out" in html
    assert '<input type="checkbox" name="needs" value="vision" checked>' in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"needs": "telepathy"}, "needs"),
        ({"min_context": "big"}, "min_context"),
        ({"max_monthly": "-5"}, "max_monthly"),
        ({"min_score": "aider-polyglot"}, "min_score"),
        ({"min_score": "no-such-bench=50"}, "min_score"),
        ({"rank_by": "value:no-such-bench"}, "rank_by"),
        ({"rank_by": "<script>"}, "rank_by"),
        ({"limit": "0"}, "limit"),
        ({"requests": "1e99"}, "requests"),
        ({"basis": "free"}, "basis"),
        ({"provider": "nosuchprovider"}, "provider"),
        ({"exclude_provider": "openrouterr"}, "exclude_provider"),
    ],
)
def test_a_bad_pick_field_is_answered_beside_it(service: ComparisonService, params: Params, field: str) -> None:
    status, html = _pick_page(service, params)
    assert status == 400, html[:2000]
    assert f'id="e-{field}" role="alert"' in html or (field == "needs" and 'class="form-error" role="alert"' in html)
    assert "Shortlist</h2>" not in html and "<script>" not in html.split("<main", 1)[1]


FIELDS = ["needs", "min_context", "open_weights", "license", "max_monthly", "min_score", "rank_by", "limit",
          "requests", "input_tokens", "output_tokens", "cache_hit", "batch", "blend", "basis", "provider",
          "exclude_provider", "include_flagged"]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=80) | st.lists(st.text(max_size=20), max_size=4)))
def test_any_pick_form_reads_without_raising(params: dict[str, Any]) -> None:
    form = read_pick_form(params, ["aider-polyglot", "lmarena-text"])
    assert set(form.errors) <= set(FIELDS)
    assert form.limit >= 1 and form.basis in ("maker", "cheapest")


def test_the_model_page_chart_draws_each_route_on_the_source_that_prices_it(
    service: ComparisonService, catalog_db: str
) -> None:
    """o3's maker route: genai-prices dates OpenAI's cut from $40 to $8 output on 2025-06-10."""
    from versus.analysis.price_history import price_sources
    from versus.services import open_services
    from versus.web.feature_pages import price_history_fragment

    offerings = service.model_input("openai/o3").offerings
    sources = price_sources(offerings)
    fragment = price_history_fragment(
        "o3",
        open_services(catalog_db).history.intervals("openai/o3"),
        sources,
        {p: v.name for p, v in service.providers.items()},
        TODAY,
    )
    assert fragment is not None
    figure = ET.fromstring(str(fragment))
    svg = figure.find("{http://www.w3.org/2000/svg}svg")
    assert svg is not None
    routes = {p.get("data-route") for p in svg.iter("{http://www.w3.org/2000/svg}path")}
    assert "OpenAI · o3" in routes
    rows = [[c.text for c in row] for row in figure.iter("tr")]
    assert ["OpenAI · o3", "genai-prices", "2025-06-10", "now", "$2.00/1M", "$8.00/1M"] in rows
    assert sources[("openai", "o3")] == "genai-prices"
    assert price_history_fragment("x", [], {}, {}, TODAY) is None
