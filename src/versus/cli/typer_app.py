"""The Typer app and its commands, imported only when a command needs Typer (see `versus.cli.main`)."""

from __future__ import annotations

from typing import Annotated

import typer

app: typer.Typer = typer.Typer(
    name="versus",
    help="Compare LLMs for production: specs, every provider route and price, capabilities, cost at your traffic.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Catalog database: a SQLite file or a postgresql:// URL (default: $VERSUS_DB or the user data dir).",
            show_default=False,
        ),
    ] = None,
) -> None:
    ctx.obj = {"db": db}


from versus.cli import benchmarks as _benchmarks  # noqa: E402  (registers the commands)
from versus.cli import catalog as _catalog  # noqa: E402
from versus.cli import compare as _compare  # noqa: E402
from versus.cli import doctor as _doctor  # noqa: E402
from versus.cli import evidence as _evidence  # noqa: E402
from versus.cli import pick as _pick  # noqa: E402
from versus.cli import sync as _sync  # noqa: E402
from versus.cli import web as _web  # noqa: E402

_ = (_benchmarks, _catalog, _compare, _doctor, _evidence, _pick, _sync, _web)
