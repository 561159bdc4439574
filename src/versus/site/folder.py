"""The site's output folder: built only if empty or ours, and touched only where we wrote before."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

MANIFEST = ".versus-site.json"
GENERATOR = "llm-versus site build"
# A top-100 site's manifest is ~600 KB; one far larger was not written by us and is not read.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
_DIGEST_CHARS = frozenset("0123456789abcdef")
EMPTY_DIGEST = hashlib.sha256(b"").hexdigest()

Status = Literal["written", "unchanged", "kept"]
IO_THREADS = 8  # file system calls release the GIL: on a slow disk several at once go several times faster


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
        or path == MANIFEST
    ):
        raise ValueError(f"{path!r} is not a file inside the site")
    return path


class Manifest(BaseModel):
    """What `versus site build` wrote: each file's site-relative path and the SHA-256 of its bytes,
    and the files it was about to write when it last saved (a build may be killed mid-batch)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    generator: Literal["llm-versus site build"]
    format: Literal[1]
    files: dict[str, str]
    writing: dict[str, str] = {}

    @field_validator("files", "writing")
    @classmethod
    def _check_files(cls, files: dict[str, str]) -> dict[str, str]:
        for path, digest in files.items():
            check_site_path(path)
            if len(digest) != 64 or not set(digest) <= _DIGEST_CHARS:
                raise ValueError(f"{path!r} has no SHA-256 digest")
        return files


class SiteFolder:
    """The output folder and the files in it we wrote (path -> SHA-256): we write a file only where
    nothing is or where the bytes are still what we wrote, remove only such files, and never follow
    a symbolic link out of the folder."""

    def __init__(self, root: Path, files: dict[str, str]) -> None:
        self.root = root
        self.files = dict(files)
        self.kept: list[str] = []  # files we would have changed or removed, left alone: not ours (any more)
        self.writing: dict[str, str] = {}  # the batch being written, saved before it is
        self._dirs: set[str] = {""}

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
        for file, digest in writing.items():  # a build killed while writing these: which did it write?
            # Empty: created, then killed before the bytes went in; nothing of anyone's to lose.
            if (found := folder._digest(file)) in (digest, EMPTY_DIGEST):
                folder.files[file] = found
        return folder

    def put(self, pages: list[tuple[str, bytes, str]]) -> list[Status]:
        """Write each (file, body, digest) unless it is already there or the file there is not ours.

        The files about to be written are saved in the manifest first, so a build killed among them
        still recognises them as its own next time. Folders are made a level at a time, each by one
        thread, then files are planned and written by several: on a slow disk, one at a time is the
        bottleneck of a build."""
        self._make_folders([file for file, _, _ in pages])
        with ThreadPoolExecutor(IO_THREADS) as pool:
            plans = list(pool.map(self._plan, [file for file, _, _ in pages], [digest for _, _, digest in pages]))
            self.writing = {file: digest for (file, _, digest), (flags, _) in zip(pages, plans, strict=True) if flags}
            if self.writing:
                self.save()
            statuses = list(pool.map(self._write, pages, plans))
        self.writing = {}
        return statuses

    def _write(self, page: tuple[str, bytes, str], plan: tuple[int, Status]) -> Status:
        (file, body, digest), (flags, status) = page, plan
        if flags:
            try:
                fd = os.open(self.root / file, flags | getattr(os, "O_NOFOLLOW", 0), 0o644)
            except FileExistsError:  # appeared since we looked: someone else's
                fd, status = -1, "kept"
            if fd >= 0:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(body)
                self.files[file] = digest
        if status == "kept":
            self.kept.append(file)
        return status

    def _make_folders(self, files: list[str]) -> None:
        """Every folder the files need, shallowest first, each made (or found) by exactly one thread."""
        wanted: dict[int, set[str]] = {}
        for file in files:
            parts = file.split("/")
            for depth in range(1, len(parts)):
                folder = "/".join(parts[:depth])
                if folder not in self._dirs:
                    wanted.setdefault(depth, set()).add(folder)
        with ThreadPoolExecutor(IO_THREADS) as pool:
            for depth in sorted(wanted):
                list(pool.map(self._make_folder, sorted(wanted[depth])))

    def _make_folder(self, folder: str) -> None:
        """Create `folder` if its parent is ours and it is missing; note it when it is a real folder."""
        parent = folder.rpartition("/")[0]
        if parent and parent not in self._dirs:
            return  # its parent is a link, a file, or could not be made: nothing below it is ours
        path = self.root / folder
        mode = _mode(path)
        if mode is None:
            try:
                path.mkdir()
            except FileExistsError:
                return
            mode = _mode(path)
        if mode is not None and stat.S_ISDIR(mode):
            self._dirs.add(folder)

    def _plan(self, file: str, digest: str) -> tuple[int, Status]:
        """How to open `file` for writing (0: leave it) and what that will count as."""
        path = self._path(file, create=True)
        if path is None:
            return 0, "kept"
        mode = _mode(path)
        if mode is not None and self.files.get(file) == digest:
            return 0, "unchanged"
        if mode is None:
            return os.O_WRONLY | os.O_CREAT | os.O_EXCL, "written"  # never replaces what appears meanwhile
        if self._still_ours(file):
            return os.O_WRONLY | os.O_TRUNC, "written"
        return 0, "kept"

    def remove(self, file: str) -> bool:
        """Delete `file` if its bytes are still what we wrote; forget it either way."""
        path = self._path(file, create=False)
        removed = False
        if path is not None and _mode(path) is not None:
            if self._still_ours(file):
                path.unlink()
                removed = True
            else:
                self.kept.append(file)
        self.files.pop(file, None)
        return removed

    def save(self) -> None:
        """Write the manifest atomically: a crash leaves the old one or the new one, never half."""
        manifest = {"generator": GENERATOR, "format": 1, "files": self.files, "writing": self.writing}
        text = json.dumps(manifest, sort_keys=True, indent=0)
        fd, temp = tempfile.mkstemp(prefix=".versus-site.", suffix=".tmp", dir=self.root)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, self.root / MANIFEST)
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
        return hashlib.sha256(path.read_bytes()).hexdigest()

    def _path(self, file: str, *, create: bool) -> Path | None:
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
            mode = _mode(self.root / folder)
            if mode is None or not stat.S_ISDIR(mode):
                return None
            self._dirs.add(folder)
        return self.root / file


def _read_manifest(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    where = path.parent
    if path.is_symlink() or not path.is_file():
        raise SiteRefused(f"{path} is not a file written by `versus site build`: nothing was changed")
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise SiteRefused(f"{path} is too large to be a manifest of ours: nothing was changed")
    raw = path.read_bytes()
    try:
        manifest = Manifest.model_validate_json(raw)
    except ValidationError as exc:
        if _is_unmarked_manifest(raw):
            raise SiteRefused(
                f"{where} was built by an older `versus site build`, whose {MANIFEST} does not mark the "
                "folder as ours: build into a new folder (or delete this one first); nothing was changed"
            ) from exc
        problem = exc.errors()[0]
        detail = f"{'.'.join(str(p) for p in problem['loc'])}: {problem['msg']}" if problem["loc"] else problem["msg"]
        raise SiteRefused(
            f"{where} holds a {MANIFEST} that was not written by `versus site build` ({detail}); "
            "build into an empty or new folder: nothing was changed"
        ) from exc
    return manifest.files, manifest.writing


def _is_unmarked_manifest(raw: bytes) -> bool:
    """The manifest format before it named its generator: a bare object of path -> SHA-256."""
    try:
        old = json.loads(raw)
    except ValueError:
        return False
    return isinstance(old, dict) and all(isinstance(v, str) and len(v) == 64 for v in old.values())


def _mode(path: Path) -> int | None:
    """The file type at `path`, not following a final symbolic link; None if nothing is there."""
    try:
        return path.lstat().st_mode
    except FileNotFoundError:
        return None
