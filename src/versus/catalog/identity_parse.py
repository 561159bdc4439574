"""Taking one provider model id apart: its model name, version stamp, creator hint and route attributes.

The steps are documented in docs/identity.md ("Normalising a provider's model id"); each step that
fires is named in `ParsedId.steps` and so in the route's resolution reason. Pure: the same id always
gives the same parse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol


class NamingRules(Protocol):
    """The part of data/aliases.yaml that id normalisation needs."""

    @property
    def creators(self) -> dict[str, str]: ...

    @property
    def name_prefixes(self) -> dict[str, str]: ...

    @property
    def host_prefixes(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Naming:
    """NamingRules as plain data, stored with the catalog so name lookups need no YAML."""

    creators: dict[str, str]
    name_prefixes: dict[str, str]
    host_prefixes: tuple[str, ...] = ()


_FINE_TUNE = re.compile(r"^ft:([^:]+)(?::.*)?$")
_AZURE_FINE_TUNE = re.compile(r"\.ft-[a-z0-9-]*$")
_TAG = re.compile(r":(\d+(?:\.\d+)?[bmk](?:-[a-z0-9.-]+)?)$")  # `gemma3:12b`, `gpt-oss:120b-cloud`
_V0_VERSION = re.compile(r"-v0:(\d+)$")  # Bedrock's `mistral-7b-instruct-v0:2` is version 0.2
_BEDROCK_REVISION = re.compile(r"-v(\d+):\d+$")
_REVISION = re.compile(r"(-\d+)?:\d+$")  # `gpt-oss-120b-1:0`, `nemotron-nano-3-30b:0`
_VARIANT = re.compile(r":([a-z][a-z0-9_-]*)$")
_NAMESPACES = (
    re.compile(r"^accounts/[^/]+/models/"),
    re.compile(r"^[^/]+/chat-completion/models/"),
    re.compile(r"^workers-ai/"),
    re.compile(r"^@(cf|hf)/"),
    re.compile(r"^hf:"),
    re.compile(r"^(route|tee|models)/"),
)
_REGION = re.compile(r"^(us|eu|apac|ap|global|regional|jp|au|ca|us-gov)\.")
_DOTTED_VENDOR = re.compile(r"^([a-z0-9-]+)\.(?=[a-z])")
_AT_SUFFIX = re.compile(r"@([a-z0-9.-]+)$")
_DATE = re.compile(r"[-_](20\d{2})-?(0[1-9]|1[0-2])-?([0-2]\d|3[01])(?=$|[-_])")
_MONTH_YEAR = re.compile(r"-(0[1-9]|1[0-2])-(20\d{2})$")  # Cohere's and Google's `-03-2025`
_SHORT_STAMP = re.compile(r"-(\d{4})$")  # `-0324` (MMDD), `-2411` (YYMM)
_MONTH_DAY = re.compile(r"-(0[1-9]|1[0-2])-([0-2]\d|3[01])$")  # Qwen's `qwen3.5-plus-02-15`
_PREVIEW_DAY = re.compile(r"-preview-(0[1-9]|1[0-2])-([0-2]\d|3[01])$")  # Google's `-preview-05-20`
_REVISION_NUMBER = re.compile(r"-(00\d)$")  # Google's `-001`
_P_VERSION = re.compile(r"(?<=\d)p(?=\d)")  # `k2p6`, `qwen2p5`, `v3p1`: p for the dot
_P_CONTINUED = re.compile(r"(?<=-v\d)-p(?=\d+(?:$|-))")  # `cogito-671b-v2-p1` is v2.1
_SEPARATORS = re.compile(r"[-_.\s/]+")
_NAMESPACE_NUMBER = re.compile(r"\s+\d+$")  # nano-gpt's `TheDrummer 2/`
# Words a host adds for the model's default (chat-tuned) variant; `chat` only beside a size (`-70b-chat`),
# since `deepseek-chat` and `gpt-5-chat` are names. `distill` is dropped: hosts write it or not.
_DEFAULT_WORDS = frozenset({"instruct", "it"})
_FOLDED = frozenset({"distill"})
_SIZE = re.compile(r"^\d+(\.\d+)?[bm]$|^\d+x\d+b$|^a\d+(\.\d+)?b$|^e\d+b$|^\d+e$")
_TRAILING_REVISION = re.compile(r"[-_.]v(\d{1,2}(?:[.p-]\d{1,2})?)$")
_V_TOKEN = re.compile(r"v\d+")
_VERSION_UNIT = re.compile(r"[a-z]?\d{1,2}(\.\d{1,2})*")
_DIGITS8 = re.compile(r"20\d{6}")
_GLUED = re.compile(r"^([a-z]{3,})(\d+(?:\.\d+)?)$")  # `llama3`, `qwen2.5`: a family word and its version


@dataclass(frozen=True)
class ParsedId:
    """A provider model id taken apart.

    `tokens` is the model's name without separators, version spellings folded and default words
    (`instruct`, `it`) dropped; `stamp` is a trailing release stamp (a date, `0324`, `2411`, `v1`,
    `001`, `preview`, `latest`) kept apart from the name, since whether it names another model
    depends on the other routes (identity.py decides). `name_key` is the name alone, `full_key` the
    name with its stamp, `key` the lookup key.
    """

    raw: str
    name: str
    tokens: tuple[str, ...]
    creator: str | None
    namespace: str | None
    attributes: tuple[tuple[str, str], ...]
    steps: tuple[str, ...]
    stamp: str | None = None
    default_words: tuple[str, ...] = ()
    fine_tune: bool = False
    moving: bool = False
    units: tuple[str, ...] = ()
    stamped_name: str = ""

    @property
    def default_word(self) -> bool:
        return bool(self.default_words)

    @property
    def name_key(self) -> str:
        return "".join(self.tokens)

    @property
    def full_key(self) -> str:
        return self.name_key + stamp_suffix(self.stamp)

    @property
    def key(self) -> str:
        """The key names are looked up by (`versus show`, leaderboard names): the name with a release
        number it spells (`mistral-small-2503`, `-latest`, `-001`) but without a date or `@version`,
        so a dated snapshot finds the models its name has."""
        return ("ft" if self.fine_tune else "") + lookup_key(self.name_key, self.stamp, dict(self.attributes))


def lookup_key(name_key: str, stamp: str | None, attributes: dict[str, str]) -> str:
    """ParsedId.key for a name key (identity may have marked it `base` or `instruct`)."""
    if stamp is None or "snapshot" in attributes or "version" in attributes:
        return name_key
    if re.fullmatch(r"20\d\d-\d\d", stamp):  # `03-2025` as written
        return name_key + stamp[5:] + stamp[:4]
    return name_key + stamp.replace("-", "")


def stamp_suffix(stamp: str | None) -> str:
    """How a stamp is written in a key: `preview` as the word it is, others after an `@`."""
    if stamp is None:
        return ""
    return stamp if stamp == "preview" else f"@{stamp}"


def parse_model_id(provider: str, model_id: str, rules: NamingRules) -> ParsedId:
    """Normalise one provider model id. Pure: the same input always gives the same key."""
    text = model_id.strip().lower()
    attributes: dict[str, str] = {}
    steps: list[str] = []
    fine_tune = moving = False

    if match := _FINE_TUNE.match(text):
        text, fine_tune = match.group(1).rstrip("-"), True
        steps.append("fine-tune price record (ft:)")
    elif match := _AZURE_FINE_TUNE.search(text):
        text, fine_tune = text[: match.start()], True
        steps.append("fine-tune price record (.ft-)")
    if text.startswith("~"):  # OpenRouter's mark for a route that follows the maker's newest release
        text, moving = text[1:], True
        steps.append("moving alias ~")
    text, more = _peel_suffixes(text, attributes)
    steps += more
    for prefix in _NAMESPACES:
        if match := prefix.match(text):
            if match.group(0) == "tee/":  # nano-gpt's `TEE/deepseek-v3.1`: served in an enclave
                attributes["serving"] = "tee"
            text = text[match.end() :]
            steps.append("namespace prefix")
    if match := _REGION.match(text):
        attributes["region"] = match.group(1)
        text = text[match.end() :]
        steps.append("region prefix")
    namespace = creator = None
    if "/" in text:
        *namespace_parts, text = text.split("/")
        if len(namespace_parts) > 1 and not _names_model(text, rules) and _names_model(namespace_parts[-1], rules):
            # Novita's `deepseek/deepseek-v3/community`: the last segment is how the model is served
            text = f"{namespace_parts.pop()}-{text}"
            steps.append("serving segment")
        namespace = _NAMESPACE_NUMBER.sub("", namespace_parts[0])
        parts = [_NAMESPACE_NUMBER.sub("", part) for part in namespace_parts]
        creator = next((rules.creators[p] for p in parts if p in rules.creators), None)
        steps.append("vendor namespace")
    if (match := _DOTTED_VENDOR.match(text)) and match.group(1) in rules.creators:
        creator = creator or rules.creators[match.group(1)]
        rest = text[match.end() :]
        # `anthropic.claude-…` drops the vendor; `deepseek.r1` keeps it as the name's first word.
        text = rest if _names_model(rest, rules) else f"{match.group(1)}-{rest}"
        steps.append("vendor prefix")
    stamped_name = text
    text, stamp, more = _peel_stamp(text, attributes)
    steps += more
    name = text
    tokens = [t for t in _SEPARATORS.split(_P_CONTINUED.sub(".", _P_VERSION.sub(".", text))) if t]
    if _P_VERSION.search(text):
        steps.append("p for the dot")
    tokens, creator, more, host = _drop_leading_words(tokens, provider, creator, rules)
    steps += more
    if host and host != provider and "serving" not in attributes:
        attributes["serving"] = host  # Azure's `FW-…`: served by Fireworks, at Fireworks' price
    folded, spelled, default_words = _fold(tokens)
    return ParsedId(
        raw=model_id,
        name=name,
        tokens=tuple(folded),
        creator=creator,
        namespace=namespace,
        attributes=tuple(sorted(attributes.items())),
        steps=tuple(steps),
        stamp=stamp,
        default_words=default_words,
        fine_tune=fine_tune,
        moving=moving or stamp == "latest",
        units=name_units(spelled),
        stamped_name=stamped_name,
    )


def _peel_suffixes(text: str, attributes: dict[str, str]) -> tuple[str, list[str]]:
    """Tag syntax, Bedrock's API revisions and `:variant` route suffixes, from the end of an id."""
    if match := _TAG.search(text):
        return f"{text[: match.start()]}-{match.group(1)}", ["tag name:size"]
    if match := _V0_VERSION.search(text):
        return f"{text[: match.start()]}-v0.{match.group(1)}", ["version v0:N"]
    if match := _BEDROCK_REVISION.search(text):
        # `-v1:0`, and `-v2:0` after a date, are Bedrock's API revisions; `nemotron-nano-9b-v2:0`
        # keeps its v2, the model's own version.
        if match.group(1) == "1" or _DATE.search(text[: match.start()]):
            return text[: match.start()], ["API revision suffix"]
        return text[: match.start() + 2 + len(match.group(1))], ["API revision suffix"]
    if match := _REVISION.search(text):
        return text[: match.start()], ["API revision suffix"]
    if match := _VARIANT.search(text):
        attributes["variant"] = match.group(1)
        return text[: match.start()], [f"variant :{match.group(1)}"]
    return text, []


def _peel_stamp(text: str, attributes: dict[str, str]) -> tuple[str, str | None, list[str]]:
    """The trailing release stamp: `@version`, a date, a month and year, `0324`, `001`, `latest`,
    `preview` (a stamp followed by `-preview` is that stamp). Dates are kept as attribute `snapshot`."""
    if match := _AT_SUFFIX.search(text):
        raw, text = match.group(1), text[: match.start()]
        iso = _iso(raw) if _DIGITS8.fullmatch(raw) else None
        if iso:
            attributes["snapshot"] = iso
            return text, iso, ["@ version"]
        attributes["version"] = raw
        inner_text, inner, _ = _peel_stamp(text, {})
        if inner is not None:  # `mistral-small-2503@001`: the release is 2503, @001 its revision
            return inner_text, inner, ["@ version"]
        head = raw.split("-")[0]
        stamp = None if head in ("default", "latest") else _short_stamp(head) or (head if head.isdigit() else None)
        return text, stamp, ["@ version"]
    if match := _PREVIEW_DAY.search(text):
        return text[: match.start()] + "-preview", f"preview-{match.group(1)}{match.group(2)}", ["preview date"]
    if match := _DATE.search(text):
        stamp = _iso("".join(match.groups()))
        if stamp:
            attributes["snapshot"] = stamp
            rest = text[match.end() :]
            # `kimi-…-0905-preview` is the 0905 release; `gpt-4.5-preview-2025-02-27` is named preview
            return text[: match.start()] + ("" if rest == "-preview" else rest), stamp, ["date stamp"]
    bare = text.removesuffix("-preview")
    for pattern, step in (
        (_MONTH_YEAR, "month-year stamp"),
        (_MONTH_DAY, "month-day stamp"),
        (_SHORT_STAMP, "release stamp"),
        (_REVISION_NUMBER, "revision number"),
    ):
        if (match := pattern.search(bare)) and (stamp := _stamp_of(match, pattern)):
            return bare[: match.start()], stamp, [step]
    for word in ("latest", "preview"):
        if text.endswith(f"-{word}"):
            return text[: -len(word) - 1], word, [f"{word} marker"]
    return text, None, []


def _stamp_of(match: re.Match[str], pattern: re.Pattern[str]) -> str | None:
    if pattern is _MONTH_YEAR:
        return f"{match.group(2)}-{match.group(1)}"
    if pattern is _MONTH_DAY:
        return f"{match.group(1)}{match.group(2)}"
    if pattern is _SHORT_STAMP:
        return _short_stamp(match.group(1))
    return match.group(1)


def _short_stamp(digits: str) -> str | None:
    """`0324` (month and day) or `2411` (year and month) as a stamp; `8192` (a context size) is not."""
    if len(digits) != 4 or not digits.isdigit():
        return None
    first, second = int(digits[:2]), int(digits[2:])
    month_day = 1 <= first <= 12 and 1 <= second <= 31
    year_month = 23 <= first <= 29 and 1 <= second <= 12
    return digits if month_day or year_month else None


def _drop_leading_words(
    tokens: list[str], provider: str, creator: str | None, rules: NamingRules
) -> tuple[list[str], str | None, list[str], str | None]:
    """A vendor word (`openai-gpt-oss`, `zai-org-glm`) or a host's prefix (`databricks-`, `fw-`,
    `cerebras-llama-4…`) before a model name is not part of it; the host is returned too."""
    for width in (2, 1):
        head = "-".join(tokens[:width])
        if len(tokens) > width and _names_model(tokens[width], rules):
            if head in rules.creators:
                return tokens[width:], creator or rules.creators[head], ["vendor word"], None
            if head == provider or head in rules.host_prefixes:
                return tokens[width:], creator, ["host prefix"], head
    return tokens, creator, [], None


def _fold(tokens: list[str]) -> tuple[list[str], list[str], tuple[str, ...]]:
    """Version spellings (`v3`, a trailing `.0`) folded; default-variant words dropped (and returned).
    Also the same tokens with `vN` kept, for the name's units."""
    sized = any(_SIZE.match(t) for t in tokens)
    folded: list[str] = []
    spelled: list[str] = []
    dropped: list[str] = []
    for index, token in enumerate(tokens):
        if index and (token in _DEFAULT_WORDS or (token == "chat" and sized)):
            dropped.append(token)
            continue
        if index and token in _FOLDED:
            continue
        if token == "0" and folded and folded[-1].isdigit():  # `4-0`, `2.0`: a .0 version
            continue
        folded.append(token[1:] if _V_TOKEN.fullmatch(token) else token)
        spelled.append(token)
    return folded, spelled, tuple(dropped)


def name_units(tokens: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The words of a name as a sorted set, for order-insensitive matching: a family word glued to
    its version is split (`llama3` -> llama, 3) and consecutive numbers are one version (`3 5` -> 3.5);
    a `vN` starts a version of its own (`opus-4-6-v1` is 4.6 and 1, `v3 1` is 3.1)."""
    split: list[str] = []
    for token in tokens:
        if (match := _GLUED.match(token)) and not _SIZE.match(token):
            split += [match.group(1), match.group(2)]
        else:
            split.append(token)
    units: list[str] = []
    for token in split:
        if _V_TOKEN.fullmatch(token):
            units.append(token[1:])
        # `3 5` -> 3.5; `l3 1` -> l3.1 and `k2 6` -> k2.6 (a model letter and its version)
        elif token.isdigit() and len(token) <= 2 and units and _VERSION_UNIT.fullmatch(units[-1]):
            units[-1] = f"{units[-1]}.{token}"
        else:
            units.append(token)
    return tuple(sorted(set(units)))


def trailing_revision(name: str) -> str | None:
    """The `N.M` of a `-vN.M` ending a name (`rocinante-12b-v1.1`, `nova-lite-v1`): a revision of that
    name; a version inside a name (`apertus-v1.5-70b`) is a generation, not a revision."""
    match = _TRAILING_REVISION.search(name)
    if not match:
        return None
    return re.sub(r"(?<=\d)p(?=\d)", ".", match.group(1)).replace("-", ".").removesuffix(".0")


def is_size(unit: str) -> bool:
    """`70b`, `8x7b`, `a3b` (active), `e4b`, `128e` (experts): a size, which only completes a name."""
    return bool(_SIZE.match(unit))


def is_version(unit: str) -> bool:
    """`3`, `2.1`, `0.3`: a version; `8192` (a context size) and `1776` are not."""
    return bool(re.fullmatch(r"\d{1,2}(\.\d{1,2})*", unit))


def _names_model(token: str, rules: NamingRules) -> bool:
    return token.startswith(tuple(rules.name_prefixes))


def _iso(stamp: str) -> str | None:
    digits = stamp.replace("-", "")
    if not _DIGITS8.fullmatch(digits):
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
    except ValueError:
        return None
