"""Shared fixtures: the real embedded catalog, built once per test session into a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from versus.catalog.build import Catalog, build_catalog
from versus.catalog.local import open_catalog
from versus.catalog.store import CatalogStore
from versus.cli import main

TODAY = date(2026, 11, 27)
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The catalog merged in memory from the installed source packages."""
    return build_catalog(TODAY)


@pytest.fixture(scope="session")
def catalog_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real SQLite catalog file built from the installed source packages."""
    path = tmp_path_factory.mktemp("catalog") / "catalog.sqlite"
    opened = open_catalog(path, today=lambda: TODAY)
    assert opened.rebuilt
    return path


@pytest.fixture(scope="session")
def store(catalog_db: Path) -> CatalogStore:
    return CatalogStore(catalog_db)


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self):  # type: ignore[no-untyped-def]
        import json

        return json.loads(self.out)


@pytest.fixture
def cli(catalog_db: Path, capsys: pytest.CaptureFixture[str]) -> Iterator:  # type: ignore[type-arg]
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
def live_server(catalog_db: Path) -> Iterator[str]:
    from versus.web.app import create_app

    server = LiveServer(create_app(catalog_db))
    yield server.url
    server.stop()
