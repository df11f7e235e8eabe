"""HTML: main content, metadata, and every left-out block with a reason.

1. The page is parsed once and rendered into visible blocks (:mod:`render`); trafilatura runs once on the tree.
2. Pages declaring themselves articles (og:type, JSON-LD, microdata) keep trafilatura's text, unscored (where the
   prose it left out holds half its length: its recall-oriented run, then readability-lxml's text, each only when
   it is a longer superset); :func:`article_prune` then removes the headline as first line, teaser lines that are
   mostly link text, related-links headings / "Read more:" lead-ins and a closing credit/contact line.  Other
   pages take trafilatura's text (where it found 200+ words and left prose out: its recall-oriented run, then
   readability-lxml's text, each only when it is a longer superset), plus the blocks it left out that our block
   scorer (:mod:`blocks`, gradient-boosted trees trained on the WCXB-dev train domains by
   ``scripts/train_blocks.py``, trafilatura's choice among its features) rates as content; lines that are blocks
   in their own cookie / newsletter / appeal box go.  No text from trafilatura: the blocks the scorer keeps.
   Nothing found: the page's own prose blocks.
3. Our pruning removes what extractors tend to keep: appeal / newsletter / paywall / share / reminder paragraphs
   (cue lexicons, data/clean/cues.json) and widget strings, with the reason.  Body text that is UTF-8 read as
   Windows-1252 is repaired.
4. Every visible block not in the kept text is recorded as boilerplate with a reason taken from its context
   (navigation, footer, related links, …), its cue, or the scorer's main hints.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from storyline.clean import cues, metadata, render
from storyline.clean.blocks import FEATURES as BLOCK_FEATURES
from storyline.clean.blocks import _cue_heads, block_features, block_model, context_reason
from storyline.clean.blocks import describe as describe_block
from storyline.clean.plaintext import classify_lines
from storyline.model import Article, Boilerplate, Document

_WS = re.compile(r"\s+")
_TOK = re.compile(r"\w+")
# a kept block whose own container is one of these boxes is left out anyway (neutral on the train domains'
# held-out quarter, where these boxes are rare; share widgets and comment sections were not: they stay scored)
BOX_REASONS = frozenset({"cookie notice", "newsletter box", "appeal/paywall box"})
_NEAR_TAGS = frozenset({"nav", "footer", "aside", "form", "button"})
PRUNE_AFTER_SCORER = True    # our cue-lexicon pruning also runs on the scorer's kept blocks


def extract_main(html: str, url: Optional[str] = None, **kw):
    """trafilatura's bare extraction with metadata (a trafilatura Document or None)."""
    import trafilatura

    try:
        return trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                           include_tables=True, **kw)
    except Exception:
        return None


def page_title(tree) -> Optional[str]:
    """The page's <title> text (None when absent)."""
    try:
        el = tree.find(".//title")
    except Exception:
        return None
    t = _WS.sub(" ", el.text_content() if el is not None else "").strip()
    return t or None


# plain-text rules not applied to an extractor's HTML output: the short-line rules, and the extension of an appeal
# block to every line after its opener ("before you go", "if you value" ...).  On the WCXB-dev train domains'
# article pages that extension removed 333 lines of main content and no boilerplate line (the extractor has
# already cut the page's tail; the lines that carry a cue of their own are still removed).
_NO_PRUNE = ("short", "appeal block after")


def prune(lines: list[str], appeal_blocks: bool = False) -> tuple[list[str], list[tuple[int, str, str]]]:
    """Our pruning of the extractor's output: widget strings and strong-cue paragraphs (with ``appeal_blocks``,
    also every line after an appeal opener, as in plain text)."""
    labels = classify_lines(lines, use_model=False)
    skip = ("short",) if appeal_blocks else _NO_PRUNE
    kept, removed = [], []
    for i, (line, lab) in enumerate(zip(lines, labels)):
        if lab.boilerplate and lab.reason and not lab.reason.startswith(skip):
            removed.append((i, line, lab.reason))
        else:
            kept.append(line)
    return kept, removed


# -- rules for the extractor's text on pages that declare themselves articles (chosen on the WCXB-dev train domains'
# declared pages and on half A of AEB, sha1(file name) % 2 == 0; see /work/notes and BENCHMARKS.md)
# a line of at least TEASER_MIN_WORDS words of which TEASER_LINK_SHARE or more of the characters are link text is a
# teaser for another page (a headline linking out), not the article's own prose
TEASER_MIN_WORDS, TEASER_LINK_SHARE = 8, 0.8
# a related-links heading ("Most read") has at most RELATED_HEAD_MAX_WORDS words
RELATED_HEAD_MAX_WORDS = 5
# the text's last line, when it holds a credit/contact cue (cues.json "credits") and has at most this many words
CREDIT_MAX_WORDS = 40


def _norm_words(s: Optional[str]) -> str:
    return " ".join(_TOK.findall((s or "").lower()))


def headline_forms(tree, res=None) -> set[str]:
    """The page's headline as its sources give it (og:/twitter: title, <h1>s, <title> and its first segment,
    trafilatura's title), each as lower-cased words."""
    forms = {_norm_words(res.title if res is not None else None)}
    try:
        for v in tree.xpath('//meta[@property="og:title" or @name="og:title" or @name="twitter:title" '
                            'or @property="twitter:title"]/@content'):
            forms.add(_norm_words(v))
        for h in tree.xpath("//h1"):
            forms.add(_norm_words(h.text_content()))
    except Exception:
        pass
    pt = page_title(tree)
    if pt:
        forms.add(_norm_words(pt))
        parts = re.split(r"\s+[|–—:·•\-»~/]\s+", pt)
        if len(parts) > 1:
            forms.add(_norm_words(parts[0]))
    forms.discard("")
    return forms


def line_link_chars(lines: list[str], blocks: list[render.Block]) -> list[int]:
    """Characters of link text per line: each block (in page order) is looked for in the lines from the one that
    held the block before it (a line may hold several blocks, e.g. a list item's headline and its summary)."""
    link = [0] * len(lines)
    j0 = 0
    for b in blocks:
        t = _WS.sub(" ", b.text).strip()
        if len(t) < 2:
            continue
        for j in range(j0, min(len(lines), j0 + 40)):
            if t in lines[j]:
                link[j] += b.link_chars
                j0 = j
                break
    return link


@lru_cache(maxsize=1)
def _related_head():
    phrases = cues.lexicon()["related_heads"]["phrases"]
    alt = "|".join(re.escape(p).replace("'", "['’]").replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(rf"^(?:{alt})(?!\w)\s*(:\s*\S)?", re.I)


def related_line(line: str) -> Optional[str]:
    """The related-links phrase a line opens with, when the line is a short heading or a 'phrase: headline'
    lead-in (else None)."""
    m = _related_head().match(line.strip())
    if not m:
        return None
    if m.group(1) or len(_TOK.findall(line)) <= RELATED_HEAD_MAX_WORDS:
        return _WS.sub(" ", m.group(0).rstrip(": \t")).split(":")[0].strip()
    return None


def article_prune(lines: list[str], blocks: list[render.Block], headlines: set[str]):
    """Our rules for the extractor's text on a declared article page: the headline as its first line (the
    article keeps it as its title), teaser lines that are mostly link text, related-links headings and
    'Read more: …' lead-ins, a closing credit/contact line.  (kept lines, [(index, line, reason)])."""
    link = line_link_chars(lines, blocks) if blocks else [0] * len(lines)
    n_words = [len(_TOK.findall(line)) for line in lines]
    teaser = [n >= TEASER_MIN_WORDS and lk >= TEASER_LINK_SHARE * len(line) for n, lk, line in zip(n_words, link, lines)]
    if sum(n for n, t in zip(n_words, teaser) if t) > 0.5 * sum(n_words):
        teaser = [False] * len(lines)   # most of the text is link text: not teasers around an article
    kept, removed = [], []
    for i, line in enumerate(lines):
        reason = None
        if i == 0 and _norm_words(line) in headlines:
            reason = "headline (kept as the article's title)"
        elif teaser[i]:
            reason = f"teaser link ({100 * link[i] // max(1, len(line))} % link text)"
        else:
            phrase = related_line(line)
            if phrase:
                reason = f"related links: '{phrase}'"
        if reason:
            removed.append((i, line, reason))
        else:
            kept.append(line)
    # a closing reporting credit or contact line ("Reporting by …", "… may be reached at …")
    if kept and len(_TOK.findall(kept[-1])) <= CREDIT_MAX_WORDS:
        phrase = cues.find_cue(kept[-1], "credits")
        if phrase:
            removed.append((len(lines) - 1, kept[-1], f"{cues.lexicon()['credits']['reason']}: '{phrase}'"))
            kept.pop()
    return kept, removed


_ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                  "opinionnewsarticle", "liveblogposting", "report", "scholarlyarticle", "techarticle")


def article_like(tree) -> bool:
    """Does the page declare itself an article (og:type, JSON-LD/microdata @type)?"""
    try:
        for v in tree.xpath('//meta[@property="og:type" or @name="og:type"]/@content'):
            if "article" in v.lower():
                return True
        for v in tree.xpath('//*[@itemtype]/@itemtype'):
            if v.rstrip("/").rsplit("/", 1)[-1].lower() in _ARTICLE_TYPES:
                return True
        for s in tree.xpath('//script[@type="application/ld+json"]/text()'):
            low = s.lower()
            if any(f'"{t}"' in low for t in _ARTICLE_TYPES[1:]) or '"@type": "article"' in low \
                    or '"@type":"article"' in low:
                return True
    except Exception:
        return False
    return False


_SENT_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
# trafilatura's recall-oriented run (favor_recall) replaces its default text on article pages when prose is left
# out: prose blocks (10+ words ending a sentence) outside the default text hold at least RECALL_MIN_OUT words and
# RECALL_MIN_SHARE of the text's length (only then is the second run paid for), the recall run is at least
# RECALL_MIN_RATIO times as long and holds RECALL_MIN_COVER of the default text's words.  Chosen on the WCXB-dev
# train domains (gated pages: page word-F1 0.8527 -> 0.861, article pages 0.9404 -> 0.944).
RECALL_MIN_OUT, RECALL_MIN_SHARE, RECALL_MIN_RATIO, RECALL_MIN_COVER = 20, 0.03, 1.05, 0.7


# readability-lxml's text replaces that text in turn when prose is still left out (READABILITY_MIN_SHARE of its
# length), it is READABILITY_MIN_RATIO times as long and holds READABILITY_MIN_COVER of its words (train domains,
# gated pages: 0.8611 -> 0.8641; it runs on ~3 % of those pages).  Skipped when readability-lxml is not installed.
READABILITY_MIN_SHARE, READABILITY_MIN_RATIO, READABILITY_MIN_COVER = 0.1, 1.2, 0.7
# on pages declaring themselves articles the two runs above are tried only when the prose left out holds at least
# this share of trafilatura's word count (WCXB-dev train domains' declared pages: page word-F1 0.9130 -> 0.9173,
# their article pages 0.9439 -> 0.9475; AEB half A, its declared pages: shingle F1 0.9563 -> 0.9592; the runs are
# paid for on 5 % / 9 % of those pages.  At 0.1: 0.9193 / 0.9488 but AEB half A 0.9570, and 22 % / 31 % of pages;
# adding the blocks our scorer rates as content where prose is still left out gained nothing there and lost on AEB)
DECLARED_RECALL_SHARE = 0.5


def _left_out(blocks: list[render.Block], text: str) -> int:
    """Words of prose blocks (40+ characters, 10+ words, ending a sentence) that ``text`` does not hold."""
    from storyline.clean.blocks import traf_match

    cand = [b for b in blocks if len(b.text) >= 40 and _SENT_END.search(b.text) and len(b.text.split()) >= 10]
    if not cand:
        return 0
    _, frac = traf_match(cand, text)
    return sum(len(b.text.split()) for b, f in zip(cand, frac) if f < 0.6)


def _superset(text: str, base: str, ratio: float, cover: float) -> bool:
    from collections import Counter

    a, t = Counter(_TOK.findall(text.lower())), Counter(_TOK.findall(base.lower()))
    return sum(a.values()) >= ratio * max(1, sum(t.values())) and sum((a & t).values()) >= cover * sum(t.values())


def readability_text(html: Optional[str], blocks: list[render.Block], base: str) -> Optional[str]:
    """readability-lxml's main text (one line per block) when ``base`` still leaves prose out and readability's
    text is a longer superset of it (else None)."""
    if not html or not base:
        return None
    out = _left_out(blocks, base)
    if out < RECALL_MIN_OUT or out < READABILITY_MIN_SHARE * len(_TOK.findall(base)):
        return None
    try:
        from readability import Document as Readable

        summary = Readable(html).summary(html_partial=True)
    except Exception:   # not installed, or a page it cannot read
        return None
    text = "\n".join(b.text for b in render.render(render.parse(summary or "")))
    return text if text and _superset(text, base, READABILITY_MIN_RATIO, READABILITY_MIN_COVER) else None


def recall_text(tree, blocks: list[render.Block], ext: str, url: Optional[str] = None) -> Optional[str]:
    """trafilatura's favor_recall text when the default run left prose out and the recall run is a superset
    of it (else None)."""
    if not ext or not blocks:
        return None
    n_t = len(_TOK.findall(ext))
    out = _left_out(blocks, ext)
    if out < RECALL_MIN_OUT or out < RECALL_MIN_SHARE * n_t:
        return None
    import trafilatura

    try:
        r = trafilatura.bare_extraction(tree, url=url, with_metadata=False, include_comments=False,
                                        include_tables=True, favor_recall=True)
    except Exception:
        return None
    text = (r.text if r is not None else "") or ""
    return text if _superset(text, ext, RECALL_MIN_RATIO, RECALL_MIN_COVER) else None


# a block of CLOUD_MIN_WORDS+ words, CLOUD_LINK_SHARE+ of it link text, without a sentence end, is a tag cloud or a
# link strip: never added to the extractor's text (it never fired on the WCXB-dev train domains' undeclared pages)
CLOUD_MIN_WORDS, CLOUD_LINK_SHARE = 20, 0.8
_SENTENCE = re.compile(r"\w[.!?…][\"'”’»)\]]*(\s|$)")


def tag_cloud(b: render.Block) -> bool:
    return (b.link_chars >= CLOUD_LINK_SHARE * len(b.text) and len(_TOK.findall(b.text)) >= CLOUD_MIN_WORDS
            and not _SENTENCE.search(b.text))


def add_blocks(text: str, blocks: list[render.Block], probs: list[float], threshold: float,
               frac: Optional[list[float]] = None) -> tuple[str, int]:
    """``text`` with every block it does not hold whose score is at least ``threshold`` inserted after the
    line holding the block before it, and without its lines that are blocks inside a cookie / newsletter /
    appeal box (such blocks are never added either); (new text, number of blocks added).  ``frac``: each
    block's share of tokens found in ``text`` when already known (:func:`blocks.traf_match`)."""
    from storyline.clean.blocks import traf_match

    if frac is None:
        _, frac = traf_match(blocks, text)
    lines = text.split("\n")
    # a line that is a block standing in its own cookie / newsletter / appeal box goes
    boxed = {b.text for b, f in zip(blocks, frac)
             if f >= 0.6 and context_reason(b.tags & _NEAR_TAGS, b.near_words) in BOX_REASONS}
    if boxed:
        lines = [l for l in lines if l.strip() not in boxed]
        text = "\n".join(lines)
    cand = [i for i, p in enumerate(probs) if p >= threshold]
    if not cand:
        return text, 0
    low = [l.lower() for l in lines]
    inserts: dict[int, list[str]] = {}
    cur = -1
    added = 0
    for i, b in enumerate(blocks):
        if frac[i] >= 0.6:
            key = b.text.lower()[:60]
            for j in range(max(cur, 0), len(lines)):
                if key and key in low[j]:
                    cur = j
                    break
            continue
        if probs[i] >= threshold and len(b.text) > 1 and not tag_cloud(b) \
                and context_reason(b.tags & _NEAR_TAGS, b.near_words) not in BOX_REASONS:
            inserts.setdefault(cur, []).append(b.text)
            added += 1
    if not added:
        return text, 0
    out = inserts.get(-1, [])[:]
    for j, line in enumerate(lines):
        out.append(line)
        out.extend(inserts.get(j, []))
    return "\n".join(out), added


def select_blocks(tree, blocks: list[render.Block], url: Optional[str] = None, html: Optional[str] = None):
    """Main content: (kept flags, per-block probability, features, trafilatura result, method).  Where trafilatura
    finds text, the kept flags are None and ``res.text`` holds trafilatura's text with the scorer's additions
    (:func:`add_blocks`); otherwise the flags are the scorer's selection.  trafilatura's default run is one
    of the scorer's features."""
    res = extract_main(tree, url)
    ext = (res.text if res is not None else "") or ""
    model = block_model()
    if model is None or not blocks:
        return None, None, None, res, "trafilatura"
    n_ext = len(_TOK.findall(ext.lower()))
    declared = article_like(tree)
    if ext.strip():
        # trafilatura's text (on article pages its recall-oriented run where that finds left-out prose), plus
        # the blocks it left out that our scorer rates as content: a higher bar on pages declaring themselves
        # articles, where the additions were related-story teasers (see block_model.json "_union")
        if declared and model.union_add_declared > 1.0:
            # a page declaring itself an article keeps trafilatura's default text, unscored (see block_model.json
            # "_union" for why), unless that text leaves out prose blocks holding DECLARED_RECALL_SHARE of its
            # length: then the recall-oriented run and readability's text may replace it (longer supersets only)
            method = "trafilatura (article page)"
            out = _left_out(blocks, ext)
            if out >= RECALL_MIN_OUT and out >= DECLARED_RECALL_SHARE * n_ext:
                rec = recall_text(tree, blocks, ext, url)
                base = rec if rec is not None else ext
                rd = readability_text(html, blocks, base)
                if rd is not None:
                    res.text, method = rd, "readability, a longer superset of trafilatura's text (article page)"
                elif rec is not None:
                    res.text, method = rec, "trafilatura, recall-oriented run (article page)"
            return None, None, None, res, method
        base, method = ext, "trafilatura"
        if n_ext >= model.gate_min_words or declared:
            rec = recall_text(tree, blocks, ext, url)
            if rec is not None:
                base, method = rec, "trafilatura, recall-oriented run"
            rd = readability_text(html, blocks, base)
            if rd is not None:
                base, method = rd, "readability (a longer superset of trafilatura's text)"
        add_t = model.union_add_declared if declared else model.union_add
        if add_t > 1.0:   # no additions here: the page is not scored at all
            text, _ = add_blocks(base, blocks, [0.0] * len(blocks), add_t)
            res.text = text
            return None, None, None, res, method
        title = (res.title if res is not None else None) or page_title(tree)
        feats = block_features(blocks, ext, title)
        probs = model.predict_many(feats)
        tcol = BLOCK_FEATURES.index("t_frac")
        text, n_added = add_blocks(base, blocks, probs, add_t, [x[tcol] for x in feats] if base is ext else None)
        res.text = text
        if n_added:
            method += f" + {n_added} block{'s' if n_added > 1 else ''} our scorer rates as content"
        return None, None, None, res, method
    title = (res.title if res is not None else None) or page_title(tree)
    feats = block_features(blocks, ext, title)
    probs = model.predict_many(feats)
    # where trafilatura already found a long text, a block it left out needs a higher score to be added
    add_t = model.threshold
    if n_ext >= model.add_min_words:
        add_t = model.add_threshold
    tcol = BLOCK_FEATURES.index("t_frac")
    keep = [p >= (add_t if x[tcol] < 0.6 else model.threshold)
            and context_reason(b.tags & _NEAR_TAGS, b.near_words) not in BOX_REASONS
            for p, b, x in zip(probs, blocks, feats)]
    return keep, probs, feats, res, "block scorer (trafilatura as a feature)"


def _repair_mojibake(blocks: list[render.Block], res):
    """UTF-8 text the page decoded as Windows-1252 ("donâ€™t"), repaired line by line in the blocks and in the
    extractor's text alike (:func:`metadata.fix_mojibake`: only lines that round-trip change)."""
    text = (res.text if res is not None else "") or ""
    if not (metadata._MOJIBAKE.search(text) or any(metadata._MOJIBAKE.search(b.text) for b in blocks)):
        return blocks, res
    from dataclasses import replace

    blocks = [replace(b, text=metadata.fix_mojibake(b.text)) if metadata._MOJIBAKE.search(b.text) else b
              for b in blocks]
    if text:
        res.text = "\n".join(metadata.fix_mojibake(line) for line in text.split("\n"))
    return blocks, res


def clean_html(doc: Document, html: str) -> Article:
    article = Article(id=doc.id, document_id=doc.id, text="", url=doc.url)
    tree = render.parse(html)
    blocks = render.render(tree)
    keep, probs, feats, res, method = select_blocks(tree, blocks, doc.url, html)
    blocks, res = _repair_mojibake(blocks, res)
    src = article.metadata_sources
    records: list[Boilerplate] = []
    if keep is not None and any(keep):
        lines = [b.text for b, k in zip(blocks, keep) if k]
        cue_cols = [i for i, k in enumerate(BLOCK_FEATURES) if k.startswith("cue_") or k == "widget"]
        flagged = any(k and any(x[i] for i in cue_cols) for k, x in zip(keep, feats))
        kept, pruned = prune(lines) if PRUNE_AFTER_SCORER and flagged else (lines, [])
        pruned_set = {l: r for _, l, r in pruned}
        out: list[str] = []
        length = 0
        for b, k, p, x in zip(blocks, keep, probs, feats):
            if k and b.text not in pruned_set:
                length += (1 if out else 0) + len(b.text)
                out.append(b.text)
                continue
            reason = pruned_set.get(b.text) if k else _block_reason(b, p, x)
            records.append(Boilerplate(text=b.text, reason=reason, at=length))
        article.text = "\n".join(out)
        kept = out
    else:
        # an article page, no model, or nothing scored as content: trafilatura's text, else the page's prose
        # blocks; then cue pruning
        text = (res.text if res is not None else "") or ""
        if not text.strip():
            text = "\n".join(b.text for b in blocks if len(b.text.split()) >= 12)
            method = "prose blocks"
        lines = [l for l in (_WS.sub(" ", l).strip() for l in text.split("\n")) if l]
        kept, pruned = prune(lines)
        if method.endswith("(article page)"):
            kept, more = article_prune(kept, blocks, headline_forms(tree, res))
            pruned = pruned + more
        article.text = "\n".join(kept)
        records = _leftover_records(article.text, blocks, pruned)
    src["text"] = method
    article.boilerplate = records

    # --- metadata
    metas = metadata.meta_values(tree)
    got = metadata.page_outlet(tree, doc.url, metas, res.sitename if res is not None else None)
    if got:
        article.outlet, src["outlet"] = got
    canon = metadata.canonical(tree) or metas.get("og:url")
    if canon and not (doc.provenance.get("url_hint_source") == "user"):
        article.url = canon
        src["url"] = "link:canonical" if metadata.canonical(tree) else "meta:og:url"
    lang_attr = tree.get("lang") if hasattr(tree, "get") else None
    if lang_attr:
        article.language = lang_attr.split("-")[0].lower()[:3]
    # title, authors, publication date: by agreement of the page's sources, each with how it was found
    metadata.fill_html(article, tree, blocks=blocks, url=doc.url, res=res, lines=kept, crawl_date=doc.crawl_date,
                       metas=metas, date=not doc.published_hint)
    return article


def _leftover_records(text: str, blocks: list[render.Block], pruned) -> list[Boilerplate]:
    """Every visible block not found in ``text`` (at its insertion point), plus pruned lines."""
    pruned_set = {l: r for _, l, r in pruned}
    pos = 0
    records: list[Boilerplate] = []
    for b in blocks:
        t = b.text
        found = text.find(t, pos) if t else -1
        if found < 0 and len(t) > 60:
            found = text.find(t[:60], pos)
        if found >= 0 and t not in pruned_set:
            pos = found + len(t)
            continue
        if found < 0 and t in text:   # repeated elsewhere (e.g. the title again): not boilerplate position-wise
            continue
        records.append(Boilerplate(text=t, reason=pruned_set.get(t) or _block_reason(b), at=min(pos, len(text))))
    seen = {r.text for r in records}
    for _, line, reason in pruned:
        if line not in seen:
            records.append(Boilerplate(text=line, reason=reason, at=min(pos, len(text))))
    return records


_WIDGET_COL = BLOCK_FEATURES.index("widget")
_CUE_COL = {cat: BLOCK_FEATURES.index(f"cue_{cat}") for cat in cues.STRONG}


def _block_reason(b: render.Block, prob: Optional[float] = None, x: Optional[list[float]] = None) -> str:
    """Why a block is not main content: a widget string, a strong cue phrase, its page context, link text,
    else the block scorer's score and its strongest hints.  With the scorer's features ``x`` the cue and
    widget checks reuse them (only flagged categories are searched for their phrase)."""
    ctx = context_reason(b.tags, b.words)
    if (x[_WIDGET_COL] > 0) if x is not None else cues.is_widget(b.text):
        return f"widget string{f' ({ctx})' if ctx else ''}"
    toks = tset = None
    heads = _cue_heads()
    for cat in cues.STRONG:
        if x is not None and not x[_CUE_COL[cat]]:
            continue
        if toks is None:
            toks = cues._tokens(b.text)
            tset = set(toks)
        first, symbols = heads[cat]
        if not (tset & first or any(sym in b.text for sym in symbols)):
            continue   # no phrase of this category can match (the same test find_cue makes, done once)
        phrase = cues.find_cue(b.text, cat, toks)
        if phrase:
            return f"{cues.lexicon()[cat]['reason']}: '{phrase}'"
    if ctx:
        return ctx
    if b.link_chars and b.link_chars >= 0.6 * len(b.text):
        return "link list"
    if prob is not None and x is not None:
        return f"block scorer {prob:.2f}: {describe_block(x)}"
    return "not main content (extractor)"
