"""Suite files: cases of chat messages with assertions, validated strictly (`versus schema suite`)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

_VAR = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Message(_Strict):
    role: Literal["system", "user", "assistant"]
    content: str


class Contains(_Strict):
    type: Literal["contains"]
    value: str
    case_sensitive: bool = True


class Regex(_Strict):
    type: Literal["regex"]
    pattern: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return pattern


class Equals(_Strict):
    type: Literal["equals"]
    value: str
    strip: bool = True


class Json(_Strict):
    type: Literal["json"]
    json_schema: dict[str, Any] | None = Field(None, alias="schema", description="A JSON Schema the output must match.")

    @field_validator("json_schema")
    @classmethod
    def _valid_schema(cls, schema: dict[str, Any] | None) -> dict[str, Any] | None:
        problem = schema_problem(schema) if schema is not None else None
        if problem:
            raise ValueError(problem)
        return schema


def schema_problem(schema: dict[str, Any]) -> str | None:
    """Why a `json` assertion's schema cannot be used, or None: it must be a valid JSON Schema whose
    every `$ref` points inside it (a suite never fetches anything)."""
    from jsonschema import Draft202012Validator, SchemaError
    from jsonschema.validators import validator_for

    try:
        validator_for(schema, default=Draft202012Validator).check_schema(schema)
    except SchemaError as exc:
        return f"not a valid JSON Schema: {exc.message}"
    for ref in _refs(schema):
        if not ref.startswith("#") or _pointer(schema, ref[1:]) is _MISSING:
            return f"$ref {ref!r} does not point inside the schema (only local references like '#/$defs/x' work)"
    return None


_MISSING = object()


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def _pointer(document: object, pointer: str) -> object:
    """The part of `document` a JSON pointer (RFC 6901) names, or _MISSING."""
    if not pointer:
        return document
    if not pointer.startswith("/"):
        return _MISSING
    node = document
    for token in pointer[1:].split("/"):
        token = unquote(token).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return _MISSING
    return node


class MaxLatency(_Strict):
    type: Literal["max_latency_ms"]
    value: float = Field(gt=0)


class MaxCost(_Strict):
    type: Literal["max_cost_usd"]
    value: float = Field(ge=0)


class Python(_Strict):
    type: Literal["python"]
    function: str = Field(
        pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$",
        description="module:function, the module found beside the suite file; called as f(output, case) and "
        "returning a bool, or (bool, detail).",
    )


Assertion = Annotated[Contains | Regex | Equals | Json | MaxLatency | MaxCost | Python, Field(discriminator="type")]


class Case(_Strict):
    id: str = Field(pattern=r"^[\w.-]+$")
    messages: list[Message] = Field(min_length=1)
    vars: dict[str, str] = {}
    assertions: list[Assertion] = Field([], alias="assert")
    repeats: int | None = Field(None, ge=1, le=1000)

    @field_validator("messages")
    @classmethod
    def _ends_with_user(cls, messages: list[Message]) -> list[Message]:
        if messages[-1].role != "user":
            raise ValueError("the last message must come from the user")
        return messages


class Defaults(_Strict):
    repeats: int = Field(1, ge=1, le=1000)
    temperature: float | None = Field(None, ge=0, le=2)
    max_tokens: int | None = Field(None, ge=1, le=1_000_000)


class Suite(_Strict):
    name: str
    description: str | None = None
    defaults: Defaults = Field(default_factory=Defaults)
    cases: list[Case] = Field(min_length=1)

    @field_validator("cases")
    @classmethod
    def _unique_ids(cls, cases: list[Case]) -> list[Case]:
        ids = [c.id for c in cases]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"case ids must be unique: {', '.join(twice)}")
        return cases


class SuiteError(ValueError):
    """A suite file that cannot be used; the message names the file and each problem."""


@dataclass(frozen=True)
class LoadedSuite:
    suite: Suite
    path: Path
    digest: str

    def messages(self, case: Case) -> list[dict[str, str]]:
        """The case's messages with its variables filled in."""
        return [{"role": m.role, "content": render_vars(m.content, case.vars)} for m in case.messages]

    def repeats(self, case: Case) -> int:
        return case.repeats or self.suite.defaults.repeats


def render_vars(text: str, variables: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            raise SuiteError(f"variable {{{{{name}}}}} is not defined for this case")
        return variables[name]

    return _VAR.sub(fill, text)


def load_suite(path: Path) -> LoadedSuite:
    """Read and check a suite: schema, variables, regexes, JSON Schemas and python check modules, so
    that a bad suite fails here with the case named, never in the middle of a run."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SuiteError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise SuiteError(f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start})") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SuiteError(f"{path}: not valid YAML: {exc}") from exc
    try:
        suite = Suite.model_validate(raw)
    except ValidationError as exc:
        raise SuiteError(f"{path}: {_problems(exc, raw)}") from exc
    loaded = LoadedSuite(suite, path.resolve(), hashlib.sha256(text.encode()).hexdigest()[:16])
    for case in suite.cases:  # fail now, not mid-run, on undefined variables or missing checks
        try:
            loaded.messages(case)
            for assertion in case.assertions:
                if isinstance(assertion, Python):
                    python_check(assertion.function, loaded.path.parent)
        except SuiteError as exc:
            raise SuiteError(f"{path}: case {case.id}: {exc}") from exc
    return loaded


def _problems(exc: ValidationError, raw: object, limit: int = 8) -> str:
    """Pydantic's errors as one line, each case named by its id rather than its position."""
    problems = []
    for error in exc.errors()[:limit]:
        loc = list(error["loc"])
        where = ".".join(str(p) for p in loc) or "(top)"
        if len(loc) >= 2 and loc[0] == "cases" and isinstance(loc[1], int):
            rest = ".".join(str(p) for p in loc[2:])
            where = f"case {_case_name(raw, loc[1])}" + (f": {rest}" if rest else "")
        problems.append(f"{where}: {error['msg']}")
    return "; ".join(problems)


def _case_name(raw: object, index: int) -> str:
    cases = raw.get("cases") if isinstance(raw, dict) else None
    case = cases[index] if isinstance(cases, list) and index < len(cases) else None
    case_id = case.get("id") if isinstance(case, dict) else None
    return case_id if isinstance(case_id, str) else f"#{index + 1}"


@cache
def python_check(spec: str, folder: Path) -> Callable[..., Any]:
    """The function a `python` assertion names: `module:function`, the module in the suite's folder."""
    module_name, _, function = spec.partition(":")
    file = folder / (module_name.replace(".", "/") + ".py")
    module_spec = importlib.util.spec_from_file_location(f"versus_suite_checks.{module_name}", file)
    if module_spec is None or module_spec.loader is None or not file.exists():
        raise SuiteError(f"python check {spec!r}: no module {file}")
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
    except (Exception, SystemExit) as exc:  # the user's module may fail in any way: the suite is unusable
        raise SuiteError(f"python check {spec!r}: importing {file.name} raised {type(exc).__name__}: {exc}") from exc
    check = getattr(module, function, None)
    if not callable(check):
        raise SuiteError(f"python check {spec!r}: {file} has no function {function!r}")
    return check  # type: ignore[no-any-return]


def suite_schema() -> dict[str, Any]:
    schema = Suite.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "llm-versus suite"
    schema["$comment"] = "Generated by `versus schema suite`. DO NOT EDIT: run `make schemas`."
    return schema


def request_json(messages: list[dict[str, str]], defaults: Defaults) -> str:
    """The request body's stable part, for the response cache key and the stored request."""
    body: dict[str, Any] = {"messages": messages}
    if defaults.temperature is not None:
        body["temperature"] = defaults.temperature
    if defaults.max_tokens is not None:
        body["max_tokens"] = defaults.max_tokens
    return json.dumps(body, sort_keys=True, ensure_ascii=False)
