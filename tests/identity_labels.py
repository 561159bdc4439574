"""Labelled identity sets: the label-file shape, where each labelled id lives, and pairwise scoring."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from versus.catalog.build import Catalog
from versus.catalog.overlay import load_overlay
from versus.catalog.providers import canonical_provider_id, provider_id_map
from versus.sources import litellm

DATA = Path(__file__).parent / "data"
OLD_LABELS = DATA / "identity_labels.yaml"
HARD_LABELS = DATA / "identity_labels_hard.yaml"

# The audit classes the hard set exercises; the first seven are false splits (one model under
# several ids), the last four false merges (distinct models folded into one).
CLASSES = (
    "p-spelling",
    "reordered-name",
    "tag-syntax",
    "api-revision-suffix",
    "provider-prefixed",
    "dated-only-version",
    "fine-tune-namespace",
    "dated-snapshot-price",
    "base-vs-instruct",
    "moving-alias",
    "ft-record",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class LabelledOffering(_Strict):
    source: Literal["models-dev", "genai-prices", "litellm", "openrouter"]
    provider: str = Field(min_length=1)
    id: str = Field(min_length=1)

    @property
    def key(self) -> tuple[str, str]:
        """Routes are matched case-insensitively, as the catalog's lookups do."""
        return (self.provider, self.id.lower())


class LabelGroup(_Strict):
    label: str = Field(min_length=1)
    audit_class: str | None = Field(None, alias="class")
    guards: Literal["false-split", "false-merge"] | None = None
    apart_from: tuple[str, ...] = ()
    why: str | None = None
    offerings: tuple[LabelledOffering, ...] = Field(min_length=1)


class LabelFile(_Strict):
    groups: tuple[LabelGroup, ...]


def load_labels(path: Path) -> LabelFile:
    """Read and validate one label file."""
    return LabelFile.model_validate(yaml.safe_load(path.read_text()))


def labelled_offerings(groups: Iterable[LabelGroup]) -> list[tuple[str, LabelledOffering]]:
    """(label, offering) for every offering; groups that share a label name the same model."""
    return [(group.label, offering) for group in groups for offering in group.offerings]


@dataclass(frozen=True)
class PairScore:
    """Pairwise agreement of a resolver with labels, over the offerings the resolver holds.

    A figure with nothing to measure is None, not 0 or 1: precision when no two held offerings
    resolve to one model, recall when no label has two held offerings.
    """

    labelled: int
    held: int
    precision: float | None
    recall: float | None
    false_splits: list[str] = field(default_factory=list)
    false_merges: list[str] = field(default_factory=list)
    not_held: list[tuple[str, str]] = field(default_factory=list)


def _pairs(counts: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in counts)


def score_pairs(labelled: Sequence[tuple[str, tuple[str, str]]], resolved: Mapping[tuple[str, str], str]) -> PairScore:
    """Pairwise precision and recall of `resolved` (offering key -> model id) against labels.

    A pair of held offerings counts as merged when both resolve to one model and as same when
    both carry one label. Counted per cell rather than per pair, so it is linear in offerings.
    """
    held = [(label, resolved[key], key) for label, key in labelled if key in resolved]
    same = _pairs(Counter(label for label, _, _ in held).values())
    merged = _pairs(Counter(model for _, model, _ in held).values())
    both = _pairs(Counter((label, model) for label, model, _ in held).values())
    models_of: dict[str, set[str]] = defaultdict(set)
    labels_of: dict[str, set[str]] = defaultdict(set)
    for label, model, _ in held:
        models_of[label].add(model)
        labels_of[model].add(label)
    return PairScore(
        labelled=len(labelled),
        held=len(held),
        precision=both / merged if merged else None,
        recall=both / same if same else None,
        false_splits=[f"{label} -> {sorted(models)}" for label, models in sorted(models_of.items()) if len(models) > 1],
        false_merges=[f"{model} <- {sorted(labels)}" for model, labels in sorted(labels_of.items()) if len(labels) > 1],
        not_held=[key for _, key in labelled if key not in resolved],
    )


@cache
def _litellm_map() -> dict[str, Any]:
    return litellm.read_snapshot()[0]


@cache
def _provider_ids() -> dict[tuple[str, str], str]:
    return provider_id_map(load_overlay().providers)


def route_key(offering: LabelledOffering) -> tuple[str, str]:
    """The catalog route a labelled offering is: a LiteLLM map key becomes the route the adapter files
    it under (routing prefix stripped, region paths folded, `alias_of` followed), by the adapter's own
    function; a key it skips keeps its label key and so is reported as not held."""
    if offering.source != "litellm":
        return offering.key
    route = litellm.route_of_key(_litellm_map(), offering.id)
    if route is None:
        return offering.key
    return (canonical_provider_id("litellm", route[0], _provider_ids()), route[1].lower())


def catalog_routes(catalog: Catalog) -> dict[tuple[str, str], str]:
    """(provider, route id) -> model id for every route, also under the ids of the models.dev and
    genai-prices records merged into it (genai-prices' `command-a` joins Cohere's `command-a-03-2025`
    route as its alias)."""
    resolved = {(o.provider_id, o.provider_model_id.lower()): o.model_id for o in catalog.offerings}
    for o in catalog.offerings:
        for record in o.provenance:
            if record.source in ("models-dev", "genai-prices"):
                resolved.setdefault((o.provider_id, record.record_id.partition("/")[2].lower()), o.model_id)
    return resolved


def score_catalog(catalog: Catalog, groups: Iterable[LabelGroup]) -> PairScore:
    """Score the catalog's identity resolution against labelled groups."""
    resolved = catalog_routes(catalog)
    return score_pairs([(label, route_key(offering)) for label, offering in labelled_offerings(groups)], resolved)


def format_score(name: str, score: PairScore) -> str:
    """One line for the test log: how many offerings were scored and the two figures."""

    def figure(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    return (
        f"{name}: {score.held}/{score.labelled} offerings in the catalog, pairwise precision "
        f"{figure(score.precision)}, recall {figure(score.recall)}, {len(score.false_splits)} labels split, "
        f"{len(score.false_merges)} models merging labels"
    )
