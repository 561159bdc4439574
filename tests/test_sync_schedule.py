"""`versus serve --sync-every`: durations, a loop that never overlaps itself and survives any failure,
the real `versus sync` run by it against a local source server, and the option in a real server."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from itertools import pairwise
from pathlib import Path

import httpx
import pytest

from versus.catalog.history_store import HistoryStore
from versus.sync.schedule import SyncSchedule, parse_interval, sync_every_source
from versus.sync.sources import environment_name, sync_sources

from .test_sync import OPENROUTER, db, hosts, needs_shared, server  # noqa: F401


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("15m", 900), ("6h", 21_600), ("1d", 86_400), ("90s", 90), ("1.5h", 5_400), (" 2H ", 7_200), ("366d", 31_622_400)],
)
def test_durations_read_as_seconds(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["30s", "0m", "59s", "367d", "soon", "", "5", "1w", "-5m", "1e9d", "1h30m", "9" * 40])
def test_other_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="--sync-every"):
        parse_interval(text)


def _wait(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_the_loop_never_overlaps_and_skips_the_ticks_a_long_sync_overran() -> None:
    active, most, started = 0, 0, []
    lock = threading.Lock()

    def slow() -> str:
        nonlocal active, most
        with lock:
            active += 1
            most = max(most, active)
        started.append(time.monotonic())
        time.sleep(0.25)  # two and a half intervals
        with lock:
            active -= 1
        return "done"

    lines: list[str] = []
    schedule = SyncSchedule(slow, 0.1, log=lines.append, describe=str)
    schedule.start()
    assert _wait(lambda: len(started) >= 4, 5)
    assert schedule.run_once() is False  # a sync is running: another is refused, not queued
    assert schedule.stop(wait=2)
    assert most == 1
    gaps = [b - a for a, b in pairwise(started)]
    assert all(gap >= 0.25 for gap in gaps)  # each began after the last ended…
    assert all(gap < 0.25 + 0.3 for gap in gaps[:2])  # …at the next tick, not a burst of the missed ones later
    assert lines[0] == "every 0.1s, first now" and "done" in lines and lines[-1] == "stopped"


def test_a_failing_sync_is_logged_and_the_loop_goes_on() -> None:
    calls = 0

    def broken() -> None:
        nonlocal calls
        calls += 1
        if calls % 2:
            raise RuntimeError("source exploded")

    lines: list[str] = []
    schedule = SyncSchedule(broken, 0.05, log=lines.append, describe=lambda _: "ok")
    schedule.start()
    assert _wait(lambda: calls >= 4, 5)
    stopped_at = time.monotonic()
    assert schedule.stop(wait=2) and time.monotonic() - stopped_at < 1  # a waiting loop stops at once
    assert "sync failed: RuntimeError: source exploded" in lines and "ok" in lines


def _point_every_source_at(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every source at the local server: those it does not publish answer 404 and fail."""
    for name in sync_sources():
        monkeypatch.setenv(environment_name(name), f"{url}/{name}")


@needs_shared
def test_the_schedule_runs_versus_sync_against_the_sources(hosts, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    source, url = hosts
    _point_every_source_at(url, monkeypatch)
    monkeypatch.setenv(environment_name("openrouter"), f"{url}/v1/models")
    source.publish("v1/models", (OPENROUTER / "models_2026-05-15_models-dev.json").read_bytes(), date(2026, 5, 15))
    lines: list[str] = []
    schedule = SyncSchedule(lambda: sync_every_source(db, lambda: date(2026, 11, 27)), 0.5, log=lines.append)
    schedule.start()
    try:
        assert _wait(lambda: source.conditional["v1/models"] >= 1, 90), lines  # a later run asked "changed?"
        updated = [line for line in lines if "openrouter updated (364 records)" in line]
        assert updated and "catalog rebuilt" in updated[0]
        assert any(re.search(r"models-dev failed: \S+/models-dev: HTTP 404", line) for line in lines)  # with why
        source.publish("v1/models", (OPENROUTER / "models.json").read_bytes(), date(2026, 8, 19))
        assert _wait(lambda: any("openrouter updated (403 records)" in line for line in lines), 90), lines
    finally:
        assert schedule.stop(wait=60)
    changes = HistoryStore(db).changes(since=date(2026, 8, 19))
    assert any(c.kind == "price_change" and c.provider_model_id == "z-ai/glm-4.6" for c in changes)
    assert source.requests["models-dev"] >= 2  # every source, every run


# --- the option in a real server -------------------------------------------------------------------


def test_a_bad_duration_exits_2_before_anything_starts(cli) -> None:  # type: ignore[no-untyped-def]
    for text in ("30s", "soon"):
        result = cli("serve", "--sync-every", text, "--port", "1")
        assert result.code == 2 and "--sync-every" in result.err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_syncs_in_the_background_and_stops_cleanly_on_sigterm(  # type: ignore[no-untyped-def]
    hosts,  # noqa: F811
    db,  # noqa: F811
    tmp_path: Path,
    workers: int,
) -> None:
    _, url = hosts
    env = {**os.environ, **{environment_name(name): f"{url}/{name}" for name in sync_sources()}}
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+")
    serve = subprocess.Popen(
        [sys.executable, "-m", "versus", "--db", str(db), "serve", "--port", str(port), "--workers", str(workers),
         "--sync-every", "1m"],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    try:
        assert _wait(lambda: bool(_synced(log)) and _up(port), 120), _text(log)
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=30).status_code == 200  # failing sources: still serving
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
        log.close()
    text = _text(log)
    assert "versus sync: every 1m, first now" in text and re.search(r"models-dev failed: \S+: HTTP 404", text)
    assert text.rstrip().endswith("versus sync: stopped"), text[-2000:]
    assert "Traceback" not in text
    assert serve.returncode in (-signal.SIGTERM, 0)


def _synced(log) -> str:  # type: ignore[no-untyped-def]
    return "".join(line for line in _text(log).splitlines() if "versus sync: " in line and "catalog" in line)


def _text(log) -> str:  # type: ignore[no-untyped-def]
    if not log.closed:
        log.flush()
    return Path(log.name).read_text()


def _up(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False
