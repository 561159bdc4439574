"""Hostile and failing providers over real loopback HTTP: every failure is an error result of that call
only (message, no cost, no pass/fail), retried only when a retry may help, when the provider asks."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from versus.catalog.types import RoutePrice
from versus.evidence.pacing import RunOptions
from versus.evidence.runner import Route, run_suite
from versus.evidence.store import EvidenceStore
from versus.evidence.suite import load_suite

from .evidence_support import SECRET, results, versus_run, write_suite
from .fake_openai import FakeProvider

pytest_plugins = ("tests.evidence_fixtures",)
pytestmark = pytest.mark.usefixtures("api_key")

ONE_WORD, THREE_WORDS = "alpha", "alpha beta gamma"  # mid-stream failures strike after the second word


@pytest.mark.parametrize(
    ("behaviour", "error", "attempts", "one_word_fails"),
    [
        ("stream-error", "provider: provider error: upstream overloaded (code 502)", 2, False),
        ("event-error", "provider: provider error: the provider dropped the answer", 1, False),
        ("truncated", "stream: the stream ended before the answer did", 2, False),
        ("json-error", "provider: provider error: The model `nope` does not exist", 1, True),
        ("json-no-type", "response: unexpected content type '(none)'", 1, True),
        ("malformed", "stream: malformed stream chunk: not JSON", 1, True),
        ("chunk-list", "stream: malformed stream chunk: a list, not an object", 1, True),
        ("choices-null", "stream: malformed stream chunk: choices is not a list of objects", 1, True),
        ("usage-strings", "stream: malformed stream chunk: usage prompt_tokens is", 1, True),
    ],
)
def test_provider_failures_are_errors_of_that_call_only(
    capsys: pytest.CaptureFixture[str],
    db: str,
    tmp_path: Path,
    fake_url: str,
    behaviour: str,
    error: str,
    attempts: int,
    one_word_fails: bool,
) -> None:
    suite = write_suite(tmp_path, ONE_WORD, THREE_WORDS, assertions="[{type: contains, value: alpha}]")
    code, report, err = versus_run(capsys, db, suite, f"{fake_url}/{behaviour}/v1", "--no-cache", "--retries", "1")
    assert report["status"] == "complete" and report["completed"] == report["planned"] == 2, err
    rows = {r.case_id: r for r in results(db, report["run"])}
    failed = rows["c1"]
    assert failed.error is not None and failed.error.startswith(error), failed.error
    assert failed.attempts == attempts
    assert failed.passed is None and failed.assertions == [] and failed.cost_usd is None
    assert failed.response_text is None and failed.output_tokens is None
    if one_word_fails:
        assert rows["c0"].error is not None and code == 1, "every call failed: exit 1"
        assert "every call failed" in err and error in err
    else:
        assert rows["c0"].error is None and rows["c0"].response_text == ONE_WORD and code == 0, err
    assert report["errors"] == (2 if one_word_fails else 1)


@pytest.mark.parametrize(
    ("behaviour", "extra", "error"),
    [
        ("error-500", ["--retries", "1"], "http: HTTP 500: upstream exploded"),
        ("hang", ["--timeout", "0.5", "--retries", "0"], "timeout: no complete answer within 0.5s"),
    ],
)
def test_when_every_call_fails_the_run_exits_1_and_keeps_the_results(
    capsys: pytest.CaptureFixture[str],
    db: str,
    suite: Path,
    fake_url: str,
    behaviour: str,
    extra: list[str],
    error: str,
) -> None:
    code, report, err = versus_run(capsys, db, suite, f"{fake_url}/{behaviour}/v1", "--no-cache", *extra)
    assert code == 1 and report["status"] == "complete" and report["errors"] == 4
    assert f"every call failed (4 errors, kept in run {report['run']})" in err
    rows = results(db, report["run"])
    assert len(rows) == 4 and all(r.error and r.error.startswith(error) for r in rows)
    assert all(r.passed is None for r in rows)
    if behaviour == "error-500":
        assert all(r.attempts == 2 for r in rows)


def test_connection_refused_is_retried_and_recorded(capsys: pytest.CaptureFixture[str], db: str, suite: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, report, _ = versus_run(capsys, db, suite, f"http://127.0.0.1:{port}/v1", "--no-cache", "--retries", "1")
    assert code == 1
    rows = results(db, report["run"])
    assert rows and all(r.error and r.error.startswith("connection:") and r.attempts == 2 for r in rows)
    assert report["retries"] == len(rows)


def test_timeout_bounds_the_whole_call_even_with_keepalives(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path, fake_url: str
) -> None:
    """The server sends `: keepalive` every 0.5 s for 8 s: every read is quick, the call is not."""
    suite = write_suite(tmp_path, ONE_WORD)
    started = time.perf_counter()
    code, report, _ = versus_run(
        capsys, db, suite, f"{fake_url}/keepalive/v1", "--no-cache", "--timeout", "2", "--retries", "0"
    )
    elapsed = time.perf_counter() - started
    (row,) = results(db, report["run"])
    assert row.error == "timeout: no complete answer within 2s" and code == 1
    assert elapsed < 6, f"a 2 s timeout held the run for {elapsed:.1f} s"


@pytest.mark.parametrize(("behaviour", "at_least"), [("retry-after-2", 1.95), ("retry-after-date-3", 1.5)])
def test_retry_after_is_honoured(
    capsys: pytest.CaptureFixture[str],
    db: str,
    tmp_path: Path,
    fake_url: str,
    fake: FakeProvider,
    behaviour: str,
    at_least: float,
) -> None:
    """Backoff alone would retry within 0.5-1 s; the provider asked for 2 s (or a date 2-3 s ahead)."""
    suite = write_suite(tmp_path, f"wait for {behaviour}")
    code, report, _ = versus_run(capsys, db, suite, f"{fake_url}/{behaviour}/v1", "--no-cache")
    (row,) = results(db, report["run"])
    assert code == 0 and row.error is None and row.attempts == 2
    first, second = fake.tries[f"{behaviour}:wait for {behaviour}"]
    assert at_least <= second - first < 10, second - first


def test_retry_after_is_capped(db: str, tmp_path: Path, fake_url: str, fake: FakeProvider) -> None:
    suite = load_suite(write_suite(tmp_path, "capped wait"))
    url = f"{fake_url}/retry-after-30/v1/chat/completions"
    route = Route("fake", "m", "fake/m", url, "VERSUS_TEST_KEY", RoutePrice())
    options = RunOptions(use_cache=False, retry_after_cap=0.3)
    report = run_suite(suite, [route], EvidenceStore(db), {"VERSUS_TEST_KEY": SECRET}, options)
    assert report.errors == 0 and report.retries == 1
    first, second = fake.tries["retry-after-30:capped wait"]
    assert 0.25 <= second - first < 5


@pytest.mark.parametrize(("status", "attempts"), [(400, 1), (401, 1), (404, 1), (422, 1), (425, 1), (409, 2)])
def test_permanent_http_errors_are_not_retried(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path, fake_url: str, status: int, attempts: int
) -> None:
    suite = write_suite(tmp_path, f"status {status}")
    _, report, _ = versus_run(capsys, db, suite, f"{fake_url}/status-{status}/v1", "--no-cache", "--retries", "1")
    (row,) = results(db, report["run"])
    assert row.error == f"http: HTTP {status}: fake status {status}" and row.attempts == attempts


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("ftp://127.0.0.1/v1/chat/completions", "url: unsupported URL scheme 'ftp'"),
        ("http://[::1/v1/chat/completions", "url: invalid URL"),
        ("http:///v1/chat/completions", "url: "),
        ("127.0.0.1:8000/v1/chat/completions", "url: "),
    ],
)
def test_a_url_that_can_never_work_is_not_retried(db: str, tmp_path: Path, url: str, error: str) -> None:
    """A route's URL comes from the catalog (untrusted data) or the user: a bad one fails at once."""
    suite = load_suite(write_suite(tmp_path, ONE_WORD))
    store = EvidenceStore(db)
    options = RunOptions(use_cache=False, retries=3, backoff=0.01)
    report = run_suite(suite, [Route("fake", "m", "fake/m", url, None, RoutePrice())], store, {}, options)
    (row,) = results(db, report.run_id)
    assert report.status == "complete" and report.retries == 0
    assert row.error is not None and row.error.startswith(error) and row.attempts == 1, row.error
