"""Strict command-line input: bad figures, ports, bytes and files are usage errors (exit 2) with a
clear message, decided before any real work."""

from __future__ import annotations

import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from versus.analysis.traffic import TrafficError, parse_count, parse_share, parse_traffic

MODELS = ("gpt-4o-audio", "mistral-small-3.1")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--requests", "1e1000000", "beyond any real workload"),
        ("--requests", "1e-1000000", "whole number"),
        ("--requests", "9" * 5000, "too long"),
        ("--input-tokens", "١٢", "not a number"),
        ("--blend", "²:1", "INPUT:OUTPUT"),
        ("--blend", "1" + "0" * 5000 + ":1", "INPUT:OUTPUT"),
        ("--cache-hit", "1e-999999", "more than 6 decimal places"),
        ("--batch", "0.1234567", "more than 6 decimal places"),
        ("--cache-hit", "1e999999999999", "between 0 and 1"),
    ],
)
def test_absurd_traffic_is_a_usage_error(cli, option: str, value: str, message: str) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = cli("compare", *MODELS, option, value)
    assert result.code == 2, result.err
    assert message in result.err and len(result.err) < 500
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    ("share", "canonical"),
    [("0.4", "0.4"), ("40%", "0.4"), ("0.40", "0.4"), ("40.0%", "0.4"), ("4E-1", "0.4"), ("12.3456%", "0.123456")],
)
def test_one_share_has_one_canonical_text(share: str, canonical: str) -> None:
    from versus.analysis.traffic import traffic_text

    profile, blend = parse_traffic(
        requests="1e6", input_tokens="800", output_tokens="250", cache_hit=share, batch="0", blend="070:030"
    )
    assert traffic_text(profile, blend) == {
        "requests": "1000000",
        "input_tokens": "800",
        "output_tokens": "250",
        "cache_hit": canonical,
        "batch": "0",
        "blend": "70:30",
    }


@given(st.text(max_size=60))
def test_any_text_parses_or_says_why(text: str) -> None:
    for parse in (parse_count, parse_share):
        try:
            value = parse("figure", text)
        except TrafficError as exc:
            assert len(str(exc)) < 300
        else:
            assert isinstance(value, int | Decimal)


def test_non_utf8_argument_exits_2_in_a_real_process(catalog_db: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "versus", "--db", str(catalog_db), "show", b"\xff"],
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert b"not valid UTF-8" in result.stderr and b"\\xff" in result.stderr
    assert b"Traceback" not in result.stderr


def test_non_utf8_argument_exits_2_in_process(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("show", "\udcff")  # how Python hands over the byte 0xff from argv
    assert result.code == 2 and "not valid UTF-8" in result.err


@pytest.mark.parametrize(
    "args",
    [
        ["--port", "84366"],
        ["--port", "0"],
        ["--port", "-1"],
        ["--workers", "0"],
        ["--workers", "x"],
        ["--workers", "999"],
    ],
)
def test_serve_refuses_bad_ports_and_workers(catalog_db: str, args: list[str]) -> None:
    """A real process: before the fix `--port 84366` went on to listen on port 18830."""
    try:
        result = subprocess.run(
            [sys.executable, "-m", "versus", "--db", str(catalog_db), "serve", *args],
            capture_output=True,
            text=True,
            timeout=20,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`versus serve {' '.join(args)}` started serving")
    assert result.returncode == 2, result.stderr
    assert "Invalid value" in result.stderr


def test_site_models_file_must_be_utf8_text(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    names = tmp_path / "models.txt"
    names.write_bytes(b"gpt-4o-audio\nmistral-small-3.1\n\xff\xfe\n")
    result = cli("site", "build", str(tmp_path / "out"), "--models", str(names))
    assert result.code == 2 and "not UTF-8" in result.err
    assert not (tmp_path / "out").exists()
    folder = cli("site", "build", str(tmp_path / "out"), "--models", str(tmp_path))
    assert folder.code == 2 and "not a file" in folder.err


def test_site_build_with_an_empty_out_is_a_usage_error(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = cli("site", "build", "", "--top", "2")
    assert result.code == 2 and "OUT is empty" in result.err
    assert list(tmp_path.iterdir()) == []
