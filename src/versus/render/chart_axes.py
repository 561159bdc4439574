"""What the SVG charts share: scales with readable ticks (linear, logarithmic, dates), a palette that
does not rely on colour alone, and label placement that avoids overlaps.

Pure and dependency-free: numbers in, coordinates and strings out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypeVar

T = TypeVar("T")

MAX_LABEL_CHARS = 80  # a name longer than this is cut with an ellipsis: it would not fit a chart anyway

# Colour plus dash pattern, so lines differ in more than hue (colour-blind readers, grey-scale print).
PALETTE = ("#1d4ed8", "#c2410c", "#047857", "#be123c", "#6d28d9", "#0e7490", "#a16207", "#4d7c0f", "#334155")
DASHES = ("", "6 3", "2 3")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
CHAR_WIDTH = 0.58  # average glyph width in ems of the sans-serif fonts above, for label boxes


def short(value: str, limit: int = MAX_LABEL_CHARS) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def style(index: int) -> tuple[str, str]:
    """The (colour, dash pattern) of the index-th line: every pair differs for the first 27 lines."""
    return PALETTE[index % len(PALETTE)], DASHES[(index // len(PALETTE)) % len(DASHES)]


def fmt(value: float) -> str:
    """A coordinate: one decimal, no trailing `.0`."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


# --- scales ---------------------------------------------------------------------------------------


class Scale:
    """Values in [low, high] to pixels in [start, end] (end < start for a y axis), linear or log10.
    Called thousands of times a chart: the mapping is worked out once."""

    __slots__ = ("_factor", "_origin", "end", "high", "log", "low", "start")

    def __init__(self, low: float, high: float, start: float, end: float, log: bool = False) -> None:
        self.low, self.high, self.start, self.end, self.log = low, high, start, end, log
        a, b = (math.log10(low), math.log10(high)) if log else (low, high)
        self._origin = a
        self._factor = (end - start) / (b - a) if b != a else 0.0
        if b == a:  # one value: the middle of the range
            self.start = (start + end) / 2

    def __call__(self, value: float) -> float:
        if self.log:
            value = math.log10(value if value > self.low else self.low)
        return self.start + (value - self._origin) * self._factor


def nice_step(span: float, count: int) -> float:
    """A step of 1, 2, 2.5 or 5 × 10^n giving about `count` intervals over `span`."""
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def linear_ticks(low: float, high: float, count: int = 5) -> tuple[float, float, list[float]]:
    """A domain widened to whole steps around [low, high], and the ticks on it."""
    if high <= low:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = nice_step(high - low, count)
    start, stop = math.floor(low / step) * step, math.ceil(high / step) * step
    ticks = [round(start + i * step, 10) for i in range(round((stop - start) / step) + 1)]
    return start, stop, ticks


def log_ticks(low: float, high: float) -> tuple[float, float, list[float]]:
    """A domain of whole decades around [low, high] (both > 0), ticks at 1, 2 and 5 × 10^n when the
    decades are few, else at each decade."""
    # A little room beyond the data, so no dot sits on the axis line itself.
    first, last = math.floor(math.log10(low / 1.2)), math.ceil(math.log10(high * 1.2))
    if last == first:
        last += 1
    multiples = (1, 2, 5) if last - first <= 3 else (1,)
    ticks = [m * 10.0**p for p in range(first, last + 1) for m in multiples if m * 10.0**p <= 10.0**last]
    return 10.0**first, 10.0**last, ticks


def number_label(value: float, prefix: str = "") -> str:
    """`$1,200`, `$2.5`, `$0.03`, `1,450`: as few digits as tell ticks apart."""
    magnitude = abs(value)
    if magnitude >= 100 or value == int(value):
        body = f"{value:,.0f}"
    elif magnitude >= 1:
        body = f"{value:,.2f}".rstrip("0").rstrip(".")
    else:
        body = f"{value:.6f}".rstrip("0").rstrip(".") or "0"
    sign = "−" if body.startswith("-") else ""
    return f"{sign}{prefix}{body.lstrip('-')}"


def spaced_ticks(
    ticks: Sequence[tuple[T, float, str]], size: float, left: float, right: float
) -> list[tuple[T, float, str]]:
    """The (value, position, label) ticks whose labels fit side by side, each anchored so it stays
    inside [left, right]: `middle`, or `start`/`end` at the edges; a tick that would crowd the one
    before it is dropped (the first and the last are kept before those in between)."""
    kept: list[tuple[T, float, str, Box]] = []
    order = list(range(len(ticks)))
    if len(order) > 2:
        order = [order[0], order[-1], *order[1:-1]]
    for i in order:
        value, x, label = ticks[i]
        width = len(label) * size * CHAR_WIDTH
        anchor = "start" if x - width / 2 < left - 20 else "end" if x + width / 2 > right else "middle"
        box = label_box(x, 0, label, size, anchor)
        if not any(overlaps(box, other[3], gap=size * 0.6) for other in kept):
            kept.append((value, x, anchor, box))
    return [(value, x, anchor) for value, x, anchor, _ in sorted(kept, key=lambda k: k[1])]


def date_ticks(low: date, high: date, count: int = 5) -> list[date]:
    """First days of months (every 1, 2, 3, 6 or 12 months), or days when the span is short."""
    days = (high - low).days
    if days <= 62:
        step = max(1, math.ceil(days / max(count, 1)))
        return [low + timedelta(days=d) for d in range(0, days + 1, step)]
    months = (high.year - low.year) * 12 + high.month - low.month
    every = next((m for m in (1, 2, 3, 6, 12, 24, 60) if months / m <= count), 120)
    found: list[date] = []
    year, month = low.year, low.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        day = date(year, month, 1)
        if day > high:
            return found
        if (year * 12 + month - 1) % every == 0:
            found.append(day)


def date_label(day: date, span_days: int) -> str:
    return day.isoformat() if span_days <= 62 else day.isoformat()[:7]


# --- labels ----------------------------------------------------------------------------------------

Box = tuple[float, float, float, float]  # left, top, right, bottom


def label_box(x: float, y: float, label: str, size: float, anchor: str) -> Box:
    width = len(label) * size * CHAR_WIDTH
    left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    return (left, y - size * 0.8, left + width, y + size * 0.25)


def overlaps(a: Box, b: Box, gap: float = 1.0) -> bool:
    return not (a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1])


class Boxes:
    """Boxes drawn so far, filed by the grid cells they touch: a new label is checked against its
    neighbours only, not against every dot of a 300-model leaderboard."""

    CELL = 24.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[Box]] = {}

    def _cells(self, box: Box) -> list[tuple[int, int]]:
        c = self.CELL
        return [
            (i, j)
            for i in range(int(box[0] // c) - 1, int(box[2] // c) + 2)
            for j in range(int(box[1] // c) - 1, int(box[3] // c) + 2)
        ]

    def add(self, box: Box) -> None:
        c = self.CELL
        for i in range(int(box[0] // c), int(box[2] // c) + 1):
            for j in range(int(box[1] // c), int(box[3] // c) + 1):
                self.cells.setdefault((i, j), []).append(box)

    def hits(self, box: Box) -> bool:
        return any(overlaps(box, other) for cell in self._cells(box) for other in self.cells.get(cell, ()))


def place_label(
    x: float, y: float, label: str, size: float, taken: Boxes, area: Box, radius: float
) -> tuple[float, float, str] | None:
    """Where to write `label` beside the point (x, y): right, left, above or below it, the first spot
    inside `area` that overlaps no box in `taken` (other labels and the points); None when none does."""
    offset = radius + 3
    for lx, ly, anchor in (
        (x + offset, y + size * 0.35, "start"),
        (x - offset, y + size * 0.35, "end"),
        (x, y - offset - 1, "middle"),
        (x, y + offset + size * 0.8, "middle"),
    ):
        box = label_box(lx, ly, label, size, anchor)
        inside = box[0] >= area[0] and box[1] >= area[1] and box[2] <= area[2] and box[3] <= area[3]
        if inside and not taken.hits(box):
            return lx, ly, anchor
    return None
