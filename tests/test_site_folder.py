"""`versus site build` never harms a user's files: it builds only into a new, empty or earlier-built
folder, and writes or deletes only files whose bytes are still what it wrote, inside that folder."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from versus.services import open_services
from versus.site.build import build_site, choose_models

from .conftest import TODAY

BASE = "https://versus.test"
MANIFEST = ".versus-site.json"


@pytest.fixture(scope="module")
def three(catalog_db: str) -> list[str]:
    return choose_models(open_services(catalog_db).catalog, 3)


def _build(catalog_db: str, out: Path, models: list[str]):  # type: ignore[no-untyped-def]
    return build_site(open_services(catalog_db), models, out, base_url=BASE, today=TODAY)


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` (symbolic links as their target text), to prove nothing changed."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(root))] = os.readlink(path).encode()
        elif path.is_file():
            found[str(path.relative_to(root))] = path.read_bytes()
    return found


def _marked_manifest(files: dict[str, str]) -> str:
    return json.dumps({"generator": "llm-versus site build", "format": 1, "files": files})


def test_refuses_a_folder_of_user_files_and_changes_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "mine"
    out.mkdir()
    (out / "index.html").write_text("my own home page")
    (out / "notes.txt").write_text("keep me")
    before = _snapshot(out)
    result = cli("site", "build", str(out), "--top", "3")
    assert result.code == 2
    assert "not empty" in result.err and MANIFEST in result.err
    assert _snapshot(out) == before


def test_builds_into_a_missing_or_empty_folder(catalog_db: str, tmp_path: Path, three: list[str]) -> None:
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "new" / "site", tmp_path / "empty"):
        report = _build(catalog_db, out, three)
        assert report.written == report.pages and report.kept == []
        manifest = json.loads((out / MANIFEST).read_text())
        assert manifest["generator"] == "llm-versus site build" and "sitemap.xml" in manifest["files"]


def test_out_that_is_a_file_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "site"
    out.write_text("not a folder")
    result = cli("site", "build", str(out), "--top", "3")
    assert result.code == 2 and "not a folder" in result.err
    inside = cli("site", "build", str(out / "sub"), "--top", "3")
    assert inside.code == 2 and "cannot create" in inside.err
    assert out.read_text() == "not a folder"


@pytest.mark.parametrize(
    "crafted",
    ["../victim.txt", "ABSOLUTE", "static/../../victim.txt", "./index.html", "a//b", "a\\..\\b", ""],
)
def test_a_crafted_manifest_deletes_nothing_outside(cli, tmp_path: Path, crafted: str) -> None:  # type: ignore[no-untyped-def]
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    path = str(victim) if crafted == "ABSOLUTE" else crafted
    digest = hashlib.sha256(b"precious").hexdigest()
    for manifest in (_marked_manifest({path: digest}), json.dumps({path: digest})):
        out = tmp_path / "site"
        out.mkdir(exist_ok=True)
        (out / MANIFEST).write_text(manifest)
        before = _snapshot(out)
        result = cli("site", "build", str(out), "--top", "3")
        assert result.code == 2, result.err
        assert victim.read_text() == "precious"
        assert _snapshot(out) == before


@pytest.mark.parametrize(
    "manifest",
    [
        "not json",
        "[]",
        json.dumps({"generator": "someone else", "format": 1, "files": {}}),
        json.dumps({"generator": "llm-versus site build", "format": 2, "files": {}}),
        json.dumps({"generator": "llm-versus site build", "format": 1, "files": {"index.html": "abc"}}),
        json.dumps({"generator": "llm-versus site build", "format": 1, "files": {}, "delete": ["x"]}),
    ],
)
def test_a_manifest_that_is_not_ours_is_refused(catalog_db: str, tmp_path: Path, manifest: str) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / MANIFEST).write_text(manifest)
    from versus.site.folder import SiteRefused

    with pytest.raises(SiteRefused, match="not written by `versus site build`"):
        _build(catalog_db, out, ["openai/o3", "openai/gpt-4o"])
    assert [p.name for p in out.iterdir()] == [MANIFEST]


def test_a_manifest_of_the_older_format_is_refused_with_advice(catalog_db: str, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / MANIFEST).write_text(json.dumps({"index.html": "0" * 64}))
    from versus.site.folder import SiteRefused

    with pytest.raises(SiteRefused, match="older `versus site build`"):
        _build(catalog_db, out, ["openai/o3", "openai/gpt-4o"])


def test_files_changed_since_we_wrote_them_are_left_alone_and_reported(
    cli, catalog_db: str, tmp_path: Path, three: list[str]
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "site"
    _build(catalog_db, out, three)
    dropped = next(p for p in (out / "compare").rglob("index.html") if three[2] in str(p))
    (out / "index.html").write_text("edited by hand")  # the home page changes with the selection
    dropped.write_text("my notes on this pair")  # this pair leaves the site
    (out / "CNAME").write_text("versus.example.org")  # a file of the user's, never listed
    names = tmp_path / "two.txt"
    names.write_text("\n".join(three[:2]))
    result = cli("site", "build", str(out), "--models", str(names), "--base-url", BASE)
    assert result.code == 0, result.err
    assert (out / "index.html").read_text() == "edited by hand"
    assert dropped.read_text() == "my notes on this pair"
    assert (out / "CNAME").read_text() == "versus.example.org"
    assert "left 2 files alone" in result.err and "index.html" in result.err
    assert "1 comparisons" in result.out


def test_a_user_file_where_a_new_page_goes_is_left_alone(catalog_db: str, tmp_path: Path, three: list[str]) -> None:
    out = tmp_path / "site"
    _build(catalog_db, out, three[:2])
    theirs = out / "models" / three[2] / "index.html"
    theirs.parent.mkdir(parents=True)
    theirs.write_text("not ours")
    report = _build(catalog_db, out, three)
    assert theirs.read_text() == "not ours"
    assert report.kept == [f"models/{three[2]}/index.html"]
    assert f"models/{three[2]}/index.html" not in json.loads((out / MANIFEST).read_text())["files"]


def test_symbolic_links_never_lead_writes_or_deletes_outside(catalog_db: str, tmp_path: Path, three: list[str]) -> None:
    out = tmp_path / "site"
    _build(catalog_db, out, three)
    outside = tmp_path / "outside"
    (out / "models").rename(outside)  # the folder of model pages now lives outside the site...
    (out / "models").symlink_to(outside, target_is_directory=True)  # ...reached by a link
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (out / "search-index.json").unlink()
    (out / "search-index.json").symlink_to(victim)  # a page we would rewrite, now a link out
    before = _snapshot(outside)
    report = _build(catalog_db, out, three[:2])  # drops a model: its page would be deleted
    assert _snapshot(outside) == before
    assert victim.read_text() == "precious"
    assert "search-index.json" in report.kept
    assert any(file.startswith("models/") for file in report.kept)


def test_a_rebuild_of_our_own_site_removes_what_left_it(catalog_db: str, tmp_path: Path, three: list[str]) -> None:
    out = tmp_path / "site"
    _build(catalog_db, out, three)
    before = set(json.loads((out / MANIFEST).read_text())["files"])
    report = _build(catalog_db, out, three[:2])
    after = set(json.loads((out / MANIFEST).read_text())["files"])
    assert report.removed == len(before - after) >= 3 and report.kept == []  # two pairs, a model, its providers
    assert all(not (out / file).exists() for file in before - after)
    assert not (out / "models" / three[2] / "index.html").exists()
    assert (out / "models" / three[0] / "index.html").exists()


def test_an_interrupted_build_still_knows_what_it_wrote(catalog_db: str, tmp_path: Path) -> None:
    """A real process stopped by SIGINT mid-build: every file on disk is in the manifest, so the
    next build takes up where it stopped instead of leaving the pages alone as not ours. (60 models:
    a build of ~2 s, so the signal lands mid-build, not as the process exits.)"""
    out = tmp_path / "site"
    command = [sys.executable, "-m", "versus", "--db", str(catalog_db), "site", "build", str(out), "--top", "60"]
    build = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    # Stop once workers are writing compare pages and this process has written its first pages (the
    # static assets, which do not change with the date: the next build finds them unchanged).
    while not (next((out / "compare").rglob("index.html"), None) and next((out / "static").glob("*"), None)):
        assert build.poll() is None and time.monotonic() < deadline, build.stderr.read() if build.stderr else ""
        time.sleep(0.02)
    build.send_signal(signal.SIGINT)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 130, err
    manifest = json.loads((out / MANIFEST).read_text())
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != MANIFEST}
    assert on_disk <= set(manifest["files"]) and len(on_disk) > 0  # the workers' journals folded in
    report = _build(catalog_db, out, choose_models(open_services(catalog_db).catalog, 60))
    assert report.kept == [] and report.written < report.pages


def test_a_build_killed_outright_still_knows_what_it_wrote(catalog_db: str, tmp_path: Path) -> None:
    """The build and its worker processes killed at once (SIGKILL: no clean-up runs) while compare
    pages are being written: each process recorded what it was about to write in a journal first, so
    the next build claims every page it finished as its own and folds the journals away. A page cut
    off mid-write (at most one per process) cannot be told from someone else's file: it is left alone
    and reported."""
    out = tmp_path / "site"
    command = [sys.executable, "-m", "versus", "--db", str(catalog_db), "site", "build", str(out), "--top", "30"]
    build = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(list((out / "compare").rglob("index.html"))) < 40:
        assert build.poll() is None and time.monotonic() < deadline, build.stderr.read() if build.stderr else ""
        time.sleep(0.01)
    os.killpg(build.pid, signal.SIGKILL)
    build.communicate(timeout=60)
    journals = list(out.glob(".versus-site.writing-*.json"))
    recorded: dict[str, str] = json.loads((out / MANIFEST).read_text())["files"]
    for journal in journals:
        if journal.stat().st_size:  # empty: killed before its record went in, so before any page
            recorded |= json.loads(journal.read_text())["writing"]
    pages = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and not p.name.startswith(".versus-site")}
    assert journals and pages and pages <= set(recorded)
    cut_off = {p for p in pages if hashlib.sha256((out / p).read_bytes()).hexdigest() != recorded[p]}
    cut_off -= {p for p in cut_off if not (out / p).stat().st_size}  # created, nothing written yet: claimed
    assert len(cut_off) <= 1 + min(os.cpu_count() or 1, 8)  # the build process and its workers
    report = _build(catalog_db, out, choose_models(open_services(catalog_db).catalog, 30))
    assert set(report.kept) == cut_off  # without the journals, every page written before the kill would be kept
    assert not list(out.glob(".versus-site.writing-*"))
    assert pages - cut_off <= set(json.loads((out / MANIFEST).read_text())["files"])


def test_a_manifest_save_interrupted_by_ctrl_c_still_records_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGINT arriving while the manifest is saved (a build stopped as it ends) waits until it is
    written: otherwise the folder keeps the manifest of the build's start, as if nothing was written.
    Another thread is running, as a worker pool's are: the signal may be delivered to it."""
    import threading

    from versus.site.folder import SiteFolder

    done = threading.Event()
    other = threading.Thread(target=done.wait)
    other.start()

    folder = SiteFolder.open(tmp_path / "site")
    body = b"<p>a page</p>"
    folder.put([("index.html", body, hashlib.sha256(body).hexdigest())])
    fold = SiteFolder._fold_journals

    def fold_then_interrupted(self: SiteFolder) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        fold(self)

    monkeypatch.setattr(SiteFolder, "_fold_journals", fold_then_interrupted)
    try:
        with pytest.raises(KeyboardInterrupt):
            folder.save()
    finally:
        done.set()
        other.join()
    assert json.loads((tmp_path / "site" / MANIFEST).read_text())["files"] == {
        "index.html": hashlib.sha256(body).hexdigest()
    }
    assert not list((tmp_path / "site").glob(".versus-site.writing-*"))
