"""The benchmark source adapters by name, for the code that fetches or loads their files."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from datetime import date
from typing import Protocol

from versus.benchmarks.types import BenchmarkData, SourceInfo

# Adapter name -> module under versus.sources; imported on first use.
_MODULES: dict[str, str] = {
    "lmarena": "lmarena",
    "livebench": "livebench",
    "aider": "aider",
    "bfcl": "bfcl",
    "swe-bench": "swe_bench",
    "simple-evals": "simple_evals",
    "models-dev": "models_dev_benchmarks",
}
SOURCE_NAMES: tuple[str, ...] = tuple(_MODULES)


class BenchmarkAdapter(Protocol):
    """What each adapter module offers: its upstream files and a pure parse of their bytes."""

    SOURCE: SourceInfo

    def parse(self, files: Mapping[str, bytes], *, snapshot_date: date) -> BenchmarkData: ...


def adapter(name: str) -> BenchmarkAdapter:
    """The adapter called `name`; KeyError with the known names when there is none."""
    if name not in _MODULES:
        raise KeyError(f"no benchmark source {name!r}; known: {', '.join(SOURCE_NAMES)}")
    module: BenchmarkAdapter = importlib.import_module(f"versus.sources.{_MODULES[name]}")
    return module
