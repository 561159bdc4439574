"""genai-prices' published data file (`prices/new_data/v2/data.json`, the URL its own updater fetches),
rebuilt from the installed package's data: the package's Provider objects written back as the JSON they
are parsed from. `_providers_from_raw` reads the result back to objects equal to the package's."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import json
import re
from typing import Any


def _plain(value: Any) -> Any:
    if type(value).__name__ == "ModelPrice":  # a plain class whose fields are its __dict__
        return {k: _plain(v) for k, v in value.__dict__.items() if not k.startswith("_") and v is not None}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if f.name.startswith("_") or v is None:
                continue
            if f.default is not dataclasses.MISSING and v == f.default and not isinstance(v, bool):
                continue
            out[f.name.rstrip("_")] = _plain(v)  # `or_`, `and_` are `or`, `and` in the file
        return out
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, re.Pattern):
        return value.pattern
    return value


def genai_prices_payload() -> bytes:
    from genai_prices.data import providers

    return json.dumps(_plain(list(providers))).encode()
