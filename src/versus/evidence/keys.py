"""API keys: checked when read from the environment, and redacted from every text we store or print."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"
MIN_RUN = 8  # this many consecutive characters of a key count as the key (truncations like `sk-abc12…`)
_GRAM = MIN_RUN // 2  # any run of MIN_RUN characters contains a whole gram starting at a multiple of _GRAM
_LINE_BREAKS = "\r\n"


class KeyProblem(ValueError):
    """A key that cannot be sent; the message names the variable, never the value."""


def clean_api_key(variable: str, value: str) -> tuple[str, str | None]:
    """The key to send and a warning when a trailing line break was stripped.

    A key read with `$(cat key.txt)` from a Windows file ends in `\\r`; that is stripped (with a
    warning). Anything else that cannot go in an HTTP header — another control character, a space,
    a non-ASCII character — refuses the key, because sending it would fail with an error that
    quotes the header, key included."""
    key = value.rstrip(_LINE_BREAKS)
    warning = None
    if key != value:
        warning = f"{variable} ended with a line break (\\r or \\n); it was removed before sending the key"
    for char in key:
        if " " < char < "\x7f":
            continue
        if char == " ":
            problem = "a space"
        elif ord(char) < 0xA0 or char in "\u2028\u2029":  # C0, DEL, C1 and the Unicode line breaks
            problem = "a control character"
        else:
            problem = "a non-ASCII character"
        raise KeyProblem(f"{variable} contains {problem}; fix the variable (the key was not used)")
    return key, warning


class Redactor:
    """Replaces every trace of the given keys in a text: the key as is, JSON-, repr- and URL-escaped,
    and any run of at least MIN_RUN consecutive characters of any of those forms (escaped forms are
    never shorter than the key, so all of them are at least MIN_RUN long).

    Called once per stored or printed text, never per streamed chunk; with no keys it returns the
    text untouched."""

    def __init__(self, keys: Iterable[str]) -> None:
        forms: set[str] = set()
        for key in keys:
            # A key shorter than MIN_RUN is a placeholder for a local server ("x", "EMPTY"), not a
            # secret: replacing every "x" in every answer would only ruin the answers.
            if len(key) >= MIN_RUN:
                forms |= _escaped_forms(key)
        self._grams: dict[str, list[tuple[str, int]]] = {}
        for form in sorted(forms):
            for offset in range(len(form) - _GRAM + 1):
                self._grams.setdefault(form[offset : offset + _GRAM], []).append((form, offset))

    def __call__(self, text: str) -> str:
        if not self._grams or not text:
            return text
        for _ in range(3):  # again, in case a replacement joined two fragments into a new run
            spans = self._runs(text)
            if not spans:
                break
            pieces, start = [], 0
            for begin, end in spans:
                pieces += [text[start:begin], REDACTED]
                start = end
            pieces.append(text[start:])
            text = "".join(pieces)
        return text

    def optional(self, text: str | None) -> str | None:
        return None if text is None else self(text)

    def _runs(self, text: str) -> list[tuple[int, int]]:
        """Merged spans of text that match MIN_RUN or more consecutive characters of a key form."""
        found: list[tuple[int, int]] = []
        size = len(text)
        for position in range(0, size - _GRAM + 1, _GRAM):
            hits = self._grams.get(text[position : position + _GRAM])
            if not hits:
                continue
            for form, offset in hits:
                begin, left = position, offset
                while begin > 0 and left > 0 and text[begin - 1] == form[left - 1]:
                    begin, left = begin - 1, left - 1
                end, right = position + _GRAM, offset + _GRAM
                while end < size and right < len(form) and text[end] == form[right]:
                    end, right = end + 1, right + 1
                if end - begin >= MIN_RUN:
                    found.append((begin, end))
        found.sort()
        merged: list[tuple[int, int]] = []
        for begin, end in found:
            if merged and begin <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((begin, end))
        return merged


def _escaped_forms(key: str) -> set[str]:
    url = quote(key, safe="")
    return {
        key,
        json.dumps(key)[1:-1],
        json.dumps(key, ensure_ascii=False)[1:-1],
        repr(key)[1:-1],
        url,
        re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), url),
        quote_plus(key),
        quote(key),
    }
