"""`versus compare` and `versus schema`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from versus.cli import app
from versus.cli.common import EXIT_USAGE, fail
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
)


class CompareFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    models: Annotated[list[str], typer.Argument(help="Two or more models: canonical ids, provider ids or names.")],
    requests: Requests = DEFAULTS["requests"],
    input_tokens: InputTokens = DEFAULTS["input_tokens"],
    output_tokens: OutputTokens = DEFAULTS["output_tokens"],
    cache_hit: CacheHit = DEFAULTS["cache_hit"],
    batch: BatchShare = DEFAULTS["batch"],
    blend: BlendOption = DEFAULTS["blend"],
    tokens_from_run: Annotated[
        str | None, typer.Option(help="Price with each model's mean tokens per request measured in this run.")
    ] = None,
    basis: BasisOption = BasisChoice.maker,
    provider: Providers = None,
    exclude_provider: ExcludedProviders = None,
    include_flagged: IncludeFlagged = False,
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
    name: Annotated[
        str, typer.Argument(help="Which schema: compare, suite, or a curated file: providers, aliases, tags, creator.")
    ] = "compare",
) -> None:
    """Print a JSON Schema: of a JSON output (`versus schema compare`) or of a curated data file."""
    import json

    from versus.catalog.overlay import DATA_SCHEMAS, data_schema

    if name == "compare":
        from versus.render.json_view import comparison_schema

        schema = comparison_schema()
    elif name == "suite":
        from versus.evidence.suite import suite_schema

        schema = suite_schema()
    elif name in DATA_SCHEMAS:
        schema = data_schema(name)
    else:
        fail(f"unknown schema {name!r}; available: compare, suite, {', '.join(DATA_SCHEMAS)}", EXIT_USAGE)
    typer.echo(json.dumps(schema, indent=2, sort_keys=True))
