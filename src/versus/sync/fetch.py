"""Getting a source's files from a URL or a local path: conditional requests, retries, a size limit.

Everything fetched is untrusted: bodies are read in chunks and refused past `MAX_BYTES`, a URL must be
http(s), and only transport errors, 408/425/429 and 5xx are retried, with exponential backoff (or the
server's `Retry-After`, up to `MAX_RETRY_AFTER`).
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from versus.sync.types import Validators

MAX_BYTES = 64 * 1024 * 1024
MAX_RETRY_AFTER = 10.0
_RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})


class FetchError(Exception):
    """A source could not be fetched; the message says where and why."""


@dataclass
class Fetched:
    """Every file of a source: new bytes, or None for a file the server said is unchanged (304)."""

    files: dict[str, bytes | None] = field(default_factory=dict)
    validators: dict[str, Validators] = field(default_factory=dict)
    data_date: date | None = None  # the newest Last-Modified (or file mtime) of the files: the data's date

    @property
    def unchanged(self) -> bool:
        return all(body is None for body in self.files.values())


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 30.0
    retries: int = 2
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    max_bytes: int = MAX_BYTES
    sleep: Callable[[float], None] = time.sleep


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def file_locations(
    location: str, files: tuple[str, ...], base: bool = False, alternates: Mapping[str, tuple[str, ...]] | None = None
) -> dict[str, str]:
    """Where each file is: the location itself for a one-file source (unless the location is a `base`
    URL or a folder), else each name under it. In a local folder a file may go by an alternate name
    (simple-evals' CSV copies of its Markdown tables)."""
    folder = not is_url(location) and Path(location).is_dir()
    if len(files) == 1 and not folder and not base:
        return {files[0]: location}
    if is_url(location):
        return {name: f"{location.rstrip('/')}/{name}" for name in files}
    found = {}
    for name in files:
        spellings = (name, *(alternates or {}).get(name, ()))
        actual = next((n for n in spellings if (Path(location) / n).exists()), name)
        found[actual] = str(Path(location) / actual)
    return found


def fetch(
    location: str,
    files: tuple[str, ...],
    previous: Mapping[str, Validators],
    options: FetchOptions,
    client: httpx.Client | None = None,
    *,
    base: bool = False,
    alternates: Mapping[str, tuple[str, ...]] | None = None,
) -> Fetched:
    """Fetch every file of a source. A local path is read whole; a URL is asked conditionally."""
    if "://" in location and not is_url(location):
        raise FetchError(f"{location}: only http(s) URLs and local paths can be fetched")
    result = Fetched()
    for name, where in file_locations(location, files, base, alternates).items():
        if is_url(where):
            assert client is not None
            body, validators, modified = _get(client, where, previous.get(name), options)
        else:
            body, validators, modified = _read(Path(where), options)
        result.files[name] = body
        result.validators[name] = validators
        if modified and (result.data_date is None or modified > result.data_date):
            result.data_date = modified
    return result


def _read(path: Path, options: FetchOptions) -> tuple[bytes, Validators, date | None]:
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            raise FetchError(f"{path}: {size:,} bytes, more than the {options.max_bytes:,} allowed")
        body = path.read_bytes()
        modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError as exc:
        raise FetchError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return body, Validators(last_modified=email.utils.format_datetime(modified, usegmt=True)), modified.date()


def _get(
    client: httpx.Client, url: str, previous: Validators | None, options: FetchOptions
) -> tuple[bytes | None, Validators, date | None]:
    headers = {"Accept-Encoding": "gzip"}
    if previous and previous.etag:
        headers["If-None-Match"] = previous.etag
    if previous and previous.last_modified:
        headers["If-Modified-Since"] = previous.last_modified
    attempt = 0
    while True:
        attempt += 1
        try:
            return _get_once(client, url, headers, previous, options)
        except _Retry as retry:
            if attempt > options.retries:
                raise FetchError(f"{url}: {retry.reason} (after {attempt} attempts)") from None
            delay = retry.after if retry.after is not None else options.backoff * 2 ** (attempt - 1)
            options.sleep(min(delay, MAX_RETRY_AFTER))


class _Retry(Exception):
    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.reason, self.after = reason, after


def _get_once(
    client: httpx.Client, url: str, headers: dict[str, str], previous: Validators | None, options: FetchOptions
) -> tuple[bytes | None, Validators, date | None]:
    try:
        with client.stream("GET", url, headers=headers, timeout=options.timeout) as response:
            if response.status_code == 304:
                return None, previous or Validators(), _http_date(previous.last_modified if previous else None)
            if response.status_code in _RETRYABLE:
                raise _Retry(f"HTTP {response.status_code}", _retry_after(response.headers.get("retry-after")))
            if response.status_code >= 400:
                raise FetchError(f"{url}: HTTP {response.status_code}")
            length = response.headers.get("content-length")
            if length and length.isdigit() and int(length) > options.max_bytes:
                raise FetchError(f"{url}: {int(length):,} bytes, more than the {options.max_bytes:,} allowed")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > options.max_bytes:
                    raise FetchError(f"{url}: more than the {options.max_bytes:,} bytes allowed")
                chunks.append(chunk)
            validators = Validators(response.headers.get("etag"), response.headers.get("last-modified"))
            return b"".join(chunks), validators, _http_date(validators.last_modified)
    except httpx.TimeoutException as exc:
        raise _Retry(f"no answer within {options.timeout:g}s") from exc
    except httpx.TransportError as exc:
        raise _Retry(f"{type(exc).__name__}: {exc}") from exc


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    when = _http_datetime(value)
    return max(0.0, (when - datetime.now(UTC)).total_seconds()) if when else None


def _http_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _http_date(value: str | None) -> date | None:
    parsed = _http_datetime(value)
    return parsed.date() if parsed else None
