"""A light language detector: writing system first, then stop-word ratios (data/clean/stopwords.json)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Optional

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_SCRIPTS = [
    ("ar", re.compile(r"[\u0600-\u06FF]")),
    ("he", re.compile(r"[\u0590-\u05FF]")),
    ("el", re.compile(r"[\u0370-\u03FF]")),
    ("hy", re.compile(r"[\u0530-\u058F]")),
    ("ka", re.compile(r"[\u10A0-\u10FF]")),
    ("zh", re.compile(r"[\u4E00-\u9FFF]")),
    ("ja", re.compile(r"[\u3040-\u30FF]")),
    ("ko", re.compile(r"[\uAC00-\uD7AF]")),
    ("hi", re.compile(r"[\u0900-\u097F]")),
    ("th", re.compile(r"[\u0E00-\u0E7F]")),
    ("cyrl", re.compile(r"[\u0400-\u04FF]")),
]


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    data = json.loads(resources.files("storyline").joinpath("data/clean/stopwords.json").read_text("utf-8"))
    return {k: frozenset(v) for k, v in data.items() if not k.startswith("_")}


def english_stopwords() -> frozenset[str]:
    return stopwords()["en"]


def detect(text: str, sample: int = 20000) -> tuple[Optional[str], float]:
    """(ISO 639-1 code or None, confidence 0..1) for ``text``."""
    text = text[:sample]
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 20:
        return None, 0.0
    # writing systems other than Latin
    for code, rx in _SCRIPTS:
        share = len(rx.findall(text)) / len(letters)
        if share > 0.3:
            if code == "cyrl":
                return _cyrillic(text), min(1.0, share)
            if code == "zh" and _SCRIPTS[6][1].search(text):
                return "ja", min(1.0, share)
            return code, min(1.0, share)
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None, 0.0
    scores = {}
    for lang, sw in stopwords().items():
        if lang in ("ru", "uk"):
            continue
        scores[lang] = sum(1 for w in words if w in sw) / len(words)
    best = max(scores, key=scores.get)
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] < 0.08:
        return None, ranked[0]
    margin = ranked[0] - (ranked[1] if len(ranked) > 1 else 0.0)
    if best != "en" and _own_share(text, best) < OWN_WORDS_MIN:
        # no words of its own: the language won on stop words it shares with English and one-letter words
        # ("a", "to", "by", "do", the "s" of "it's"), or on acronyms ("AM" is German "am"), as English product
        # listings, tables and logs do; English when its stop words are there at all
        return ("en", scores["en"]) if scores.get("en", 0.0) >= OWN_WORDS_MIN else (None, ranked[0])
    return best, min(1.0, 0.5 + margin * 3)


# share of a non-English language's own stop words (not English ones, not one letter, not written in capitals)
# below which it is not detected
OWN_WORDS_MIN = 0.04


def _own_share(text: str, lang: str) -> float:
    sw = stopwords()
    own = sw[lang] - sw.get("en", frozenset())
    toks = _WORD.findall(text)
    if not toks:
        return 0.0
    return sum(1 for t in toks if len(t) > 1 and not t.isupper() and t.lower() in own) / len(toks)


def _cyrillic(text: str) -> str:
    words = [w.lower() for w in _WORD.findall(text)]
    uk_letters = len(re.findall(r"[іїєґІЇЄҐ]", text))
    ru_letters = len(re.findall(r"[ыэъЫЭЪ]", text))
    sw = stopwords()
    uk = sum(1 for w in words if w in sw["uk"]) + 2 * uk_letters
    ru = sum(1 for w in words if w in sw["ru"]) + 2 * ru_letters
    if re.search(r"[ЉЊЋЏђљњћџ]", text):
        return "sr"
    if re.search(r"[ѓќѕ]", text):
        return "mk"
    if "ў" in text.lower():
        return "be"
    return "uk" if uk > ru else "ru"
