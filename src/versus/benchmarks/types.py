"""Benchmark results in one shape for every leaderboard, before their names are matched to models."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# A run's conditions as sorted (key, value) pairs: two results of one model under different
# settings are two results, never averaged or merged.
Setting = tuple[tuple[str, str], ...]

SETTING_LABELS: dict[str, str] = {
    "reasoning_effort": "reasoning effort",
    "thinking": "thinking",
    "edit_format": "edit format",
    "editor_model": "editor model",
    "editor_edit_format": "editor edit format",
    "style_control": "style control",
    "tool_calling": "tool calling",
    "system": "agent system",
    "attempts": "attempts",
    "prompt": "system prompt",
    "reported_by": "reported by",
    "precision": "precision",
    "mode": "mode",
    "temperature": "temperature",
    "variant": "variant",
}


# Setting keys that change how the leaderboard computes a score rather than how the model was
# run: results under different values are different rankings and never compared.
MEASUREMENT_KEYS = frozenset({"style_control"})


def measurement(setting: Setting) -> Setting:
    """The part of a setting that defines the ranking itself (LMArena's style control)."""
    return tuple((key, value) for key, value in setting if key in MEASUREMENT_KEYS)


def make_setting(*parts: Setting, **pairs: str | None) -> Setting:
    """One setting from earlier ones and keyword pairs; later values win, None values are dropped."""
    merged: dict[str, str] = {}
    for part in parts:
        merged.update(part)
    merged.update({key: value for key, value in pairs.items() if value is not None})
    return tuple(sorted(merged.items()))


def describe_setting(setting: Setting) -> str:
    """`reasoning effort high, edit format diff`; empty for the leaderboard's default setting."""
    return ", ".join(f"{SETTING_LABELS.get(key, key.replace('_', ' '))} {value}" for key, value in setting)


@dataclass(frozen=True)
class SourceInfo:
    """Where a leaderboard's files live upstream and whether we may ship a copy of them."""

    name: str
    title: str
    homepage: str
    base_url: str
    files: tuple[str, ...]
    licence: str
    redistributable: bool

    def url(self, file_name: str) -> str:
        return f"{self.base_url.rstrip('/')}/{file_name}"


@dataclass(frozen=True)
class BenchmarkResult:
    """One score of one leaderboard entry, as the leaderboard states it.

    `model_name` is the leaderboard's own spelling; `model_hints` are model ids the leaderboard
    itself gives for the entry (SWE-bench `Model:` tags, BFCL's Hugging Face links, the model
    Aider was run with), used by name matching, never shown as the model.
    """

    source: str
    benchmark: str
    category: str
    model_name: str
    score: Decimal
    metric: str
    source_url: str
    licence: str
    ci_low: Decimal | None = None
    ci_high: Decimal | None = None
    setting: Setting = ()
    date: date | None = None
    edition: str | None = None
    organisation: str | None = None
    model_hints: tuple[str, ...] = ()

    @property
    def setting_label(self) -> str:
        return describe_setting(self.setting)


@dataclass(frozen=True)
class BenchmarkRecordError:
    """A file or row the adapter could not read: reported, skipped, never fatal for the others."""

    source: str
    record_id: str
    message: str


@dataclass
class BenchmarkData:
    source: str
    results: list[BenchmarkResult] = field(default_factory=list)
    errors: list[BenchmarkRecordError] = field(default_factory=list)

    def error(self, record_id: str, message: str) -> None:
        self.errors.append(BenchmarkRecordError(self.source, record_id, message))
