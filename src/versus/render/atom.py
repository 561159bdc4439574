"""`versus changes` as an Atom 1.0 feed (RFC 4287): one entry per change, newest first.

An entry's id is a name-based UUID of what changed (kind, model, route, source, date, old and new
prices), so it is the same in every rebuild of the catalog and every build of the site: a feed reader
shows each change once. `updated` is the change's date; the feed's is its newest entry's, so an
unchanged catalog gives a byte-identical feed (and ETag).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from versus.render.markup import text
from versus.render.price_changes import KIND_LABELS, change_summary, change_title

if TYPE_CHECKING:
    from versus.catalog.types import ChangeRow

ATOM = "http://www.w3.org/2005/Atom"
# Fixed forever: changing it would give every entry a new id and re-announce the whole history.
ENTRY_NAMESPACE = uuid.UUID("6f1d3c52-8a0e-5b9e-9a53-2f4c1e7d0b6a")
FEED_TITLE = "llm-versus: what changed in the catalog"
MAX_ENTRIES = 500  # a feed reader wants the recent changes; the page and `versus changes` keep the rest


def entry_id(c: ChangeRow) -> str:
    def prices(p: Mapping[str, object] | None) -> str:
        return "" if p is None else f"{p.get('input')}/{p.get('output')}"

    route = (c.provider or "", c.provider_model_id or "")
    key = "|".join((c.kind, c.model, *route, c.source, c.date.isoformat(), prices(c.old), prices(c.new)))
    return f"urn:uuid:{uuid.uuid5(ENTRY_NAMESPACE, key)}"


def _timestamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def default_model_path(model_id: str) -> str:
    """A model page's path as `versus serve` routes it (`versus site build` adds a trailing slash)."""
    return "/models/" + quote(model_id, safe="/.-_~")


def changes_feed(
    changes: Sequence[ChangeRow],
    *,
    base_url: str,
    model_names: Mapping[str, str],
    provider_names: Mapping[str, str],
    model_path: Callable[[str], str] = default_model_path,
    feed_path: str = "/changes.atom",
    page_path: str = "/changes",
    empty_updated: date | None = None,
    today: date | None = None,
    limit: int = MAX_ENTRIES,
    in_site: Callable[[str], bool] = lambda _id: True,
) -> str:
    """The feed of `changes` (newest first, as `HistoryStore.changes` returns them) served under
    `base_url` (absolute: http or https); entries link to the model's page, or to the changes page
    for a model the catalog no longer has. With `today`, a price a source states for a later date
    waits for that date: an entry is news when it happens. `empty_updated` dates a feed with no entries."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"a feed needs an absolute http(s) base URL, not {base_url!r}")
    base = base_url.rstrip("/")
    if today is not None:
        changes = [c for c in changes if c.date <= today]
    seen: set[str] = set()
    entries: list[str] = []
    for c in changes:
        if len(entries) >= limit:
            break
        identity = entry_id(c)
        if identity in seen:  # the same change recorded twice: one entry
            continue
        seen.add(identity)
        entries.append(_entry(c, identity, base, model_names, provider_names, model_path, page_path, in_site))
    newest = max((c.date for c in changes), default=empty_updated or date(1970, 1, 1))
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="{ATOM}">'
        f"<id>{text(base + feed_path)}</id>"
        f"<title>{text(FEED_TITLE)}</title>"
        "<subtitle>New models, new and removed provider routes, and price changes, newest first.</subtitle>"
        f"<updated>{_timestamp(newest)}</updated>"
        f'<link rel="self" type="application/atom+xml" href="{text(base + feed_path)}"/>'
        f'<link rel="alternate" type="text/html" href="{text(base + page_path)}"/>'
        "<author><name>llm-versus</name></author>"
        "<generator>llm-versus</generator>"
    )
    return head + "".join(entries) + "</feed>\n"


def _entry(
    c: ChangeRow,
    identity: str,
    base: str,
    model_names: Mapping[str, str],
    provider_names: Mapping[str, str],
    model_path: Callable[[str], str],
    page_path: str,
    in_site: Callable[[str], bool],
) -> str:
    name = model_names.get(c.model, c.model)
    provider = provider_names.get(c.provider, c.provider) if c.provider else None
    linked = c.model in model_names and in_site(c.model)
    link = base + (model_path(c.model) if linked else f"{page_path}#{c.date.isoformat()}")
    stamp = _timestamp(c.date)
    return (
        "<entry>"
        f"<id>{identity}</id>"
        f"<title>{text(change_title(c, name, provider))}</title>"
        f"<updated>{stamp}</updated><published>{stamp}</published>"
        f'<link rel="alternate" type="text/html" href="{text(link)}"/>'
        f'<category term="{text(c.kind)}" label="{text(KIND_LABELS.get(c.kind, c.kind))}"/>'
        f"<summary>{text(change_summary(c, name, provider))}</summary>"
        "</entry>"
    )
