"""The comparison as Markdown: every section of the reference page, from the one Comparison value."""

from __future__ import annotations

from versus.analysis.compare import Comparison
from versus.analysis.evidence import OUTPUT_SPEED
from versus.render import decision, faq, prose, tables
from versus.render.tabledata import TableData

EVIDENCE_SECTION = "Local evidence"  # present when the compared models have local evidence
EVIDENCE_NOTE = (
    f"From your own prompts (`versus run`). Output speed is {OUTPUT_SPEED}; "
    "latency and TTFT count live calls only, never cached answers."
)
ROUTES_NOTE = (
    "Shown: each model's basis route, its cheapest route, routes on providers every model shares and the "
    "cheapest few; every route is on the model's page (`versus routes MODEL`)."
)
SECTIONS = (
    "Decision scorecard",
    "Decision tradeoffs",
    "Monthly cost at traffic",
    "Switch friction",
    "Specs",
    "Pricing and availability",
    "Capabilities",
    "Benchmarks",
    "Deep dive",
    "FAQ",
    "Continue comparing",
    "Last reviewed and sources",
)


def escape(text: str) -> str:
    """Source text is untrusted: no raw HTML, no table breaks, no Markdown links or emphasis."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "\\`*_[]|":
        text = text.replace(char, f"\\{char}")
    return text


def table(data: TableData) -> str:
    """A Markdown table; the cell that wins its row is bold."""

    def row(cells: list[str], index: int = -1) -> str:
        shown = [f"**{escape(c)}**" if data.wins(index, i) else escape(c) for i, c in enumerate(cells)]
        return "| " + " | ".join(shown) + " |"

    align = ["---:" if i in data.numeric else "---" for i in range(len(data.header))]
    body = [row(r, i) for i, r in enumerate(data.rows)]
    return "\n".join([row(data.header), "| " + " | ".join(align) + " |", *body])


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {escape(line)}" for line in lines)


def render_markdown(c: Comparison) -> str:
    out = [f"# {escape(prose.title(c))}", f"**{escape(prose.headline(c))}**", _bullets(decision.glance(c))]
    out += ["## Decision scorecard", table(tables.scorecard(c))]
    out += ["## Decision tradeoffs", _bullets(prose.tradeoffs(c))]
    out += ["## Monthly cost at traffic", escape(prose.profile_sentence(c)), table(tables.profile(c))]
    out += [table(tables.costs(c)), _bullets(prose.cost_lines(c))]
    out += ["## Switch friction", _bullets(prose.friction_lines(c))]
    out += ["## Specs", table(tables.specs(c))]
    out += ["## Pricing and availability", table(tables.pricing(c))]
    for side in c.models:
        routes = tables.key_routes(side, c.shared_providers)
        out += [f"### {escape(routes.title)}", table(routes) if routes.rows else "No pay-per-token routes."]
    out.append(escape(ROUTES_NOTE))
    out += ["## Capabilities", table(tables.capabilities(c))]
    out += ["## Benchmarks", escape(prose.benchmarks_text(c))]
    if (bench := tables.benchmarks(c)) is not None:
        out.append(table(bench))
    if (quality := tables.quality(c)) is not None:
        out += [f"### {escape(quality.title)}", table(quality)]
    if (evidence := tables.evidence(c)) is not None:
        out += [f"## {EVIDENCE_SECTION}", _bullets(prose.evidence_lines(c)), table(evidence), escape(EVIDENCE_NOTE)]
    out += ["## Deep dive", escape(prose.intro(c)), *(escape(p) for p in prose.deep_dive(c))]
    out.append("## FAQ")
    for question, answer in faq.faq(c):
        out += [f"### {escape(question)}", escape(answer)]
    out.append("## Continue comparing")
    related = [
        f"- {escape(' vs '.join(r.names))} ({r.reason}): `versus compare {' '.join(r.model_ids)}`" for r in c.related
    ]
    out.append("\n".join(related) if related else "No related comparisons in the catalog.")
    out += ["## Last reviewed and sources", escape(prose.reviewed_line(c))]
    return "\n\n".join(out) + "\n"
