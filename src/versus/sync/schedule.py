"""`versus serve --sync-every DURATION`: `versus sync` of every source, run by a thread of the serving
process at a fixed rate, first at start.

One thread runs one sync at a time: a sync that outlasts the interval delays the next one to the next
tick after it ends, and the ticks it overran are skipped, never queued. Whatever a sync reports or
raises is logged to stderr and the loop goes on: a failing source, a refused payload or a bug in a
sync never stops the server. The app picks up each new catalog by itself (`web.live`).
"""

from __future__ import annotations

import math
import re
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from versus.sync.run import SyncReport

MIN_INTERVAL = 60.0  # seconds: sources are public services, and a rebuild costs seconds of CPU
MAX_INTERVAL = 366 * 86400.0
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"([0-9]{1,6}(?:\.[0-9]{1,3})?)([smhd])")
STOP_WAIT = 10.0  # seconds to let a running sync finish at shutdown (its catalog swap is one transaction)


def parse_interval(text: str) -> float:
    """`15m`, `6h`, `1d`, `90s`, `1.5h` in seconds; ValueError for anything else, under a minute or
    over a year."""
    found = _DURATION.fullmatch(text.strip().lower()) if len(text) <= 20 else None
    if found is None:
        raise ValueError(f"--sync-every {text[:20]!r} is not a duration like 15m, 6h or 1d")
    seconds = float(found[1]) * _UNITS[found[2]]
    if not MIN_INTERVAL <= seconds <= MAX_INTERVAL:
        raise ValueError(f"--sync-every {text.strip()} is out of range: from 1m (one minute) to 366d")
    return seconds


def sync_every_source(target: Path | str, today: Callable[[], date] = date.today) -> SyncReport:
    """What `versus sync` runs with no arguments: every source, from the locations the environment
    names (`VERSUS_SOURCE_<NAME>`) or their public ones, with conditional requests."""
    from versus.sync.run import sync

    return sync(target, (), today=today())


def describe_report(report: Any) -> str:
    """One line for the log: each source's outcome (failures with their reason) and the catalog's."""
    parts = []
    for o in report.outcomes:
        if o.status == "failed":
            parts.append(f"{o.source} failed: {o.error}")
        elif o.status == "updated":
            parts.append(f"{o.source} updated ({o.records:,} records)" if o.records is not None else o.source)
    unchanged = sum(1 for o in report.outcomes if o.status == "unchanged")
    if unchanged:
        parts.append(f"{unchanged} unchanged")
    catalog = "catalog rebuilt" if report.rebuilt else "catalog unchanged"
    warning = f"; warning: {report.catalog_warning}" if report.catalog_warning else ""
    return f"{'; '.join(parts)}; {catalog} in {report.seconds:.1f}s{warning}"


def log_to_stderr(line: str) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    print(f"{stamp} versus sync: {line}", file=sys.stderr, flush=True)


class SyncSchedule:
    """Runs `run` every `every` seconds in a daemon thread until `stop`."""

    def __init__(
        self,
        run: Callable[[], Any],
        every: float,
        *,
        log: Callable[[str], None] = log_to_stderr,
        describe: Callable[[Any], str] = describe_report,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if every <= 0:
            raise ValueError("a schedule needs a positive interval")
        self.run, self.every, self.log, self.describe, self.clock = run, every, log, describe, clock
        self.runs = 0  # syncs started, for the log and for tests
        self._stop = threading.Event()
        self._running = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name="versus-sync-schedule", daemon=True)

    def start(self) -> None:
        self.log(f"every {_duration(self.every)}, first now")
        self._thread.start()

    def stop(self, wait: float = STOP_WAIT) -> bool:
        """Ask the loop to end and wait up to `wait` seconds for a running sync; True once it ended."""
        if self._stop.is_set() and not self._thread.is_alive():
            return True
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(wait)
        ended = not self._thread.is_alive()
        self.log("stopped" if ended else f"stopping with a sync still running after {wait:.0f}s")
        return ended

    def run_once(self) -> bool:
        """One sync now, unless one is running (then False: syncs never overlap)."""
        if not self._running.acquire(blocking=False):
            return False
        try:
            self.runs += 1
            report = self.run()
            self.log(self.describe(report))
        except Exception as exc:  # a sync's bug must not end the schedule, let alone the server
            self.log(f"sync failed: {type(exc).__name__}: {exc}")
        finally:
            self._running.release()
        return True

    def _loop(self) -> None:
        next_at = self.clock()
        while not self._stop.is_set():
            wait = next_at - self.clock()
            if wait > 0 and self._stop.wait(wait):
                return
            started = self.clock()
            self.run_once()
            elapsed = self.clock() - started
            next_at = started + self.every * max(1, math.ceil(elapsed / self.every))


def _duration(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"
