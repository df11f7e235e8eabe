"""Boilerplate cue lexicons (data/clean/cues.json) and line-level features shared by the classifiers."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Optional

_WS = re.compile(r"\s+")
_STRIP = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
WORD = re.compile(r"\w+", re.UNICODE)

STRONG = ("donation", "newsletter", "reminder", "cookies", "social", "paywall", "advert")
WEAK = ("related", "legal", "byline_meta")


def _phrase_regex(phrase: str) -> str:
    parts = []
    for ch in phrase.lower():
        if ch == "#":
            parts.append(r"\d+(?:[.,]\d+)?")
        elif ch == "$":
            parts.append("[$€£¥₽]")
        elif ch == " ":
            parts.append(r"\s+")
        else:
            parts.append(re.escape(ch))
    left = r"(?<!\w)" if re.match(r"\w", phrase) else ""
    right = r"(?!\w)" if re.search(r"\w$", phrase) else ""
    return left + "".join(parts) + right


@lru_cache(maxsize=1)
def lexicon() -> dict:
    data = json.loads(resources.files("storyline").joinpath("data/clean/cues.json").read_text("utf-8"))
    out = {}
    for cat, spec in data.items():
        if cat.startswith("_"):
            continue
        phrases = sorted(spec["phrases"], key=len, reverse=True)
        out[cat] = {
            "reason": spec["reason"],
            "phrases": phrases,
            "regex": re.compile("|".join(f"({_phrase_regex(p)})" for p in phrases), re.I),
            "set": {normalise(p) for p in phrases},
        }
    return out


def normalise(line: str) -> str:
    """Lower-cased, whitespace-collapsed, stripped of surrounding punctuation (for whole-line matches)."""
    s = _WS.sub(" ", line.strip().lower().replace("’", "'"))
    stripped = _STRIP.sub("", s)
    return stripped or s


def find_cue(line: str, category: str) -> Optional[str]:
    """The first phrase of ``category`` found in ``line`` (as written in the lexicon), or None."""
    spec = lexicon()[category]
    m = spec["regex"].search(line.replace("’", "'"))
    if not m:
        return None
    for i, g in enumerate(m.groups()):
        if g is not None:
            return spec["phrases"][i]
    return m.group(0)


def is_widget(line: str) -> bool:
    n = normalise(line)
    return n in lexicon()["widgets"]["set"] or (len(n) <= 1 and not n.isalnum())


def cue_counts(line: str) -> dict[str, int]:
    text = line.replace("’", "'")
    return {cat: len(spec["regex"].findall(text)) for cat, spec in lexicon().items() if cat not in ("widgets",)}
