"""`versus compare` and `versus schema`."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

import typer

from versus.cli import app
from versus.cli.common import EXIT_USAGE, fail, model_id_for, open_store
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
    if len(models) < 2:
        fail("compare needs at least two models, e.g. `versus compare gpt-4o-audio mistral-small-3.1`", EXIT_USAGE)
    profile, parsed_blend = traffic_or_exit(requests, input_tokens, output_tokens, cache_hit, batch, blend)
    store = open_store(ctx)
    ids = [model_id_for(store, name) for name in models]
    if len(set(ids)) < len(ids):
        twice = next(i for i in ids if ids.count(i) > 1)
        same = [name for name, i in zip(models, ids, strict=True) if i == twice]
        fail(f"{' and '.join(repr(s) for s in same)} are the same model ({twice}); compare it with another", EXIT_USAGE)
    from versus.service import ComparisonService

    service = ComparisonService(store)
    policy = policy_or_exit(service, basis, provider, exclude_provider, include_flagged)
    if tokens_from_run and tokens_from_run not in {run["id"] for run in service.runs()}:
        fail(f"no run {tokens_from_run!r}; `versus evidence` shows the latest", EXIT_USAGE)
    comparison = service.compare(ids, profile, parsed_blend, date.today(), tokens_from_run, policy)
    if format is CompareFormat.json:
        from versus.render.json_view import render_json

        typer.echo(render_json(comparison), nl=False)
    elif format is CompareFormat.markdown:
        from versus.render.markdown import render_markdown

        typer.echo(render_markdown(comparison), nl=False)
    else:
        from versus.render.terminal import print_comparison

        print_comparison(comparison)


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
