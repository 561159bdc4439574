"""The database behind a catalog — a SQLite file or a PostgreSQL database: ours or refused, real
transactions, reads, and one builder at a time. Every difference between the two lives here.

A SQLite file is ours when it carries our `PRAGMA application_id` (or is a catalog an earlier release
of llm-versus made, recognised by its migration records); a PostgreSQL database is ours when it is
empty or holds our `versus_migrations` table. Anything else is refused and left untouched. Writes go
through SQLAlchemy Core in real transactions — on SQLite with pysqlite's own transaction handling
switched off and `BEGIN IMMEDIATE` issued explicitly, so DDL and the catalog swap are atomic (the
default driver commits before DDL, which is how a killed rebuild once left empty tables behind).
Reads of a SQLite file use the standard library driver: importing SQLAlchemy alone costs ~0.2 s of
a 0.3 s command.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, Table

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
_BUILD_LOCK_KEY = 0x76727375  # pg_advisory_lock key: one builder per PostgreSQL database


class ForeignDatabase(Exception):
    """The database exists and is not an llm-versus database: we refuse to touch it."""


class MissingTable(LookupError):
    """A read named a table this database does not have yet (nothing of that kind was ever written)."""


Row = dict[str, Any]
Reader = Callable[[str, Mapping[str, Any]], list[Row]]


class Database(ABC):
    """Where a catalog lives. `open_database` picks the kind from what the user gave."""

    dialect: str
    target: str  # what the user gave, to open it again (a URL keeps its password here)
    location: str  # the same, fit to show: a path, or a URL without its password
    writable: bool

    @abstractmethod
    def exists(self) -> bool:
        """Has anything of ours been written to it yet?"""

    @abstractmethod
    def check_ownership(self) -> None:
        """Raise ForeignDatabase unless it is new or an llm-versus database."""

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run one read query (`:name` parameters) and return its rows as mappings."""
        with self.reading() as read:
            return read(sql, params or {})

    @abstractmethod
    def reading(self) -> AbstractContextManager[Reader]:
        """Several reads on one connection: yields `read(sql, params) -> rows`."""

    @abstractmethod
    def engine(self) -> Engine:
        """A SQLAlchemy engine for writes and migrations."""

    @abstractmethod
    def dispose(self, engine: Engine) -> None:
        """Give back an engine from `engine()` (SQLite's are per write; PostgreSQL's is kept)."""

    @abstractmethod
    def build_lock(self) -> AbstractContextManager[None]:
        """Held while building: concurrent builders take turns."""

    @abstractmethod
    def mark_ours(self, conn: Connection) -> None:
        """Inside the migration transaction: stamp the database as an llm-versus database."""

    @abstractmethod
    def after_write(self) -> None:
        """After a large write (a catalog swap): leave the database complete for read-only copies."""

    @abstractmethod
    def string_agg(self, expression: str) -> str:
        """SQL aggregating distinct values of `expression` into one comma-separated string."""

    def upsert(self, conn: Connection, table: Table, row: Mapping[str, Any], keys: list[str]) -> None:
        """Insert `row`, or replace the row with the same `keys`."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        statement = insert(table).values(dict(row))
        update = {k: v for k, v in row.items() if k not in keys}
        conn.execute(statement.on_conflict_do_update(index_elements=keys, set_=update))


def open_database(target: str | Path) -> Database:
    """A PostgreSQL database for a `postgresql://…` URL, else the SQLite file at that path."""
    text = str(target)
    if text.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        return PostgresDatabase(text)
    return SqliteDatabase(Path(text).expanduser())


# --- SQLite ---------------------------------------------------------------------------------------


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
        return next((os.access(p, os.W_OK) for p in folder.parents if p.exists()), False)
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def connect_read(path: Path, writable: bool) -> sqlite3.Connection:
    """A read-only connection. A file we may not write is opened immutable: SQLite cannot create the
    WAL index beside it, and nobody can be changing it under us (rebuilds checkpoint the WAL first)."""
    conn = sqlite3.connect(_read_uri(path, writable), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    return conn


def _read_uri(path: Path, writable: bool) -> str:
    return sqlite_uri(path, mode="ro") if writable else sqlite_uri(path, mode="ro", immutable="1")


class _KeptConnection(sqlite3.Connection):
    """A read connection kept for its thread's later reads: opening one (and parsing the schema) costs
    ~0.35 ms and a comparison makes ~30 reads. Reads run outside transactions, so in WAL mode each
    sees the newest commit, as a new connection would. Closed when dropped (its thread ended or its
    database object went), and only by the process that opened it: a SQLite connection must not be
    used across a fork, so a forked child opens its own."""

    def __init__(self, path: Path, writable: bool) -> None:
        # used by one thread, but closed by whichever drops it last
        super().__init__(_read_uri(path, writable), uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        self.row_factory = sqlite3.Row
        self.pid = os.getpid()

    def __del__(self) -> None:
        if getattr(self, "pid", None) == os.getpid():
            self.close()


class SqliteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.target = self.location = str(path)
        self.writable = is_writable(path)
        self._kept = threading.local()  # this thread's _KeptConnection

    def exists(self) -> bool:
        return self.path.exists() and self.path.stat().st_size > 0

    def check_ownership(self) -> None:
        """Raise ForeignDatabase unless the file is missing, empty, or an llm-versus database."""
        path = self.path
        if not path.exists() or (path.is_file() and path.stat().st_size == 0):
            return
        if not path.is_file():
            raise ForeignDatabase(f"{path} is not a file")
        try:
            conn = connect_read(path, self.writable)
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
        raise ForeignDatabase(
            _refusal(str(path), tables, f"application id {application_id:#x}" if application_id else None)
        )

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        conn: _KeptConnection | None = getattr(self._kept, "conn", None)
        if conn is None or conn.pid != os.getpid():
            conn = self._kept.conn = _KeptConnection(self.path, self.writable)

        def read(sql: str, params: Mapping[str, Any]) -> list[Row]:
            try:
                return [dict(row) for row in conn.execute(sql, params)]
            except sqlite3.OperationalError as exc:
                if "no such table" in str(exc):
                    raise MissingTable(str(exc)) from exc
                raise

        yield read

    def engine(self) -> Engine:
        """An engine whose transactions are real: BEGIN IMMEDIATE before anything, DDL included."""
        from sqlalchemy import create_engine, event

        self.path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(f"sqlite:///{self.path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # the driver must not open or commit transactions on its own
            dbapi_conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            dbapi_conn.execute("PRAGMA journal_mode = WAL")
            # A commit survives the process dying without an fsync per commit, which would stall a run's
            # event loop on every batch of results.
            dbapi_conn.execute("PRAGMA synchronous = NORMAL")

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine

    def dispose(self, engine: Engine) -> None:
        engine.dispose()

    @contextmanager
    def build_lock(self) -> Iterator[None]:
        """An exclusive lock on `<db>.lock` beside the database: concurrent first uses build once."""
        import fcntl

        lock_path = self.path.with_name(self.path.name + ".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def mark_ours(self, conn: Connection) -> None:
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")

    def after_write(self) -> None:
        """Fold the WAL into the database file, so a read-only copy of the file alone is complete."""
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError:
            pass  # readers hold the WAL: the next checkpoint will fold it
        finally:
            conn.close()

    def string_agg(self, expression: str) -> str:
        return f"group_concat(DISTINCT {expression})"


def _is_legacy_catalog(conn: sqlite3.Connection, tables: set[str]) -> bool:
    if "migrations" not in tables or not tables <= LEGACY_TABLES:
        return False
    names = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    return bool(names) and names <= LEGACY_MIGRATIONS


def _refusal(where: str, tables: set[str], owner: str | None) -> str:
    shown = ", ".join(sorted(tables)[:6]) + (", …" if len(tables) > 6 else "")
    owner = owner or f"tables {shown or 'none'}"
    return (
        f"{where} is not an llm-versus catalog ({owner}); it was left untouched. "
        "Point --db (or VERSUS_DB) at a new database or at one versus created."
    )


# --- PostgreSQL -----------------------------------------------------------------------------------

_ENGINES: dict[str, Engine] = {}  # one pooled engine per database URL and process


def _nul_free_text(connection: Any, _record: Any) -> None:
    """PostgreSQL text cannot hold NUL, which untrusted source records and web paths may carry: on
    this connection every string is sent with NUL as U+FFFD, so it is stored, and matched, like any
    other odd character instead of failing the whole rebuild or request."""
    for dumper in _nul_free_dumpers():
        connection.adapters.register_dumper(str, dumper)


@cache
def _nul_free_dumpers() -> tuple[type, type]:
    from psycopg.types.string import StrBinaryDumper, StrDumperUnknown

    class Text(StrDumperUnknown):
        def dump(self, obj: str) -> Any:
            return super().dump(obj.replace("\x00", "\ufffd"))

    class BinaryText(StrBinaryDumper):
        def dump(self, obj: str) -> Any:
            return super().dump(obj.replace("\x00", "\ufffd"))

    return Text, BinaryText


def dispose_engines() -> None:
    """Close every pooled PostgreSQL connection this process holds (to let a database go)."""
    while _ENGINES:
        _ENGINES.popitem()[1].dispose()


def _forget_engines_in_child() -> None:
    """A forked child (the site builder's workers) must not use, nor close, the connections its parent
    holds: both would talk on one socket. It drops the pools without closing them and opens its own."""
    while _ENGINES:
        _ENGINES.popitem()[1].dispose(close=False)


os.register_at_fork(after_in_child=_forget_engines_in_child)


class PostgresDatabase(Database):
    """A PostgreSQL database shared by a team: several processes and machines read and write it."""

    dialect = "postgresql"
    writable = True

    def __init__(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        self.target = url
        self.url = make_url(url).set(drivername="postgresql+psycopg")
        self.location = make_url(url).render_as_string(hide_password=True)  # as the user wrote it, no password

    def exists(self) -> bool:
        return bool(self.rows("SELECT 1 AS one FROM information_schema.tables WHERE table_name = 'versus_migrations'"))

    def check_ownership(self) -> None:
        """Ours: no tables yet in its current schema, or our `versus_migrations` among them."""
        tables = {
            r["table_name"]
            for r in self.rows("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
        }
        if tables and "versus_migrations" not in tables:
            raise ForeignDatabase(_refusal(self.location, tables, None))

    def engine(self) -> Engine:
        key = self.url.render_as_string(hide_password=False)
        if key not in _ENGINES:
            from sqlalchemy import create_engine, event

            engine = create_engine(self.url, pool_pre_ping=True, pool_size=5, max_overflow=10)
            event.listens_for(engine, "connect")(_nul_free_text)
            _ENGINES[key] = engine
        return _ENGINES[key]

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        from sqlalchemy import text
        from sqlalchemy.exc import ProgrammingError

        with self.engine().connect() as conn:

            def read(sql: str, params: Mapping[str, Any]) -> list[Row]:
                try:
                    return [dict(row) for row in conn.execute(text(sql), dict(params)).mappings()]
                except ProgrammingError as exc:
                    conn.rollback()  # the failed statement aborted the transaction
                    if "UndefinedTable" in type(exc.orig).__name__:
                        raise MissingTable(str(exc.orig)) from exc
                    raise

            yield read

    @contextmanager
    def build_lock(self) -> Iterator[None]:
        """A session-level advisory lock: one builder per database across processes and machines."""
        from sqlalchemy import text

        with self.engine().connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _BUILD_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _BUILD_LOCK_KEY})
                conn.commit()

    def dispose(self, engine: Engine) -> None:
        pass  # the pooled engine serves the process's later reads and writes

    def mark_ours(self, conn: Connection) -> None:
        pass  # the `versus_migrations` table the migrations create is the mark

    def after_write(self) -> None:
        pass  # nothing to fold: PostgreSQL has no WAL file beside a database

    def string_agg(self, expression: str) -> str:
        return f"string_agg(DISTINCT {expression}, ',')"
