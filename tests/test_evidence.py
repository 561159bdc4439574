"""`versus run` and `versus evidence` against a local OpenAI-compatible server over real HTTP."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from versus.catalog.store import CatalogStore
from versus.cli import main
from versus.evidence.store import EvidenceStore
from versus.evidence.suite import SuiteError, load_suite, suite_schema

from .conftest import LiveServer
from .fake_openai import FakeProvider

SECRET = "sk-test-SECRET-4242-do-not-leak"
OSS = "openrouter:openai/gpt-oss-120b"
SMALL = "openrouter:mistralai/mistral-small-3.1-24b-instruct"
SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "schema" / "suite.schema.json"

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


@pytest.fixture(scope="module")
def fake() -> FakeProvider:
    return FakeProvider(required_key=SECRET)


@pytest.fixture(scope="module")
def fake_url(fake: FakeProvider):  # type: ignore[no-untyped-def]
    server = LiveServer(fake.app)
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def db(catalog_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session catalog, so evidence written here stays out of other tests."""
    path = tmp_path_factory.mktemp("evidence") / "catalog.sqlite"
    shutil.copy(catalog_db, path)
    return path


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("suite")
    (folder / "checks.py").write_text(CHECKS)
    path = folder / "smoke.yaml"
    path.write_text(SUITE)
    return path


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERSUS_TEST_KEY", SECRET)


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def versus_run(capsys, db: Path, suite: Path, base: str, *extra: str, routes: tuple[str, ...] = (OSS,)):  # type: ignore[no-untyped-def]
    args = ["run", str(suite), "--base-url", base, "--api-key-env", "VERSUS_TEST_KEY", "--format", "json", *extra]
    for route in routes:
        args += ["--route", route]
    code, out, err = run(capsys, db, *args)
    return code, (json.loads(out) if out.strip() else None), err


def results(db: Path, run_id: str):  # type: ignore[no-untyped-def]
    return EvidenceStore(db).results(run_id=run_id)


# --- suites ---------------------------------------------------------------------------------------


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


def test_bad_suite_exits_2(capsys, db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\ncases: []\n")
    code, _, err = run(capsys, db, "run", str(path), "--route", OSS)
    assert code == 2 and "bad.yaml" in err


def test_suite_schema_is_committed(capsys, db: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, db, "schema", "suite")
    assert code == 0 and json.loads(out) == json.loads(SCHEMA.read_text()) == json.loads(json.dumps(suite_schema()))


# --- runs -----------------------------------------------------------------------------------------


def test_streamed_run_records_every_result(capsys, db: Path, suite: Path, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    code, report, err = versus_run(capsys, db, suite, f"{fake_url}/echo/v1", "--no-cache", routes=(OSS, SMALL))
    assert code == 0, err
    assert report["status"] == "complete" and report["completed"] == report["planned"] == 8
    rows = results(db, report["run"])
    assert len(rows) == 8 and all(r.error is None and r.passed for r in rows)
    greet = next(r for r in rows if r.case_id == "greet" and r.provider_model_id == "openai/gpt-oss-120b")
    assert greet.response_text == "hello world again"
    assert (greet.input_tokens, greet.output_tokens, greet.tokens_estimated) == (13, 3, False)
    assert greet.ttft_ms is not None and greet.latency_ms is not None and greet.ttft_ms <= greet.latency_ms
    assert greet.output_tps is not None and greet.output_tps > 0
    price = next(
        o
        for o in CatalogStore(db).offerings("openai/gpt-oss-120b")
        if o.provider_id == "openrouter" and o.provider_model_id == "openai/gpt-oss-120b"
    ).price
    expected = (13 * float(price.input) + 3 * float(price.output)) / 1_000_000
    assert greet.cost_usd == pytest.approx(expected)
    assert {a["type"] for a in greet.assertions} == {
        "contains",
        "regex",
        "equals",
        "max_latency_ms",
        "max_cost_usd",
        "python",
    }
    json_case = next(r for r in rows if r.case_id == "as-json")
    assert json_case.assertions[0]["passed"] is True
    request = json.loads(greet.request)
    assert request["messages"][-1]["content"] == "hello world again" and request["temperature"] == 0


def test_missing_usage_is_estimated_and_marked(capsys, db: Path, suite: Path, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    code, report, _ = versus_run(capsys, db, suite, f"{fake_url}/no-usage/v1", "--no-cache")
    assert code == 0
    rows = results(db, report["run"])
    assert rows and all(r.tokens_estimated and r.output_tokens for r in rows)


def test_plain_json_answers_are_accepted(capsys, db: Path, suite: Path, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    code, report, _ = versus_run(capsys, db, suite, f"{fake_url}/json/v1", "--no-cache")
    assert code == 0
    assert all(r.error is None and r.response_text for r in results(db, report["run"]))


def test_time_to_first_token_is_measured(capsys, db: Path, tmp_path: Path, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    suite = tmp_path / "one.yaml"
    suite.write_text(
        "name: ttft\ndefaults: {repeats: 3}\ncases:\n  - {id: a, messages: [{role: user, content: one two three}]}\n"
    )
    code, report, _ = versus_run(
        capsys, db, suite, f"{fake_url}/slow-first-token-200/v1", "--no-cache", "--concurrency", "1"
    )
    assert code == 0
    ttfts = [r.ttft_ms for r in results(db, report["run"])]
    # The server holds the first token 200 ms: never measured shorter, and on a loaded shared
    # machine later by any amount, so only a generous ceiling (a ±20 ms window flaked under load).
    assert all(t is not None and 180 <= t <= 1500 for t in ttfts), ttfts


def test_rate_limit_is_retried_and_counted(capsys, db: Path, suite: Path, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    code, report, _ = versus_run(
        capsys, db, suite, f"{fake_url}/rate-limit-once/v1", "--no-cache", "--concurrency", "1"
    )
    assert code == 0
    rows = results(db, report["run"])
    assert all(r.error is None for r in rows)
    assert report["retries"] == 2  # one 429 per distinct request (two distinct prompts)
    assert sorted(r.attempts for r in rows) == [1, 1, 2, 2]


@pytest.mark.parametrize(
    ("behaviour", "extra", "error"),
    [
        ("error-500", ["--retries", "1"], "http: HTTP 500"),
        ("hang", ["--timeout", "0.5", "--retries", "0"], "timeout: no complete answer within 0.5s"),
        ("malformed", [], "stream: malformed stream chunk"),
    ],
)
def test_failures_are_recorded_not_raised(
    capsys,
    db: Path,
    suite: Path,
    fake_url: str,  # type: ignore[no-untyped-def]
    behaviour: str,
    extra: list[str],
    error: str,
) -> None:
    code, report, _ = versus_run(capsys, db, suite, f"{fake_url}/{behaviour}/v1", "--no-cache", *extra)
    assert code == 0 and report["status"] == "complete"
    rows = results(db, report["run"])
    assert len(rows) == 4 and all(r.error and r.error.startswith(error) for r in rows)
    assert all(r.passed is None for r in rows)
    if behaviour == "error-500":
        assert all(r.attempts == 2 for r in rows)


def test_connection_refused_is_recorded(capsys, db: Path, suite: Path) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, report, _ = versus_run(capsys, db, suite, f"http://127.0.0.1:{port}/v1", "--no-cache", "--retries", "1")
    assert code == 0
    rows = results(db, report["run"])
    assert rows and all(r.error and r.error.startswith("connection:") and r.attempts == 2 for r in rows)
    assert report["retries"] == len(rows)


def test_reruns_come_from_the_cache_without_latency(
    capsys,
    db: Path,
    suite: Path,
    fake_url: str,  # type: ignore[no-untyped-def]
    fake: FakeProvider,
) -> None:
    versus_run(capsys, db, suite, f"{fake_url}/echo/v1")
    before = fake.calls["echo"]
    code, report, _ = versus_run(capsys, db, suite, f"{fake_url}/echo/v1")
    assert code == 0 and fake.calls["echo"] == before, "a rerun costs nothing"
    rows = results(db, report["run"])
    assert rows and all(r.from_cache and r.latency_ms is None and r.ttft_ms is None for r in rows)
    latency = next(a for r in rows for a in r.assertions if a["type"] == "max_latency_ms")
    assert latency["passed"] is None
    code, summary, _ = run(capsys, db, "evidence", report["run"], "--format", "json")
    route = json.loads(summary)["routes"][0]
    assert route["latency_ms"] == {"p50": None, "p95": None, "n": 0}
    versus_run(capsys, db, suite, f"{fake_url}/echo/v1", "--no-cache")
    assert fake.calls["echo"] > before


def test_evidence_summary_in_every_format(capsys, db: Path, suite: Path, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    _, report, _ = versus_run(capsys, db, suite, f"{fake_url}/echo/v1", "--no-cache", routes=(OSS, SMALL))
    code, out, _ = run(capsys, db, "evidence", report["run"], "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["run"] == report["run"] and len(data["routes"]) == 2
    route = data["routes"][0]
    assert route["requests"] == 4 and route["pass_rate"] == 1.0 and route["pass_k"] == 1.0 and route["k"] == 2
    assert route["latency_ms"]["n"] == 4 and route["latency_ms"]["p50"] <= route["latency_ms"]["p95"]
    assert route["cost_per_1000_requests_usd"] > 0
    code, markdown, _ = run(capsys, db, "evidence", "--format", "markdown")
    assert code == 0 and "| Route |" in markdown and "first to the last streamed token" in markdown
    code, table, _ = run(capsys, db, "evidence")
    assert code == 0 and "Local evidence" in table
    assert run(capsys, db, "evidence", "no-such-run")[0] == 2


def test_missing_key_is_a_usage_error(capsys, db: Path, suite: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    code, _, err = run(capsys, db, "run", str(suite), "--route", OSS)
    assert code == 2 and "OPENROUTER_API_KEY" in err
    code, _, err = run(capsys, db, "run", str(suite), "--route", "openrouter:no/such-model", "--base-url", "http://x")
    assert code == 2 and "lists no route" in err


# --- secrets and interruption ---------------------------------------------------------------------


def _versus(db: Path, *args: str, **popen: object) -> subprocess.Popen[str]:
    env = {**os.environ, "VERSUS_TEST_KEY": SECRET}
    return subprocess.Popen(
        [sys.executable, "-m", "versus", "--db", str(db), *args],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **popen,
    )  # type: ignore[call-overload]


def test_api_key_appears_nowhere(db: Path, suite: Path, fake_url: str, fake: FakeProvider, tmp_path: Path) -> None:
    copy = tmp_path / "catalog.sqlite"
    shutil.copy(db, copy)
    outputs = []
    for behaviour in ("echo", "error-500"):
        for fmt in ("json", "table"):
            process = _versus(
                copy,
                "run",
                str(suite),
                "--route",
                OSS,
                "--base-url",
                f"{fake_url}/{behaviour}/v1",
                "--api-key-env",
                "VERSUS_TEST_KEY",
                "--retries",
                "0",
                "--format",
                fmt,
                "--no-cache",
            )
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            outputs += [out, err]
    assert f"Bearer {SECRET}" in fake.seen_keys, "the key was sent to the provider"
    for name in ("evidence", "show"):
        process = _versus(copy, name, *(["gpt-oss-120b"] if name == "show" else []))
        outputs += list(process.communicate(timeout=60))
    assert not any(SECRET in text for text in outputs)
    for file in [*tmp_path.rglob("*"), *suite.parent.rglob("*")]:
        if file.is_file():
            assert SECRET.encode() not in file.read_bytes(), file


def test_interrupt_keeps_every_completed_result(catalog_db: Path, fake_url: str, tmp_path: Path) -> None:
    copy = tmp_path / "catalog.sqlite"
    shutil.copy(catalog_db, copy)  # no evidence yet: every stored result belongs to this run
    suite = tmp_path / "long.yaml"
    cases = "".join(f"  - {{id: c{i}, messages: [{{role: user, content: case {i}}}]}}\n" for i in range(40))
    suite.write_text(f"name: long\ncases:\n{cases}")
    process = _versus(
        copy,
        "run",
        str(suite),
        "--route",
        OSS,
        "--base-url",
        f"{fake_url}/slow-300/v1",
        "--api-key-env",
        "VERSUS_TEST_KEY",
        "--concurrency",
        "2",
        "--no-cache",
        "--format",
        "json",
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            with sqlite3.connect(copy) as conn:
                stored = conn.execute("SELECT COUNT(*) FROM evidence_results").fetchone()[0]
        except sqlite3.OperationalError:
            stored = 0
        if stored >= 4:
            break
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    report = json.loads(out)
    assert report["status"] == "interrupted" and 4 <= report["completed"] < 40
    kept = EvidenceStore(copy).results(run_id=report["run"])
    assert len(kept) == report["completed"]
    assert f"kept {report['completed']} of 40 results" in err
    run_row = next(r for r in EvidenceStore(copy).runs() if r["id"] == report["run"])
    assert run_row["status"] == "interrupted"


# --- evidence on the comparison -------------------------------------------------------------------


def test_comparison_shows_local_evidence(capsys, db: Path, suite: Path, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    _, report, _ = versus_run(capsys, db, suite, f"{fake_url}/echo/v1", "--no-cache", routes=(OSS, SMALL))
    code, out, err = run(capsys, db, "compare", "gpt-oss-120b", "mistral-small-3.1", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert {e["model_id"] for e in data["evidence"]} == {
        "openai/gpt-oss-120b",
        "mistralai/mistral-small-3.1-24b-instruct",
    }
    assert data["text"]["evidence"] and "passed" in data["text"]["evidence"][0]
    code, markdown, _ = run(capsys, db, "compare", "gpt-oss-120b", "mistral-small-3.1", "--format", "markdown")
    assert "## Local evidence" in markdown and "| Local evidence |" in markdown
    from .test_compare_consistency import check_prose_numbers

    assert check_prose_numbers(markdown) == []
    code, measured, _ = run(
        capsys,
        db,
        "compare",
        "gpt-oss-120b",
        "mistral-small-3.1",
        "--tokens-from-run",
        report["run"],
        "--format",
        "json",
    )
    costs = [m["cost"] for m in json.loads(measured)["models"]]
    assert all(c["measured_tokens"]["run_id"] == report["run"] for c in costs)
    assert all(c["monthly"] < 10 for c in costs), "a few measured tokens per request cost far less"
    assert run(capsys, db, "compare", "gpt-oss-120b", "mistral-small-3.1", "--tokens-from-run", "nope")[0] == 2

    from versus.web.app import create_app

    server = LiveServer(create_app(db))
    try:
        import httpx

        page = httpx.get(f"{server.url}/compare/mistralai/mistral-small-3.1-24b-instruct-vs-openai/gpt-oss-120b")
        assert page.status_code == 200 and "<h2>Local evidence</h2>" in page.text
    finally:
        server.stop()
