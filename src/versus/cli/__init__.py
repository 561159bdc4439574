"""The `versus` command line: one Typer app, one module per command group."""

from __future__ import annotations

import os
import sys
from pathlib import Path
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
        Path | None,
        typer.Option(
            "--db", help="Catalog database file (default: $VERSUS_DB or the user data dir).", show_default=False
        ),
    ] = None,
) -> None:
    ctx.obj = {"db": db}


from versus.cli import catalog as _catalog  # noqa: E402  (registers the commands)
from versus.cli import compare as _compare  # noqa: E402
from versus.cli import doctor as _doctor  # noqa: E402
from versus.cli import evidence as _evidence  # noqa: E402
from versus.cli import web as _web  # noqa: E402

_ = (_catalog, _compare, _doctor, _evidence, _web)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with `argv` and return its exit code (0 ok, 1 failure, 2 bad usage)."""
    try:
        app(args=argv if argv is not None else sys.argv[1:], prog_name="versus", standalone_mode=True)
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
