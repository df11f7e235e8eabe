"""Plain text (WET-style scrapes): a line-level boilerplate classifier.

Each line is one block of the page.  A line is removed, with its reason, by
these rules in order:

1. **widget string** — the whole line is an interface string from the
   ``widgets`` lexicon ("Close", "×", "Maybe later.", "Share", …);
2. **appeal block** — a line opening an appeal ("A message from …:",
   "Dear readers,", …) past the first lines of the text starts a block that
   runs to the end when the block holds a donation/reminder cue; every line
   in it is removed (with its own cue when it has one);
3. **cue line** — a line that is short for prose (< 20 words) and carries a
   strong cue (donation, newsletter, reminder, cookies, share/follow,
   paywall, advertisement);
4. **trailing/leading short lines** — short lines without sentence
   punctuation before the first or after the last prose line;
5. **line classifier** — a logistic regression over layout and lexical
   features (length, punctuation, stop-word density, position, cue counts
   and those of the neighbouring lines), trained by
   ``scripts/train_boilerplate.py`` on a domain-held-out part of WCXB-dev
   and shipped as ``data/clean/line_model.json``.

Repetition across documents of one outlet can be added with
:class:`OutletMemory` (lines seen in earlier documents of the same outlet).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional

from storyline.clean import cues
from storyline.clean.language import english_stopwords

SENT_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
PROSE_MIN_WORDS = 12
CUE_LINE_MAX_WORDS = 20
PROSE_MODEL_THRESHOLD = 0.98  # prose of 20+ words is never removed by the model alone


@dataclass
class LineLabel:
    boilerplate: bool
    reason: Optional[str] = None
    score: float = 0.0   # probability of boilerplate where the model gave one


def words(line: str) -> list[str]:
    return cues.WORD.findall(line)


def is_prose(line: str) -> bool:
    w = words(line)
    return len(w) >= PROSE_MIN_WORDS and bool(SENT_END.search(line.strip()))


def _strong_cue(line: str) -> Optional[tuple[str, str]]:
    toks = cues._tokens(line)
    for cat in cues.STRONG:
        phrase = cues.find_cue(line, cat, toks)
        if phrase:
            return cat, phrase
    return None


def _reason(cat: str, phrase: str) -> str:
    return f"{cues.lexicon()[cat]['reason']}: '{phrase}'"


def appeal_start(lines: list[str]) -> Optional[tuple[int, str]]:
    """Index of the line that opens a trailing appeal block, and its opener phrase."""
    n = len(lines)
    if n < 3:
        return None
    first_allowed = max(2, int(n * 0.25))
    for i in range(first_allowed, n):
        opener = cues.find_cue(lines[i], "openers")
        if not opener or len(words(lines[i])) > 40:
            continue
        block = lines[i:]
        has_cue = any(cues.find_cue(l, "donation") or cues.find_cue(l, "reminder") for l in block)
        prose_before = sum(1 for l in lines[:i] if is_prose(l))
        if has_cue and prose_before >= 2:
            return i, opener
    return None


def classify_lines(lines: list[str], *, use_model: bool = True, memory: Optional["OutletMemory"] = None,
                   outlet: Optional[str] = None) -> list[LineLabel]:
    """Label every line body/boilerplate with a reason (blank lines are labelled boilerplate 'blank')."""
    n = len(lines)
    labels: list[Optional[LineLabel]] = [None] * n
    for i, line in enumerate(lines):
        if not line.strip():
            labels[i] = LineLabel(True, "blank line")
    # 1. widgets
    for i, line in enumerate(lines):
        if labels[i] is None and cues.is_widget(line):
            labels[i] = LineLabel(True, "widget string", 1.0)
    # 2. appeal block
    start = appeal_start(lines)
    if start is not None:
        i0, opener = start
        for i in range(i0, n):
            if labels[i] is not None:
                continue
            own = _strong_cue(lines[i])
            if own:
                labels[i] = LineLabel(True, _reason(*own) + " (in appeal block)", 1.0)
            else:
                labels[i] = LineLabel(True, f"appeal block after '{opener}'", 1.0)
    # 3. cue lines
    for i, line in enumerate(lines):
        if labels[i] is not None:
            continue
        hit = _strong_cue(line)
        if hit and len(words(line)) < CUE_LINE_MAX_WORDS:
            labels[i] = LineLabel(True, _reason(*hit), 1.0)
    # repetition across documents of one outlet
    if memory is not None and outlet:
        for i, line in enumerate(lines):
            if labels[i] is None and memory.seen_before(outlet, line):
                labels[i] = LineLabel(True, "repeated in other documents of this outlet", 1.0)
    # 4. short lines outside the prose region
    prose_idx = [i for i, l in enumerate(lines) if labels[i] is None and is_prose(l)]
    if prose_idx:
        last = prose_idx[-1]
        for i in range(last + 1, n):
            if labels[i] is None and len(words(lines[i])) < 8 and not SENT_END.search(lines[i].strip()):
                labels[i] = LineLabel(True, "short widget line after the article", 1.0)
            elif labels[i] is None and len(words(lines[i])) < 8 and any(
                    labels[j] is not None and labels[j].boilerplate for j in range(last + 1, i)):
                labels[i] = LineLabel(True, "short line among trailing boilerplate", 1.0)
    # 5. the model for what is left
    model = line_model() if use_model else None
    if model is not None and _model_language(lines):
        feats = line_features(lines)
        for i in range(n):
            if labels[i] is None:
                p = model.predict_proba(feats[i])
                # a prose line (a full sentence of 12+ words) needs a much surer model to go;
                # 20+ words of prose are left to the lexicon rules
                prose = is_prose(lines[i])
                if (p >= (PROSE_MODEL_THRESHOLD if prose else model.threshold)
                        and not (prose and len(words(lines[i])) >= 20)):
                    labels[i] = LineLabel(True, f"line classifier: {model.explain(feats[i])} (p={p:.2f})", p)
                else:
                    labels[i] = LineLabel(False, None, p)
    for i in range(n):
        if labels[i] is None:
            labels[i] = LineLabel(False)
    if memory is not None and outlet:
        memory.add(outlet, lines)
    return labels  # type: ignore[return-value]


def _model_language(lines: list[str]) -> bool:
    """The model reads stop-word density, so it runs where we have a stop-word list for the text's language
    (or the language is unknown); elsewhere only the lexicon rules apply."""
    from storyline.clean.language import detect, stopwords

    lang, _ = detect(" ".join(lines[:200]))
    return lang is None or lang in stopwords()


def _text_stopwords(lines: list[str]) -> frozenset[str]:
    from storyline.clean.language import detect, stopwords

    lang, _ = detect(" ".join(lines[:200]))
    return stopwords().get(lang or "en", english_stopwords())


# --------------------------------------------------------------------------
# features and the fitted model

FEATURES = [
    "bias", "log_words", "log_chars", "short3", "short8", "long25", "sent_end", "ends_colon", "stop_ratio",
    "upper_init_ratio", "digit_ratio", "punct_ratio", "pipe_bullets", "has_url", "widget", "opener",
    "donation", "newsletter", "reminder", "cookies", "social", "paywall", "advert", "related", "legal",
    "byline_meta", "pos", "pos_first", "pos_last", "prev_log_words", "next_log_words", "prev_prose",
    "next_prose", "neigh_cues", "dup_in_doc", "prose_before", "prose_after", "all_caps",
    "win_prose", "win_short", "prev_sent_end", "next_sent_end", "prev_stop", "next_stop", "win_links",
]
_URL = re.compile(r"https?://|www\.|\.com\b|@\w+\.\w+")
_BULLETS = re.compile(r"[|•»›·▶►]|^\s*[-*]\s")


def _single(line: str, sw: frozenset[str] = frozenset()) -> dict[str, float]:
    w = words(line)
    nw = len(w)
    stripped = line.strip()
    sw = sw or english_stopwords()
    f = {
        "log_words": math.log1p(nw),
        "log_chars": math.log1p(len(stripped)),
        "short3": float(nw <= 3),
        "short8": float(nw <= 8),
        "long25": float(nw >= 25),
        "sent_end": float(bool(SENT_END.search(stripped))),
        "ends_colon": float(stripped.endswith(":")),
        "stop_ratio": (sum(1 for x in w if x.lower() in sw) / nw) if nw else 0.0,
        "upper_init_ratio": (sum(1 for x in w if x[:1].isupper()) / nw) if nw else 0.0,
        "digit_ratio": (sum(c.isdigit() for c in stripped) / len(stripped)) if stripped else 0.0,
        "punct_ratio": (sum((not c.isalnum()) and not c.isspace() for c in stripped) / len(stripped))
        if stripped else 0.0,
        "pipe_bullets": float(bool(_BULLETS.search(stripped))),
        "has_url": float(bool(_URL.search(stripped))),
        "widget": float(cues.is_widget(stripped)),
        "all_caps": float(stripped.isupper() and nw >= 1),
    }
    counts = cues.cue_counts(stripped)
    for cat in ("openers", *cues.STRONG, *cues.WEAK):
        key = "opener" if cat == "openers" else cat
        f[key] = float(min(counts.get(cat, 0), 3))
    f["_prose"] = float(nw >= PROSE_MIN_WORDS and f["sent_end"] > 0)
    return f


def line_features(lines: list[str]) -> list[list[float]]:
    n = len(lines)
    sw = _text_stopwords(lines)
    singles = [_single(l, sw) for l in lines]
    norm = [cues.normalise(l) for l in lines]
    counts: dict[str, int] = {}
    for s in norm:
        counts[s] = counts.get(s, 0) + 1
    prose_cum = []
    c = 0
    for s in singles:
        c += s["_prose"]
        prose_cum.append(c)
    total_prose = c
    out = []
    for i, s in enumerate(singles):
        prev = singles[i - 1] if i > 0 else None
        nxt = singles[i + 1] if i + 1 < n else None
        f = dict(s)
        f["bias"] = 1.0
        f["pos"] = i / max(1, n - 1)
        f["pos_first"] = float(i < 3)
        f["pos_last"] = float(i >= n - 3)
        f["prev_log_words"] = prev["log_words"] if prev else 0.0
        f["next_log_words"] = nxt["log_words"] if nxt else 0.0
        f["prev_prose"] = prev["_prose"] if prev else 0.0
        f["next_prose"] = nxt["_prose"] if nxt else 0.0
        f["neigh_cues"] = float(min(3, sum(
            x[k] for x in (prev, nxt) if x for k in ("donation", "newsletter", "reminder", "social", "related",
                                                      "cookies", "widget"))))
        f["dup_in_doc"] = float(counts[norm[i]] > 1)
        before = prose_cum[i] - s["_prose"]
        f["prose_before"] = math.log1p(before)
        f["prose_after"] = math.log1p(total_prose - prose_cum[i])
        lo, hi = max(0, i - 3), min(n, i + 4)
        win = [singles[j] for j in range(lo, hi) if j != i]
        f["win_prose"] = sum(x["_prose"] for x in win) / len(win) if win else 0.0
        f["win_short"] = sum(x["short3"] for x in win) / len(win) if win else 0.0
        f["win_links"] = sum(x["pipe_bullets"] + x["widget"] for x in win) / len(win) if win else 0.0
        f["prev_sent_end"] = prev["sent_end"] if prev else 0.0
        f["next_sent_end"] = nxt["sent_end"] if nxt else 0.0
        f["prev_stop"] = prev["stop_ratio"] if prev else 0.0
        f["next_stop"] = nxt["stop_ratio"] if nxt else 0.0
        out.append([f[k] for k in FEATURES])
    return out


class LineModel:
    def __init__(self, spec: dict):
        self.features = spec["features"]
        self.mean = spec["mean"]
        self.scale = spec["scale"]
        self.coef = spec["coef"]
        self.intercept = spec["intercept"]
        self.threshold = spec.get("threshold", 0.5)
        self.interactions = spec.get("interactions", [])
        if self.features[: len(FEATURES)] != FEATURES:
            raise ValueError("line model features do not match this version's features; retrain it")

    def expand(self, x: list[float]) -> list[float]:
        idx = {k: i for i, k in enumerate(FEATURES)}
        extra = [x[idx[a]] * x[idx[b]] for a, b in self.interactions]
        return list(x) + extra

    def logit_terms(self, x: list[float]) -> list[float]:
        xe = self.expand(x)
        return [((v - m) / s if s else 0.0) * c for v, m, s, c in zip(xe, self.mean, self.scale, self.coef)]

    def predict_proba(self, x: list[float]) -> float:
        z = self.intercept + sum(self.logit_terms(x))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def explain(self, x: list[float]) -> str:
        terms = self.logit_terms(x)
        names = self.features
        top = sorted(range(len(terms)), key=lambda i: -terms[i])[:2]
        return ", ".join(_FEATURE_TEXT.get(names[i], names[i]) for i in top if terms[i] > 0) or "low body score"


_FEATURE_TEXT = {
    "short3": "very short", "short8": "short", "log_words": "length", "sent_end": "sentence ending",
    "stop_ratio": "few function words", "upper_init_ratio": "title-case words", "pipe_bullets": "menu separators",
    "has_url": "link/address", "widget": "widget string", "pos": "position", "pos_first": "at the top",
    "pos_last": "at the bottom", "prose_before": "no prose before", "prose_after": "no prose after",
    "neigh_cues": "next to cue lines", "dup_in_doc": "repeated line", "digit_ratio": "digits",
    "punct_ratio": "punctuation", "related": "related-links cue", "legal": "legal/footer cue",
    "byline_meta": "page furniture cue", "all_caps": "all capitals",
}


@lru_cache(maxsize=1)
def line_model() -> Optional[LineModel]:
    try:
        text = resources.files("storyline").joinpath("data/clean/line_model.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    try:
        return LineModel(json.loads(text))
    except (ValueError, KeyError):
        return None


# --------------------------------------------------------------------------
# repetition across documents of one outlet


class OutletMemory:
    """Remembers the lines of earlier documents per outlet; a line seen in 2+ earlier documents is boilerplate.

    Only non-prose lines (< 40 words) count, so quoted body sentences repeated in follow-ups are not removed.
    """

    def __init__(self, min_docs: int = 2, max_lines: int = 200_000):
        self.min_docs = min_docs
        self.max_lines = max_lines
        self.counts: dict[tuple[str, str], int] = {}

    def add(self, outlet: str, lines: list[str]) -> None:
        if len(self.counts) > self.max_lines:
            self.counts.clear()
        for key in {cues.normalise(l) for l in lines if l.strip() and len(words(l)) < 40}:
            self.counts[(outlet, key)] = self.counts.get((outlet, key), 0) + 1

    def seen_before(self, outlet: str, line: str) -> bool:
        if len(words(line)) >= 40:
            return False
        return self.counts.get((outlet, cues.normalise(line)), 0) >= self.min_docs


def clean_lines(lines: list[str], **kw) -> tuple[list[str], list[tuple[int, str, str]]]:
    """(kept lines, [(index, line, reason)] removed) for a list of lines."""
    labels = classify_lines(lines, **kw)
    kept, removed = [], []
    for i, (line, lab) in enumerate(zip(lines, labels)):
        if lab.boilerplate:
            if line.strip():
                removed.append((i, line, lab.reason or "boilerplate"))
        else:
            kept.append(line)
    return kept, removed
