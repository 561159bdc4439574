"""Decision-fit tags and "best for", from documented rules kept as data (data/tags.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from versus.catalog.paths import DATA_DIR
from versus.catalog.types import CAPABILITY_LABELS, Model
from versus.formats import per_million, tokens


class _Conditions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    capabilities: list[str] = []
    any_capability: list[str] = []
    min_context: int | None = None
    max_blended_price: Decimal | None = None
    min_production_routes: int | None = None
    openness: Literal["open-weights", "proprietary"] | None = None


class TagRule(_Conditions):
    label: str
    why: str


class BestForRule(_Conditions):
    text: str


class TagRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    tags: list[TagRule]
    best_for: list[BestForRule]


@dataclass(frozen=True)
class ModelFacts:
    """What the rules look at, for one model in one comparison."""

    model: Model
    blended_price: Decimal | None
    production_routes: int


@dataclass(frozen=True)
class Tag:
    label: str
    rule: str
    because: str


def load_tag_rules(path: Path = DATA_DIR / "tags.yaml") -> TagRules:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return TagRules.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))


def _evidence(rule: _Conditions, facts: ModelFacts) -> list[str] | None:
    """Why the rule matches, one phrase per condition; None if any condition fails or is unknown."""
    model, why = facts.model, []
    for name in rule.capabilities:
        if model.capabilities.get(name) is not True:
            return None
        why.append(f"{CAPABILITY_LABELS[name]}: Yes")
    if rule.any_capability:
        present = [n for n in rule.any_capability if model.capabilities.get(n) is True]
        if not present:
            return None
        why.append(f"{', '.join(CAPABILITY_LABELS[n] for n in present)}: Yes")
    if rule.min_context is not None:
        if model.context_window is None or model.context_window < rule.min_context:
            return None
        why.append(f"context {tokens(model.context_window)} ≥ {tokens(rule.min_context)}")
    if rule.max_blended_price is not None:
        if facts.blended_price is None or facts.blended_price > rule.max_blended_price:
            return None
        why.append(f"blended {per_million(facts.blended_price)} ≤ {per_million(rule.max_blended_price)}")
    if rule.min_production_routes is not None:
        if facts.production_routes < rule.min_production_routes:
            return None
        why.append(f"{facts.production_routes} pay-per-token routes ≥ {rule.min_production_routes}")
    if rule.openness is not None:
        if model.openness is None or model.openness.value != rule.openness:
            return None
        why.append(f"openness {rule.openness}")
    return why


def decision_tags(facts: ModelFacts, rules: TagRules) -> list[Tag]:
    tags = []
    for rule in rules.tags:
        why = _evidence(rule, facts)
        if why is not None:
            tags.append(Tag(rule.label, rule.id, "; ".join(why)))
    return tags


def best_for(facts: ModelFacts, rules: TagRules) -> Tag:
    for rule in rules.best_for:
        why = _evidence(rule, facts)
        if why is not None:
            return Tag(rule.text, rule.id, "; ".join(why) or "no other rule matched")
    return Tag("general production evaluation", "fallback", "no rule matched")
