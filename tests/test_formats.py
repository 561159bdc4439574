"""How numbers read, and that remembering `price`'s answers cannot change one."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from versus.formats import _usd, per_million, price, usd


@pytest.mark.parametrize(
    ("value", "text"),
    [("10", "$10"), ("10.00", "$10"), ("2.5", "$2.50"), ("0.10", "$0.10"), ("0.075", "$0.075"), ("0", "$0.00")],
)
def test_prices_read_as_sources_quote_them(value: str, text: str) -> None:
    assert price(D(value)) == text
    assert per_million(D(value)) == f"{text}/1M"


@given(st.decimals(min_value=0, max_value=10**7, places=6, allow_nan=False, allow_infinity=False))
def test_equal_prices_read_alike_whatever_their_digits(value: D) -> None:
    """The cache shares one entry between equal Decimals (2.5 and 2.50, 0 and -0): safe only because
    the text depends on the value alone."""
    compute = price.__wrapped__
    spellings = [value, value.normalize(), value.quantize(D("1e-9")), -value if value == 0 else value]
    assert {compute(v) for v in spellings} == {compute(value)}
    assert price(value) == compute(value)


@given(
    st.decimals(min_value=-(10**7), max_value=10**7, places=6, allow_nan=False, allow_infinity=False),
    st.sampled_from([None, True, False]),
)
def test_equal_amounts_read_alike_and_remembered_dollars_keep_their_sign(value: D, cents: bool | None) -> None:
    compute = _usd.__wrapped__
    spellings = [value, value.normalize(), value.quantize(D("1e-9"))]
    assert {compute(v, v.is_signed(), cents) for v in spellings} == {compute(value, value.is_signed(), cents)}
    assert usd(value, cents=cents) == compute(value, value.is_signed(), cents)
    assert usd(-value, cents=cents) == compute(-value, (-value).is_signed(), cents)  # 0 then -0: both as computed
