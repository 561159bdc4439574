"""Taking leaderboard model names apart: the model's own name, and the run's setting.

Leaderboards decorate names with how the model was run: `gpt-5 (high)`, `…-thinking-16k`,
`(FC)`, `(32k thinking tokens)`, `o3 (high) + gpt-4.1`, `mini-SWE-agent + Claude 4.5 Sonnet
(20250929)`. Each rule here moves one such decoration into the setting and leaves a name the
catalog's identity rules can read; dates in parentheses stay with the name as its snapshot.
Pure: no catalog, no I/O. Which catalog model the name is, is `versus.benchmarks.matching`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from versus.benchmarks.types import Setting, make_setting

_EFFORTS = ("minimal", "low", "medium", "high", "xhigh")
_EDIT_FORMATS = frozenset({"diff", "udiff", "whole", "diff-fenced", "architect", "editor-diff", "editor-whole"})
_PAREN = re.compile(r"\s*\(([^()]{1,80})\)")
_FULL_DATE = re.compile(r"^(20\d{2})-?(0[1-9]|1[0-2])-?([0-2]\d|3[01])$")
_SHORT_DATE = re.compile(r"^(\d{4})$")
_MONTH_SHORT_YEAR = re.compile(r"^(0[1-9]|1[0-2])-(2\d)$")
_THINKING_BUDGET = re.compile(r"^(\d+k|no|default)\s+think(?:ing)?(?:\s+tokens)?$")
_QUANT = re.compile(r"^(q\d(_[a-z0-9]+)*|fp16|fp8|bf16|int4|int8|gguf)$", re.I)
# Suffix words, innermost last, that say how a model was run rather than which model it is.
_SUFFIXES: tuple[tuple[re.Pattern[str], str, str | None], ...] = (
    (re.compile(r"[-_ ](minimal|low|medium|high|xhigh)[-_ ]effort$"), "reasoning_effort", None),
    (re.compile(r"[-_ ](minimal|low|medium|high|xhigh)(?:[-_ ]reasoning)?$"), "reasoning_effort", None),
    (re.compile(r"[-_ ]thinking[-_ ](\d+k)$"), "thinking", None),
    (re.compile(r"[-_ ]thinking[-_ ]auto$"), "thinking", "auto"),
    (re.compile(r"[-_ ](?:no[-_ ]?thinking|non[-_ ]reasoning)$"), "thinking", "off"),
    (re.compile(r"[-_ ]highthinking$"), "thinking", "high"),
    (re.compile(r"[-_ ]base$"), "thinking", "off"),
    (re.compile(r"[-_ ](?:thinking|reasoning|reasoner)$"), "thinking", "on"),
    (re.compile(r"[-_ ](fp8|bf16|fp16)$", re.I), "precision", None),
    # Together serves `…-Instruct-Turbo` (FP8) builds; `gpt-4-turbo`, `glm-5v-turbo` are names.
    (re.compile(r"(?<=instruct)[-_ ]turbo$", re.I), "precision", "turbo"),
    (re.compile(r"[-_ ]hf$", re.I), "", None),
    (re.compile(r" (diff|whole|udiff)$"), "edit_format", None),
)
# Parenthesised words that tell one checkpoint from another: they stay with the name.
_RELEASE_WORDS = frozenset({"experimental", "exp", "preview", "beta", "alpha"})
# Words that can also be part of a model's own name (`kimi-k2-thinking`, `grok-4-fast-reasoning`):
# the matcher tries the name with them before the name without them.
_IDENTITY_WORDS = frozenset({"thinking", "reasoning", "non-reasoning", "reasoner"})
_CLAUDE = re.compile(r"^claude[-_ ]+(\d+(?:[-_. ]\d)?)[-_ ]+(opus|sonnet|haiku)\b(.*)$", re.I)
_CLAUDE_NEW = re.compile(r"^claude[-_ ]+(opus|sonnet|haiku)[-_ ]+(\d+(?:[-_. ]\d)?)\b(.*)$", re.I)


@dataclass(frozen=True)
class NameParts:
    """A leaderboard name taken apart.

    `candidates` are spellings of the model to look up, most specific first. `strict_candidates`
    keep a word that is usually a setting but sometimes part of a model's name (`kimi-k2-thinking`
    is its own model, `deepseek-v3.1-thinking` is DeepSeek V3.1 thinking): the matcher accepts
    them only when the model's own lab or OpenRouter serves a model under that name. `refusal`
    says why the entry cannot be one model (a system of several models).
    """

    raw: str
    model: str
    setting: Setting = ()
    candidates: tuple[str, ...] = ()
    system: str | None = None
    refusal: str | None = None
    strict_candidates: tuple[str, ...] = ()


_PLUS = re.compile(r"(?<=\w)\+(?=[\s(-]|$)")
_TOTAL_ACTIVE = re.compile(r"(\d+b)/(a\d+b)", re.I)  # `480B/A35B`: total/active parameters


@lru_cache(maxsize=8192)
def split_name(source: str, raw: str) -> NameParts:
    """The model part and the setting of one leaderboard name, by the source's own conventions.

    Cached: a leaderboard repeats each name once per category (LMArena: 29 times)."""
    text = _TOTAL_ACTIVE.sub(r"\1-\2", " ".join(raw.split()))
    if source == "swe-bench":
        return _split_swe_bench(raw, text)
    if source == "aider":
        return _split_aider(raw, text)
    return _split_generic(raw, text)


def _split_generic(raw: str, text: str, setting: Setting = (), system: str | None = None) -> NameParts:
    text = _PLUS.sub("-plus", text)  # `Command R+`
    text, paren_setting, dates = _take_parentheses(text)
    setting = make_setting(setting, paren_setting)
    text, prefixes = _take_runtime_prefix(text)
    setting = make_setting(setting, prefixes)
    text, quant = _take_ollama_tag(text)
    setting = make_setting(setting, quant)
    # `Qwen3 235B A22B diff, no think, Alibaba API`: notes after a comma describe the run.
    if "," in text:
        text, _, notes = text.partition(",")
        setting = make_setting(setting, _notes_setting(notes))
    stripped, suffix_setting, kept = _take_suffixes(text.strip())
    setting = make_setting(setting, suffix_setting)
    suffix = "".join(f"-{d}" for d in dates)
    candidates = _spellings(stripped + suffix)
    strict = [s for s in _spellings(kept + suffix) if s not in candidates] if kept != stripped else []
    model = _official_claude(stripped + suffix) or stripped + suffix
    return NameParts(raw, model, setting, tuple(candidates), system, None, tuple(strict))


def _spellings(name: str) -> list[str]:
    """The name, Anthropic's official order first when it is a Claude name, then readings of
    release stamps that providers drop from their ids."""
    official = _official_claude(name)
    spellings: list[str] = []
    for spelling in [official, name] if official else [name]:
        spellings.extend([*_gemini_preview(spelling), spelling])
    for spelling in list(spellings):
        spellings.extend(_without_stamp(spelling))
    return list(dict.fromkeys(spellings))


_GEMINI_DATED = re.compile(r"^(gemini[- ].*?)[-_ ]+20\d\d-?(\d\d)-?(\d\d)$", re.I)
_VERSION_SUFFIX = re.compile(r"[-_]00\d$")  # Gemini's stable versions: gemini-1.5-pro-002
# gemini-3-pro-preview-11-2025; Cohere's `command-r-08-2024` is a version, not a preview month.
_MONTH_YEAR = re.compile(r"(?<=preview)[-_](0[1-9]|1[0-2])[-_]20\d\d$")
_DOTTED_WITH_YYMM = re.compile(r"^(.*\d\.\d.*?)[-_](2[3-9](0[1-9]|1[0-2]))$")  # mistral-small-3.1-…-2503


def _gemini_preview(name: str) -> list[str]:
    """Google names Gemini checkpoints `-preview-MM-DD`; a dated Gemini name is that preview."""
    if match := _GEMINI_DATED.match(name):
        return [f"{match.group(1)}-preview-{match.group(2)}-{match.group(3)}"]
    return []


def _without_stamp(name: str) -> list[str]:
    """The name without a version or release stamp that pins no other model: `-002` of a Gemini
    version, `-11-2025` of a preview, `-2503` after an explicit `3.1` version."""
    if name.lower().startswith("gemini") and _VERSION_SUFFIX.search(name):
        return [_VERSION_SUFFIX.sub("", name)]
    if _MONTH_YEAR.search(name):
        return [_MONTH_YEAR.sub("", name)]
    if match := _DOTTED_WITH_YYMM.match(name):
        return [match.group(1)]
    return []


def _take_parentheses(text: str) -> tuple[str, Setting, list[str]]:
    """Parenthesised notes: settings go to the setting; dates and release words (`experimental`)
    stay with the name, since they tell one checkpoint from another."""
    setting: Setting = ()
    dates: list[str] = []
    for match in list(_PAREN.finditer(text)):
        note = match.group(1).strip()
        date = _date_note(note)
        if date:
            dates.append(date)
        elif note.lower() in _RELEASE_WORDS:
            dates.append(note.lower())
        elif (found := _note_setting(note)) and found[0][0] != "variant":
            setting = make_setting(setting, found)
        elif any(ch.isdigit() for ch in note):
            # An unknown note with a number (`v20250405-dev`, `prev 0628`) may tell one checkpoint
            # from another: it stays with the name, which then only matches if a model has it.
            dates.append(re.sub(r"[^a-z0-9.]+", "-", note.lower()).strip("-"))
        else:
            setting = make_setting(setting, found)
    return _PAREN.sub("", text).strip(), setting, dates


def _date_note(note: str) -> str | None:
    """`2025-08-07`, `20250929` -> `20250807`…; `08-24` (Cohere's August 2024) -> `08-2024`;
    `0324`, `2411` (MMDD, YYMM) stay as written."""
    if match := _FULL_DATE.match(note):
        return "".join(match.groups())
    if match := _MONTH_SHORT_YEAR.match(note):
        return f"{match.group(1)}-20{match.group(2)}"
    if _SHORT_DATE.match(note):
        return note
    return None


def _note_setting(note: str) -> Setting:
    lowered = note.lower().strip()
    words = lowered.replace("+", " ").split()
    if lowered in _EFFORTS or (len(words) == 2 and words[0] in _EFFORTS and words[1] in ("reasoning", "effort")):
        return (("reasoning_effort", words[0]),)
    if match := _THINKING_BUDGET.match(lowered):
        budget = match.group(1)
        return (("thinking", {"no": "off"}.get(budget, budget)),)
    if lowered == "default":
        return (("thinking", "default"),)
    if lowered in _EDIT_FORMATS:
        return (("edit_format", lowered),)
    if words and words[0] in ("fc", "prompt"):
        tool_calling = "native" if words[0] == "fc" else "prompt"
        return make_setting(tool_calling=tool_calling, thinking="on" if "thinking" in words else None)
    if lowered in ("bf16", "fp8", "fp16"):
        return (("precision", lowered),)
    if lowered in ("chat", "reasoner"):
        return (("thinking", "off" if lowered == "chat" else "on"),)
    if match := re.fullmatch(r"t\s*=\s*([0-9.]+)", lowered):
        return (("temperature", match.group(1)),)
    return (("variant", lowered),)


def _notes_setting(notes: str) -> Setting:
    setting: Setting = ()
    for note in notes.split(","):
        lowered = note.strip().lower()
        if lowered in ("no think", "no thinking", "/no_think"):
            setting = make_setting(setting, thinking="off")
    return setting


def _take_runtime_prefix(text: str) -> tuple[str, Setting]:
    """`ollama/qwen2.5:32b` ran locally through Ollama; `openrouter/…`, `gemini/…` name the API used."""
    lowered = text.lower()
    if lowered.startswith("ollama/"):
        return text[len("ollama/") :], (("runtime", "ollama"),)
    for prefix in ("openrouter/", "openai/", "gemini/", "together_ai/", "fireworks_ai/"):
        if lowered.startswith(prefix) and "/" in text[len(prefix) :] + "/":
            return text[len(prefix) :], ()
    return text, ()


def _take_ollama_tag(text: str) -> tuple[str, Setting]:
    """`qwen2.5-coder:32b-instruct-q8_0` -> `qwen2.5-coder-32b-instruct`, precision q8_0."""
    name, sep, tag = text.partition(":")
    if not sep or not tag or "/" in tag or tag.isdigit():  # `amazon.nova-pro-v1:0` is a version
        return text, ()
    parts = [p for p in tag.split("-") if p]
    quant = [p.lower() for p in parts if _QUANT.match(p)]
    kept = [p for p in parts if not _QUANT.match(p)]
    return "-".join([name, *kept]), make_setting(precision="-".join(quant) if quant else None)


def _take_suffixes(text: str) -> tuple[str, Setting, str]:
    """Strip setting suffixes from the end, repeatedly; also return the name with identity words
    (`thinking`, `reasoning`) kept, for models whose name includes them."""
    setting: Setting = ()
    kept = text
    changed = True
    while changed:
        changed = False
        for pattern, key, value in _SUFFIXES:
            match = pattern.search(text)
            if not match or not _has_version(text[: match.start()]):
                continue
            if key:
                setting = make_setting(setting, **{key: value or match.group(1).lower()})
            word = match.group(0).strip("-_ ").lower()
            if word not in _IDENTITY_WORDS and kept == text:
                kept = text[: match.start()]
            text = text[: match.start()]
            changed = True
            break
    return text, setting, kept


def _has_version(text: str) -> bool:
    """`mistral-medium` keeps its `medium`: a suffix is a setting only when what is left still
    carries a version number."""
    return any(ch.isdigit() for ch in text)


def _official_claude(name: str) -> str | None:
    """Anthropic's own order: `claude-3-5-sonnet` before version 4, `claude-sonnet-4-5` from 4 on;
    display names (`Claude 4.5 Sonnet`, `Claude Sonnet 3.5`) use either."""
    for pattern, version_group, family_group in ((_CLAUDE, 1, 2), (_CLAUDE_NEW, 2, 1)):
        if match := pattern.match(name):
            version = re.split(r"[-_. ]", match.group(version_group))
            family = match.group(family_group).lower()
            rest = match.group(3)
            joined = "-".join(version)
            if int(version[0]) >= 4:
                return f"claude-{family}-{joined}{rest}"
            return f"claude-{joined}-{family}{rest}"
    return None


# --- per-source conventions -------------------------------------------------------------------


def _split_aider(raw: str, text: str) -> NameParts:
    """`o3 (high) + gpt-4.1`: an architect run; the first model plans, the editor model edits."""
    main, plus, editor = text.partition(" + ")
    parts = _split_generic(raw, main)
    return replace(parts, setting=make_setting(parts.setting, editor_model=editor.strip())) if plus else parts


_SWE_SYSTEM_MODEL = re.compile(r"^(?P<system>[^()]+?)\s*\((?P<model>[^()]*(?:claude|gpt|gemini|o\d)[^()]*)\)$", re.I)
_SEVERAL = re.compile(r"\s(?:\+|&|x)\s|/|\bmixed\b", re.I)


def _split_swe_bench(raw: str, text: str) -> NameParts:
    """`mini-SWE-agent + Claude 4.5 Sonnet (20250929)`: an agent system and the model it drives;
    `OpenHands-Versa (Claude-Sonnet 4)` says the same the other way round.

    A name with neither is a bare model (the bash-only board) or a system alone; the entry's
    `Model:` tags, matched separately, tell which.
    """
    system, model = _rsplit_plus(text)
    if system is None:
        return _split_generic(raw, text)
    if _SEVERAL.search(model):
        return NameParts(raw, model, make_setting(system=system), (), system, "several models")
    return _split_generic(raw, model, make_setting(system=system), system)


def _rsplit_plus(text: str) -> tuple[str | None, str]:
    """(system, model) split at the last ` + ` outside parentheses, else at a trailing
    `(model)` note; (None, text) when the name has neither."""
    depth, cut = 0, -1
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and text.startswith(" + ", index):
            cut = index
    if cut >= 0:
        system, model = text[:cut].strip(), text[cut + 3 :].strip()
        if (inner := _SWE_SYSTEM_MODEL.match(model)) and not _date_note(inner.group("model").strip()):
            return f"{system} + {inner.group('system').strip()}", inner.group("model").strip()
        return system, model
    if (inner := _SWE_SYSTEM_MODEL.match(text)) and not _date_note(inner.group("model").strip()):
        return inner.group("system").strip(), inner.group("model").strip()
    return None, text
