"""`versus compare` and `versus schema`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from versus.analysis.traffic import DEFAULT_TEXT
from versus.cli import app
from versus.cli.common import EXIT_USAGE, fail


class BasisChoice(StrEnum):
    maker = "maker"
    cheapest = "cheapest"


class CompareFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    models: Annotated[list[str], typer.Argument(help="Two or more models: canonical ids, provider ids or names.")],
    requests: Annotated[str, typer.Option(help="Requests per month.")] = DEFAULT_TEXT["requests"],
    input_tokens: Annotated[str, typer.Option(help="Input tokens per request (cached ones included).")] = DEFAULT_TEXT[
        "input_tokens"
    ],
    output_tokens: Annotated[str, typer.Option(help="Output tokens per request.")] = DEFAULT_TEXT["output_tokens"],
    cache_hit: Annotated[str, typer.Option(help="Share of input tokens read from cache: 0.4 or 40%.")] = DEFAULT_TEXT[
        "cache_hit"
    ],
    batch: Annotated[str, typer.Option(help="Share of requests sent through batch APIs: 0.5 or 50%.")] = DEFAULT_TEXT[
        "batch"
    ],
    blend: Annotated[
        str, typer.Option(help="Input:output blend for one blended price, e.g. 70:30 or 3:1.")
    ] = DEFAULT_TEXT["blend"],
    tokens_from_run: Annotated[
        str | None, typer.Option(help="Price with each model's mean tokens per request measured in this run.")
    ] = None,
    basis: Annotated[
        BasisChoice,
        typer.Option(help="Price each model at its maker's list price (maker) or on its cheapest route (cheapest)."),
    ] = BasisChoice.maker,
    provider: Annotated[
        list[str] | None, typer.Option("--provider", help="Price only on routes of this provider (repeatable).")
    ] = None,
    exclude_provider: Annotated[
        list[str] | None, typer.Option("--exclude-provider", help="Never price on this provider (repeatable).")
    ] = None,
    include_flagged: Annotated[
        bool, typer.Option("--include-flagged", help="Also price on flagged routes: suspect, variants of serving.")
    ] = False,
    format: Annotated[CompareFormat, typer.Option("--format", "-f", help="Output format.")] = CompareFormat.table,
) -> None:
    """Compare two or more models: costs at your traffic, routes, capabilities, specs, verdicts and FAQ."""
    from versus.cli.fast import CompareArgs, CompareProblem, comparison_for, render_plain

    args = CompareArgs(
        models=models,
        db=ctx.obj.get("db") if ctx.obj else None,
        requests=requests,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cache_hit=cache_hit,
        batch=batch,
        blend=blend,
        tokens_from_run=tokens_from_run,
        basis=basis.value,
        provider=provider or [],
        exclude_provider=exclude_provider or [],
        include_flagged=include_flagged,
        format=format.value,
    )
    try:
        comparison = comparison_for(args)
    except CompareProblem as exc:
        fail(exc.message, exc.code)
    if format is CompareFormat.table:
        from versus.render.terminal import print_comparison

        print_comparison(comparison)
    else:
        typer.echo(render_plain(comparison, format.value), nl=False)


@app.command("schema")
def schema_command(
    name: Annotated[str, typer.Argument(help="Which schema: compare or suite.")] = "compare",
) -> None:
    """Print the JSON Schema of a JSON output (`versus schema compare`)."""
    import json

    if name == "compare":
        from versus.render.json_view import comparison_schema

        schema = comparison_schema()
    elif name == "suite":
        from versus.evidence.suite import suite_schema

        schema = suite_schema()
    else:
        fail(f"unknown schema {name!r}; available: compare, suite", EXIT_USAGE)
    typer.echo(json.dumps(schema, indent=2, sort_keys=True))
