"""Identity resolution: which canonical model (creator/slug) each provider route serves.

Each provider model id is parsed (identity_parse.py: namespaces, regions, revisions, tags, stamps,
host prefixes, version spellings) into a normalised key. Routes with one key form a node; curated
aliases (data/aliases.yaml) and serving-variant suffixes (`-turbo` on Together, `-fp8`) move a route
to another node. The rules in identity_rules.py then join nodes that are one model and keep apart
those that are not, each with its reason. docs/identity.md documents every step with examples.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from versus.catalog.identity_naming import ModelGroup, RouteRef, explain, make_group, slug_of
from versus.catalog.identity_parse import (
    Naming,
    NamingRules,
    ParsedId,
    lookup_key,
    parse_model_id,
    stamp_suffix,
    trailing_revision,
)
from versus.catalog.identity_rules import (
    Clusters,
    Node,
    RouteFacts,
    apart,
    is_dated,
    join_api_versions,
    join_completions,
    join_equal_names,
    join_single_releases,
    prices_disagree,
    split_price_conflicts,
)
from versus.catalog.types import Resolution

if TYPE_CHECKING:
    from versus.catalog.overlay import AliasFile, ModelAlias

__all__ = ["ModelGroup", "Naming", "NamingRules", "ParsedId", "RouteRef", "parse_model_id", "resolve_routes"]

_SOFT_VERSION = re.compile(r"-v(\d{1,2})$")
_INSTRUCT_NAME = re.compile(r"\b(instruct|it|chat)\b", re.I)


@dataclass
class IdentityResult:
    groups: dict[str, ModelGroup]
    resolutions: dict[RouteRef, Resolution]
    attributes: dict[RouteRef, dict[str, str]]
    keys: dict[RouteRef, str]


def resolve_routes(routes: Sequence[RouteRef], rules: AliasFile) -> IdentityResult:
    """Group routes into canonical models and say, for each route, why it belongs to its model."""
    parsed = {route: parse_model_id(route.provider, route.model_id, rules) for route in routes}
    tokens = {route: list(parsed[route].tokens) for route in routes}
    attributes = {route: dict(parsed[route].attributes) for route in routes}
    how: dict[RouteRef, tuple[float, str]] = {}
    _mark_base_models(routes, parsed, tokens, how, rules)
    alias_keys = alias_targets(rules)
    key_of: dict[RouteRef, str] = {}
    for route in routes:
        p = parsed[route]
        own = _full_key(tokens[route], p.stamp)
        hit = _alias(alias_keys, route.provider, own)
        if p.fine_tune:
            key_of[route] = f"ft-{own}"
            how[route] = (0.9, f"a fine-tune price record of {p.name}: what serving a fine-tune costs, never the model")
        elif hit:
            key_of[route] = hit[0]
            how[route] = (1.0, f"curated alias in data/aliases.yaml: {hit[1].reason}")
        else:
            key_of[route] = own
    _strip_route_suffixes(routes, parsed, tokens, key_of, how, attributes, rules, alias_keys)

    clusters, stamps_seen = _build_nodes(routes, parsed, tokens, key_of, attributes, alias_keys, rules)
    join_equal_names(clusters)
    join_api_versions(clusters)
    join_single_releases(clusters, stamps_seen)
    join_completions(clusters)
    _join_base_model_links(clusters, routes, key_of)
    split_price_conflicts(clusters)
    return _name_groups(routes, parsed, tokens, key_of, how, attributes, clusters, alias_keys, rules)


def _full_key(tokens: Sequence[str], stamp: str | None) -> str:
    return "".join(tokens) + stamp_suffix(stamp)


def _alias(
    alias_keys: dict[tuple[str, str], tuple[str, ModelAlias]], provider: str, key: str
) -> tuple[str, ModelAlias] | None:
    return alias_keys.get((provider, key)) or alias_keys.get(("*", key))


def alias_targets(rules: AliasFile) -> dict[tuple[str, str], tuple[str, ModelAlias]]:
    """(provider or '*', key of an alias id) -> (key of the canonical model, the alias entry)."""
    result: dict[tuple[str, str], tuple[str, ModelAlias]] = {}
    for alias in rules.models:
        slug = alias.model.partition("/")[2]
        target = parse_model_id("", slug, rules).full_key
        for scope in alias.providers or ["*"]:
            result.setdefault((scope, target), (target, alias))
            for alias_id in alias.ids:
                result[(scope, parse_model_id(scope, alias_id, rules).full_key)] = (target, alias)
    return result


def _mark_base_models(
    routes: Sequence[RouteRef],
    parsed: dict[RouteRef, ParsedId],
    tokens: dict[RouteRef, list[str]],
    how: dict[RouteRef, tuple[float, str]],
    rules: AliasFile,
) -> None:
    """`instruct`/`it`/`chat` are dropped only while no base model of the same name exists: when one
    provider lists both spellings, they are two models. The spelling fewer providers use is the one
    marked: a pre-trained `-base` beside a widely served instruct model, or `-instruct` beside a
    chat model everyone lists under the short name (gpt-3.5-turbo)."""
    families: dict[str, list[RouteRef]] = defaultdict(list)
    for route in routes:
        if not parsed[route].fine_tune and "variant" not in dict(parsed[route].attributes):
            name = _without_suffixes(tokens[route], route.provider, rules)
            families[name + stamp_suffix(parsed[route].stamp)].append(route)
    marked: set[str] = set()
    for _family, members in sorted(families.items()):
        worded = [r for r in members if parsed[r].default_word]
        bare = [r for r in members if not parsed[r].default_word]
        both = {r.provider for r in worded} & {r.provider for r in bare}
        # A gateway listing one model under both spellings at one price is relisting, not two models.
        both = {p for p in both if _tells_apart(p, worded, bare)}
        if not both:
            continue
        if len({r.provider for r in bare} - both) > len({r.provider for r in worded} - both):
            marked.add(parsed[worded[0]].name_key)
            continue
        for route in bare:
            if route.provider in both:
                tokens[route].append("base")
                how[route] = (0.9, f"the pre-trained base model: {route.provider} also lists its instruct model")
    # The instruct spelling is the distinct model: every release of it keeps its word.
    for route in routes:
        p = parsed[route]
        if p.default_word and p.name_key in marked:
            tokens[route].append(p.default_words[0])
            how.setdefault(route, (0.9, f"{p.default_words[0]!r} names another model here: hosts list both"))


def _tells_apart(provider: str, worded: Sequence[RouteRef], bare: Sequence[RouteRef]) -> bool:
    """Whether one provider's two spellings are two models: when it prices them apart, or a host sells
    both at a price; not when the short id's own name says Instruct (Bedrock's
    `qwen.qwen3-vl-235b-a22b`, "Qwen3-VL-235B-A22B-Instruct") or a gateway relists one at one price."""
    mine = [r for r in worded if r.provider == provider]
    theirs = [r for r in bare if r.provider == provider and not _INSTRUCT_NAME.search(r.name or "")]
    if any(a.price and b.price and apart(a.price, b.price) for a in mine for b in theirs):
        return True
    # At one price only a host serving weights names a base model, with the weights' repository
    # path (`mistralai/Mistral-7B-v0.1`, Fireworks' `accounts/fireworks/models/mixtral-8x7b`).
    return any(a.price and b.price and a.route_class == "host" and "/" in b.model_id for a in mine for b in theirs)


def _without_suffixes(tokens: Sequence[str], provider: str, rules: AliasFile) -> str:
    suffixes = {s for s in rules.route_suffixes.get("*", []) + rules.route_suffixes.get(provider, [])}
    rest = list(tokens)
    while len(rest) > 1 and rest[-1] in suffixes:
        rest.pop()
    return "".join(rest)


def _strip_route_suffixes(
    routes: Sequence[RouteRef],
    parsed: dict[RouteRef, ParsedId],
    tokens: dict[RouteRef, list[str]],
    key_of: dict[RouteRef, str],
    how: dict[RouteRef, tuple[float, str]],
    attributes: dict[RouteRef, dict[str, str]],
    rules: AliasFile,
    alias_keys: dict[tuple[str, str], tuple[str, ModelAlias]],
) -> None:
    """Fold `-turbo`, `-fp8`, `-high-throughput`… routes into the model another route serves under the
    shorter id; the suffix is kept as the route attribute `serving`."""
    served_by: dict[str, set[RouteRef]] = defaultdict(set)
    for route in routes:
        served_by[key_of[route]].add(route)
    moved: dict[str, tuple[str, str]] = {}
    by_provider: dict[str, list[list[str]]] = {}
    for route in routes:
        if route in how:
            continue
        suffixes = by_provider.get(route.provider)
        if suffixes is None:
            listed = rules.route_suffixes.get("*", []) + rules.route_suffixes.get(route.provider, [])
            suffixes = by_provider[route.provider] = [s.split("-") for s in listed]
        rest = tokens[route]
        if not rest or not any(rest[-1] == s[-1] for s in suffixes):
            continue
        rest = list(rest)
        stripped: list[str] = []
        while (cut := next((s for s in suffixes if len(rest) > len(s) and rest[-len(s) :] == s), None)) is not None:
            stripped = cut + stripped
            del rest[-len(cut) :]
            # what the suffix hid may end in a release stamp: `…-instruct-2507-maas`
            stamp = parsed[route].stamp or parse_model_id(route.provider, "-".join(rest), rules).stamp
            shorter = parse_model_id(route.provider, "-".join(rest), rules) if stamp else None
            candidate = shorter.full_key if shorter and not parsed[route].stamp else _full_key(rest, stamp)
            alias = _alias(alias_keys, route.provider, candidate)
            candidate = alias[0] if alias else candidate
            if served_by.get(candidate, set()) - {route}:
                moved[key_of[route]] = (candidate, "-".join(stripped))
                _move(route, candidate, "-".join(stripped), key_of, how, attributes)
                break
    # A gateway relisting a host's id (`llama-3.3-70b-versatile` beside Groq's) serves what it serves.
    for route in routes:
        if route not in how and key_of[route] in moved:
            _move(route, *moved[key_of[route]], key_of, how, attributes)


def _move(
    route: RouteRef,
    candidate: str,
    serving: str,
    key_of: dict[RouteRef, str],
    how: dict[RouteRef, tuple[float, str]],
    attributes: dict[RouteRef, dict[str, str]],
) -> None:
    key_of[route] = candidate
    attributes[route]["serving"] = serving
    how[route] = (
        0.8,
        f"serving-variant suffix '{serving}' stripped; the model is the one other routes serve as {candidate!r}",
    )


def _build_nodes(
    routes: Sequence[RouteRef],
    parsed: dict[RouteRef, ParsedId],
    tokens: dict[RouteRef, list[str]],
    key_of: dict[RouteRef, str],
    attributes: dict[RouteRef, dict[str, str]],
    alias_keys: dict[tuple[str, str], tuple[str, ModelAlias]],
    rules: AliasFile,
) -> tuple[Clusters, dict[tuple[str, tuple[str, ...]], set[str]]]:
    """One node per key, with the name's words, its stamp and its creator; and every dated stamp
    each creator's name is seen with, aliased routes included (they are releases of it too)."""
    members: dict[str, list[RouteRef]] = defaultdict(list)
    for route in routes:
        members[key_of[route]].append(route)
    targets = {target: alias for target, alias in alias_keys.values()}
    prefixes = _prefix_order(rules)
    moving_keys = {
        (scope, parse_model_id(scope, alias_id, rules).full_key): entry.reason
        for entry in rules.moving_aliases
        for scope in entry.providers or ["*"]
        for alias_id in entry.ids
    }
    nodes: list[Node] = []
    for key, node_routes in members.items():
        own = [r for r in node_routes if _full_key(tokens[r], parsed[r].stamp) == key]
        if own:
            shape = own[0]
            units, stamp = _units(parsed[shape], tokens[shape]), parsed[shape].stamp
            soft = {v for r in own if (v := _soft_version(parsed[r], tokens[r]))}
            soft_version = soft.pop() if len(soft) == 1 else None
        else:
            target = parse_model_id("", key.removeprefix("ft-"), rules)
            units, stamp, soft_version = target.units, target.stamp, None
        alias = targets.get(key)
        creator = alias.model.partition("/")[0] if alias else _creator_hint(node_routes, parsed, prefixes)
        if key.startswith("ft-"):
            units, creator = ("ft", *units), creator
        facts = [_facts(r, parsed[r], attributes[r], creator) for r in node_routes]
        moving = next((m for r in own if (m := _moving(r, parsed[r], moving_keys))), None)
        revisions = frozenset(v for r in own if (v := trailing_revision(parsed[r].name)))
        nodes.append(Node(key, units, stamp, creator, soft_version, facts, moving, revisions))
    clusters = Clusters(nodes)
    listed: dict[tuple[str, tuple[str, ...]], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for route in routes:
        p = parsed[route]
        creator = _route_creator(route, p, prefixes)
        if creator and p.stamp and is_dated(p.stamp) and not p.fine_tune:
            who = "maker" if route.first_party_creator == creator else route.provider
            listed[(creator, _units(p, tokens[route]))][p.stamp].add(who)
    # A release counts when the maker lists it or two providers do: one provider's odd id (Bedrock's
    # `claude-3-7-sonnet-20240620`) does not make a second release.
    stamps = {
        family: {s for s, who in seen.items() if "maker" in who or len(who) >= 2 or len(seen) == 1}
        for family, seen in listed.items()
    }
    return clusters, stamps


def _units(p: ParsedId, tokens: Sequence[str]) -> tuple[str, ...]:
    """The name's units, with the `base`/`instruct` word identity appended to its tokens."""
    return tuple(sorted(set(p.units) | set(tokens[len(p.tokens) :])))


def _moving(route: RouteRef, p: ParsedId, moving_keys: dict[tuple[str, str], str]) -> str | None:
    """Why a route's id follows the maker's newest release: a curated moving alias, `-latest`, `~`."""
    curated = moving_keys.get((route.provider, p.full_key)) or moving_keys.get(("*", p.full_key))
    if curated:
        return curated
    if p.moving and p.stamp != "latest":  # `-latest` with one release is that release (identity_rules)
        return "its id follows the maker's newest release (OpenRouter's ~)"
    return None


def _soft_version(p: ParsedId, tokens: Sequence[str]) -> str | None:
    match = _SOFT_VERSION.search(p.name)
    return match.group(1) if match and tokens and tokens[-1] == match.group(1) else None


def _facts(route: RouteRef, p: ParsedId, attributes: dict[str, str], creator: str | None) -> RouteFacts:
    plain = not ({"variant", "serving", "region"} & set(attributes))
    maker = route.first_party_creator is not None and route.first_party_creator == creator
    return RouteFacts(
        _route_id(route), route.provider, route.price, route.release, route.base_model, plain, maker, p.stamp
    )


def _route_id(route: RouteRef) -> str:
    return f"{route.provider}:{route.model_id}"


def _join_base_model_links(clusters: Clusters, routes: Sequence[RouteRef], key_of: dict[RouteRef, str]) -> None:
    """models.dev's `base_model` links a provider's entry to the model it serves (a coding plan's
    `umans-flash` to qwen3.6-35b-a3b): routes linked to one base model are one model, unless their
    names say another version or size, or prices disagree. Every link is noted in the reason."""
    linked: dict[str, list[RouteRef]] = defaultdict(list)
    for route in routes:
        if route.base_model:
            linked[route.base_model].append(route)
    for base, members in sorted(linked.items()):
        first = key_of[members[0]]
        for route in members[1:]:
            key = key_of[route]
            if clusters.find(key) == clusters.find(first):
                continue
            if _names_conflict(clusters.nodes[key].units, clusters.nodes[first].units):
                clusters.notes.setdefault(key, f"models.dev links it to {base}, but its name says another model")
            elif prices_disagree(clusters.routes(key), clusters.routes(first)):
                clusters.notes.setdefault(key, f"models.dev links it to {base}, but providers price them apart")
            else:
                clusters.join(key, first, 0.9, f"models.dev links it to the base model {base}")


def _names_conflict(a: Sequence[str], b: Sequence[str]) -> bool:
    from versus.catalog.identity_parse import is_size, is_version

    for test in (is_version, is_size):
        mine, theirs = {u for u in a if test(u)}, {u for u in b if test(u)}
        if mine and theirs and mine != theirs:
            return True
    return False


def _route_creator(route: RouteRef, p: ParsedId, prefixes: Sequence[tuple[str, str, str]]) -> str | None:
    """The creator one route's id suggests: its namespace's, its lab's, its name prefix's (`prefixes`,
    longest first), else an unknown namespace."""
    if p.creator:
        return p.creator
    if route.first_party_creator:
        return route.first_party_creator
    key = p.name_key
    for prefix, glued, creator in prefixes:
        if p.name.startswith(prefix) or key.startswith(glued):
            return creator
    return slug_of(p.namespace) if p.namespace else None


def _prefix_order(rules: NamingRules) -> list[tuple[str, str, str]]:
    """Name prefixes longest first (`open-mistral` before `open`), with their separator-free spelling."""
    ordered = sorted(rules.name_prefixes.items(), key=lambda item: len(item[0]), reverse=True)
    return [(prefix, prefix.replace("-", ""), creator) for prefix, creator in ordered]


def _creator_hint(
    routes: Iterable[RouteRef], parsed: dict[RouteRef, ParsedId], prefixes: Sequence[tuple[str, str, str]]
) -> str | None:
    counts = Counter(c for r in routes if (c := _route_creator(r, parsed[r], prefixes)))
    return max(sorted(counts), key=lambda c: counts[c]) if counts else None


def _name_groups(
    routes: Sequence[RouteRef],
    parsed: dict[RouteRef, ParsedId],
    tokens: dict[RouteRef, list[str]],
    key_of: dict[RouteRef, str],
    how: dict[RouteRef, tuple[float, str]],
    attributes: dict[RouteRef, dict[str, str]],
    clusters: Clusters,
    alias_keys: dict[tuple[str, str], tuple[str, ModelAlias]],
    rules: AliasFile,
) -> IdentityResult:
    """A canonical id, creator and name for each cluster, and each route's resolution."""
    members: dict[str, list[RouteRef]] = defaultdict(list)
    for route in routes:
        members[clusters.find(key_of[route])].append(route)
    forced = {target: alias for target, alias in alias_keys.values()}
    drafts = []
    for root in sorted(members):
        keys = sorted({key_of[r] for r in members[root]})
        alias = next((forced[k] for k in keys if k in forced), None)
        drafts.append(make_group(members[root], parsed, attributes, alias, rules))
    plain_ids = Counter(group.id for group, _ in drafts)
    groups: dict[str, ModelGroup] = {}
    group_of: dict[RouteRef, ModelGroup] = {}
    for group, stamped_slug in drafts:
        if plain_ids[group.id] > 1 and stamped_slug and group.alias is None:
            group.slug, group.id = stamped_slug, f"{group.creator}/{stamped_slug}"
        base_id, n = group.id, 2
        while group.id in groups:  # two keys chose one id: keep both, visibly distinct
            group.id, n = f"{base_id}-{n}", n + 1
        groups[group.id] = group
        group_of.update(dict.fromkeys(group.routes, group))

    resolutions: dict[RouteRef, Resolution] = {}
    for route in routes:
        group = group_of[route]
        node = key_of[route]
        if route in how:
            confidence, reason = how[route]
        elif node in clusters.reasons:
            confidence, reason = clusters.reasons[node]
        else:
            confidence, reason = explain(route, group, parsed)
        if note := clusters.notes.get(node):
            reason += f"; kept apart: {note}"
        if note := clusters.route_notes.get(_route_id(route)):
            reason += f"; price conflict: {note}"
        if route.base_model:
            reason += f"; models.dev links it to the base model {route.base_model}"
        resolutions[route] = Resolution(group.id, confidence, reason)
    return IdentityResult(groups, resolutions, attributes, {r: _match_key(parsed[r], tokens[r]) for r in routes})


def _match_key(p: ParsedId, tokens: Sequence[str]) -> str:
    """The route's lookup key, with the `base`/`instruct` word identity gave it back."""
    return ("ft" if p.fine_tune else "") + lookup_key("".join(tokens), p.stamp, dict(p.attributes))
