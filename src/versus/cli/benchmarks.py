"""`versus benchmarks` (one model's leaderboard results) and `versus leaderboard` (one benchmark's
ranking with each model's monthly cost at your traffic and the quality-per-dollar frontier)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from versus.cli import app
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

if TYPE_CHECKING:
    from versus.render.tabledata import TableData


class ReportFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


FormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")]


def print_report(format: ReportFormat, heading: str, tables: list[TableData], lines: list[str]) -> None:
    """Tables and notes as Markdown or a terminal view (JSON is each command's own)."""
    if format is ReportFormat.markdown:
        from versus.render.markdown import escape, table

        parts = [f"# {escape(heading)}"]
        for data in tables:
            parts += [f"## {escape(data.title)}", table(data) if data.rows else "None."]
        parts += [escape(line) for line in lines]
        typer.echo("\n\n".join(parts))
        return
    from rich.console import Console
    from rich.text import Text

    from versus.render.terminal import _table

    console = Console()
    console.print(Text(heading, style="bold"))
    for data in tables:
        console.print(_table(data, titled=True) if data.rows else Text(f"{data.title}: none."))
    for line in lines:
        console.print(Text(line))  # Text, not markup: names from leaderboards stay inert


@app.command("benchmarks")
def benchmarks_command(
    ctx: typer.Context,
    model: Annotated[str, typer.Argument(help="Canonical id, a provider's model id, or a name.")],
    format: FormatOption = ReportFormat.table,
) -> None:
    """Every leaderboard result matched to one model: score, interval, setting, date and source."""
    catalog = open_services(ctx).catalog
    model_id = catalog.find(model)
    results = catalog.benchmark_results(model_id)
    if format is ReportFormat.json:
        from versus.render.benchmarks import result_to_dict

        print_json([result_to_dict(r) for r in results])
        return
    from versus.render.benchmarks import results_table

    found = catalog.model(model_id)
    name = found.name if found else model_id
    lines = (
        ["`versus leaderboard BENCHMARK` ranks every model on one of them, with its monthly cost."]
        if results
        else [
            f"No leaderboard result is matched to {model_id}. `versus sync` fetches LMArena, LiveBench and "
            "SWE-bench; `versus doctor` lists leaderboard names no model matched."
        ]
    )
    print_report(format, f"{name} ({model_id})", [results_table(name, results)] if results else [], lines)


@app.command("leaderboard")
def leaderboard_command(
    ctx: typer.Context,
    benchmark: Annotated[
        str,
        typer.Argument(help="A benchmark: lmarena-text, livebench, aider-polyglot, bfcl, … (SOURCE:BENCHMARK too)."),
    ],
    category: Annotated[
        str | None, typer.Option(help="A category of it, e.g. coding (default: overall, or its headline one).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Rows in table and Markdown output (JSON lists all).")] = 25,
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
    """Rank models on one benchmark with their monthly cost at your traffic; the Pareto frontier marked."""
    from versus.analysis.quality import BoardError, parse_benchmark_ref

    try:
        ref = parse_benchmark_ref(benchmark if category is None else f"{benchmark}/{category}")
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)
    profile, _ = traffic_or_exit(requests, input_tokens, output_tokens, cache_hit, batch, blend)
    service = open_services(ctx).comparisons
    policy = policy_or_exit(service, basis, provider, exclude_provider, include_flagged)
    try:
        chart = service.leaderboard(ref, profile, policy)
    except BoardError as exc:
        fail(str(exc), EXIT_USAGE)
    from versus.render.benchmarks import chart_to_dict, frontier_line, quality_table, traffic_text

    if format is ReportFormat.json:
        print_json(chart_to_dict(chart, profile, policy.describe()))
        return
    shown = min(limit, len(chart.points))
    lines = [
        f"Monthly cost at {traffic_text(profile)}, priced on {policy.describe()}.",
        frontier_line(chart),
        f"First {shown} of {len(chart.points)} models by score; `--format json` lists them all.",
    ]
    print_report(format, f"Leaderboard: {chart.label}", [quality_table(chart, limit)], lines)
