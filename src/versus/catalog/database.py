"""The SQLite file behind a catalog: ours or refused, real transactions, read-only use, one builder at a time.

A file is ours when it carries our `PRAGMA application_id` (or is a catalog an earlier release of
llm-versus made, recognised by its migration records); any other existing database is refused and
left untouched. Writes go through SQLAlchemy Core with pysqlite's own transaction handling switched
off and `BEGIN IMMEDIATE` issued explicitly, so schema changes and the catalog swap are atomic: the
default driver commits before DDL, which is how a killed rebuild once left empty tables behind.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

APPLICATION_ID = 0x76727375  # "vrsu"
# Tables the first release (no application id yet) created; a file holding only these is ours.
LEGACY_TABLES = frozenset(
    {
        "migrations",
        "meta",
        "providers",
        "models",
        "offerings",
        "source_errors",
        "evidence_runs",
        "evidence_results",
        "evidence_cache",
    }
)
LEGACY_MIGRATIONS = frozenset({"catalog tables", "local evidence tables"})
BUSY_TIMEOUT_MS = 30_000


class ForeignDatabase(Exception):
    """The file exists and is not an llm-versus database: we refuse to touch it."""


def sqlite_uri(path: Path, **params: str) -> str:
    # urllib.parse.quote, not urllib.request.pathname2url: the same on POSIX, and urllib.request
    # (http, email, ssl) costs ~30 ms of every command's start-up.
    from urllib.parse import quote

    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file:{quote(str(path.resolve()))}" + (f"?{query}" if query else "")


def is_writable(path: Path) -> bool:
    """Can we write the database and its journal files beside it? (Else it is read-only to us.)"""
    folder = path.resolve().parent
    if not folder.exists():
        return _creatable(folder)
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _creatable(folder: Path) -> bool:
    for parent in folder.parents:
        if parent.exists():
            return os.access(parent, os.W_OK)
    return False


def check_ownership(path: Path) -> None:
    """Raise ForeignDatabase unless `path` is missing, empty, or an llm-versus database."""
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return
    if not path.is_file():
        raise ForeignDatabase(f"{path} is not a file")
    try:
        conn = connect_read(path, is_writable(path))
    except sqlite3.Error as exc:
        raise ForeignDatabase(f"{path} cannot be opened as a database: {exc}") from exc
    try:
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if application_id == APPLICATION_ID:
            return
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if application_id == 0 and _is_legacy_catalog(conn, tables):
            return
    except sqlite3.DatabaseError as exc:
        raise ForeignDatabase(f"{path} is not an llm-versus catalog: it is not a SQLite database ({exc})") from exc
    finally:
        conn.close()
    shown = ", ".join(sorted(tables)[:6]) + (", …" if len(tables) > 6 else "")
    owner = f"application id {application_id:#x}" if application_id else f"tables {shown or 'none'}"
    raise ForeignDatabase(
        f"{path} is not an llm-versus catalog ({owner}); it was left untouched. "
        "Point --db (or VERSUS_DB) at a new file or at one versus created."
    )


def _is_legacy_catalog(conn: sqlite3.Connection, tables: set[str]) -> bool:
    if "migrations" not in tables or not tables <= LEGACY_TABLES:
        return False
    names = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    return bool(names) and names <= LEGACY_MIGRATIONS


def connect_read(path: Path, writable: bool) -> sqlite3.Connection:
    """A read-only connection. A file we may not write is opened immutable: SQLite cannot create the
    WAL index beside it, and nobody can be changing it under us (rebuilds checkpoint the WAL first)."""
    uri = sqlite_uri(path, mode="ro") if writable else sqlite_uri(path, mode="ro", immutable="1")
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    return conn


def write_engine(path: Path) -> Engine:
    """An engine whose transactions are real: BEGIN IMMEDIATE before anything, DDL included."""
    from sqlalchemy import create_engine, event

    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # the driver must not open or commit transactions on its own
        dbapi_conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        dbapi_conn.execute("PRAGMA journal_mode = WAL")

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def checkpoint(path: Path) -> None:
    """Fold the WAL into the database file, so a read-only copy of the file alone is complete."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError:
        pass  # readers hold the WAL: the next checkpoint will fold it
    finally:
        conn.close()


@contextmanager
def build_lock(path: Path) -> Iterator[None]:
    """One builder at a time across processes: an exclusive lock on `<db>.lock` beside the database."""
    import fcntl

    lock_path = path.with_name(path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
