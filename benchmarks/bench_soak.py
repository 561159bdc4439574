"""Soak: `versus serve` under wrk for 60 s while `versus rebuild` swaps in a new catalog every 5 s.

Counts every request that was not a 2xx/3xx, socket errors, and the server's memory over the run.
Run: make bench-soak   (needs wrk: make bench-deps).
Target (reliability issue): 0 errors, bounded memory.
"""

from __future__ import annotations

import itertools
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BIN = Path(sys.executable).parent
SECONDS = 60
REBUILD_EVERY = 5.0
TOP = 30  # 435 compare pages, plus model pages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", text)
    return int(match.group(1)) / 1024 if match else 0.0


def main() -> None:
    from versus.services import open_services
    from versus.site.build import choose_models

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "catalog.sqlite"
        ids = sorted(choose_models(open_services(str(db)).catalog, TOP))
        paths = [f"/compare/{a}-vs-{b}" for a, b in itertools.combinations(ids, 2)] + [f"/models/{m}" for m in ids]
        script = Path(tmp) / "random.lua"
        script.write_text(
            "paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n"
            "request = function() return wrk.format('GET', paths[math.random(#paths)]) end\n"
        )
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "versus"), "--db", str(db), "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(600):
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    time.sleep(0.1)
            memory: list[float] = [rss_mb(server.pid)]
            done = threading.Event()

            started_rebuilds: list[subprocess.Popen[bytes]] = []

            def rebuild_loop() -> None:
                """A new `versus rebuild` every 5 s, whether or not the last one finished (they take turns on
                the build lock, as several processes rebuilding one catalog would)."""
                while not done.wait(REBUILD_EVERY):
                    started_rebuilds.append(
                        subprocess.Popen([str(BIN / "versus"), "--db", str(db), "rebuild"], stdout=subprocess.DEVNULL)
                    )

            def sample_memory() -> None:
                while not done.wait(1.0):
                    memory.append(rss_mb(server.pid))

            threads = [threading.Thread(target=rebuild_loop), threading.Thread(target=sample_memory)]
            for thread in threads:
                thread.start()
            wrk = subprocess.run(
                [
                    "wrk",
                    "-t",
                    "2",
                    "-c",
                    "32",
                    "-d",
                    f"{SECONDS}s",
                    "--latency",
                    "-s",
                    str(script),
                    f"http://127.0.0.1:{port}",
                ],
                capture_output=True,
                text=True,
            )
            done.set()
            for thread in threads:
                thread.join()
            rebuilds = [p.wait() for p in started_rebuilds]  # exit codes: all must be 0
        finally:
            server.terminate()
            server.wait(timeout=30)
    output = wrk.stdout
    requests = re.search(r"(\d+) requests in", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: (.*)", output)
    print(output)
    failed = sum(1 for code in rebuilds if code)
    print(
        f"requests: {requests.group(1) if requests else '?'} over {SECONDS} s; {len(rebuilds)} rebuilds started "
        f"every {REBUILD_EVERY:g} s, {failed} failed"
    )
    print(
        f"non-2xx/3xx responses: {non_2xx.group(1) if non_2xx else 0}; socket errors: "
        f"{sockets.group(1) if sockets else 'none'}"
    )
    print(f"server memory (RSS): start {memory[0]:.0f} MB, max {max(memory):.0f} MB, end {memory[-1]:.0f} MB")


if __name__ == "__main__":
    main()
