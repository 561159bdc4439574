"""Text made safe for XML and HTML we write by hand (SVG charts, the Atom feed): characters XML 1.0
forbids dropped, markup escaped. Source data is untrusted: a control character in a model name would
otherwise make a whole feed or chart unreadable."""

from __future__ import annotations

import re

# C0 controls other than tab, line feed and carriage return; lone surrogates (they cannot be encoded);
# and the two non-characters XML excludes.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})
_ID = re.compile(r"[^A-Za-z0-9_-]")


def text(value: object) -> str:
    """Text for an element or an attribute value: invalid characters dropped, markup escaped."""
    return _NOT_XML.sub("", str(value)).translate(_ESCAPES)


def element_id(value: str) -> str:
    """An id attribute value from any text: letters, digits, `-` and `_` only."""
    return _ID.sub("-", value) or "chart"
