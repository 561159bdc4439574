"""Reading untrusted leaderboard files with bounded work: size limits, safe loaders, strict numbers."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

# The largest upstream file (SWE-bench's leaderboards.json) is 4 MiB and grows; 64 MiB leaves
# room while refusing a runaway download.
MAX_FILE_BYTES = 64 * 1024 * 1024
# A leaderboard has hundreds of entries; far more means the file is not what we think it is.
MAX_RECORDS = 200_000
# Scores are percentages, Elo ratings or indices; anything beyond this is a broken value.
MAX_ABS_SCORE = Decimal(100_000)

_MISSING = frozenset({"", "n/a", "na", "-", "—", "none", "null", "nan"})
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class FileError(Exception):
    """A whole file cannot be read; the adapter records it and goes on with the other files."""


def decode_text(blob: bytes, limit: int = MAX_FILE_BYTES) -> str:
    if len(blob) > limit:
        raise FileError(f"file is {len(blob):,} bytes, over the {limit:,}-byte limit")
    try:
        return blob.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(f"not UTF-8 text: {exc.reason} at byte {exc.start}") from exc


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def load_json(blob: bytes) -> Any:
    """JSON with every number as an exact Decimal (ints stay int); NaN and Infinity refused."""
    text = decode_text(blob)
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise FileError(f"not valid JSON: {exc}") from exc


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ALIAS_MARK = re.compile(r"\*[^\s,\]}]")


def load_yaml(blob: bytes) -> Any:
    """YAML through the safe loader, refusing anchors and aliases: leaderboards have none, and
    alias chains are how a small YAML file expands into a huge object graph."""
    text = decode_text(blob)
    try:
        # The event scan costs a second pass; only text that could hold an alias pays it.
        maybe_alias = _ALIAS_MARK.search(text) is not None
        if maybe_alias and any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text, Loader=_YAML_LOADER)):
            raise FileError("YAML aliases are not allowed in leaderboard files")
        return yaml.load(text, Loader=_YAML_LOADER)  # the safe loader: plain data only
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise FileError(f"not valid YAML: {exc}") from exc


def read_csv(blob: bytes) -> list[list[str]]:
    text = decode_text(blob)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise FileError(f"not valid CSV: {exc}") from exc
    if len(rows) > MAX_RECORDS:
        raise FileError(f"{len(rows):,} rows, over the {MAX_RECORDS:,}-row limit")
    return rows


def parse_score(value: object) -> Decimal | None:
    """A score as an exact Decimal: `77.47%`, `07.6`, `64.93`, a JSON number; None for N/A, `-`, empty.

    Raises ValueError for anything else (text, booleans, non-finite or absurd numbers).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a score")
    if isinstance(value, Decimal | int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # YAML floats: the shortest repr is the text in the file
    elif isinstance(value, str):
        text = value.strip().removesuffix("%").strip()
        if text.lower() in _MISSING:
            return None
        if not _NUMBER.match(text):
            raise ValueError(f"{value!r} is not a number")
        number = Decimal(text)
    else:
        raise ValueError(f"{type(value).__name__} is not a score")
    try:
        finite = number.is_finite() and abs(number) <= MAX_ABS_SCORE
    except InvalidOperation:
        finite = False
    if not finite:
        raise ValueError(f"{value!r} is out of range for a score")
    return number


def clean_text(value: object, limit: int = 300) -> str | None:
    """A short single-line string from an untrusted field, or None when it is not text."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text[:limit] if text else None
