"""Shared fixtures: the real embedded catalog, built once per test session into a real SQLite file
(or, in the PostgreSQL pass, a database on a real PostgreSQL server: see tests/databases.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from versus.catalog.build import Catalog, build_catalog
from versus.catalog.database import dispose_engines
from versus.catalog.store import CatalogStore
from versus.cli import main
from versus.sync.catalog import open_catalog
from versus.sync.loaders import embedded_loaders

from .databases import ON_POSTGRES, Databases
from .postgres import start_cluster

TODAY = date(2026, 11, 27)
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The catalog merged in memory from the installed source packages."""
    return build_catalog(TODAY, embedded_loaders())


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """New databases of the kind this pass runs on; in the PostgreSQL pass, on a cluster started here."""
    folder = tmp_path_factory.mktemp("databases")
    if not ON_POSTGRES:
        yield Databases(folder)
        return
    cluster = start_cluster()  # fails (not skips) when PostgreSQL is missing: this pass exists to run on it
    try:
        yield Databases(folder, cluster)
    finally:
        dispose_engines()
        cluster.stop()


@pytest.fixture(scope="session")
def catalog_db(databases: Databases) -> str:
    """A real catalog built from the installed source packages: a SQLite file or a PostgreSQL URL.
    Tests read it; a test that writes works on `databases.copy(catalog_db)`."""
    built = databases.empty("catalog")
    opened = open_catalog(built, today=lambda: TODAY)
    assert opened.rebuilt
    return databases.freeze(built)


@pytest.fixture(scope="session")
def store(catalog_db: str) -> CatalogStore:
    return CatalogStore(catalog_db)


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self):  # type: ignore[no-untyped-def]
        import json

        return json.loads(self.out)


@pytest.fixture
def cli(catalog_db: str, capsys: pytest.CaptureFixture[str]) -> Iterator:  # type: ignore[type-arg]
    """Run `versus ARGS...` in-process against the session catalog; returns code and output."""

    def run(*args: str) -> CliResult:
        code = main(["--db", str(catalog_db), *args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    yield run


class LiveServer:
    """`versus serve`'s app under uvicorn on a loopback port, in a thread of the test process."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        import socket
        import threading

        import uvicorn

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        import time

        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(catalog_db: str) -> Iterator[str]:
    from versus.web.app import create_app

    server = LiveServer(create_app(catalog_db))
    yield server.url
    server.stop()
