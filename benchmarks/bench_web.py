"""Web speed, each measured beside a peer in the same run on the same machine, each peer set up as its
own users would set it up:

- `versus site build --top 100` (4,950 compare pages) vs Debian's Hugo building the same pairs with
  the same sections and route tables from the same data, related links precomputed in front matter
  (benchmarks/hugo_peer.py), median of 5 builds each, alternating (file system timings on a shared
  VM vary by ±10 % from run to run);
- `versus serve` (1 worker) under wrk (2 threads, 32 connections, 10 s) requesting random pages among
  all 1,225 compare pages of the top-50 models, starting from a cold page cache, vs nginx (Debian's
  nginx-light, `worker_processes auto`, sendfile) serving the same 1,225 pages as files;
- the uncached compare page render over HTTP (p50 of 200 first requests to distinct pages), and a
  cached one for scale.

Run: make bench-web (installs hugo, wrk and nginx-light when missing).
"""

from __future__ import annotations

import os
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from itertools import combinations
from pathlib import Path

import httpx

import versus as versus_package
from versus.catalog.store import CatalogStore
from versus.services.catalog import CatalogService
from versus.site.build import choose_models
from versus.sync.catalog import open_catalog

sys.path.insert(0, str(Path(__file__).parent))
from hugo_peer import write_hugo_site

BIN = Path(sys.executable).parent
# Both peers run as installed: our bytecode compiled (as pip does for a wheel), not recompiled each run.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
WRK_LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
math.randomseed(os.time() + math.floor(os.clock() * 1e6))
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


# --- site build vs Hugo ---------------------------------------------------------------------------


def bench_site(db: Path, runs: int = 5) -> dict[str, float]:
    store = CatalogStore(db)
    models = choose_models(CatalogService(store), 100)
    ours, hugo, sizes = [], [], {}
    cpu = {"versus": 0.0, "hugo": 0.0}  # user + system seconds of each peer's processes, summed over runs
    with tempfile.TemporaryDirectory() as tmp:
        hugo_root = Path(tmp) / "hugo"
        pages = write_hugo_site(store, models, hugo_root)
        for run in range(runs):
            out = Path(tmp) / f"versus-{run}"
            before = _children_cpu()
            started = time.perf_counter()
            subprocess.run(
                [str(BIN / "versus"), "--db", str(db), "site", "build", str(out), "--top", "100"],
                check=True,
                capture_output=True,
                env=ENV,
            )
            ours.append(time.perf_counter() - started)
            cpu["versus"] += _children_cpu() - before
            hugo_out = Path(tmp) / f"hugo-out-{run}"
            before = _children_cpu()
            started = time.perf_counter()
            subprocess.run(
                ["hugo", "--source", str(hugo_root), "--destination", str(hugo_out), "--quiet"],
                check=True,
                capture_output=True,
            )
            hugo.append(time.perf_counter() - started)
            cpu["hugo"] += _children_cpu() - before
        sizes["versus_mb"] = _size(Path(tmp) / "versus-0") / 1e6
        sizes["hugo_mb"] = _size(Path(tmp) / "hugo-out-0") / 1e6
    return {
        "pages": pages,
        "versus": pages / statistics.median(ours),
        "hugo": pages / statistics.median(hugo),
        "versus_cpu_ms": cpu["versus"] / runs / pages * 1000,
        "hugo_cpu_ms": cpu["hugo"] / runs / pages * 1000,
        **sizes,
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


# --- requests/s vs nginx --------------------------------------------------------------------------


def wrk(base: str, paths_file: Path, seconds: int = 10) -> dict[str, float]:
    script = paths_file.with_suffix(".lua")
    script.write_text(WRK_LUA % paths_file)
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-s", str(script), base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": _millis(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        "p99": _millis(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
        "errors": errors,
    }


def _millis(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        print(f"unreadable wrk latency {text!r}", file=sys.stderr)
        return float("nan")
    return float(found[1]) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[found[2]]


def serve(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "versus"), "--db", str(db), "serve", "--port", str(port), "--workers", "1"],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/robots.txt")  # up, with no compare page rendered yet: the page cache is cold
    return server, base


def bench_requests(db: Path, tmp: Path) -> dict[str, dict[str, float]]:
    store = CatalogStore(db)
    top = choose_models(CatalogService(store), 50)
    paths = [f"/compare/{a}-vs-{b}" for a, b in combinations(sorted(top), 2)]
    paths_file = tmp / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    results = {}
    server, base = serve(db)
    try:
        results["versus serve, cold cache"] = wrk(base, paths_file)
        www = tmp / "www"
        with httpx.Client(base_url=base, timeout=60) as client:
            for path in paths:  # the same pages, as files for nginx
                target = www / path.lstrip("/") / "index.html"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(client.get(path).content)
        results["versus serve, warm cache"] = wrk(base, paths_file)
    finally:
        server.terminate()
        server.wait(timeout=30)
    os.chmod(tmp, 0o755)  # nginx's workers run as an unprivileged user and must read the pages
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"worker_processes auto; pid {tmp}/nginx.pid; error_log {tmp}/error.log; daemon off;\n"
        "events { worker_connections 1024; }\n"
        f"http {{ access_log off; client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;\n"
        f"fastcgi_temp_path {tmp}/fcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;\n"
        "default_type text/html; sendfile on; tcp_nopush on; keepalive_timeout 65;\n"
        f"server {{ listen 127.0.0.1:{port}; root {www}; location / {{ try_files $uri $uri/index.html =404; }} }} }}\n"
    )
    nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(tmp)], stdout=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}{paths[0]}")
        results["nginx, static files"] = wrk(f"http://127.0.0.1:{port}", paths_file)
    finally:
        nginx.terminate()
        nginx.wait(timeout=30)
    return results


# --- uncached render over HTTP --------------------------------------------------------------------


def bench_render_over_http(db: Path, samples: int = 200) -> tuple[float, float]:
    """p50 of the first request to each of `samples` distinct compare pages, then of a second request."""
    store = CatalogStore(db)
    pairs = list(combinations(sorted(choose_models(CatalogService(store), 100)), 2))
    chosen = random.Random(1).sample(pairs, samples)
    server, base = serve(db)
    cold: list[float] = []
    warm: list[float] = []
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for a, b in chosen:
                for timings in (cold, warm):
                    started = time.perf_counter()
                    assert client.get(f"/compare/{a}-vs-{b}").status_code == 200
                    timings.append(time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return statistics.median(cold) * 1000, statistics.median(warm) * 1000


def main() -> None:
    only = sys.argv[1:]  # e.g. `serve` or `site`: run one part only
    for tool in ("hugo", "wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: run `make bench-deps`")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(versus_package.__file__).parent)], env=ENV)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "catalog.sqlite"
        open_catalog(db, today=date.today)
        if not only or "site" in only:
            site = bench_site(db)
            print(
                f"site build, top-100 ({site['pages']:.0f} compare pages), median of 5: versus {site['versus']:.0f} "
                f"pages/s, hugo {site['hugo']:.0f} pages/s, ratio {site['versus'] / site['hugo']:.2f} (target >= 1); "
                f"output {site['versus_mb']:.0f} MB vs hugo {site['hugo_mb']:.0f} MB; CPU per compare page "
                f"versus {site['versus_cpu_ms']:.2f} ms, hugo {site['hugo_cpu_ms']:.2f} ms"
            )
        if not only or "serve" in only:
            results = bench_requests(db, Path(tmp))
            base = results["nginx, static files"]["rps"]
            for name, r in results.items():
                print(
                    f"{name}: {r['rps']:,.0f} req/s, p50 {r['p50']:.2f} ms, p99 {r['p99']:.2f} ms, "
                    f"{r['errors']:.0f} errors, ratio to nginx {r['rps'] / base:.2f}"
                )
            cold, warm = bench_render_over_http(db)
            print(f"compare page over HTTP, p50: {cold:.1f} ms uncached (first request), {warm:.2f} ms cached")


if __name__ == "__main__":
    main()
