"""The decision header's pure parts: cost cards, the most decisive differences, context misfits, bar scales,
and traffic figures written the way people write them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from versus.analysis.decision import context_misfits, cost_cards, decisive_differences
from versus.analysis.traffic import TrafficError, TrafficProfile, parse_count
from versus.render import decision
from versus.web.chart import bar_widths

from .test_prose import run, side


def test_cards_give_each_model_its_cost_against_the_cheapest() -> None:
    c = run(side("Dear", ("2.50", "10")), side("Cheap", ("0.10", "0.30")))
    cards = {card.name: card for card in cost_cards(c)}
    assert cards["Cheap"].is_cheapest and decision.times_text(cards["Cheap"]) == "cheapest"
    assert decision.times_text(cards["Dear"]) == "29× the cheapest"  # $4,500 / $155
    assert decision.card_line(c, cards["Dear"]).startswith("Dear: $4,500 a month, 29× the cheapest; priced on Alpha")


def test_capability_gaps_come_before_licence_and_only_three_are_kept() -> None:
    c = run(
        side("A", ("1", "2"), function_calling=True, vision=True, structured_outputs=True, reasoning=True),
        side("B", ("1", "2"), function_calling=False, vision=False, structured_outputs=False, reasoning=False),
    )
    found = decisive_differences(c)
    assert [d.subject for d in found] == ["function_calling", "vision", "structured_outputs"]
    assert decision.differences(c)[0] == "A has function calling; B does not."


def test_unknown_is_no_difference() -> None:
    c = run(side("A", ("1", "2"), vision=True), side("B", ("1", "2"), vision=None))
    assert decisive_differences(c) == []
    assert decision.differences(c) == [
        "No capability, context or licence difference stands out: decide on cost and your own tests."
    ]


@pytest.mark.parametrize(
    ("input_tokens", "output_tokens", "misfits"), [(800, 250, 0), (127_000, 1_000, 0), (127_000, 1_001, 2)]
)
def test_requests_beyond_the_context_window_are_named(input_tokens: int, output_tokens: int, misfits: int) -> None:
    from datetime import date

    from versus.analysis.compare import compare
    from versus.analysis.traffic import Blend

    from .test_prose import PROVIDERS, RULES

    profile = TrafficProfile(input_tokens=input_tokens, output_tokens=output_tokens)
    c = compare(
        [side("A", ("1", "2")), side("B", ("1", "2"))],
        PROVIDERS,
        profile=profile,
        blend=Blend(),
        today=date(2026, 11, 27),
        rules=RULES,
    )
    assert len(context_misfits(c)) == misfits  # both have a 128,000-token window


@pytest.mark.parametrize(
    ("costs", "widths", "log"),
    [
        ([Decimal(4500), Decimal(155)], [100.0, 40.6], True),  # 29×: log scale from $15.50
        ([Decimal(200), Decimal(100)], [100.0, 50.0], False),
        ([Decimal(0), Decimal(100)], [2.0, 100.0], False),  # a free model still shows a bar
        ([None, Decimal(100)], [None, 100.0], False),
    ],
)
def test_bars_never_lie_on_the_axis(costs: list[Decimal | None], widths: list[float | None], log: bool) -> None:
    found, use_log = bar_widths(costs)
    assert use_log is log
    assert [None if w is None else round(w, 1) for w in found] == widths


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5M", 5_000_000),
        ("5m", 5_000_000),
        ("2.5k", 2_500),
        ("1,000,000", 1_000_000),
        ("5e6", 5_000_000),
        ("1B", 1_000_000_000),
        (" 3 M ", 3_000_000),
        ("800", 800),
    ],
)
def test_counts_as_people_write_them(text: str, value: int) -> None:
    assert parse_count("requests", text) == value


@pytest.mark.parametrize("text", ["2.5", "0.0001k", "k", "5MM", "1e15k", "lots"])
def test_counts_that_are_no_whole_number_are_refused(text: str) -> None:
    with pytest.raises(TrafficError):
        parse_count("requests", text)
