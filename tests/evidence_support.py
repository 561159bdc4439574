"""What the `versus run` tests share: constants, a suite, and helpers to run the CLI and to look for
traces of a key (the fixtures are in evidence_fixtures.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from versus.analysis.evidence import ResultRow
from versus.cli import main
from versus.evidence.store import EvidenceStore

SECRET = "sk-test-SECRET-4242-do-not-leak"
OSS = "openrouter:openai/gpt-oss-120b"
SMALL = "openrouter:mistralai/mistral-small-3.1-24b-instruct"

SUITE = """
name: smoke
defaults: {repeats: 2, temperature: 0, max_tokens: 64}
cases:
  - id: greet
    vars: {who: world}
    messages:
      - {role: system, content: Repeat the user.}
      - {role: user, content: "hello {{who}} again"}
    assert:
      - {type: contains, value: hello}
      - {type: regex, pattern: "w.rld"}
      - {type: equals, value: hello world again}
      - {type: max_latency_ms, value: 10000}
      - {type: max_cost_usd, value: 1}
      - {type: python, function: "checks:mentions_again"}
  - id: as-json
    messages:
      - {role: user, content: '{"answer": 42}'}
    assert:
      - {type: json, schema: {type: object, required: [answer]}}
"""
CHECKS = """
def mentions_again(output, case):
    return "again" in output, "says again"
"""


def write_suite(folder: Path, *prompts: str, repeats: int = 1, assertions: str = "[]") -> Path:
    """A suite with one case per prompt (ids c0, c1, …), each with the same assertions (a YAML list)."""
    case = "  - {{id: c{}, messages: [{{role: user, content: {}}}], assert: {}}}\n"
    cases = "".join(case.format(i, json.dumps(prompt), assertions) for i, prompt in enumerate(prompts))
    path = folder / "suite.yaml"
    path.write_text(f"name: t\ndefaults: {{repeats: {repeats}}}\ncases:\n{cases}")
    return path


def run(capsys: pytest.CaptureFixture[str], db: str | Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def versus_run(
    capsys: pytest.CaptureFixture[str],
    db: str | Path,
    suite: Path,
    base: str,
    *extra: str,
    routes: tuple[str, ...] = (OSS,),
) -> tuple[int, Any, str]:
    """`versus run` in-process with JSON output: exit code, the parsed report (or None) and stderr."""
    args = ["run", str(suite), "--base-url", base, "--api-key-env", "VERSUS_TEST_KEY", "--format", "json", *extra]
    for route in routes:
        args += ["--route", route]
    code, out, err = run(capsys, db, *args)
    return code, (json.loads(out) if out.strip() else None), err


def results(db: str | Path, run_id: str) -> list[ResultRow]:
    return EvidenceStore(db).results(run_id=run_id)


def versus_process(db: str | Path, *args: str, key: str = SECRET) -> subprocess.Popen[str]:
    """`python -m versus` as a real process (for signals and for whatever it prints)."""
    return subprocess.Popen(
        [sys.executable, "-m", "versus", "--db", str(db), *args],
        env={**os.environ, "VERSUS_TEST_KEY": key},
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def key_traces(key: str) -> list[bytes]:
    """Every run of 8 consecutive characters of the key in each form a text may carry it."""
    forms = {key, json.dumps(key)[1:-1], repr(key)[1:-1], quote(key, safe=""), quote_plus(key)}
    return sorted({form[i : i + 8].encode() for form in forms for i in range(len(form) - 7)})


def leaks(blob: bytes, key: str) -> list[bytes]:
    return [trace for trace in key_traces(key) if trace in blob]
