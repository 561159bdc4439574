"""The catalog database: ours or refused, swapped whole under kill -9, built once under concurrency,
usable read-only (a SQLite file in a read-only folder)."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from versus.catalog.database import APPLICATION_ID, Database, ForeignDatabase, open_database
from versus.catalog.migrations import MIGRATIONS, m001_catalog_tables, m002_evidence_tables
from versus.catalog.store import CatalogStore
from versus.sync.catalog import open_catalog

from .conftest import TODAY
from .databases import Databases, postgres_only, sqlite_only


def versus(db: str | Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "versus", "--db", str(db), *args], capture_output=True, text=True, timeout=timeout
    )


def route_count(db: str | Path | Database) -> int:
    return len(CatalogStore(db).offerings())


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- our database, or nothing ---------------------------------------------------------------------


@sqlite_only
def test_another_applications_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    app = tmp_path / "app.db"
    with sqlite3.connect(app) as conn:  # an application that happens to use our table names
        conn.execute("CREATE TABLE models (id TEXT PRIMARY KEY, owner TEXT)")
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("CREATE TABLE offerings (id INTEGER PRIMARY KEY, sku TEXT)")
        conn.execute("INSERT INTO models VALUES ('m1', 'alice')")
    conn.close()
    before = digest(app)
    result = versus(app, "show", "gpt-4o")
    assert result.returncode == 2, result.stderr
    assert "is not an llm-versus catalog" in result.stderr and "left untouched" in result.stderr
    assert digest(app) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]  # no journal, lock or WAL beside it


@postgres_only
def test_another_applications_postgresql_database_is_refused_and_left_untouched(databases: Databases) -> None:
    app = databases.empty()
    databases.execute(
        app,
        "CREATE TABLE models (id TEXT PRIMARY KEY, owner TEXT)",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
        "INSERT INTO models VALUES ('m1', 'alice')",
    )
    before = databases.contents(app)
    for command in (("show", "gpt-4o"), ("rebuild",), ("sync", "--source", "models-dev=/nonexistent")):
        result = versus(app, *command)
        assert result.returncode == 2, result.stderr
        assert "is not an llm-versus catalog" in result.stderr and "left untouched" in result.stderr
    assert databases.contents(app) == before


@sqlite_only
@pytest.mark.parametrize("content", [b"hello, not a database\n", b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    result = versus(path, "rebuild")
    assert result.returncode == 2 and "not an llm-versus catalog" in result.stderr
    assert path.read_bytes() == content


@sqlite_only
def test_a_database_with_another_application_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA application_id = 1234")
        conn.execute("CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT)")
    conn.close()
    with pytest.raises(ForeignDatabase, match="application id 0x4d2"):
        CatalogStore(path)


@sqlite_only  # the first release knew only SQLite
def test_a_first_release_catalog_is_ours_and_keeps_its_evidence(tmp_path: Path) -> None:
    """A database built by the first release (no application id, position-numbered migrations) is
    migrated forward: its catalog rebuilt, its evidence kept."""
    from sqlalchemy import create_engine

    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        m001_catalog_tables(conn)
        m002_evidence_tables(conn)
        conn.exec_driver_sql("CREATE TABLE migrations (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL)")
        conn.exec_driver_sql("INSERT INTO migrations VALUES (1, 'catalog tables'), (2, 'local evidence tables')")
        conn.exec_driver_sql("INSERT INTO meta VALUES ('format', '4')")
        conn.exec_driver_sql(
            "INSERT INTO evidence_runs VALUES ('r1', 'suite', 's.yaml', 'abc', '2026-11-01', NULL, 'complete', '{}')"
        )
    engine.dispose()
    opened = open_catalog(path, today=lambda: TODAY)
    assert opened.rebuilt and route_count(path) > 5000
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert [r[0] for r in conn.execute("SELECT name FROM versus_migrations ORDER BY name")] == [
            m.name for m in MIGRATIONS
        ]
        assert conn.execute("SELECT id FROM evidence_runs").fetchall() == [("r1",)]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert "migrations" not in tables and "meta" not in tables


# --- atomic swap ----------------------------------------------------------------------------------


def test_rebuilds_killed_at_random_moments_leave_a_complete_catalog(catalog_db: str, databases: Databases) -> None:
    db = databases.copy(catalog_db)
    expected = route_count(db)
    started = time.perf_counter()
    assert versus(db, "rebuild").returncode == 0
    duration = time.perf_counter() - started
    rng = random.Random(20261127)
    for moment in sorted(rng.uniform(0.05, duration) for _ in range(20)):
        process = subprocess.Popen(
            [sys.executable, "-m", "versus", "--db", str(db), "rebuild"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert route_count(db) == expected, f"killed {moment:.2f}s into a {duration:.2f}s rebuild"
    shown = versus(db, "routes", "gpt-4o", "--format", "json")
    assert shown.returncode == 0 and shown.stdout.startswith("[")
    # Nothing a killed build started outlives it holding the build lock: the next build proceeds.
    assert versus(db, "rebuild", timeout=60).returncode == 0


def test_readers_never_see_a_partial_catalog_during_rebuilds(catalog_db: str, databases: Databases) -> None:
    db = databases.copy(catalog_db)
    expected = route_count(db)
    seen: list[int] = []
    failures: list[str] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                store = CatalogStore(db)
                model = store.model("openai/gpt-4o")
                count = len(store.offerings())
                if model is None or count != expected:
                    failures.append(f"generation {store.generation}: gpt-4o={model is not None}, routes={count}")
                seen.append(store.generation)
            except Exception as exc:  # any error is a failure to report, not to hide
                failures.append(f"{type(exc).__name__}: {exc}")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(3):
            assert versus(db, "rebuild").returncode == 0
    finally:
        done.set()
        reader.join()
    assert not failures, failures[:5]
    assert len(set(seen)) >= 2  # the reader did read across swaps


@sqlite_only
def test_a_kept_read_connection_follows_rebuilds_and_a_forked_child_still_reads(
    catalog_db: str, databases: Databases
) -> None:
    """Reads of one SQLite database object reuse a connection per thread: it must still see each
    generation another process commits (a read left in a transaction fails this), and a forked child
    (the site builder's workers) and its parent must both go on reading."""
    db = open_database(databases.copy(catalog_db))
    before = CatalogStore(db).current_generation()
    expected = route_count(db)
    assert versus(db.target, "rebuild").returncode == 0
    assert CatalogStore(db).current_generation() == (before or 0) + 1  # the kept connection saw the commit
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through its exit code
        try:
            os._exit(0 if route_count(db) == expected else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert route_count(db) == expected  # and the parent's own connection still reads


def test_concurrent_first_use_builds_once(databases: Databases) -> None:
    db = databases.empty()
    command = [sys.executable, "-m", "versus", "--db", db, "show", "gpt-4o", "--format", "json"]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [p.communicate(timeout=180) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1
    assert databases.rows(db, "SELECT MAX(id) AS last FROM catalog_generations") == [(1,)]  # built once


# --- read-only ------------------------------------------------------------------------------------


@sqlite_only
def test_a_catalog_in_a_read_only_folder_is_usable(catalog_db: str, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "catalog.sqlite"
    with sqlite3.connect(catalog_db) as source, sqlite3.connect(db) as target:
        source.backup(target)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode = WAL")  # as versus leaves it, without -wal/-shm files beside it
    conn.close()
    for extra in folder.glob("catalog.sqlite-*"):
        extra.unlink()
    command = [sys.executable, "-m", "versus", "--db", str(db), "show", "gpt-4o", "--format", "json"]
    if os.geteuid() != 0:
        db.chmod(0o444)
        folder.chmod(0o555)
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        finally:
            folder.chmod(0o755)
    else:  # root ignores permissions: mount the folder read-only in a private mount namespace
        if not shutil.which("unshare"):
            pytest.skip("running as root without unshare: cannot make a read-only folder")
        script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
        probe = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", str(folder), "true"], capture_output=True)
        if probe.returncode != 0:
            pytest.skip(f"cannot mount a read-only folder here: {probe.stderr.decode()[:200]}")
        result = subprocess.run(
            ["unshare", "-m", "sh", "-c", script, "sh", str(folder), *command], capture_output=True, text=True
        )
    assert result.returncode == 0, result.stderr
    assert '"id": "openai/gpt-4o"' in result.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["catalog.sqlite"]


# --- names are matched literally ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["%", "_", "%%", "gpt%"])
def test_sql_wildcards_in_a_name_match_nothing(cli, name: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("show", name)
    assert result.code == 2 and "no model matches" in result.err
