"""A user's traffic and the input:output blend used to quote one price per model."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# Beyond these a figure is a typo, not a workload: 10^12 requests a month is ~380k per second.
MAX_REQUESTS = 10**12
MAX_TOKENS_PER_REQUEST = 10**8
# Text from a command line or a URL is bounded before Decimal sees it, so no figure costs real CPU or
# memory: '1,000,000,000,000' is 17 characters, and no real share needs more than 6 decimal places.
MAX_FIGURE_CHARS = 32
MAX_EXPONENT = 15
SHARE_DECIMALS = 6
MAX_BLEND_DIGITS = 4
# ASCII digits only: str.isdigit() and Decimal() also accept '²' and '٣'.
_NUMBER = re.compile(r"[+-]?(?:[0-9][0-9,_]*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_BLEND = re.compile(rf"\s*([0-9]{{1,{MAX_BLEND_DIGITS}}})\s*[:/]\s*([0-9]{{1,{MAX_BLEND_DIGITS}}})\s*")


class TrafficError(ValueError):
    """A traffic figure that cannot describe a workload; the message says which and why."""


@dataclass(frozen=True)
class TrafficProfile:
    """Monthly traffic. Cached tokens are part of the input tokens (as OpenAI reports them)."""

    requests: int = 1_000_000
    input_tokens: int = 800
    output_tokens: int = 250
    cache_hit: Decimal = Decimal(0)
    batch_share: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        _check_count("requests", self.requests, MAX_REQUESTS)
        _check_count("input tokens", self.input_tokens, MAX_TOKENS_PER_REQUEST)
        _check_count("output tokens", self.output_tokens, MAX_TOKENS_PER_REQUEST)
        _check_share("cache hit", self.cache_hit)
        _check_share("batch share", self.batch_share)

    @property
    def is_reference(self) -> bool:
        return self == TrafficProfile()


@dataclass(frozen=True)
class Blend:
    """Input:output weights for a single blended price per 1M tokens, e.g. 70:30 or 3:1."""

    input: int = 70
    output: int = 30

    def __post_init__(self) -> None:
        if self.input < 0 or self.output < 0 or self.input + self.output == 0:
            raise TrafficError(f"blend {self.input}:{self.output} needs non-negative parts that are not both 0")

    @property
    def label(self) -> str:
        return f"{self.input}:{self.output}"

    def price(self, input_price: Decimal, output_price: Decimal) -> Decimal:
        total = self.input + self.output
        return (input_price * self.input + output_price * self.output) / total

    @classmethod
    def parse(cls, text: str) -> Blend:
        """`70:30`, `3:1` or `70/30`: ASCII digits, at most 4 per part."""
        found = _BLEND.fullmatch(text) if len(text) <= MAX_FIGURE_CHARS else None
        if found is None:
            raise TrafficError(
                f"blend {_shown(text)} is not of the form INPUT:OUTPUT with whole numbers of at most "
                f"{MAX_BLEND_DIGITS} digits, e.g. 70:30 or 3:1"
            )
        return cls(int(found[1]), int(found[2]))


# Suffixes people write traffic with: 5M requests, 2.5k tokens, 1B requests.
_SCALE = {"k": Decimal(10**3), "m": Decimal(10**6), "b": Decimal(10**9)}


def parse_count(name: str, text: str) -> int:
    """A whole number as a person types it: 1000000, 1,000,000, 1_000_000, 1e6, 5M or 2.5k."""
    raw = text.strip()
    scale = _SCALE.get(raw[-1:].lower()) if len(raw) > 1 else None
    value = _parse_number(name, raw[:-1].rstrip() if scale else raw, " (e.g. 5000000, 5M or 5e6)")
    if scale is not None and value.adjusted() <= MAX_EXPONENT:
        value *= scale
    if value.is_zero():
        return 0
    if value.adjusted() > MAX_EXPONENT:
        raise TrafficError(f"{name} {_shown(text)} is beyond any real workload")
    if value.adjusted() < 0 or value != value.to_integral_value():
        raise TrafficError(f"{name} {_shown(text)} must be a whole number")
    return int(value)


def parse_traffic(
    *, requests: str, input_tokens: str, output_tokens: str, cache_hit: str, batch: str, blend: str
) -> tuple[TrafficProfile, Blend]:
    """A profile and blend from text as typed on a command line or a form; TrafficError says what is wrong."""
    profile = TrafficProfile(
        requests=parse_count("requests", requests),
        input_tokens=parse_count("input tokens", input_tokens),
        output_tokens=parse_count("output tokens", output_tokens),
        cache_hit=parse_share("cache hit", cache_hit),
        batch_share=parse_share("batch share", batch),
    )
    return profile, Blend.parse(blend)


def parse_share(name: str, text: str) -> Decimal:
    """A share as `0.4` or `40%`, with at most 6 decimal places; `0.40`, `40%` and `0.4` give one value."""
    raw = text.strip()
    percent = raw.endswith("%")
    value = _parse_number(name, raw, " (use 0.4 or 40%)", percent=percent)
    if value.is_zero():
        return Decimal(0)
    if value.adjusted() > MAX_EXPONENT:  # before any arithmetic: 1e999999999 would overflow it
        raise TrafficError(f"{name} must be between 0 and 1 (or 0% and 100%), not {_shown(text)}")
    value = value.normalize()  # trailing zeros are not precision: 0.40 is 0.4
    if _decimal_places(value) > SHARE_DECIMALS:
        raise TrafficError(
            f"{name} {_shown(text)} has more than {SHARE_DECIMALS} decimal places; "
            "no share needs more (e.g. 0.123456 or 12.3456%)"
        )
    value = (value / 100).normalize() if percent else value
    _check_share(name, value)
    return value


def _parse_number(name: str, text: str, hint: str, *, percent: bool = False) -> Decimal:
    """ASCII digits in a bounded length, so Decimal never sees a figure that costs to convert."""
    if len(text) > MAX_FIGURE_CHARS:
        raise TrafficError(f"{name} {_shown(text)} is too long for a figure (at most {MAX_FIGURE_CHARS} characters)")
    number = text[:-1] if percent else text
    if not _NUMBER.fullmatch(number):
        raise TrafficError(f"{name} {_shown(text)} is not a number{hint}")
    return Decimal(number.replace(",", "").replace("_", ""))


def _decimal_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _shown(text: str) -> str:
    """A figure quoted in an error, cut short: the message must not echo megabytes back."""
    return repr(text) if len(text) <= MAX_FIGURE_CHARS else f"{text[:MAX_FIGURE_CHARS]!r}… ({len(text):,} characters)"


def _check_count(name: str, value: int, limit: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TrafficError(f"{name} must be a whole number, not {value!r}")
    if value < 0:
        raise TrafficError(f"{name} cannot be negative ({value:,})")
    if value > limit:
        raise TrafficError(f"{name} of {value:,} is beyond any real workload (at most {limit:,})")


def _check_share(name: str, value: Decimal) -> None:
    if not value.is_finite() or not 0 <= value <= 1:
        raise TrafficError(f"{name} must be between 0 and 1 (or 0% and 100%), not {value}")


def traffic_text(profile: TrafficProfile, blend: Blend) -> dict[str, str]:
    """A profile and blend as canonical text, keyed like `parse_traffic`'s arguments: one workload,
    however it was typed (`0.4`, `0.40`, `40%`), gives one text."""
    return {
        "requests": str(profile.requests),
        "input_tokens": str(profile.input_tokens),
        "output_tokens": str(profile.output_tokens),
        "cache_hit": share_text(profile.cache_hit),
        "batch": share_text(profile.batch_share),
        "blend": blend.label,
    }


def share_text(value: Decimal) -> str:
    """A share as canonical text: `0.4`, never `0.40` or `4E-1`."""
    return f"{value.normalize():f}"


# The reference page's profile and blend, as the text the CLI, the form and the API start from.
DEFAULT_TEXT = traffic_text(TrafficProfile(), Blend())
