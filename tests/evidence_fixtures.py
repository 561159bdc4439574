"""Fixtures of the `versus run` tests: a local OpenAI-compatible server over real loopback HTTP, a
copy of the catalog database and a suite. Evidence test modules load them with
`pytest_plugins = ("tests.evidence_fixtures",)`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import LiveServer
from .databases import Databases
from .evidence_support import CHECKS, SECRET, SUITE
from .fake_openai import FakeProvider


@pytest.fixture(scope="module")
def fake() -> FakeProvider:
    return FakeProvider(required_key=SECRET)


@pytest.fixture(scope="module")
def fake_url(fake: FakeProvider) -> Iterator[str]:
    server = LiveServer(fake.app)
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def db(catalog_db: str, databases: Databases) -> str:
    """A copy of the session catalog, so evidence written here stays out of other tests."""
    return databases.copy(catalog_db)


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("suite")
    (folder / "checks.py").write_text(CHECKS)
    path = folder / "smoke.yaml"
    path.write_text(SUITE)
    return path


@pytest.fixture
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERSUS_TEST_KEY", SECRET)
