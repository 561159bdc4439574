"""The sources `versus sync` fetches: where each lives, and how a payload is read, checked and counted."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from versus.catalog.records import SourceData, SourceUnavailable

Files = Mapping[str, bytes]


class PayloadError(ValueError):
    """A fetched payload that is not what its source publishes; the message says what is wrong."""


@dataclass(frozen=True)
class Counted:
    """What a readable payload holds: records, priced records (or scores), and records it could not read."""

    records: int
    priced: int
    errors: int


@dataclass(frozen=True)
class SyncSource:
    name: str
    kind: Literal["catalog", "benchmark"]
    default: str  # the file's URL, or for several files the base URL they sit under
    files: tuple[str, ...]  # one name: the file at `default` itself (unless `base`)
    read: Callable[[Files, date, str], Any]  # files, snapshot date, version -> SourceData or BenchmarkData
    base: bool = False  # the location is always the folder (URL or path) the files sit under
    alternates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # other names in a local folder

    @property
    def single(self) -> bool:
        return len(self.files) == 1

    def count(self, data: Any) -> Counted:
        if isinstance(data, SourceData):
            priced = sum(1 for o in data.offerings if o.price.is_known)
            return Counted(len(data.offerings), priced, len(data.errors))
        return Counted(len(data.results), len(data.results), len(data.errors))


def _json(raw: bytes, what: str) -> Any:
    try:
        return json.loads(raw, parse_float=Decimal)
    except (ValueError, RecursionError) as exc:
        raise PayloadError(f"not valid JSON ({what}): {str(exc)[:120]}") from exc


def _one(files: Files) -> bytes:
    return next(iter(files.values()))


def _models_dev(files: Files, day: date, version: str) -> SourceData:
    from versus.sources import models_dev

    raw = _json(_one(files), "models.dev api.json")
    if not isinstance(raw, dict):
        raise PayloadError("models.dev's api.json is an object of providers; this is not")
    return models_dev.parse(raw, version)


def _genai_prices(files: Files, day: date, version: str) -> SourceData:
    from genai_prices.types import _providers_from_raw

    from versus.sources import genai_prices

    raw = _json(_one(files), "genai-prices data.json")
    if not isinstance(raw, list):
        raise PayloadError("genai-prices' data.json is a list of providers; this is not")
    try:
        providers = _providers_from_raw(raw)  # the package's own types validate the payload
    except Exception as exc:  # its validation errors are of several kinds
        raise PayloadError(f"genai-prices' own types reject it: {type(exc).__name__}: {str(exc)[:200]}") from exc
    return genai_prices.parse(providers, version, day)


def _openrouter(files: Files, day: date, version: str) -> SourceData:
    from versus.sources import openrouter

    return openrouter.parse(_json(_one(files), "OpenRouter models"), day)


def _litellm(files: Files, day: date, version: str) -> SourceData:
    from versus.sources import litellm

    raw = _json(_one(files), "LiteLLM price map")
    if not isinstance(raw, dict):
        raise PayloadError("LiteLLM's price map is an object of models; this is not")
    return litellm.parse(raw, version, day)


def _benchmark(name: str) -> Callable[[Files, date, str], Any]:
    def read(files: Files, day: date, version: str) -> Any:
        from versus.sources.leaderboards import adapter

        return adapter(name).parse(files, snapshot_date=day)

    return read


# genai-prices' own updater fetches this (`genai_prices.update_prices.DEFAULT_UPDATE_URL`; a test checks
# they agree). Written out here: importing the updater costs ~0.1 s of every sync.
GENAI_PRICES_URL = (
    "https://raw.githubusercontent.com/pydantic/genai-prices/refs/heads/main/prices/new_data/v2/data.json"
)


def _catalog_sources() -> list[SyncSource]:
    return [
        SyncSource("models-dev", "catalog", "https://models.dev/api.json", ("api.json",), _models_dev),
        SyncSource("genai-prices", "catalog", GENAI_PRICES_URL, ("data.json",), _genai_prices),
        SyncSource("openrouter", "catalog", "https://openrouter.ai/api/v1/models", ("models.json",), _openrouter),
        SyncSource(
            "litellm",
            "catalog",
            "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
            ("model_prices_and_context_window.json",),
            _litellm,
        ),
    ]


BENCHMARK_SOURCES = ("lmarena", "livebench", "aider", "bfcl", "swe-bench", "simple-evals")


def sync_sources() -> dict[str, SyncSource]:
    """Every source `versus sync` knows, catalog sources first, by name."""
    from versus.sources.leaderboards import adapter

    sources = _catalog_sources()
    for name in BENCHMARK_SOURCES:
        info = adapter(name).SOURCE
        read = _benchmark(name)
        sources.append(
            SyncSource(name, "benchmark", info.base_url, tuple(info.files), read, True, _ALTERNATES.get(name, {}))
        )
    return {s.name: s for s in sources}


# simple-evals publishes Markdown tables; `../shared/data` and mirrors may hold their CSV copies.
_ALTERNATES = {
    "simple-evals": {
        "README.md": ("benchmark_results.csv",),
        "multilingual_mmlu_benchmark_results.md": ("multilingual_mmlu_benchmark_results.csv",),
    }
}


def environment_name(source: str) -> str:
    """`VERSUS_SOURCE_MODELS_DEV` for models-dev: upper case, dashes as underscores."""
    return "VERSUS_SOURCE_" + source.upper().replace("-", "_")


def locations(
    sources: Mapping[str, SyncSource], overrides: Mapping[str, str], environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Where each source is fetched from: `--source NAME=LOCATION`, else `VERSUS_SOURCE_<NAME>`, else upstream."""
    environ = os.environ if environ is None else environ
    return {
        name: overrides.get(name) or environ.get(environment_name(name)) or source.default
        for name, source in sources.items()
    }


def read_payload(source: SyncSource, files: Files, day: date, version: str) -> tuple[Any, Counted]:
    """Read a payload with its source's own adapter; PayloadError when it is not that source's format."""
    try:
        data = source.read(files, day, version)
    except SourceUnavailable as exc:
        raise PayloadError(exc.reason) from exc
    except PayloadError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise PayloadError(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
    return data, source.count(data)
