"""Decision-fit tags and "best for", from documented rules kept as data (data/tags.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from versus.catalog.paths import DATA_DIR
from versus.catalog.types import CAPABILITY_LABELS, Model
from versus.formats import per_million, tokens


@dataclass(frozen=True)
class Rule:
    """One rule of data/tags.yaml (validated by versus.catalog.overlay.TagRulesFile when loaded)."""

    id: str
    text: str  # the tag's label, or the "best for" line
    why: str = ""
    capabilities: tuple[str, ...] = ()
    any_capability: tuple[str, ...] = ()
    min_context: int | None = None
    max_blended_price: Decimal | None = None
    min_production_routes: int | None = None
    openness: str | None = None


@dataclass(frozen=True)
class TagRules:
    tags: tuple[Rule, ...]
    best_for: tuple[Rule, ...]


def tag_rules_from_dict(raw: dict[str, Any]) -> TagRules:
    """Rules from their validated form (`TagRulesFile.model_dump(mode="json")`)."""

    def rule(r: dict[str, Any], text_key: str) -> Rule:
        price = r.get("max_blended_price")
        return Rule(
            id=r["id"],
            text=r[text_key],
            why=r.get("why", ""),
            capabilities=tuple(r.get("capabilities", ())),
            any_capability=tuple(r.get("any_capability", ())),
            min_context=r.get("min_context"),
            max_blended_price=Decimal(str(price)) if price is not None else None,
            min_production_routes=r.get("min_production_routes"),
            openness=r.get("openness"),
        )

    return TagRules(tuple(rule(r, "label") for r in raw["tags"]), tuple(rule(r, "text") for r in raw["best_for"]))


def load_tag_rules(path: Path = DATA_DIR / "tags.yaml") -> TagRules:
    """Read and validate data/tags.yaml (the catalog stores the result, so commands need not)."""
    from versus.catalog.overlay import load_tag_rules_file

    return tag_rules_from_dict(load_tag_rules_file(path).model_dump(mode="json"))


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


def _evidence(rule: Rule, facts: ModelFacts) -> list[str] | None:
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
            tags.append(Tag(rule.text, rule.id, "; ".join(why)))
    return tags


def best_for(facts: ModelFacts, rules: TagRules) -> Tag:
    for rule in rules.best_for:
        why = _evidence(rule, facts)
        if why is not None:
            return Tag(rule.text, rule.id, "; ".join(why) or "no other rule matched")
    return Tag("general production evaluation", "fallback", "no rule matched")
