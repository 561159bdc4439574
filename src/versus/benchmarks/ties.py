"""Who leads on one benchmark result, or whether the leaderboard's own intervals call it a tie."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from versus.benchmarks.types import BenchmarkResult, measurement


@dataclass(frozen=True)
class Standing:
    """`leader` is "a" or "b", or None for a tie; `margin` is a's score minus b's."""

    leader: Literal["a", "b"] | None
    margin: Decimal
    reason: str

    @property
    def is_tie(self) -> bool:
        return self.leader is None


def lead_or_tie(a: BenchmarkResult, b: BenchmarkResult) -> Standing:
    """Compare two results of one ranking: the same benchmark, category, metric, edition and
    measurement (style control on or off). How each model was run (effort, thinking) may differ.

    When both carry 95 % intervals (LMArena), overlapping intervals are a tie: the leaderboard
    cannot tell the two apart. Without intervals only equal scores tie, and the reason says the
    difference is untested. Results of different rankings are not compared: ValueError.
    """
    for field in ("benchmark", "category", "metric", "edition"):
        if getattr(a, field) != getattr(b, field):
            raise ValueError(f"results differ in {field}: {getattr(a, field)!r} vs {getattr(b, field)!r}")
    if measurement(a.setting) != measurement(b.setting):
        raise ValueError(f"results are different rankings: {measurement(a.setting)} vs {measurement(b.setting)}")
    margin = a.score - b.score
    leader: Literal["a", "b"] | None = "a" if margin > 0 else "b" if margin < 0 else None
    first, second = _interval(a), _interval(b)
    if first is None or second is None:
        if leader is None:
            return Standing(None, margin, "equal scores")
        return Standing(leader, margin, "higher score; the leaderboard gives no interval to test the gap")
    if first[0] <= second[1] and second[0] <= first[1]:
        shown = f"[{first[0]:.1f}, {first[1]:.1f}] and [{second[0]:.1f}, {second[1]:.1f}]"
        return Standing(None, margin, f"95 % intervals overlap ({shown})")
    return Standing(leader, margin, "95 % intervals do not overlap")


def _interval(result: BenchmarkResult) -> tuple[Decimal, Decimal] | None:
    if result.ci_low is None or result.ci_high is None:
        return None
    return result.ci_low, result.ci_high
