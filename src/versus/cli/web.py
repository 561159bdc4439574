"""`versus serve` and `versus site build`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from versus.cli import app
from versus.cli.common import EXIT_USAGE, fail, open_store

site_app = typer.Typer(help="Static site of comparison pages.", no_args_is_help=True)
app.add_typer(site_app, name="site")


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve comparison pages and the JSON API (OpenAPI at /openapi.json)."""
    import uvicorn

    if workers < 1:
        fail("--workers must be at least 1", EXIT_USAGE)
    store = open_store(ctx)  # builds the catalog once, before any worker starts
    os.environ["VERSUS_DB"] = str(store.path)
    typer.echo(f"serving {store.path} on http://{host}:{port}/", err=True)
    uvicorn.run(
        "versus.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


@site_app.command("build")
def site_build(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="Output folder.")],
    top: Annotated[int, typer.Option(help="Compare every pair of the N models with the most routes.")] = 100,
    models: Annotated[Path | None, typer.Option(help="A file of model names, one per line, instead of --top.")] = None,
    base_url: Annotated[str, typer.Option(help="Absolute URL the site will be served from.")] = "http://localhost:8000",
) -> None:
    """Build a static site: every pair among the chosen models, a page per model, search, sitemap."""
    from versus.site.build import build_site, choose_models

    store = open_store(ctx)
    if models is not None:
        if not models.exists():
            fail(f"{models}: no such file", EXIT_USAGE)
        from versus.cli.common import model_id_for

        names = [line.strip() for line in models.read_text().splitlines() if line.strip() and not line.startswith("#")]
        chosen = list(dict.fromkeys(model_id_for(store, name) for name in names))
    else:
        if top < 2:
            fail("--top must be at least 2", EXIT_USAGE)
        chosen = choose_models(store, top)
    if len(chosen) < 2:
        fail("a site needs at least two models", EXIT_USAGE)
    report = build_site(store, chosen, out, base_url=base_url.rstrip("/"), progress=sys.stderr.isatty())
    typer.echo(
        f"{out}: {report.pages} pages ({report.compare_pages} comparisons), "
        f"{report.written} written, {report.unchanged} unchanged, {report.removed} removed "
        f"in {report.seconds:.1f}s ({report.pages / max(report.seconds, 1e-9):.0f} pages/s)"
    )
