"""Each model's last price change in comparisons: derived from recorded price intervals exactly as
`versus changes` records them, chosen for the basis route, and shown alike in every view."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from versus.analysis.price_history import PriceChange, TokenPrices, last_price_change, route_price_changes

from .price_intervals import Interval

# The sync tests' local source server and catalog copy, as fixtures here too.
from .test_sync import OPENROUTER, db, hosts, needs_shared, server, sync, versus  # noqa: F401

D = Decimal


def _iv(source: str, prices: tuple[str | None, str | None], start: str | None, end: str | None) -> Interval:
    return Interval(
        "openrouter",
        "z-ai/glm-4.6",
        source,
        D(prices[0]) if prices[0] else None,
        D(prices[1]) if prices[1] else None,
        date.fromisoformat(start) if start else None,
        date.fromisoformat(end) if end else None,
    )


@pytest.mark.parametrize(
    ("intervals", "expected"),
    [
        # Abutting prices of one source: a change on the day the new price starts.
        (
            [
                _iv("openrouter", ("0.43", "1.74"), "2026-05-15", "2026-08-19"),
                _iv("openrouter", ("0.5", "2"), "2026-08-19", None),
            ],
            [("2026-08-19", "openrouter", ("0.43", "1.74"), ("0.5", "2"))],
        ),
        # Given out of order, and starting "before records": still one change, dated.
        (
            [
                _iv("genai-prices", ("2", "8"), "2025-06-10", None),
                _iv("genai-prices", ("10", "40"), None, "2025-06-10"),
            ],
            [("2025-06-10", "genai-prices", ("10", "40"), ("2", "8"))],
        ),
        # A gap (the route was gone, then came back at another price) is not a re-pricing.
        (
            [
                _iv("openrouter", ("1", "2"), "2026-01-01", "2026-02-01"),
                _iv("openrouter", ("1", "3"), "2026-03-01", None),
            ],
            [],
        ),
        # Equal input and output (a cache price moved): history, not a change.
        (
            [
                _iv("openrouter", ("1", "2"), "2026-01-01", "2026-02-01"),
                _iv("openrouter", ("1", "2"), "2026-02-01", None),
            ],
            [],
        ),
        # Two sources keep two timelines: never a change across them.
        ([_iv("openrouter", ("1", "2"), "2026-01-01", None), _iv("models-dev", ("1", "3"), "2026-01-01", None)], []),
        # Two prices in force at once (a source listing the route twice): no change can be told.
        (
            [
                _iv("genai-prices", ("0.05", "0.2"), None, "2026-11-27"),
                _iv("genai-prices", ("0.1", "0.5"), None, None),
                _iv("genai-prices", ("0.05", "0.18"), "2026-11-27", None),
            ],
            [],
        ),
        # A price that becomes unknown is a change too, as `versus changes` records it.
        (
            [_iv("litellm", ("1", "2"), "2026-01-01", "2026-02-01"), _iv("litellm", (None, "2"), "2026-02-01", None)],
            [("2026-02-01", "litellm", ("1", "2"), (None, "2"))],
        ),
    ],
)
def test_changes_come_from_abutting_intervals_of_one_source(intervals: list[Interval], expected: list[Any]) -> None:
    found = route_price_changes(intervals, {"openrouter": "OpenRouter"})
    got = [
        (c.date.isoformat(), c.source, (c.old.input, c.old.output), (c.new.input, c.new.output))
        for c in found.get(("openrouter", "z-ai/glm-4.6"), [])
    ]

    def money(pair: tuple[str | None, str | None]) -> tuple[Decimal | None, Decimal | None]:
        return (D(pair[0]) if pair[0] else None, D(pair[1]) if pair[1] else None)

    assert got == [(day, source, money(old), money(new)) for day, source, old, new in expected]
    assert all(c.provider_name == "OpenRouter" for cs in found.values() for c in cs)


def _change(day: str, source: str, old: tuple[str, str], new: tuple[str, str]) -> PriceChange:
    return PriceChange(
        date.fromisoformat(day),
        "openrouter",
        "OpenRouter",
        "z-ai/glm-4.6",
        source,
        TokenPrices(D(old[0]), D(old[1])),
        TokenPrices(D(new[0]), D(new[1])),
    )


def test_the_last_change_is_the_one_behind_the_price_shown_today() -> None:
    current = TokenPrices(D("0.5"), D("2"))
    past = _change("2026-08-19", "openrouter", ("0.43", "1.74"), ("0.5", "2"))
    older = _change("2026-05-01", "openrouter", ("0.4", "1.5"), ("0.43", "1.74"))
    scheduled = _change("2027-01-01", "openrouter", ("0.5", "2"), ("0.6", "2.4"))  # not in force yet
    today = date(2026, 11, 27)
    assert last_price_change([older, past, scheduled], "openrouter", current, today) == past
    # Another source's change counts only when it lands on the price shown.
    elsewhere = _change("2026-10-01", "litellm", ("0.45", "1.8"), ("0.5", "2"))
    assert last_price_change([past, elsewhere], "openrouter", current, today) == elsewhere
    unrelated = _change("2026-10-01", "litellm", ("0.45", "1.8"), ("0.7", "2.2"))
    assert last_price_change([past, unrelated], "openrouter", current, today) == past
    assert last_price_change([unrelated, scheduled], "openrouter", current, today) is None
    assert last_price_change([], "openrouter", current, today) is None


# --- the real OpenRouter snapshots, synced, then compared -----------------------------------------

GLM = "z-ai/glm-4.6"
OTHER = "mistralai/mistral-small-3.1-24b-instruct"


@pytest.fixture
def synced(hosts, db, capsys) -> Path:  # type: ignore[no-untyped-def]  # noqa: F811
    source, url = hosts
    for payload, day in (
        ("models_2026-05-15_models-dev.json", date(2026, 5, 15)),
        ("models.json", date(2026, 8, 19)),
    ):
        source.publish("v1/models", (OPENROUTER / payload).read_bytes(), day)
        code, report, _ = sync(db, capsys, "openrouter", "--source", f"openrouter={url}/v1/models")
        assert code == 0 and report["openrouter"]["status"] == "updated"
    path: Path = db
    return path


ON_OPENROUTER = ("--provider", "openrouter")


@needs_shared
def test_a_comparison_states_the_basis_routes_last_change_in_every_view(synced, capsys) -> None:  # type: ignore[no-untyped-def]
    code, data, err = versus(synced, capsys, "compare", GLM, OTHER, *ON_OPENROUTER, "-f", "json")
    assert code == 0, err
    glm, other = data["models"]
    assert glm["cost"]["route"]["provider_model_id"] == GLM  # priced on OpenRouter's own route
    assert glm["last_price_change"] == {
        "date": "2026-08-19",
        "provider": "openrouter",
        "provider_name": "OpenRouter",
        "provider_model_id": GLM,
        "source": "openrouter",
        "old": {"input": 0.43, "output": 1.74},
        "new": {"input": 0.5, "output": 2},
    }
    moves = "input $0.43 → $0.50 and output $1.74 → $2.00"
    sentence = f"{glm['name']}'s price on OpenRouter changed on 2026-08-19: {moves} per 1M."
    assert sentence in data["text"]["costs"]
    cell = f"2026-08-19: {moves} (openrouter)"

    code, markdown, _ = versus(synced, capsys, "compare", GLM, OTHER, *ON_OPENROUTER, "-f", "markdown")
    assert code == 0 and f"- {sentence}" in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| Last price change"))
    assert cell in row
    other_cell = "none recorded" if other["last_price_change"] is None else other["last_price_change"]["date"]
    assert other_cell in row

    code, terminal, _ = versus(synced, capsys, "compare", GLM, OTHER, *ON_OPENROUTER)
    assert code == 0 and "Last price change" in terminal and "$1.74 →" in terminal

    from .test_compare_consistency import check_prose_numbers

    assert check_prose_numbers(markdown) == []


@needs_shared
def test_the_changes_a_comparison_reads_are_the_changes_versus_changes_lists(synced, capsys) -> None:  # type: ignore[no-untyped-def]
    from versus.catalog.history_store import HistoryStore
    from versus.catalog.store import CatalogStore
    from versus.services.comparison import ComparisonService

    store = CatalogStore(synced)
    service = ComparisonService(store)
    _, listed, _ = versus(synced, capsys, "changes", "--limit", "100000", "-f", "json")
    models = sorted({c["model"] for c in listed if c["kind"] == "price_change" and c["source"] == "openrouter"})
    assert len(models) >= 50
    routes = {(o.provider_id, o.provider_model_id) for m in models for o in store.offerings(m)}

    def key(provider: str, route: str, source: str, day: str, old: TokenPrices, new: TokenPrices) -> tuple[Any, ...]:
        return (provider, route, source, day, old.input, old.output, new.input, new.output)

    derived = {
        key(c.provider, c.provider_model_id, c.source, c.date.isoformat(), c.old, c.new)
        for changes in service.price_changes(models).values()
        for c in changes
    }

    def prices(listed: dict[str, float | None]) -> TokenPrices:
        return TokenPrices(*(None if listed[p] is None else D(str(listed[p])) for p in ("input", "output")))

    recorded = {
        key(c["provider"], c["provider_model_id"], c["source"], c["date"], prices(c["old"]), prices(c["new"]))
        for c in listed
        if c["kind"] == "price_change" and (c["provider"], c["provider_model_id"]) in routes
    }
    assert len(derived) >= 60 and derived <= recorded
    # What `versus changes` lists beyond them are on routes a source lists several times at once
    # (genai-prices' Hugging Face ids, once per inference provider behind them): it records their
    # prices flapping between those records on every rebuild, so a comparison states no change there.
    history = HistoryStore(synced)
    for provider, route, source, *_ in recorded - derived:
        current = [
            i
            for i in history.intervals([(provider, route)], "")
            if i.provider == provider and i.source == source and i.valid_to is None
        ]
        assert len(current) > 1, (provider, route, source)


def test_without_price_history_there_is_no_row_and_no_sentence(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("compare", "gpt-4o-audio", "mistral-small-3.1", "-f", "json")
    data = result.json()
    assert [m["last_price_change"] for m in data["models"]] == [None, None]
    assert not any("changed on" in line for line in data["text"]["costs"])
    markdown = cli("compare", "gpt-4o-audio", "mistral-small-3.1", "-f", "markdown").out
    assert "Last price change" not in markdown


def test_genai_prices_dated_prices_give_a_change_in_the_embedded_catalog(cli) -> None:  # type: ignore[no-untyped-def]
    """OpenAI cut o3's list price on 2025-06-10: genai-prices dates it, and the maker's route is o3's basis."""
    data = cli("compare", "openai/o3", "openai/gpt-4o", "-f", "json").json()
    o3 = data["models"][0]
    assert o3["last_price_change"]["date"] == "2025-06-10"
    assert o3["last_price_change"]["old"] == {"input": 10, "output": 40}
    assert o3["last_price_change"]["new"] == {
        "input": o3["input_price"]["price"],
        "output": o3["output_price"]["price"],
    }
    assert o3["last_price_change"]["source"] == "genai-prices"


def test_history_costs_a_comparison_well_under_a_millisecond(store) -> None:  # type: ignore[no-untyped-def]
    """The pure comparison with every change of both models' routes against the same without them."""
    from versus.analysis.compare import compare
    from versus.analysis.traffic import Blend, TrafficProfile
    from versus.services.comparison import ComparisonService

    service = ComparisonService(store)
    ids = ["openai/o3", "openai/gpt-4o"]
    inputs = [service.model_input(m) for m in ids]
    changes = service.price_changes(ids)
    assert changes

    def run(with_history: bool) -> float:
        started = time.perf_counter()
        compare(
            inputs,
            service.providers,
            profile=TrafficProfile(),
            blend=Blend(),
            today=date(2026, 11, 27),
            rules=service.rules,
            price_changes=changes if with_history else None,
        )
        return time.perf_counter() - started

    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(30):  # alternating, so both see the same machine
        for flag in (False, True):
            times[flag].append(run(flag))
    extra = sorted(times[True])[15] - sorted(times[False])[15]
    assert extra < 0.001, f"history added {extra * 1000:.2f} ms to a comparison"
