"""`versus run` on the command line: numeric options checked before anything runs, and Ctrl-C (a real
process, a real SIGINT) stopping cleanly with every finished result kept."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from versus.evidence.store import EvidenceStore

from .databases import Databases
from .evidence_support import OSS, run, versus_process

pytest_plugins = ("tests.evidence_fixtures",)
pytestmark = pytest.mark.usefixtures("api_key")


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--rate", "1e-300"),
        ("--rate", "nan"),
        ("--rate", "inf"),
        ("--rate", "0"),
        ("--rate", "-2"),
        ("--rate", "1e9"),
        ("--timeout", "nan"),
        ("--timeout", "inf"),
        ("--timeout", "0"),
        ("--timeout", "-1"),
        ("--timeout", "1e12"),
        ("--concurrency", "0"),
        ("--concurrency", "100000"),
        ("--retries", "-1"),
        ("--retries", "1000"),
    ],
)
def test_numeric_options_out_of_range_are_usage_errors(
    capsys: pytest.CaptureFixture[str], db: str, suite: Path, fake_url: str, option: str, value: str
) -> None:
    args = ["run", str(suite), "--route", OSS, "--base-url", f"{fake_url}/echo/v1", "--api-key-env", "VERSUS_TEST_KEY"]
    code, out, err = run(capsys, db, *args, "--no-cache", option, value)
    assert code == 2 and out == "", err
    assert f"error: {option} must be a number from" in err and "not " in err


def _wait_for(databases: Databases, db: str, query: str, at_least: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        counted = databases.rows(db, query)  # none while the evidence tables do not exist yet
        if counted and int(counted[0][0]) >= at_least:  # type: ignore[call-overload]
            return
        time.sleep(0.05)
    raise AssertionError(f"never saw {at_least} for {query}")


@pytest.mark.parametrize(
    ("when", "signals"),
    [("after 4 results", 1), ("after 4 results", 2), ("as the run starts", 1)],
)
def test_ctrl_c_stops_cleanly_and_keeps_every_finished_result(
    catalog_db: str, databases: Databases, fake_url: str, tmp_path: Path, when: str, signals: int
) -> None:
    copy = databases.copy(catalog_db)  # no evidence yet: every stored result belongs to this run
    suite = tmp_path / "long.yaml"
    cases = "".join(f"  - {{id: c{i}, messages: [{{role: user, content: case {i}}}]}}\n" for i in range(40))
    suite.write_text(f"name: long\ncases:\n{cases}")
    args = ["--route", OSS, "--base-url", f"{fake_url}/slow-300/v1", "--api-key-env", "VERSUS_TEST_KEY"]
    process = versus_process(copy, "run", str(suite), *args, "--concurrency", "2", "--no-cache", "--format", "json")
    if when == "as the run starts":
        _wait_for(databases, copy, "SELECT COUNT(*) AS n FROM evidence_runs", 1)
    else:
        _wait_for(databases, copy, "SELECT COUNT(*) AS n FROM evidence_results", 4)
    for _ in range(signals):
        process.send_signal(signal.SIGINT)
        time.sleep(0.1)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "CancelledError" not in err and "never retrieved" not in err, err
    report = json.loads(out)
    assert report["status"] == "interrupted" and report["completed"] < 40
    if when != "as the run starts":
        assert report["completed"] >= 4
    kept = EvidenceStore(copy).results(run_id=report["run"])
    assert len(kept) == report["completed"]
    assert f"kept {report['completed']} of 40 results" in err
    run_row = next(r for r in EvidenceStore(copy).runs() if r["id"] == report["run"])
    assert run_row["status"] == "interrupted"
