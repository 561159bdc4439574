"""What every command shares: opening the services, output formats and errors."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from versus.services import Services

EXIT_FAILURE = 1
EXIT_USAGE = 2


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]


def fail(message: str, code: int = EXIT_FAILURE) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def open_services(ctx: typer.Context, *, force: bool = False) -> Services:
    """The services over this run's catalog, rebuilt first if its sources changed (or `force`); exit 1
    if there is none, exit 2 if `--db` names a database that is not ours. A ServiceError a command lets
    through (an unknown model, provider or run) ends the command with exit 2 (see `versus.cli.main`)."""
    from versus.services import CatalogUnavailable, ForeignDatabase
    from versus.services import open_services as open_all

    try:
        services = open_all(ctx.obj.get("db") if ctx.obj else None, force=force)
    except ForeignDatabase as exc:
        fail(str(exc), EXIT_USAGE)
    except CatalogUnavailable as exc:
        fail(str(exc))
    for warning in services.warnings:
        typer.echo(f"warning: {warning}", err=True)
    return services


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
