"""The reference page's two models as a real catalog file, built from tests/data/reference_pair.yaml."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from versus.catalog.build import Catalog
from versus.catalog.identity import Naming
from versus.catalog.overlay import load_overlay
from versus.catalog.store import CatalogStore
from versus.catalog.types import (
    License,
    Model,
    Offering,
    Openness,
    Provenance,
    Provider,
    Resolution,
    RouteClass,
    RouteKind,
    RoutePrice,
)
from versus.sync.catalog import wanted_stamp

FIXTURE = Path(__file__).parent / "data" / "reference_pair.yaml"
SOURCE = "reference page"


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def reference_catalog(today: date) -> Catalog:
    raw = yaml.safe_load(FIXTURE.read_text())
    day = raw["source_date"]
    providers = {
        pid: Provider(pid, p["name"], RouteClass(p["class"]), source_ids={SOURCE: pid})
        for pid, p in raw["providers"].items()
    }
    models: dict[str, Model] = {}
    offerings: list[Offering] = []
    match_keys: dict[tuple[str, str], str] = {}
    for m in raw["models"]:
        record = Provenance(SOURCE, m["id"], day)
        facts = [k for k in m if k not in ("id", "name", "creator", "routes")]
        models[m["id"]] = Model(
            id=m["id"],
            name=m["name"],
            creator=m["creator"],
            creator_name=m["creator_name"],
            release_date=m["release_date"],
            knowledge_cutoff=str(m["knowledge_cutoff"]),
            context_window=m["context_window"],
            parameters_total_b=_money(m.get("parameters_total_b")),
            architecture=m["architecture"],
            license=License(**m["license"]),
            openness=Openness(m["openness"]),
            commercial_use=m["commercial_use"],
            input_modalities=tuple(m["input_modalities"]),
            output_modalities=("text",),
            capabilities=dict(m["capabilities"]),
            facts={fact: record for fact in facts},
        )
        for r in m["routes"]:
            provenance = Provenance(SOURCE, f"{r['provider']}/{r['id']}", day)
            offerings.append(
                Offering(
                    provider_id=r["provider"],
                    provider_model_id=r["id"],
                    model_id=m["id"],
                    kind=RouteKind.PAY_PER_TOKEN,
                    price=RoutePrice(input=_money(r.get("input")), output=_money(r.get("output"))),
                    resolution=Resolution(m["id"], 1.0, "listed on the reference page"),
                    context_window=m["context_window"],
                    provenance=(provenance,),
                    price_provenance=provenance,
                    route_class=providers[r["provider"]].route_class,
                )
            )
            match_keys[(r["provider"], r["id"])] = r["id"].lower()
    return Catalog(
        models=models,
        providers=providers,
        offerings=offerings,
        sources={SOURCE: day.isoformat()},
        built_on=today,
        overlay_digest="fixture",
        naming=Naming({}, {}),
        tag_rules=load_overlay().tag_rules.model_dump(mode="json"),
        match_keys=match_keys,
        model_keys={mid: (mid.split("/")[1].replace("-", "").replace(".", ""),) for mid in models},
    )


def write_reference_db(path: str, today: date) -> str:
    """A catalog file holding only the reference pair, stamped current so it is not rebuilt."""
    CatalogStore(path).replace_catalog(reference_catalog(today), wanted_stamp())
    return path
