"""The time stage: a TIMEX3 tagger and normaliser in pure Python.

``tag(text, dct, doc=None)`` finds DATE / TIME / DURATION / SET expressions and resolves them
against the document creation time (the publication date); ``annotate(article, doc)`` runs it on an
article with ``article.published`` as DCT.

How it works
------------
1. **Recognition** (:mod:`storyline.time.recognise`): the grammar in ``data/time/patterns.tsv`` — regex
   templates over the lexicons in ``data/time`` (months, weekdays, numbers, units, seasons, holidays,
   modifiers, parts of day...) — is run over the text; overlapping matches are reduced to the longest.
2. **Normalisation** (:mod:`storyline.time.normalise`): each match becomes a TimeML value at the
   granularity the text gives (2025-07-21, 2025-W30, 2025-07, 2025-Q3, 2025-SU, 2025, P50D, PT2H,
   PRESENT_REF...), with ``mod`` (START/MID/END/APPROX/LESS_THAN/MORE_THAN/...), ``quant``/``freq``
   for SETs, and ``range_start``/``range_end`` = the days the value covers, narrowed by the modifier
   ("later this week" -> the rest of the DCT's ISO week after the DCT).
3. **Anchoring**: deictic expressions (today, last week, three years ago) count from the DCT;
   "N units earlier/later", "the following week", "the quarter", "a year earlier" from the *reference
   time* (the last explicit date mentioned before); so do the narrative "the next day", "the next
   morning", "that night" (a day so counted becomes the new reference time; "the same day" after a bare
   year is a day of that year, 1976-XX-XX); "next/coming/upcoming X" from a past day named
   earlier in the *same sentence* when there is one ("announced on Saturday ... for the upcoming
   week" -> the week after that Saturday), else from the DCT.  "The year-ago period" counts from the
   last *ended* quarter named (the quarter reported on), not from one still running or ahead.
4. **Direction** of bare weekdays, months and dates without a year (:mod:`storyline.time.tense`): the
   tense and aspect of the governing verb in the spaCy ``doc`` ("said on Tuesday" -> the last
   Tuesday, "will meet on Friday" -> the next Friday); without a doc, cue words in the sentence.
   A weekday equal to the DCT's weekday is the DCT itself; a weekday named again later in the article
   is the same day as before, unless an explicit future ("will meet on Monday") or a governing
   reporting verb ("On Friday, she said") points the other way.  A day of the month within 100 days of the DCT is the nearest such day.
5. **Relations** (:mod:`storyline.time.anchor`): alternatives, intervals and derived dates.

Alternatives: "Thursday or Friday" gives **two timexes** (one per TimeML span), each with
``alternatives`` = [its own value, the other value(s)].

Derived dates (for the events stage): the DURATION keeps its TimeML value (P50D) and carries the
computed date in the added fields ``derived_value`` (ISO day) and ``derived_relation``:
``"deadline"`` for "in/within 50 days" (anchor + P50D; ``range_start``..``range_end`` is the window),
``"reference"`` for "a week after X" (X's date = anchor - P1W) and ``"after"`` for "three days later"
(the last day named before + P3D).  ``derived_from`` is the id of
the timex whose date was the anchor (None when it was the DCT; ``anchor`` then says "DCT").

Conventions follow TimeBank where the TimeML guidelines leave room (tuned on TimeBank, checked on
AQUAINT; see ``storyline bench time``): rates ("$5 million a year", "8% annually") are not marked, ages
("52 years old") are not marked, "the year"/"the week" alone are DURATIONs, a weekday or "this morning"
with a part of day is a TIME.  Not marked either: "today's" before a generic noun ("today's youth", nouns in
``data/time/generic_nouns.tsv``: the era, not the day), a sentence-opening "Now," (a discourse marker),
"the night" / "the morning" of a named date or of a relative clause ("the night of May 2", "the night the
plane fell": not the DCT's night), a set adverb naming a paper ("the party daily Pravda").  Set adjectives
after a possessive ("his weekly address") are SETs; modifiers ("about", "nearly", "early", "earlier")
stay inside the span with ``mod``, as in the TimeML guidelines and TimeBank.

Without a DCT, relative expressions get ``resolved=False``: dates missing a year stay underspecified
(XXXX-07-21, XXXX-07, XXXX-WXX-5), purely relative ones ("yesterday", "last week") get value None.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Optional

from storyline.model import Timex
from storyline.time import anchor as _anchor
from storyline.time import tense as _tense
from storyline.time.calendar import parse_iso
from storyline.time.normalise import Context, Norm, normalise
from storyline.time.recognise import _rows, candidates

__all__ = ["tag", "annotate", "NO_DCT_NOTE"]

NO_DCT_NOTE = "relative dates unresolved: no publication date"

_SENT_RX = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")


_SENT_AFTER = re.compile(r"\s*(?:$|[\"'’”]*\s+[A-Z])")
_THE_ADJ = re.compile(r"(?i)the\s+((?:fiscal\s+)?[\w.]+-(?:quarter|half|year|week|month|day|hour|minute))")
_ABBREV = re.compile(r"(?:^|[^\w])(?:[A-Z]\.|[A-Z]\.[A-Z]\.)$|^(?:[A-Z]\.)+$")
_SHORT_CAP = re.compile(r"(?:^|[^\w])([A-Z][a-z]{1,4})\.$")


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset:
    """Capitalised abbreviations ("Mr.", "Gen.", "Oct.", "Calif.") from data/time/abbreviations.tsv."""
    return frozenset(r[0].strip() for r in _rows("abbreviations.tsv"))


def _is_abbreviation(word: str) -> bool:
    if _ABBREV.search(word):
        return True
    m = _SHORT_CAP.search(word)
    return bool(m and m.group(1) in _abbreviations())


def _sentences(text: str, doc=None) -> list[tuple[int, int]]:
    if doc is not None:
        try:
            sents = [(s.start_char, s.end_char) for s in doc.sents]
            if sents and sents[-1][1] <= len(text):
                return sents
        except Exception:
            pass
    out, start = [], 0
    for m in _SENT_RX.finditer(text):
        if m.group().strip() == "" and "\n" not in m.group():
            word = text[max(start, m.start() - 6):m.start()].split()[-1:] or [""]
            if _is_abbreviation(word[0]):
                continue  # "U.S. President", "Mr. Smith", "Oct. 15"
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _parse_dct(dct) -> tuple[Optional[dt.date], Optional[dt.datetime]]:
    if dct is None:
        return None, None
    if isinstance(dct, dt.datetime):
        return dct.date(), dct
    if isinstance(dct, dt.date):
        return dct, None
    s = str(dct).strip()
    if not s:
        return None, None
    parsed = parse_iso(s)
    if parsed is None:
        m = re.match(r"(\d{4})-?(\d{2})-?(\d{2})", s)
        if not m:
            raise ValueError(f"DCT {dct!r} is not an ISO date or datetime")
        return dt.date(int(m[1]), int(m[2]), int(m[3])), None
    has_time = len(s) > 10
    return parsed.date(), (parsed if has_time else None)


def tag(text: str, dct=None, doc=None) -> list[Timex]:
    """Temporal expressions of ``text`` resolved against ``dct`` (ISO date/datetime, or None)."""
    if not text:
        return []
    dct_date, dct_time = _parse_dct(dct)
    sentences = _sentences(text, doc)
    probe = Context(dct=dct_date, dct_time=dct_time, text=text)

    def accept(rule, m, _text) -> bool:
        try:
            return normalise(rule, m, probe) is not None
        except (ValueError, KeyError, OverflowError):
            return False

    found = candidates(text, accept)
    for c in found:
        # "the eight-year plan", "the third-quarter results": the article belongs to the noun, not the time
        m = _THE_ADJ.match(text, c.start, c.end)
        if m and m.end() == c.end:
            c.start = m.start(1)
        # "... at 10 p.m. Police said": the abbreviation's period also ends the sentence; it stays out
        if text.endswith(".", c.start, c.end) and _SENT_AFTER.match(text, c.end) and \
                re.search(r"\b[ap]\.m\.$", text[c.start:c.end], re.I):
            c.end -= 1
    ctx = Context(dct=dct_date, dct_time=dct_time, text=text)
    timexes: list[Timex] = []
    durations: dict[str, tuple] = {}
    si = 0
    sent_anchor_for: tuple[int, Optional[dt.date]] = (-1, None)
    for c in found:
        while si + 1 < len(sentences) and c.start >= sentences[si][1]:
            si += 1
        s_start, s_end = sentences[si] if sentences else (0, len(text))
        if sent_anchor_for[0] != si:
            sent_anchor_for = (si, None)
        ctx.sent_anchor = sent_anchor_for[1]
        ctx.direction = (lambda c=c, a=s_start, b=s_end: _tense.direction(text, c.start, c.end, a, b, doc))
        ctx.will = (lambda c=c, a=s_start, b=s_end: _tense.explicit_future(text, c.start, c.end, a, b))
        ctx.said = (lambda c=c, a=s_start, b=s_end: _tense.explicit_past(text, c.start, c.end, a, b))
        try:
            norm: Optional[Norm] = normalise(c.rule, c.match, ctx)
        except (ValueError, KeyError, OverflowError):
            norm = None
        if norm is None:
            continue
        tid = f"t{len(timexes) + 1}"
        t = Timex(id=tid, start=c.start, end=c.end, text=text[c.start:c.end], type=norm.type,
                  value=norm.value, mod=norm.mod, quant=norm.quant, freq=norm.freq,
                  anchor=norm.anchor, direction=norm.direction, resolved=norm.resolved)
        if norm.range is not None:
            t.range_start, t.range_end = norm.range[0].isoformat(), norm.range[1].isoformat()
        if norm.anchor and dct_date is None and norm.anchor in ("DCT", "sentence"):
            t.resolved = False
        if norm.duration is not None:
            durations[tid] = norm.duration
        timexes.append(t)
        # update the reference time
        if norm.point is not None and norm.type in ("DATE", "TIME") and norm.resolved:
            if norm.sets_reference or ctx.ref is None:
                ctx.ref = norm.point
            if norm.point.gran in ("quarter",) and norm.sets_reference and (
                    dct_date is None or norm.point.bounds()[1] < dct_date):
                ctx.ref_quarter = norm.point  # the quarter reported on: an ended one (not one still running or ahead)
            if (norm.point.gran == "day" and dct_date is not None and norm.point.day < dct_date):
                sent_anchor_for = (si, norm.point.day)
    _anchor.link(text, timexes, sentences, dct_date, durations)
    return timexes


def annotate(article, doc=None) -> list[Timex]:
    """The time stage of the pipeline: tag ``article.text`` against ``article.published``."""
    published = getattr(article, "published", None)
    if published is None:
        if NO_DCT_NOTE not in article.notes:
            article.notes.append(NO_DCT_NOTE)
        return tag(article.text, None, doc)
    try:
        return tag(article.text, published, doc)
    except ValueError:
        if NO_DCT_NOTE not in article.notes:
            article.notes.append(NO_DCT_NOTE)
        return tag(article.text, None, doc)
