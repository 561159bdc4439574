"""Matching leaderboard names to catalog models: a pure function over an index built from the catalog.

A name is taken apart (`versus.benchmarks.names`), each spelling of its model is normalised by
the catalog's own identity rules (`parse_model_id`) and looked up by exact key among the
catalog's route keys and model name keys. Nothing is fuzzy: a key either equals one or it does
not, so `llama-3.1-70b` can never land on `llama-3.1-8b`. When a key leads to several models,
the one served under it by the strongest kind of route wins (the lab's own API, then OpenRouter,
clouds, hosts, routers, a display name); a tie between equals, or a name that disagrees with the
leaderboard's own model tag, stays unmatched.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from versus.benchmarks.names import NameParts, split_name
from versus.benchmarks.types import BenchmarkResult
from versus.catalog.identity import NamingRules, ParsedId, parse_model_id

# Evidence ranks, strongest first: the lab's own API, OpenRouter (whose ids anchor the catalog's
# model ids), clouds, inference hosts, other routers, and a model's display name alone.
_RANKS: dict[str, int] = {"maker": 0, "openrouter": 1, "cloud": 2, "host": 3, "gateway": 4}
_NAME_ONLY = 5
_HOW = (
    "its lab's own API",
    "OpenRouter",
    "a cloud's route",
    "an inference host's route",
    "a router's route",
    "a catalog model's name",
)
_CONFIDENCE = (0.95, 0.93, 0.9, 0.88, 0.85, 0.8)
# A word like `thinking` kept in the name counts only if the model's lab or OpenRouter serves a
# model under that name: routers and some clouds invent `-thinking` ids for a setting of one model.
_STRICT_RANK = 1
_UNLISTED_SNAPSHOT = 0.05
_ALTERNATE_SPELLING = 0.05
_BY_TAG_ONLY = 0.05
_SIZE = re.compile(r"\d+(\.\d+)?[bm]\b", re.I)


@dataclass(frozen=True)
class IndexRoute:
    """What the index needs of one catalog route. `kind` is the route's class (maker, cloud, host,
    gateway): `maker` only when the provider is the model's own lab."""

    provider: str
    provider_model_id: str
    match_key: str
    model_id: str
    kind: str = "gateway"


@dataclass(frozen=True)
class _Hit:
    model_id: str
    rank: int  # index into _RANKS order; _NAME_ONLY for a model's display name
    routes: int


@dataclass
class MatchIndex:
    """Exact-key look-ups over the catalog, built once per catalog, read by `match_name`."""

    naming: NamingRules
    hits: dict[str, list[_Hit]] = field(default_factory=dict)
    dated: set[tuple[str, str, str]] = field(default_factory=set)  # (key, snapshot, model id)
    maker_keys: dict[str, set[str]] = field(default_factory=dict)  # model id -> keys of its lab's routes

    def look_up(self, key: str) -> list[_Hit]:
        return self.hits.get(key, [])


@dataclass(frozen=True)
class NameMatch:
    """Which catalog model a leaderboard name is, how sure, and why; model_id None when unmatched."""

    source: str
    name: str
    model_id: str | None
    confidence: float
    reason: str
    snapshot: str | None = None

    @property
    def matched(self) -> bool:
        return self.model_id is not None


def build_match_index(
    routes: Iterable[IndexRoute], model_keys: Mapping[str, Sequence[str]], naming: NamingRules
) -> MatchIndex:
    """The index from the catalog's routes (their normalised keys) and each model's name keys.

    Pure: callers pass what `CatalogStore.route_keys()`, `summaries()` and `providers()` hold.
    """
    best: dict[str, dict[str, int]] = defaultdict(dict)
    route_count: dict[str, int] = defaultdict(int)
    index = MatchIndex(naming)
    bare: dict[str, ParsedId] = {}  # many providers list one id: each read once
    for route in routes:
        route_count[route.model_id] += 1
        rank = _RANKS["openrouter"] if route.provider == "openrouter" else _RANKS.get(route.kind, _RANKS["gateway"])
        keys = {route.match_key}
        # The route id read without its provider: `route.match_key` may carry a provider's
        # vendor word the bare id lacks. A match key that extends it is identity's `base` or
        # `instruct` mark, which tells a base model from its instruct model: kept alone.
        parsed = bare.get(route.provider_model_id)
        if parsed is None:
            parsed = bare[route.provider_model_id] = parse_model_id("", route.provider_model_id, naming)
        if not (route.match_key != parsed.key and route.match_key.startswith(parsed.key)):
            keys.add(parsed.key)
        if route.kind == "maker":
            index.maker_keys.setdefault(route.model_id, set()).update(keys)
        snapshot = dict(parsed.attributes).get("snapshot")
        for key in keys:
            if not key:
                continue
            best[key][route.model_id] = min(rank, best[key].get(route.model_id, rank))
            if snapshot:
                index.dated.add((key, snapshot, route.model_id))
    for model_id, name_keys in model_keys.items():
        for key in name_keys:
            if key and model_id not in best[key]:
                best[key][model_id] = _NAME_ONLY
    index.hits = {
        key: sorted(
            (_Hit(m, r, route_count[m]) for m, r in models.items()), key=lambda h: (h.rank, -h.routes, h.model_id)
        )
        for key, models in best.items()
    }
    return index


def match_results(results: Iterable[BenchmarkResult], index: MatchIndex) -> list[tuple[BenchmarkResult, NameMatch]]:
    """Each result with the match of its name, computed once per (source, name, hints)."""
    cache: dict[tuple[str, str, tuple[str, ...]], NameMatch] = {}
    matched: list[tuple[BenchmarkResult, NameMatch]] = []
    for result in results:
        key = (result.source, result.model_name, result.model_hints)
        if key not in cache:
            cache[key] = match_name(result.source, result.model_name, index, result.model_hints)
        matched.append((result, cache[key]))
    return matched


# Sources whose hints name the exact weights of the entry (BFCL links the model's own
# repository). SWE-bench's `Model:` tags may name the base of a fine-tune (`Skywork-SWE-32B`
# is tagged Qwen2.5-Coder-32B-Instruct) or a moving alias (`deepseek-chat` on a "Deepseek V3"
# entry), so they only fill in what a name is silent about: see `_tag_may_stand_in`.
_EXACT_HINTS = frozenset({"bfcl"})
_WORD = re.compile(r"[a-z]+\d*|\d+")
_RELEASE_WORDS = frozenset({"preview", "instruct", "it"})


def match_name(source: str, name: str, index: MatchIndex, hints: Sequence[str] = ()) -> NameMatch:
    """The catalog model a leaderboard name is, with a confidence and a reason, or why none.

    `hints` are model ids the leaderboard itself gives for the entry (SWE-bench `Model:` tags,
    BFCL's Hugging Face links). The name decides; a hint confirms it, stands in for a name that
    is not a model (`Honeycomb`), and contradicts it into "unmatched".
    """
    parts = split_name(source, name)
    distinct = list(dict.fromkeys(h for h in hints if h.strip()))
    if parts.refusal:
        return NameMatch(source, name, None, 0.0, f"the entry runs {parts.refusal}; not one model's result")
    if len(distinct) > 1:
        return NameMatch(source, name, None, 0.0, f"the leaderboard tags {len(distinct)} models: {', '.join(distinct)}")
    named = _resolve(parts, index)
    hinted = _resolve(split_name(source, distinct[0]), index) if distinct else None
    by_name = named if isinstance(named, _Found) else None
    by_hint = hinted if isinstance(hinted, _Found) else None
    if by_name and by_hint and by_name.model_id != by_hint.model_id:
        return NameMatch(
            source,
            name,
            None,
            0.0,
            f"the name reads as {by_name.model_id} but the leaderboard's model tag {distinct[0]!r} "
            f"as {by_hint.model_id}",
        )
    if by_name:
        if by_hint:
            return NameMatch(
                source,
                name,
                by_name.model_id,
                min(0.99, by_name.confidence + 0.04),
                f"{by_name.reason}; the leaderboard's model tag {distinct[0]!r} agrees",
                by_name.snapshot,
            )
        return by_name.with_source(source, name)
    if by_hint and (source in _EXACT_HINTS or _tag_may_stand_in(name, distinct[0], index.naming)):
        return NameMatch(
            source,
            name,
            by_hint.model_id,
            round(by_hint.confidence - _BY_TAG_ONLY, 2),
            f"the name is not a model id; the leaderboard's model tag {distinct[0]!r}: {by_hint.reason}",
            by_hint.snapshot,
        )
    if isinstance(named, str):
        return NameMatch(source, name, None, 0.0, named)
    tried = ", ".join(repr(c) for c in (*parts.strict_candidates, *parts.candidates))
    return NameMatch(source, name, None, 0.0, f"no catalog model has the normalised name of {tried}")


def _tag_may_stand_in(name: str, tag: str, naming: NamingRules) -> bool:
    """A tag stands in for a name that names no model (`Honeycomb`), or one whose model words
    are all in the tag (`Lingxi-v1.5_claude-4-sonnet-20250514` tagged claude-4-sonnet-20250514);
    never for a name with a parameter size (a fine-tune of the tagged base) or one naming a model
    the tag does not spell out (`Deepseek V3` tagged with the alias `deepseek-chat`)."""
    if _SIZE.search(name):
        return False
    name_words = set(_words(name))
    claims = any(word.startswith(prefix.split("-")[0]) for word in name_words for prefix in naming.name_prefixes)
    # The tag's namespace (`moonshot/`) and release words say nothing the name would spell out.
    tag_words = set(_words(tag.rpartition("/")[2])) - _RELEASE_WORDS
    return not claims or tag_words <= name_words


def _words(text: str) -> list[str]:
    """Lower-case words and numbers, dates left out: `GPT-4o (2024-05-13)` -> gpt, 4o."""
    return [w for w in _WORD.findall(text.lower()) if not (w.isdigit() and len(w) >= 4)]


@dataclass(frozen=True)
class _Found:
    model_id: str
    confidence: float
    reason: str
    snapshot: str | None

    def with_source(self, source: str, name: str) -> NameMatch:
        return NameMatch(source, name, self.model_id, self.confidence, self.reason, self.snapshot)


def _resolve(parts: NameParts, index: MatchIndex) -> _Found | str | None:
    """The first spelling of the model that leads to exactly one best model; else why not (a
    spelling that leads to several models equally), else None."""
    doubt: str | None = None
    for strict, candidates in ((True, parts.strict_candidates), (False, parts.candidates)):
        for position, candidate in enumerate(candidates):
            found = _look_up(candidate, index, strict=strict)
            if isinstance(found, _Found):
                if position and candidate != parts.model:
                    # A later spelling: a reading of the name (`-002` dropped, a preview date).
                    return _Found(
                        found.model_id,
                        round(found.confidence - _ALTERNATE_SPELLING, 2),
                        f"read as {candidate!r}: {found.reason}",
                        found.snapshot,
                    )
                return found
            doubt = doubt or found
    return doubt


def _look_up(candidate: str, index: MatchIndex, *, strict: bool) -> _Found | str | None:
    parsed = parse_model_id("", candidate, index.naming)
    hits = index.look_up(parsed.key)
    if strict:
        hits = [h for h in hits if h.rank <= _STRICT_RANK]
    if not hits:
        return None
    snapshot = dict(parsed.attributes).get("snapshot")
    top = hits[0]
    rivals = [h.model_id for h in hits[1:] if h.rank == top.rank]
    if rivals and snapshot:  # a dated name picks the one model that lists that snapshot
        listed = [h for h in hits if (parsed.key, snapshot, h.model_id) in index.dated]
        if len(listed) == 1:
            top, rivals = listed[0], []
    if rivals:
        return f"{candidate!r} normalises to {parsed.key!r}, which names {', '.join([top.model_id, *rivals][:4])} alike"
    maker = index.maker_keys.get(top.model_id, set())
    if top.rank == _RANKS["gateway"] and maker and all(k.startswith(parsed.key) and k != parsed.key for k in maker):
        return (
            f"{candidate!r} names {top.model_id} only through a router's id, while its lab lists it as "
            f"{', '.join(sorted(maker))}: the name may mean another release"
        )
    confidence = _CONFIDENCE[top.rank]
    reason = f"{candidate!r} normalises to {parsed.key!r}, the id of {top.model_id} on {_HOW[top.rank]}"
    if snapshot:
        if (parsed.key, snapshot, top.model_id) in index.dated:
            reason += f"; snapshot {snapshot} is a listed route"
        else:
            confidence -= _UNLISTED_SNAPSHOT
            reason += f"; snapshot {snapshot} is not listed, matched to the model its snapshots fold into"
    return _Found(top.model_id, round(confidence, 2), reason, snapshot)
