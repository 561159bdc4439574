"""The server-drawn SVG charts: well-formed, hostile names inert, the frontier drawn through exactly
`pareto_frontier`'s points, and every dot and step where the axes' own tick labels say it is."""

from __future__ import annotations

import math
import re
import time
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

import pytest

from versus.analysis.price_history import route_timelines
from versus.analysis.quality import QualityChart, Scored, pareto_frontier, quality_chart
from versus.render.charts import price_history_figure, price_history_svg, quality_figure, quality_svg

from .price_intervals import Interval

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert('x')</script> & \"Evil\x01\x1f\" </text><a href='javascript:1'>"
TODAY = date(2026, 11, 27)


def _scored(model_id: str, score: str) -> Scored:
    return Scored(model_id, Decimal(score), None, None, "")


def _chart(costs: dict[str, str | None], scores: dict[str, str], names: dict[str, str] | None = None) -> QualityChart:
    return quality_chart(
        "aider-polyglot overall (Aider)",
        "aider-polyglot",
        "overall",
        "percent correct",
        "Aider",
        [_scored(m, s) for m, s in scores.items()],
        names or {m: m.title() for m in scores},
        {m: Decimal(c) if c is not None else None for m, c in costs.items()},
    )


SPREAD = {  # costs over four decades: a log scale
    "costs": {"a": "12", "b": "150", "c": "900", "d": "4000", "e": "45000", "f": "300", "g": None},
    "scores": {"a": "20", "b": "55", "c": "61.5", "d": "80", "e": "79", "f": "40", "g": "90"},
}
NARROW = {  # costs within 10×: linear from $0
    "costs": {"a": "100", "b": "250", "c": "400", "d": "640"},
    "scores": {"a": "1200", "b": "1290", "c": "1250", "d": "1330"},
}


def _ticks(root: ET.Element, axis: str) -> list[tuple[float, float]]:
    """(value, position) of an axis's tick labels, as drawn (a y label sits 4 units below its line)."""
    return [
        (float(t.attrib["data-value"]), float(t.attrib[axis]) - (4 if axis == "y" else 0))
        for t in root.iter(f"{SVG}text")
        if t.get("data-axis") == axis
    ]


def _inverse(ticks: list[tuple[float, float]], log: bool):  # type: ignore[no-untyped-def]
    """The value at a position, from the first and last tick: what a reader does with a ruler."""
    (v0, p0), (v1, p1) = min(ticks, key=lambda t: t[1]), max(ticks, key=lambda t: t[1])
    f = math.log10 if log else (lambda v: v)

    def value(position: float) -> float:
        share = (position - p0) / (p1 - p0)
        raw = f(v0) + share * (f(v1) - f(v0))
        return 10**raw if log else raw

    return value


@pytest.mark.parametrize(("case", "log"), [(SPREAD, True), (NARROW, False)])
def test_every_dot_is_where_the_axes_say(case: dict, log: bool) -> None:  # type: ignore[type-arg]
    chart = _chart(case["costs"], case["scores"])
    root = ET.fromstring(quality_svg(chart))
    assert ("log scale" in ET.tostring(root, encoding="unicode")) is log
    x_of, y_of = _inverse(_ticks(root, "x"), log), _inverse(_ticks(root, "y"), False)
    dots = {c.attrib["data-model"]: c for c in root.iter(f"{SVG}circle") if "data-model" in c.attrib}
    priced = [p for p in chart.points if p.monthly is not None]
    assert set(dots) == {p.model_id for p in priced}  # the unpriced model is not drawn…
    for p in priced:
        assert x_of(float(dots[p.model_id].attrib["cx"])) == pytest.approx(float(p.monthly), rel=0.01, abs=0.5)  # type: ignore[arg-type]
        assert y_of(float(dots[p.model_id].attrib["cy"])) == pytest.approx(float(p.score), rel=0.01, abs=0.05)
    # …the axes cover the data, and tick labels read as their values.
    xs = [v for v, _ in _ticks(root, "x")]
    assert min(xs) <= min(float(p.monthly) for p in priced) and max(xs) >= max(float(p.monthly) for p in priced)  # type: ignore[arg-type]
    desc = root.find(f"{SVG}desc")
    unpriced = sum(1 for c in case["costs"].values() if c is None)
    assert desc is not None and (f"{unpriced} models without a price" in (desc.text or "")) is bool(unpriced)


def test_the_frontier_is_drawn_through_exactly_its_points() -> None:
    chart = _chart(SPREAD["costs"], SPREAD["scores"])
    expected = pareto_frontier(
        [(p.model_id, p.monthly, p.score) for p in chart.points if p.monthly is not None]  # type: ignore[misc]
    )
    assert chart.frontier == expected == ["a", "b", "c", "d"]
    root = ET.fromstring(quality_svg(chart))
    dots = {
        c.attrib["data-model"]: (c.attrib["cx"], c.attrib["cy"])
        for c in root.iter(f"{SVG}circle")
        if "data-model" in c.attrib
    }
    line = root.find(f"{SVG}polyline[@class='frontier']")
    assert line is not None
    assert [tuple(p.split(",")) for p in line.attrib["points"].split()] == [dots[m] for m in expected]
    marked = {
        c.attrib["data-model"] for c in root.iter(f"{SVG}circle") if c.get("r") == "5.5" and "data-model" in c.attrib
    }
    assert marked == set(expected)
    labelled = {t.attrib["data-label-for"] for t in root.iter(f"{SVG}text") if "data-label-for" in t.attrib}
    assert set(expected) <= labelled  # frontier models are named first


def test_labels_do_not_overlap_each_other_or_leave_the_plot() -> None:
    """Forty models crowded into one corner: the names written never collide; the rest stay in tooltips."""
    scores = {f"m{i:02}": str(50 + (i % 7)) for i in range(40)}
    costs = {m: str(100 + i) for i, m in enumerate(scores)}
    root = ET.fromstring(quality_svg(_chart(costs, scores, {m: f"Model number {m}" for m in scores})))
    boxes = []
    for t in root.iter(f"{SVG}text"):
        if "data-label-for" not in t.attrib:
            continue
        x, y, width = float(t.attrib["x"]), float(t.attrib["y"]), len(t.text or "") * 11 * 0.58
        left = {"start": x, "end": x - width, "middle": x - width / 2}[t.attrib["text-anchor"]]
        boxes.append((left, y - 9, left + width, y + 3))
    assert 3 <= len(boxes) <= 12
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= 400
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_hostile_names_stay_text() -> None:
    chart = _chart({"evil": "10", "b": "500"}, {"evil": "90", "b": "10"}, {"evil": HOSTILE, "b": HOSTILE})
    intervals = [Interval(HOSTILE, HOSTILE, "src<&>", Decimal(1), Decimal(2), None, None)]
    timelines = route_timelines(intervals, {HOSTILE: HOSTILE})
    for markup in (
        quality_svg(chart, id_prefix='x" onload="alert(1)'),
        quality_figure(chart),
        price_history_svg(timelines, TODAY, title=HOSTILE),
        price_history_figure(timelines, TODAY, model_name=HOSTILE),
    ):
        root = ET.fromstring(markup)  # well-formed: the control characters were dropped, markup escaped
        tags = {e.tag.split("}")[-1] for e in root.iter()}
        assert not tags & {"script", "a", "foreignObject"}
        assert "onload" not in {a for e in root.iter() for a in e.attrib}
        assert "<script>alert('x')</script> & \"Evil\" </text>" in "".join(root.itertext())


def _timelines(routes: int, points: int) -> list:  # type: ignore[type-arg]
    start = date(2025, 1, 1)
    intervals = []
    for r in range(routes):
        for p in range(points):
            intervals.append(
                Interval(
                    f"p{r}",
                    f"model-{r}",
                    "openrouter",
                    Decimal(r + 1) / 10 + Decimal(p) / 100,
                    Decimal(r + 1) / 2 + Decimal(p) / 50,
                    start + timedelta(days=15 * p) if p else None,
                    start + timedelta(days=15 * (p + 1)) if p + 1 < points else None,
                )
            )
    return route_timelines(intervals, {f"p{r}": f"Provider {r}" for r in range(routes)})


def test_price_history_steps_are_at_their_prices_and_dates() -> None:
    intervals = [
        Interval(
            "openrouter",
            "z-ai/glm-4.6",
            "openrouter",
            Decimal("0.43"),
            Decimal("1.74"),
            date(2026, 5, 15),
            date(2026, 8, 19),
        ),
        Interval("openrouter", "z-ai/glm-4.6", "openrouter", Decimal("0.5"), Decimal("2"), date(2026, 8, 19), None),
        Interval("z-ai", "glm-4.6", "models-dev", Decimal("0.6"), Decimal("2.2"), None, None),
        # A price a source states for later: drawn past today, today marked.
        Interval("novita", "zai-org/glm-4.6", "genai-prices", Decimal("0.55"), Decimal("2.2"), None, date(2027, 1, 1)),
        Interval("novita", "zai-org/glm-4.6", "genai-prices", Decimal("0.6"), Decimal("2.4"), date(2027, 1, 1), None),
    ]
    timelines = route_timelines(intervals, {"openrouter": "OpenRouter", "z-ai": "Z.ai", "novita": "Novita"})
    assert [t.label for t in timelines] == ["OpenRouter · z-ai/glm-4.6", "Z.ai · glm-4.6", "Novita · zai-org/glm-4.6"]
    root = ET.fromstring(price_history_svg(timelines, TODAY, title="GLM-4.6"))
    assert root.attrib["viewBox"].startswith("0 0 400 ") and root.attrib["width"] == "100%"
    date_ticks = [
        (t.attrib["data-value"], float(t.attrib["x"])) for t in root.iter(f"{SVG}text") if t.get("data-axis") == "x"
    ]
    (d0, x0), (d1, x1) = date_ticks[0], date_ticks[-1]

    def day(x: float) -> date:
        o0, o1 = (
            date.fromisoformat(d0 + ("-01" if len(d0) == 7 else "")).toordinal(),
            date.fromisoformat(d1 + ("-01" if len(d1) == 7 else "")).toordinal(),
        )
        return date.fromordinal(round(o0 + (x - x0) / (x1 - x0) * (o1 - o0)))

    paths = {(p.attrib["data-route"], p.attrib["data-kind"]): p.attrib["d"] for p in root.iter(f"{SVG}path")}
    assert len(paths) == 6  # three routes, input and output
    output = paths[("OpenRouter · z-ai/glm-4.6", "output")]
    moves = re.findall(r"([MVH])([\d.]+)(?: ([\d.]+))?", output)
    assert [m[0] for m in moves] == ["M", "H", "V", "H"]  # one level, a step the day it changed, the next level
    assert day(float(moves[0][1])) == date(2026, 5, 15) and day(float(moves[1][1])) == date(2026, 8, 19)
    output_ticks = [
        (float(t.attrib["data-value"]), float(t.attrib["y"]) - 4)
        for t in root.iter(f"{SVG}text")
        if t.get("data-axis") == "y" and t.get("data-panel") == "output"
    ]
    price = _inverse(output_ticks, False)
    assert price(float(moves[0][2])) == pytest.approx(1.74, abs=0.01)
    assert price(float(moves[2][1])) == pytest.approx(2.0, abs=0.01)
    assert any(t.text == "today" for t in root.iter(f"{SVG}text"))


def test_the_figures_carry_every_value_in_a_hidden_table() -> None:
    chart = _chart(SPREAD["costs"], SPREAD["scores"])
    figure = ET.fromstring(quality_figure(chart))
    table = figure.find("div[@class='visually-hidden']/table")
    assert table is not None
    rows = table.findall("tbody/tr")
    assert [r.find("th").text for r in rows] == [p.name for p in chart.points]  # type: ignore[union-attr]
    assert "no price" in ET.tostring(table, encoding="unicode")
    history = ET.fromstring(price_history_figure(_timelines(3, 4), TODAY, model_name="M"))
    assert len(history.findall("div/table/tbody/tr")) == 12


def test_fifty_routes_of_twenty_prices_draw_in_a_few_milliseconds() -> None:
    """Target 5 ms per chart on a quiet machine; 25 ms here, as the tests share two cores."""
    timelines = _timelines(50, 20)
    scores = {f"m{i}": str(40 + i % 50) for i in range(200)}
    chart = _chart({m: str(10 + 37 * i) for i, m in enumerate(scores)}, scores)
    for draw in (lambda: price_history_figure(timelines, TODAY, model_name="M"), lambda: quality_figure(chart)):
        draw()
        runs = []
        for _ in range(9):
            started = time.perf_counter()
            draw()
            runs.append(time.perf_counter() - started)
        assert sorted(runs)[4] < 0.025
