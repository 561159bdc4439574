"""What a request asks for, bounded and in canonical form: model lists, traffic, and page-cache keys."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query
from fastapi.routing import APIRoute
from starlette.datastructures import QueryParams

from versus.analysis.traffic import (
    DEFAULT_TEXT,
    Blend,
    TrafficError,
    TrafficProfile,
    parse_count,
    parse_share,
    parse_traffic,
    share_text,
)

# A comparison of more models is unreadable, and each name costs a look-up: refuse before any.
MAX_MODELS = 8
# The longest model or provider id in the catalog is ~60 characters; a longer name matches nothing.
MAX_NAME_CHARS = 200
MAX_SEARCH_CHARS = 200  # a search of thousands of words scans every model once per word


class BadRequest(Exception):
    def __init__(
        self, status: int, message: str, suggestions: list[str] | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.suggestions = status, message, suggestions or []
        self.field = field  # the form field at fault, for an inline error beside it


def check_name(name: str) -> str:
    """A model name short enough to look up; longer ones cannot be a model and fuzzy-matching them costs."""
    if len(name) > MAX_NAME_CHARS:
        raise BadRequest(400, f"a model name of {len(name):,} characters names no model (at most {MAX_NAME_CHARS})")
    return name


def model_names(text: str) -> list[str]:
    """`a,b,c` as names: at most MAX_MODELS, none twice, each bounded, all checked before any look-up."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    if len(names) > MAX_MODELS:
        raise BadRequest(400, f"compare at most {MAX_MODELS} models at once")
    seen: set[str] = set()
    for name in names:
        check_name(name)
        if name.casefold() in seen:
            raise BadRequest(400, f"{name!r} is named twice: compare it with another model")
        seen.add(name.casefold())
    return names


def traffic_query(
    requests: Annotated[str, Query(description="Requests per month.")] = DEFAULT_TEXT["requests"],
    input_tokens: Annotated[str, Query(description="Input tokens per request.")] = DEFAULT_TEXT["input_tokens"],
    output_tokens: Annotated[str, Query(description="Output tokens per request.")] = DEFAULT_TEXT["output_tokens"],
    cache_hit: Annotated[
        str, Query(description="Share of input read from cache: 0.4 or 40% (at most 6 decimal places).")
    ] = DEFAULT_TEXT["cache_hit"],
    batch: Annotated[str, Query(description="Share of requests through batch APIs.")] = DEFAULT_TEXT["batch"],
    blend: Annotated[str, Query(description="Input:output blend, e.g. 70:30.")] = DEFAULT_TEXT["blend"],
) -> tuple[TrafficProfile, Blend]:
    """The traffic a page or API call prices at (a FastAPI dependency); a 400 says what is wrong."""
    try:
        return parse_traffic(
            requests=requests,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cache_hit=cache_hit,
            batch=batch,
            blend=blend,
        )
    except TrafficError as exc:
        raise BadRequest(400, str(exc)) from exc


@dataclass(frozen=True)
class TrafficForm:
    """The calculator's fields as typed, and the traffic they mean or the error beside the field at fault."""

    values: dict[str, str]
    profile: TrafficProfile
    blend: Blend
    error: BadRequest | None = None


_COUNTS = {"requests": "requests", "input_tokens": "input tokens", "output_tokens": "output tokens"}
_SHARES = {"cache_hit": "cache hit", "batch": "batch share"}


def read_traffic_form(values: dict[str, str]) -> TrafficForm:
    """Each figure parsed on its own, so an error names its field; a bad form prices at the reference
    traffic and keeps what was typed."""
    parsed: dict[str, Any] = {}
    try:
        for field_name, label in _COUNTS.items():
            parsed[field_name] = _checked(field_name, partial(parse_count, label, values[field_name]))
        for field_name, label in _SHARES.items():
            parsed[field_name] = _checked(field_name, partial(parse_share, label, values[field_name]))
        blend = _checked("blend", lambda: Blend.parse(values["blend"]))
        profile = TrafficProfile(
            requests=parsed["requests"],
            input_tokens=parsed["input_tokens"],
            output_tokens=parsed["output_tokens"],
            cache_hit=parsed["cache_hit"],
            batch_share=parsed["batch"],
        )
    except BadRequest as error:
        return TrafficForm(values, TrafficProfile(), Blend(), error)
    return TrafficForm(values, profile, blend)


def _checked(field_name: str, parse: Callable[[], Any]) -> Any:
    try:
        value = parse()
        if field_name in _COUNTS:  # the profile's own range checks, for this field alone
            TrafficProfile(**{field_name: value})
        return value
    except TrafficError as exc:
        raise BadRequest(400, str(exc), field=field_name) from exc


async def traffic_form(
    requests: Annotated[str, Query(description="Requests per month.")] = DEFAULT_TEXT["requests"],
    input_tokens: Annotated[str, Query(description="Input tokens per request.")] = DEFAULT_TEXT["input_tokens"],
    output_tokens: Annotated[str, Query(description="Output tokens per request.")] = DEFAULT_TEXT["output_tokens"],
    cache_hit: Annotated[str, Query(description="Share of input read from cache.")] = DEFAULT_TEXT["cache_hit"],
    batch: Annotated[str, Query(description="Share of requests through batch APIs.")] = DEFAULT_TEXT["batch"],
    blend: Annotated[str, Query(description="Input:output blend, e.g. 70:30.")] = DEFAULT_TEXT["blend"],
) -> TrafficForm:
    """The calculator of a page (a FastAPI dependency, async so FastAPI runs it inline rather than in a
    thread): never raises, so the page can show the error."""
    values = {
        "requests": requests,
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "cache_hit": cache_hit,
        "batch": batch,
        "blend": blend,
    }
    return read_traffic_form({k: v[:MAX_FORM_CHARS] for k, v in values.items()})


MAX_FORM_CHARS = 64  # a figure longer than this is refused anyway; echoing it back costs nothing more


# How a parameter's value reaches the page, where many spellings render the same page: each is
# parsed as its page parses it. Parameters not listed here are kept as sent.
_CANONICAL: dict[str, Callable[[str], str]] = {
    "requests": lambda value: str(parse_count("requests", value)),
    "input_tokens": lambda value: str(parse_count("input tokens", value)),
    "output_tokens": lambda value: str(parse_count("output tokens", value)),
    "cache_hit": lambda value: share_text(parse_share("cache hit", value)),
    "batch": lambda value: share_text(parse_share("batch share", value)),
    "blend": lambda value: Blend.parse(value).label,
    "fragment": lambda value: "costs" if value == "costs" else "",
    "sort": lambda value: "price" if value == "price" else "provider",
}
# Requests this short have their key remembered (most repeat one), within a few MB at most.
MEMO_REQUEST_CHARS = 512
MEMO_ENTRIES = 4096


@dataclass(frozen=True)
class PageRoute:
    """A cached page's path pattern and the query parameters its handler reads, with their defaults."""

    pattern: re.Pattern[str]
    defaults: dict[str, str | None] = field(default_factory=dict)  # None: required, no default

    def canonical(self, params: Mapping[str, str]) -> str | None:
        """The parameters this page reads, canonical and sorted, defaults left out; None if a
        traffic figure is invalid (the page answers 400 and nothing is cached)."""
        values: dict[str, str] = {}
        for name, default in self.defaults.items():
            if name in params:
                canonical = _CANONICAL.get(name, str)
                try:
                    value = canonical(params[name])
                except TrafficError:
                    return None
                if default is None or value != canonical(default):
                    values[name] = value
        return urlencode(sorted(values.items()))


class PageKeys:
    """Cache keys from a request's path and raw query: a page is keyed by what it depends on, so
    `cache_hit=0.40`, `40%` and `0.4`, or an unknown `&x=1`, all find one rendered page."""

    def __init__(self, routes: Iterable[PageRoute]) -> None:
        self.routes = list(routes)
        self._memo = lru_cache(maxsize=MEMO_ENTRIES)(self._canonical)

    @classmethod
    def from_routes(cls, routes: Iterable[Any]) -> PageKeys:
        """Read each GET route's declared query parameters, so a new parameter can never be left out
        of the key (two different pages would then share one entry)."""
        return cls(
            PageRoute(route.path_regex, _query_defaults(route.dependant))
            for route in routes
            if isinstance(route, APIRoute) and "GET" in (route.methods or ())
        )

    def canonical(self, path: str, query_string: bytes) -> str | None:
        """The canonical query of a page, "" for none; None if the path is no page or the query is invalid."""
        if len(path) + len(query_string) <= MEMO_REQUEST_CHARS:
            return self._memo(path, query_string)
        return self._canonical(path, query_string)

    def _canonical(self, path: str, query_string: bytes) -> str | None:
        route = next((r for r in self.routes if r.pattern.match(path)), None)
        if route is None:
            return None
        if not query_string:
            return ""
        return route.canonical(QueryParams(query_string))


def _query_defaults(dependant: Any) -> dict[str, str | None]:
    found: dict[str, str | None] = {
        param.alias: None if param.field_info.is_required() else str(param.default) for param in dependant.query_params
    }
    for sub in dependant.dependencies:
        found.update(_query_defaults(sub))
    return found
