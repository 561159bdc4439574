"""Adapter for the `[[benchmarks]]` entries of models.dev's base-model files (`models/<lab>/<model>.toml`).

models.dev collects published scores per base model (Artificial Analysis indices, SWE-bench,
Terminal-Bench, Aider…), each with the URL it was taken from. The benchmark is the entry's
name; the agent harness, variant and dataset are its setting, the version its edition. Reads a
tarball of the repository (as GitHub serves it, or the `providers.tar.gz` test copy) or single
`models/…toml` files. MIT: shipped as an embedded snapshot (`models.tar`, the base-model files
that have entries).
"""

from __future__ import annotations

import io
import re
import tarfile
import tomllib
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from versus.benchmarks.parsing import MAX_FILE_BYTES, MAX_RECORDS, FileError, clean_text, decode_text, parse_score
from versus.benchmarks.types import BenchmarkData, BenchmarkResult, SourceInfo, make_setting

SOURCE = SourceInfo(
    name="models-dev",
    title="models.dev benchmark entries",
    homepage="https://models.dev",
    base_url="https://codeload.github.com/anomalyco/models.dev/tar.gz/refs/heads",
    files=("dev",),
    licence="MIT (models.dev); each score as published at its source URL",
    redistributable=True,
)

_MODEL_FILE = re.compile(r"^(?:[^/]+/)?models/([A-Za-z0-9._-]+)/([A-Za-z0-9._-]+)\.toml$")
_MAX_MEMBER_BYTES = 1024 * 1024
_GZIP = b"\x1f\x8b"


def parse(files: Mapping[str, bytes], *, snapshot_date: date) -> BenchmarkData:
    """One result per `[[benchmarks]]` entry of every base-model file in the tarballs or files given."""
    data = BenchmarkData(SOURCE.name)
    for file_name, blob in files.items():
        archive = blob.startswith(_GZIP) or file_name.endswith(".tar")
        try:
            members = _tar_members(blob) if archive else iter([(file_name, blob)])
            for path, content in members:
                if match := _MODEL_FILE.match(path):
                    _read_model(data, path, match.group(1), match.group(2), content, snapshot_date)
                elif not archive:
                    data.error(file_name, "not a models/<lab>/<model>.toml file or a tarball of them")
        except FileError as exc:
            data.error(file_name, str(exc))
    return data


def _tar_members(blob: bytes) -> Iterator[tuple[str, bytes]]:
    """Regular files of a tarball (gzip or plain), streamed: never extracted, each and all bounded."""
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(blob), mode="r|gz" if blob.startswith(_GZIP) else "r|") as archive:
            for count, member in enumerate(archive):
                if count > MAX_RECORDS:
                    raise FileError(f"more than {MAX_RECORDS:,} archive members")
                if not member.isfile() or not _MODEL_FILE.match(member.name):
                    continue
                if member.size > _MAX_MEMBER_BYTES:
                    raise FileError(
                        f"{member.name} is {member.size:,} bytes, over the {_MAX_MEMBER_BYTES:,}-byte limit"
                    )
                total += member.size
                if total > MAX_FILE_BYTES:
                    raise FileError(f"archive holds over {MAX_FILE_BYTES:,} bytes of model files")
                stream = archive.extractfile(member)
                if stream is not None:
                    yield member.name, stream.read(_MAX_MEMBER_BYTES + 1)
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise FileError(f"not a readable tarball: {exc}") from exc


def _read_model(data: BenchmarkData, path: str, lab: str, model: str, content: bytes, snapshot_date: date) -> None:
    try:
        raw = tomllib.loads(decode_text(content, _MAX_MEMBER_BYTES))
    except (tomllib.TOMLDecodeError, FileError) as exc:
        data.error(path, f"not valid TOML: {exc}")
        return
    entries = raw.get("benchmarks", [])
    if not isinstance(entries, list):
        data.error(path, "benchmarks is not an array of tables")
        return
    file_date = _date(raw.get("last_updated")) or snapshot_date
    for index, entry in enumerate(entries, start=1):
        result = _result(lab, model, entry, file_date)
        if isinstance(result, str):
            data.error(f"{path}#{index}", result)
        else:
            data.results.append(result)


def _result(lab: str, model: str, entry: Any, file_date: date) -> BenchmarkResult | str:
    """The result of one entry, or why it cannot be read."""
    if not isinstance(entry, dict):
        return "entry is not a table"
    name = clean_text(entry.get("name"), 120)
    if name is None:
        return "entry has no name"
    try:
        score = parse_score(entry.get("score"))
    except ValueError as exc:
        return f"{name}: {exc}"
    if score is None:
        return f"{name}: no score"
    url = clean_text(entry.get("source"), 500)
    return BenchmarkResult(
        source=SOURCE.name,
        benchmark=re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unnamed",
        category="overall",
        model_name=model,
        score=score,
        metric=clean_text(entry.get("metric"), 60) or "score",
        source_url=url if url and url.startswith(("https://", "http://")) else SOURCE.homepage,
        licence=SOURCE.licence,
        setting=make_setting(
            system=clean_text(entry.get("harness"), 60),
            variant=clean_text(entry.get("variant"), 60),
            dataset=clean_text(entry.get("dataset"), 60),
        ),
        date=_date(entry.get("date")) or file_date,
        edition=clean_text(entry.get("version"), 30),
        organisation=lab,
    )


def _date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None
