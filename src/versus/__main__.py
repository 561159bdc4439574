"""`python -m versus` runs the CLI."""

from versus.cli import run

run()
