"""The `versus` command line: one Typer app, one module per command group, and a Typer-free fast path.

`versus compare … --format json|markdown` is answered without importing Typer or Rich (`cli.fast`):
start-up is most of its wall time. Everything else, and anything the fast path does not recognise
(help, an unknown option), goes through the Typer app, which is built on first use.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from versus.cli.typer_app import app as app


def __getattr__(name: str) -> Any:
    """`from versus.cli import app`: the Typer app, imported (with every command) on first use."""
    if name == "app":
        from versus.cli.typer_app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with `argv` and return its exit code (0 ok, 1 failure, 2 bad usage)."""
    args = argv if argv is not None else sys.argv[1:]
    if problem := _undecodable(args):
        sys.stderr.write(f"error: {problem}\n")
        return 2
    try:
        from versus.cli.fast import fast_compare

        answered = fast_compare(args)
        if answered is not None:
            return answered
        from versus.cli.typer_app import app

        app(args=args, prog_name="versus", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Exception as exc:
        from versus.services.errors import ServiceError

        if isinstance(exc, ServiceError):  # a model, provider or run that is not there: bad usage
            sys.stderr.write(f"error: {exc.explained()}\n")
            return 2
        if os.environ.get("VERSUS_DEBUG"):  # a bug: say so in one line; VERSUS_DEBUG=1 shows the traceback
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
