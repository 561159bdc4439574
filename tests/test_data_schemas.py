"""The curated files' JSON Schemas (data/schema/) are current, every file names its schema on its
first line, and every file validates against it as an editor would check it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from versus.catalog.overlay import DATA_SCHEMAS, data_schema, schema_of
from versus.catalog.paths import DATA_DIR

FILES = sorted(DATA_DIR.rglob("*.yaml"))


class _TextDates(yaml.SafeLoader):
    """YAML as editors read it for a JSON Schema: a date is a string (`format: date`)."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@pytest.mark.parametrize("name", sorted(DATA_SCHEMAS))
def test_the_published_schema_is_current(name: str) -> None:
    published = json.loads((DATA_DIR / "schema" / f"{name}.schema.json").read_text())
    assert published == data_schema(name), "run `make schemas`"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(DATA_DIR).as_posix())
def test_each_curated_file_names_and_follows_its_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema="), first
    schema_path = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert schema_path == (DATA_DIR / "schema" / f"{schema_of(path)}.schema.json").resolve()
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates)  # a SafeLoader
    jsonschema.validate(document, json.loads(schema_path.read_text()), format_checker=jsonschema.FormatChecker())


def test_a_schema_violation_is_caught() -> None:
    schema = data_schema("creator")
    bad = {"creator": "x", "creator_name": "X", "families": [{"family": "f", "bogus": 1}]}
    with pytest.raises(jsonschema.ValidationError, match="bogus"):
        jsonschema.validate(bad, schema)
