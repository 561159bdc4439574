"""`versus serve` and `versus site build`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from versus.cli import app
from versus.cli.common import EXIT_USAGE, fail, open_services

site_app = typer.Typer(help="Static site of comparison pages.", no_args_is_help=True)
app.add_typer(site_app, name="site")

# More worker processes than this is a typo: each one holds the catalog and its page cache.
MAX_WORKERS = 64
MAX_MODELS_FILE_BYTES = 1024 * 1024  # one name a line: thousands of models fit in a few KB


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1, max=MAX_WORKERS)] = 1,
    base_url: Annotated[
        str, typer.Option(help="Absolute URL the app is served from, for canonical and Open Graph links.")
    ] = "",
    sync_every: Annotated[
        str | None,
        typer.Option(help="Run `versus sync` of every source in the background every DURATION (15m, 6h, 1d; ≥ 1m)."),
    ] = None,
) -> None:
    """Serve comparison pages and the JSON API (OpenAPI at /openapi.json)."""
    every = None
    if sync_every is not None:
        from versus.sync.schedule import parse_interval

        try:
            every = parse_interval(sync_every)
        except ValueError as exc:
            fail(str(exc), EXIT_USAGE)
    import uvicorn

    services = open_services(ctx)  # builds the catalog once, before any worker starts
    os.environ["VERSUS_DB"] = services.target
    os.environ["VERSUS_BASE_URL"] = base_url.rstrip("/")
    typer.echo(f"serving {services.catalog.location} on http://{host}:{port}/", err=True)
    schedule = _start_sync_schedule(services.target, every) if every else None
    try:
        uvicorn.run(
            "versus.web.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            access_log=False,
        )
    finally:
        if schedule is not None:
            schedule.stop()


def _start_sync_schedule(target: str, every: float) -> Any:
    """The sync thread of this (serving parent) process. One uvicorn worker re-raises SIGTERM and SIGINT
    after its graceful shutdown, with the handlers found before it started: ours stop the thread first,
    then let the signal end the process as it would have."""
    import signal
    from functools import partial

    from versus.sync.schedule import SyncSchedule, sync_every_source

    schedule = SyncSchedule(partial(sync_every_source, target), every)
    for sig in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(sig)

        def stop_then(number: int, frame: Any, previous: Any = previous) -> None:
            schedule.stop()
            signal.signal(number, previous if previous is not None else signal.SIG_DFL)
            signal.raise_signal(number)

        signal.signal(sig, stop_then)
    schedule.start()
    return schedule


@site_app.command("build")
def site_build(
    ctx: typer.Context,
    out: Annotated[str, typer.Argument(help="Output folder: new, empty, or a site built here before.")],
    top: Annotated[int, typer.Option(help="Compare every pair of the N models with the most routes.")] = 100,
    models: Annotated[Path | None, typer.Option(help="A file of model names, one per line, instead of --top.")] = None,
    base_url: Annotated[str, typer.Option(help="Absolute URL the site will be served from.")] = "http://localhost:8000",
) -> None:
    """Build a static site: every pair among the chosen models, a page per model, search, sitemap."""
    from versus.site.build import build_site, choose_models
    from versus.site.folder import SiteRefused

    if not out.strip():
        fail("OUT is empty: name the folder to build the site in, e.g. `versus site build public`", EXIT_USAGE)
    names = _model_names(models) if models is not None else None
    if names is None and top < 2:
        fail("--top must be at least 2", EXIT_USAGE)
    services = open_services(ctx)
    if names is not None:
        chosen = list(dict.fromkeys(services.catalog.find(name) for name in names))
    else:
        chosen = choose_models(services.catalog, top)
    if len(chosen) < 2:
        fail("a site needs at least two models", EXIT_USAGE)
    try:
        report = build_site(services, chosen, Path(out), base_url=base_url.rstrip("/"), progress=sys.stderr.isatty())
    except SiteRefused as exc:
        fail(str(exc), EXIT_USAGE)
    except OSError as exc:
        fail(f"{out}: {exc.strerror or exc} ({exc.filename or out})")
    typer.echo(
        f"{out}: {report.pages} pages ({report.compare_pages} comparisons), "
        f"{report.written} written, {report.unchanged} unchanged, {report.removed} removed "
        f"in {report.seconds:.1f}s ({report.pages / max(report.seconds, 1e-9):.0f} pages/s)"
    )
    if report.kept:
        shown = ", ".join(report.kept[:10]) + (f" and {len(report.kept) - 10} more" if len(report.kept) > 10 else "")
        typer.echo(
            f"warning: left {len(report.kept)} file{'s' if len(report.kept) > 1 else ''} alone that versus did not "
            f"write or that changed since it did: "
            f"{shown} (delete them to have versus write them again)",
            err=True,
        )


def _model_names(path: Path) -> list[str]:
    """The names in a --models file, one a line (`#` starts a comment); exit 2 if it cannot be read."""
    try:
        if not path.is_file():
            fail(f"{path}: {'not a file' if path.exists() else 'no such file'}", EXIT_USAGE)
        if path.stat().st_size > MAX_MODELS_FILE_BYTES:
            fail(f"{path}: too large for a list of model names (at most {MAX_MODELS_FILE_BYTES:,} bytes)", EXIT_USAGE)
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        fail(f"{path}: not UTF-8 text (byte {exc.start + 1} is {exc.object[exc.start : exc.end]!r})", EXIT_USAGE)
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}", EXIT_USAGE)
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
