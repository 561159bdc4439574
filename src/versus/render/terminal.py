"""The comparison in the terminal (Rich): the same sections and tables as the Markdown view."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from versus.analysis.compare import Comparison
from versus.render import decision, faq, prose, tables
from versus.render.markdown import EVIDENCE_NOTE, EVIDENCE_SECTION, ROUTES_NOTE
from versus.render.tabledata import TableData


def _table(data: TableData, titled: bool = False) -> Table:
    table = Table(title=data.title if titled else None, title_justify="left", title_style="bold")
    for index, heading in enumerate(data.header):
        table.add_column(Text(heading), justify="right" if index in data.numeric else "left")
    for r, row in enumerate(data.rows):  # Text, not markup: source strings stay inert; winners bold
        table.add_row(*(Text(cell, style="bold" if data.wins(r, i) else "") for i, cell in enumerate(row)))
    return table


def _section(title: str) -> list[RenderableType]:
    return [Text(""), Rule(Text(title, style="bold"), align="left")]


def _bullets(lines: list[str]) -> list[RenderableType]:
    return [Text(f"• {line}") for line in lines]


def comparison_view(c: Comparison) -> Group:
    """Every section, as one renderable: printed in one call, which is what keeps the CLI fast."""
    out: list[RenderableType] = [Rule(Text(prose.title(c), style="bold")), Text(prose.headline(c), style="bold")]
    out += _bullets(decision.glance(c))
    out += [*_section("Decision scorecard"), _table(tables.scorecard(c))]
    out += [*_section("Decision tradeoffs"), *_bullets(prose.tradeoffs(c))]
    out += [*_section("Monthly cost at traffic"), Text(prose.profile_sentence(c))]
    out += [_table(tables.profile(c)), _table(tables.costs(c)), *_bullets(prose.cost_lines(c))]
    out += [*_section("Switch friction"), *_bullets(prose.friction_lines(c))]
    out += [*_section("Specs"), _table(tables.specs(c))]
    out += [*_section("Pricing and availability"), _table(tables.pricing(c))]
    out += [_table(tables.key_routes(side, c.shared_providers), titled=True) for side in c.models]
    out.append(Text(ROUTES_NOTE))
    out += [*_section("Capabilities"), _table(tables.capabilities(c))]
    out += [*_section("Benchmarks"), Text(prose.benchmarks_text(c))]
    if (bench := tables.benchmarks(c)) is not None:
        out.append(_table(bench))
    if (quality := tables.quality(c)) is not None:
        out.append(_table(quality, titled=True))
    if (evidence := tables.evidence(c)) is not None:
        out += [*_section(EVIDENCE_SECTION), *_bullets(prose.evidence_lines(c)), _table(evidence), Text(EVIDENCE_NOTE)]
    out += [*_section("Deep dive"), Text(prose.intro(c)), Text("")]
    for paragraph in prose.deep_dive(c):
        out += [Text(paragraph), Text("")]
    out += _section("FAQ")
    for question, answer in faq.faq(c):
        out += [Text(question, style="bold"), Text(answer)]
    related = [f"{' vs '.join(r.names)} ({r.reason}): versus compare {' '.join(r.model_ids)}" for r in c.related]
    out += [*_section("Continue comparing"), *_bullets(related)]
    out += [*_section("Last reviewed and sources"), Text(prose.reviewed_line(c))]
    return Group(*out)


def print_comparison(c: Comparison, console: Console | None = None) -> None:
    (console or Console()).print(comparison_view(c))
