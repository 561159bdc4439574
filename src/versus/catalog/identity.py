"""Identity resolution: which canonical model (creator/slug) each provider route serves.

A provider's model id is normalised in documented steps (docs/identity.md): namespace and
region prefixes, vendor prefixes, version suffixes, date stamps and route variants are peeled off
and kept as attributes; what remains is compared as a separator-free key, with version
spellings (`v3p1`, `3-1`, `3.1`) and the default-variant words `instruct` and `it`
folded. Curated aliases (data/aliases.yaml) tie ids no rule can; serving-variant suffixes
(`-turbo` on Together, `-fp8`) are stripped only when the shorter id is a model another route serves.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

from versus.catalog.types import Resolution

if TYPE_CHECKING:
    from versus.catalog.overlay import AliasFile, ModelAlias


class NamingRules(Protocol):
    """The part of data/aliases.yaml that id normalisation needs."""

    @property
    def creators(self) -> dict[str, str]: ...

    @property
    def name_prefixes(self) -> dict[str, str]: ...


@dataclass(frozen=True)
class Naming:
    """NamingRules as plain data, stored with the catalog so name lookups need no YAML."""

    creators: dict[str, str]
    name_prefixes: dict[str, str]


_VARIANT = re.compile(r":([a-z][a-z0-9_-]*)$")
_VERSION_SUFFIX = re.compile(r"(-v?\d+)?:\d+$")
_NAMESPACES = (
    re.compile(r"^accounts/[^/]+/models/"),
    re.compile(r"^[^/]+/chat-completion/models/"),
    re.compile(r"^workers-ai/"),
    re.compile(r"^@(cf|hf)/"),
    re.compile(r"^hf:"),
    re.compile(r"^(route|tee|models)/"),
)
_REGION = re.compile(r"^(us|eu|apac|ap|global|regional|jp|au|ca|us-gov)\.")
_DOTTED_VENDOR = re.compile(r"^([a-z0-9-]+)\.(?=[a-z])")
_AT_SUFFIX = re.compile(r"@([a-z0-9.-]+)$")
_DATE = re.compile(r"[-_](20\d{2})-?(0[1-9]|1[0-2])-?([0-2]\d|3[01])(?=$|[-_])")
_SEPARATORS = re.compile(r"[-_.\s/]+")
_VERSION_TOKEN = re.compile(r"^v?(\d+)p(\d+)$")
_FOLDED_WORDS = frozenset({"instruct", "it"})


@dataclass(frozen=True)
class ParsedId:
    """A provider model id taken apart: the model's tokens, a creator hint, and route attributes."""

    raw: str
    name: str
    tokens: tuple[str, ...]
    creator: str | None
    namespace: str | None
    attributes: tuple[tuple[str, str], ...]
    steps: tuple[str, ...]

    @property
    def key(self) -> str:
        return "".join(self.tokens)


def parse_model_id(provider: str, model_id: str, rules: NamingRules) -> ParsedId:
    """Normalise one provider model id. Pure: the same input always gives the same key."""
    text = model_id.strip().lower()
    attributes: dict[str, str] = {}
    steps: list[str] = []
    creator: str | None = None
    namespace: str | None = None

    if match := _VERSION_SUFFIX.search(text):
        text = text[: match.start()]
        steps.append("version suffix")
    elif match := _VARIANT.search(text):
        attributes["variant"] = match.group(1)
        text = text[: match.start()]
        steps.append(f"variant :{match.group(1)}")
    for prefix in _NAMESPACES:
        if match := prefix.match(text):
            text = text[match.end() :]
            steps.append("namespace prefix")
    if match := _REGION.match(text):
        attributes["region"] = match.group(1)
        text = text[match.end() :]
        steps.append("region prefix")
    if "/" in text:
        *namespace_parts, text = text.split("/")
        namespace = namespace_parts[0]
        creator = next((rules.creators[p] for p in namespace_parts if p in rules.creators), None)
        steps.append("vendor namespace")
    if (match := _DOTTED_VENDOR.match(text)) and match.group(1) in rules.creators:
        creator = creator or rules.creators[match.group(1)]
        rest = text[match.end() :]
        # `anthropic.claude-…` drops the vendor; `deepseek.r1` keeps it as the name's first word.
        text = rest if _names_model(rest, rules) else f"{match.group(1)}-{rest}"
        steps.append("vendor prefix")
    if match := _AT_SUFFIX.search(text):
        stamp = match.group(1)
        attributes["snapshot" if re.fullmatch(r"20\d{6}", stamp) else "version"] = _iso(stamp) or stamp
        text = text[: match.start()]
        steps.append("@ version")
    if match := _DATE.search(text):
        stamp = _iso("".join(match.groups()))
        if stamp:
            attributes["snapshot"] = stamp
            text = text[: match.start()] + text[match.end() :]
            steps.append("date stamp")
    name = text
    tokens = [t for t in _SEPARATORS.split(text) if t]
    if len(tokens) > 1 and (tokens[0] in rules.creators or tokens[0] == provider) and _names_model(tokens[1], rules):
        creator = creator or rules.creators.get(tokens[0])
        tokens = tokens[1:]
        steps.append("vendor word")
    folded: list[str] = []
    for index, token in enumerate(tokens):
        if index and token in _FOLDED_WORDS:
            continue
        if token == "0" and folded and folded[-1].isdigit():  # `4-0`, `2.0`: a .0 version
            continue
        if match := _VERSION_TOKEN.match(token):
            folded.extend(match.groups())
        elif re.fullmatch(r"v\d+", token):
            folded.append(token[1:])
        else:
            folded.append(token)
    return ParsedId(model_id, name, tuple(folded), creator, namespace, tuple(sorted(attributes.items())), tuple(steps))


def _names_model(token: str, rules: NamingRules) -> bool:
    return any(token.startswith(prefix) for prefix in rules.name_prefixes)


def _iso(stamp: str) -> str | None:
    digits = stamp.replace("-", "")
    if not re.fullmatch(r"20\d{6}", digits):
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
    except ValueError:
        return None


@dataclass(frozen=True)
class RouteRef:
    """What identity resolution needs to know about a route."""

    provider: str
    model_id: str
    name: str | None = None
    first_party_creator: str | None = None


@dataclass
class ModelGroup:
    """The routes judged to serve one canonical model."""

    id: str
    creator: str
    slug: str
    name: str | None
    routes: list[RouteRef] = field(default_factory=list)
    alias: ModelAlias | None = None


@dataclass
class IdentityResult:
    groups: dict[str, ModelGroup]
    resolutions: dict[RouteRef, Resolution]
    attributes: dict[RouteRef, dict[str, str]]
    keys: dict[RouteRef, str]


def resolve_routes(routes: Sequence[RouteRef], rules: AliasFile) -> IdentityResult:
    """Group routes into canonical models and say, for each route, why it belongs to its model."""
    parsed = {route: parse_model_id(route.provider, route.model_id, rules) for route in routes}
    alias_keys = alias_targets(rules)
    key_of: dict[RouteRef, str] = {}
    how: dict[RouteRef, tuple[float, str]] = {}
    attributes = {route: dict(parsed[route].attributes) for route in routes}

    for route in routes:
        p = parsed[route]
        hit = alias_keys.get((route.provider, p.key)) or alias_keys.get(("*", p.key))
        if hit:
            key_of[route] = hit[0]
            how[route] = (1.0, f"curated alias in data/aliases.yaml: {hit[1].reason}")
        else:
            key_of[route] = p.key

    _strip_route_suffixes(routes, parsed, key_of, how, attributes, rules, alias_keys)

    members: dict[str, list[RouteRef]] = defaultdict(list)
    for route in routes:
        members[key_of[route]].append(route)
    forced = {target: alias for target, alias in alias_keys.values()}
    groups: dict[str, ModelGroup] = {}
    key_to_id: dict[str, str] = {}
    for key in sorted(members):
        group = _make_group(key, members[key], parsed, attributes, forced.get(key), rules)
        base_id, n = group.id, 2
        while group.id in groups:  # two keys chose one id: keep both, visibly distinct
            group.id, n = f"{base_id}-{n}", n + 1
        groups[group.id] = group
        key_to_id[key] = group.id

    resolutions: dict[RouteRef, Resolution] = {}
    for route in routes:
        group = groups[key_to_id[key_of[route]]]
        if route in how:
            confidence, reason = how[route]
        else:
            confidence, reason = _explain(route, group, parsed)
        resolutions[route] = Resolution(group.id, confidence, reason)
    return IdentityResult(groups, resolutions, attributes, {r: parsed[r].key for r in routes})


def alias_targets(rules: AliasFile) -> dict[tuple[str, str], tuple[str, ModelAlias]]:
    """(provider or '*', key of an alias id) -> (key of the canonical model, the alias entry)."""
    result: dict[tuple[str, str], tuple[str, ModelAlias]] = {}
    for alias in rules.models:
        slug = alias.model.partition("/")[2]
        target = parse_model_id("", slug, rules).key
        for scope in alias.providers or ["*"]:
            result[(scope, target)] = (target, alias)
            for alias_id in alias.ids:
                result[(scope, parse_model_id(scope, alias_id, rules).key)] = (target, alias)
    return result


def _strip_route_suffixes(
    routes: Sequence[RouteRef],
    parsed: dict[RouteRef, ParsedId],
    key_of: dict[RouteRef, str],
    how: dict[RouteRef, tuple[float, str]],
    attributes: dict[RouteRef, dict[str, str]],
    rules: AliasFile,
    alias_keys: dict[tuple[str, str], tuple[str, ModelAlias]],
) -> None:
    """Fold `-turbo`, `-fp8`… routes into the model another route serves under the shorter id."""
    served_by: dict[str, set[RouteRef]] = defaultdict(set)
    for route in routes:
        served_by[key_of[route]].add(route)
    common = set(rules.route_suffixes.get("*", []))
    for route in routes:
        if route in how:
            continue
        suffixes = common | set(rules.route_suffixes.get(route.provider, []))
        tokens = list(parsed[route].tokens)
        stripped: list[str] = []
        while len(tokens) > 1 and tokens[-1] in suffixes:
            stripped.insert(0, tokens.pop())
            candidate = "".join(tokens)
            alias = alias_keys.get((route.provider, candidate)) or alias_keys.get(("*", candidate))
            candidate = alias[0] if alias else candidate
            if served_by.get(candidate, set()) - {route}:
                key_of[route] = candidate
                attributes[route]["serving"] = "-".join(stripped)
                how[route] = (
                    0.8,
                    f"serving-variant suffix '{'-'.join(stripped)}' stripped; the model is "
                    f"{'the one other routes serve as ' + repr(candidate)}",
                )
                break


def _make_group(
    key: str,
    routes: list[RouteRef],
    parsed: dict[RouteRef, ParsedId],
    attributes: dict[RouteRef, dict[str, str]],
    alias: ModelAlias | None,
    rules: AliasFile,
) -> ModelGroup:
    if alias is not None:
        creator, _, slug = alias.model.partition("/")
        return ModelGroup(alias.model, creator, slug, alias.name or _pick_name(routes), routes, alias)
    anchor = min(routes, key=lambda r: _anchor_rank(r, parsed[r], attributes[r]))
    p = parsed[anchor]
    creator = _creator(routes, parsed, rules)
    slug = _slug(p.name)
    return ModelGroup(f"{creator}/{slug}", creator, slug, _pick_name(routes), routes)


def _anchor_rank(route: RouteRef, p: ParsedId, attributes: dict[str, str]) -> tuple[int, int, str, str]:
    """Which route names the model: OpenRouter's id, then the lab's own, then any namespaced id."""
    variant = "variant" in attributes or "serving" in attributes
    if route.provider == "openrouter":
        rank = 0
    elif route.first_party_creator:
        rank = 1
    elif p.creator:
        rank = 2
    else:
        rank = 3
    return (rank, int(variant), route.provider, route.model_id)


def _creator(routes: Iterable[RouteRef], parsed: dict[RouteRef, ParsedId], rules: NamingRules) -> str:
    """Who made the model: a known creator in OpenRouter's id, in most ids, the lab serving it,
    the model name's prefix; failing those, an unknown namespace (a fine-tuner), then the provider."""
    routes = sorted(routes, key=lambda r: (r.provider != "openrouter", r.provider, r.model_id))
    strong = Counter(parsed[r].creator for r in routes if parsed[r].creator)
    openrouter = [parsed[r].creator for r in routes if r.provider == "openrouter" and parsed[r].creator]
    if openrouter:
        return openrouter[0] or ""
    if strong:
        return strong.most_common(1)[0][0] or ""
    first_party = sorted(r.first_party_creator for r in routes if r.first_party_creator)
    if first_party:
        return first_party[0]
    name = min(parsed[r].name for r in routes)
    for prefix in sorted(rules.name_prefixes, key=len, reverse=True):
        if name.startswith(prefix):
            return rules.name_prefixes[prefix]
    weak = Counter(_slug(ns) for r in routes if (ns := parsed[r].namespace))
    if weak:
        return weak.most_common(1)[0][0]
    return routes[0].provider


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-.")
    return slug or "unnamed"


_NAME_PREFIX = re.compile(r"^[^:]{2,40}:\s+")


_VARIANT_NAME = re.compile(r"\s*\((?:free|batch|thinking|beta|extended|nitro|online|floor|exacto|latest)\)\s*$", re.I)


def _pick_name(routes: Iterable[RouteRef]) -> str | None:
    """OpenRouter's name for the model, else the lab's own, else the most common one; names of
    variant routes (`:free`, `:batch`) only when no plain route has one."""
    routes = list(routes)
    plain = [r for r in routes if not _VARIANT.search(r.model_id.lower())]
    named = [(r, _VARIANT_NAME.sub("", _NAME_PREFIX.sub("", r.name)).strip()) for r in plain or routes if r.name]
    if not named:
        return None
    for preferred in (lambda r: r.provider == "openrouter", lambda r: r.first_party_creator is not None):
        names = sorted(n for r, n in named if preferred(r))
        if names:
            return min(names, key=len)
    counts = Counter(n for _, n in named)
    return max(sorted(counts), key=lambda n: counts[n])


def _explain(route: RouteRef, group: ModelGroup, parsed: dict[RouteRef, ParsedId]) -> tuple[float, str]:
    p = parsed[route]
    others = [r for r in group.routes if r != route]
    if not others:
        return 0.7, "no other route matches its normalised id; it is its own model"
    if any(parsed[o].name == p.name for o in others):
        peer = next(o for o in others if parsed[o].name == p.name)
        steps = f" after {', '.join(p.steps)}" if p.steps else ""
        return 0.95, f"same model id as {peer.provider}:{peer.model_id}{steps}"
    peer = others[0]
    return 0.85, (
        f"same normalised key {p.key!r} as {peer.provider}:{peer.model_id} "
        f"(separators, version spelling and instruct/it folded)"
    )
