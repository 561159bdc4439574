"""Identity rules that look at more than one id: which groups of routes are one model, and which are not.

Each route starts in the node of its normalised key (identity.py). The rules here join nodes
(reordered names, an API version `-v1`, the only release of a name, a size a host leaves out, a
models.dev `base_model` link) or keep them apart (several releases under one name, a moving alias,
prices or release dates that disagree), and say why. docs/identity.md lists them with examples.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from versus.catalog.identity_parse import is_size

# Two prices of one model on one provider further apart than this are a conflict to explain.
PRICE_TOLERANCE = Decimal("0.15")
# A stamp this far from the undated model's release date names another release.
RELEASE_TOLERANCE_DAYS = 60
DATED = "dated"


@dataclass(frozen=True)
class RouteFacts:
    """What the rules need to know about a route besides its id."""

    route: str  # provider:model id
    provider: str
    price: Decimal | None  # blended 70:30 per 1M tokens, pay-per-token and priced; None otherwise
    release: date | None
    base_model: str | None
    plain: bool  # no variant, serving or region attribute: its price is the model's standard price
    maker: bool  # the model's creator serving it on its own API
    stamp: str | None


@dataclass
class Node:
    """The routes that share one normalised key (name and stamp)."""

    key: str
    units: tuple[str, ...]
    stamp: str | None
    creator: str | None
    soft_version: str | None  # `nova-pro-v1`: the name ends in an API version
    routes: list[RouteFacts] = field(default_factory=list)
    moving: str | None = None  # why its ids follow the maker's newest release, if they do
    revisions: frozenset[str] = frozenset()  # versions its ids end in as `-vN.M` (a revision of the name)


class Clusters:
    """Union-find over nodes; each merge keeps the reason it was made, for the absorbed node's routes."""

    def __init__(self, nodes: Iterable[Node]) -> None:
        self.nodes = {n.key: n for n in nodes}
        self.parent = {key: key for key in self.nodes}
        self.member_keys: dict[str, list[str]] = {key: [key] for key in self.nodes}  # per root
        self.reasons: dict[str, tuple[float, str]] = {}
        self.notes: dict[str, str] = {}  # per node: why it is kept apart from a look-alike
        self.route_notes: dict[str, str] = {}  # per route: a price conflict and what explains it

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def members(self, key: str) -> list[Node]:
        return [self.nodes[k] for k in self.member_keys[self.find(key)]]

    def groups(self) -> dict[str, list[Node]]:
        return {root: [self.nodes[k] for k in keys] for root, keys in self.member_keys.items()}

    def join(self, absorbed: str, into: str, confidence: float, reason: str) -> bool:
        a, b = self.find(absorbed), self.find(into)
        if a == b:
            return False
        moved = self.member_keys.pop(a)
        self.parent[a] = b
        self.member_keys[b] += moved
        for key in moved:
            self.reasons.setdefault(key, (confidence, reason))
        return True

    def detach(self, key: str) -> None:
        """Take one node out of its cluster; the others stay together."""
        root = self.find(key)
        rest = [k for k in self.member_keys.pop(root) if k != key]
        self.parent[key] = key
        self.member_keys[key] = [key]
        self.reasons.pop(key, None)
        if rest:
            anchor = root if root != key else rest[0]
            for member in rest:
                self.parent[member] = anchor
            self.member_keys[anchor] = rest

    def routes(self, key: str) -> list[RouteFacts]:
        return [r for n in self.members(key) for r in n.routes]

    def creator(self, key: str) -> str | None:
        creators = {n.creator for n in self.members(key) if n.creator}
        return creators.pop() if len(creators) == 1 else None


def prices_disagree(a: Sequence[RouteFacts], b: Sequence[RouteFacts], strict: bool = False) -> bool | None:
    """Whether two sets of routes are priced as two models: the maker's own prices decide; else True
    when at least two providers list both more than 15 % apart (one provider's records alone can be
    stale; `strict`: one is enough), False when providers list both alike, None without evidence."""
    priced_b = defaultdict(list)
    for route in b:
        if route.plain and route.price:
            priced_b[route.provider].append(route)
    maker: list[bool] = []
    verdicts: dict[str, bool] = {}
    for route in a:
        if not (route.plain and route.price):
            continue
        for other in priced_b.get(route.provider, []):
            assert other.price is not None
            differ = apart(route.price, other.price)
            if route.maker and other.maker:
                maker.append(differ)
            verdicts[route.provider] = verdicts.get(route.provider, False) or differ
    if maker:
        return any(maker)
    disagree = sum(verdicts.values())
    if disagree >= (1 if strict else 2):
        return True
    if len(verdicts) > disagree:
        return False
    return None


def price_conflicts(routes: Sequence[RouteFacts]) -> list[tuple[RouteFacts, RouteFacts]]:
    """Pairs of one provider's standard-priced routes more than 15 % apart."""
    by_provider: dict[str, list[RouteFacts]] = defaultdict(list)
    for route in routes:
        if route.plain and route.price:
            by_provider[route.provider].append(route)
    found = []
    for listed in by_provider.values():
        for i, first in enumerate(listed):
            for second in listed[i + 1 :]:
                assert first.price is not None and second.price is not None
                if apart(first.price, second.price):
                    found.append((first, second))
    return found


def apart(a: Decimal, b: Decimal) -> bool:
    low, high = min(a, b), max(a, b)
    return bool(low) and (high - low) / low > PRICE_TOLERANCE


def release_of(routes: Iterable[RouteFacts]) -> date | None:
    """The release date the maker's own routes state; without a maker route, the date at least three
    routes and most dated routes agree on. Hosts' and gateways' dates are often their listing dates,
    so a date few of them state decides nothing."""
    routes = list(routes)
    maker = Counter(r.release for r in routes if r.release and r.maker)
    if maker:
        return max(sorted(maker), key=lambda d: (maker[d], -d.toordinal()))
    counts = Counter(r.release for r in routes if r.release)
    if not counts:
        return None
    best = max(sorted(counts), key=lambda d: (counts[d], -d.toordinal()))
    return best if counts[best] >= 3 and counts[best] * 2 > sum(counts.values()) else None


def stamp_date(stamp: str | None) -> tuple[int | None, int, int | None] | None:
    """The (year, month, day) a stamp names, as far as it names one: `2024-06-20`, `2025-03` (from
    `03-2025`), `2411` (YYMM), `0324` or `preview-0520` (MMDD, no year). None for `001`, `latest`."""
    if not stamp:
        return None
    text = stamp.removeprefix("preview-")
    parts = text.split("-")
    if len(parts) == 3:
        return int(parts[0]), int(parts[1]), int(parts[2])
    if len(parts) == 2 and len(parts[0]) == 4:
        return int(parts[0]), int(parts[1]), None
    if len(text) == 4 and text.isdigit():
        first, second = int(text[:2]), int(text[2:])
        return (2000 + first, second, None) if first > 12 else (None, first, second)
    return None


def stamp_far_from(stamp: str | None, release: date | None) -> bool:
    """True when a stamp plainly names another release than the one dated `release`."""
    when = stamp_date(stamp)
    if when is None or release is None:
        return False
    year, month, day = when
    if year is None:  # month and day only: compare within the release's year and its neighbours
        assert day is not None
        candidates = [_safe_date(y, month, day) for y in (release.year - 1, release.year, release.year + 1)]
        return min(abs((c - release).days) for c in candidates if c) > RELEASE_TOLERANCE_DAYS
    stamped = _safe_date(year, month, day or 15)
    return stamped is None or abs((stamped - release).days) > RELEASE_TOLERANCE_DAYS + (15 if day is None else 0)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def is_dated(stamp: str | None) -> bool:
    return stamp not in (None, "latest", "preview")


def join_equal_names(clusters: Clusters) -> None:
    """Reordered names: one creator's ids with the same words, versions and sizes in another order
    (`claude-3-5-sonnet`, `claude-sonnet-3.5`, `anthropic-claude-3.5-sonnet`) are one model."""
    by_signature: dict[tuple[str, tuple[str, ...], str | None], list[str]] = defaultdict(list)
    for node in clusters.nodes.values():
        if node.creator and not node.moving:
            by_signature[(node.creator, node.units, node.stamp)].append(node.key)
    for keys in by_signature.values():
        first = min(keys, key=lambda k: (-len(clusters.nodes[k].routes), k))
        for key in sorted(keys):
            if key != first and not prices_disagree(clusters.routes(key), clusters.routes(first)):
                clusters.join(key, first, 0.85, f"the same words in another order as {first!r} (same creator)")


def join_api_versions(clusters: Clusters) -> None:
    """`nova-pro-v1` beside `nova-pro`: the id's -vN is an API version when the name without it is
    served too and no other -vN of that name exists."""
    stems: dict[tuple[str | None, tuple[str, ...], str | None], list[Node]] = defaultdict(list)
    for node in clusters.nodes.values():
        stems[(node.creator, node.units, node.stamp)].append(node)
    versioned: dict[tuple[str | None, tuple[str, ...], str | None], list[Node]] = defaultdict(list)
    for node in clusters.nodes.values():
        if node.soft_version and node.creator:
            stem = tuple(u for u in node.units if u != node.soft_version)
            versioned[(node.creator, stem, node.stamp)].append(node)
    for signature, nodes in versioned.items():
        bare = stems.get(signature, [])
        versions = {n.soft_version for n in nodes}
        if len(versions) != 1 or not bare:
            continue
        node, target = nodes[0], bare[0]
        if not prices_disagree(clusters.routes(node.key), clusters.routes(target.key)):
            for other in nodes:
                clusters.join(
                    other.key,
                    target.key,
                    0.85,
                    f"-v{node.soft_version} is an API version: the only one of {target.key!r}",
                )


def join_single_releases(clusters: Clusters, stamps_seen: dict[tuple[str, tuple[str, ...]], set[str]]) -> None:
    """A dated id is the undated model when the name has no other dated release, its date is the
    model's release date and the prices agree; `-preview` joins when the name has no dated release;
    `-latest` joins only with prices that agree on one provider. Otherwise each is kept apart, and says why."""
    families: dict[tuple[str, tuple[str, ...]], list[Node]] = defaultdict(list)
    for node in clusters.nodes.values():
        if node.moving:
            clusters.notes.setdefault(node.key, f"a moving alias: {node.moving}")
        elif node.creator:
            families[(node.creator, node.units)].append(node)
    for family, nodes in families.items():
        dated = sorted(stamps_seen.get(family, set()))
        bare = [n for n in nodes if n.stamp is None]
        target = bare[0] if bare else None
        for node in sorted(nodes, key=lambda n: n.key):
            if node.stamp is None:
                continue
            if target is None and node.stamp == "latest" and len(dated) == 1:
                # no undated id: `-latest` of a name with one dated release is that release
                release = next((n for n in nodes if n.stamp == dated[0]), None)
                if release and prices_disagree(clusters.routes(node.key), clusters.routes(release.key)) is False:
                    clusters.join(node.key, release.key, 0.85, f"-latest of the one release {release.key!r}")
                    continue
            _place_release(clusters, node, target, dated)


def _place_release(clusters: Clusters, node: Node, target: Node | None, dated: list[str]) -> None:
    others = [s for s in dated if s != node.stamp]
    if target is None:
        if node.stamp == "latest":
            clusters.notes.setdefault(node.key, "a moving alias (-latest): it follows the maker's newest release")
        elif len(dated) > 1 and is_dated(node.stamp):
            clusters.notes.setdefault(node.key, f"one of {len(dated)} dated releases under this name")
        return
    mine, theirs = clusters.routes(node.key), clusters.routes(target.key)
    disagree = prices_disagree(mine, theirs)
    name = target.key
    if node.stamp == "latest":
        # with no dated release under the name, -latest can only be the one release there is
        if (not dated and not disagree) or (len(dated) == 1 and disagree is False):
            clusters.join(node.key, target.key, 0.85, f"-latest of {name!r}: one release, priced alike on one provider")
        else:
            clusters.notes.setdefault(node.key, "a moving alias (-latest): it follows the maker's newest release")
        return
    if node.stamp == "preview":
        general = any(r.maker and r.stamp is None for r in theirs)
        if dated or general or prices_disagree(mine, theirs, strict=True):
            clusters.notes.setdefault(node.key, f"the preview of {name!r}, which the maker also lists as released")
        else:
            clusters.join(node.key, target.key, 0.85, f"the preview under {name!r}: no other release, prices agree")
        return
    if others:
        clusters.notes.setdefault(node.key, f"one of {len(dated)} dated releases of {name!r}: {', '.join(dated)}")
    elif disagree:
        clusters.notes.setdefault(node.key, f"priced more than 15 % apart from {name!r} on one provider")
    elif stamp_far_from(node.stamp, release_of(theirs)):
        clusters.notes.setdefault(node.key, f"its stamp {node.stamp} is not the release date of {name!r}")
    else:
        clusters.join(node.key, target.key, 0.85, f"the only dated release of {name!r} ({node.stamp})")


def join_completions(clusters: Clusters) -> None:
    """A name a host shortens (`qwen3.5:397b` for qwen3.5-397b-a17b, `nemotron-3-super` for its
    120B-A12B, `l3-euryale-70b` for v2.1) is the one model whose name adds only sizes or a trailing
    revision to it, when there is exactly one such model of the same creator and no provider prices
    them apart."""
    roots = clusters.groups()
    unit_sets = {root: {(n.units, n.stamp) for n in nodes} for root, nodes in roots.items()}
    revisions = {root: frozenset().union(*(n.revisions for n in nodes)) for root, nodes in roots.items()}
    by_creator: dict[str, list[str]] = defaultdict(list)
    for root, nodes in roots.items():
        if (creator := clusters.creator(root)) and not any(n.moving for n in nodes):
            by_creator[creator].append(root)
    for members in by_creator.values():
        holding: dict[str, set[str]] = defaultdict(set)  # a unit -> the roots with a name holding it
        for root in members:
            for units, _ in unit_sets[root]:
                for unit in units:
                    holding[unit].add(root)
        order = sorted(members, key=lambda r: (-max(len(u) for u, _ in unit_sets[r]), r))
        for root in order:
            if root not in unit_sets or clusters.find(root) != root:
                continue
            units, stamp = min(unit_sets[root], key=lambda pair: (len(pair[0]), pair[0], pair[1] or ""))
            mine = frozenset(units)
            near = set.intersection(*(holding[u] for u in mine)) if mine else set()
            candidates = [
                other
                for other in sorted(near)
                if other != root
                and other in unit_sets
                and clusters.find(other) == other
                and any(_completes(mine, stamp, u, s, revisions[other]) for u, s in unit_sets[other])
            ]
            if len(candidates) != 1:
                continue
            target = candidates[0]
            if prices_disagree(clusters.routes(root), clusters.routes(target)):
                continue
            added = sorted(set(min(unit_sets[target], key=lambda p: len(p[0]))[0]) - set(units))
            if clusters.join(root, target, 0.8, f"the one model of its creator whose name adds only {added} to it"):
                for unit in {u for units_, _ in unit_sets[root] for u in units_}:
                    holding[unit].add(target)
                unit_sets[target] = unit_sets[target] | unit_sets.pop(root)
                revisions[target] = revisions[target] | revisions.pop(root)


def _completes(
    units: frozenset[str], stamp: str | None, other: tuple[str, ...], other_stamp: str | None, revisions: frozenset[str]
) -> bool:
    if stamp != other_stamp or stamp == "latest" or len(other) <= len(units) or not units.issubset(other):
        return False
    # sizes and a trailing revision (`-v2.1`) complete a name; a plain number is another generation
    return all(is_size(u) or u in revisions for u in other if u not in units)


def split_price_conflicts(clusters: Clusters) -> None:
    """Two ids of one provider in one model priced more than 15 % apart must be explained or split:
    ids of two releases (different stamps) explain it; ids a rule joined are taken apart again (the
    joined node leaves); two spellings of one name cannot be told apart, so the conflict is noted."""
    for root in list(clusters.groups()):
        node_of = {r.route: n for n in clusters.members(root) for r in n.routes}
        for first, second in price_conflicts(clusters.routes(root)):
            where = f"{first.provider} prices {first.route} and {second.route} more than 15 % apart"
            a, b = node_of[first.route], node_of[second.route]
            if first.stamp != second.stamp:
                note = f"{where}: two releases of the name ({first.stamp or 'undated'}, {second.stamp or 'undated'})"
            elif a.key != b.key and clusters.find(a.key) == clusters.find(b.key):
                leaving = b if b.key in clusters.reasons and clusters.find(b.key) != b.key else a
                if leaving.key in clusters.reasons:
                    clusters.detach(leaving.key)
                    clusters.notes[leaving.key] = f"{where}; the rule that joined them is undone"
                    continue
                note = f"{where}; both ids name the model"
            elif a.key != b.key:
                continue  # already taken apart by an earlier conflict
            else:
                note = f"{where} under one name; the conflict is kept visible"
            clusters.route_notes.setdefault(first.route, note)
            clusters.route_notes.setdefault(second.route, note)
