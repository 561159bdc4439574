"""`versus run` and `versus evidence`: your own prompts through exact provider routes."""

from __future__ import annotations

import os
import signal
import sys
from collections import Counter
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from versus.cli import app
from versus.cli.common import EXIT_USAGE, fail, open_services, print_json

if TYPE_CHECKING:
    from versus.analysis.evidence import RouteEvidence

EXIT_INTERRUPTED = 130


class EvidenceFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


@app.command("run")
def run_command(
    ctx: typer.Context,
    suite: Annotated[Path, typer.Argument(help="Suite file (YAML); `versus schema suite` gives its schema.")],
    route: Annotated[list[str] | None, typer.Option(help="PROVIDER:MODEL_ID of a route to run (repeatable).")] = None,
    model: Annotated[
        list[str] | None, typer.Option(help="A model: runs its cheapest pay-per-token route (repeatable).")
    ] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible base URL instead of the catalog's.")] = None,
    api_key_env: Annotated[
        str | None, typer.Option(help="Environment variable holding the API key (default: the catalog's).")
    ] = None,
    concurrency: Annotated[int, typer.Option(help="Requests in flight at once (1-1000).")] = 8,
    rate: Annotated[
        float | None, typer.Option(help="At most this many requests per second per provider (0.01-10000).")
    ] = None,
    retries: Annotated[
        int, typer.Option(help="Retries (0-20) on 408, 409, 429, 5xx, timeouts, dropped connections.")
    ] = 3,
    timeout: Annotated[
        float, typer.Option(help="Seconds for a whole call, from sending it to the last byte (0.1-3600).")
    ] = 60.0,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Call every route again (for latency; cached answers have none).")
    ] = False,
    format: Annotated[EvidenceFormat, typer.Option("--format", "-f", help="Output format.")] = EvidenceFormat.table,
) -> None:
    """Run a suite of prompts through provider routes; store every result as local evidence."""
    from versus.analysis.evidence import summarize
    from versus.evidence.pacing import RunOptions, option_problems
    from versus.evidence.runner import run_suite
    from versus.evidence.suite import SuiteError, load_suite

    if not route and not model:
        fail("name at least one --route PROVIDER:MODEL_ID or --model MODEL", EXIT_USAGE)
    options = RunOptions(concurrency, rate, retries, timeout, not no_cache)
    problems = option_problems(options)
    if problems:
        fail("; ".join(problems), EXIT_USAGE)
    if base_url is not None and not base_url.strip():
        fail("--base-url is empty; leave it out to use the catalog's endpoint", EXIT_USAGE)
    try:
        loaded = load_suite(suite)
    except SuiteError as exc:
        fail(str(exc), EXIT_USAGE)
    services = open_services(ctx)
    routes = services.evidence.plan_routes(route or [], model or [], base_url)
    keys: dict[str, str | None] = {}
    for index, r in enumerate(routes):
        variable = api_key_env or r.api_key_env or ""
        if variable not in keys:
            keys[variable] = _api_key(variable)
        if not keys[variable] and base_url is None:
            fail(f"set {variable or 'an API key variable'} for {r.provider_id} (or pass --api-key-env)", EXIT_USAGE)
        routes[index] = replace(r, api_key_env=variable)
    evidence = services.evidence.recorder()
    with evidence.session(), _progress(enabled=format is EvidenceFormat.table and sys.stderr.isatty()) as tick:
        report = run_suite(loaded, routes, evidence, keys, options, on_progress=tick)
    if report.status == "interrupted":
        # The process ends once the kept results are reported: a second Ctrl-C must not cut that
        # short, nor kill the interpreter on its way out.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    summaries = summarize(report.results)
    header = {
        "run": report.run_id,
        "status": report.status,
        "completed": report.completed,
        "planned": report.total,
        "retries": report.retries,
        "errors": report.errors,
        "from_cache": report.from_cache,
        "seconds": round(report.seconds, 3),
    }
    _print_summaries(summaries, format, header)
    if report.status == "interrupted":
        typer.echo(f"interrupted: kept {report.completed} of {report.total} results in run {report.run_id}", err=True)
        raise typer.Exit(EXIT_INTERRUPTED)
    if report.completed and report.errors == report.completed:
        errors = Counter(row.error for row in report.results)
        common, count = errors.most_common(1)[0]
        fail(
            f"every call failed ({report.errors} errors, kept in run {report.run_id}); "
            f"the most common ({count}): {common}"
        )


def _api_key(variable: str) -> str | None:
    """The key in `variable`, checked: a trailing line break is stripped with a warning; a key that
    cannot go in a header is refused (exit 2). Messages name the variable, never the value."""
    from versus.evidence.keys import KeyProblem, clean_api_key

    value = os.environ.get(variable) if variable else None
    if not value:
        return None
    try:
        key, warning = clean_api_key(variable, value)
    except KeyProblem as exc:
        fail(str(exc), EXIT_USAGE)
    if warning:
        typer.echo(f"warning: {warning}", err=True)
    return key or None


class _progress:
    """A Rich progress bar on stderr while a run lasts (only on a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(console=Console(stderr=True), transient=True)
        self.bar.__enter__()
        task = self.bar.add_task("calling routes", total=None)
        return lambda done, total: self.bar.update(task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


@app.command("evidence")
def evidence_command(
    ctx: typer.Context,
    run: Annotated[str | None, typer.Argument(help="Run id (default: the latest run).")] = None,
    format: Annotated[EvidenceFormat, typer.Option("--format", "-f", help="Output format.")] = EvidenceFormat.table,
) -> None:
    """Summarise a run per route: pass rate, pass^k, latency, TTFT, speed, cost, errors, sample sizes."""
    from versus.analysis.evidence import summarize

    evidence = open_services(ctx).evidence
    chosen = evidence.run(run)
    header = {
        "run": chosen["id"],
        "suite": chosen["suite_name"],
        "status": chosen["status"],
        "started_at": chosen["started_at"],
        "results": chosen["results"],
    }
    _print_summaries(summarize(evidence.results(chosen["id"])), format, header)


def _print_summaries(summaries: list[RouteEvidence], format: EvidenceFormat, header: dict[str, Any]) -> None:
    from versus.render.evidence import evidence_table, summary_to_dict

    if format is EvidenceFormat.json:
        print_json({**header, "routes": [summary_to_dict(s) for s in summaries]})
        return
    table = evidence_table(summaries)
    if format is EvidenceFormat.markdown:
        from versus.render.markdown import table as markdown_table

        lines = [f"# Local evidence: run {header['run']}", ", ".join(f"{k}: {v}" for k, v in header.items()), ""]
        typer.echo("\n".join(lines) + markdown_table(table) + "\n\n" + EVIDENCE_NOTE)
        return
    from rich.console import Console

    from versus.render.terminal import _table

    console = Console()
    console.print(", ".join(f"{k}: {v}" for k, v in header.items()))
    console.print(_table(table, titled=True))
    console.print(EVIDENCE_NOTE)


EVIDENCE_NOTE = (
    "Output speed is streamed output tokens (reasoning + answer) ÷ time from the first to the last streamed "
    "token; TTFT is the time to the first token of either kind. Latency and TTFT count only live calls (never "
    "answers from the cache); n is the number of such calls."
)
