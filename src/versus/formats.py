"""How numbers read: $4,500, $0.10/1M, 128k. One place, so every view writes them the same way."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

UNKNOWN = "—"


def usd(value: Decimal | None, *, cents: bool | None = None) -> str:
    """A dollar amount: whole dollars from $100 up, cents below (or as `cents` says)."""
    if value is None:
        return UNKNOWN
    # Remembered like `price`; 0 and -0 are one key but read "$0.00" and "$-0.00", so the sign is in it.
    return _usd(value, value.is_signed(), cents)


@lru_cache(maxsize=65_536)
def _usd(value: Decimal, _signed: bool, cents: bool | None) -> str:
    show_cents = cents if cents is not None else abs(value) < 100
    if show_cents:
        rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if rounded == 0 and value != 0:
            return f"${_significant(value)}"
        return f"${rounded:,.2f}"
    return f"${value.quantize(Decimal('1'), rounding=ROUND_HALF_UP):,.0f}"


def per_million(value: Decimal | None) -> str:
    """A token price: $2.50/1M, $10/1M, $0.075/1M (prices keep the digits their source gives)."""
    if value is None:
        return UNKNOWN
    return f"{price(value)}/1M"


@lru_cache(maxsize=65_536)
def price(value: Decimal) -> str:
    """$10, $2.50, $0.10, $0.075, $0.0375: cents always shown below $10, extra digits kept.

    Remembered: a site writes the same few hundred prices some hundred thousand times. Equal Decimals
    (2.5 and 2.50, 0 and -0) share an entry, which is safe because the text depends on the value alone."""
    normal = value.normalize()
    if normal == normal.to_integral_value() and value >= 10:
        return f"${normal:,.0f}"
    whole, _, frac = f"{value:f}".partition(".")
    return f"${int(whole):,}.{frac.rstrip('0').ljust(2, '0')}"


def _significant(value: Decimal) -> str:
    return f"{value.normalize():f}"


def tokens(value: int | None) -> str:
    """128k, 131k, 32.8k, 1M, 1.05M: the way context windows are quoted."""
    if value is None:
        return UNKNOWN
    if value >= 1_000_000:
        text = f"{value / 1_000_000:.2f}".rstrip("0").rstrip(".")
        return f"{text}M"
    if value >= 100_000:
        return f"{round(value / 1000)}k"
    if value >= 1000:
        text = f"{value / 1000:.1f}".rstrip("0").rstrip(".")
        return f"{text}k"
    return str(value)


def billions(value: Decimal | None) -> str:
    return UNKNOWN if value is None else f"{value.normalize():f}B"


def share(value: Decimal) -> str:
    """A share of 0..1 as a percentage with the digits it has: 0.4 -> 40%, 0.125 -> 12.5%."""
    return f"{(value * 100).normalize():f}%"


def ratio(value: Decimal | None) -> str:
    """33×, 2.5×, 1.2×, 1.04×: whole numbers from 10× up, one decimal below, two close to 1."""
    if value is None:
        return UNKNOWN
    if value >= 10:
        return f"{value.quantize(Decimal('1'), rounding=ROUND_HALF_UP):,.0f}×"
    if Decimal("0.95") <= value < Decimal("1.095") and value != 1:
        return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}".rstrip("0").removesuffix(".") + "×"
    text = f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}".removesuffix(".0")
    return f"{text}×"


def yes_no(value: bool | None) -> str:
    return "Unknown" if value is None else ("Yes" if value else "No")


def json_number(value: Decimal | None) -> Any:
    """A Decimal for JSON: an int when whole, else a float that prints back the same digits."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def jsonable(value: Any) -> Any:
    """Dataclasses to dicts, Decimals to numbers (money stays exact until this point), dates to ISO."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # A field named for a Python keyword (`class_`) is written as the keyword.
        return {f.name.removesuffix("_"): jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
