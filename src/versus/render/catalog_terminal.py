"""Terminal views of catalog objects (Rich tables)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from versus.catalog.types import CAPABILITIES, CAPABILITY_LABELS, Model, ModelSummary, Offering, Provider
from versus.formats import UNKNOWN, billions, per_million, tokens
from versus.render.catalog import capability_text, provenance_line, route_sort_key


def models_table(models: Sequence[ModelSummary]) -> Table:
    table = Table(title=f"{len(models)} models", title_justify="left")
    for column in ("Model", "Name", "Creator", "Context", "Routes"):
        table.add_column(column, justify="right" if column in ("Context", "Routes") else "left")
    for m in models:
        table.add_row(m.id, m.name, m.creator, tokens(m.context_window), str(m.routes))
    return table


def routes_table(offerings: Sequence[Offering], providers: dict[str, Provider], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    columns = (
        "Provider",
        "Class",
        "Provider model id",
        "Kind",
        "Input",
        "Output",
        "Cache read",
        "Cache write",
        "Context",
    )
    for column in columns:
        table.add_column(
            column, justify="right" if column in ("Input", "Output", "Cache read", "Cache write", "Context") else "left"
        )
    for o in sorted(offerings, key=route_sort_key):
        p = o.price
        notes = [f"{k}={v}" for k, v in sorted(o.attributes.items())]
        notes += [f"{f.flag.value}: {f.reason}" for f in o.flags]
        if p.tiers:
            notes.append(f"tiers above {', '.join(tokens(t.above_tokens) for t in p.tiers)}")
        if p.batch_input is not None:
            notes.append(f"batch {per_million(p.batch_input)} in")
        model_id = Text(o.provider_model_id)
        if notes:
            model_id.append(f"  ({'; '.join(notes)})", style="dim")
        provider = providers.get(o.provider_id)
        table.add_row(
            provider.name if provider else o.provider_id,
            o.route_class.value,
            model_id,
            o.kind.value,
            per_million(p.input),
            per_million(p.output),
            per_million(p.cache_read),
            per_million(p.cache_write),
            tokens(o.context_window),
        )
    return table


def model_view(model: Model, offerings: Sequence[Offering], providers: dict[str, Provider]) -> RenderableType:
    specs = Table(title=f"{model.name}  ({model.id})", title_justify="left", show_header=False)
    specs.add_column("Fact")
    specs.add_column("Value")
    specs.add_column("Source", style="dim")
    license_text = UNKNOWN
    if model.license:
        osi = " (OSI-approved)" if model.license.osi_approved else ""
        license_text = f"{model.license.name}{osi}"
    params = billions(model.parameters_total_b)
    if model.parameters_active_b is not None:
        params += f" total, {billions(model.parameters_active_b)} active"
    rows = [
        ("Creator", model.creator, None),
        ("Family", model.family or UNKNOWN, "family"),
        ("Released", model.release_date.isoformat() if model.release_date else UNKNOWN, "release_date"),
        ("Knowledge cutoff", model.knowledge_cutoff or UNKNOWN, "knowledge_cutoff"),
        ("Context window", tokens(model.context_window), "context_window"),
        ("Max output", tokens(model.max_output), "max_output"),
        ("Parameters", params, "parameters"),
        ("Architecture", model.architecture or UNKNOWN, "architecture"),
        ("License", license_text, "license"),
        ("Openness", model.openness.value if model.openness else UNKNOWN, "openness"),
        ("Commercial use", model.commercial_use or UNKNOWN, "commercial_use"),
        ("Input", ", ".join(model.input_modalities) or UNKNOWN, "input_modalities"),
        ("Output", ", ".join(model.output_modalities) or UNKNOWN, "output_modalities"),
    ]
    for label, value, fact in rows:
        source = model.facts.get(fact) if fact else None
        specs.add_row(label, value, provenance_line(source) if source else "")

    capabilities = Table(title="Capabilities", title_justify="left")
    capabilities.add_column("Capability")
    capabilities.add_column("Supported")
    for name in CAPABILITIES:
        capabilities.add_row(CAPABILITY_LABELS[name], capability_text(model, name))

    parts: list[RenderableType] = [specs, capabilities, routes_table(offerings, providers, f"{len(offerings)} routes")]
    if model.conflicts:
        conflicts = Table(title="Where sources disagree", title_justify="left")
        for column in ("Fact", "Shown", "Rule", "Claims"):
            conflicts.add_column(column)
        for c in model.conflicts:
            values = sorted({str(cl.value) for cl in c.claims})
            conflicts.add_row(c.fact, str(c.chosen), c.rule, f"{len(c.claims)} claims: {', '.join(values)[:80]}")
        parts.append(conflicts)
    return Group(*parts)


def providers_table(providers: Sequence[tuple[Provider, int]]) -> Table:
    table = Table(title=f"{len(providers)} providers", title_justify="left")
    for column in ("Provider", "Name", "Class", "Routes are", "Routes"):
        table.add_column(column, justify="right" if column == "Routes" else "left")
    for p, routes in providers:
        table.add_row(p.id, p.name, p.route_class.value, p.route_kind.value, str(routes))
    return table
