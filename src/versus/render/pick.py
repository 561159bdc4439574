"""Views of `versus pick`: the shortlist, the closest misses and what kept models out, as tables and JSON."""

from __future__ import annotations

from typing import Any

from versus.analysis.pick import PickEntry, PickResult
from versus.analysis.traffic import TrafficProfile
from versus.formats import UNKNOWN, jsonable, usd
from versus.render.benchmarks import score_text, traffic_text, value_text
from versus.render.tabledata import TableData


def pick_to_dict(result: PickResult, profile: TrafficProfile) -> dict[str, Any]:
    data: dict[str, Any] = jsonable(result)
    data["traffic"] = jsonable(profile)
    data["value_unit"] = "score per dollar of monthly cost"
    return data


def pick_lines(result: PickResult, profile: TrafficProfile) -> list[str]:
    """What was asked, in words: constraints, ranking, route policy and traffic, and how many passed."""
    ranked = f"Ranked by {result.benchmark}: {result.ranking}." if result.benchmark else f"Ranked {result.ranking}."
    return [
        f"Constraints: {'; '.join(result.constraints) or 'none'}.",
        ranked,
        f"Monthly cost at {traffic_text(profile)}, priced on {result.policy}.",
        f"{result.eligible:,} of {result.considered:,} models meet every constraint.",
    ]


def _score(entry: PickEntry) -> str:
    if entry.score is None:
        return UNKNOWN
    return score_text(entry.score) + (f" ({entry.setting})" if entry.setting else "")


def shortlist_table(result: PickResult) -> TableData:
    with_score = result.benchmark is not None
    rows = []
    for e in result.shortlist:
        row = [str(e.rank), e.name, usd(e.monthly), e.route or UNKNOWN]
        if with_score:
            row += [_score(e), value_text(e.value)]
        rows.append([*row, "; ".join(e.reasons[1:]) or "no constraint asked"])
    header = ["#", "Model", "Monthly cost", "Priced on"]
    header += ["Score", "Score per $1k a month"] if with_score else []
    numeric = (0, 2, 4, 5) if with_score else (0, 2)
    return TableData("Shortlist", [*header, "Why it is in"], rows, numeric=numeric)


def misses_table(result: PickResult) -> TableData:
    with_score = result.benchmark is not None
    rows = [
        [e.name, usd(e.monthly), *([_score(e)] if with_score else []), "; ".join(e.reasons)] for e in result.excluded
    ]
    header = ["Model", "Monthly cost", *(["Score"] if with_score else []), "Why it is out"]
    return TableData("Closest misses", header, rows, numeric=(1,))


def exclusions_table(result: PickResult) -> TableData:
    rows = [[c.constraint, f"{c.models:,}"] for c in result.exclusion_counts]
    return TableData("Models each constraint kept out", ["Constraint", "Models"], rows, numeric=(1,))
