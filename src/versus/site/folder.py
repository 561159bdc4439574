"""The site's output folder: built only if empty or ours, and touched only where we wrote before."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import Literal

MANIFEST = ".versus-site.json"
# Files about to be written by one process of a build, folded into the manifest when it is saved.
JOURNAL_PREFIX = ".versus-site.writing-"
GENERATOR = "llm-versus site build"
# A top-100 site's manifest is ~600 KB; one far larger was not written by us and is not read.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
_DIGEST_CHARS = frozenset("0123456789abcdef")
EMPTY_DIGEST = hashlib.sha256(b"").hexdigest()

Status = Literal["written", "unchanged", "kept"]
Put = tuple[str, str, Status]  # a page's file, the SHA-256 of its bytes, and what became of it
UNCHANGED, KEPT = 0, -1  # plans that write nothing; any other plan is the flags to open the file with
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class SiteRefused(Exception):
    """The output folder is not ours to build into; the message says why and what to do instead."""


def check_site_path(path: str) -> str:
    """A file inside the site: relative POSIX parts, none empty, `.` or `..`, no backslash or NUL."""
    parts = path.split("/")
    if (
        not path
        or PurePosixPath(path).is_absolute()
        or any(part in ("", ".", "..") for part in parts)
        or "\\" in path
        or "\0" in path
        or path.startswith(".versus-site.")  # the manifest, journals and temporary files: ours, not pages
    ):
        raise ValueError(f"{path!r} is not a file inside the site")
    return path


class _NotOurs(ValueError):
    """A manifest or journal that `versus site build` did not write; the message says what is wrong."""


def _parse_manifest(raw: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """What `versus site build` wrote, from its manifest: each file's site-relative path and the SHA-256
    of its bytes; and the files it was about to write. A journal has the same form, with those in
    `writing` (a build may be killed among them); manifests saved by earlier versions mid-build held
    them too. _NotOurs for anything else, unknown keys included."""
    try:
        manifest = json.loads(raw)
    except ValueError as exc:
        raise _NotOurs(f"not JSON: {exc}") from exc
    if not isinstance(manifest, dict):
        raise _NotOurs("not a JSON object")
    if unknown := sorted(set(manifest) - {"generator", "format", "files", "writing"}):
        raise _NotOurs(f"{unknown[0]}: unknown key")
    if manifest.get("generator") != GENERATOR:
        raise _NotOurs(f"generator: not {GENERATOR!r}")
    if type(manifest.get("format")) is not int or manifest["format"] != 1:
        raise _NotOurs("format: not 1")
    if "files" not in manifest:
        raise _NotOurs("files: missing")
    return _digests(manifest["files"], "files"), _digests(manifest.get("writing", {}), "writing")


def _digests(found: object, key: str) -> dict[str, str]:
    if not isinstance(found, dict):
        raise _NotOurs(f"{key}: not an object of file -> SHA-256")
    for path, digest in found.items():
        try:
            check_site_path(path)
        except ValueError as exc:
            raise _NotOurs(f"{key}: {exc}") from exc
        if not isinstance(digest, str) or len(digest) != 64 or not set(digest) <= _DIGEST_CHARS:
            raise _NotOurs(f"{key}: {path!r} has no SHA-256 digest")
    return found


class SiteFolder:
    """The output folder and the files in it we wrote (path -> SHA-256): we write a file only where
    nothing is or where the bytes are still what we wrote, remove only such files, and never follow
    a symbolic link out of the folder.

    Several processes may write into one folder at once (a build's workers), each with a copy of this
    object made by fork: each records what it is about to write in a journal of its own first, and the
    process that owns the folder adopts what each wrote and folds the journals into the manifest."""

    def __init__(self, root: Path, files: dict[str, str]) -> None:
        self.files = dict(files)
        self.kept: set[str] = set()  # files we would have changed or removed, left alone: not ours (any more)
        self._root = str(root)
        self._dirs: set[str] = {""}  # real folders of the site
        self._made: set[str] = set()  # of them, those this process made
        self._journals: set[str] = set()  # journals folded into `files`, deleted once the manifest is saved

    @classmethod
    def open(cls, out: Path) -> SiteFolder:
        """`out` if it is missing, empty, or a site we built (its manifest says so); SiteRefused otherwise."""
        if not out.exists():
            if out.is_symlink():
                raise SiteRefused(f"{out} is a broken symbolic link: choose a folder")
            try:
                out.mkdir(parents=True)
            except OSError as exc:
                raise SiteRefused(f"cannot create the folder {out}: {exc.strerror or exc}") from exc
            return cls(out.resolve(), {})
        if not out.is_dir():
            raise SiteRefused(f"{out} is not a folder: choose an empty or new folder")
        manifest = out / MANIFEST
        if not os.path.lexists(manifest):
            if any(out.iterdir()):
                raise SiteRefused(
                    f"{out} is not empty and holds no site built by `versus site build` (no {MANIFEST}): "
                    "build into an empty or new folder; nothing was changed"
                )
            return cls(out.resolve(), {})
        folder = cls(out.resolve(), {})
        folder.files, writing = _read_manifest(manifest)
        folder._claim(writing)  # a manifest saved by an older build mid-batch
        folder._fold_journals()
        return folder

    def put(self, pages: Sequence[tuple[str, bytes, str]]) -> list[Put]:
        """Write each (file, body, digest) unless it is already there or the file there is not ours;
        what became of each page, as (file, digest, status).

        The files about to be written are first recorded in a journal (written whole or not at all),
        so a build killed among them still recognises them as its own next time. SIGINT and SIGTERM
        wait until the batch is written: stopped, a build leaves no file half written."""
        plans = [self._plan(file, digest) for file, _, digest in pages]
        writing = {file: digest for (file, _, digest), flags in zip(pages, plans, strict=True) if flags > 0}
        with _signals_deferred():
            if writing:
                self._journal(writing)
            return [self._write(page, flags) for page, flags in zip(pages, plans, strict=True)]

    def adopt(self, puts: Iterable[Put]) -> None:
        """Take in what another process (a forked copy of this folder) put."""
        for file, digest, status in puts:
            if status == "written":
                self.files[file] = digest
            elif status == "kept":
                self.kept.add(file)

    def _plan(self, file: str, digest: str) -> int:
        """How to open `file` for writing; UNCHANGED or KEPT: leave it."""
        path = self._path(file, create=True)
        if path is None:
            return KEPT
        # In a folder made just now nothing was there; what appears meanwhile O_EXCL leaves alone.
        exists = file.rpartition("/")[0] not in self._made and _mode(path) is not None
        if exists and self.files.get(file) == digest:
            return UNCHANGED
        if not exists:
            return os.O_WRONLY | os.O_CREAT | os.O_EXCL  # never replaces what appears meanwhile
        if self._still_ours(file):
            return os.O_WRONLY | os.O_TRUNC
        return KEPT

    def _write(self, page: tuple[str, bytes, str], flags: int) -> Put:
        file, body, digest = page
        if flags == UNCHANGED:
            return file, digest, "unchanged"
        if flags > 0:
            try:
                fd = os.open(os.path.join(self._root, file), flags | _NOFOLLOW, 0o644)
            except FileExistsError:  # appeared since we looked: someone else's
                pass
            else:
                try:
                    view = memoryview(body)
                    while view:
                        view = view[os.write(fd, view) :]
                finally:
                    os.close(fd)
                self.files[file] = digest
                return file, digest, "written"
        self.kept.add(file)
        return file, digest, "kept"

    def _make_folder(self, folder: str) -> None:
        """Create `folder` if its parent is a real folder of the site and it is missing; note it when it
        is a real folder (made here, by another of our processes, or found)."""
        parent = folder.rpartition("/")[0]
        if parent and parent not in self._dirs:
            return  # its parent is a link, a file, or could not be made: nothing below it is ours
        path = os.path.join(self._root, folder)
        try:
            os.mkdir(path)
        except FileExistsError:
            pass
        else:
            self._made.add(folder)
        mode = _mode(path)
        if mode is not None and stat.S_ISDIR(mode):
            self._dirs.add(folder)

    def remove(self, file: str) -> bool:
        """Delete `file` if its bytes are still what we wrote; forget it either way."""
        path = self._path(file, create=False)
        removed = False
        if path is not None and _mode(path) is not None:
            if self._still_ours(file):
                os.unlink(path)
                removed = True
            else:
                self.kept.add(file)
        self.files.pop(file, None)
        return removed

    def save(self) -> None:
        """Write the manifest atomically (a crash leaves the old one or the new one, never half), having
        first folded in every journal written since the last save; then delete those journals. SIGINT and
        SIGTERM wait until it is done: a build stopped as it ends still records what it wrote."""
        with _signals_deferred():
            self._fold_journals()
            manifest = {"generator": GENERATOR, "format": 1, "files": self.files}
            self._write_whole(MANIFEST, json.dumps(manifest, sort_keys=True, indent=0))
            for journal in sorted(self._journals):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(self._root, journal))
            self._journals.clear()

    def _journal(self, writing: dict[str, str]) -> None:
        """Record files about to be written, under a name no other process of ours will take."""
        fd, reserved = tempfile.mkstemp(prefix=JOURNAL_PREFIX, suffix=".json", dir=self._root)
        os.close(fd)  # an empty journal (killed before the rename below) records nothing
        record = {"generator": GENERATOR, "format": 1, "files": {}, "writing": writing}
        self._write_whole(os.path.basename(reserved), json.dumps(record, sort_keys=True, indent=0))

    def _fold_journals(self) -> None:
        """Take in the journals in the folder: files another process (or a killed build) was about to
        write, claimed if their bytes are what it meant to write or nothing at all."""
        with os.scandir(self._root) as entries:
            names = [e.name for e in entries if e.name.startswith(JOURNAL_PREFIX) and e.name.endswith(".json")]
        for name in sorted(set(names) - self._journals):
            path = Path(self._root, name)
            if path.is_symlink() or not path.is_file():
                raise SiteRefused(f"{path} is not a journal written by `versus site build`: nothing was changed")
            if path.stat().st_size > 0:
                self._claim(_read_manifest(path)[1])
            self._journals.add(name)

    def _claim(self, writing: dict[str, str]) -> None:
        for file, digest in writing.items():
            if self.files.get(file) != digest and (found := self._digest(file)) in (digest, EMPTY_DIGEST):
                # Empty: created, then killed before the bytes went in; nothing of anyone's to lose.
                self.files[file] = found

    def _write_whole(self, name: str, text: str) -> None:
        fd, temp = tempfile.mkstemp(prefix=".versus-site.", suffix=".tmp", dir=self._root)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, os.path.join(self._root, name))
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def _still_ours(self, file: str) -> bool:
        return file in self.files and self._digest(file) == self.files[file]

    def _digest(self, file: str) -> str | None:
        """The SHA-256 of a regular file inside the folder; None for anything else or nothing."""
        path = self._path(file, create=False)
        mode = _mode(path) if path is not None else None
        if path is None or mode is None or not stat.S_ISREG(mode):
            return None
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()

    def _path(self, file: str, *, create: bool) -> str | None:
        """`root/file` if every folder on the way is a real folder inside root (created if asked);
        None if a part is a symbolic link, a file, or missing when not creating."""
        parts = file.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in self._dirs:
                continue
            if create:
                self._make_folder(folder)
                if folder in self._dirs:
                    continue
                return None
            mode = _mode(os.path.join(self._root, folder))
            if mode is None or not stat.S_ISDIR(mode):
                return None
            self._dirs.add(folder)
        return os.path.join(self._root, file)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM noted while the block runs, then delivered as they would have been. Noted by
    a handler, not blocked: a thread mask would only hold them back from this thread, and the signal
    goes to any other thread (a worker pool's), whose handler then interrupts this one anyway. Handlers
    run only in the main thread, so elsewhere nothing can interrupt the block."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {
        held: signal.signal(held, lambda signum, _frame: received.append(signum))
        for held in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for held, handler in previous.items():
            signal.signal(held, handler if handler is not None else signal.SIG_DFL)
        for signum in dict.fromkeys(received):
            signal.raise_signal(signum)


def _read_manifest(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    where = path.parent
    if path.is_symlink() or not path.is_file():
        raise SiteRefused(f"{path} is not a file written by `versus site build`: nothing was changed")
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise SiteRefused(f"{path} is too large to be a manifest of ours: nothing was changed")
    raw = path.read_bytes()
    try:
        return _parse_manifest(raw)
    except _NotOurs as exc:
        if _is_unmarked_manifest(raw):
            raise SiteRefused(
                f"{where} was built by an older `versus site build`, whose {MANIFEST} does not mark the "
                "folder as ours: build into a new folder (or delete this one first); nothing was changed"
            ) from exc
        raise SiteRefused(
            f"{where} holds a {path.name} that was not written by `versus site build` ({exc}); "
            "build into an empty or new folder: nothing was changed"
        ) from exc


def _is_unmarked_manifest(raw: bytes) -> bool:
    """The manifest format before it named its generator: a bare object of path -> SHA-256."""
    try:
        old = json.loads(raw)
    except ValueError:
        return False
    return isinstance(old, dict) and all(isinstance(v, str) and len(v) == 64 for v in old.values())


def _mode(path: str | Path) -> int | None:
    """The file type at `path`, not following a final symbolic link; None if nothing is there."""
    try:
        return os.lstat(path).st_mode
    except FileNotFoundError:
        return None
