"""A catalog whose source data tries to inject markup: names and ids carrying <script> and onerror."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from versus.catalog.store import CatalogStore
from versus.sync.catalog import wanted_stamp

from .reference_pair import reference_catalog

SCRIPT = "<script>window.__xss=1</script>"
ATTRIBUTE = '"><img src=x onerror="window.__xss=1">'
EVIL_MODEL = f"Evil {SCRIPT} Model"
EVIL_PROVIDER = f"Evil Provider {ATTRIBUTE}"


def write_xss_db(path: str, today: date) -> str:
    catalog = reference_catalog(today)
    gpt = catalog.models["openai/gpt-4o-audio-preview"]
    catalog.models[gpt.id] = replace(gpt, name=EVIL_MODEL, creator_name=ATTRIBUTE, architecture=SCRIPT)
    catalog.providers["openrouter"] = replace(catalog.providers["openrouter"], name=EVIL_PROVIDER)
    CatalogStore(path).replace_catalog(catalog, wanted_stamp())
    return path
