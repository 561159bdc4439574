"""Catalog commands: models, show, routes, providers, resolve, rebuild."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from versus.catalog.types import CAPABILITIES
from versus.cli import app
from versus.cli.common import FormatOption, OutputFormat, open_services, print_json

if TYPE_CHECKING:
    from rich.console import Console


def _console() -> Console:
    from rich.console import Console

    return Console()


@app.command()
def models(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(help="Words that must appear in the id, name or creator.")] = None,
    provider: Annotated[str | None, typer.Option(help="Only models this provider serves (provider id).")] = None,
    capability: Annotated[
        list[str] | None, typer.Option(help=f"Only models with this capability: {', '.join(CAPABILITIES)}.")
    ] = None,
    min_context: Annotated[int | None, typer.Option(help="Only models with at least this context window.")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """List models, filtered by name, provider, capability and context window."""
    from versus.render.catalog import summary_to_dict

    summaries = open_services(ctx).catalog.search(query or "", capability or [], provider, min_context)
    if format is OutputFormat.json:
        print_json([summary_to_dict(m) for m in summaries])
    else:
        from versus.render.catalog_terminal import models_table

        _console().print(models_table(summaries))


@app.command()
def show(
    ctx: typer.Context,
    model: Annotated[str, typer.Argument(help="Canonical id, a provider's model id, or a name.")],
    format: FormatOption = OutputFormat.table,
) -> None:
    """Everything about one model: specs, capabilities, every route with prices, provenance, conflicts."""
    from versus.render.catalog import model_to_dict, route_sort_key, routes_to_list

    catalog = open_services(ctx).catalog
    found = catalog.found(model)
    offerings = sorted(catalog.routes(found.id), key=route_sort_key)
    if format is OutputFormat.json:
        print_json({**model_to_dict(found), "routes": routes_to_list(offerings)})
        return
    from versus.render.catalog_terminal import model_view

    _console().print(model_view(found, offerings, catalog.providers_by_id))


@app.command()
def routes(
    ctx: typer.Context,
    model: Annotated[str, typer.Argument(help="Canonical id, a provider's model id, or a name.")],
    format: FormatOption = OutputFormat.table,
) -> None:
    """Every provider route of a model, with its prices in USD per 1M tokens and their sources."""
    from versus.render.catalog import route_sort_key, routes_to_list

    catalog = open_services(ctx).catalog
    model_id = catalog.find(model)
    offerings = sorted(catalog.routes(model_id), key=route_sort_key)
    if format is OutputFormat.json:
        print_json(routes_to_list(offerings))
        return
    from versus.render.catalog_terminal import routes_table

    _console().print(routes_table(offerings, catalog.providers_by_id, f"{model_id}: {len(offerings)} routes"))


@app.command()
def providers(ctx: typer.Context, format: FormatOption = OutputFormat.table) -> None:
    """List providers with their kind and number of routes."""
    from versus.render.catalog import provider_to_dict

    listed = open_services(ctx).catalog.providers()
    if format is OutputFormat.json:
        print_json([provider_to_dict(p, n) for p, n in listed])
        return
    from versus.render.catalog_terminal import providers_table

    _console().print(providers_table(listed))


@app.command()
def resolve(
    ctx: typer.Context,
    provider: Annotated[str, typer.Argument(help="Provider id, e.g. fireworks-ai.")],
    provider_model_id: Annotated[str, typer.Argument(help="The provider's model id.")],
    format: FormatOption = OutputFormat.table,
) -> None:
    """Which canonical model a provider's model id is, how sure, and why."""
    result = open_services(ctx).catalog.resolve(provider, provider_model_id)
    if format is OutputFormat.json:
        print_json(result)
    else:
        typer.echo(f"{provider}:{provider_model_id} → {result['model']}")
        typer.echo(f"confidence {result['confidence']:.2f}: {result['reason']}")


@app.command()
def rebuild(ctx: typer.Context, format: FormatOption = OutputFormat.table) -> None:
    """Rebuild the catalog from the installed source packages now (it also rebuilds itself on change)."""
    import time

    started = time.perf_counter()
    services = open_services(ctx, force=True)
    if not services.rebuilt:
        raise typer.Exit(1)
    meta = services.catalog.meta()
    errors = services.catalog.source_errors()  # records a source could not read: reported, the rest kept
    seconds = time.perf_counter() - started
    if format is OutputFormat.json:
        import json

        print_json(
            {
                "path": services.catalog.location,
                "seconds": round(seconds, 3),
                "sources": json.loads(meta.get("sources", "{}")),
                "built_on": meta.get("built_on"),
                "skipped_records": errors,
            }
        )
    else:
        typer.echo(f"built {services.catalog.location} in {seconds:.2f}s from {meta.get('sources')}")
        for error in errors:
            typer.echo(f"skipped {error['source']} record {error['record_id']}: {error['message']}", err=True)
