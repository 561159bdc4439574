"""The identity checks of `versus doctor`: models that look split, and routes that look wrongly merged (pure).

A candidate split is two or more models of one creator whose routes spell the same name (the
same words, versions, sizes and release stamp, in any order) that identity did not keep apart on
purpose. A candidate merge is one provider listing one model under two ids priced more than 15 %
apart with no recorded reason (identity records one in the route's resolution when it sees the
conflict: two releases, a serving variant, two spellings of one name).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from versus.catalog.identity_parse import NamingRules, parse_model_id
from versus.catalog.identity_rules import PRICE_TOLERANCE
from versus.catalog.trust import blended
from versus.catalog.types import Model, Offering, RouteFlagName

# Words a resolution reason carries when identity keeps a look-alike apart on purpose (a curated
# alias is a decision too).
KEPT_APART = ("kept apart", "base model", "names another model", "fine-tune price record", "curated alias")
PRICE_NOTE = "price conflict:"


@dataclass(frozen=True)
class CandidateSplit:
    creator: str
    name: str  # the shared words, sorted, and the release stamp if any
    models: list[str]
    routes: list[str]  # one `provider:id` per model, to see the spellings side by side


@dataclass(frozen=True)
class CandidateMerge:
    model: str
    provider: str
    routes: list[str]
    prices: list[str]  # blended 70:30 per 1M tokens, in the order of `routes`
    apart: str


def candidate_splits(
    models: Sequence[Model], offerings: Sequence[Offering], naming: NamingRules
) -> list[CandidateSplit]:
    """Groups of one creator's models whose routes spell one name, unless identity explained why."""
    creator_of = {m.id: m.creator for m in models}
    spelled: dict[tuple[str, tuple[str, ...], str], dict[str, str]] = defaultdict(dict)
    explained: set[str] = set()
    for o in offerings:
        if any(marker in o.resolution.reason for marker in KEPT_APART):
            explained.add(o.model_id)
        parsed = parse_model_id(o.provider_id, o.provider_model_id, naming)
        if parsed.fine_tune or not parsed.tokens:
            continue
        signature = (creator_of.get(o.model_id, ""), parsed.units, parsed.stamp or "")
        spelled[signature].setdefault(o.model_id, f"{o.provider_id}:{o.provider_model_id}")
    found = []
    for (creator, units, stamp), by_model in sorted(spelled.items()):
        if len(by_model) < 2 or sum(m not in explained for m in by_model) < 2:
            continue
        ids = sorted(by_model)
        name = " ".join(units) + (f" @{stamp}" if stamp else "")
        found.append(CandidateSplit(creator, name, ids, [by_model[m] for m in ids]))
    return found


def candidate_merges(offerings: Sequence[Offering]) -> list[CandidateMerge]:
    """One provider's two ids of one model priced more than 15 % apart, with no recorded reason."""
    listed: dict[tuple[str, str], list[tuple[Decimal, Offering]]] = defaultdict(list)
    for o in offerings:
        if not _standard(o) or (price := blended(o.price)) is None or not price:
            continue
        listed[(o.model_id, o.provider_id)].append((price, o))
    found = []
    for (model, provider), priced in sorted(listed.items()):
        priced.sort(key=lambda pair: (pair[0], pair[1].provider_model_id))
        low, high = priced[0], priced[-1]
        if (high[0] - low[0]) / low[0] <= PRICE_TOLERANCE:
            continue
        if PRICE_NOTE in low[1].resolution.reason and PRICE_NOTE in high[1].resolution.reason:
            continue
        found.append(
            CandidateMerge(
                model,
                provider,
                [o.provider_model_id for _, o in priced],
                [f"{price.normalize():f}" for price, _ in priced],
                f"{(high[0] / low[0]):.2f}x",
            )
        )
    return found


def _standard(o: Offering) -> bool:
    """A pay-per-token route at the standard service: its price is comparable with its siblings'."""
    if not o.is_pay_per_token or o.has_flag(RouteFlagName.VARIANT) or o.has_flag(RouteFlagName.SERVING_VARIANT):
        return False
    return not ({"variant", "serving", "region"} & set(o.attributes))
