"""What every command shares: opening the catalog, naming models, output formats and errors."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from versus.catalog.store import CatalogStore
    from versus.sync.catalog import OpenedCatalog

EXIT_FAILURE = 1
EXIT_USAGE = 2


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]


def fail(message: str, code: int = EXIT_FAILURE) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def open_catalog_or_exit(ctx: typer.Context, *, force: bool = False) -> OpenedCatalog:
    """The catalog for this run, rebuilt first if its sources changed (or `force`); exit 1 if there is
    none, exit 2 if `--db` names a file that is not ours."""
    from versus.catalog.database import ForeignDatabase
    from versus.sync.catalog import CatalogUnavailable, open_catalog

    try:
        opened = open_catalog(ctx.obj.get("db") if ctx.obj else None, force=force)
    except ForeignDatabase as exc:
        fail(str(exc), EXIT_USAGE)
    except CatalogUnavailable as exc:
        fail(str(exc))
    for warning in opened.warnings:
        typer.echo(f"warning: {warning}", err=True)
    return opened


def open_store(ctx: typer.Context) -> CatalogStore:
    """The catalog for this run (see open_catalog_or_exit)."""
    return open_catalog_or_exit(ctx).store


def model_id_for(store: CatalogStore, query: str) -> str:
    """The canonical id a user's model name means; exit 2 with suggestions when nothing matches."""
    from versus.catalog.lookup import UnknownModel, find_model

    try:
        return find_model(query, store, store.naming()).model_id
    except UnknownModel as exc:
        fail(str(exc), EXIT_USAGE)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
