"""The sentences of a comparison's Benchmarks section, from its shared benchmarks and quality chart.

Counts only: every score and margin is in the Benchmarks table, so prose and table cannot disagree.
"""

from __future__ import annotations

from versus.analysis.compare import Comparison
from versus.render.prose import join, names


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def shared_benchmarks_text(c: Comparison) -> str:
    if not c.benchmarks:
        return (
            f"No leaderboard in the catalog scores {names(c)} on one benchmark under one measurement. "
            "`versus benchmarks MODEL` lists each model's own results; `versus sync` fetches LMArena, "
            "LiveBench and SWE-bench, which are not shipped with the package."
        )
    benchmarks = list(dict.fromkeys(b.benchmark for b in c.benchmarks))
    scores, across = _plural(len(c.benchmarks), "score"), _plural(len(benchmarks), "benchmark")
    out = [f"{names(c)} share {scores} on {across} ({join(benchmarks)})."]
    if any(b.edition for b in c.benchmarks if b.source == "livebench"):
        out.append("LiveBench scores are from the newest release every compared model is in.")
    leads = [(m.name, sum(1 for b in c.benchmarks if b.leader == m.id)) for m in c.models]
    ahead = [(name, count) for name, count in leads if count]
    leading = [f"{name} {'leads ' if i == 0 else ''}on {count}" for i, (name, count) in enumerate(ahead)]
    ties = sum(1 for b in c.benchmarks if b.is_tie)
    sentence = join(leading) if leading else "No model leads on any"
    if ties:
        sentence += (
            f"; {_plural(ties, 'score')} {'is a tie' if ties == 1 else 'are ties'} "
            "(95 % intervals overlap, or equal scores)"
        )
    out.append(sentence + ".")
    untested = sum(1 for b in c.benchmarks if not b.is_tie and any(s.ci_low is None for s in b.scores))
    if untested:
        out.append(
            f"{_plural(untested, 'lead')} {'comes' if untested == 1 else 'come'} from a leaderboard without "
            "confidence intervals: a small gap there may be noise."
        )
    differ = sum(1 for b in c.benchmarks if b.settings_differ)
    if differ:
        out.append(
            f"{_plural(differ, 'score')} compare{'s' if differ == 1 else ''} runs under different settings "
            "(each model's is shown): read them as indicative, not like for like."
        )
    if c.quality is not None:
        chart = c.quality
        on = [p.name for p in chart.points if p.on_frontier]
        off = [p.name for p in chart.points if not p.on_frontier and p.monthly is not None]
        verb = "is" if len(on) == 1 else "are"
        text = f"Quality per dollar on {chart.label} at your traffic: {join(on)} {verb} on the frontier"
        if off:
            text += f"; {join(off)} cost{'s' if len(off) == 1 else ''} more for a lower or equal score"
        out.append(text + "." if on else f"Quality per dollar on {chart.label}: no compared model is priced.")
    return " ".join(out)
