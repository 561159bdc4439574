"""Shipped benchmark snapshots: only redistributable sources, checked on load, equal to their origin."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import tarfile
from importlib import resources
from pathlib import Path

import pytest

from versus.sources import leaderboard_snapshots as embedded
from versus.sources.leaderboard_snapshots import SnapshotError, embedded_sources, load_embedded, load_snapshot
from versus.sources.leaderboards import adapter

from .conftest import SHARED_DATA

FOLDER = Path(str(resources.files("versus.sources").joinpath("data", "benchmarks")))


def test_only_sources_whose_licence_allows_it_are_shipped() -> None:
    assert set(embedded_sources()) == {"aider", "bfcl", "simple-evals", "models-dev"}
    for source in embedded_sources():
        assert adapter(source).SOURCE.redistributable
        assert load_snapshot(source).licence in ("Apache-2.0", "MIT")
    shipped = {p.name for p in FOLDER.iterdir() if p.is_dir()}
    assert shipped == set(embedded_sources())
    notice = (FOLDER / "NOTICE.md").read_text()
    assert "Copyright (c) 2024 OpenAI" in notice and (FOLDER / "LICENSE-Apache-2.0.txt").is_file()


@pytest.mark.parametrize("source", ["aider", "bfcl", "simple-evals", "models-dev"])
def test_each_snapshot_parses_without_errors(source: str) -> None:
    data = load_embedded(source)
    assert data.results and data.errors == []
    assert all(r.licence == adapter(source).SOURCE.licence for r in data.results)


@pytest.mark.skipif(not (SHARED_DATA / "benchmarks").is_dir(), reason="shared benchmark data not found")
@pytest.mark.parametrize("source", ["aider", "bfcl", "simple-evals"])
def test_snapshot_files_are_the_shared_copies_byte_for_byte(source: str) -> None:
    for name, data in load_snapshot(source).files.items():
        assert data == (SHARED_DATA / "benchmarks" / source / name).read_bytes(), name


@pytest.mark.skipif(not (SHARED_DATA / "models-dev").is_dir(), reason="shared models.dev tree not found")
def test_models_dev_snapshot_holds_the_tree_files_with_benchmarks_unchanged() -> None:
    with tarfile.open(SHARED_DATA / "models-dev" / "providers.tar.gz") as tree:
        originals = {
            m.name: tree.extractfile(m).read()  # type: ignore[union-attr]
            for m in tree.getmembers()
            if m.isfile() and m.name.startswith("models/")
        }
    with_entries = {name for name, data in originals.items() if b"[[benchmarks]]" in data}
    with tarfile.open(fileobj=io.BytesIO(load_snapshot("models-dev").files["models.tar"])) as shipped:
        members = {m.name: shipped.extractfile(m).read() for m in shipped.getmembers()}  # type: ignore[union-attr]
    assert set(members) == with_entries
    assert all(members[name] == originals[name] for name in members)


def test_a_tampered_snapshot_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "sources"
    shutil.copytree(FOLDER.parent.parent, copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    target = copy / "data" / "benchmarks" / "bfcl" / "data_overall.csv.gz"
    original = gzip.decompress(target.read_bytes())
    target.write_bytes(gzip.compress(original.replace(b"77.47%", b"97.47%"), mtime=0))
    monkeypatch.setattr(embedded.resources, "files", lambda _package: copy)
    with pytest.raises(SnapshotError, match="SHA-256"):
        load_snapshot("bfcl")
    meta = json.loads((copy / "data" / "benchmarks" / "snapshots.json").read_text())
    assert meta["bfcl"]["files"]["data_overall.csv"]["sha256"] == hashlib.sha256(original).hexdigest()
    with pytest.raises(SnapshotError, match="no embedded snapshot"):
        load_snapshot("lmarena")
