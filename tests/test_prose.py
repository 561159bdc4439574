"""Sentences read naturally for any comparison: ties, equal prices, unpriced models, unknown
capabilities, identical providers, three or more models."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from versus.analysis.compare import Comparison, ComparisonError, ModelInput, compare
from versus.analysis.tags import load_tag_rules
from versus.analysis.traffic import Blend, TrafficProfile
from versus.catalog.types import Model, Offering, Provider, Resolution, RouteClass, RouteKind, RoutePrice
from versus.render import faq, prose
from versus.render.markdown import render_markdown

PROVIDERS = {p: Provider(p, p.title(), RouteClass.HOST) for p in ("alpha", "beta", "gamma", "delta")}
RULES = load_tag_rules()


def side(
    name: str, price: tuple[str, str] | None, providers: tuple[str, ...] = ("alpha",), **caps: bool | None
) -> ModelInput:
    model_id = f"lab/{name.lower().replace(' ', '-')}"
    model = Model(
        id=model_id,
        name=name,
        creator="lab",
        creator_name="Lab",
        context_window=128_000,
        capabilities={"vision": None, **caps},
    )
    offerings = [
        Offering(
            p,
            name.lower(),
            model_id,
            RouteKind.PAY_PER_TOKEN,
            RoutePrice(*(Decimal(x) for x in price)) if price else RoutePrice(),
            Resolution(model_id, 1.0, "test"),
        )
        for p in providers
    ]
    return ModelInput(model, offerings)


def run(*inputs: ModelInput) -> Comparison:
    return compare(
        list(inputs), PROVIDERS, profile=TrafficProfile(), blend=Blend(), today=date(2026, 11, 27), rules=RULES
    )


def test_join() -> None:
    assert prose.join([]) == ""
    assert prose.join(["A"]) == "A"
    assert prose.join(["A", "B"]) == "A and B"
    assert prose.join(["A", "B", "C"], "or") == "A, B or C"


def test_clear_winner_headline() -> None:
    c = run(side("Dear", ("2.50", "10")), side("Cheap", ("0.10", "0.30")))
    text = prose.headline(c)
    assert text.startswith("Cheap is 25× cheaper on input and 33× cheaper on output than Dear")
    assert "($0.10 vs $2.50 input, $0.30 vs $10 output per 1M tokens)" in text


def test_equal_prices_headline_and_tradeoff() -> None:
    c = run(side("Left", ("1", "2")), side("Right", ("1", "2")))
    assert prose.headline(c) == (
        "Left and Right cost the same on the routes each is priced on: $1.00/1M input and $2.00/1M output. "
        "Choose on capabilities, context and providers."
    )
    assert "Output prices tie at $2.00/1M on the routes each is priced on." in prose.tradeoffs(c)
    assert "Both cost $1,300 a month at this traffic." in prose.cost_lines(c)  # 800 x $1 + 250 x $2


def test_split_prices_headline() -> None:
    c = run(side("InputCheap", ("0.50", "8")), side("OutputCheap", ("1", "2")))
    text = prose.headline(c)
    assert "InputCheap is 2× cheaper on input and OutputCheap 4× cheaper on output" in text
    assert "at a 70:30 input:output blend OutputCheap costs less" in text


def test_one_model_unpriced() -> None:
    c = run(side("Priced", ("1", "2")), side("Mystery", None))
    assert prose.headline(c).startswith("Mystery has no known pay-per-token price on any tracked route")
    assert "Mystery: no pay-per-token route lists both input and output prices" in " ".join(prose.cost_lines(c))
    markdown = render_markdown(c)
    assert "$0" not in markdown.replace("$0.", "")  # unknown is never shown as free


def test_no_model_priced() -> None:
    c = run(side("One", None), side("Two", None))
    assert prose.headline(c).startswith("No tracked pay-per-token route lists both input and output prices")
    assert faq.faq(c)[1][1] == "No tracked pay-per-token route lists their prices, so cost cannot be compared."


def test_unknown_capabilities_are_not_absent() -> None:
    c = run(side("Seer", ("1", "2"), vision=True), side("Unknown", ("1", "2"), vision=None))
    answer = dict(faq.faq(c))["Which is better for vision, Seer or Unknown?"]
    assert answer.startswith("Seer supports vision; no source documents vision for Unknown.")
    friction = prose.friction_lines(c)
    assert any("vision is not documented for Unknown; test before moving" in line for line in friction)
    assert not any("loses vision" in line for line in friction)


def test_identical_providers() -> None:
    c = run(side("First", ("1", "2"), ("alpha", "beta")), side("Second", ("2", "3"), ("alpha", "beta")))
    assert c.shared_providers == ["Alpha", "Beta"]
    assert "start route-level A/B tests on Alpha and Beta, which serve both." in prose.friction_lines(c)[0]
    assert "Alpha and Beta serve every model compared." in faq.faq(c)[5][1]


def test_no_shared_provider() -> None:
    c = run(side("First", ("1", "2"), ("alpha",)), side("Second", ("2", "3"), ("beta",)))
    assert "no provider serves both" in prose.friction_lines(c)[0]


def test_three_models_measure_against_the_cheapest() -> None:
    c = run(
        side("Mid", ("1", "2")),
        side("Low", ("0.1", "0.2"), vision=False),
        side("High", ("5", "15"), ("alpha", "beta", "gamma"), vision=True),
    )
    text = prose.headline(c)
    assert text.startswith("At your traffic Low is cheapest at $130 a month")
    assert "Mid $1,300 (10× the cost)" in text and "High $7,750 (60× the cost)" in text
    assert "Over Low, High adds vision and more pay-per-token routes (3 vs 1)." in text
    assert faq.faq(c)[0][0] == "Which has a larger context window, Mid, Low or High?"
    assert "Mid, Low and High all support 128k tokens" in faq.faq(c)[0][1]


def test_comparing_a_model_with_itself_is_refused() -> None:
    with pytest.raises(ComparisonError, match="named twice"):
        run(side("Same", ("1", "2")), side("Same", ("1", "2")))
    with pytest.raises(ComparisonError, match="at least two"):
        run(side("Alone", ("1", "2")))
