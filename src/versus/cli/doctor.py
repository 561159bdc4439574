"""`versus doctor`: what in the catalog a careful buyer should not trust blindly, and why."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from versus.cli import app
from versus.cli.common import open_services, print_json


class DoctorFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


@app.command("doctor")
def doctor_command(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, help="Rows per check in table and Markdown output.")] = 20,
    format: Annotated[DoctorFormat, typer.Option("--format", "-f", help="Output format.")] = DoctorFormat.table,
) -> None:
    """Data-quality report: flagged routes, non-maker price bases, disputed facts, missing specs, bad records,
    leaderboard names no model matches."""
    from versus.render.doctor import detail_tables, doctor_to_dict, summary_table

    report = open_services(ctx).catalog.doctor()
    if format is DoctorFormat.json:
        print_json(doctor_to_dict(report))
        return
    tables = [summary_table(report), *detail_tables(report, limit)]
    if format is DoctorFormat.markdown:
        from versus.render.markdown import table

        sections = [f"## {t.title}\n\n{table(t)}" for t in tables]
        typer.echo("# Catalog data quality\n\n" + "\n\n".join(sections) + f"\n\nFirst {limit} rows of each check.")
        return
    from rich.console import Console

    from versus.render.terminal import _table

    console = Console()
    for data in tables:
        console.print(_table(data, titled=True))
    console.print(f"First {limit} rows of each check; `--format json` lists them all.")
