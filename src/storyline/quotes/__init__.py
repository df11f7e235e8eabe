"""The quotes stage: who said what, through which channel, how hedged.

``annotate(article, doc, actors)`` is the pipeline entry point; ``extract(text, doc)`` does the
same on raw text (the bench uses it).  Pieces:

* :mod:`.paragraphs` sentences the parser ran across a line break, cut at the break (lines re-parsed)
* :mod:`.direct`    quoted passages in the raw text (unbalanced / mixed marks tolerated)
* :mod:`.indirect`  attribution frames from the parse (cue, source, reported clause)
* :mod:`.coref`     speaker resolution (names, pronouns, nominals)
* :mod:`.chains`    source typing, anonymous kinds, channels, source chains
* :mod:`.certainty` hedges -> certainty scale; confirms / denies / repeats relations

How a quoted passage finds its speaker, in order: the attribution frame whose reported clause
holds it (direct when nothing but the quote is reported, mixed otherwise); a name label right
before a colon ("… - Ann Lee: “…”"); a cue in the short clause after it ("…,” the mayor said in a
weekly address.") unless the quote sits inside a sentence that a verb before it governs (then
that verb's subject speaks) or closes the sentence its own cue opened; a cue right before it
("replied:", "said that"); any verb with a subject in that trailing clause (only for a quote that
opens its sentence); a clause or paragraph ending in a colon before it; a signature line
("- Name."); else the speaker of the previous quote in the same paragraph (or the paragraph
before, blank lines between them or not, when this one opens with the quote) continues.  Attributions
do not nest: a cue inside another attribution's reported content, or inside a quotation, is part
of that content.  Cue lexicons are data: ``cues.tsv`` (hand-written) plus ``cue_stats.tsv`` and
``cue_preps.tsv`` fitted on PolNeAR train by ``scripts/train_quotes.py``.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field
from typing import Optional

from storyline.model import Actor, Article, Attribution, Span
from storyline.quotes import certainty as cert
from storyline.quotes.cues import not_speakers, source_edges
from storyline.quotes.chains import anonymous_kind, chain, is_media, normalize_channel
from storyline.quotes.coref import Resolved, Resolver, head_token, _phrase
from storyline.quotes.direct import QuotedPassage, find_quotes
from storyline.quotes.indirect import Frame, find_frames
from storyline.quotes.paragraphs import split_at_breaks

__all__ = ["annotate", "extract", "find_quotes", "find_frames"]

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w")
_LEAD = re.compile(r"^[\s,:;—–-]*(?:that\b)?", re.I)
_SUBORDINATE_AFTER = re.compile(r"[^\w\n]*(?:after|before|because|since|until|although|though|whereas|unless|while|"
                                r"(?:in|of|during|for) which)\b", re.I)


@dataclass
class _Cand:
    content: tuple[int, int]
    kind: str
    frame: Optional[Frame] = None
    quotes: list = field(default_factory=list)
    continues: Optional["_Cand"] = None  # continuation of an earlier candidate's speaker
    how: str = ""  # which rule made it (for error analysis)


def annotate(article: Article, doc, actors: list[Actor]) -> list[Attribution]:
    """Attributions of one article (offsets into ``article.text``).

    Odd typography never fails the article: should a rule still raise on some input, the stage
    logs it, notes it on the article and returns what the quotation marks alone give.
    """
    try:
        return extract(article.text, doc, actors=actors, outlet=article.outlet)
    except Exception as exc:  # pragma: no cover - a safety net, not a code path we expect
        log.exception("quotes stage failed on %s", article.id)
        article.notes.append(f"quotes: parse-based attribution failed ({exc.__class__.__name__}); "
                             "quotes found without speakers")
        try:
            return extract(article.text, None, actors=actors, outlet=article.outlet)
        except Exception:
            return []


def extract(text: str, doc, actors: Optional[list[Actor]] = None, outlet: Optional[str] = None
            ) -> list[Attribution]:
    """Attributions in raw ``text`` given its spaCy ``doc`` (``doc`` may be None: quotes only)."""
    quotes = find_quotes(text)
    if doc is not None:
        doc = split_at_breaks(doc, text=text)  # no sentence runs across a line break
    frames = find_frames(doc) if doc is not None else []
    # a cue inside a quoted passage belongs to the quoted speaker's words ("…, I think, …")
    frames = [f for f in frames if not any(q.inner_start <= f.cue[0] < q.inner_end for q in quotes)]
    frames = _outermost(frames)
    # a cue inside another attribution's source phrase ("said X, who … knows …") never claims a
    # neighbouring quotation
    for f in frames:
        if any(g is not f and g.source is not None and g.source[0] <= f.cue[0] < g.source[1] for g in frames):
            f.extra["in_source"] = True
    if doc is not None:
        frames.extend(_transcript_frames(text, doc, frames))
    cands = _candidates(text, doc, quotes, frames)
    return _build(text, doc, cands, actors or [], outlet)


# --------------------------------------------------------------------------
# candidates


_SPEAKER_LINE = re.compile(r"^([A-Z][\w.’'-]*(?:[ \t]+[A-Z][\w.’'-]*){0,3}):[ \t]+(\S[^\n]*)$", re.M)


def _transcript_frames(text: str, doc, frames: list[Frame]) -> list[Frame]:
    """Interview transcripts: a paragraph "Name: words" is the named person speaking."""
    out = []
    lines = list(_SPEAKER_LINE.finditer(text))
    dialogue = len({m.group(1) for m in lines if m.group(1).lower() not in not_speakers()}) >= 2
    for m in lines:
        ns, ne = m.span(1)
        label = doc.char_span(ns, ne, alignment_mode="contract")
        if label is None or m.group(1).isupper() or m.group(1).lower() in not_speakers():
            continue
        if not (all(t.pos_ == "PROPN" for t in label) or (dialogue and all(t.pos_ in ("PROPN", "NOUN") for t in label))):
            continue
        if any(ns <= f.cue[0] < m.end() for f in frames):
            continue  # the line has its own attribution
        cs, ce = m.span(2)
        while ce > cs and text[ce - 1] in " \t":
            ce -= 1
        out.append(Frame(cue=(ne, ne + 1), cue_token=label.end, content=(cs, ce), source=(ns, ne),
                         source_token=label.root.i, kind="speech"))
    return out


def _outermost(frames: list[Frame]) -> list[Frame]:
    """Attributions do not nest: a frame whose cue lies inside another frame's content is part of
    that content ("X said Y claimed Z" is X's attribution)."""
    out = []
    for f in frames:
        inside = False
        for g in frames:
            if g is f or g.content is None:
                continue
            if g.content[0] <= f.cue[0] < g.content[1] and not (
                    f.content is not None and f.content[0] <= g.cue[0] < f.content[1]):
                inside = True
                break
        if not inside:
            out.append(f)
    return out


def _para_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    return starts


def _only_quoted(text: str, span: tuple[int, int], qs: list[QuotedPassage]) -> bool:
    """True if the span has no words outside the quotes (bar a leading "that"/colon)."""
    s, e = span
    rest = []
    pos = s
    for q in sorted(qs, key=lambda q: q.start):
        rest.append(text[pos:max(pos, q.start)])
        pos = max(pos, q.end)
    rest.append(text[pos:e] if pos < e else "")
    outside = " ".join(rest)
    outside = _LEAD.sub("", outside.strip())
    return not _WORD.search(outside)


def _candidates(text: str, doc, quotes: list[QuotedPassage], frames: list[Frame]) -> list[_Cand]:
    pstarts = _para_starts(text)

    def para(pos: int) -> int:
        return bisect.bisect_right(pstarts, pos) - 1

    def para_end(pos: int) -> int:
        p = para(pos)
        return pstarts[p + 1] - 1 if p + 1 < len(pstarts) else len(text)

    cands: list[_Cand] = []
    owned: set[int] = set()
    used_frames: set[int] = set()
    # 1. frames with content: indirect, or direct/mixed when the content holds quotes
    for fi, f in enumerate(frames):
        if f.content is None or (f.kind == "cite" and not f.extra.get("has_ccomp", True)):
            continue
        cs, ce = f.content
        qs = [q for q in quotes if q.start < ce and cs < q.end and id(q) not in owned]
        if qs and f.source is None and not f.according and f.cue[1] <= qs[0].start \
                and _speaker_right_after(text, qs[-1], frames):
            # "the picket appeared to harden: “…,” a driver shouted": a speakerless cue gives way to the
            # speaker named right after the quotation (its words before the quotation stay its own)
            cut = qs[0].start
            while cut > cs and text[cut - 1] in " \t:,;—–-":
                cut -= 1
            if cut > cs and re.search(r"\w", text[cs:cut]):
                cands.append(_Cand((cs, cut), "indirect", f, how="frame"))
                used_frames.add(fi)
            continue
        # a quotation that closes its own sentence before the cue's sentence begins ("“… regime.”
        # He echoed …") is not part of that cue's content, whatever the sentence splitter did
        ended = [q for q in qs if q.end <= f.cue[0] and re.search(r"[.?!]\W*$", text[q.inner_start:q.inner_end])
                 and re.match(r"[ \t]+[A-Z]", text[q.end:f.cue[0]])]
        if ended:
            cut = max(q.end for q in ended)
            while cut < ce and text[cut] in " \t":
                cut += 1
            if cut >= ce:
                continue
            cs = max(cs, cut)
            qs = [q for q in qs if q.start >= cut]
        labelled = [q for q in qs if q.start > f.cue[1] and doc is not None
                    and text[max(f.cue[1], pstarts[para(q.start)]):q.start].rstrip().endswith(":")
                    and _label_frame(doc, text, max(f.cue[1], pstarts[para(q.start)]), q.start) is not None]
        if labelled:
            # "… did predict the caucus - Ann Lee: “…”": the labelled quotation is Ann Lee's
            lab = _label_frame(doc, text, max(f.cue[1], pstarts[para(labelled[0].start)]), labelled[0].start)
            cut = lab.source[0]
            while cut > cs and text[cut - 1] in " \t-—–:,":
                cut -= 1
            if cut <= cs:
                continue
            ce = min(ce, cut)
            qs = [q for q in qs if q.end <= ce]
        if qs:
            # a quote that only brushes the content edge while the cue sits inside it is not ours
            qs = [q for q in qs if not (q.start <= f.cue[0] < q.end)]
        if qs:
            s = min(cs, min(q.start for q in qs))
            e = max(ce, max(q.end for q in qs))
            # the content never holds its own cue: keep the side of the cue the quotes are on
            # (bar a cue set off by commas inside its sentence: PolNeAR's content extent spans it)
            if f.extra.get("parenthetical"):
                pass
            elif f.cue[1] <= qs[0].start and s < f.cue[1]:
                s = max(f.cue[1], min(cs, qs[0].start) if cs >= f.cue[1] else qs[0].start)
            if f.cue[0] >= qs[-1].end and e > f.cue[0]:
                e = min(f.cue[0], max(ce, qs[-1].end) if ce <= f.cue[0] else qs[-1].end)
            while s < e and text[s] in " ,;:":
                s += 1
            for q in qs:
                owned.add(id(q))
            if f.source is not None and not f.according and any(
                    q.start < f.source[1] and f.source[0] < q.end for q in qs):
                # a parse that takes words of the quotation for the subject ("…,” X said, “…”):
                # the source is the surface phrase next to the cue, between the quotes
                before = [q.end for q in qs if q.end <= f.cue[0]]
                nq = [q.start for q in quotes if q.start >= f.cue[1]]
                first = min(q.start for q in qs if q.start < f.source[1] and f.source[0] < q.end)
                if before:
                    src = _window_source(text, max(before), f.cue, min(nq + [para_end(f.cue[0])]))
                elif f.source[0] < first and re.search(r"\w", text[f.source[0]:first]):
                    src = (f.source[0], f.source[0] + len(text[f.source[0]:first].rstrip(" ,:;\t")))
                else:
                    src = None
                import dataclasses
                f = dataclasses.replace(f, source=src, source_token=None)
            if f.source is None and not f.according:
                # the parse lost the subject: take it from the surface next to the cue
                nq = [q.start for q in quotes if q.start >= f.cue[1]]
                before = [q.end for q in qs if q.end <= f.cue[0]]
                lo = max(before or [f.cue[0]])
                hi = min(nq + [para_end(f.cue[0])])
                # only in the quote-then-attribution layout: the source sits next to the cue
                src = _window_source(text, lo, f.cue, hi) if before else None
                if src is not None and not (src[0] < e and s < src[1] and not (lo <= src[0] and src[1] <= hi)):
                    import dataclasses
                    f = dataclasses.replace(f, source=src, source_token=None)
                    if lo <= src[0] < e and src[0] < f.cue[0]:
                        # "“…,” X, the frontrunner, said": the content stops where its source starts
                        e = max(lo, src[0])
                        while e > s and text[e - 1] in " \t,":
                            e -= 1
            if _only_quoted(text, (s, e), qs):
                cands.append(_Cand((qs[0].inner_start, qs[-1].inner_end), "direct", f, qs, how="frame"))
            else:
                cands.append(_Cand((s, e), "mixed", f, qs, how="frame"))
        else:
            cands.append(_Cand((cs, ce), "indirect", f, how="frame"))
        used_frames.add(fi)

    # 2. quotes not inside any frame content: look for a cue after, then before, then continue
    sent_bounds = []
    if doc is not None:
        sent_bounds = [(s.start_char, s.end_char) for s in doc.sents]
    sb_starts = [s for s, _ in sent_bounds]

    def sent_of(pos: int) -> tuple[int, int]:
        if not sent_bounds:
            return para_starts_of(pos)
        i = max(0, bisect.bisect_right(sb_starts, pos) - 1)
        return sent_bounds[i]

    def para_starts_of(pos: int) -> tuple[int, int]:
        return pstarts[para(pos)], para_end(pos)

    frame_by_cue = sorted(((f.cue[0], fi, f) for fi, f in enumerate(frames)), key=lambda x: x[0])
    quotes_sorted = sorted(quotes, key=lambda q: q.start)
    for qi, q in enumerate(quotes_sorted):
        if id(q) in owned:
            continue
        if _is_phrase_quote(doc, text, q):
            continue  # "a brief “I'm sorry”", "the so-called “reset”": a quoted phrase, not a statement
        nxt = quotes_sorted[qi + 1].start if qi + 1 < len(quotes_sorted) else len(text)
        prv = quotes_sorted[qi - 1].end if qi > 0 else 0
        # after: ", the mayor said in a weekly address."
        m_next = re.compile(r"\w").search(text, q.end)
        s_after = sent_of(m_next.start() if m_next else max(q.end - 1, q.inner_end))
        wend = min(nxt, para_end(q.end - 1) if q.end > 0 else len(text), max(s_after[1], q.end + 1))
        wend2 = _after_window_end(text, q.end, wend)
        if _SUBORDINATE_AFTER.match(text, q.end):
            # "“…,”] after the keeper spoke …", "… in which the mayor answers …": a
            # subordinate clause right after the quotation does not name its speaker
            wend2 = q.end
        f_after = _first_frame_in(frame_by_cue, q.end, wend2, needs_source=True)
        f_first = _first_frame_in(frame_by_cue, q.end, wend2, needs_source=False)
        if f_first is not None and f_after is not None and f_first[0] < f_after[0] \
                and f_first[2].source is None and _window_source(text, q.end, f_first[2].cue, wend2) is not None:
            # "“…,” the mayor said last spring, after the operator cut …": the first cue after the
            # quotation is its own, even when the parse lost that cue's subject
            f_after = f_first
        if f_after is not None and f_after[2].content is not None and f_after[2].content[0] >= f_after[2].cue[1] \
                and len(re.findall(r"[A-Za-z]+", text[f_after[2].content[0]:f_after[2].content[1]])) >= 4 \
                and re.search(r"[.?!]\W*$", text[q.inner_start:q.inner_end]) \
                and re.match(r"\W*[A-Z]", text[q.end:f_after[2].cue[0] + 1]):
            # a quote that ends its sentence, then a new sentence whose cue reports its own content
            # of some length ("“… the port.” She listed three new routes for …"): not the quote's
            # attribution (an addressee, "… ?” X asked reporters.", still is), unless
            # nothing else claims the quote
            skipped, f_after = f_after, None
        else:
            skipped = None
        s_before = sent_of(q.start)
        wstart = max(prv, pstarts[para(q.start)], s_before[0])
        f_before = _last_frame_in(frame_by_cue, wstart, q.start, needs_source=True)
        if f_before is not None and len(re.findall(r"\w+", text[f_before[2].cue[1]:q.start])) > (
                6 if re.search(r"[,:]\s*$", text[:q.start]) else 4):
            f_before = None
        if f_after is not None and f_before is not None \
                and re.search(r"[.?!]\W*$", text[q.inner_start:q.inner_end]) \
                and re.match(r"\W*[A-Z]", text[q.end:f_after[2].cue[0] + 1]):
            # "X declared, “… unite.” Y was also endorsed …": a quote closing the sentence its cue
            # opened belongs to that cue, not to the next sentence's
            f_after = None
        f_gov = None
        if doc is not None and f_after is not None and f_before is None and re.search(r"\w", text[wstart:q.start]):
            f_gov = _governor_frame(doc, text, q, wstart)
        if f_gov is not None and f_after is not None and f_before is None:
            # a quotation inside a sentence that a verb before it governs ("the minister described the
            # audit as “…,” which is how …"): that verb's subject speaks, not a cue after
            f_after = None
        else:
            f_gov = None
        chosen = None
        how = ""
        ls = max(prv, pstarts[para(q.start)])
        if doc is not None and text[ls:q.start].rstrip().endswith(":"):
            # "… - Ann Lee: “…”": a name right before the colon beats any cue around the quote
            f_lab = _label_frame(doc, text, ls, q.start)
            if f_lab is not None:
                frames.append(f_lab)
                chosen, how = (f_lab.cue[0], len(frames) - 1, f_lab), "label"
                f_after = f_before = f_gov = None
        if f_after is not None and doc is not None and (
                f_after[2].source is None or not (q.end <= f_after[2].source[0] and f_after[2].source[1] <= wend2)):
            src = _window_source(text, q.end, f_after[2].cue, wend2)
            if src is not None and _verbal_start(doc, src):
                # "“…” - by cutting fares while assuring …": a clause opening with a verb or a
                # preposition names no speaker; the quotation is no "…,” X said" layout
                f_after = None
        if f_after is not None:
            chosen, how = f_after, "after"
            f = f_after[2]
            if f.source is None or not (q.end <= f.source[0] and f.source[1] <= wend2):
                src = _window_source(text, q.end, f.cue, wend2)
                if src is not None:
                    import dataclasses
                    f2 = dataclasses.replace(f, source=src, source_token=None)
                    frames.append(f2)
                    chosen = (f2.cue[0], len(frames) - 1, f2)
        elif f_before is not None and chosen is None:
            chosen, how = f_before, "before"
        elif f_gov is not None:
            frames.append(f_gov)
            chosen, how = (f_gov.cue[0], len(frames) - 1, f_gov), "governor"
        if chosen is None and doc is not None:
            # any verb with a subject in a short trailing clause: "…,” Ryan continued.
            # (not for a quotation inside a sentence begun before it: "… would “unravel” the
            # policies he has pushed for" is no quote-then-speaker layout)
            mid = bool(re.search(r"\w", text[wstart:q.start]))
            f_syn = _layout_frame(doc, text, q.end, wend2) if skipped is None and not mid else None
            if f_syn is None and mid and skipped is None:
                # a cue verb above it in the parse speaks for it instead
                f_syn = _governor_frame(doc, text, q, wstart, cue_only=True)
            how = "layout"
            if f_syn is None:
                how = "colon-para"
                # a paragraph ending in a colon introduces the quote that opens the next one
                ps = pstarts[para(q.start)]
                if not text[ps:q.start].strip() and ps >= 2 and text[:ps].rstrip().endswith(":"):
                    prev_start = pstarts[para(len(text[:ps].rstrip()) - 1)]
                    f_prev = _last_frame_in(frame_by_cue, prev_start, ps, needs_source=True)
                    f_syn = f_prev[2] if f_prev else _layout_frame(doc, text, prev_start, ps, last=True)
            if f_syn is None:
                # "…: “quote”" — a clause ending in a colon right before the quote
                how = "colon"
                ls = max(prv, pstarts[para(q.start)])
                if text[ls:q.start].rstrip().endswith(":"):
                    f_syn = _label_frame(doc, text, ls, q.start)
                    if f_syn is None:
                        f_syn = _layout_frame(doc, text, ls, q.start, last=True)
            if f_syn is None:
                # a quote paragraph signed on the next line: "- Name."
                how = "signature"
                f_syn = _signature_frame(doc, text, q, pstarts, para)
            if f_syn is not None:
                frames.append(f_syn)
                chosen = (f_syn.cue[0], len(frames) - 1, f_syn)
        if chosen is not None:
            fi, f = chosen[1], chosen[2]
            if fi in used_frames:
                # the frame already produced a candidate from its own content; a quote attached to it by
                # layout is a continuation of that speaker
                base = next((c for c in cands if c.frame is f), None)
                cands.append(_Cand((q.inner_start, q.inner_end), "direct", f, [q], continues=base, how=how))
            else:
                used_frames.add(fi)
                cands.append(_Cand((q.inner_start, q.inner_end), "direct", f, [q], how=how))
            owned.add(id(q))
            continue
        # continuation: the previous quote's speaker, same paragraph (or the paragraph before when this
        # paragraph opens with the quote)
        prev = None
        for c in sorted(cands, key=lambda c: c.content[0], reverse=True):
            if c.content[1] <= q.start and c.kind in ("direct", "mixed"):
                prev = c
                break
        if prev is not None:
            same_para = para(prev.content[0]) == para(q.start) or para(prev.content[1]) == para(q.start)
            opens_para = not text[pstarts[para(q.start)]:q.start].strip()
            # the paragraph right before (blank lines between paragraphs do not count)
            adjacent = not any(text[pstarts[k]:pstarts[k + 1]].strip()
                               for k in range(para(prev.content[1]) + 1, para(q.start)))
            between = text[prev.content[1]:q.start]
            other_cue = any(prev.content[1] <= f.cue[0] < q.start and f.source is not None
                            and not f.extra.get("in_source") and not f.extra.get("aside")
                            and (prev.frame is None or f.cue != prev.frame.cue) for _, _, f in frame_by_cue)
            if (same_para or (opens_para and adjacent)) and not other_cue and len(between) < 400:
                cands.append(_Cand((q.inner_start, q.inner_end), "direct", prev.frame, [q], continues=prev, how="continue"))
                owned.add(id(q))
                continue
        if skipped is not None and doc is not None and re.search(r"\w", text[wstart:q.start]):
            # the quote ends a sentence that began before it; the next sentence reports its own
            # content: the verb governing the quote speaks ("the mayor vowed to scrap “… fee.” She
            # raised it again …")
            f_gov = _governor_frame(doc, text, q, wstart)
        if f_gov is not None and skipped is not None:
            frames.append(f_gov)
            cands.append(_Cand((q.inner_start, q.inner_end), "direct", f_gov, [q], how="governor"))
            owned.add(id(q))
            continue
        if skipped is not None:
            fi, f = skipped[1], skipped[2]
            base = next((c for c in cands if c.frame is f), None) if fi in used_frames else None
            used_frames.add(fi)
            cands.append(_Cand((q.inner_start, q.inner_end), "direct", f, [q], continues=base, how="skipped"))
            owned.add(id(q))
    if doc is None:
        for q in quotes:
            if id(q) not in owned and len(re.findall(r"\w+", text[q.inner_start:q.inner_end])) >= 4:
                cands.append(_Cand((q.inner_start, q.inner_end), "direct", None, [q]))
    cands.sort(key=lambda c: c.content[0])
    return cands


def _verbal_start(doc, span: tuple[int, int]) -> bool:
    """True if a phrase opens with a verb, auxiliary, preposition or particle (no noun phrase)."""
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    if sp is None or len(sp) == 0:
        return False
    return sp[0].pos_ in ("VERB", "AUX", "ADP", "SCONJ", "PART")


def _speaker_right_after(text: str, q: QuotedPassage, frames: list[Frame]) -> bool:
    """A cue with a named source within a few words after the quotation ("…,” she wrote)."""
    for f in frames:
        if f.source is not None and not f.according and q.end <= f.cue[0] <= q.end + 60 \
                and re.fullmatch(r"[\s,]*(?:\w+[\s.]+){0,4}", text[q.end:f.cue[0]]) \
                and not re.search(r"[.!?]\s", text[q.end:f.cue[0]]):
            return True
    return False


def _layout_frame(doc, text: str, lo: int, hi: int, last: bool = False) -> Optional[Frame]:
    """A verb with its subject in a short clause next to a quote (any verb: layout makes it a cue)."""
    from storyline.quotes.indirect import _cue_span, _source_span
    span = doc.char_span(lo, hi, alignment_mode="contract")
    if span is None or len(span) == 0:
        return None
    words = [t for t in span if t.is_alpha]
    if not words or (len(words) > 10 and not last):
        return None
    verbs = [t for t in span if t.pos_ in ("VERB",) and any(c.dep_ in ("nsubj",) for c in t.children)]
    if not verbs:
        return None
    v = verbs[-1] if last else verbs[0]
    subj = next(c for c in v.children if c.dep_ == "nsubj")
    return Frame(cue=_cue_span(v), cue_token=v.i, content=None, source=_source_span(subj),
                 source_token=subj.i, kind="speech")


def _governor_frame(doc, text: str, q: QuotedPassage, lo: int, cue_only: bool = False) -> Optional[Frame]:
    """A quotation inside a sentence that began before it: the verb above it in the parse, left of
    it, speaks through its subject ("the mayor promised at a rally to end “…”", "the minister
    described the audit as “…”").  The nearest such verb that is a cue wins, else the nearest with a subject."""
    from storyline.quotes.cues import is_cue
    from storyline.quotes.indirect import _cue_span, _source_of, _source_span
    first = doc.char_span(q.inner_start, q.inner_end, alignment_mode="expand")
    if first is None or len(first) == 0:
        return None
    tok = first.root
    q_i = first.start
    ancestors = []
    h = tok
    for _ in range(12):
        if h.head is h:
            break
        h = h.head
        if h.i < q_i and h.idx >= lo and h.pos_ in ("VERB", "AUX"):
            ancestors.append(h)
    for pick in ([a for a in ancestors if is_cue(a)],) + (() if cue_only else (ancestors,)):
        for v in pick:
            src, _, _ = _source_of(v)
            if src is None or src.i >= q_i or src.idx < lo:
                continue
            span = _source_span(src, exclude=v)
            if span is None or span[1] > q.start:
                continue
            return Frame(cue=_cue_span(v), cue_token=v.i, content=None, source=span, source_token=src.i,
                         kind="speech")
    return None


def _label_frame(doc, text: str, lo: int, hi: int) -> Optional[Frame]:
    """"… he tweeted about it. Ann Lee: “…”", "From the report: “…”": a short name (or "from" a
    named thing) right before the colon that introduces a quotation is its source."""
    colon = text.rfind(":", lo, hi)
    if colon < 0:
        return None
    seg_start = lo
    for m in re.finditer(r"[.!?…]\s+|\s[-—–]+\s|,\s", text[lo:colon]):
        seg_start = lo + m.end()
    span = doc.char_span(seg_start, colon, alignment_mode="contract")
    if span is None or len(span) == 0 or len(span) > 7:
        return None
    toks = list(span)
    if toks[0].lower_ == "from" and len(toks) > 1:
        toks = toks[1:]
    if not toks or not all(t.pos_ in ("PROPN", "NOUN", "DET", "CCONJ", "PART") or t.tag_ == "POS" for t in toks):
        return None
    if not any(t.pos_ == "PROPN" for t in toks) and toks[0].pos_ != "DET":
        return None
    s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    return Frame(cue=(colon, colon + 1), cue_token=toks[-1].i, content=None, source=(s, e), kind="speech")


_SIGNATURE = re.compile(r"[ \t]*[-—–]+[ \t]*([A-Z][\w.’'-]*(?:[ \t]+[A-Z][\w.’'-]*){0,3})\.?[ \t]*$")


def _signature_frame(doc, text: str, q: QuotedPassage, pstarts: list[int], para) -> Optional[Frame]:
    """A paragraph that is only a quote, signed by the next non-empty line "- Name."."""
    p = para(q.start)
    ps = pstarts[p]
    pe = pstarts[p + 1] - 1 if p + 1 < len(pstarts) else len(text)
    if text[ps:q.start].strip() or text[q.end:pe].strip(" \t.,"):
        return None
    k = p + 1
    while k < len(pstarts):
        ks = pstarts[k]
        ke = pstarts[k + 1] - 1 if k + 1 < len(pstarts) else len(text)
        line = text[ks:ke]
        if line.strip():
            m = _SIGNATURE.match(line)
            if not m:
                return None
            dash = ks + line.index(line.strip()[0])
            ns, ne = ks + m.start(1), ks + m.end(1)
            if text[ne - 1] == "." and not re.search(r"(?:^|\s)\w\.$", text[ns:ne]):
                ne -= 1  # the full stop ends the line; an initial ("Anna K.") keeps its own
            return Frame(cue=(dash, dash + 1), cue_token=_tok_at(doc, dash), content=None, source=(ns, ne),
                         kind="speech")
        k += 1
    return None


def _tok_at(doc, pos: int) -> int:
    for t in doc:
        if t.idx <= pos < t.idx + len(t.text):
            return t.i
    return 0


def _window_source(text: str, lo: int, cue: tuple[int, int], hi: int) -> Optional[tuple[int, int]]:
    """The source phrase around a cue in a trailing clause: before the cue, else after it (inverted)."""
    last_cue_word = (re.findall(r"\w+", text[cue[0]:cue[1]]) or [""])[-1].lower()
    spans = ((lo, cue[0]),) if source_edges().get(last_cue_word) == "addressee" else ((lo, cue[0]), (cue[1], hi))
    for s, e in spans:
        seg = text[s:e]
        if s == cue[1]:
            # inverted ("…,” said Ann Lee, asked about …"): the name ends at the first comma
            stop = re.search(r"[,;(—–]|[.!?](?=\s|$)", seg)
            if stop is not None and re.search(r"\w", seg[:stop.start()]):
                seg = seg[:stop.start()]
        m = re.search(r"\w[^\n]*\w|\w", seg)
        if m and s == cue[1] and re.search(r"\bthat\b", m.group(0), re.I):
            continue  # after the cue, "… that …" is a reported clause, not an inverted subject
        if m and len(m.group(0).split()) <= 25:
            a, b = s + m.start(), s + m.end()
            lead = re.match(r"(?:(?:and|but|or|then|also|so|yet|as|while)\s+)+", text[a:b], re.I)
            if lead:
                a += lead.end()
            if a < b and re.search(r"\w", text[a:b]):
                return a, b
    return None


def _is_phrase_quote(doc, text: str, q: QuotedPassage) -> bool:
    """A short quotation used as a noun phrase: right after a determiner, adjective or preposition."""
    if doc is None or len(re.findall(r"\w+", text[q.inner_start:q.inner_end])) > 4:
        return False
    span = doc.char_span(max(0, q.start - 40), q.start, alignment_mode="contract")
    if span is None or len(span) == 0:
        return False
    prev = span[-1]
    if prev.pos_ in ("NOUN", "PROPN") and _is_title(text[q.inner_start:q.inner_end]):
        return True  # "the game show “Wheel Of Fortune”": a title naming the noun before it
    return prev.pos_ in ("DET", "ADJ") or prev.tag_ in ("PRP$", "POS")


def _is_title(s: str) -> bool:
    """Every word capitalised ("The Late Show"), as in a title or name, and no sentence inside."""
    words = re.findall(r"[^\W\d_][\w’'-]*", s)
    return bool(words) and all(w[0].isupper() for w in words) and not re.search(r"[.!?]", s)


def _after_window_end(text: str, start: int, wend: int) -> int:
    """The after-quote window ends at the first sentence end (., ?, !) after the attribution."""
    m = re.search(r"[.!?](?=\s|$)", text[start:wend])
    return start + m.end() if m else wend


def _first_frame_in(frames, lo: int, hi: int, needs_source: bool):
    for pos, fi, f in frames:
        if lo <= pos < hi and (f.source is not None or not needs_source) and not f.according \
                and not f.extra.get("in_source"):
            return pos, fi, f
        if pos >= hi:
            break
    return None


def _last_frame_in(frames, lo: int, hi: int, needs_source: bool):
    best = None
    for pos, fi, f in frames:
        if lo <= pos < hi and (f.source is not None or not needs_source) and not f.according \
                and not f.extra.get("in_source"):
            best = (pos, fi, f)
    return best


# --------------------------------------------------------------------------
# records


def _cue_context(doc, f: Frame) -> str:
    tok = doc[f.cue_token]
    parts = [tok] + [c for c in tok.children if c.dep_ in ("aux", "auxpass", "neg", "advmod")]
    h = tok
    while h.dep_ == "xcomp" and h.head is not h:
        h = h.head
        parts.append(h)
        parts.extend(c for c in h.children if c.dep_ in ("aux", "neg", "advmod") and c.i < tok.i)
    parts = sorted(set(parts), key=lambda t: t.i)
    return " ".join(t.text for t in parts)


def _label(text: str, span: tuple[int, int]) -> str:
    """A short label for a source phrase: cut at a comma (appositive / relative clause)."""
    s = text[span[0]:span[1]]
    s = re.split(r",|\s\(|\s—", s, maxsplit=1)[0]
    return _phrase(s)


def _build(text: str, doc, cands: list[_Cand], actors: list[Actor], outlet: Optional[str]) -> list[Attribution]:
    resolver = Resolver(text, doc, actors)
    out: list[Attribution] = []
    earlier: list[tuple[tuple[int, int], Resolved]] = []
    res_of: dict[int, tuple[Attribution, Resolved]] = {}
    kinds: dict[str, str] = {}
    for n, c in enumerate(cands, 1):
        f = c.frame
        if c.kind != "direct" and c.content[1] - c.content[0] > 2 and text[c.content[1] - 1] == "." \
                and re.search(r"[a-z0-9%)]\.$", text[c.content[0]:c.content[1]]) \
                and not re.search(r"[\"“”]", text[c.content[0]:c.content[1]]):
            # the full stop closes the sentence, not the reported content ("Lopez: It is bad.")
            c.content = (c.content[0], c.content[1] - 1)
        a = Attribution(id=f"q{n}", content=Span(c.content[0], c.content[1], text[c.content[0]:c.content[1]]),
                        kind=c.kind)
        if c.continues is not None and id(c.continues) in res_of:
            base, r = res_of[id(c.continues)]
            a.cue, a.source = base.cue, base.source
            a.speaker, a.speaker_actor_id = base.speaker, base.speaker_actor_id
            a.source_type, a.anonymous_kind = base.source_type, base.anonymous_kind
            a.channel, a.channel_actor_id = base.channel, base.channel_actor_id
            a.chain = list(base.chain)
            a.certainty = cert.certainty(a.content.text, "")
            kinds[a.id] = "speech"
            res_of[id(c)] = (a, r)
            out.append(a)
            continue
        if f is None:
            # no parse (safety net): the quotation alone, speaker unknown
            a.source_type = "unknown"
            a.chain = chain(None, [], outlet)
            a.certainty = cert.certainty(a.content.text, "")
            out.append(a)
            continue
        a.cue = Span(f.cue[0], f.cue[1], text[f.cue[0]:f.cue[1]])
        kinds[a.id] = f.kind
        r = Resolved(None)
        if f.source is None and not f.according and doc is not None and f.cue_token is not None:
            src = _sentence_subject(doc, text, f, c)
            if src is not None:
                import dataclasses
                f = dataclasses.replace(f, source=src, source_token=None)
        if f.source is not None:
            ss, se = f.source
            between_quotes = (bool(c.quotes) and not any(q.start < se and ss < q.end for q in c.quotes)) \
                or f.extra.get("parenthetical", False)
            if ss < c.content[1] and c.content[0] < se and not between_quotes:
                # never let the source overlap the content (it may sit between two quotes of it)
                if ss < c.content[0]:
                    se = min(se, c.content[0])
                else:
                    ss = max(ss, c.content[1])
            ss, se = _tidy_source(text, ss, se)
            src_text = text[ss:se].strip()
            if src_text:
                a.source = Span(ss, se, text[ss:se])
                r = resolver.resolve((ss, se), earlier)
                earlier.append(((ss, se), r))
        # typing
        label = None
        if a.source is not None:
            phrase = a.source.text
            anon = anonymous_kind(phrase)
            if r.kind == "anonymous" and r.speaker:
                a.source_type, a.anonymous_kind = "anonymous", anonymous_kind(r.speaker) or anon
            elif anon and not _has_person(doc, (a.source.start, a.source.end)):
                a.source_type, a.anonymous_kind = "anonymous", anon
                label = _label(text, (a.source.start, a.source.end))
                first = head_token(doc, (a.source.start, a.source.start + len(label.split()[0]))) \
                    if doc is not None and label else None
                if first is not None and first.pos_ != "PROPN" and label[:1].isupper():
                    label = label[:1].lower() + label[1:]  # "Sources told …" -> "sources"
                r = Resolved(label, r.actor_id, "anonymous")
                earlier[-1] = (earlier[-1][0], r)
            elif r.kind == "media" or is_media(_label(text, (a.source.start, a.source.end))):
                a.source_type = "media"
            elif r.kind == "person":
                a.source_type = "named"
            elif r.kind in ("organization", "country"):
                a.source_type = "organization"
            elif r.kind == "document":
                a.source_type = "document"
            elif r.kind == "anonymous":
                a.source_type = "anonymous"
            else:
                h = head_token(doc, (a.source.start, a.source.end)) if doc is not None else None
                a.source_type = "named" if h is not None and h.pos_ == "PROPN" else "unknown"
            a.speaker, a.speaker_actor_id = r.speaker, r.actor_id
            if a.speaker and a.source_type == "anonymous" and a.anonymous_kind is None:
                a.anonymous_kind = anonymous_kind(a.speaker)
        else:
            a.source_type = "unknown"
        # channel: a relaying medium ("told TASS", "X cited Y") or the medium of the statement
        channels: list[str] = []
        if f.channel is not None:
            ch_text = text[f.channel[0]:f.channel[1]]
            if f.cited or is_media(ch_text) or _is_org(doc, f.channel):
                a.channel = normalize_channel(ch_text, doc, f.channel)
                actor = resolver.actor_at(f.channel)
                a.channel_actor_id = actor.id if actor is not None else None
                channels.append(a.channel)
        if a.channel is None and f.medium is not None:
            a.channel = _phrase(text[f.medium[0]:f.medium[1]])
            channels.append(a.channel)
        a.chain = chain(a.speaker or (a.source.text if a.source else None), channels, outlet)
        a.certainty = cert.certainty(a.content.text, _cue_context(doc, f) if doc is not None else a.cue.text)
        res_of[id(c)] = (a, r)
        out.append(a)
    cert.link(out, doc, kinds)
    return out


def _sentence_subject(doc, text: str, f: Frame, c: _Cand) -> Optional[tuple[int, int]]:
    """A finite cue whose subject the parse lost ("Columnist Ann Lee, in a long post, wrote, “…”"):
    the first comma-separated stretch of its clause that is a plain noun phrase is the source."""
    from storyline.quotes.cues import sourceless_cues
    tok = doc[f.cue_token]
    participle = tok.tag_ == "VBG" and tok.i > tok.sent.start and doc[tok.i - 1].text == ","
    if (tok.tag_ not in ("VBD", "VBZ", "VBP") and not participle) or tok.lemma_.lower() in sourceless_cues():
        return None
    if c.content[0] < f.cue[1] and c.content[1] > f.cue[0]:
        return None
    lo = tok.sent.start_char
    for q in c.quotes:
        if q.end <= f.cue[0]:
            lo = max(lo, q.end)
    lo = max(lo, text.rfind("\n", 0, f.cue[0]) + 1)
    span = doc.char_span(lo, f.cue[0], alignment_mode="contract")
    if span is None or len(span) == 0:
        return None
    # comma-separated segments from the clause start; the first that is a plain noun phrase
    # ("In a statement, her adviser, Jo Park, said" -> "her adviser")
    segs, cur = [], []
    for t in span:
        if t.text in (",", "—", "–", "(", ")", ":", ";") or t.is_quote:
            if cur:
                segs.append(cur)
            cur = []
            continue
        cur.append(t)
    if cur:
        segs.append(cur)
    toks = None
    for seg in segs[:3]:
        if len(seg) > 10 or not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in seg):
            continue
        if seg[0].pos_ in ("VERB", "AUX", "ADP", "SCONJ", "ADV") or seg[0].lower_ in ("who", "which", "that"):
            continue
        if any(t.pos_ in ("VERB", "AUX", "ADP", "SCONJ") for t in seg[1:]):
            continue
        toks = seg
        break
    if not toks:
        return None
    s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    if c.content[0] < e and s < c.content[1]:
        return None
    return s, e


def _tidy_source(text: str, ss: int, se: int) -> tuple[int, int]:
    """Leading conjunctions leave a source ("and he" -> "he"); one opening with a preposition is
    no speaker (an empty span).  Word lists: ``source_edges.tsv``."""
    edges = source_edges()
    while ss < se:
        m = re.match(r"\s*(\w+)\b\s*", text[ss:se])
        if m is None:
            break
        act = edges.get(m.group(1)) if m.group(1).islower() else None
        if act == "strip":
            ss += m.end()
        elif act == "reject":
            if re.match(r"\s*(?:\d|(?:a|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|dozens?|"
                        r"hundreds?|thousands?)\b)", text[ss + m.end():se], re.I):
                break  # "about 200 protesters", "over a dozen aides": a quantity, not a preposition
            return ss, ss
        else:
            break
    return ss, se


def _has_person(doc, span) -> bool:
    if doc is None:
        return False
    return any(e.label_ == "PERSON" and e.start_char >= span[0] and e.end_char <= span[1] for e in doc.ents)


def _is_org(doc, span) -> bool:
    if doc is None:
        return False
    return any(e.label_ == "ORG" and e.start_char >= span[0] and e.end_char <= span[1] for e in doc.ents)
