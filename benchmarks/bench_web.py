"""Web speed, each measured beside a peer in the same run on the same machine:

- `versus site build` pages/s for the top-100 site vs Debian's Hugo building 4,950 equivalent
  pages from the same data (this script writes the Hugo content, data and templates itself);
- `/compare/{a}-vs-{b}` requests/s with one worker under wrk (32 connections, 10 s) vs nginx
  serving the same page as a static file;
- a cold (uncached) compare page render, p50.

Run: make bench-web (installs hugo, wrk and nginx-light when missing).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from versus.analysis.traffic import Blend, TrafficProfile
from versus.catalog.local import open_catalog
from versus.catalog.store import CatalogStore
from versus.service import ComparisonService
from versus.site.build import choose_models
from versus.web.pages import compare_context
from versus.web.render import Urls, render

BIN = Path(sys.executable).parent
PAIR = "mistralai/mistral-small-3.1-24b-instruct-vs-openai/gpt-4o-audio-preview"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout: float = 30) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


# --- site build vs Hugo ---------------------------------------------------------------------------

HUGO_COMPARE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<link rel="canonical" href="{{ .Permalink }}"></head><body><main>
{{ $a := index site.Data.models .Params.a }}{{ $b := index site.Data.models .Params.b }}
<h1>{{ $a.name }} vs {{ $b.name }}</h1>
<h2>Specs</h2><table><tr><th>Specification</th><th>{{ $a.name }}</th><th>{{ $b.name }}</th></tr>
<tr><th>Context window</th><td>{{ $a.context }}</td><td>{{ $b.context }}</td></tr>
<tr><th>Released</th><td>{{ $a.released }}</td><td>{{ $b.released }}</td></tr>
<tr><th>License</th><td>{{ $a.license }}</td><td>{{ $b.license }}</td></tr></table>
<h2>Capabilities</h2><table>{{ range $cap, $v := $a.capabilities }}<tr><th>{{ $cap }}</th><td>{{ $v }}</td>
<td>{{ index $b.capabilities $cap }}</td></tr>{{ end }}</table>
<h2>Pricing and availability</h2>
{{ range slice $a $b }}<h3>{{ .name }}: every route</h3><table><tr><th>Provider</th><th>Model id</th><th>Kind</th>
<th>Input</th><th>Output</th></tr>{{ range .routes }}<tr><th>{{ .provider }}</th><td>{{ .id }}</td><td>{{ .kind }}</td>
<td>{{ .input }}</td><td>{{ .output }}</td></tr>{{ end }}</table>{{ end }}
<h2>Continue comparing</h2><ul>{{ range first 6 (where site.RegularPages "Params.a" .Params.a) }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</main></body></html>
"""


def hugo_site(store: CatalogStore, models: list[str], root: Path) -> int:
    """Write a Hugo project holding the same models, routes and pairs; return its compare pages."""
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "data" / "models").mkdir(parents=True)
    (root / "content" / "compare").mkdir(parents=True)
    (root / "hugo.toml").write_text('baseURL = "https://versus.test/"\ndisableKinds = ["taxonomy", "term", "RSS"]\n')
    (root / "layouts" / "_default" / "single.html").write_text(HUGO_COMPARE)
    (root / "layouts" / "_default" / "list.html").write_text("<html><body>{{ .Title }}</body></html>")
    keys = {}
    for model_id in models:
        model = store.model(model_id)
        assert model is not None
        key = re.sub(r"[^a-z0-9]", "_", model_id)
        keys[model_id] = key
        data = {
            "name": model.name,
            "context": model.context_window,
            "released": str(model.release_date),
            "license": model.license.name if model.license else "—",
            "capabilities": {k: str(v) for k, v in model.capabilities.items()},
            "routes": [
                {
                    "provider": o.provider_id,
                    "id": o.provider_model_id,
                    "kind": o.kind.value,
                    "input": str(o.price.input),
                    "output": str(o.price.output),
                }
                for o in store.offerings(model_id)
            ],
        }
        (root / "data" / "models" / f"{key}.json").write_text(json.dumps(data))
    count = 0
    for i, a in enumerate(models):
        for b in models[i + 1 :]:
            name = f"{keys[a]}-vs-{keys[b]}"
            (root / "content" / "compare" / f"{name}.md").write_text(
                f'---\ntitle: "{a} vs {b}"\na: "{keys[a]}"\nb: "{keys[b]}"\n---\n'
            )
            count += 1
    return count


def bench_site(db: Path) -> tuple[float, float, int]:
    store = CatalogStore(db)
    models = choose_models(store, 100)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "versus"
        started = time.perf_counter()
        subprocess.run(
            [str(BIN / "versus"), "--db", str(db), "site", "build", str(out)], check=True, capture_output=True
        )
        ours = time.perf_counter() - started
        hugo_root = Path(tmp) / "hugo"
        pages = hugo_site(store, models, hugo_root)
        started = time.perf_counter()
        subprocess.run(
            ["hugo", "--source", str(hugo_root), "--destination", str(Path(tmp) / "hugo-out"), "--quiet"],
            check=True,
            capture_output=True,
        )
        hugo = time.perf_counter() - started
    return pages / ours, pages / hugo, pages


# --- requests/s vs nginx --------------------------------------------------------------------------


def wrk(url: str) -> tuple[float, str, int]:
    out = subprocess.run(
        ["wrk", "-t2", "-c32", "-d10s", "--latency", url], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    errors = sum(
        int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|errors: connect|read|write|timeout)[: ]+(\d+)", out)
    )
    return rps, p99, errors


def bench_requests(db: Path) -> dict[str, tuple[float, str, int]]:
    port = free_port()
    env = {**os.environ, "VERSUS_DB": str(db)}
    server = subprocess.Popen(
        [str(BIN / "versus"), "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            url = f"http://127.0.0.1:{port}/compare/{PAIR}"
            wait_for(url)
            import httpx

            page = httpx.get(url).content
            results["versus serve (1 worker)"] = wrk(url)
        finally:
            server.terminate()
            server.wait(timeout=10)
        root = Path(tmp) / "www"
        (root / "compare").mkdir(parents=True)
        (root / "compare" / "page.html").write_bytes(page)
        os.chmod(tmp, 0o755)  # nginx's workers run as an unprivileged user and must read the page
        nginx_port = free_port()
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(
            f"worker_processes 1; pid {tmp}/nginx.pid; error_log {tmp}/error.log; daemon off;\n"
            "events { worker_connections 1024; }\n"
            f"http {{ access_log off; client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;\n"
            f"fastcgi_temp_path {tmp}/fcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;\n"
            "default_type text/html; sendfile on;\n"
            f"server {{ listen 127.0.0.1:{nginx_port}; root {root}; }} }}\n"
        )
        nginx = subprocess.Popen(
            ["nginx", "-c", str(conf), "-p", tmp], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            static_url = f"http://127.0.0.1:{nginx_port}/compare/page.html"
            wait_for(static_url)
            results["nginx (1 worker, static file)"] = wrk(static_url)
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)
    return results


# --- cold render ----------------------------------------------------------------------------------


def bench_cold_render(db: Path, samples: int = 200) -> tuple[float, float]:
    store = CatalogStore(db)
    ids = choose_models(store, 100)
    rng = random.Random(1)
    pairs = [sorted(rng.sample(ids, 2)) for _ in range(samples)]
    warm_service = ComparisonService(store)
    urls = Urls()
    timings_warm, timings_cold = [], []
    for pair in pairs:
        started = time.perf_counter()
        render(
            "compare.html",
            **compare_context(warm_service, pair, TrafficProfile(), Blend(), date.today(), urls, live=True),
        )
        timings_warm.append(time.perf_counter() - started)
    for pair in pairs[:40]:
        started = time.perf_counter()
        cold = ComparisonService(CatalogStore(db))
        render("compare.html", **compare_context(cold, pair, TrafficProfile(), Blend(), date.today(), urls, live=True))
        timings_cold.append(time.perf_counter() - started)
    return statistics.median(timings_warm) * 1000, statistics.median(timings_cold) * 1000


def main() -> None:
    for tool in ("hugo", "wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: run `make bench-deps`")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "catalog.sqlite"
        open_catalog(db, today=date.today)
        ours, hugo, pages = bench_site(db)
        print(
            f"site build, top-100 ({pages} compare pages): versus {ours:.0f} pages/s, hugo {hugo:.0f} pages/s, "
            f"ratio {ours / hugo:.2f} (target >= 1)"
        )
        results = bench_requests(db)
        base = results["nginx (1 worker, static file)"][0]
        for name, (rps, p99, errors) in results.items():
            print(f"{name}: {rps:,.0f} req/s, p99 {p99}, {errors} errors, ratio to nginx {rps / base:.2f}")
        warm, cold = bench_cold_render(db)
        print(f"uncached compare page render p50: {warm:.1f} ms (catalog loaded), {cold:.1f} ms (nothing loaded)")


if __name__ == "__main__":
    main()
