"""Jinja2 environment and link building shared by `versus serve` and `versus site build`."""

from __future__ import annotations

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
        return "/compare?models=" + quote(",".join(model_ids), safe=",/")

    def model(self, model_id: str) -> str:
        return self._page(f"models/{model_id}")

    def provider(self, provider_id: str) -> str:
        return self._page(f"providers/{provider_id}")

    def asset(self, name: str) -> str:
        return f"/static/{name}"


def table_html(data: TableData, element_id: str | None = None) -> Markup:
    """A TableData as an HTML table (escaped), built in Python: pages hold dozens of tables and a
    Jinja macro per cell costs several times more."""
    numeric = set(data.numeric)
    head = "".join(f'<th scope="col"{_num(i, numeric)}>{escape(h)}</th>' for i, h in enumerate(data.header))
    rows = []
    for row in data.rows:
        cells = [f'<th scope="row">{escape(row[0])}</th>'] + [
            f"<td{_num(i, numeric)}>{escape(cell)}</td>" for i, cell in enumerate(row[1:], start=1)
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    wrap_id = f' id="{escape(element_id)}"' if element_id else ""
    return Markup(
        f'<div class="table-wrap"{wrap_id}><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


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
