"""`versus serve` over real HTTP on loopback: pages, redirects, caching headers, and the JSON API."""

from __future__ import annotations

import json
import re

import httpx
import pytest

PAIR = "mistralai/mistral-small-3.1-24b-instruct-vs-openai/gpt-4o-audio-preview"


@pytest.fixture(scope="module")
def http(live_server: str):  # type: ignore[no-untyped-def]
    with httpx.Client(base_url=live_server, timeout=30) as client:
        yield client


def test_compare_page_has_every_section_and_a_canonical_link(http) -> None:  # type: ignore[no-untyped-def]
    from versus.render.markdown import SECTIONS

    page = http.get(f"/compare/{PAIR}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for section in SECTIONS:
        assert f"<h2>{section}</h2>" in page.text
    assert f'<link rel="canonical" href="/compare/{PAIR}">' in page.text
    assert "$4,500" in page.text and "$155" in page.text
    assert '"@type": "FAQPage"' in page.text
    assert 'class="bars"' in page.text and "cdn" not in page.text.lower()


def test_the_other_order_redirects_permanently(http) -> None:  # type: ignore[no-untyped-def]
    reverse = "openai/gpt-4o-audio-preview-vs-mistralai/mistral-small-3.1-24b-instruct"
    response = http.get(f"/compare/{reverse}?requests=5")
    assert response.status_code == 301
    assert response.headers["location"] == f"/compare/{PAIR}?requests=5"
    loose = http.get("/compare/gpt-4o-audio-vs-mistral-small-3.1")
    assert loose.status_code == 301 and loose.headers["location"] == f"/compare/{PAIR}"


def test_n_way_and_two_way_query(http) -> None:  # type: ignore[no-untyped-def]
    many = http.get("/compare", params={"models": "gpt-4o-audio,mistral-small-3.1,gpt-oss-120b"})
    assert many.status_code == 301  # loose names, any order: one sorted canonical URL
    canonical = (
        "/compare?models=mistralai/mistral-small-3.1-24b-instruct,openai/gpt-4o-audio-preview,openai/gpt-oss-120b"
    )
    assert many.headers["location"] == canonical
    page = http.get(canonical)
    assert page.status_code == 200 and "is cheapest at" in page.text
    assert f'<link rel="canonical" href="{canonical}">' in page.text
    two = http.get("/compare", params={"models": "gpt-4o-audio,mistral-small-3.1"})
    assert two.status_code == 301 and two.headers["location"] == f"/compare/{PAIR}"


def test_traffic_form_works_without_javascript(http) -> None:  # type: ignore[no-untyped-def]
    page = http.get(f"/compare/{PAIR}", params={"requests": "2000000"})
    assert "$9,000" in page.text and 'value="2,000,000"' in page.text
    # A submit without JavaScript comes back to the cost section.
    assert 'action="/compare/' + PAIR + '#monthly-cost-at-traffic"' in page.text
    fragment = http.get(f"/compare/{PAIR}", params={"requests": "2000000", "fragment": "costs"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and "$9,000" in fragment.text
    bad = http.get(f"/compare/{PAIR}", params={"requests": "-3", "cache_hit": "25%"})
    assert bad.status_code == 400 and "cannot be negative" in bad.text
    # Nothing typed is lost: the calculator comes back with the figures as typed and the field marked.
    assert 'value="-3" autocomplete="off" aria-invalid="true"' in bad.text and 'value="25%"' in bad.text


def test_pages_carry_etag_and_cache_control(http) -> None:  # type: ignore[no-untyped-def]
    first = http.get(f"/compare/{PAIR}")
    etag = first.headers["etag"]
    assert "max-age" in first.headers["cache-control"]
    again = http.get(f"/compare/{PAIR}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag
    api = http.get("/api/models", params={"q": "gpt-oss"})
    assert (
        api.headers["etag"]
        and http.get("/api/models", params={"q": "gpt-oss"}, headers={"If-None-Match": api.headers["etag"]}).status_code
        == 304
    )


def test_model_and_provider_pages(http) -> None:  # type: ignore[no-untyped-def]
    model = http.get("/models/openai/gpt-oss-120b")
    assert model.status_code == 200 and 'class="sortable"' in model.text and "/providers/groq" in model.text
    outputs = []
    for row in re.findall(r"<tr>(.*?)</tr>", model.text.split('id="routes"')[1]):
        values = re.findall(r'data-value="([^"]*)"', row)
        # Clean pay-per-token routes come first (the maker's first), cheapest output first; batch-only
        # variants and flagged routes (a TEE or quantised serving, a suspect price) after them.
        clean = row.endswith("<td>—</td>")
        maker = "<td>maker</td>" in row
        if "<td>pay-per-token</td>" in row and ":batch" not in row and clean and not maker and values and values[1]:
            outputs.append(float(values[1]))
    assert len(outputs) > 20 and outputs == sorted(outputs), "routes are sorted by price without JavaScript"
    assert http.get("/models/gpt-oss-120b").status_code == 301
    provider = http.get("/providers/groq")
    assert provider.status_code == 200 and "/models/openai/gpt-oss-120b" in provider.text
    assert http.get("/providers/nope").status_code == 404
    missing = http.get("/models/gpt-4o-audoi")
    assert missing.status_code == 404 and "openai/gpt-4o-audio-preview" in missing.text


def test_home_search_without_javascript(http) -> None:  # type: ignore[no-untyped-def]
    page = http.get("/", params={"q": "mistral small"})
    assert page.status_code == 200 and "/models/mistralai/mistral-small-3.1-24b-instruct" in page.text
    assert "Popular comparisons" in page.text


def test_api_returns_the_same_json_as_the_cli(http, cli) -> None:  # type: ignore[no-untyped-def]
    api = http.get("/api/compare", params={"models": "gpt-4o-audio,mistral-small-3.1", "cache_hit": "20%"}).json()
    command = cli("compare", "gpt-4o-audio", "mistral-small-3.1", "--cache-hit", "20%", "--format", "json").json()
    assert api == command
    assert (
        http.get("/api/models/openai/gpt-oss-120b/routes").json()
        == cli("routes", "openai/gpt-oss-120b", "--format", "json").json()
    )
    resolved = http.get(
        "/api/resolve", params={"provider": "fireworks-ai", "model_id": "accounts/fireworks/models/gpt-oss-120b"}
    ).json()
    assert resolved == cli("resolve", "fireworks-ai", "accounts/fireworks/models/gpt-oss-120b", "-f", "json").json()
    listed = http.get("/api/models", params={"q": "mistral small", "capability": "vision"}).json()
    assert listed == cli("models", "mistral small", "--capability", "vision", "--format", "json").json()


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/api/compare", {"models": "gpt-4o-audoi,mistral-small-3.1"}, 404),
        ("/api/compare", {"models": "gpt-4o"}, 400),
        ("/api/compare", {"models": "gpt-4o,openai/gpt-4o"}, 400),
        ("/api/compare", {"models": "gpt-4o,mistral-small-3.1", "requests": "1e30"}, 400),
        ("/api/compare", {"models": "gpt-4o,mistral-small-3.1", "blend": "x"}, 400),
        # Usage errors, never a 500, and decided before Decimal or int() see the text.
        ("/api/compare", {"models": "gpt-4o,mistral-small-3.1", "requests": "1e1000000"}, 400),
        ("/api/compare", {"models": "gpt-4o,mistral-small-3.1", "blend": "²:1"}, 400),
        ("/api/compare", {"models": "gpt-4o,mistral-small-3.1", "blend": "1" + "0" * 5000 + ":1"}, 400),
        ("/api/compare", {"models": "gpt-4o,mistral-small-3.1", "cache_hit": "1e-999999"}, 400),
        ("/api/compare", {"models": "gpt-4o,mistral-small-3.1,gpt-4o"}, 400),
        ("/api/compare", {"models": ",".join(["o3"] * 9)}, 400),
        ("/api/models", {"capability": "telepathy"}, 400),
        ("/api/models/nope-nope/routes", {}, 404),
        ("/api/resolve", {"provider": "nope", "model_id": "x"}, 404),
    ],
)
def test_api_errors_are_json_4xx(http, path: str, params: dict[str, str], status: int) -> None:  # type: ignore[no-untyped-def]
    response = http.get(path, params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert json.loads(response.text)["error"]


def test_openapi_is_served(http) -> None:  # type: ignore[no-untyped-def]
    spec = http.get("/openapi.json").json()
    assert {"/api/compare", "/api/models", "/api/models/{model_id}/routes", "/api/resolve"} <= set(spec["paths"])


@pytest.mark.parametrize("spelling", ["5M", "5m", "5e6", "5,000,000", "5000k", "5000000"])
def test_traffic_figures_as_people_write_them(http, spelling: str) -> None:  # type: ignore[no-untyped-def]
    page = http.get(f"/compare/{PAIR}", params={"requests": spelling})
    assert page.status_code == 200, page.text[:300]
    assert "$22,500" in page.text  # GPT-4o Audio: 5 × $4,500


def test_requests_beyond_a_context_window_are_flagged(http) -> None:  # type: ignore[no-untyped-def]
    page = http.get(f"/compare/{PAIR}", params={"input_tokens": "130k"})
    assert page.status_code == 200
    assert page.text.count("does not fit its 128k context window") >= 4  # two cards and two cost lines
    fits = http.get(f"/compare/{PAIR}", params={"input_tokens": "100k"})
    assert "does not fit" not in fits.text


def test_pages_speak_to_web_users_not_the_cli(http) -> None:  # type: ignore[no-untyped-def]
    page = http.get(f"/compare/{PAIR}")
    assert "--cache-hit" not in page.text and "--batch" not in page.text


def test_decision_header_comes_first_and_winners_are_marked(http) -> None:  # type: ignore[no-untyped-def]
    page = http.get(f"/compare/{PAIR}").text
    cards, scorecard = page.index('class="cards"'), page.index("<h2>Decision scorecard</h2>")
    assert page.index("<h1>") < cards < scorecard
    header = page[cards:scorecard]
    assert header.count('class="card') >= 2 and "$4,500" in header and "$155" in header
    assert "Most decisive differences" in header and 'class="calculator"' in header
    assert "are models from" not in page[:scorecard]  # no boilerplate intro above the decision
    assert "(best)" in page and 'class="num win"' in page


def test_n_way_calculator_keeps_its_models_in_a_field_not_the_action(http) -> None:  # type: ignore[no-untyped-def]
    ids = "anthropic/claude-sonnet-4.5,openai/gpt-4o,openai/gpt-oss-120b"
    page = http.get("/compare", params={"models": ids}).text
    assert 'action="/compare#monthly-cost-at-traffic"' in page
    assert f'<input type="hidden" name="models" value="{ids}">' in page
    # The form as a browser submits it, and as the script does: both reach the same re-priced page.
    again = http.get("/compare", params={"models": ids, "requests": "3M"})
    assert again.status_code == 200 and 'value="3,000,000"' in again.text


def test_picking_models_reaches_their_comparison(http) -> None:  # type: ignore[no-untyped-def]
    ticked = http.get("/compare", params=[("models", "openai/gpt-4o"), ("models", "gpt-oss-120b")])
    assert ticked.status_code == 301 and ticked.headers["location"] == "/compare/openai/gpt-4o-vs-openai/gpt-oss-120b"
    added = http.get("/compare", params={"models": "openai/gpt-4o", "add": "Claude Sonnet 4.5"})
    assert added.status_code == 303
    assert added.headers["location"] == "/compare/anthropic/claude-sonnet-4.5-vs-openai/gpt-4o"
    third = http.get("/compare", params={"models": "anthropic/claude-sonnet-4.5,openai/gpt-4o", "add": "gpt-oss-120b"})
    assert third.status_code == 303 and third.headers["location"].startswith("/compare?models=anthropic/")
    unknown = http.get("/compare", params={"models": "openai/gpt-4o", "add": "gpt-4o-audoi"})
    assert unknown.status_code == 404 and "openai/gpt-4o-audio-preview" in unknown.text
    home = http.get("/").text
    assert 'type="checkbox" name="models"' in home and 'action="/compare"' in home
    model = http.get("/models/openai/gpt-oss-120b").text
    assert 'name="add"' in model and '<input type="hidden" name="models" value="openai/gpt-oss-120b">' in model


def test_home_is_a_sortable_table_and_popular_pairs_vary(http) -> None:  # type: ignore[no-untyped-def]
    from collections import Counter

    home = http.get("/").text
    assert '<button type="button" class="sort"' in home and "Monthly cost" in home
    pairs = re.findall(r'<a href="/compare/([^"]+)">', home.split("Popular comparisons")[1])
    assert len(pairs) == 12
    uses = Counter(i for pair in pairs for i in pair.split("-vs-"))
    assert max(uses.values()) <= 2
    by_price = http.get("/", params={"sort": "price"}).text
    values = [float(v) for v in re.findall(r'<td class="num" data-value="([0-9.]+)">\$', by_price)]
    assert values == sorted(values) and len(values) > 50


def test_every_page_has_a_description_and_open_graph(http) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", f"/compare/{PAIR}", "/models/openai/gpt-oss-120b", "/providers/groq", "/no-such-page"):
        page = http.get(path).text
        description = re.search(r'<meta name="description" content="([^"]*)">', page)
        assert description and 20 < len(description.group(1)) <= 160, path
        assert '<meta property="og:title"' in page and '<meta property="og:description"' in page


def test_robots_404_gzip_and_versioned_assets(http) -> None:  # type: ignore[no-untyped-def]
    robots = http.get("/robots.txt")
    assert robots.status_code == 200 and "User-agent: *" in robots.text
    missing = http.get("/no/such/page")
    assert missing.status_code == 404 and "Popular comparisons" in missing.text and 'name="q"' in missing.text
    page = http.get(f"/compare/{PAIR}", headers={"Accept-Encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip" and "$4,500" in page.text  # httpx decodes it
    assert len(page.content) > int(page.headers["content-length"]) * 3
    plain = httpx.get(f"{http.base_url}/compare/{PAIR}", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.text == page.text
    asset = re.search(r'href="(/static/site\.css\?v=[0-9a-f]{10})"', page.text).group(1)
    assert "immutable" in http.get(asset).headers["cache-control"]
    assert "immutable" not in http.get("/static/site.css?v=old").headers["cache-control"]


def test_serve_canonicals_are_absolute_with_a_base_url(catalog_db) -> None:  # type: ignore[no-untyped-def]
    from versus.web.app import create_app

    from .conftest import LiveServer

    server = LiveServer(create_app(catalog_db, base_url="https://versus.example/"))
    try:
        page = httpx.get(f"{server.url}/compare/{PAIR}").text
    finally:
        server.stop()
    assert f'<link rel="canonical" href="https://versus.example/compare/{PAIR}">' in page
    assert f'<meta property="og:url" content="https://versus.example/compare/{PAIR}">' in page


def test_api_answers_follow_the_schemas_generated_from_their_types(http) -> None:  # type: ignore[no-untyped-def]
    """The published schemas come from the TypedDicts the JSON is built as; the answers match them."""
    import jsonschema

    from versus.render.catalog_json import ResolveJSON, RouteJSON, SummaryJSON, api_schema

    spec = http.get("/openapi.json").json()["paths"]
    for path, shape, url in [
        ("/api/models", list[SummaryJSON], "/api/models?q=gpt-4o"),
        ("/api/models/{model_id}/routes", list[RouteJSON], "/api/models/openai/gpt-4o/routes"),
        ("/api/resolve", ResolveJSON, "/api/resolve?provider=openrouter&model_id=openai/gpt-4o"),
    ]:
        published = spec[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert published == api_schema(shape)
        answer = http.get(url)
        assert answer.status_code == 200, url
        jsonschema.validate(answer.json(), published)
    with pytest.raises(jsonschema.ValidationError):  # the schema is strict enough to catch a wrong answer
        jsonschema.validate([{"id": "x"}], api_schema(list[SummaryJSON]))


def test_changes_page_and_its_atom_feed(http) -> None:  # type: ignore[no-untyped-def]
    import xml.etree.ElementTree as ET

    page = http.get("/changes")
    assert page.status_code == 200 and "What changed in the catalog" in page.text
    assert '<link rel="alternate" type="application/atom+xml"' in page.text
    rows = page.text.count('<tr><th scope="row">')
    assert rows > 0, "the embedded catalog's dated prices (genai-prices) are changes"
    filtered = http.get("/changes", params={"kind": "price_change"})
    assert filtered.status_code == 200 and 0 < filtered.text.count('<tr><th scope="row">') <= rows
    bad = http.get("/changes", params={"kind": "<script>"})
    assert bad.status_code == 400 and 'id="e-kind" role="alert"' in bad.text and "<script>" not in bad.text
    feed = http.get("/changes.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = root.findall(f"{atom}entry")
    assert root.tag == f"{atom}feed" and entries and root.findtext(f"{atom}updated")
    link = entries[0].find(f"{atom}link")
    assert link is not None and link.get("href", "").startswith(str(http.base_url).rstrip("/") + "/")


def test_leaderboard_and_pick_pages(http) -> None:  # type: ignore[no-untyped-def]
    board = http.get("/leaderboard")
    assert board.status_code == 200 and "<svg" in board.text and 'class="frontier"' in board.text
    wrong = http.get("/leaderboard", params={"benchmark": "no-such-benchmark"})
    assert wrong.status_code == 400 and 'id="e-benchmark" role="alert"' in wrong.text
    form = http.get("/pick")
    assert form.status_code == 200 and "<form" in form.text and "Shortlist" not in form.text.split("</form>")[-1]
    shortlist = http.get("/pick", params={"needs": "function_calling", "requests": "1M", "limit": "5"})
    assert shortlist.status_code == 200 and shortlist.text.count("/models/") >= 5
    bad = http.get("/pick", params={"requests": "lots"})
    assert bad.status_code == 400 and 'id="e-requests" role="alert"' in bad.text
    home = http.get("/")
    assert all(f'href="{path}"' in home.text for path in ("/leaderboard", "/pick", "/changes"))


def test_a_model_page_draws_its_price_history(http) -> None:  # type: ignore[no-untyped-def]
    """o3's maker route: genai-prices dates OpenAI's cut from $40 to $8 output on 2025-06-10."""
    page = http.get("/models/openai/o3")
    assert page.status_code == 200 and 'id="price-history-title"' in page.text and "<svg" in page.text
    assert "2025-06-10" in page.text and "$8.00/1M" in page.text


def test_a_compare_page_draws_quality_per_dollar(http) -> None:  # type: ignore[no-untyped-def]
    page = http.get("/compare/anthropic/claude-3.5-sonnet-vs-openai/gpt-4o", params={"requests": "5M"})
    assert page.status_code == 200
    benchmarks = page.text.split("<h2>Benchmarks</h2>")[1].split("</section>")[0]
    assert "<h3>Quality per dollar</h3>" in benchmarks and "5,000,000 requests a month" in benchmarks
    assert "<svg" in benchmarks and 'class="frontier"' in benchmarks


def test_a_host_header_never_reaches_another_readers_feed(http) -> None:  # type: ignore[no-untyped-def]
    """Without --base-url the feed links from the request's address; that answer is never kept."""
    hostile = http.get("/changes.atom", headers={"Host": "evil.example"})
    assert hostile.status_code == 200 and "http://evil.example/" in hostile.text
    honest = http.get("/changes.atom")
    assert "evil.example" not in honest.text and str(http.base_url).rstrip("/") + "/" in honest.text
