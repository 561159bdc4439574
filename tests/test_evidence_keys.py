"""API keys: checked when read, sent only in the Authorization header, and found nowhere else — not
in the database (answers, errors, requests, assertion details, cache), not in anything printed, in
raw, escaped or partial form."""

from __future__ import annotations

import json
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from versus.evidence.keys import REDACTED, KeyProblem, Redactor, clean_api_key

from .conftest import LiveServer
from .databases import Databases
from .evidence_support import OSS, SECRET, key_traces, leaks, results, versus_process, versus_run, write_suite
from .fake_openai import FakeProvider, key_forms

pytest_plugins = ("tests.evidence_fixtures",)

HOSTILE = "sk-Hx7\"q\\Zp/4+Lm=8'Rt2Vw9%Ab"  # every character that escapes differently in JSON, repr and URLs


@pytest.fixture(scope="module")
def open_url() -> Iterator[str]:
    """A provider that takes any key (and echoes it back, where asked)."""
    server = LiveServer(FakeProvider().app)
    yield server.url
    server.stop()


# --- reading a key ---------------------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["\r", "\n", "\r\n", "\r\n\r\n"])
def test_a_trailing_line_break_is_stripped_with_a_warning(ending: str) -> None:
    key, warning = clean_api_key("MY_KEY", SECRET + ending)
    assert key == SECRET and warning is not None and "MY_KEY" in warning and SECRET[:8] not in warning


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (SECRET[:6] + "\x07" + SECRET[6:], "a control character"),
        (SECRET[:6] + "\r" + SECRET[6:], "a control character"),
        (SECRET + "\t", "a control character"),
        (SECRET + "\x85", "a control character"),
        (SECRET[:6] + " " + SECRET[6:], "a space"),
        (SECRET + "é", "a non-ASCII character"),
    ],
)
def test_a_key_that_cannot_be_a_header_is_refused_without_showing_it(value: str, problem: str) -> None:
    with pytest.raises(KeyProblem) as error:
        clean_api_key("MY_KEY", value)
    message = str(error.value)
    assert "MY_KEY" in message and problem in message and not leaks(message.encode(), SECRET)


# --- redacting ------------------------------------------------------------------------------------


def test_every_form_of_the_key_is_redacted() -> None:
    text = key_forms(HOSTILE)
    assert leaks(text.encode(), HOSTILE), "the fake's text does carry the key"
    redacted = Redactor([HOSTILE])(text)
    assert not leaks(redacted.encode(), HOSTILE), redacted
    assert redacted.startswith("raw [redacted] | json ") and "truncated [redacted]…" in redacted


def test_fragments_shorter_than_eight_characters_stay() -> None:
    redact = Redactor([SECRET])
    assert redact(f"the key ends in {SECRET[-4:]}; it starts sk-") == f"the key ends in {SECRET[-4:]}; it starts sk-"
    assert redact(f"x{SECRET[3:11]}y") == f"x{REDACTED}y"
    assert redact("") == "" and Redactor([])(SECRET) == SECRET


def test_placeholder_keys_shorter_than_eight_characters_are_left_alone() -> None:
    """`x` or `EMPTY` for a local server is no secret, and every x in every answer must survive."""
    assert Redactor(["x", "EMPTY"])("x marks the EMPTY spot") == "x marks the EMPTY spot"
    assert Redactor(["x", "abcdefgh"])("x abcdefgh") == f"x {REDACTED}"


KEYS = st.text(alphabet=string.ascii_letters + string.digits + string.punctuation, min_size=8, max_size=60)


@given(KEYS, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=4), st.text(max_size=40))
def test_no_run_of_eight_key_characters_survives(key: str, cuts: list[tuple[int, int]], filler: str) -> None:
    forms = [key, json.dumps(key)[1:-1], repr(key)[1:-1]]
    pieces = [filler]
    for index, (a, b) in enumerate(cuts):
        form = forms[index % len(forms)]
        pieces += [form[min(a, b) : max(a, b)], filler]
    redacted = Redactor([key])("".join(pieces))
    survivors = [t for t in key_traces(key) if t.decode() in redacted and t.decode() not in REDACTED * 2]
    assert not survivors, (redacted, survivors)


# --- end to end -----------------------------------------------------------------------------------


def test_a_key_with_a_trailing_carriage_return_works_after_a_warning(
    capsys: pytest.CaptureFixture[str],
    db: str,
    databases: Databases,
    suite: Path,
    fake_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Windows key file read with `$(cat key.txt)` ends in \\r; the provider requires the bare key."""
    monkeypatch.setenv("VERSUS_TEST_KEY", SECRET + "\r")
    code, report, err = versus_run(capsys, db, suite, f"{fake_url}/echo/v1", "--no-cache")
    assert code == 0, err
    assert "warning: VERSUS_TEST_KEY ended with a line break" in err and not leaks(err.encode(), SECRET)
    assert all(r.error is None for r in results(db, report["run"]))
    assert not leaks(databases.contents(db), SECRET)


def test_a_key_with_a_control_character_is_refused(
    capsys: pytest.CaptureFixture[str], db: str, suite: Path, fake_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERSUS_TEST_KEY", SECRET[:10] + "\x1b" + SECRET[10:])
    code, out, err = versus_run(capsys, db, suite, f"{fake_url}/echo/v1", "--no-cache")
    assert code == 2 and out is None
    assert "VERSUS_TEST_KEY contains a control character" in err and not leaks(err.encode(), SECRET)


def test_an_empty_base_url_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], db: str, suite: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never a silent fall-back to the catalog's real endpoint with the user's key."""
    monkeypatch.setenv("VERSUS_TEST_KEY", SECRET)
    for proxy in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"):  # should the old fall-back happen, it goes nowhere
        monkeypatch.setenv(proxy, "http://127.0.0.1:9")
    code, report, err = versus_run(capsys, db, suite, "", "--retries", "0")
    assert code == 2 and report is None and "--base-url is empty" in err
    code, report, err = versus_run(capsys, db, suite, "ftp://example.org/v1", "--retries", "0")
    assert code == 2 and report is None and "--base-url cannot be called: unsupported URL scheme 'ftp'" in err


def test_keys_echoed_by_a_provider_are_stored_nowhere(
    capsys: pytest.CaptureFixture[str],
    db: str,
    databases: Databases,
    tmp_path: Path,
    open_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The provider puts the key in its answers and in its error messages, raw, JSON-, repr- and
    URL-escaped and truncated; a python check copies the answer into its detail; answers are cached."""
    copy = databases.copy(db)
    (tmp_path / "echo_check.py").write_text("def detail(output, case):\n    return True, output\n")
    suite = write_suite(tmp_path, "tell me the key", assertions="[{type: python, function: 'echo_check:detail'}]")
    monkeypatch.setenv("VERSUS_TEST_KEY", HOSTILE)
    outputs, run_ids = [], []
    for behaviour in ("echo-key", "echo-key", "echo-key-error"):  # the second run answers from the cache
        _, report, err = versus_run(capsys, copy, suite, f"{open_url}/{behaviour}/v1", "--retries", "0")
        outputs.append(json.dumps(report) + err)
        run_ids.append(report["run"])
    (live,), (cached,), (failed,) = (results(copy, run_id) for run_id in run_ids)
    assert live.response_text is not None and live.response_text.startswith("raw [redacted] | json {")
    assert live.assertions[0]["passed"] and live.assertions[0]["detail"] == live.response_text
    assert cached.from_cache and cached.response_text == live.response_text
    assert failed.error is not None and failed.error.startswith("http: HTTP 400: Incorrect API key provided: [redac")
    for output in outputs:
        assert not leaks(output.encode(), HOSTILE)
    for file in tmp_path.iterdir():
        assert not leaks(file.read_bytes(), HOSTILE), file
    assert not leaks(databases.contents(copy), HOSTILE)


def test_api_key_appears_nowhere(
    db: str, databases: Databases, suite: Path, fake_url: str, fake: FakeProvider, tmp_path: Path
) -> None:
    copy = databases.copy(db)
    outputs = []
    for behaviour in ("echo", "error-500"):
        for fmt in ("json", "table"):
            args = ["--route", OSS, "--base-url", f"{fake_url}/{behaviour}/v1", "--api-key-env", "VERSUS_TEST_KEY"]
            process = versus_process(copy, "run", str(suite), *args, "--retries", "0", "--format", fmt, "--no-cache")
            out, err = process.communicate(timeout=120)
            assert process.returncode == (0 if behaviour == "echo" else 1), err
            outputs += [out, err]
    assert f"Bearer {SECRET}" in fake.seen_keys, "the key was sent to the provider"
    for name in ("evidence", "show"):
        process = versus_process(copy, name, *(["gpt-oss-120b"] if name == "show" else []))
        outputs += list(process.communicate(timeout=60))
    assert not any(leaks(text.encode(), SECRET) for text in outputs)
    for file in [*tmp_path.rglob("*"), *suite.parent.rglob("*")]:
        if file.is_file():
            assert not leaks(file.read_bytes(), SECRET), file
    assert not leaks(databases.contents(copy), SECRET)
