"""A user's traffic and the input:output blend used to quote one price per model."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Beyond these a figure is a typo, not a workload: 10^12 requests a month is ~380k per second.
MAX_REQUESTS = 10**12
MAX_TOKENS_PER_REQUEST = 10**8


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
        """`70:30`, `3:1` or `70/30`."""
        parts = text.replace("/", ":").split(":")
        if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
            raise TrafficError(f"blend {text!r} is not of the form INPUT:OUTPUT, e.g. 70:30 or 3:1")
        return cls(int(parts[0]), int(parts[1]))


def parse_count(name: str, text: str) -> int:
    """A whole number as a person types it: 1000000, 1,000,000, 1_000_000 or 1e6."""
    cleaned = text.strip().replace(",", "").replace("_", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise TrafficError(f"{name} {text!r} is not a number") from exc
    if not value.is_finite() or value != value.to_integral_value():
        raise TrafficError(f"{name} {text!r} must be a whole number")
    if abs(value) > Decimal(10) ** 30:
        raise TrafficError(f"{name} {text!r} is beyond any real workload")
    return int(value)


def parse_traffic(
    requests: str, input_tokens: str, output_tokens: str, cache_hit: str, batch: str, blend: str
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
    """A share as `0.4` or `40%`."""
    raw = text.strip()
    try:
        value = Decimal(raw[:-1]) / 100 if raw.endswith("%") else Decimal(raw)
    except InvalidOperation as exc:
        raise TrafficError(f"{name} {text!r} is not a number (use 0.4 or 40%)") from exc
    _check_share(name, value)
    return value


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


# The reference page's profile and blend, as the text the CLI, the form and the API start from.
DEFAULT_TEXT = {
    "requests": str(TrafficProfile().requests),
    "input_tokens": str(TrafficProfile().input_tokens),
    "output_tokens": str(TrafficProfile().output_tokens),
    "cache_hit": str(TrafficProfile().cache_hit),
    "batch": str(TrafficProfile().batch_share),
    "blend": Blend().label,
}
