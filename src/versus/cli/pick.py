"""`versus pick`: the decision engine — constraints and a ranking at your traffic and route policy in,
a ranked shortlist with why each model is in and why the closest misses are out."""

from __future__ import annotations

from typing import Annotated

import typer

from versus.catalog.types import CAPABILITIES
from versus.cli import app
from versus.cli.benchmarks import FormatOption, ReportFormat, print_report
from versus.cli.common import EXIT_USAGE, fail, open_services, print_json
from versus.cli.traffic import (
    DEFAULTS,
    BasisChoice,
    BasisOption,
    BatchShare,
    BlendOption,
    CacheHit,
    ExcludedProviders,
    IncludeFlagged,
    InputTokens,
    OutputTokens,
    Providers,
    Requests,
    policy_or_exit,
    traffic_or_exit,
)


@app.command("pick")
def pick_command(
    ctx: typer.Context,
    needs: Annotated[
        list[str] | None,
        typer.Option(help=f"Capabilities every pick must have, comma-separated: {', '.join(CAPABILITIES)}."),
    ] = None,
    min_context: Annotated[int | None, typer.Option(min=1, help="Smallest context window, in tokens.")] = None,
    open_weights: Annotated[bool, typer.Option("--open-weights", help="Only models with open weights.")] = False,
    license: Annotated[
        list[str] | None, typer.Option("--license", help="Only these licenses (SPDX id or name; comma-separated).")
    ] = None,
    max_monthly: Annotated[
        str | None, typer.Option(help="Most a model may cost a month at your traffic, in USD.")
    ] = None,
    min_score: Annotated[
        list[str] | None,
        typer.Option(
            help="BENCHMARK=VALUE or BENCHMARK/CATEGORY=VALUE: the least score a pick must have (repeatable)."
        ),
    ] = None,
    rank_by: Annotated[
        str,
        typer.Option(
            help="cost, a BENCHMARK or BENCHMARK/CATEGORY (highest first), or value or value:BENCHMARK (score per $)."
        ),
    ] = "cost",
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Models in the shortlist.")] = 10,
    requests: Requests = DEFAULTS["requests"],
    input_tokens: InputTokens = DEFAULTS["input_tokens"],
    output_tokens: OutputTokens = DEFAULTS["output_tokens"],
    cache_hit: CacheHit = DEFAULTS["cache_hit"],
    batch: BatchShare = DEFAULTS["batch"],
    blend: BlendOption = DEFAULTS["blend"],
    basis: BasisOption = BasisChoice.maker,
    provider: Providers = None,
    exclude_provider: ExcludedProviders = None,
    include_flagged: IncludeFlagged = False,
    format: FormatOption = ReportFormat.table,
) -> None:
    """Shortlist models meeting your constraints, ranked by cost, a benchmark or score per dollar."""
    from versus.analysis.pick import Constraints, Ranking, default_value_ref
    from versus.analysis.pick_input import parse_dollars, parse_floor, parse_needs, parse_ranking, split_list
    from versus.analysis.quality import BoardError

    profile, _ = traffic_or_exit(requests, input_tokens, output_tokens, cache_hit, batch, blend)
    try:
        floors = tuple(parse_floor(text) for text in min_score or [])
        constraints = Constraints(
            needs=parse_needs(needs or []),
            min_context=min_context,
            open_weights=open_weights,
            licenses=split_list(license or []),
            max_monthly=parse_dollars(max_monthly) if max_monthly is not None else None,
            min_scores=floors,
        )
        ranking = parse_ranking(rank_by)
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)
    service = open_services(ctx).comparisons
    policy = policy_or_exit(service, basis, provider, exclude_provider, include_flagged)
    if ranking.kind == "value" and ranking.ref is None:
        ref = default_value_ref(floors, service.benchmark_ids)
        if ref is None:
            fail("no benchmark has results in the catalog to rank by value; `versus sync` fetches them")
        ranking = Ranking("value", ref)
    try:
        result = service.pick(constraints, ranking, profile, policy, limit)
    except BoardError as exc:
        fail(str(exc), EXIT_USAGE)
    from versus.render.pick import exclusions_table, misses_table, pick_lines, pick_to_dict, shortlist_table

    if format is ReportFormat.json:
        print_json(pick_to_dict(result, profile))
        return
    tables = [shortlist_table(result), misses_table(result), exclusions_table(result)]
    print_report(format, "versus pick", tables, pick_lines(result, profile))
