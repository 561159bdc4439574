"""Checking one answer against a case's assertions."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from versus.evidence.suite import (
    Assertion,
    Case,
    Contains,
    Equals,
    Json,
    MaxCost,
    MaxLatency,
    Python,
    Regex,
    python_check,
)


@dataclass(frozen=True)
class Outcome:
    type: str
    passed: bool | None  # None: could not be judged (a latency limit on a cached answer)
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "passed": self.passed, "detail": self.detail}


def check(
    assertion: Assertion,
    output: str,
    *,
    latency_ms: float | None,
    cost_usd: Decimal | None,
    case: Case,
    folder: Path,
) -> Outcome:
    kind = assertion.type
    if isinstance(assertion, Contains):
        haystack, needle = output, assertion.value
        if not assertion.case_sensitive:
            haystack, needle = haystack.lower(), needle.lower()
        return Outcome(kind, needle in haystack, f"contains {assertion.value!r}")
    if isinstance(assertion, Regex):
        return Outcome(kind, re.search(assertion.pattern, output) is not None, f"matches /{assertion.pattern}/")
    if isinstance(assertion, Equals):
        got = output.strip() if assertion.strip else output
        return Outcome(kind, got == assertion.value, f"equals {assertion.value!r}")
    if isinstance(assertion, Json):
        return _check_json(assertion, output)
    if isinstance(assertion, MaxLatency):
        if latency_ms is None:
            return Outcome(kind, None, "latency not measured (answer from cache)")
        return Outcome(kind, latency_ms <= assertion.value, f"{latency_ms:.0f} ms <= {assertion.value:g} ms")
    if isinstance(assertion, MaxCost):
        if cost_usd is None:
            return Outcome(kind, None, "cost unknown (route has no price)")
        limit = Decimal(str(assertion.value))
        return Outcome(kind, cost_usd <= limit, f"${cost_usd:.6f} <= ${assertion.value:g}")
    if isinstance(assertion, Python):
        return _check_python(assertion, output, case, folder)
    raise AssertionError(f"unhandled assertion {kind}")  # pragma: no cover - the union is closed


def _check_json(assertion: Json, output: str) -> Outcome:
    try:
        value = json.loads(output)
    except json.JSONDecodeError as exc:
        return Outcome("json", False, f"not JSON: {exc.msg} at {exc.pos}")
    except RecursionError:
        return Outcome("json", False, "not JSON this check can read: nested too deeply")
    if assertion.json_schema is None:
        return Outcome("json", True, "valid JSON")
    import jsonschema

    try:
        error = jsonschema.exceptions.best_match(_validator(json.dumps(assertion.json_schema)).iter_errors(value))
    except Exception as exc:  # the schema was checked when the suite loaded; what is left cannot judge
        return Outcome("json", None, f"the schema could not be applied: {type(exc).__name__}: {exc}")
    if error is not None:
        return Outcome("json", False, f"JSON does not match the schema: {error.message}")
    return Outcome("json", True, "valid JSON matching the schema")


@lru_cache(maxsize=64)
def _validator(schema_json: str) -> Any:
    """A schema's validator, built once per run rather than checking the schema on every answer."""
    from jsonschema import Draft202012Validator
    from jsonschema.validators import validator_for

    schema = json.loads(schema_json)
    return validator_for(schema, default=Draft202012Validator)(schema)


def _check_python(assertion: Python, output: str, case: Case, folder: Path) -> Outcome:
    try:
        result = python_check(assertion.function, folder)(output, case.model_dump(by_alias=True))
        if isinstance(result, tuple) and len(result) == 2:
            passed, detail = bool(result[0]), str(result[1])[:1000]
        else:
            passed, detail = bool(result), assertion.function
    except (Exception, SystemExit) as exc:  # a user's check may fail in any way; that is a failed assertion
        return Outcome("python", False, f"{assertion.function} raised {type(exc).__name__}: {str(exc)[:500]}")
    return Outcome("python", passed, detail)
