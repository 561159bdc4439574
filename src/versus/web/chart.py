"""An inline SVG of monthly cost against monthly requests: no script, no network, no chart library."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from versus.analysis.compare import Comparison
from versus.formats import usd

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40
COLORS = ("#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#4b5563")


def _requests_label(n: Decimal) -> str:
    value = float(n)
    for unit, size in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if value >= size:
            return f"{value / size:g}{unit}"
    return f"{value:g}"


def cost_chart(c: Comparison) -> str:
    """Each priced model's monthly cost from 0 to twice the profile's requests (cost is linear in
    requests at a fixed per-request mix); the profile's own traffic is marked."""
    costed = [(i, m) for i, m in enumerate(c.models) if m.cost]
    requests = Decimal(max(c.profile.requests, 1))
    x_max = requests * 2
    y_max = max((m.cost.per_request * x_max for _, m in costed if m.cost), default=Decimal(0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(v: Decimal) -> float:
        return LEFT + float(v / x_max) * plot_w

    def y(v: Decimal) -> float:
        return TOP + plot_h - (float(v / y_max) * plot_h if y_max else 0.0)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" xmlns="http://www.w3.org/2000/svg" '
        'aria-labelledby="chart-title">',
        '<title id="chart-title">Monthly cost against monthly requests</title>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" class="axis"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" class="axis"/>',
    ]
    for step in range(5):
        value = x_max * step / 4
        parts.append(
            f'<text x="{x(value):.1f}" y="{HEIGHT - 20}" text-anchor="middle" class="tick">'
            f"{_requests_label(value)}</text>"
        )
        if y_max:
            cost = y_max * step / 4
            parts.append(
                f'<text x="{LEFT - 6}" y="{y(cost) + 4:.1f}" text-anchor="end" class="tick">{escape(usd(cost))}</text>'
            )
            parts.append(f'<line x1="{LEFT}" y1="{y(cost):.1f}" x2="{LEFT + plot_w}" y2="{y(cost):.1f}" class="grid"/>')
    parts.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 4}" text-anchor="middle" class="label">'
        "requests per month</text>"
    )
    parts.append(f'<line x1="{x(requests):.1f}" y1="{TOP}" x2="{x(requests):.1f}" y2="{TOP + plot_h}" class="marker"/>')
    for index, model in costed:
        assert model.cost is not None
        color = COLORS[index % len(COLORS)]
        end = model.cost.per_request * x_max
        parts.append(
            f'<line x1="{x(Decimal(0)):.1f}" y1="{y(Decimal(0)):.1f}" x2="{x(x_max):.1f}" y2="{y(end):.1f}" '
            f'stroke="{color}" class="series"><title>{escape(model.name)}</title></line>'
        )
        parts.append(
            f'<circle cx="{x(requests):.1f}" cy="{y(model.cost.monthly):.1f}" r="4" fill="{color}">'
            f"<title>{escape(model.name)}: {escape(usd(model.cost.monthly))} a month</title></circle>"
        )
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="swatch" style="background:{COLORS[i % len(COLORS)]}"></span>{escape(m.name)}</li>'
        for i, m in costed
    )
    return "".join(parts) + f'<ul class="legend">{legend}</ul>'
