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
    assert "<svg" in page.text and "cdn" not in page.text.lower()


def test_the_other_order_redirects_permanently(http) -> None:  # type: ignore[no-untyped-def]
    reverse = "openai/gpt-4o-audio-preview-vs-mistralai/mistral-small-3.1-24b-instruct"
    response = http.get(f"/compare/{reverse}?requests=5")
    assert response.status_code == 301
    assert response.headers["location"] == f"/compare/{PAIR}?requests=5"
    loose = http.get("/compare/gpt-4o-audio-vs-mistral-small-3.1")
    assert loose.status_code == 301 and loose.headers["location"] == f"/compare/{PAIR}"


def test_n_way_and_two_way_query(http) -> None:  # type: ignore[no-untyped-def]
    many = http.get("/compare", params={"models": "gpt-4o-audio,mistral-small-3.1,gpt-oss-120b"})
    assert many.status_code == 200 and "is cheapest at" in many.text
    two = http.get("/compare", params={"models": "gpt-4o-audio,mistral-small-3.1"})
    assert two.status_code == 301 and two.headers["location"] == f"/compare/{PAIR}"


def test_traffic_form_works_without_javascript(http) -> None:  # type: ignore[no-untyped-def]
    page = http.get(f"/compare/{PAIR}", params={"requests": "2000000"})
    assert "$9,000" in page.text and 'value="2000000"' in page.text
    fragment = http.get(f"/compare/{PAIR}", params={"requests": "2000000", "fragment": "costs"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and "$9,000" in fragment.text
    bad = http.get(f"/compare/{PAIR}", params={"requests": "-3"})
    assert bad.status_code == 400 and "cannot be negative" in bad.text


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
