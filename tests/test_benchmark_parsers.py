"""Benchmark parsers on small hand-made inputs: N/A, `%` strings, missing columns, malformed rows, hostile bytes."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from versus.benchmarks.parsing import MAX_FILE_BYTES, FileError, load_json, load_yaml, parse_score
from versus.sources import aider, bfcl, livebench, lmarena, models_dev_benchmarks, simple_evals, swe_bench
from versus.sources.leaderboards import SOURCE_NAMES, adapter

DAY = date(2025, 12, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("77.47%", Decimal("77.47")),
        (" 07.6 ", Decimal("7.6")),
        ("N/A", None),
        ("n/a", None),
        ("-", None),
        ("", None),
        (None, None),
        (Decimal("1486.60"), Decimal("1486.60")),
        (64.93, Decimal("64.93")),
        (88, Decimal(88)),
    ],
)
def test_parse_score(text: object, expected: Decimal | None) -> None:
    assert parse_score(text) == expected


@pytest.mark.parametrize("text", ["abc", "1e5", "12.3.4", True, [1], "1" * 40, Decimal("NaN"), Decimal("Infinity")])
def test_parse_score_refuses_what_is_not_a_score(text: object) -> None:
    with pytest.raises(ValueError):
        parse_score(text)


def test_json_refuses_nan_and_keeps_decimals_exact() -> None:
    assert load_json(b'{"a": 0.1}') == {"a": Decimal("0.1")}
    with pytest.raises(FileError, match="not valid JSON"):
        load_json(b'{"a": NaN}')
    with pytest.raises(FileError, match="not valid JSON"):
        load_json(b"[" * 100_000 + b"]" * 100_000)


def test_yaml_refuses_aliases_that_would_expand() -> None:
    bomb = b'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n'
    with pytest.raises(FileError, match="aliases"):
        load_yaml(bomb)
    with pytest.raises(FileError, match="not valid YAML"):
        load_yaml(b"- !!python/object/apply:os.system ['true']\n")


def test_oversized_file_is_refused_before_reading() -> None:
    data = lmarena.parse({"leaderboard-text.json": b" " * (MAX_FILE_BYTES + 1)}, snapshot_date=DAY)
    assert data.results == [] and f"over the {MAX_FILE_BYTES:,}-byte limit" in data.errors[0].message


def test_lmarena_rows_that_cannot_be_read_are_errors_the_others_survive() -> None:
    board = {
        "full": {
            "good-model": {"rating": 1300.5, "rating_q975": 1305.0, "rating_q025": 1296.0},
            "no-rating": {"rating_q975": 1.0},
            "text-rating": {"rating": "high"},
            "outside": {"rating": 1400, "rating_q975": 1300, "rating_q025": 1200},
            "not-an-object": 5,
        },
        "coding": ["not", "an", "object"],
    }
    data = lmarena.parse(
        {"leaderboard-text-style-control.json": json.dumps(board).encode(), "mystery.json": b"{}"}, snapshot_date=DAY
    )
    assert [(r.model_name, r.score, r.setting) for r in data.results] == [
        ("good-model", Decimal("1300.5"), (("style_control", "on"),))
    ]
    messages = {e.record_id: e.message for e in data.errors}
    assert messages["leaderboard-text-style-control.json/full/no-rating"] == "no rating"
    assert "not a number" in messages["leaderboard-text-style-control.json/full/text-rating"]
    assert "outside its interval" in messages["leaderboard-text-style-control.json/full/outside"]
    assert "not an object" in messages["leaderboard-text-style-control.json/full/not-an-object"]
    assert "not an object of models" in messages["leaderboard-text-style-control.json/coding"]
    assert "not an LMArena leaderboard file" in messages["mystery.json"]


def test_livebench_averages_skip_missing_tasks_and_short_rows_are_errors() -> None:
    categories = json.dumps({"Coding": ["a", "b"], "Math": ["c"], "Gone": ["not_a_column"]}).encode()
    table = b"model,a,b,c\nfull,80,70.5,50\nhole,,60,40\nshort,1,2\nbad,x,1,1\n"
    data = livebench.parse({"table_2025_01_02.csv": table, "categories_2025_01_02.json": categories}, snapshot_date=DAY)
    scores = {(r.model_name, r.category): r.score for r in data.results}
    assert scores[("full", "coding")] == Decimal("75.25")
    assert scores[("hole", "coding")] == Decimal("60.00")  # the missing task is left out, as the site does
    # No global average: one category (Gone) has no task scores at all.
    assert ("full", "global-average") not in scores
    assert {e.message for e in data.errors} == {"row has 3 fields, the header 4", "'x' is not a number"}
    assert all(r.edition == "2025-01-02" and r.date == date(2025, 1, 2) for r in data.results)


def test_livebench_release_without_its_pair_is_an_error() -> None:
    data = livebench.parse({"table_2025_01_02.csv": b"model,a\nm,1\n", "notes.txt": b""}, snapshot_date=DAY)
    assert data.results == []
    assert {e.record_id for e in data.errors} == {"table_2025_01_02.csv", "notes.txt"}
    assert any("no categories file" in e.message for e in data.errors)


def test_aider_rows_with_missing_fields_are_errors() -> None:
    runs = b"""
- model: good (high)
  edit_format: diff
  pass_rate_2: 61.5
  reasoning_effort: high
  thinking_tokens: 32768
  date: 2025-05-01
- model: no-score
  pass_rate_1: 10.0
  date: 2025-05-01
- pass_rate_2: 5.0
- model: text-score
  pass_rate_2: lots
- just a string
"""
    data = aider.parse({"polyglot_leaderboard.yml": runs}, snapshot_date=DAY)
    (result,) = data.results
    assert (result.score, result.date) == (Decimal("61.5"), date(2025, 5, 1))
    assert result.setting == (("edit_format", "diff"), ("reasoning_effort", "high"), ("thinking", "32k"))
    assert [e.record_id for e in data.errors] == [f"polyglot_leaderboard.yml#{i}" for i in (2, 3, 4, 5)]
    assert aider.parse({"polyglot_leaderboard.yml": b"{a: 1}"}, snapshot_date=DAY).errors[0].message == (
        "not a list of benchmark runs"
    )


def test_bfcl_percent_strings_na_and_missing_columns() -> None:
    header = b"Rank,Overall Acc,Model,Model Link,Total Cost ($),Live Acc,Organization,License\n"
    rows = (
        b"1,77.47%,Model-A (FC),https://huggingface.co/org/Model-A,3.5,N/A,Org,MIT\n"
        b"2,oops,Model-B (Prompt),https://example.org,1,50.00%,Org,MIT\n"
        b"3,10%,Model-C\n"
    )
    data = bfcl.parse({"data_overall.csv": header + rows}, snapshot_date=DAY)
    scores = {(r.model_name, r.category): r for r in data.results}
    model_a = scores[("Model-A (FC)", "overall")]
    assert model_a.score == Decimal("77.47") and model_a.model_hints == ("org/Model-A",)
    assert ("Model-A (FC)", "live") not in scores  # N/A is unknown, not zero
    assert scores[("Model-B (Prompt)", "live")].score == Decimal("50.00")
    assert not [c for _, c in scores if c.startswith("total-cost")]
    assert len(data.errors) == 2
    missing = bfcl.parse({"data_overall.csv": b"Rank,Model\n1,x\n"}, snapshot_date=DAY)
    assert missing.errors[0].message == "header lacks the Model and Overall Acc columns"


def test_swe_bench_entries_without_a_score_or_name_are_errors() -> None:
    board = {
        "leaderboards": [
            {
                "name": "Verified",
                "results": [
                    {"name": "Agent + Model-X", "resolved": 41.2, "date": "2025-01-02", "tags": ["Model: model-x"]},
                    {"name": "No score", "resolved": None},
                    {"resolved": 3.0},
                    {"name": "Bad tags", "resolved": 1.0, "tags": 7},
                ],
            },
            {"results": []},
        ]
    }
    data = swe_bench.parse({"leaderboards.json": json.dumps(board).encode()}, snapshot_date=DAY)
    first, bad_tags = data.results
    assert (first.benchmark, first.score, first.date) == ("swe-bench-verified", Decimal("41.2"), date(2025, 1, 2))
    assert first.model_hints == ("model-x",) and dict(first.setting) == {"system": "Agent"}
    assert bad_tags.model_hints == () and bad_tags.date == DAY
    assert len(data.errors) == 3


def test_simple_evals_csv_with_missing_columns_and_bad_cells() -> None:
    main = b"group,model,prompt,MMLU,GPQA\nG,m-high,assistant,90.1,n/a\nG,,x,1,1\nG,m2,x,abc,\n"
    multi = b"Language,m-high,m2\nArabic,0.904,1.5\nAverage,0.9,\n"
    data = simple_evals.parse(
        {"benchmark_results.csv": main, "multilingual_mmlu_benchmark_results.csv": multi}, snapshot_date=DAY
    )
    scores = {(r.model_name, r.category): r.score for r in data.results}
    assert scores == {
        ("m-high", "mmlu"): Decimal("90.1"),
        ("m-high", "mmmlu-arabic"): Decimal("90.400"),
        ("m-high", "mmmlu"): Decimal("90.0"),
    }
    assert len(data.errors) == 3  # a row without a model, a text score, a fraction above 1


def _tarball(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_models_dev_reads_only_model_files_and_keeps_bad_entries_as_errors() -> None:
    good = b"""name = "M"
last_updated = "2026-01-02"
[[benchmarks]]
name = "SWE-Bench Pro"
score = 41.5
metric = "resolve rate"
source = "javascript:alert(1)"
dataset = "public"
[[benchmarks]]
name = "No score"
metric = "x"
[[benchmarks]]
score = 3
"""
    blob = _tarball(
        {
            "repo-dev/models/lab/m-1.toml": good,
            "repo-dev/models/lab/broken.toml": b"name = ",
            "repo-dev/providers/p/models/m.toml": b"[[benchmarks]]\nname='x'\nscore=1\n",
            "../../models/lab/escape.toml": b"[[benchmarks]]\nname='x'\nscore=1\n",
        }
    )
    data = models_dev_benchmarks.parse({"dev": blob}, snapshot_date=DAY)
    (result,) = data.results
    assert (result.benchmark, result.model_name, result.organisation) == ("swe-bench-pro", "m-1", "lab")
    assert result.source_url == "https://models.dev"  # only http(s) links are kept
    assert (result.date, result.setting) == (date(2026, 1, 2), (("dataset", "public"),))
    assert [e.record_id for e in data.errors] == [
        "repo-dev/models/lab/m-1.toml#2",
        "repo-dev/models/lab/m-1.toml#3",
        "repo-dev/models/lab/broken.toml",
    ]
    assert (
        models_dev_benchmarks.parse({"dev": _GZIP_JUNK}, snapshot_date=DAY)
        .errors[0]
        .message.startswith("not a readable tarball")
    )


_GZIP_JUNK = b"\x1f\x8b" + b"not really gzip"
ADAPTER_FILES = {name: adapter(name).SOURCE.files for name in SOURCE_NAMES}
ADAPTER_FILES["simple-evals"] += ("benchmark_results.csv", "multilingual_mmlu_benchmark_results.csv")
ADAPTER_FILES["models-dev"] += ("models/lab/model.toml", "models.tar")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    source=st.sampled_from(SOURCE_NAMES),
    blob=st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=2000).map(str.encode),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.floats(allow_nan=False),
            lambda children: (
                st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
            ),
            max_leaves=30,
        ).map(lambda value: json.dumps(value).encode()),
    ),
    pick=st.integers(min_value=0, max_value=100),
)
def test_arbitrary_bytes_never_raise_out_of_parse(source: str, blob: bytes, pick: int) -> None:
    names = ADAPTER_FILES[source]
    name = names[pick % len(names)]
    data = adapter(source).parse({name: blob}, snapshot_date=DAY)
    assert all(r.score.is_finite() for r in data.results)


def test_simple_evals_keeps_only_web_links() -> None:
    main = (
        b"group,model,prompt,MMLU,source_url\n"
        b"Other Models (Reported),Model A,unknown,80.0,javascript:alert(1)\n"
        b"Other Models (Reported),Model B,unknown,70.0,https://example.org/b\n"
    )
    data = simple_evals.parse({"benchmark_results.csv": main}, snapshot_date=DAY)
    urls = {r.model_name: r.source_url for r in data.results}
    assert urls == {"Model A": simple_evals.SOURCE.homepage, "Model B": "https://example.org/b"}
