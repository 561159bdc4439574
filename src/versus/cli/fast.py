"""`versus compare … --format json|markdown` without Typer or Rich: the comparison and its plain-text views.

Start-up is most of a one-shot command's wall time, and Typer with Rich is most of start-up, so the two
formats that print plain text are parsed here by hand. The Typer command calls the same
`comparison_for`, so both paths validate and compute alike; anything this parser does not know (help,
an unknown option, the table format) returns None and goes to Typer.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from versus.analysis.compare import Comparison

EXIT_FAILURE, EXIT_USAGE = 1, 2
_VALUE_OPTIONS = {
    "--requests": "requests",
    "--input-tokens": "input_tokens",
    "--output-tokens": "output_tokens",
    "--cache-hit": "cache_hit",
    "--batch": "batch",
    "--blend": "blend",
    "--tokens-from-run": "tokens_from_run",
    "--basis": "basis",
    "--format": "format",
    "-f": "format",
}
_LIST_OPTIONS = {"--provider": "provider", "--exclude-provider": "exclude_provider"}


class CompareProblem(Exception):
    """What stops a comparison, with its exit code (2: bad usage, 1: failure)."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message, self.code = message, code


@dataclass
class CompareArgs:
    models: list[str]
    db: str | None = None
    requests: str | None = None
    input_tokens: str | None = None
    output_tokens: str | None = None
    cache_hit: str | None = None
    batch: str | None = None
    blend: str | None = None
    tokens_from_run: str | None = None
    basis: str = "maker"
    provider: list[str] = field(default_factory=list)
    exclude_provider: list[str] = field(default_factory=list)
    include_flagged: bool = False
    format: str = "table"


def parse_compare_args(args: list[str]) -> CompareArgs | None:
    """`[--db PATH] compare A B … [options]` as CompareArgs; None for anything else."""
    rest, db = list(args), None
    while rest and rest[0].startswith("--db"):
        if rest[0] == "--db" and len(rest) > 1:
            db, rest = rest[1], rest[2:]
        elif rest[0].startswith("--db="):
            db, rest = rest[0].split("=", 1)[1], rest[1:]
        else:
            return None
    if not rest or rest[0] != "compare":
        return None
    parsed = CompareArgs(models=[], db=db)
    tokens = rest[1:]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        name, _, inline = token.partition("=") if token.startswith("--") else (token, "", "")
        if name in _VALUE_OPTIONS or name in _LIST_OPTIONS:
            if inline == "" and "=" not in token:
                if index + 1 >= len(tokens):
                    return None
                value, index = tokens[index + 1], index + 2
            else:
                value, index = inline, index + 1
            if name in _LIST_OPTIONS:
                getattr(parsed, _LIST_OPTIONS[name]).append(value)
            else:
                setattr(parsed, _VALUE_OPTIONS[name], value)
        elif token == "--include-flagged":
            parsed.include_flagged, index = True, index + 1
        elif token.startswith("-") and token != "-":
            return None  # --help, a typo, an option of a later version: Typer says what to do
        else:
            parsed.models.append(token)
            index += 1
    return parsed


def comparison_for(a: CompareArgs, warn: object = None) -> Comparison:
    """Validate the arguments, open the catalog and compute the comparison; CompareProblem otherwise."""
    from versus.analysis.traffic import DEFAULT_TEXT, TrafficError, parse_traffic

    if len(a.models) < 2:
        raise CompareProblem("compare needs at least two models, e.g. `versus compare gpt-4o-audio mistral-small-3.1`")
    if a.basis not in ("maker", "cheapest"):
        raise CompareProblem(f"unknown basis {a.basis!r}; choose maker or cheapest")
    try:
        profile, blend = parse_traffic(
            requests=a.requests or DEFAULT_TEXT["requests"],
            input_tokens=a.input_tokens or DEFAULT_TEXT["input_tokens"],
            output_tokens=a.output_tokens or DEFAULT_TEXT["output_tokens"],
            cache_hit=a.cache_hit or DEFAULT_TEXT["cache_hit"],
            batch=a.batch or DEFAULT_TEXT["batch"],
            blend=a.blend or DEFAULT_TEXT["blend"],
        )
    except TrafficError as exc:
        raise CompareProblem(str(exc)) from exc
    from versus.services import CatalogUnavailable, ForeignDatabase, ServiceError, open_services

    try:
        services = open_services(a.db)
    except ForeignDatabase as exc:
        raise CompareProblem(str(exc)) from exc
    except CatalogUnavailable as exc:
        raise CompareProblem(str(exc), EXIT_FAILURE) from exc
    for warning in services.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    try:
        ids = [services.catalog.find(name) for name in a.models]
    except ServiceError as exc:
        raise CompareProblem(exc.explained()) from exc
    if len(set(ids)) < len(ids):
        twice = next(i for i in ids if ids.count(i) > 1)
        same = [name for name, i in zip(a.models, ids, strict=True) if i == twice]
        raise CompareProblem(
            f"{' and '.join(repr(s) for s in same)} are the same model ({twice}); compare it with another"
        )
    from versus.analysis.basis import BasisError

    service = services.comparisons
    try:
        policy = service.route_policy(a.basis, a.provider, a.exclude_provider, a.include_flagged)
    except BasisError as exc:
        raise CompareProblem(str(exc)) from exc
    if a.tokens_from_run and a.tokens_from_run not in {run["id"] for run in service.runs()}:
        raise CompareProblem(f"no run {a.tokens_from_run!r}; `versus evidence` shows the latest")
    return service.compare(ids, profile, blend, date.today(), a.tokens_from_run, policy)


def render_plain(c: Comparison, format: str) -> str:
    if format == "json":
        from versus.render.json_view import render_json

        return render_json(c)
    from versus.render.markdown import render_markdown

    return render_markdown(c)


def fast_compare(args: list[str]) -> int | None:
    """Run `compare` in JSON or Markdown without Typer; None when Typer should handle `args`."""
    parsed = parse_compare_args(args)
    if parsed is None or parsed.format not in ("json", "markdown"):
        return None
    try:
        text = render_plain(comparison_for(parsed), parsed.format)
    except CompareProblem as exc:
        sys.stderr.write(f"error: {exc.message}\n")
        return exc.code
    sys.stdout.write(text)
    return 0
