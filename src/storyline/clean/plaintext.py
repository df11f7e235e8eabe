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
5. **line classifier** — a lexical score (logistic regression over the
   line's words, word pairs, first/last word and whole short lines; only
   words seen on pages of 8+ training domains) and gradient-boosted trees
   (scikit-learn's HistGradientBoostingClassifier, exported node by node to
   JSON and evaluated with numpy) over layout and lexical features (length,
   punctuation, stop-word density, title case, date shapes, link-like text,
   position, place relative to the longest prose block, prose runs, lines
   repeated on the page, cue counts of the line and of a ±2 window) plus the
   lexical scores of the line and its neighbours (±1/2/5 lines), trained by
   ``scripts/train_boilerplate.py`` on the pages of the WCXB-dev train
   domains and shipped as ``data/clean/line_model.json``.  Retrain with
   ``python scripts/train_boilerplate.py`` (see its docstring).  The model
   runs on texts of ``MODEL_MIN_LINES`` lines or more (it was fitted on whole
   pages), and the lexical score only on English (or undetected) text — on
   other languages its columns are 0, no evidence either way.  Where the model file carries a
   ``switch_cost``, the probabilities of non-prose lines are read as a sequence (:func:`smooth_labels`); the
   shipped file carries none (train-domain cross-validation: it cost pages body lines, see the script).

Repetition across documents of one outlet can be added with
:class:`OutletMemory` (lines seen in earlier documents of the same outlet).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from storyline.clean import cues
from storyline.clean.language import english_stopwords
from storyline.clean.packaged import packaged_json

SENT_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
PROSE_MIN_WORDS = 12
CUE_LINE_MAX_WORDS = 20
# a prose line (a full sentence of 12+ words) needs a surer model to be removed.  0.7 was chosen on the held-out
# quarter of the WCXB-dev train domains for the first tree model and re-checked for the lexical model (fold 0 line F1
# 0.9167 at 0.7, 0.9164 at 0.8, 0.9154 at 0.9, 0.9107 without the guard)
PROSE_MODEL_THRESHOLD = 0.7
# the model was fitted on whole rendered pages (hundreds of lines); on a text of fewer lines its page-level
# features (page length, shares, place relative to the main block) are out of range, so only the rules apply
MODEL_MIN_LINES = 8
SHORT_TRAILING_RULE = True  # rule 4
PROSE_KEEP_WORDS: Optional[int] = None  # when set, prose of this many words or more is never removed by the model


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
                   outlet: Optional[str] = None, smoothing: Optional[bool] = None,
                   sequence: Optional[bool] = None) -> list[LineLabel]:
    """Label every line body/boilerplate with a reason (blank lines are labelled boilerplate 'blank').
    ``smoothing`` (default :data:`SEQUENCE_SMOOTHING`): read the model's probabilities as a sequence
    (:func:`smooth_labels`) where the model carries a switch cost.  ``sequence`` (default
    :data:`SEQUENCE_MODEL`): re-read the trees' probabilities with :class:`LineSequenceModel` where one is
    shipped."""
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
    if prose_idx and SHORT_TRAILING_RULE:
        last = prose_idx[-1]
        for i in range(last + 1, n):
            if labels[i] is None and len(words(lines[i])) < 8 and not SENT_END.search(lines[i].strip()):
                labels[i] = LineLabel(True, "short widget line after the article", 1.0)
            elif labels[i] is None and len(words(lines[i])) < 8 and any(
                    labels[j] is not None and labels[j].boilerplate for j in range(last + 1, i)):
                labels[i] = LineLabel(True, "short line among trailing boilerplate", 1.0)
    # 5. the model for what is left
    model = line_model() if use_model else None
    if model is not None and n >= MODEL_MIN_LINES and _model_language(lines):
        feats = line_features(lines)
        todo = [i for i in range(n) if labels[i] is None]
        xs = None
        smoothed: Optional[list[int]] = None
        threshold = model.threshold
        tree_probs: Optional[list[float]] = None
        if isinstance(model, LexicalLineModel):
            xs = model.page_features(lines, feats)
            page_probs = model.trees.predict_many(xs)
            seq = line_sequence_model() if (SEQUENCE_MODEL if sequence is None else sequence) else None
            if seq is not None:
                tree_probs = page_probs
                page_probs = seq.predict(xs, page_probs)
                threshold = seq.threshold
            probs = {i: page_probs[i] for i in todo}
            if model.switch_cost is not None and (SEQUENCE_SMOOTHING if smoothing is None else smoothing):
                valid = [bool(words(l)) for l in lines]
                smoothed = smooth_labels(page_probs, valid, model.switch_cost, model.smooth_threshold)
        else:
            probs = dict(zip(todo, model.predict_many([feats[i] for i in todo])))
        for i in todo:
            if labels[i] is None:
                p = probs[i]
                # a prose line (a full sentence of 12+ words) needs a surer model to go
                prose = is_prose(lines[i])
                if smoothed is not None and not prose:
                    remove = bool(smoothed[i])
                else:
                    remove = p >= (PROSE_MODEL_THRESHOLD if prose else threshold)
                if remove and not (prose and PROSE_KEEP_WORDS is not None
                                   and len(words(lines[i])) >= PROSE_KEEP_WORDS):
                    why = model.explain(xs[i] if xs is not None else feats[i])
                    if smoothed is not None and p < model.smooth_threshold:
                        why += ", inside a run of boilerplate lines"
                    if tree_probs is not None and tree_probs[i] < model.threshold:
                        why += ", read with the lines around it"
                    labels[i] = LineLabel(True, f"line classifier: {why} (p={p:.2f})", p)
                else:
                    labels[i] = LineLabel(False, None, p)
    for i in range(n):
        if labels[i] is None:
            labels[i] = LineLabel(False)
    if memory is not None and outlet:
        memory.add(outlet, lines)
    return labels  # type: ignore[return-value]


# the model's line probabilities are read as a sequence (body and boilerplate come in runs): see smooth_labels
SEQUENCE_SMOOTHING = True


def smooth_labels(probs, valid, switch_cost: float, threshold: float = 0.5) -> list[int]:
    """The most likely body (0) / boilerplate (1) labelling of a page's lines given the model's probabilities,
    when every change between body and boilerplate costs ``switch_cost`` (in log-odds): a two-state Viterbi
    pass.  Each line's evidence is its log-odds of boilerplate against those of ``threshold`` (so with
    ``switch_cost`` 0 a line is boilerplate exactly when its probability reaches ``threshold``).  Lines that are
    not ``valid`` (no word) carry no evidence and take the label of the run they stand in."""
    import numpy as np

    p = np.clip(np.asarray(probs, dtype=np.float64), 1e-4, 1 - 1e-4)
    m = len(p)
    if m == 0:
        return []
    t = min(max(threshold, 1e-4), 1 - 1e-4)
    ev = np.log(p / (1 - p)) - math.log(t / (1 - t))
    ev = np.where(np.asarray(valid, dtype=bool), ev, 0.0)
    # score of ending line i in state s; state 0 earns 0, state 1 earns ev
    back = np.zeros((m, 2), dtype=np.int8)
    s0, s1 = 0.0, float(ev[0])
    for i in range(1, m):
        b0 = s1 - switch_cost > s0
        b1 = s0 - switch_cost > s1
        n0 = s1 - switch_cost if b0 else s0
        n1 = (s0 - switch_cost if b1 else s1) + float(ev[i])
        back[i, 0], back[i, 1] = b0, b1
        s0, s1 = n0, n1
    out = [0] * m
    st = int(s1 > s0)
    for i in range(m - 1, -1, -1):
        out[i] = st
        if back[i, st]:
            st = 1 - st
    return out


def _model_language(lines: list[str]) -> bool:
    """The model reads stop-word density, so it runs where we have a stop-word list for the text's language
    (or the language is unknown); elsewhere only the lexicon rules apply."""
    from storyline.clean.language import detect, stopwords

    lang, _ = detect(" ".join(lines[:200]))
    return lang is None or lang in stopwords()


LEXICAL_ENGLISH_ONLY = True


def _language(lines: list[str]) -> Optional[str]:
    from storyline.clean.language import detect

    return detect(" ".join(lines[:200]))[0]


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
    # page-level context (added with the gradient-boosted model)
    "run_prose", "run_near", "in_main", "before_main", "after_main", "words_before", "title_case",
    "date_shape", "link_like", "win2_cues", "starts_lower", "density5", "page_lines", "dup_count",
    "share_words", "main_share",
]
_URL = re.compile(r"https?://|www\.|\.com\b|@\w+\.\w+")
_BULLETS = re.compile(r"[|•»›·▶►]|^\s*[-*]\s")
_MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
           "august|september|october|november|december")
_DATE_SHAPE = re.compile(
    r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b|\b\d{1,2}:\d{2}\b|\b(?:" + _MONTHS + r")\.?\s+\d{1,2}\b|"
    r"\b\d{1,2}\s+(?:" + _MONTHS + r")\b|\b\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b|"
    r"\b(?:19|20)\d{2}\b", re.I)
_LINK_LIKE = re.compile(r"(?:»|›|→|>>|\.\.\.|…)\s*$|^\s*(?:«|‹|←|<<)|\(\d+\)\s*$|\[\d+\]|^\s*\d+\s*$")
_CUE_KEYS = ("opener", "donation", "newsletter", "reminder", "cookies", "social", "paywall", "advert", "related",
             "legal", "byline_meta", "widget")


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
    f["_nw"] = float(nw)
    content = [x for x in w if x.lower() not in sw and not x.isdigit()]
    f["title_case"] = float(2 <= nw <= 15 and bool(content) and all(x[:1].isupper() for x in content))
    f["date_shape"] = float(min(3, len(_DATE_SHAPE.findall(stripped))))
    f["link_like"] = float(bool(_LINK_LIKE.search(stripped)))
    f["starts_lower"] = float(stripped[:1].islower())
    f["_cues"] = sum(f[k] for k in _CUE_KEYS)
    return f


def _main_block(singles: list[dict]) -> tuple[int, int, float]:
    """(first, last, words) of the block of prose lines with the most words; non-prose gaps of up to two lines
    (headings, captions) do not break a block.  (-1, -1, 0) when the text has no prose line."""
    best = (-1, -1, 0.0)
    start = last = -1
    total = 0.0
    for i, s in enumerate(singles):
        if not s["_prose"]:
            continue
        if start >= 0 and i - last <= 3:
            total += s["_nw"]
        else:
            start, total = i, s["_nw"]
        last = i
        if total > best[2]:
            best = (start, last, total)
    return best


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
    # length of the run of consecutive prose lines each line belongs to (0 for non-prose lines)
    run = [0] * n
    i = 0
    while i < n:
        if singles[i]["_prose"]:
            j = i
            while j < n and singles[j]["_prose"]:
                j += 1
            for k in range(i, j):
                run[k] = j - i
            i = j
        else:
            i += 1
    m0, m1, mwords = _main_block(singles)
    words_cum = []
    c = 0.0
    for s in singles:
        words_cum.append(c)
        c += s["_nw"]
    total_words = c
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
        f["run_prose"] = math.log1p(run[i])
        f["run_near"] = math.log1p(max(run[i - 1] if i > 0 else 0, run[i + 1] if i + 1 < n else 0))
        f["in_main"] = float(m0 <= i <= m1)
        f["before_main"] = math.log1p(m0 - i) if i < m0 else 0.0
        f["after_main"] = math.log1p(i - m1) if m1 >= 0 and i > m1 else 0.0
        f["words_before"] = words_cum[i] / total_words if total_words else 0.0
        f["win2_cues"] = float(min(6, sum(singles[j]["_cues"] for j in range(max(0, i - 2), min(n, i + 3)) if j != i)))
        f["density5"] = sum(singles[j]["log_words"] for j in range(max(0, i - 5), min(n, i + 6))) / (
            min(n, i + 6) - max(0, i - 5))
        f["page_lines"] = math.log1p(n)
        f["dup_count"] = math.log1p(counts[norm[i]] - 1)
        f["share_words"] = s["_nw"] / total_words if total_words else 0.0
        f["main_share"] = mwords / total_words if total_words else 0.0
        out.append([f[k] for k in FEATURES])
    return out


def export_trees(clf, features: list[str], threshold: float, digits: int | None = None) -> dict:
    """A fitted scikit-learn HistGradientBoostingClassifier (binary) as the "trees" spec :class:`LineModel` reads:
    its nodes, flattened (leaf values rounded to ``digits`` when given).  Used by the training scripts."""
    import numpy as np

    tree = {"feature": [], "threshold": [], "left": [], "right": [], "value": [], "leaf": [], "roots": []}
    max_depth = 0
    for (pred,) in clf._predictors:
        off = len(tree["feature"])
        tree["roots"].append(off)
        for nd in pred.nodes:
            leaf = bool(nd["is_leaf"])
            value = float(nd["value"]) if leaf else 0.0
            tree["feature"].append(0 if leaf else int(nd["feature_idx"]))
            tree["threshold"].append(0.0 if leaf else float(nd["num_threshold"]))
            tree["left"].append(off + int(nd["left"]) if not leaf else 0)
            tree["right"].append(off + int(nd["right"]) if not leaf else 0)
            tree["value"].append(round(value, digits) if digits is not None else value)
            tree["leaf"].append(int(leaf))
            max_depth = max(max_depth, int(nd["depth"]))
    tree["max_depth"] = max_depth
    return {"kind": "trees", "features": list(features), "threshold": threshold,
            "baseline": float(np.ravel(clf._baseline_prediction)[0]), "trees": tree}


class LineModel:
    """The fitted line classifier, read from JSON: ``kind`` "logistic" (scaled features x coefficients) or
    "trees" (scikit-learn HistGradientBoostingClassifier exported node by node; evaluated here with numpy, so
    no pickle and no scikit-learn version pin is needed at run time)."""

    def __init__(self, spec: dict):
        self.kind = spec.get("kind", "logistic")
        self.features = spec["features"]
        self.threshold = spec.get("threshold", 0.5)
        self.interactions = spec.get("interactions", [])
        if self.features[: len(FEATURES)] != FEATURES:
            raise ValueError("line model features do not match this version's features; retrain it")
        if self.kind == "trees":
            import numpy as np

            t = spec["trees"]
            self.baseline = float(spec["baseline"])
            self.feat = np.asarray(t["feature"], dtype=np.int64)
            self.thr = np.asarray(t["threshold"], dtype=np.float64)
            self.left = np.asarray(t["left"], dtype=np.int64)
            self.right = np.asarray(t["right"], dtype=np.int64)
            self.value = np.asarray(t["value"], dtype=np.float64)
            self.leaf = np.asarray(t["leaf"], dtype=bool)
            self.roots = np.asarray(t["roots"], dtype=np.int64)
            self.depth = int(t["max_depth"])
        else:
            self.mean = spec["mean"]
            self.scale = spec["scale"]
            self.coef = spec["coef"]
            self.intercept = spec["intercept"]

    def expand(self, x: list[float]) -> list[float]:
        idx = {k: i for i, k in enumerate(FEATURES)}
        extra = [x[idx[a]] * x[idx[b]] for a, b in self.interactions]
        return list(x) + extra

    def logit_terms(self, x: list[float]) -> list[float]:
        xe = self.expand(x)
        return [((v - m) / s if s else 0.0) * c for v, m, s, c in zip(xe, self.mean, self.scale, self.coef)]

    def predict_many(self, xs: list[list[float]]) -> list[float]:
        if not xs:
            return []
        if self.kind != "trees":
            return [self.predict_proba(x) for x in xs]
        import numpy as np

        X = np.asarray(xs, dtype=np.float64)
        rows = np.arange(len(X))[:, None]
        node = np.broadcast_to(self.roots, (len(X), len(self.roots))).copy()
        for _ in range(self.depth + 1):
            leaf = self.leaf[node]
            if leaf.all():
                break
            go_left = X[rows, self.feat[node]] <= self.thr[node]
            node = np.where(leaf, node, np.where(go_left, self.left[node], self.right[node]))
        z = self.baseline + self.value[node].sum(axis=1)
        return (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).tolist()

    def predict_proba(self, x: list[float]) -> float:
        if self.kind == "trees":
            return self.predict_many([x])[0]
        z = self.intercept + sum(self.logit_terms(x))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def explain(self, x: list[float], _window=None) -> str:
        if self.kind == "trees":
            return _describe(x)
        terms = self.logit_terms(x)
        names = self.features
        top = sorted(range(len(terms)), key=lambda i: -terms[i])[:2]
        return ", ".join(_FEATURE_TEXT.get(names[i], names[i]) for i in top if terms[i] > 0) or "low body score"


def _describe(x: list[float]) -> str:
    """A short account of what marks a line as page furniture (for the tree model, which has no per-feature
    terms): the first three of these that hold."""
    f = dict(zip(FEATURES, x))
    hints = [
        (f["widget"] > 0, "widget string"), (f["pipe_bullets"] > 0, "menu separators"),
        (f["dup_in_doc"] > 0, "repeated line"), (f["short3"] > 0, "very short"),
        (f["short8"] > 0 and f["short3"] == 0, "short"), (f["sent_end"] == 0, "no sentence ending"),
        (f["before_main"] > 0, "before the main text"), (f["after_main"] > 0, "after the main text"),
        (f["title_case"] > 0, "title-case words"), (f["link_like"] > 0 or f["has_url"] > 0, "link-like"),
        (f["date_shape"] > 0 and f["short8"] > 0, "date/time stamp"),
        (f["win2_cues"] > 0, "next to cue lines"), (f["stop_ratio"] < 0.2, "few function words"),
    ]
    out = [text for cond, text in hints if cond][:3]
    return ", ".join(out) or "low body score"


_FEATURE_TEXT = {
    "short3": "very short", "short8": "short", "log_words": "length", "sent_end": "sentence ending",
    "stop_ratio": "few function words", "upper_init_ratio": "title-case words", "pipe_bullets": "menu separators",
    "has_url": "link/address", "widget": "widget string", "pos": "position", "pos_first": "at the top",
    "pos_last": "at the bottom", "prose_before": "no prose before", "prose_after": "no prose after",
    "neigh_cues": "next to cue lines", "dup_in_doc": "repeated line", "digit_ratio": "digits",
    "punct_ratio": "punctuation", "related": "related-links cue", "legal": "legal/footer cue",
    "byline_meta": "page furniture cue", "all_caps": "all capitals",
}


# --------------------------------------------------------------------------
# the shipped model: a lexical score per line, then trees over the line's features and the lexical scores of
# the line and its neighbours

_LEX_TOKEN = re.compile(r"\w+")


def lexical_tokens(line: str) -> set[str]:
    """The words a line is made of, for the lexical score: lower-cased words (numbers as '#'), word pairs,
    the first and the last word, and the whole line when it has at most four words."""
    t = ["#" if x.isdigit() else x for x in _LEX_TOKEN.findall(line.lower())]
    out = {"u:" + x for x in t} | {"b:" + a + "_" + b for a, b in zip(t, t[1:])}
    if t:
        out |= {"first:" + t[0], "last:" + t[-1]}
        if len(t) <= 4:
            out.add("whole:" + "_".join(t))
    return out


class LexicalModel:
    """A linear score over :func:`lexical_tokens` (logistic regression; only words seen on pages of several
    training domains are kept, so no outlet's own strings are learnt)."""

    def __init__(self, spec: dict):
        self.intercept = float(spec["intercept"])
        self.weights: dict[str, float] = spec["weights"]

    def score(self, line: str) -> float:
        w = self.weights
        return self.intercept + sum(w.get(t, 0.0) for t in lexical_tokens(line))


LEX_CONTEXT_FEATURES = ["lex", "lex_win1", "lex_win2", "lex_win5", "lex_prev", "lex_next", "lex_page_mean"]


def lexical_context(lex) -> "np.ndarray":
    """Columns :data:`LEX_CONTEXT_FEATURES` for every line of a page from the lexical scores ``lex`` of its
    lines: the score itself, its mean over windows of ±1, ±2 and ±5 lines (the line left out), the previous
    and the next line's score (0 at the edges) and the page mean."""
    import numpy as np

    lex = np.asarray(lex, dtype=np.float64)
    m = len(lex)
    out = np.zeros((m, len(LEX_CONTEXT_FEATURES)))
    if m == 0:
        return out
    c = np.concatenate([[0.0], np.cumsum(lex)])
    idx = np.arange(m)
    out[:, 0] = lex
    for j, w in enumerate((1, 2, 5)):
        lo = np.clip(idx - w, 0, m)
        hi = np.clip(idx + w + 1, 0, m)
        out[:, 1 + j] = (c[hi] - c[lo] - lex) / np.maximum(1, hi - lo - 1)
    out[:, 4] = np.r_[[0.0], lex[:-1]]
    out[:, 5] = np.r_[lex[1:], [0.0]]
    out[:, 6] = lex.mean()
    return out


class LexicalLineModel:
    """The shipped line classifier: a lexical score per line (:class:`LexicalModel`), then gradient-boosted
    trees over :data:`FEATURES` + :data:`LEX_CONTEXT_FEATURES` (the line's and its neighbours' lexical scores).
    Fitted by ``scripts/train_boilerplate.py``."""

    kind = "lexical+trees"

    def __init__(self, spec: dict):
        self.lexical = LexicalModel(spec["lexical"])
        self.trees = LineModel(spec["trees"])
        if self.trees.features != FEATURES + LEX_CONTEXT_FEATURES:
            raise ValueError("line model features do not match this version's features; retrain it")
        self.threshold = float(spec.get("threshold", self.trees.threshold))
        self.features = self.trees.features
        # cost of a change between body and boilerplate for smooth_labels (None: each line on its own)
        self.switch_cost = spec.get("switch_cost")
        # the threshold smooth_labels weighs each line's evidence against (chosen together with the switch cost)
        self.smooth_threshold = float(spec.get("smooth_threshold") or self.threshold)

    def page_features(self, lines: list[str], feats: Optional[list[list[float]]] = None) -> list[list[float]]:
        import numpy as np

        if not lines:
            return []
        feats = feats if feats is not None else line_features(lines)
        if LEXICAL_ENGLISH_ONLY and _language(lines) not in (None, "en"):
            # the lexical weights are learnt from English pages: elsewhere they are no evidence either way
            lex = [0.0] * len(lines)
        else:
            lex = [self.lexical.score(l) for l in lines]
        return np.column_stack([np.asarray(feats, dtype=np.float64), lexical_context(lex)]).tolist()

    def predict_page(self, lines: list[str], feats: Optional[list[list[float]]] = None) -> list[float]:
        """Boilerplate probability of every line of one page (in order)."""
        return self.trees.predict_many(self.page_features(lines, feats)) if lines else []

    def predict_many(self, xs: list[list[float]]) -> list[float]:
        raise TypeError("the line model reads neighbouring lines: use predict_page(lines)")

    def explain(self, x: list[float], window=None) -> str:
        text = _describe(x)
        if len(x) > len(FEATURES) and x[len(FEATURES)] > 1.5:
            text = (text + ", " if text != "low body score" else "") + "boilerplate wording"
        return text


SEQUENCE_FEATURES = FEATURES + LEX_CONTEXT_FEATURES + ["tree_logit"]


def _sigmoid(x):
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))


def gru_pass(xs, w_ih, w_hh, b_ih, b_hh):
    """One direction of a GRU layer (the gate layout and equations of ``torch.nn.GRU``: reset, update, new)
    over the rows of ``xs``: the hidden state after each row."""
    import numpy as np

    hidden = w_hh.shape[1]
    gi = xs @ w_ih.T + b_ih
    h = np.zeros(hidden)
    out = np.empty((len(xs), hidden))
    w_hh_t = w_hh.T
    for t in range(len(xs)):
        gh = h @ w_hh_t + b_hh
        r = _sigmoid(gi[t, :hidden] + gh[:hidden])
        z = _sigmoid(gi[t, hidden:2 * hidden] + gh[hidden:2 * hidden])
        n = np.tanh(gi[t, 2 * hidden:] + r * gh[2 * hidden:])
        h = (1.0 - z) * n + z * h
        out[t] = h
    return out


class LineSequenceModel:
    """A second reading of the page as a sequence: a small bidirectional GRU over every line's tree features,
    lexical context and the trees' log-odds, whose output is added to those log-odds (so a line is judged with
    the whole page before and after it).  Fitted by ``scripts/train_boilerplate.py --gru`` on the trees'
    out-of-fold probabilities, shipped as ``data/clean/line_sequence.json``, evaluated with numpy."""

    def __init__(self, spec: dict):
        import numpy as np

        if spec.get("features") != SEQUENCE_FEATURES:
            raise ValueError("line sequence model features do not match this version's features; retrain it")
        self.threshold = float(spec["threshold"])
        self.mean = np.asarray(spec["mean"], dtype=np.float64)
        self.scale = np.asarray(spec["scale"], dtype=np.float64)
        self.inp_w = np.asarray(spec["inp_w"], dtype=np.float64)
        self.inp_b = np.asarray(spec["inp_b"], dtype=np.float64)
        self.dirs = [tuple(np.asarray(spec[d][k], dtype=np.float64) for k in ("w_ih", "w_hh", "b_ih", "b_hh"))
                     for d in ("fwd", "bwd")]
        self.out_w = np.asarray(spec["out_w"], dtype=np.float64)
        self.out_b = float(spec["out_b"])
        self.skip_w = float(spec["skip_w"])
        self.skip_b = float(spec["skip_b"])

    def predict(self, xs, tree_probs) -> list[float]:
        """Boilerplate probability of every line of a page from its tree-model rows ``xs`` (FEATURES +
        LEX_CONTEXT_FEATURES) and the trees' probabilities."""
        import numpy as np

        if not len(xs):
            return []
        p = np.clip(np.asarray(tree_probs, dtype=np.float64), 1e-4, 1 - 1e-4)
        z = np.log(p / (1 - p))
        x = (np.column_stack([np.asarray(xs, dtype=np.float64), z]) - self.mean) / self.scale
        h = np.tanh(x @ self.inp_w.T + self.inp_b)
        fwd = gru_pass(h, *self.dirs[0])
        bwd = gru_pass(h[::-1], *self.dirs[1])[::-1]
        logit = np.concatenate([fwd, bwd, h], axis=1) @ self.out_w + self.out_b + self.skip_w * z + self.skip_b
        return _sigmoid(logit).tolist()


# the trees' probabilities are read again as a sequence where a LineSequenceModel is shipped
SEQUENCE_MODEL = True


@lru_cache(maxsize=1)
def line_sequence_model() -> Optional[LineSequenceModel]:
    spec = packaged_json("line_sequence.json")
    try:
        return LineSequenceModel(spec) if spec is not None else None
    except (ValueError, KeyError):
        return None


@lru_cache(maxsize=1)
def line_model():
    spec = packaged_json("line_model.json")
    if spec is None:
        return None
    try:
        return LexicalLineModel(spec) if spec.get("kind") == "lexical+trees" else LineModel(spec)
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
