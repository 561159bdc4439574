"""`versus sync`, `versus history` and `versus changes`: fresh data, and what it changed."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from versus.cli import app
from versus.cli.common import EXIT_FAILURE, EXIT_USAGE, OutputFormat, fail, open_services, print_json

if TYPE_CHECKING:
    from versus.render.tabledata import TableData


class ReportFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


@app.command("sync")
def sync_command(
    ctx: typer.Context,
    sources: Annotated[list[str] | None, typer.Argument(help="Sources to fetch (default: every source).")] = None,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", help="NAME=LOCATION: fetch a source from this URL or local path (repeatable)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Keep a payload that lost more than half the records.")
    ] = False,
    timeout: Annotated[float, typer.Option(min=0.1, max=600, help="Seconds to wait for each request.")] = 30.0,
    retries: Annotated[int, typer.Option(min=0, max=10, help="Retries on timeouts, 429 and 5xx.")] = 2,
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
) -> None:
    """Fetch the current data of each source and rebuild the catalog from the newest good snapshots."""
    from versus.services import ForeignDatabase
    from versus.services.history import sync_catalog
    from versus.sync.fetch import FetchOptions
    from versus.sync.run import SyncUsageError

    overrides: dict[str, str] = {}
    for spec in source or []:
        name, sep, location = spec.partition("=")
        if not sep or not name or not location:
            fail(f"--source {spec!r} is not NAME=LOCATION, e.g. litellm=./prices.json", EXIT_USAGE)
        overrides[name] = location
    with _progress(enabled=format is OutputFormat.table and sys.stderr.isatty()) as tick:
        try:
            report = sync_catalog(
                (ctx.obj or {}).get("db"),
                sources or [],
                overrides,
                today=date.today(),
                force=force,
                options=FetchOptions(timeout=timeout, retries=retries),
                progress=tick,
            )
        except SyncUsageError as exc:
            fail(str(exc), EXIT_USAGE)
        except ForeignDatabase as exc:
            fail(str(exc), EXIT_USAGE)
    rows = [
        {
            "source": o.source,
            "status": o.status,
            "records": o.records,
            "error": o.error,
            "location": o.location,
            "snapshot_date": o.snapshot_date.isoformat() if o.snapshot_date else None,
        }
        for o in report.outcomes
    ]
    if format is OutputFormat.json:
        print_json(
            {
                "sources": rows,
                "rebuilt": report.rebuilt,
                "warning": report.catalog_warning,
                "seconds": round(report.seconds, 3),
            }
        )
    else:
        for row in rows:
            detail = f" — {row['error']}" if row["error"] else ""
            count = f"{row['records']:,} records" if row["records"] is not None else "no records"
            typer.echo(f"{row['source']:<13} {row['status']:<9} {count}{detail}")
        typer.echo(f"catalog {'rebuilt' if report.rebuilt else 'unchanged'} in {report.seconds:.1f}s")
    if report.catalog_warning:
        typer.echo(f"warning: {report.catalog_warning}", err=True)
    if not report.ok:
        raise typer.Exit(EXIT_FAILURE)


class _progress:
    """A Rich status line on stderr naming the source being fetched (only on a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.status: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.console import Console

        self.status = Console(stderr=True).status("syncing")
        self.status.__enter__()
        return lambda name: self.status.update(f"fetching {name}")

    def __exit__(self, *exc: object) -> None:
        if self.status is not None:
            self.status.__exit__(*exc)


@app.command("history")
def history_command(
    ctx: typer.Context,
    model: Annotated[str, typer.Argument(help="Canonical id, a provider's model id, or a name.")],
    provider: Annotated[str | None, typer.Option(help="Only this provider's routes.")] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.table,
) -> None:
    """Every price a model's routes have had, as intervals, with their source."""
    from versus.render.history import history_table, interval_to_dict

    services = open_services(ctx)
    model_id = services.catalog.find(model)
    intervals = services.history.intervals(model_id, provider)
    if format is ReportFormat.json:
        print_json([interval_to_dict(i) for i in intervals])
        return
    _print(history_table(model_id, intervals), format)


@app.command("changes")
def changes_command(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="Only changes on or after this date (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="At most this many, newest first.")] = 200,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.table,
) -> None:
    """What changed in the catalog: new models, new and removed routes, price changes."""
    from versus.render.history import change_to_dict, changes_table

    try:
        day = date.fromisoformat(since) if since else None
    except ValueError:
        fail(f"--since {since!r} is not a date like 2026-11-01", EXIT_USAGE)
    changes = open_services(ctx).history.changes(day, limit=limit)
    if format is ReportFormat.json:
        print_json([change_to_dict(c) for c in changes])
        return
    _print(changes_table(changes), format)


def _print(data: TableData, format: ReportFormat) -> None:
    if format is ReportFormat.markdown:
        from versus.render.markdown import table

        typer.echo(f"## {data.title}\n\n{table(data)}")
        return
    from rich.console import Console

    from versus.render.terminal import _table

    Console().print(_table(data, titled=True))
