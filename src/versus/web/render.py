"""Jinja2 environment and link building shared by `versus serve` and `versus site build`."""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from versus import formats
from versus.render.tabledata import TableData

if TYPE_CHECKING:
    from decimal import Decimal

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


@lru_cache(maxsize=65_536)
def _quoted(path: str) -> str:
    """A page path as a URL path; remembered, as a site links each model and pair from many pages."""
    return "/" + quote(path, safe="/.-_~")


@dataclass(frozen=True)
class Urls:
    """Links for one rendering mode: the live app, or a static site of directories with index.html."""

    static_site: bool = False
    base: str = ""  # absolute origin for canonical links ("" keeps them site-relative)

    def absolute(self, url: str) -> str:
        return self.base + url

    def _page(self, path: str) -> str:
        url = _quoted(path)
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

    def changes(self) -> str:
        return self._page("changes")

    def changes_feed(self) -> str:
        return "/changes.atom"

    def leaderboard(self) -> str:
        return "/leaderboard"

    def pick(self) -> str:
        return "/pick"

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
    opening = [f"<td{_num(i, numeric)}>" for i in range(len(data.header))]  # each column's <td>, made once
    winning = [f'<td class="{_win(i, numeric)}">' for i in range(len(data.header))]
    head = "".join(f'<th scope="col"{_num(i, numeric)}>{_escape(h)}</th>' for i, h in enumerate(data.header))
    won: dict[int, set[int]] = {}  # row -> its winning columns
    for r, i in data.winners:
        won.setdefault(r, set()).add(i)
    rows = []
    for r, row in enumerate(data.rows):
        wins = won.get(r, ())
        cells = [f'<tr><th scope="row">{_escape(row[0])}</th>']
        for i in range(1, len(row)):
            if i in wins:
                cells.append(f"{winning[i]}{_escape(row[i])}{WIN_MARK}</td>")
            else:
                cells.append(f"{opening[i]}{_escape(row[i])}</td>")
        cells.append("</tr>")
        rows.append("".join(cells))
    wrap_id = f' id="{_escape(element_id)}"' if element_id else ""
    label = _escape(data.title)
    return Markup(
        f'<div class="table-wrap" tabindex="0" role="region" aria-label="{label} (scrolls sideways)"{wrap_id}>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def provider_rows(routes: list[dict[str, Any]]) -> Markup:
    """The rows of a provider page's route table, built in Python like `table_html`: a large provider
    lists hundreds of routes, and a site writes every provider's page."""
    rows = []
    for r in routes:
        model = _escape(r["model"])
        if r["model_url"]:
            model = f'<a href="{_escape(r["model_url"])}">{model}</a>'
        rows.append(
            f'<tr><th scope="row">{model}</th><td>{_escape(r["model_id"])}</td><td>{_escape(r["kind"])}</td>'
            f"{_price_cell(r['input'])}{_price_cell(r['output'])}{_context_cell(r['context'])}</tr>\n"
        )
    return Markup("".join(rows))


def model_route_rows(routes: list[dict[str, Any]]) -> Markup:
    """The rows of a model page's route table (every route of the model), built as `provider_rows`."""
    rows = []
    for r in routes:
        flags = "; ".join(f"{f.flag.value}: {f.reason}" for f in r["flags"]) or "—"
        rows.append(
            f'<tr><th scope="row"><a href="{_escape(r["provider_url"])}">{_escape(r["provider"])}</a></th>'
            f"<td>{_escape(r['route_class'])}</td><td>{_escape(r['model_id'])}</td><td>{_escape(r['kind'])}</td>"
            f"{_price_cell(r['input'])}{_price_cell(r['output'])}{_price_cell(r['cache_read'])}"
            f"{_context_cell(r['context'])}<td>{_escape(flags)}</td></tr>\n"
        )
    return Markup("".join(rows))


def _price_cell(price: Decimal | None) -> str:
    """A sortable price cell: the exact value to sort by, the price as shown."""
    return _number_cell("" if price is None else price, formats.per_million(price))


def _context_cell(tokens: int | None) -> str:
    return _number_cell(tokens or "", formats.tokens(tokens))


def _number_cell(value: object, shown: str) -> str:
    return f'<td class="num" data-value="{_escape(value)}">{_escape(shown)}</td>'


def _escape(text: object) -> str:
    """Text for HTML, as a plain string: `&`, `<`, `>`, `"` and `'` escaped, as markupsafe escapes them
    but without a Markup object per cell (a page has hundreds of cells)."""
    return _escape_text(str(text))


try:  # markupsafe's C escaper, ten times html.escape; the standard library's when it is not there
    from markupsafe._speedups import _escape_inner as _escape_text
except ImportError:  # pragma: no cover
    _escape_text = partial(html.escape, quote=True)


# What a winning cell adds after its text: words for a screen reader (the stylesheet adds a star for the eye).
WIN_MARK = '<span class="visually-hidden"> (best)</span>'


def _win(index: int, numeric: set[int]) -> str:
    return "num win" if index in numeric else "win"


def _num(index: int, numeric: set[int]) -> str:
    return ' class="num"' if index in numeric else ""


def bullets(lines: list[str], element_id: str | None = None) -> Markup:
    """A list of sentences; with an id it is one of the parts the calculator re-renders in place."""
    live = f' id="{escape(element_id)}" data-live' if element_id else ""
    return Markup(f'<ul class="bullets"{live}>{"".join(f"<li>{escape(line)}</li>" for line in lines)}</ul>')


CALCULATOR_FIELDS = (
    ("requests", "Requests / month", "e.g. 5M"),
    ("input_tokens", "Input tokens / request", ""),
    ("output_tokens", "Output tokens / request", ""),
    ("cache_hit", "Cache hit", "e.g. 40%"),
    ("batch", "Batch share", ""),
    ("blend", "Blend in:out", ""),
)


def calculator(form: dict[str, Any], action: str, hidden_models: str, live: bool) -> Markup:
    """The traffic calculator: a plain GET form (JavaScript re-prices in place); the field at fault
    marked and the error beside it. Most pages share one form, so its fields are built once per spelling."""
    values = tuple(str(form.get(name) or "") for name, _, _ in CALCULATOR_FIELDS)
    static = "" if live else ' data-static="1"'
    fields = _calculator_fields(values, form.get("field"), form.get("error"), hidden_models)
    label = 'aria-label="Traffic calculator"'
    return Markup(f'<form class="calculator" method="get" action="{escape(action)}"{static} {label}>{fields}')


@lru_cache(maxsize=256)
def _calculator_fields(values: tuple[str, ...], field: str | None, error: str | None, hidden_models: str) -> str:
    """The form after its opening tag (which names the page, so differs on every page of a site)."""
    parts = ['<p class="label">Your traffic</p>']
    if hidden_models:
        parts.append(f'<input type="hidden" name="models" value="{escape(hidden_models)}">')
    parts.append('<div class="fields">')
    for (name, label, hint), value in zip(CALCULATOR_FIELDS, values, strict=True):
        shown_hint = f' <span class="hint">{escape(hint)}</span>' if hint else ""
        invalid = ' aria-invalid="true" aria-describedby="calc-error"' if field == name else ""
        parts.append(
            f'<div class="field"><label for="f-{name}">{escape(label)}{shown_hint}</label>'
            f'<input id="f-{name}" name="{name}" value="{escape(value)}" autocomplete="off"{invalid}></div>'
        )
    hidden = "" if error else " hidden"
    parts.append(
        '</div><button type="submit">Update costs</button>'
        f'<p class="calc-error" id="calc-error" role="alert"{hidden}>{escape(error or "")}</p></form>'
    )
    return "".join(parts)


_JSON = json.JSONEncoder(ensure_ascii=False)  # made once: json.dumps with options makes one per call


def json_ld(data: Any) -> Markup:
    """JSON for a <script type="application/ld+json"> block: `<`, `>` and `&` escaped so source text
    can never close the script element."""
    text = _JSON.encode(data)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


# What `getattr` finds on a plain dict: a key of that name is only reached when the attribute is not one.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(Environment):
    """Jinja's environment, reading `card.name` from a plain dict without raising and catching an
    AttributeError first (page contexts are dicts; a compare page reads some fifty such keys)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES and attribute in obj:
            return obj[attribute]  # what Jinja's lookup ends with, as a dict has no such attribute
        return super().getattr(obj, attribute)


@cache
def environment() -> Environment:
    env = _Environment(
        loader=FileSystemLoader(TEMPLATES),
        auto_reload=False,  # templates ship in the package: no stat() of every template on every render
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
        provider_rows=provider_rows,
        model_route_rows=model_route_rows,
    )
    env.globals.update(bullets=bullets, calculator=calculator)
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
