"""Jinja2 environment and link building shared by `versus serve` and `versus site build`."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from versus import formats
from versus.render.tabledata import TableData

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


@cache
def asset_version(name: str) -> str:
    """The first 10 hex digits of a static file's SHA-256."""
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]


def versioned_name(name: str) -> str:
    """`site.css` -> `site.0123456789.css`: the file name a static site writes the asset under."""
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{asset_version(name)}{dot}{ext}"


def pair_path(model_ids: list[str]) -> str:
    """The canonical compare path of two models: ids in sorted order, joined by `-vs-`."""
    return "-vs-".join(sorted(model_ids))


def is_canonical_pair(model_ids: list[str]) -> bool:
    return model_ids == sorted(model_ids)


@dataclass(frozen=True)
class Urls:
    """Links for one rendering mode: the live app, or a static site of directories with index.html."""

    static_site: bool = False
    base: str = ""  # absolute origin for canonical links ("" keeps them site-relative)

    def absolute(self, url: str) -> str:
        return self.base + url

    def _page(self, path: str) -> str:
        url = "/" + quote(path, safe="/.-_~")
        return url + "/" if self.static_site and not url.endswith("/") else url

    def home(self) -> str:
        return "/"

    def compare(self, model_ids: list[str]) -> str:
        if len(model_ids) == 2:
            return self._page(f"compare/{pair_path(model_ids)}")
        # One URL per set of models: ids in sorted order, as for pairs.
        return "/compare?models=" + quote(",".join(sorted(model_ids)), safe=",/")

    def model(self, model_id: str) -> str:
        return self._page(f"models/{model_id}")

    def provider(self, provider_id: str) -> str:
        return self._page(f"providers/{provider_id}")

    def asset(self, name: str) -> str:
        """A static file's URL, versioned by its content so it can be cached for a year: a new file is a new URL."""
        if self.static_site:
            return "/static/" + versioned_name(name)
        return f"/static/{name}?v={asset_version(name)}"


def table_html(data: TableData, element_id: str | None = None) -> Markup:
    """A TableData as an HTML table (escaped), built in Python: pages hold dozens of tables and a
    Jinja macro per cell costs several times more. The table scrolls inside a region a keyboard can
    reach (its first column stays put); the cell that wins its row is marked by a star and words, not
    by colour alone."""
    numeric = set(data.numeric)
    head = "".join(f'<th scope="col"{_num(i, numeric)}>{escape(h)}</th>' for i, h in enumerate(data.header))
    rows = []
    for r, row in enumerate(data.rows):
        cells = [f'<th scope="row">{escape(row[0])}</th>']
        for i, cell in enumerate(row[1:], start=1):
            if data.wins(r, i):
                cells.append(f'<td class="{_win(i, numeric)}">{escape(cell)}{WIN_MARK}</td>')
            else:
                cells.append(f"<td{_num(i, numeric)}>{escape(cell)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    wrap_id = f' id="{escape(element_id)}"' if element_id else ""
    label = escape(data.title)
    return Markup(
        f'<div class="table-wrap" tabindex="0" role="region" aria-label="{label} (scrolls sideways)"{wrap_id}>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


# What a winning cell adds after its text: a star for the eye, words for a screen reader.
WIN_MARK = '<span class="win-mark" aria-hidden="true"> ★</span><span class="visually-hidden"> (best)</span>'


def _win(index: int, numeric: set[int]) -> str:
    return "num win" if index in numeric else "win"


def _num(index: int, numeric: set[int]) -> str:
    return ' class="num"' if index in numeric else ""


def json_ld(data: Any) -> Markup:
    """JSON for a <script type="application/ld+json"> block: `<`, `>` and `&` escaped so source text
    can never close the script element."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "xml", "svg"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        usd=formats.usd,
        per_million=formats.per_million,
        tokens=formats.tokens,
        ratio=formats.ratio,
        yes_no=formats.yes_no,
        json_ld=json_ld,
        table=table_html,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
