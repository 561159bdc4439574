"""SVG charts drawn on the server: a model's price history and quality per dollar. No script, nothing
loaded from another host; every label escaped. Each chart is an SVG string (viewBox, width 100%, so it
fits a 360 px screen) with a `<title>` and `<desc>`; each figure adds a visually hidden table holding
every value drawn, for screen readers and for copying.

Price history is two stacked panels, input and output price per 1M tokens, one stepped line per route
in the same colour and dash in both: input and output move independently (a route may cut only its
output price), and on one axis the input lines of dear routes would cross the output lines of cheap ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from versus.analysis.price_history import RouteTimeline
from versus.analysis.quality import QualityChart, QualityPoint
from versus.formats import UNKNOWN, per_million, usd
from versus.render.benchmarks import score_text, value_text
from versus.render.chart_axes import (
    FONT,
    Box,
    Boxes,
    Scale,
    date_label,
    date_ticks,
    fmt,
    label_box,
    linear_ticks,
    log_ticks,
    number_label,
    place_label,
    short,
    spaced_ticks,
    style,
)
from versus.render.markup import element_id, text

# viewBox units: on a 360 px screen (about 330 px for the chart) a 12-unit label is 10 px; the page's
# stylesheet caps a chart at 34rem, where it is 16 px.
WIDTH = 400
LEFT, RIGHT = 50, 12
SIZE = 12  # label font size, in viewBox units
LOG_ABOVE = 10  # costs spanning more than this many times are drawn on a log scale
MAX_LABELS = 12  # points named on the scatter beyond the frontier: the table names them all
PANEL = 130  # height of one price panel's plot area
LEGEND_ROW = 18


def _svg(height: float, title: str, desc: str, prefix: str, body: list[str]) -> str:
    ids = f"{prefix}-title {prefix}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {fmt(height)}" width="100%" '
        f'role="img" aria-labelledby="{ids}" font-family="{text(FONT)}" font-size="{SIZE}" '
        f'class="chart" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{prefix}-title">{text(title)}</title><desc id="{prefix}-desc">{text(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _table(caption: str, header: Sequence[str], rows: Sequence[Sequence[str] | str]) -> str:
    """A visually hidden table of every value a chart draws: rows of escaped cells, or whole `<tr>`s."""
    head = "".join(f'<th scope="col">{text(h)}</th>' for h in header)
    body = "".join(
        row
        if isinstance(row, str)
        else f'<tr><th scope="row">{row[0]}</th>' + "".join(f"<td>{cell}</td>" for cell in row[1:]) + "</tr>"
        for row in rows
    )
    # In a hidden block, not a hidden table: a table grows to fit its cells whatever its width says.
    return (
        f'<div class="visually-hidden"><table><caption>{text(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _figure(svg: str, caption: str, table: str) -> str:
    return f'<figure class="chart-figure">{svg}<figcaption>{text(caption)}</figcaption>{table}</figure>'


# --- price history ---------------------------------------------------------------------------------


def _date_domain(timelines: Sequence[RouteTimeline], today: date) -> tuple[date, date]:
    days = [d for t in timelines for s in t.steps for d in (s.start, s.end) if d is not None]
    low, high = min(days, default=today), max([*days, today])
    if (high - low).days < 14:  # one date, or a few days: room either side so steps show
        low, high = low - timedelta(days=7), high + timedelta(days=7)
    return low, high


def _price_scale(values: list[Decimal], top: float, bottom: float) -> tuple[Scale, list[float], str]:
    positive = [float(v) for v in values if v > 0]
    if positive and min(positive) * LOG_ABOVE < max(positive):
        low, high, ticks = log_ticks(min(positive), max(positive))
        return Scale(low, high, bottom, top, log=True), ticks, "log scale"
    low, high, ticks = linear_ticks(0.0, max([float(v) for v in values], default=1.0) or 1.0, 4)
    return Scale(low, high, bottom, top), ticks, ""


def price_history_svg(timelines: Sequence[RouteTimeline], today: date, *, title: str, id_prefix: str = "ph") -> str:
    """Input and output price of every route over time, one stepped line per route; a dashed line
    marks today when a source already states a later price."""
    prefix = element_id(id_prefix)
    low, high = _date_domain(timelines, today)
    span = (high - low).days
    x = Scale(low.toordinal(), high.toordinal(), LEFT, WIDTH - RIGHT)
    days = {d for t in timelines for s in t.steps for d in (s.start, s.end) if d is not None}
    starts: dict[date | None, str] = {d: fmt(x(d.toordinal())) for d in days}
    ends = {**starts, None: fmt(x(high.toordinal()))}  # no end: in force now (or until the last date drawn)
    starts[None] = fmt(x(low.toordinal()))  # no start: before the records, from the left edge
    top_gap, panel_gap = 22, 44
    body: list[str] = []
    notes = []
    for index, (kind, label) in enumerate((("input", "Input"), ("output", "Output"))):
        top = top_gap + index * (PANEL + panel_gap)
        bottom = top + PANEL
        values = [v for t in timelines for s in t.steps if (v := getattr(s.prices, kind)) is not None]
        y, ticks, scale_note = _price_scale(values, top, bottom)
        heading = f"{label} price, $ per 1M tokens" + (f" ({scale_note})" if scale_note else "")
        if scale_note:
            notes.append(f"{label.lower()} prices on a log scale")
        body.append(f'<text x="{LEFT}" y="{fmt(top - 8)}" font-weight="700">{text(heading)}</text>')
        body += _y_axis(y, ticks, top, bottom, "$", kind)
        body += _x_axis(x, low, high, span, bottom)
        if high > today:
            tx = fmt(x(today.toordinal()))
            body.append(
                f'<line x1="{tx}" x2="{tx}" y1="{fmt(top)}" y2="{fmt(bottom)}" stroke="#6b7280" '
                'stroke-dasharray="3 3"/>'
                f'<text x="{tx}" y="{fmt(top + SIZE)}" text-anchor="middle" fill="#4b5563" font-size="10">today</text>'
            )
        for n, timeline in enumerate(timelines):
            path = _steps_path(timeline, kind, starts, ends, y)
            if path:
                colour, dash = style(n)
                dashed = f' stroke-dasharray="{dash}"' if dash else ""
                body.append(
                    f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{dashed} '
                    f'data-route="{text(timeline.label)}" data-kind="{kind}">'
                    f"<title>{text(timeline.label)}</title></path>"
                )
    legend_top = top_gap + 2 * PANEL + panel_gap + 28
    body += _legend(timelines, legend_top)
    height = legend_top + max(1, (len(timelines) + 1) // 2) * LEGEND_ROW + 8
    changes = sum(len(t.steps) - 1 for t in timelines)
    desc = (
        f"{len(timelines)} routes, {changes} price changes recorded from {low.isoformat()} to {high.isoformat()}"
        + (f"; {'; '.join(notes)}" if notes else "")
        + ". The table after the chart lists every price."
    )
    if not timelines:
        desc = "No recorded prices."
    return _svg(height, title, desc, prefix, body)


def _y_axis(y: Scale, ticks: list[float], top: float, bottom: float, prefix: str = "", panel: str = "") -> list[str]:
    parts = []
    panel_attribute = f' data-panel="{panel}"' if panel else ""
    for tick in ticks:
        ty = fmt(y(tick))
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty}" y2="{ty}" stroke="#e5e7eb"/>'
            f'<text x="{LEFT - 4}" y="{fmt(y(tick) + 4)}" text-anchor="end" fill="#4b5563" '
            f'data-axis="y"{panel_attribute} data-value="{tick!r}">{text(number_label(tick, prefix))}</text>'
        )
    parts.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{fmt(top)}" y2="{fmt(bottom)}" stroke="#9ca3af"/>')
    return parts


def _x_axis(x: Scale, low: date, high: date, span: int, bottom: float) -> list[str]:
    parts = [f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{fmt(bottom)}" y2="{fmt(bottom)}" stroke="#9ca3af"/>']
    ticks = [(d, x(d.toordinal()), date_label(d, span)) for d in date_ticks(low, high, 4)]
    for tick, tx, anchor in spaced_ticks(ticks, SIZE, LEFT, WIDTH):
        parts.append(
            f'<line x1="{fmt(tx)}" x2="{fmt(tx)}" y1="{fmt(bottom)}" y2="{fmt(bottom + 4)}" stroke="#9ca3af"/>'
            f'<text x="{fmt(tx)}" y="{fmt(bottom + 16)}" text-anchor="{anchor}" fill="#4b5563" '
            f'data-axis="x" data-value="{tick.isoformat()}">{date_label(tick, span)}</text>'
        )
    return parts


def _steps_path(
    timeline: RouteTimeline, kind: str, x: dict[date | None, str], end_x: dict[date | None, str], y: Scale
) -> str:
    """`M x y H x V y H x …`: a level per price, a vertical where one price follows the next the same
    day; a gap or an unknown price lifts the pen. `x` and `end_x` hold each date's position, drawn once."""
    parts: list[str] = []
    last_end: str | None = None
    for step in timeline.steps:
        value = step.prices.input if kind == "input" else step.prices.output
        if value is None:
            last_end = None
            continue
        level = fmt(y(float(value)))
        start = x[step.start]
        if last_end is not None and last_end == start:
            parts.append(f"V{level}H{end_x[step.end]}")
        else:
            parts.append(f"M{start} {level}H{end_x[step.end]}")
        last_end = end_x[step.end]
    return "".join(parts)


def _legend(timelines: Sequence[RouteTimeline], top: float) -> list[str]:
    """Two columns of a line sample and the route's name (and source), in drawing order."""
    parts = []
    column = (WIDTH - 8) / 2
    for n, timeline in enumerate(timelines):
        colour, dash = style(n)
        lx = 8 + (n % 2) * column
        ly = top + (n // 2) * LEGEND_ROW
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        name = short(f"{timeline.label} ({timeline.source})", 27)
        parts.append(
            f'<line x1="{fmt(lx)}" x2="{fmt(lx + 22)}" y1="{fmt(ly - 4)}" y2="{fmt(ly - 4)}" stroke="{colour}" '
            f'stroke-width="2"{dashed}/><text x="{fmt(lx + 28)}" y="{fmt(ly)}" font-size="11">{text(name)}</text>'
        )
    return parts


def price_history_figure(
    timelines: Sequence[RouteTimeline], today: date, *, model_name: str, id_prefix: str = "ph"
) -> str:
    """The price history chart with its caption and its data as a visually hidden table."""
    title = f"{model_name}: price history per route"
    svg = price_history_svg(timelines, today, title=title, id_prefix=id_prefix)
    # Each price and date formatted once (they recur across steps and routes). `per_million` writes
    # digits, `$`, `.`, `,`, `/1M` or `—` only: nothing to escape.
    prices: dict[Decimal | None, str] = {}
    days: dict[date | None, str] = {None: "now"}
    rows = []  # one f-string a row: the table of 50 routes × 20 prices has 1,000 of them
    for t in timelines:
        head = f'<tr><th scope="row">{text(t.label)}</th><td>{text(t.source)}</td>'
        for s in t.steps:
            for value in (s.prices.input, s.prices.output):
                if value not in prices:
                    prices[value] = per_million(value)
            for day in (s.start, s.end):
                if day not in days:
                    days[day] = day.isoformat()  # type: ignore[union-attr]
            start = days[s.start] if s.start else "before records"
            rows.append(
                f"{head}<td>{start}</td><td>{days[s.end]}</td>"
                f"<td>{prices[s.prices.input]}</td><td>{prices[s.prices.output]}</td></tr>"
            )
    table = _table(title, ["Route", "Source", "From", "To", "Input", "Output"], rows)
    caption = f"Recorded input and output prices of {model_name}'s routes, per 1M tokens, by date."
    return _figure(svg, caption, table)


# --- quality per dollar ----------------------------------------------------------------------------


def _cost_scale(points: Sequence[QualityPoint], start: float, end: float) -> tuple[Scale, list[float], bool]:
    costs = [float(p.monthly) for p in points if p.monthly is not None]
    positive = [c for c in costs if c > 0]
    if positive and min(positive) * LOG_ABOVE < max(positive):
        low, high, ticks = log_ticks(min(positive), max(positive))
        return Scale(low, high, start, end, log=True), ticks, True
    low, high, ticks = linear_ticks(0.0, max(costs, default=1.0) or 1.0, 4)
    return Scale(low, high, start, end), ticks, False


def quality_svg(chart: QualityChart, *, id_prefix: str = "qc") -> str:
    """Score against monthly cost, one dot per priced model; the Pareto frontier joined and marked,
    cheapest first, exactly through its points."""
    prefix = element_id(id_prefix)
    height, top, bottom = 330.0, 28.0, 282.0
    priced = [p for p in chart.points if p.monthly is not None]
    x, x_ticks, log = _cost_scale(priced, LEFT, WIDTH - RIGHT)
    scores = [float(p.score) for p in priced]
    low, high, y_ticks = linear_ticks(min(scores, default=0.0), max(scores, default=1.0), 5)
    y = Scale(low, high, bottom, top)
    body = [f'<text x="{LEFT}" y="{fmt(top - 12)}" font-weight="700">{text(short(chart.label, 36))}</text>']
    body += _y_axis(y, y_ticks, top, bottom)
    body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" y2="{bottom}" stroke="#9ca3af"/>')
    for tick, tx, anchor in spaced_ticks([(t, x(t), number_label(t, "$")) for t in x_ticks], SIZE, LEFT, WIDTH):
        body.append(
            f'<line x1="{fmt(tx)}" x2="{fmt(tx)}" y1="{bottom}" y2="{bottom + 4}" stroke="#9ca3af"/>'
            f'<text x="{fmt(tx)}" y="{bottom + 16}" text-anchor="{anchor}" fill="#4b5563" '
            f'data-axis="x" data-value="{tick!r}">{text(number_label(tick, "$"))}</text>'
        )
    axis_title = "Monthly cost at your traffic" + (" (log scale)" if log else "")
    body.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2}" y="{bottom + 36}" text-anchor="middle">{text(axis_title)}</text>'
    )
    where = {p.model_id: (x(float(p.monthly)), y(float(p.score))) for p in priced if p.monthly is not None}
    if len(chart.frontier) > 1:
        line = " ".join(f"{fmt(where[m][0])},{fmt(where[m][1])}" for m in chart.frontier)
        body.append(f'<polyline class="frontier" points="{line}" fill="none" stroke="#047857" stroke-width="2"/>')
    taken = Boxes()
    on_frontier = set(chart.frontier)
    for p in sorted(priced, key=lambda p: p.model_id in on_frontier):  # frontier dots drawn last, on top
        cx, cy = where[p.model_id]
        radius = 5.5 if p.model_id in on_frontier else 4.0
        fill = "#047857" if p.model_id in on_frontier else "#9ca3af"
        tip = f"{p.name}: {score_text(p.score)}, {usd(p.monthly)} a month"
        body.append(
            f'<circle cx="{fmt(cx)}" cy="{fmt(cy)}" r="{radius}" fill="{fill}" stroke="#fff" '
            f'data-model="{text(p.model_id)}"><title>{text(tip)}</title></circle>'
        )
        taken.add((cx - radius, cy - radius, cx + radius, cy + radius))
    body += _point_labels(chart, priced, where, taken, (LEFT + 2, top, WIDTH - RIGHT, bottom - 2))
    body.append(
        f'<circle cx="{WIDTH - 100}" cy="{top - 16}" r="5.5" fill="#047857"/>'
        f'<text x="{WIDTH - 91}" y="{top - 12}" font-size="11">Pareto frontier</text>'
    )
    return _svg(height, f"Quality per dollar: {chart.label}", _quality_desc(chart, priced, log), prefix, body)


def _point_labels(
    chart: QualityChart,
    priced: Sequence[QualityPoint],
    where: dict[str, tuple[float, float]],
    taken: Boxes,
    area: Box,
) -> list[str]:
    """Names beside dots: the frontier's first, then the best scores, each where it overlaps no other
    label or dot; a name with no free spot is left to the dot's tooltip and the table."""
    order = [*chart.frontier, *(p.model_id for p in priced if p.model_id not in set(chart.frontier))]
    names = {p.model_id: p.name for p in priced}
    parts = []
    for model_id in order[: len(chart.frontier) + MAX_LABELS]:
        cx, cy = where[model_id]
        label = short(names[model_id], 22)
        spot = place_label(cx, cy, label, 11, taken, area, 5.5)
        if spot is None:
            continue
        lx, ly, anchor = spot
        taken.add(label_box(lx, ly, label, 11, anchor))
        parts.append(
            f'<text x="{fmt(lx)}" y="{fmt(ly)}" text-anchor="{anchor}" font-size="11" '
            f'data-label-for="{text(model_id)}">{text(label)}</text>'
        )
    return parts


def _quality_desc(chart: QualityChart, priced: Sequence[QualityPoint], log: bool) -> str:
    names = {p.model_id: p.name for p in chart.points}
    text_ = f"{len(priced)} models by {chart.metric} against monthly cost" + (" on a log scale" if log else "") + "."
    if chart.frontier:
        text_ += f" Pareto frontier, cheapest first: {', '.join(names[m] for m in chart.frontier)}."
    unpriced = len(chart.points) - len(priced)
    if unpriced:
        text_ += f" {unpriced} models without a price are not drawn."
    return text_ + " The table after the chart lists every model."


def quality_figure(chart: QualityChart, *, id_prefix: str = "qc") -> str:
    """The quality-per-dollar scatter with its caption and its data as a visually hidden table."""
    svg = quality_svg(chart, id_prefix=id_prefix)
    frontier = set(chart.frontier)
    rows = [
        [
            text(p.name),
            text(score_text(p.score)),
            text(usd(p.monthly)) if p.monthly is not None else "no price",
            text(value_text(p.value)),
            "yes" if p.model_id in frontier else UNKNOWN if p.monthly is None else "no",
        ]
        for p in chart.points
    ]
    header = ["Model", "Score", "Monthly cost", "Score per $1k a month", "On the frontier"]
    table = _table(f"Quality per dollar: {chart.label}", header, rows)
    caption = f"{chart.label}: score against monthly cost; the line joins the Pareto frontier."
    return _figure(svg, caption, table)
