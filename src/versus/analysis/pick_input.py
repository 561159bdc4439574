"""A pick request from text as typed on a command line or a web form: capabilities, dollars, score
floors and the ranking, each checked with a message that says what is wrong. Pure; bounded work."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from versus.analysis.pick import Ranking, RankKind, ScoreFloor
from versus.analysis.quality import parse_benchmark_ref
from versus.catalog.types import CAPABILITIES

# `$1,000`, `1000`, `250.50`: dollars as typed, bounded before Decimal sees them.
_DOLLARS = re.compile(r"\$?[0-9][0-9,_]{0,15}(\.[0-9]{1,6})?")
_SCORE = re.compile(r"[+-]?[0-9]{1,9}(\.[0-9]{1,6})?")
_SHOWN = 60


class PickInputError(ValueError):
    """Text that is not a valid pick constraint or ranking; the message names the field."""


def _shown(text: str) -> str:
    return repr(text[:_SHOWN]) + ("…" if len(text) > _SHOWN else "")


def split_list(texts: Iterable[str]) -> tuple[str, ...]:
    """`vision,function_calling` and repeated values as one list, without blanks or repeats."""
    return tuple(dict.fromkeys(p.strip() for text in texts for p in text.split(",") if p.strip()))


def parse_needs(texts: Iterable[str]) -> tuple[str, ...]:
    """Capability names (`function-calling` reads as `function_calling`); unknown ones are refused."""
    wanted = tuple(dict.fromkeys(n.replace("-", "_").lower() for n in split_list(texts)))
    unknown = [w for w in wanted if w not in CAPABILITIES]
    if unknown:
        raise PickInputError(f"unknown capability {_shown(unknown[0])}; choose from {', '.join(CAPABILITIES)}")
    return wanted


def parse_dollars(text: str, name: str = "--max-monthly") -> Decimal:
    cleaned = text.strip()
    if not _DOLLARS.fullmatch(cleaned):
        raise PickInputError(f"{name} {_shown(text)} is not an amount in USD, e.g. 1000 or 1,000.50")
    return Decimal(cleaned.lstrip("$").replace(",", "").replace("_", ""))


def parse_floor(text: str) -> ScoreFloor:
    """`BENCHMARK[/CATEGORY]=VALUE`, e.g. `aider-polyglot=70`, `livebench/coding=60`."""
    name, sep, value = text.rpartition("=")
    if not sep or not _SCORE.fullmatch(value.strip()):
        raise PickInputError(f"--min-score {_shown(text)} is not BENCHMARK[/CATEGORY]=VALUE, e.g. aider-polyglot=70")
    return ScoreFloor(parse_benchmark_ref(name), Decimal(value.strip()))


def parse_ranking(text: str) -> Ranking:
    """`cost`, `BENCHMARK[/CATEGORY]` (highest score first), `value` or `value:BENCHMARK` (score per dollar)."""
    cleaned = text.strip().lower()
    if cleaned in ("cost", "value"):
        return Ranking("cost" if cleaned == "cost" else "value")
    kind: RankKind = "value" if cleaned.startswith("value:") else "benchmark"
    try:
        return Ranking(kind, parse_benchmark_ref(cleaned.removeprefix("value:")))
    except ValueError as exc:
        raise PickInputError(f"--rank-by: {exc}; or cost, or value") from exc
