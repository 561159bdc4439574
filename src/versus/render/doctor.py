"""Views of the data-quality report: tables for the terminal and Markdown, and JSON."""

from __future__ import annotations

from typing import Any

from versus.analysis.doctor import DoctorReport
from versus.formats import jsonable
from versus.render.tabledata import TableData


def doctor_to_dict(report: DoctorReport) -> dict[str, Any]:
    data: dict[str, Any] = jsonable(report)
    return {"summary": report.summary(), **data}


def summary_table(report: DoctorReport) -> TableData:
    summary = report.summary()
    rows = [[f"flagged routes: {flag}", str(n)] for flag, n in summary.pop("flags").items()]
    labels = {
        "flagged_routes": "flagged routes (any flag)",
        "non_maker_basis": "models not priced at their maker's list price",
        "facts_against_majority": "facts chosen against the majority of sources",
        "max_output_over_context": "routes whose max output exceeds their context window",
        "priced_without_specs": "priced models missing a spec (context, max output or release date)",
        "unreadable_records": "source records that could not be read",
        "curated_file_errors": "curated files (data/*.yaml) that could not be read: their facts are missing",
        "unmatched_records": "routes no other route matches (their own model)",
        "candidate_splits": "identity: one creator's models spelling one name (candidate splits)",
        "candidate_merges": "identity: one provider's ids of one model priced >15 % apart (candidate merges)",
        "unmatched_benchmark_names": "leaderboard names no model matches (results left out)",
    }
    rows = [[labels[key], str(n)] for key, n in summary.items()] + rows
    return TableData("Data quality", ["Check", "Count"], rows, numeric=(1,))


def detail_tables(report: DoctorReport, limit: int | None = None) -> list[TableData]:
    """One table per check, the first `limit` rows each (all when None)."""

    def cut(rows: list[list[str]]) -> list[list[str]]:
        return rows if limit is None else rows[:limit]

    flagged = [
        [r.provider, r.provider_model_id, r.model, "; ".join(f"{f['flag']}: {f['reason']}" for f in r.flags)]
        for r in report.flagged_routes
    ]
    basis = [[b.model, f"{b.basis_provider} ({b.basis_class})", b.why] for b in report.non_maker_basis]
    majority = [
        [a.model, a.fact, str(a.chosen), f"{a.majority} ({a.claims} claims)", a.rule]
        for a in report.facts_against_majority
    ]
    specs = [[m.model, ", ".join(m.missing)] for m in report.priced_without_specs]
    unreadable = [[e["source"], e["record_id"], e["message"]] for e in report.unreadable_records]
    curated = [[e["record_id"], e["message"]] for e in report.curated_file_errors]
    unmatched = [[u["provider"], u["provider_model_id"], u["model"]] for u in report.unmatched_records]
    splits = [[c.creator, c.name, ", ".join(c.models), ", ".join(c.routes)] for c in report.candidate_splits]
    merges = [
        [c.model, c.provider, ", ".join(f"{r} ({p})" for r, p in zip(c.routes, c.prices, strict=True)), c.apart]
        for c in report.candidate_merges
    ]
    names = [[u["source"], u["model_name"], u["reason"]] for u in report.unmatched_benchmark_names]
    return [
        TableData("Flagged routes", ["Provider", "Provider model id", "Model", "Flags"], cut(flagged)),
        TableData("Priced on something other than the maker's list price", ["Model", "Priced on", "Why"], cut(basis)),
        TableData("Facts chosen against the majority", ["Model", "Fact", "Shown", "Majority", "Rule"], cut(majority)),
        TableData("Priced models missing specs", ["Model", "Missing"], cut(specs)),
        TableData("Source records that could not be read", ["Source", "Record", "Problem"], cut(unreadable)),
        TableData("Curated files that could not be read", ["File", "Problem"], cut(curated)),
        TableData("Routes no other route matches", ["Provider", "Provider model id", "Model"], cut(unmatched)),
        TableData("Candidate splits: one name, several models", ["Creator", "Name", "Models", "Routes"], cut(splits)),
        TableData(
            "Candidate merges: one model, one provider, prices apart",
            ["Model", "Provider", "Routes (blended $/1M)", "Apart"],
            cut(merges),
        ),
        TableData("Leaderboard names no model matches", ["Source", "Leaderboard name", "Why"], cut(names)),
    ]
