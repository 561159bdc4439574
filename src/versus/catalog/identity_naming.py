"""Naming a model from its routes: the route and group types, the canonical id, creator and display name.

The id is `creator/slug`, from the anchor route: a route of the first sources (a new source never
renames a model), not a variant, OpenRouter's id before the lab's own before any namespaced id,
and an id without a release date before a dated one (docs/identity.md, "Canonical id").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from versus.catalog.identity_parse import NamingRules, ParsedId
from versus.catalog.identity_rules import is_dated

if TYPE_CHECKING:
    from versus.catalog.overlay import AliasFile, ModelAlias


@dataclass(frozen=True)
class RouteRef:
    """What identity resolution needs to know about a route.

    `price` is its standard blended price (70:30, per 1M tokens) when it is pay-per-token and
    priced; `rank` orders sources for naming: 0 for routes the first sources list, 1 for routes
    only a later source (LiteLLM) adds, so a new source never renames a model.
    """

    provider: str
    model_id: str
    name: str | None = None
    first_party_creator: str | None = None
    price: Decimal | None = None
    release: date | None = None
    base_model: str | None = None
    rank: int = 0
    route_class: str = ""  # its provider's class: maker, cloud, host or gateway

    _hash: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        # routes key many dicts: hash once, on the two fields that tell them apart
        object.__setattr__(self, "_hash", hash((self.provider, self.model_id)))

    def __hash__(self) -> int:
        return self._hash


@dataclass
class ModelGroup:
    """The routes judged to serve one canonical model."""

    id: str
    creator: str
    slug: str
    name: str | None
    routes: list[RouteRef] = field(default_factory=list)
    alias: ModelAlias | None = None


def make_group(
    routes: list[RouteRef],
    parsed: dict[RouteRef, ParsedId],
    attributes: dict[RouteRef, dict[str, str]],
    alias: ModelAlias | None,
    rules: AliasFile,
) -> tuple[ModelGroup, str | None]:
    """The group and, when its anchor id carries a release stamp, the slug with that stamp (used when
    another release of the name claims the plain slug)."""
    if alias is not None:
        creator, _, slug = alias.model.partition("/")
        return ModelGroup(alias.model, creator, slug, alias.name or _pick_name(routes), routes, alias), None
    anchor = min(routes, key=lambda r: _anchor_rank(r, parsed[r], attributes[r]))
    p = parsed[anchor]
    named = [r for r in routes if r.rank == anchor.rank]
    creator = _creator(named, parsed, rules)
    prefix = "ft-" if p.fine_tune else ""
    # A release number (`2512`, `0324`, `-latest`) stays in the slug as it always has; a date only
    # when another release of the name claims the plain slug.
    dated = "snapshot" in dict(p.attributes)
    slug = prefix + slug_of(p.name if dated else p.stamped_name)
    stamped = prefix + slug_of(p.stamped_name) if dated and p.stamped_name != p.name else None
    return ModelGroup(f"{creator}/{slug}", creator, slug, _pick_name(named), routes), stamped


def _anchor_rank(route: RouteRef, p: ParsedId, attributes: dict[str, str]) -> tuple[int, int, int, int, str, str]:
    """Which route names the model: one from the first sources, not a variant; OpenRouter's id, the
    lab's own, any namespaced id; one without a release date or number before a dated one."""
    variant = "variant" in attributes or "serving" in attributes
    if route.provider == "openrouter":
        rank = 0
    elif route.first_party_creator:
        rank = 1
    elif p.creator:
        rank = 2
    else:
        rank = 3
    return (route.rank, int(variant), rank, int(is_dated(p.stamp)), route.provider, route.model_id)


def _creator(routes: Iterable[RouteRef], parsed: dict[RouteRef, ParsedId], rules: NamingRules) -> str:
    """Who made the model: a known creator in OpenRouter's id, in most ids, the lab serving it,
    the model name's prefix; failing those, an unknown namespace (a fine-tuner), then the provider."""
    routes = sorted(routes, key=lambda r: (r.provider != "openrouter", r.provider, r.model_id))
    strong = Counter(parsed[r].creator for r in routes if parsed[r].creator)
    openrouter = [parsed[r].creator for r in routes if r.provider == "openrouter" and parsed[r].creator]
    if openrouter:
        return openrouter[0] or ""
    if strong:
        return max(sorted(c for c in strong if c), key=lambda c: strong[c])
    first_party = sorted(r.first_party_creator for r in routes if r.first_party_creator)
    if first_party:
        return first_party[0]
    name = min(parsed[r].name for r in routes)
    for prefix in sorted(rules.name_prefixes, key=len, reverse=True):
        if name.startswith(prefix):
            return rules.name_prefixes[prefix]
    weak = Counter(slug_of(ns) for r in routes if (ns := parsed[r].namespace))
    if weak:
        return max(sorted(weak), key=lambda c: weak[c])
    return routes[0].provider


def slug_of(name: str) -> str:
    slug = re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-.")
    return slug or "unnamed"


_NAME_PREFIX = re.compile(r"^[^:]{2,40}:\s+")
_VARIANT_ID = re.compile(r":([a-z][a-z0-9_-]*)$")
_VARIANT_NAME = re.compile(r"\s*\((?:free|batch|thinking|beta|extended|nitro|online|floor|exacto|latest)\)\s*$", re.I)


def _pick_name(routes: Iterable[RouteRef]) -> str | None:
    """OpenRouter's name for the model, else the lab's own, else the most common one; names of
    variant routes (`:free`, `:batch`) only when no plain route has one."""
    routes = list(routes)
    plain = [r for r in routes if not _VARIANT_ID.search(r.model_id.lower())]
    named = [(r, _VARIANT_NAME.sub("", _NAME_PREFIX.sub("", r.name)).strip()) for r in plain or routes if r.name]
    if not named:
        return None
    for preferred in (lambda r: r.provider == "openrouter", lambda r: r.first_party_creator is not None):
        names = sorted(n for r, n in named if preferred(r))
        if names:
            return min(names, key=len)
    counts = Counter(n for _, n in named)
    return max(sorted(counts), key=lambda n: counts[n])


def explain(route: RouteRef, group: ModelGroup, parsed: dict[RouteRef, ParsedId]) -> tuple[float, str]:
    p = parsed[route]
    others = [r for r in group.routes if r is not route]
    if not others:
        return 0.7, "no other route matches its normalised id; it is its own model"
    if any(parsed[o].name == p.name and parsed[o].stamp == p.stamp for o in others):
        peer = next(o for o in others if parsed[o].name == p.name and parsed[o].stamp == p.stamp)
        steps = f" after {', '.join(p.steps)}" if p.steps else ""
        return 0.95, f"same model id as {peer.provider}:{peer.model_id}{steps}"
    peer = others[0]
    return 0.85, (
        f"same normalised key {p.full_key!r} as {peer.provider}:{peer.model_id} "
        f"(separators, version spelling and instruct/it folded)"
    )
