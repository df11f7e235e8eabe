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


_NUM = re.compile(r"^\d+(?:[.,]\d+)?$")


def _tokens(text: str) -> list[str]:
    return ["#" if _NUM.match(t) else t for t in WORD.findall(text.lower().replace("’", "'"))]


@lru_cache(maxsize=1)
def lexicon() -> dict:
    data = json.loads(resources.files("storyline").joinpath("data/clean/cues.json").read_text("utf-8"))
    out = {}
    for cat, spec in data.items():
        if cat.startswith("_"):
            continue
        phrases = sorted(spec["phrases"], key=len, reverse=True)
        index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        symbols = []
        for ph in phrases:
            toks = tuple(_tokens(ph.replace("$", "")))
            if not toks:
                symbols.append(ph)
                continue
            index.setdefault(toks[0], []).append((toks, ph))
        for v in index.values():
            v.sort(key=lambda x: -len(x[0]))
        out[cat] = {
            "reason": spec["reason"],
            "phrases": phrases,
            "index": index,
            "symbols": symbols,
            "set": {normalise(p) for p in phrases},
        }
    return out


def normalise(line: str) -> str:
    """Lower-cased, whitespace-collapsed, stripped of surrounding punctuation (for whole-line matches)."""
    s = _WS.sub(" ", line.strip().lower().replace("’", "'"))
    stripped = _STRIP.sub("", s)
    return stripped or s


def find_cue(line: str, category: str, tokens: Optional[list[str]] = None) -> Optional[str]:
    """The first phrase of ``category`` found in ``line`` (as written in the lexicon), or None.

    Phrases match as whole-token sequences (case-insensitive; any number matches '#')."""
    spec = lexicon()[category]
    toks = tokens if tokens is not None else _tokens(line)
    index = spec["index"]
    for i, t in enumerate(toks):
        cands = index.get(t)
        if not cands:
            continue
        for ptoks, phrase in cands:
            if tuple(toks[i:i + len(ptoks)]) == ptoks:
                return phrase
    for sym in spec["symbols"]:
        if sym in line:
            return sym
    return None


def is_widget(line: str) -> bool:
    n = normalise(line)
    return n in lexicon()["widgets"]["set"] or (len(n) <= 1 and not n.isalnum())


def cue_counts(line: str) -> dict[str, int]:
    toks = _tokens(line)
    out = {}
    for cat, spec in lexicon().items():
        if cat == "widgets":
            continue
        n = 0
        index = spec["index"]
        for i, t in enumerate(toks):
            for ptoks, _ in index.get(t, ()):
                if tuple(toks[i:i + len(ptoks)]) == ptoks:
                    n += 1
                    break
        n += sum(1 for sym in spec["symbols"] if sym in line)
        out[cat] = n
    return out
