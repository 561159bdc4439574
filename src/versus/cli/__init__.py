"""The `versus` command line: one Typer app, one module per command group."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

app = typer.Typer(
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


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with `argv` and return its exit code (0 ok, 1 failure, 2 bad usage)."""
    args = argv if argv is not None else sys.argv[1:]
    if problem := _undecodable(args):
        sys.stderr.write(f"error: {problem}\n")
        return 2
    try:
        app(args=args, prog_name="versus", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Exception as exc:  # a bug: say so in one line; VERSUS_DEBUG=1 shows the traceback
        if os.environ.get("VERSUS_DEBUG"):
            raise
        sys.stderr.write(f"error: unexpected {type(exc).__name__}: {str(exc)[:500]} (VERSUS_DEBUG=1 for details)\n")
        return 1
    return 0


def run() -> None:
    sys.exit(main())


def _undecodable(args: list[str]) -> str | None:
    """Python hands bytes that are not UTF-8 over as lone surrogates, which crash the first print or
    SQLite call that meets them: name the argument instead, in ASCII so the message itself prints."""
    for position, arg in enumerate(args, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return f"argument {position} ({_raw(arg)!r}) is not valid UTF-8 text; use UTF-8 names and paths"
    return None


def _raw(arg: str) -> bytes:
    """The bytes as typed (surrogate escapes back to bytes), else a printable stand-in."""
    try:
        return os.fsencode(arg)
    except UnicodeEncodeError:
        return arg.encode("utf-8", "backslashreplace")
