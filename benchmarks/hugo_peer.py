# ruff: noqa: E501  (the Hugo template is HTML, one line per row)
"""The Hugo peer of `versus site build`: a Hugo project holding the same pairs, set up as a Hugo user would.

Each model's facts, capabilities, prices and every route (basis first, then by price) are a data file;
each pair is a content file whose front matter carries its related links, computed once beforehand the
way a Hugo user would precompute them (a scan of every page for every page is O(N²)). The template
renders the sections a versus compare page has — decision cards with the monthly cost at the reference
traffic, differences, calculator form, scorecard, costs, specs, pricing with the routes that matter
(basis and cheapest few, plus routes on shared providers), capabilities, FAQ with JSON-LD, continue
comparing and sources — computing costs, ratios and sentences in the template, as Hugo does its work.
"""

from __future__ import annotations

import json
import re
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

from versus.analysis.related import related_comparisons
from versus.analysis.traffic import Blend, TrafficProfile
from versus.catalog.store import CatalogStore
from versus.catalog.types import CAPABILITIES, CAPABILITY_LABELS
from versus.formats import per_million, tokens
from versus.render.catalog import route_sort_key
from versus.services.comparison import ComparisonService

TEMPLATE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{{ $a := index site.Data.models .Params.a }}{{ $b := index site.Data.models .Params.b }}
{{ $ca := add (mul 800 $a.basis_in) (mul 250 $a.basis_out) }}{{ $cb := add (mul 800 $b.basis_in) (mul 250 $b.basis_out) }}
{{ $low := cond (lt $ca $cb) $ca $cb }}{{ $cheap := cond (lt $ca $cb) $a $b }}{{ $dear := cond (lt $ca $cb) $b $a }}
<title>{{ $a.name }} vs {{ $b.name }} · llm-versus</title>
<meta name="description" content="Monthly cost at 1,000,000 requests: {{ $a.name }} ${{ lang.FormatNumber 0 $ca }}; {{ $b.name }} ${{ lang.FormatNumber 0 $cb }}.">
<link rel="canonical" href="{{ .Permalink }}"><meta property="og:title" content="{{ $a.name }} vs {{ $b.name }}">
<link rel="stylesheet" href="/static/site.css">
{{ $faq := slice
  (dict "q" (printf "Which has a larger context window, %s or %s?" $a.name $b.name) "a" (printf "%s supports %s tokens; %s supports %s tokens." $a.name $a.context_text $b.name $b.context_text))
  (dict "q" (printf "Which is cheaper, %s or %s?" $a.name $b.name) "a" (printf "%s is cheaper at your traffic: %s $%s a month; %s $%s a month." $cheap.name $a.name (lang.FormatNumber 0 $ca) $b.name (lang.FormatNumber 0 $cb)))
  (dict "q" (printf "Is %s or %s open source?" $a.name $b.name) "a" (printf "%s is listed under %s; %s is listed under %s." $a.name $a.license $b.name $b.license))
  (dict "q" (printf "Which is better for vision, %s or %s?" $a.name $b.name) "a" (printf "%s: %s; %s: %s." $a.name $a.cap_map.vision $b.name $b.cap_map.vision))
  (dict "q" (printf "Which is better for multimodal input, %s or %s?" $a.name $b.name) "a" (printf "%s accepts %s; %s accepts %s." $a.name $a.inputs $b.name $b.inputs))
  (dict "q" (printf "Where can I run %s and %s?" $a.name $b.name) "a" (printf "%s is available on %s; %s is available on %s." $a.name (delimit $a.providers ", ") $b.name (delimit $b.providers ", ")))
}}
<script type="application/ld+json">{{ $ld := slice }}{{ range $faq }}{{ $ld = $ld | append (dict "@type" "Question" "name" .q "acceptedAnswer" (dict "@type" "Answer" "text" .a)) }}{{ end }}{{ dict "@context" "https://schema.org" "@type" "FAQPage" "mainEntity" $ld | jsonify | safeJS }}</script>
</head><body><a class="skip" href="#main">Skip to content</a><header class="top"><a href="/">llm-versus</a>
<form action="/" method="get" role="search"><input name="q" type="search" aria-label="Search models"></form></header>
<main id="main"><article>
<h1><a href="/models/{{ .Params.a }}/">{{ $a.name }}</a> vs <a href="/models/{{ .Params.b }}/">{{ $b.name }}</a></h1>
<p class="headline">{{ $cheap.name }} costs ${{ lang.FormatNumber 0 $low }} a month at your traffic, {{ $dear.name }} {{ lang.FormatNumber 1 (div (cond (lt $ca $cb) $cb $ca) (cond (gt $low 0) $low 1)) }}× as much.</p>
<div class="decision"><div class="cards">
{{ range slice (dict "m" $a "c" $ca) (dict "m" $b "c" $cb) }}<div class="card"><p><a href="/models/{{ .m.key }}/">{{ .m.name }}</a></p>
<p><strong>${{ lang.FormatNumber 0 .c }}</strong> a month</p><p>{{ if eq .c $low }}cheapest{{ else }}{{ lang.FormatNumber 1 (div .c (cond (gt $low 0) $low 1)) }}× the cheapest{{ end }}</p>
<dl><dt>Priced on</dt><dd>{{ .m.basis_provider }}</dd><dt>Cheapest route</dt><dd>{{ .m.cheapest_text }}</dd></dl></div>{{ end }}
</div><ul>{{ range $i, $cap := $a.capabilities }}{{ $other := index $b.capabilities $i }}{{ if ne $cap.value $other.value }}<li>{{ $cap.label }}: {{ $a.name }} {{ $cap.value }}, {{ $b.name }} {{ $other.value }}</li>{{ end }}{{ end }}</ul>
<form class="calculator" method="get" action="{{ .RelPermalink }}#monthly-cost-at-traffic">
{{ range slice "requests" "input_tokens" "output_tokens" "cache_hit" "batch" "blend" }}<label>{{ . }} <input name="{{ . }}"></label>{{ end }}<button>Update costs</button></form></div>
<section id="decision-scorecard"><h2>Decision scorecard</h2><table><tr><th>Signal</th><th>{{ $a.name }}</th><th>{{ $b.name }}</th></tr>
<tr><th>Best for</th><td>{{ $a.best_for }}</td><td>{{ $b.best_for }}</td></tr>
<tr><th>Decision fit</th><td>{{ $a.tags }}</td><td>{{ $b.tags }}</td></tr>
<tr><th>Context window</th><td>{{ $a.context_text }}</td><td>{{ $b.context_text }}</td></tr>
<tr><th>Output price</th><td>{{ $a.output_text }}</td><td>{{ $b.output_text }}</td></tr>
<tr><th>Monthly cost</th><td>${{ lang.FormatNumber 0 $ca }}</td><td>${{ lang.FormatNumber 0 $cb }}</td></tr>
<tr><th>Provider routes</th><td>{{ $a.route_count }}</td><td>{{ $b.route_count }}</td></tr></table></section>
<section id="decision-tradeoffs"><h2>Decision tradeoffs</h2><ul><li>{{ $cheap.name }} has the lowest monthly cost.</li>
<li>{{ cond (gt $a.route_count $b.route_count) $a.name $b.name }} has the broadest provider coverage.</li>
<li>Decision rules tag {{ $a.name }} for {{ $a.tags }}.</li><li>Decision rules tag {{ $b.name }} for {{ $b.tags }}.</li></ul></section>
<section id="monthly-cost-at-traffic"><h2>Monthly cost at traffic</h2><p>1,000,000 requests a month × 800 input + 250 output tokens.</p>
<ul class="bars"><li>{{ $a.name }} ${{ lang.FormatNumber 0 $ca }}</li><li>{{ $b.name }} ${{ lang.FormatNumber 0 $cb }}</li></ul>
<table><tr><th>Model</th><th>Priced on</th><th>Monthly cost</th><th>Gap vs cheapest</th><th>× cheapest</th><th>Cheapest route</th></tr>
{{ range slice (dict "m" $a "c" $ca) (dict "m" $b "c" $cb) }}<tr><th>{{ .m.name }}</th><td>{{ .m.basis_provider }}</td><td>${{ lang.FormatNumber 0 .c }}</td><td>${{ lang.FormatNumber 0 (sub .c $low) }}</td><td>{{ lang.FormatNumber 1 (div .c (cond (gt $low 0) $low 1)) }}×</td><td>{{ .m.cheapest_text }}</td></tr>{{ end }}</table>
<ul><li>Estimated monthly gap: ${{ lang.FormatNumber 0 (sub (cond (lt $ca $cb) $cb $ca) $low) }} ({{ $dear.name }} over {{ $cheap.name }}).</li></ul></section>
<section id="switch-friction"><h2>Switch friction</h2>{{ $shared := intersect $a.providers $b.providers }}<ul>
<li>{{ $a.name }} → {{ $b.name }}: {{ with $shared }}start route-level A/B tests on {{ delimit . ", " }}.{{ else }}no provider serves both.{{ end }}</li>
<li>{{ $b.name }} → {{ $a.name }}: {{ with $shared }}start route-level A/B tests on {{ delimit . ", " }}.{{ else }}no provider serves both.{{ end }}</li></ul></section>
<section id="specs"><h2>Specs</h2><table><tr><th>Specification</th><th>{{ $a.name }}</th><th>{{ $b.name }}</th></tr>
{{ range slice "released" "context_text" "max_output_text" "params" "arch" "license" "openness" "commercial" "cutoff" }}<tr><th>{{ . }}</th><td>{{ index $a . }}</td><td>{{ index $b . }}</td></tr>{{ end }}</table></section>
<section id="pricing-and-availability"><h2>Pricing and availability</h2><table><tr><th>Pricing</th><th>{{ $a.name }}</th><th>{{ $b.name }}</th></tr>
<tr><th>Input price</th><td>{{ $a.input_text }}</td><td>{{ $b.input_text }}</td></tr><tr><th>Output price</th><td>{{ $a.output_text }}</td><td>{{ $b.output_text }}</td></tr>
<tr><th>Blended price (70:30)</th><td>${{ lang.FormatNumber 2 (add (mul 0.7 $a.basis_in) (mul 0.3 $a.basis_out)) }}/1M</td><td>${{ lang.FormatNumber 2 (add (mul 0.7 $b.basis_in) (mul 0.3 $b.basis_out)) }}/1M</td></tr></table>
{{ range slice $a $b }}{{ $m := . }}{{ $key := (first 6 .routes) | append (first 3 (where (after 6 .routes) "provider" "in" $shared)) }}
<h3>{{ .name }}: {{ len $key }} of {{ .route_count }} routes</h3><table><tr><th>Provider</th><th>Class</th><th>Model id</th><th>Kind</th><th>Input</th><th>Output</th><th>Cache read</th><th>Cache write</th><th>Batch in/out</th><th>Context</th><th>Flags</th></tr>
{{ range $key }}<tr><th>{{ .provider }}</th><td>{{ .class }}</td><td>{{ .id }}</td><td>{{ .kind }}</td><td>{{ .input }}</td><td>{{ .output }}</td><td>{{ .cache_read }}</td><td>{{ .cache_write }}</td><td>{{ .batch }}</td><td>{{ .context }}</td><td>{{ .flags }}</td></tr>{{ end }}</table>
<p><a href="/models/{{ $m.key }}/#routes">All {{ $m.route_count }} routes of {{ $m.name }}</a></p>{{ end }}</section>
<section id="capabilities"><h2>Capabilities</h2><table><tr><th>Capability</th><th>{{ $a.name }}</th><th>{{ $b.name }}</th></tr>
{{ range $i, $cap := $a.capabilities }}<tr><th>{{ $cap.label }}</th><td>{{ $cap.value }}</td><td>{{ (index $b.capabilities $i).value }}</td></tr>{{ end }}</table></section>
<section id="benchmarks"><h2>Benchmarks</h2><p>No shared benchmark scores are available for {{ $a.name }} and {{ $b.name }}.</p></section>
<section id="deep-dive"><h2>Deep dive</h2><p>{{ $a.name }} ({{ $a.released }}) and {{ $b.name }} ({{ $b.released }}) are models from {{ $a.creator }} and {{ $b.creator }}.</p>
<p>For cost, {{ $a.name }} lists {{ $a.input_text }} input and {{ $a.output_text }} output; {{ $b.name }} lists {{ $b.input_text }} input and {{ $b.output_text }} output.</p>
<p>Pay-per-token routes: {{ $a.name }} {{ $a.route_count }} and {{ $b.name }} {{ $b.route_count }}.</p></section>
<section id="faq"><h2>FAQ</h2>{{ range $faq }}<h3>{{ .q }}</h3><p>{{ .a }}</p>{{ end }}</section>
<section id="continue-comparing"><h2>Continue comparing</h2><ul>{{ range .Params.related }}<li><a href="{{ .url }}">{{ .title }}</a> <span>{{ .reason }}</span></li>{{ end }}</ul></section>
<section id="last-reviewed-and-sources"><h2>Last reviewed and sources</h2><p>Data: models.dev and genai-prices.</p></section>
</article></main><script src="/static/app.js" defer></script></body></html>
"""


YES_NO = {True: "Yes", False: "No", None: "Unknown"}


def _key(model_id: str) -> str:
    return re.sub(r"[^a-z0-9]", "_", model_id)


def model_data(service: ComparisonService, model_id: str, other: str) -> dict[str, Any]:
    """What the Hugo template reads about one model: the same facts and prices a versus page shows."""
    model = service.store.model(model_id)
    assert model is not None
    offerings = service.model_input(model_id).offerings
    providers = service.providers
    basis = service.basis_route(model_id)
    ordered = sorted(offerings, key=route_sort_key)
    if basis is not None:
        ordered = [basis] + [o for o in ordered if o is not basis]
    paid = [o for o in ordered if o.is_pay_per_token]
    side = service.compare([model_id, other], TrafficProfile(), Blend(), date.today()).side(model_id)
    cheapest = side.cheapest_route
    return {
        "key": _key(model_id),
        "name": model.name,
        "creator": model.creator_name or model.creator,
        "released": str(model.release_date or "—"),
        "context_text": tokens(model.context_window),
        "max_output_text": tokens(model.max_output),
        "params": f"{model.parameters_total_b}B" if model.parameters_total_b else "—",
        "arch": model.architecture or "—",
        "license": model.license.name if model.license else "—",
        "openness": model.openness.value if model.openness else "—",
        "commercial": model.commercial_use or "—",
        "cutoff": model.knowledge_cutoff or "—",
        "inputs": ", ".join(model.input_modalities) or "text",
        "capabilities": [
            {"label": CAPABILITY_LABELS[c], "value": YES_NO[model.capabilities.get(c)]} for c in CAPABILITIES
        ],
        "cap_map": {c: YES_NO[model.capabilities.get(c)] for c in CAPABILITIES},
        "providers": list(dict.fromkeys(providers[o.provider_id].name for o in paid)),
        "route_count": len(paid),
        "routes": [
            {
                "provider": providers[o.provider_id].name,
                "class": o.route_class.value,
                "id": o.provider_model_id,
                "kind": o.kind.value,
                "input": per_million(o.price.input),
                "output": per_million(o.price.output),
                "cache_read": per_million(o.price.cache_read),
                "cache_write": per_million(o.price.cache_write),
                "batch": f"{per_million(o.price.batch_input)} / {per_million(o.price.batch_output)}",
                "context": tokens(o.context_window),
                "flags": "; ".join(f"{f.flag.value}: {f.reason}" for f in o.flags) or "—",
            }
            for o in ordered
        ],
        "basis_provider": f"{providers[basis.provider_id].name} ({basis.route_class.value})" if basis else "—",
        "basis_in": float(basis.price.input or 0) if basis else 0.0,
        "basis_out": float(basis.price.output or 0) if basis else 0.0,
        "input_text": per_million(basis.price.input) if basis else "—",
        "output_text": per_million(basis.price.output) if basis else "—",
        "cheapest_text": (
            f"via {cheapest.route.provider_name}" if cheapest and not cheapest.route.is_basis else "the basis route"
        ),
        "best_for": side.best_for.label,
        "tags": ", ".join(t.label for t in side.tags) or "—",
    }


def write_hugo_site(store: CatalogStore, models: list[str], root: Path) -> int:
    """Write the Hugo project for every pair of `models`; return its number of compare pages."""
    service = ComparisonService(store)
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "data" / "models").mkdir(parents=True)
    (root / "content" / "compare").mkdir(parents=True)
    (root / "hugo.toml").write_text(
        'baseURL = "https://versus.test/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
    )
    (root / "layouts" / "_default" / "single.html").write_text(TEMPLATE)
    (root / "layouts" / "_default" / "list.html").write_text("<html><body>{{ .Title }}</body></html>")
    names = {}
    for model_id in models:
        data = model_data(service, model_id, next(m for m in models if m != model_id))
        names[model_id] = data["name"]
        (root / "data" / "models" / f"{_key(model_id)}.json").write_text(json.dumps(data))
    count = 0
    for a, b in combinations(sorted(models), 2):
        related = [
            {
                "title": " vs ".join(r.names),
                "url": f"/compare/{_key(r.model_ids[0])}-vs-{_key(r.model_ids[1])}/",
                "reason": r.reason,
            }
            for r in related_comparisons([a, b], service.candidates)
            if all(i in names for i in r.model_ids)
        ]
        front = {"title": f"{names[a]} vs {names[b]}", "a": _key(a), "b": _key(b), "related": related}
        (root / "content" / "compare" / f"{_key(a)}-vs-{_key(b)}.md").write_text(
            "---\n" + json.dumps(front) + "\n---\n"
        )
        count += 1
    return count
