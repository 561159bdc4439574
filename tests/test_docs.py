"""Docs stay honest: every command and option is in the README, and its examples name real models."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from versus.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _commands():  # type: ignore[no-untyped-def]
    group = typer.main.get_command(app)
    return group, group.commands  # type: ignore[attr-defined]


def test_every_command_and_option_is_documented() -> None:
    group, commands = _commands()
    for name, command in commands.items():
        assert f"versus {name}" in README, f"README does not show `versus {name}`"
        for param in command.params:
            for option in getattr(param, "opts", []):
                if option.startswith("--") and option != "--help":
                    assert option in README, f"README does not mention {option} of `versus {name}`"
    for param in group.params:
        for option in param.opts:
            if option.startswith("--") and option != "--help":
                assert option in README


def test_readme_examples_run(cli) -> None:  # type: ignore[no-untyped-def]
    examples = re.findall(r"^versus (.+?)(?:\s{2,}#.*)?$", README, flags=re.MULTILINE)
    assert len(examples) >= 6
    for example in examples:
        args = re.findall(r'"[^"]*"|\S+', example)
        args = [a.strip('"') for a in args]
        if args[0] in ("rebuild", "serve", "site", "run", "evidence", "sync") or "RUN_ID" in args:
            continue  # long-running, writing or networked: covered by their own test modules
        result = cli(*args)
        assert result.code == 0, (example, result.err)


def test_examples_load() -> None:
    from versus.evidence.suite import load_suite

    suites = sorted((ROOT / "examples").glob("*.yaml"))
    assert suites
    for suite in suites:
        assert load_suite(suite).suite.cases


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def _command_paths() -> list[list[str]]:
    _group, commands = _commands()
    paths = []
    for name, command in commands.items():
        paths.append([name])
        paths += [[name, sub] for sub in getattr(command, "commands", {})]
    return paths


@pytest.mark.parametrize("path", _command_paths(), ids=" ".join)
def test_every_help_prints(path: list[str]) -> None:
    """Help text is rendered with Rich markup: a `[` in it must not break `--help`."""
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output, (path, result.output, result.exception)
