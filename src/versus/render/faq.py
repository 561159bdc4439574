"""The six FAQ answers of a comparison page, answered from the Comparison's data."""

from __future__ import annotations

from versus.analysis.compare import Comparison
from versus.formats import per_million, tokens, usd
from versus.render.prose import by_blended, cheapest_prices, join, monthly_cost, names, on_basis


def faq(c: Comparison) -> list[tuple[str, str]]:
    either = names(c, "or")
    return [
        (f"Which has a larger context window, {either}?", _faq_context(c)),
        (f"Which is cheaper, {either}?", _faq_cheaper(c)),
        (f"Is {either} open source?", _faq_open(c)),
        (f"Which is better for vision, {either}?", _faq_capability(c, "vision", "vision")),
        (f"Which is better for multimodal input, {either}?", _faq_multimodal(c)),
        (f"Where can I run {names(c)}?", _faq_where(c)),
    ]


def _faq_context(c: Comparison) -> str:
    known = [m for m in c.models if m.context_window]
    unknown = [m.name for m in c.models if not m.context_window]
    text = "; ".join(f"{m.name} supports {tokens(m.context_window)} tokens" for m in known) + "." if known else ""
    if known and len({m.context_window for m in known}) == 1 and len(known) > 1:
        every = "both" if len(known) == 2 else "all"
        window = tokens(known[0].context_window)
        text = f"{join([m.name for m in known])} {every} support {window} tokens, so context length does not decide."
    if unknown:
        text += f" No source lists a context window for {join(unknown)}."
    return (text + " Context matters most for long documents, large codebases and retrieval-heavy agents.").strip()


def _faq_cheaper(c: Comparison) -> str:
    priced = [(m, p) for m in by_blended(c) if (p := cheapest_prices(m))]
    if not priced:
        return "No tracked pay-per-token route lists their prices, so cost cannot be compared."
    text = f"{priced[0][0].name} is cheaper on tracked token pricing at a {c.blend} blend. " if len(priced) > 1 else ""
    text += "; ".join(
        f"{m.name} costs {per_million(p_in)} input and {per_million(p_out)} output" for m, (p_in, p_out) in priced
    )
    text += f" {on_basis(c)}."
    costed = [m for m in c.models if m.cost]
    if costed:
        text += " At your traffic: " + "; ".join(f"{m.name} {usd(monthly_cost(m))} a month" for m in costed) + "."
    return text + " Cache, batch and negotiated discounts can still change the bill."


def _faq_open(c: Comparison) -> str:
    lines = []
    for m in c.models:
        if m.license_name and m.license_name.lower() != "proprietary":
            osi = ", an OSI-approved license" if m.osi_approved else ""
            weights = " with open weights" if m.openness == "open-weights" else ""
            lines.append(f"{m.name} is listed under {m.license_name}{osi}{weights}")
        elif m.license_name:
            lines.append(f"{m.name} is proprietary")
        elif m.openness:
            lines.append(
                f"{m.name} is {'published with open weights' if m.openness == 'open-weights' else 'proprietary'}"
            )
        else:
            lines.append(f"no source lists a license for {m.name}")
    text = "; ".join(lines) + "."
    return (
        text[0].upper()
        + text[1:]
        + (
            " The license decides whether you can self-host, fine-tune or redistribute weights; "
            "confirm it upstream before deployment."
        )
    )


def _faq_capability(c: Comparison, name: str, label: str) -> str:
    yes = [m.name for m in c.models if m.capabilities.get(name) is True]
    no = [m.name for m in c.models if m.capabilities.get(name) is False]
    unknown = [m.name for m in c.models if m.capabilities.get(name) is None]
    parts = []
    if yes and (no or unknown):
        parts.append(f"{join(yes)} {'supports' if len(yes) == 1 else 'support'} {label}")
    elif yes:
        parts.append(f"{'Both' if len(yes) == 2 else 'All of them'} support {label}")
    if no:
        parts.append(f"{join(no)} {'does' if len(no) == 1 else 'do'} not")
    if unknown:
        parts.append(f"no source documents {label} for {join(unknown)}")
    text = "; ".join(parts) + "."
    return (
        text[0].upper()
        + text[1:]
        + (
            " Model-level support and what each provider's API exposes can differ: "
            f"test {label} on the route you will use."
        )
    )


def _faq_multimodal(c: Comparison) -> str:
    lines = [
        f"{m.name} accepts {join(m.input_modalities)}"
        if m.input_modalities
        else f"no source lists input types for {m.name}"
        for m in c.models
    ]
    text = "; ".join(lines) + "."
    return text[0].upper() + text[1:] + " Validate non-text inputs on the exact provider endpoint."


def _faq_where(c: Comparison) -> str:
    lines = []
    for m in c.models:
        if m.providers:
            lines.append(f"{m.name} is available on {join(m.providers)}")
        else:
            lines.append(f"{m.name} has no pay-per-token route in the catalog")
    text = "; ".join(lines) + "."
    if c.shared_providers:
        text += (
            f" {join(c.shared_providers)} {'serves' if len(c.shared_providers) == 1 else 'serve'} every model compared."
        )
    return text + " Provider choice affects latency, regions, compliance and fallback."
