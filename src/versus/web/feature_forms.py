"""The leaderboard and pick forms as typed into a page: each field parsed on its own with the parsers
the CLI uses (`analysis/pick_input.py`, the calculator's traffic figures), so a bad field gets its own
message beside it and the rest of the form keeps what was typed. Pure: no store, no service."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from versus.analysis.pick import Constraints, Ranking, default_value_ref
from versus.analysis.pick_input import parse_dollars, parse_floor, parse_needs, parse_ranking, split_list
from versus.analysis.quality import BenchmarkRef, parse_benchmark_ref
from versus.analysis.traffic import (
    DEFAULT_TEXT,
    MAX_TOKENS_PER_REQUEST,
    Blend,
    TrafficError,
    TrafficProfile,
    parse_count,
)
from versus.web.query import read_traffic_form

MAX_FIELD_CHARS = 400  # every capability comma-separated is ~170 characters
MAX_VALUES = 20  # repeated values of one field (checkboxes, repeated parameters)
MAX_PICK_ROWS = 100
TRAFFIC_FIELDS = ("requests", "input_tokens", "output_tokens", "cache_hit", "batch", "blend")
Params = Mapping[str, str | Sequence[str]]


def _values(params: Params, name: str) -> list[str]:
    """A field's values as sent (a query string may repeat it), bounded in number and length."""
    raw = params.get(name)
    if raw is None:
        return []
    values = [raw] if isinstance(raw, str) else list(raw)
    return [v[:MAX_FIELD_CHARS] for v in values[:MAX_VALUES]]


def _one(params: Params, name: str, default: str = "") -> str:
    values = _values(params, name)
    return values[0].strip() if values else default


def _flag(params: Params, name: str) -> bool:
    return _one(params, name).lower() in ("1", "on", "true", "yes")


def _traffic(params: Params) -> tuple[dict[str, str], TrafficProfile, Blend, dict[str, str]]:
    typed = {name: _one(params, name, DEFAULT_TEXT[name]) or DEFAULT_TEXT[name] for name in TRAFFIC_FIELDS}
    form = read_traffic_form({k: v[:64] for k, v in typed.items()})
    errors = {form.error.field or "requests": form.error.message} if form.error else {}
    return typed, form.profile, form.blend, errors


@dataclass(frozen=True)
class LeaderboardForm:
    values: dict[str, str]
    ref: BenchmarkRef | None
    profile: TrafficProfile
    blend: Blend
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and self.ref is not None

    def with_error(self, name: str, message: str) -> LeaderboardForm:
        return replace(self, errors={**self.errors, name: message})


def read_leaderboard_form(params: Params, default_benchmark: str = "") -> LeaderboardForm:
    """`benchmark` (`[SOURCE:]BENCHMARK`), `category` and the traffic fields."""
    values, profile, blend, errors = _traffic(params)
    values["benchmark"] = _one(params, "benchmark", default_benchmark)
    values["category"] = _one(params, "category")
    ref = None
    if not values["benchmark"]:
        errors["benchmark"] = "choose a benchmark, e.g. aider-polyglot or lmarena-text"
    else:
        category = values["category"]
        try:
            ref = parse_benchmark_ref(values["benchmark"] + (f"/{category}" if category else ""))
        except ValueError as exc:
            errors["category" if category and "/" not in values["benchmark"] else "benchmark"] = str(exc)
    return LeaderboardForm(values, ref, profile, blend, errors)


@dataclass(frozen=True)
class PickForm:
    """A pick request as typed (`values`), what it means, and each bad field's message (`errors`)."""

    values: dict[str, Any]
    constraints: Constraints
    ranking: Ranking
    profile: TrafficProfile
    blend: Blend
    basis: str = "maker"
    providers: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    include_flagged: bool = False
    limit: int = 10
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def with_error(self, name: str, message: str) -> PickForm:
        return replace(self, errors={**self.errors, name: message})

    def with_policy_error(self, error: Exception) -> PickForm:
        """A `BasisError` from `ComparisonService.route_policy`, beside the field naming the provider."""
        message = str(error)
        if any(repr(name) in message for name in self.excluded) and not any(
            repr(name) in message for name in self.providers
        ):
            return self.with_error("exclude_provider", message)
        return self.with_error("provider" if self.providers else "basis", message)

    def with_board_error(self, error: Exception) -> PickForm:
        """A `BoardError` from `ComparisonService.pick`, beside the field naming that benchmark."""
        message = str(error)
        floors = [f.ref.benchmark for f in self.constraints.min_scores]
        in_floor = any(repr(b) in message or f"{b} has" in message for b in floors)
        return self.with_error("min_score" if in_floor else "rank_by", message)


def read_pick_form(params: Params, benchmark_ids: Sequence[str]) -> PickForm:
    """Every field `versus pick` has: `needs`, `min_context`, `open_weights`, `license`, `max_monthly`,
    `min_score` (repeatable or comma-separated), `rank_by`, `limit`, the traffic fields, `basis`,
    `provider`, `exclude_provider` and `include_flagged`. Providers are checked by the service."""
    typed, profile, blend, errors = _traffic(params)
    open_weights, include_flagged = _flag(params, "open_weights"), _flag(params, "include_flagged")
    values: dict[str, Any] = dict(typed)
    values.update(
        needs=", ".join(split_list(_values(params, "needs"))),
        min_context=_one(params, "min_context"),
        open_weights=open_weights,
        license=", ".join(split_list(_values(params, "license"))),
        max_monthly=_one(params, "max_monthly"),
        min_score=", ".join(split_list(_values(params, "min_score"))),
        rank_by=_one(params, "rank_by", "cost") or "cost",
        limit=_one(params, "limit", "10") or "10",
        basis=_one(params, "basis", "maker") or "maker",
        provider=", ".join(split_list(_values(params, "provider"))),
        exclude_provider=", ".join(split_list(_values(params, "exclude_provider"))),
        include_flagged=include_flagged,
    )

    def checked(name: str, parse: Callable[[], Any], default: Any) -> Any:
        try:
            return parse()
        except (ValueError, TrafficError) as exc:
            errors[name] = str(exc)
            return default

    floors = checked("min_score", lambda: tuple(parse_floor(t) for t in split_list([values["min_score"]])), ())
    constraints = Constraints(
        needs=checked("needs", lambda: parse_needs([values["needs"]]), ()),
        min_context=checked("min_context", lambda: _context(values["min_context"]), None),
        open_weights=open_weights,
        licenses=split_list([values["license"]]),
        max_monthly=checked("max_monthly", lambda: _dollars(values["max_monthly"]), None),
        min_scores=floors,
    )
    ranking = checked("rank_by", lambda: parse_ranking(values["rank_by"]), Ranking("cost"))
    if ranking.kind == "value" and ranking.ref is None:
        ref = default_value_ref(floors, benchmark_ids)
        if ref is None:
            errors["rank_by"] = "no benchmark has results in the catalog to rank by value; rank by cost"
        ranking = Ranking("value", ref) if ref else Ranking("cost")
    limit = checked("limit", lambda: _limit(values["limit"]), 10)
    if values["basis"] not in ("maker", "cheapest"):
        errors["basis"] = f"basis {values['basis'][:40]!r} is not maker or cheapest"
    return PickForm(
        values,
        constraints,
        ranking,
        profile,
        blend,
        basis=values["basis"] if "basis" not in errors else "maker",
        providers=split_list([values["provider"]]),
        excluded=split_list([values["exclude_provider"]]),
        include_flagged=include_flagged,
        limit=limit,
        errors=errors,
    )


def _context(text: str) -> int | None:
    if not text:
        return None
    tokens = parse_count("min context", text)
    if not 1 <= tokens <= MAX_TOKENS_PER_REQUEST:
        raise ValueError(f"min context must be from 1 to {MAX_TOKENS_PER_REQUEST:,} tokens, e.g. 128k")
    return tokens


def _dollars(text: str) -> Any:
    return parse_dollars(text, "max monthly") if text else None


def _limit(text: str) -> int:
    if not re.fullmatch("[0-9]{1,4}", text) or not 1 <= int(text) <= MAX_PICK_ROWS:
        raise ValueError(f"limit {text[:20]!r} is not a whole number from 1 to {MAX_PICK_ROWS}")
    return int(text)
