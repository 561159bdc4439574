"""Related comparisons: the "similar price" ranking walks outwards from a model's price instead of
sorting every priced model; it must pick exactly what the plain definition picks, ties included."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from versus.analysis.related import Candidate, CandidateIndex

# Few distinct prices, families and provider counts, so ties in every part of the key are common.
candidates = st.lists(
    st.tuples(
        st.sampled_from([None, "0.1", "0.5", "1", "2", "2.5", "10", "60"]),
        st.sampled_from([None, "a", "b", "c"]),
        st.integers(min_value=1, max_value=3),
    ),
    max_size=40,
)


Row = tuple[str | None, str | None, int]  # price, family, number of providers


def _candidates(rows: list[Row]) -> list[Candidate]:
    return [
        Candidate(
            f"m{i:02d}",
            f"M{i}",
            family,
            Decimal(price) if price else None,
            frozenset(f"p{k}" for k in range(providers)),
            math.log(float(price)) if price else None,
        )
        for i, (price, family, providers) in enumerate(rows)
    ]


def _by_definition(all_candidates: list[Candidate], model: Candidate, count: int) -> list[str]:
    """Other-family served models, nearest in log price, then more providers, then id."""
    assert model.log_price is not None
    others = [c for c in all_candidates if c.log_price is not None and c.id != model.id and c.family != model.family]
    others.sort(key=lambda c: (abs(model.log_price - (c.log_price or 0.0)), -len(c.providers), c.id))
    return [c.id for c in others[:count]]


@given(candidates, st.integers(min_value=1, max_value=6))
def test_similar_price_picks_what_the_definition_picks(rows: list[Row], count: int) -> None:
    found = _candidates(rows)
    index = CandidateIndex(found)
    for model in found:
        ranked = [c.id for c in index.nearest(model, "similar price", count)]
        assert ranked == (_by_definition(found, model, count) if model.log_price is not None else [])
