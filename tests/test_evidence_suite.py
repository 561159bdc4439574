"""Suite files: what loads, and every way a suite can be unusable — refused before any call, exit 2,
with the file and the case named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from versus.evidence.assertions import check
from versus.evidence.suite import Case, Json, Python, SuiteError, load_suite, suite_schema

from .evidence_support import OSS, run

pytest_plugins = ("tests.evidence_fixtures",)

SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "schema" / "suite.schema.json"
ONE_CASE = (
    "name: x\ncases:\n  - id: tricky-case\n    messages: [{{role: user, content: hi}}]\n    assert: [{assertion}]\n"
)
NOWHERE = "http://127.0.0.1:9/v1"  # never called: the suite is refused first


def test_suite_loads_with_variables(suite: Path) -> None:
    loaded = load_suite(suite)
    case = loaded.suite.cases[0]
    assert loaded.messages(case)[-1]["content"] == "hello world again"
    assert loaded.repeats(case) == 2 and len(case.assertions) == 6


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\ncases: []\n", "cases"),
        (
            "name: x\ncases:\n  - id: a\n    messages: [{role: user, content: hi}]\n    assert: [{type: smells}]\n",
            "type",
        ),
        ("name: x\ncases:\n  - id: a\n    messages: [{role: system, content: hi}]\n", "last message"),
        (
            "name: x\ncases:\n  - {id: a, messages: [{role: user, content: hi}]}\n"
            "  - {id: a, messages: [{role: user, content: hi}]}\n",
            "unique",
        ),
        ("name: x\ncases:\n  - {id: a, messages: [{role: user, content: 'hi {{who}}'}]}\n", "{{who}}"),
        (
            "name: x\ncases:\n  - id: a\n    messages: [{role: user, content: hi}]\n"
            "    assert: [{type: python, function: 'nope:f'}]\n",
            "no module",
        ),
        ("name: x\nbogus: 1\ncases:\n  - {id: a, messages: [{role: user, content: hi}]}\n", "bogus"),
        ("{not yaml", "not valid YAML"),
    ],
)
def test_bad_suites_are_refused_with_the_reason(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(SuiteError, match=r"bad\.yaml") as error:
        load_suite(path)
    assert message in str(error.value)


def test_bad_suite_exits_2(capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\ncases: []\n")
    code, _, err = run(capsys, db, "run", str(path), "--route", OSS)
    assert code == 2 and "bad.yaml" in err


@pytest.mark.parametrize(
    ("assertion", "files", "message"),
    [
        ("{type: regex, pattern: '(unclosed'}", {}, "not a valid regular expression"),
        ("{type: json, schema: {type: 12}}", {}, "not a valid JSON Schema"),
        ("{type: json, schema: {type: string, pattern: '('}}", {}, "not a valid JSON Schema"),
        ("{type: json, schema: {$ref: 'https://example.com/s.json'}}", {}, "does not point inside the schema"),
        ("{type: json, schema: {$ref: '#/$defs/nope'}}", {}, "does not point inside the schema"),
        ("{type: python, function: 'boom:check'}", {"boom.py": "1 / 0\n"}, "importing boom.py raised ZeroDivision"),
        ("{type: python, function: 'bad:check'}", {"bad.py": "def check(:\n"}, "importing bad.py raised SyntaxError"),
        ("{type: python, function: 'quits:check'}", {"quits.py": "raise SystemExit(3)\n"}, "raised SystemExit"),
    ],
)
def test_unusable_assertions_exit_2_naming_the_case(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path, assertion: str, files: dict[str, str], message: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    path = tmp_path / "bad.yaml"
    path.write_text(ONE_CASE.format(assertion=assertion))
    code, _, err = run(capsys, db, "run", str(path), "--route", OSS, "--base-url", NOWHERE)
    assert code == 2, err
    assert "bad.yaml" in err and "case tricky-case" in err and message in err, err
    assert "unexpected" not in err


def test_a_suite_that_is_not_utf8_exits_2(capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: café\ncases:\n  - {id: a, messages: [{role: user, content: hi}]}\n".encode("latin-1"))
    code, _, err = run(capsys, db, "run", str(path), "--route", OSS, "--base-url", NOWHERE)
    assert code == 2 and "latin1.yaml" in err and "not UTF-8" in err and "0xe9" in err, err


def test_local_schema_references_work(tmp_path: Path) -> None:
    path = tmp_path / "refs.yaml"
    path.write_text(
        ONE_CASE.format(
            assertion="{type: json, schema: {$defs: {answer: {type: object, required: [a]}}, $ref: '#/$defs/answer'}}"
        )
    )
    loaded = load_suite(path)
    case = loaded.suite.cases[0]
    assertion = case.assertions[0]
    judge = {"latency_ms": None, "cost_usd": None, "case": case, "folder": tmp_path}
    assert check(assertion, '{"a": 1}', **judge).passed is True
    assert check(assertion, '{"b": 1}', **judge).passed is False


def test_checks_that_misbehave_at_run_time_fail_the_assertion_not_the_run(tmp_path: Path) -> None:
    (tmp_path / "odd.py").write_text(
        "def three(output, case):\n    return (1, 2, 3)\n"
        "def quits(output, case):\n    raise SystemExit(1)\n"
        "def empty(output, case):\n    return ()\n"
    )
    case = Case.model_validate({"id": "a", "messages": [{"role": "user", "content": "hi"}]})
    judge = {"latency_ms": None, "cost_usd": None, "case": case, "folder": tmp_path}
    assert check(Python(type="python", function="odd:three"), "x", **judge).passed is True  # truthy, not a pair
    assert check(Python(type="python", function="odd:empty"), "x", **judge).passed is False
    quits = check(Python(type="python", function="odd:quits"), "x", **judge)
    assert quits.passed is False and "SystemExit" in quits.detail
    # a schema that slipped past the suite check cannot be applied: not judged, and the run goes on
    remote = Json.model_construct(type="json", json_schema={"$ref": "https://example.com/s.json"})
    outcome = check(remote, "{}", **judge)
    assert outcome.passed is None and "could not be applied" in outcome.detail
    deep = check(Json(type="json"), "[" * 100_000, **judge)
    assert deep.passed is False


def test_suite_schema_is_committed(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, _ = run(capsys, db, "schema", "suite")
    assert code == 0 and json.loads(out) == json.loads(SCHEMA.read_text()) == json.loads(json.dumps(suite_schema()))
