"""Our own block scorer for HTML main content.

The page is rendered into visible blocks (:func:`storyline.clean.render.render`, the WET-like rendering with
DOM context).  Each block gets features (:func:`block_features`): its text (length, punctuation, function
words, cue lexicon hits), its place in the DOM (tag, ancestor tags, class/id words of the ancestors, depth,
the text and link density of the elements around it), its place in the page, whether trafilatura kept it
and how much of its neighbourhood trafilatura kept, and its similarity to the title.  A gradient-boosted
model fitted by ``scripts/train_blocks.py`` on the WCXB-dev *train* domains (the same fixed domain split as
the plain-text line model) scores each block; blocks scoring at or above the shipped threshold are the main
content.  The fitted trees are shipped as ``data/clean/block_model.json`` and evaluated with numpy by the
plain-text line model's evaluator (:class:`storyline.clean.plaintext.LineModel`), so no pickle is shipped.

Retrain: ``python scripts/train_blocks.py`` (see its docstring).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Optional

from storyline.clean import cues, render
from storyline.clean.packaged import packaged_json

_TOK = re.compile(r"\w+")
_SENT_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_DATE_SHAPE = re.compile(r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b|\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b")
_CUE_CATS = ("openers", "donation", "newsletter", "reminder", "cookies", "social", "paywall", "advert",
             "related", "legal", "byline_meta")
_TAGS = ("p", "h1", "h2", "h3", "h4", "li", "td", "div", "dd", "pre", "blockquote", "figcaption", "span", "a",
         "section", "article", "th", "dt", "br", "button", "label")
_CTX = tuple(sorted(render.CONTEXT_TAGS))
_REASONS = ("cookie notice", "newsletter box", "appeal/paywall box", "share widget", "related links", "comments",
            "breadcrumbs", "navigation", "ticker", "advertisement", "footer", "sidebar", "page header",
            "form/widget")
_POSITIVE = ("content", "article", "body", "entry", "post", "story", "text", "main", "prose", "rich",
             "detail", "single", "blog", "news", "paragraph", "markdown", "docs", "page")
_NEGATIVE = ("caption", "author", "byline", "meta", "date", "time", "tag", "tags", "category", "title",
             "headline", "summary", "excerpt", "teaser", "card", "list", "item", "link", "button", "btn",
             "icon", "label", "hidden", "sr", "visually", "modal", "popup", "toc", "pagination", "pager")
GROUP_LEVELS = (1, 2, 3, 4, 6)
_NEAR_TAGS = frozenset({"nav", "footer", "aside", "form", "button"})


def _names() -> list[str]:
    n = ["log_words", "log_chars", "link_ratio", "sent_end", "stop_ratio", "upper_init", "digit_ratio",
         "punct_ratio", "all_caps", "widget", "date_shape", "starts_lower", "ends_colon", "short3", "in_link"]
    n += [f"cue_{c}" for c in _CUE_CATS]
    n += [f"tag_{t}" for t in _TAGS] + ["tag_other"]
    n += [f"ctx_{t}" for t in _CTX]
    n += [f"why_{i}" for i in range(len(_REASONS))] + [f"near_why_{i}" for i in range(len(_REASONS))]
    n += ["pos_words", "neg_words", "near_pos_words", "near_neg_words"]
    n += ["depth", "depth_rel", "pos", "words_before", "page_blocks", "page_words"]
    n += ["t_exact", "t_frac", "t_win", "t_prev", "t_next", "t_inside", "t_dist", "t_words", "t_share",
          "t_before", "t_after"]
    n += ["title_jacc", "dup"]
    n += ["prev_words", "next_words", "prev_link", "next_link", "prev_sent", "next_sent", "win_words",
          "win_prose"]
    for k in GROUP_LEVELS:
        n += [f"g{k}_words", f"g{k}_tshare", f"g{k}_link", f"g{k}_prose", f"g{k}_blocks"]
    return n


FEATURES = _names()


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from storyline.clean.language import stopwords

    out: set[str] = set()
    for words in stopwords().values():
        out |= set(words)
    return frozenset(out)


@lru_cache(maxsize=8192)
def context_reason(tags: frozenset, words: frozenset) -> Optional[str]:
    """:func:`render.block_reason` for a context (many blocks share one; cached)."""
    return render.block_reason(render.Block("", tags, words))


@lru_cache(maxsize=1)
def _cue_heads() -> dict[str, tuple[frozenset, tuple]]:
    lex = cues.lexicon()
    return {cat: (frozenset(lex[cat]["index"]), tuple(lex[cat]["symbols"])) for cat in _CUE_CATS}


def _cue_flags(text: str, toks: list[str]) -> dict[str, float]:
    heads = _cue_heads()
    tset = set(toks)
    out = {}
    for cat in _CUE_CATS:
        first, symbols = heads[cat]
        if tset & first or any(sym in text for sym in symbols):
            out[cat] = 1.0 if cues.find_cue(text, cat, toks) else 0.0
        else:
            out[cat] = 0.0
    return out


_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[^\w\s]|_")


def _is_widget(norm: str) -> bool:
    return norm in cues.lexicon()["widgets"]["set"] or (len(norm) <= 1 and not norm.isalnum())


@lru_cache(maxsize=8192)
def _context_features(tag: str, tags: frozenset, words: frozenset, near_words: frozenset) -> list[float]:
    """The features a block owes to its DOM context (shared by many blocks; cached)."""
    tg = [float(tag == t) for t in _TAGS]
    f = tg + [float(not any(tg))]
    f += [float(t in tags) for t in _CTX]
    why = context_reason(tags, words)
    near = context_reason(tags & _NEAR_TAGS, near_words)
    f += [float(why == r) for r in _REASONS] + [float(near == r) for r in _REASONS]
    f += [float(sum(1 for x in _POSITIVE if x in words)), float(sum(1 for x in _NEGATIVE if x in words)),
          float(sum(1 for x in _POSITIVE if x in near_words)), float(sum(1 for x in _NEGATIVE if x in near_words))]
    return f


def _tokseq(text: str) -> list[str]:
    return _TOK.findall(text.lower())


def traf_match(blocks: list[render.Block], extracted: str) -> tuple[list[float], list[float]]:
    """(exact, fraction) per block: whether the block's token sequence occurs in the extractor's text, and the
    share of its tokens found there."""
    toks = _tokseq(extracted)
    joined = " " + " ".join(toks) + " "
    vocab = set(toks)
    exact, frac = [], []
    for b in blocks:
        bt = _tokseq(b.text)
        if not bt:
            exact.append(0.0)
            frac.append(0.0)
            continue
        e = (" " + " ".join(bt) + " ") in joined
        exact.append(float(e))
        frac.append(1.0 if e else sum(1 for t in bt if t in vocab) / len(bt))
    return exact, frac


def block_features(blocks: list[render.Block], extracted: str, title: Optional[str] = None) -> list[list[float]]:
    """One feature vector (in :data:`FEATURES` order) per block."""
    n = len(blocks)
    if not n:
        return []
    sw = _stopwords()
    exact, frac = traf_match(blocks, extracted)
    title_set = set(_tokseq(title or ""))
    norm = [cues.normalise(b.text) for b in blocks]
    counts = Counter(norm)
    singles = []
    for b in blocks:
        t = b.text
        w = t.split()
        nw = len(w)
        toks = cues._tokens(t)
        cc = _cue_flags(t, toks)
        singles.append({
            "nw": nw, "log_words": math.log1p(nw), "log_chars": math.log1p(len(t)),
            "link_ratio": min(1.0, b.link_chars / len(t)) if t else 0.0,
            "sent_end": float(bool(_SENT_END.search(t))),
            "stop_ratio": (sum(1 for x in toks if x in sw) / len(toks)) if toks else 0.0,
            "upper_init": (sum(1 for x in w if x[:1].isupper()) / nw) if nw else 0.0,
            "digit_ratio": len(_DIGIT.findall(t)) / len(t) if t else 0.0,
            "punct_ratio": len(_PUNCT.findall(t)) / len(t) if t else 0.0,
            "all_caps": float(t.isupper()), "widget": float(_is_widget(norm[len(singles)])),
            "date_shape": float(min(3, len(_DATE_SHAPE.findall(t)))), "starts_lower": float(t[:1].islower()),
            "ends_colon": float(t.endswith(":")), "short3": float(nw <= 3), "in_link": float("a" in b.tags),
            "cues": cc,
        })
    total_words = sum(s["nw"] for s in singles) or 1
    prose = [s["nw"] >= 10 and s["sent_end"] > 0 for s in singles]
    prose_depths = sorted(b.depth for b, p in zip(blocks, prose) if p)
    med_depth = prose_depths[len(prose_depths) // 2] if prose_depths else 0
    kept_idx = [i for i in range(n) if frac[i] >= 0.6]
    first_k, last_k = (kept_idx[0], kept_idx[-1]) if kept_idx else (-1, -1)
    t_words = len(_tokseq(extracted))
    # nearest kept block distance
    dist = [n] * n
    last = -10 ** 9
    for i in range(n):
        if frac[i] >= 0.6:
            last = i
        dist[i] = i - last
    last = 10 ** 9
    for i in range(n - 1, -1, -1):
        if frac[i] >= 0.6:
            last = i
        dist[i] = min(dist[i], last - i)
    # DOM groups: blocks sharing their k-th innermost ancestor
    groups = {}
    for k in GROUP_LEVELS:
        agg: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0, 0.0])
        keys = []
        for i, b in enumerate(blocks):
            key = b.anc[-k] if len(b.anc) >= k else -1
            keys.append(key)
            a = agg[key]
            nw = singles[i]["nw"]
            a[0] += nw
            a[1] += nw * frac[i]
            a[2] += b.link_chars
            a[3] += prose[i]
            a[4] += len(b.text)
        groups[k] = (keys, agg)
    out = []
    cum = 0
    for i, (b, s) in enumerate(zip(blocks, singles)):
        f = [s["log_words"], s["log_chars"], s["link_ratio"], s["sent_end"], s["stop_ratio"], s["upper_init"],
             s["digit_ratio"], s["punct_ratio"], s["all_caps"], s["widget"], s["date_shape"], s["starts_lower"],
             s["ends_colon"], s["short3"], s["in_link"]]
        f += [s["cues"][c] for c in _CUE_CATS]
        f += _context_features(b.tag, b.tags, b.words, b.near_words)
        f += [float(b.depth), float(b.depth - med_depth), i / n, cum / total_words, math.log1p(n),
              math.log1p(total_words)]
        cum += s["nw"]
        win = range(max(0, i - 2), min(n, i + 3))
        f += [exact[i], frac[i], sum(frac[j] for j in win) / len(win), frac[i - 1] if i else 0.0,
              frac[i + 1] if i + 1 < n else 0.0, float(first_k <= i <= last_k and first_k >= 0),
              math.log1p(min(dist[i], 1000)), math.log1p(t_words), t_words / total_words,
              float(first_k >= 0 and i < first_k), float(first_k >= 0 and i > last_k)]
        bt = set(_tokseq(b.text))
        f += [len(bt & title_set) / len(bt | title_set) if (bt and title_set) else 0.0,
              math.log1p(counts[norm[i]] - 1)]
        p, q = singles[i - 1] if i else None, singles[i + 1] if i + 1 < n else None
        f += [p["log_words"] if p else 0.0, q["log_words"] if q else 0.0, p["link_ratio"] if p else 0.0,
              q["link_ratio"] if q else 0.0, p["sent_end"] if p else 0.0, q["sent_end"] if q else 0.0,
              sum(singles[j]["log_words"] for j in win) / len(win), sum(prose[j] for j in win) / len(win)]
        for k in GROUP_LEVELS:
            keys, agg = groups[k]
            a = agg[keys[i]]
            f += [math.log1p(a[0]), a[1] / a[0] if a[0] else 0.0, a[2] / a[4] if a[4] else 0.0,
                  math.log1p(a[3]), 0.0]
        out.append(f)
    # number of blocks per group (needs a count pass)
    for k_i, k in enumerate(GROUP_LEVELS):
        keys, _ = groups[k]
        c = Counter(keys)
        col = FEATURES.index(f"g{k}_blocks")
        for i in range(n):
            out[i][col] = math.log1p(c[keys[i]])
    return out


# --------------------------------------------------------------------------
# the fitted model


class BlockModel:
    """The fitted block scorer (gradient-boosted trees exported to JSON; label 1 = main content)."""

    def __init__(self, spec: dict):
        from storyline.clean.plaintext import FEATURES as LINE_FEATURES, LineModel

        if spec.get("features") != FEATURES:
            raise ValueError("block model features do not match this version's features; retrain it")
        # the line model's evaluator checks its own feature names; the tree arrays are what it evaluates
        self._trees = LineModel({**spec, "features": LINE_FEATURES})
        self.threshold = float(spec.get("threshold", 0.5))
        # pages declaring themselves articles, or where trafilatura found at least this many words, keep
        # trafilatura's text (cue-pruned) instead of the scorer's selection
        self.gate_min_words = int(spec.get("gate_min_words", 10 ** 9))
        # blocks the extractor left out of a text of at least add_min_words words need add_threshold
        self.add_threshold = float(spec.get("add_threshold", self.threshold))
        self.add_min_words = int(spec.get("add_min_words", 10 ** 9))
        # trafilatura's text plus the blocks it left out that score at least union_add (union_add_declared on
        # pages declaring themselves articles): storyline.clean.html.select_blocks
        self.union_add = float(spec.get("union_add", 0.5))
        self.union_add_declared = float(spec.get("union_add_declared", 0.7))
        self.spec = spec

    def predict_many(self, xs: list[list[float]]) -> list[float]:
        """Probabilities of main content: the line model's tree arrays, walked only where a tree has not yet
        reached its leaf (same result as LineModel.predict_many, less work on shallow trees)."""
        if not xs:
            return []
        import numpy as np

        t = self._trees
        X = np.asarray(xs, dtype=np.float64)
        n, k = len(X), len(t.roots)
        node = np.broadcast_to(t.roots, (n, k)).copy().ravel()
        rows = np.repeat(np.arange(n), k)
        active = np.flatnonzero(~t.leaf[node])
        while active.size:
            nd = node[active]
            go_left = X[rows[active], t.feat[nd]] <= t.thr[nd]
            nxt = np.where(go_left, t.left[nd], t.right[nd])
            node[active] = nxt
            active = active[~t.leaf[nxt]]
        z = t.baseline + t.value[node.reshape(n, k)].sum(axis=1)
        return (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).tolist()


@lru_cache(maxsize=1)
def block_model() -> Optional[BlockModel]:
    spec = packaged_json("block_model.json")
    try:
        return BlockModel(spec) if spec is not None else None
    except (ValueError, KeyError):
        return None


_INDEX = {k: i for i, k in enumerate(FEATURES)}


class _Row:
    """Feature values by name without building a dict per block."""

    __slots__ = ("x",)

    def __init__(self, x):
        self.x = x

    def __getitem__(self, key: str) -> float:
        return self.x[_INDEX[key]]


def describe(x: list[float]) -> str:
    """What marks a dropped block as page furniture: the first three of these hints that hold."""
    f = _Row(x)
    hints = [
        (f["widget"] > 0, "widget string"), (f["link_ratio"] >= 0.5, "mostly link text"),
        (f["t_frac"] < 0.5, "outside the extractor's text"), (f["ctx_nav"] > 0, "in <nav>"),
        (f["ctx_footer"] > 0, "in <footer>"), (f["ctx_aside"] > 0, "in <aside>"),
        (f["ctx_header"] > 0, "in <header>"), (f["dup"] > 0, "repeated on the page"),
        (f["t_before"] > 0, "before the main text"), (f["t_after"] > 0, "after the main text"),
        (f["short3"] > 0, "very short"), (f["g2_link"] >= 0.5, "in a link-heavy container"),
        (f["sent_end"] == 0, "no sentence ending"), (f["neg_words"] > 0, "class/id of page furniture"),
    ]
    out = [text for cond, text in hints if cond][:3]
    return ", ".join(out) or "low main-content score"
