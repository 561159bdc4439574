"""The traffic and route-policy options of every command that prices models (compare, leaderboard,
pick): defined once here, so their names, help and parsing cannot drift apart."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from versus.analysis.traffic import DEFAULT_TEXT
from versus.cli.common import EXIT_USAGE, fail

if TYPE_CHECKING:
    from versus.analysis.basis import RoutePolicy
    from versus.analysis.traffic import Blend, TrafficProfile
    from versus.services.comparison import ComparisonService


class BasisChoice(StrEnum):
    maker = "maker"
    cheapest = "cheapest"


Requests = Annotated[str, typer.Option(help="Requests per month.")]
InputTokens = Annotated[str, typer.Option(help="Input tokens per request (cached ones included).")]
OutputTokens = Annotated[str, typer.Option(help="Output tokens per request.")]
CacheHit = Annotated[str, typer.Option(help="Share of input tokens read from cache: 0.4 or 40%.")]
BatchShare = Annotated[str, typer.Option(help="Share of requests sent through batch APIs: 0.5 or 50%.")]
BlendOption = Annotated[str, typer.Option(help="Input:output blend for one blended price, e.g. 70:30 or 3:1.")]
BasisOption = Annotated[
    BasisChoice,
    typer.Option(help="Price each model at its maker's list price (maker) or on its cheapest route (cheapest)."),
]
Providers = Annotated[
    list[str] | None, typer.Option("--provider", help="Price only on routes of this provider (repeatable).")
]
ExcludedProviders = Annotated[
    list[str] | None, typer.Option("--exclude-provider", help="Never price on this provider (repeatable).")
]
IncludeFlagged = Annotated[
    bool, typer.Option("--include-flagged", help="Also price on flagged routes: suspect, variants of serving.")
]

# The defaults, as every command's signature spells them: `requests: Requests = DEFAULTS["requests"]`.
DEFAULTS = DEFAULT_TEXT


def traffic_or_exit(
    requests: str, input_tokens: str, output_tokens: str, cache_hit: str, batch: str, blend: str
) -> tuple[TrafficProfile, Blend]:
    """The profile and blend the options describe; exit 2 saying which figure is wrong."""
    from versus.analysis.traffic import TrafficError, parse_traffic

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
        fail(str(exc), EXIT_USAGE)


def policy_or_exit(
    service: ComparisonService,
    basis: BasisChoice,
    provider: list[str] | None,
    exclude_provider: list[str] | None,
    include_flagged: bool,
) -> RoutePolicy:
    """The route policy the options describe; exit 2 with suggestions for a provider that does not exist."""
    from versus.analysis.basis import BasisError

    try:
        return service.route_policy(basis.value, provider or [], exclude_provider or [], include_flagged)
    except BasisError as exc:
        fail(str(exc), EXIT_USAGE)
