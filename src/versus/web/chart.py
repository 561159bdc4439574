"""Monthly cost as horizontal bars with the value written on each: plain HTML, no script, no chart library.

When the costs differ by more than `LOG_ABOVE` times, bar lengths follow a log scale (said in the
caption), so the cheaper model is a bar you can see rather than a line on the axis.
"""

from __future__ import annotations

import math
from decimal import Decimal
from html import escape

from versus.analysis.compare import Comparison
from versus.formats import ratio, usd

LOG_ABOVE = 10
MIN_WIDTH = 2.0  # percent: a bar is never thinner than this, so a tiny cost still shows
VALUE_ROOM = "9rem"  # kept beside the longest bar for its value, so no bar pushes its value off screen


def bar_widths(costs: list[Decimal | None]) -> tuple[list[float | None], bool]:
    """Each cost's bar length in percent of the longest, and whether the scale is logarithmic.

    Log scale: the axis starts at a tenth of the cheapest cost, so the cheapest bar is visibly
    shorter than the dearest and every 10× is the same length."""
    known = [c for c in costs if c is not None]
    top = max(known, default=Decimal(0))
    low = min(known, default=Decimal(0))
    use_log = low > 0 and top / low > LOG_ABOVE
    widths: list[float | None] = []
    for cost in costs:
        if cost is None:
            widths.append(None)
        elif not top:
            widths.append(MIN_WIDTH)
        elif use_log:
            floor = float(low) / 10
            widths.append(max(MIN_WIDTH, 100 * math.log(float(cost) / floor) / math.log(float(top) / floor)))
        else:
            widths.append(max(MIN_WIDTH, 100 * float(cost / top)))
    return widths, use_log


def cost_bars(c: Comparison) -> str:
    """A figure of one bar per model at the profile's traffic, the cheapest marked in words."""
    costs = [m.cost.monthly if m.cost else None for m in c.models]
    widths, use_log = bar_widths(costs)
    items = []
    for m, width in zip(c.models, widths, strict=True):
        name = escape(m.name)
        if width is None or m.cost is None:
            items.append(f'<li><span class="bar-name">{name}</span><span class="bar-none">no known price</span></li>')
            continue
        best = " (cheapest)" if m.id == c.cheapest_monthly and len(c.models) > 1 else ""
        items.append(
            f'<li><span class="bar-name">{name}</span><span class="bar-track">'
            f'<span class="bar{" bar-best" if best else ""}" '
            f'style="width:calc((100% - {VALUE_ROOM}) * {width / 100:.3f})"></span>'
            f'<span class="bar-value">{escape(usd(m.cost.monthly))}{best}</span></span></li>'
        )
    known = [x for x in costs if x is not None]
    caption = "Monthly cost at this traffic"
    if use_log:
        caption += f"; bar lengths on a log scale, as the costs differ by {ratio(max(known) / min(known))}"
    return f'<figure class="bars"><ul>{"".join(items)}</ul><figcaption>{escape(caption)}.</figcaption></figure>'
