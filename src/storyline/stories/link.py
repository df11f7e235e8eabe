"""Cross-article event linking: reports of the same real-world event in different articles become one
:class:`~storyline.model.LinkedEvent`.

Two events can be the same real-world event only if they have the same PLOVER type, come from different
articles, and nothing the texts say rules it out (hard constraints):

* their date ranges overlap (an event dated by its article's publication date only says "on or before
  that day", so it overlaps anything earlier; one still to come says "on or after" it);
* their places agree where both texts name one (Geneva vs Brussels rules a link out);
* episode ordinals agree where both evidence sentences number the episode ("third round" vs "fourth round").

Candidate pairs are blocked (by the ISO weeks a bounded date range touches, or else by publication dates within a
window), so a large store is never compared all against all.  Among the pairs that pass, a score weighs shared participants (country codes and names), how specific the
shared date is, the wording of the evidence sentences (TF-IDF cosine) and the place.  Pairs are joined greedily
from the best score down; two groups merge only if no pair across them breaks a hard constraint and no article
would contribute two events (complete link on the constraints), so chains of weak links cannot glue
different rounds of talks together.  Weights and thresholds are data (``data/stories/linking.json``).
"""

from __future__ import annotations

import bisect
import re
import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable, Optional, Sequence

from storyline.model import (Analysis, Event, EventActor, EventDate, EventReport, LinkedEvent, Location, Span,
                             global_id)
from storyline.stories.settings import day_of as _day
from storyline.stories.settings import episode_nouns, name_words, ordinal_values, settings


@dataclass
class EventView:
    """What linking needs to know about one stored event."""

    key: str                     # store id
    article_id: str
    outlet: Optional[str]
    published: Optional[str]
    event: object                # storyline.model.Event
    evidence_text: str
    lo: Optional[date] = None
    hi: Optional[date] = None
    participants: frozenset = field(default_factory=frozenset)
    ordinals: frozenset = field(default_factory=frozenset)
    place: Optional[str] = None
    place_country: Optional[str] = None
    place_precise: bool = False


def _norm_name(name: str) -> str:
    words = name_words(name)
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def participant_keys(actors: Iterable[EventActor]) -> set[str]:
    """Country codes, normalised names and head words of an event's participants ("c:ARM",
    "n:nikol pashinyan", "h:pashinyan"): "the delegations" and "Armenian delegations" share "h:delegations"."""
    keys: set[str] = set()
    for a in actors:
        if a.country:
            keys.add(f"c:{a.country}")
        name = _norm_name(a.name or "")
        if name:
            keys.add(f"n:{name}")
            keys.add(f"h:{name.split()[-1]}")
    return keys


def _ordinals(text: str) -> frozenset:
    nouns = episode_nouns()
    values = ordinal_values()
    words = name_words(text)
    found = set()
    for i, w in enumerate(words[:-1]):
        if w in values and words[i + 1] in nouns:
            found.add(values[w])
    return frozenset(found)


_CLAUSE_BREAK = re.compile(r",?\s+(?:and|but|while|whereas)\s+|;\s+|,\s+where\s+")


def _clause_at(text: str, e: Event) -> str:
    """The stretch of the trigger's evidence sentence between clause breaks around the trigger: "first met
    in Geneva on 12 August | held a second round in Brussels" numbers only the second meeting."""
    trig = e.trigger
    home = next((sp for sp in e.evidence if trig is not None and sp.start <= trig.start < sp.end),
                e.evidence[0] if e.evidence else None)
    if home is None:
        return e.anchor or ""
    sentence = text[home.start:home.end]
    if trig is None or not (home.start <= trig.start < home.end):
        return sentence
    at = trig.start - home.start
    lo, hi = 0, len(sentence)
    for m in _CLAUSE_BREAK.finditer(sentence):
        if m.end() <= at:
            lo = m.end()
        elif m.start() >= at + len(trig.text or ""):
            hi = m.start()
            break
    return sentence[lo:hi]


def _interval(d: EventDate, published: Optional[str]) -> tuple[Optional[date], Optional[date]]:
    if d.basis == "publication" and d.relation == "on or after":
        # still to come when the article appeared
        return _day(d.start) or _day(published), None
    if d.basis == "publication" or (d.value is None and d.start is None and d.end is None):
        return None, _day(d.end) or _day(published)
    lo, hi = _day(d.start), _day(d.end)
    if lo is None and hi is None:
        lo = hi = _day(d.value)
    return lo, hi


def views(analyses: Iterable[Analysis]) -> list[EventView]:
    out: list[EventView] = []
    for an in analyses:
        art = an.article
        for e in an.events:
            text = art.text
            ev = e.evidence[0] if e.evidence else e.trigger
            evidence = text[ev.start:ev.end] if ev is not None else e.anchor
            lo, hi = _interval(e.date, art.published)
            loc: Optional[Location] = e.location
            out.append(EventView(
                key=global_id(art.id, e.id), article_id=art.id, outlet=e.outlet or art.outlet,
                published=art.published, event=e, evidence_text=evidence, lo=lo, hi=hi,
                participants=frozenset(participant_keys(list(e.actors) + list(e.recipients))),
                ordinals=_ordinals(_clause_at(text, e)),
                place=_norm_name(loc.name) if loc and loc.name else None,
                place_country=loc.country if loc else None,
                place_precise=bool(loc and loc.precision in ("point", "city")),
            ))
    return out


def conflict(a: EventView, b: EventView) -> Optional[str]:
    """Why ``a`` and ``b`` cannot be the same real-world event, or None."""
    if a.article_id == b.article_id:
        return "same article"
    if a.event.type != b.event.type:
        return "different type"
    tol = timedelta(days=settings()["event_link"]["date_tolerance_days"])
    if a.lo and b.hi and a.lo > b.hi + tol:
        return "dates do not overlap"
    if b.lo and a.hi and b.lo > a.hi + tol:
        return "dates do not overlap"
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return "different countries"
    if a.place and b.place and a.place_precise and b.place_precise and a.place != b.place \
            and a.place not in b.place and b.place not in a.place:
        return "different places"
    if a.ordinals and b.ordinals and not (a.ordinals & b.ordinals):
        return "different episodes"
    return None


def _width(v: EventView) -> float:
    if v.lo is None or v.hi is None:
        return math.inf
    return (v.hi - v.lo).days + 1


def date_score(a: EventView, b: EventView) -> float:
    """1 when both texts give the same day; lower as the shared range widens; 0.2 when either is unbounded."""
    wa, wb = _width(a), _width(b)
    if math.isinf(wa) or math.isinf(wb):
        return 0.2
    lo = max(a.lo, b.lo)
    hi = min(a.hi, b.hi)
    shared = max((hi - lo).days + 1, 1)
    return 1.0 / (1.0 + math.log2(shared)) if max(wa, wb) <= 366 else 0.2


def participant_score(a: EventView, b: EventView) -> float:
    if not a.participants or not b.participants:
        return 0.0
    return len(a.participants & b.participants) / min(len(a.participants), len(b.participants))


def location_score(a: EventView, b: EventView) -> float:
    if a.place and b.place:
        return 1.0 if a.place == b.place or a.place in b.place or b.place in a.place else 0.3
    if a.place_country and b.place_country:
        return 0.7
    return 0.5


def _tfidf(items: Sequence[EventView]):
    """L2-normalised TF-IDF rows of the evidence sentences (sparse), or None when there are no words."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [v.evidence_text or "" for v in items]
    if not any(t.strip() for t in texts):
        return None
    try:
        return TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts).tocsr()
    except ValueError:  # only stop words
        return None


def candidate_pairs(items: Sequence[EventView], idx: Sequence[int]) -> set[tuple[int, int]]:
    """Pairs worth scoring among events of one type, without comparing everything with everything.

    Events with a bounded date range of at most ``block_days`` share a bucket for every ISO week their range
    (with the tolerance) touches; any other event (publication-dated, open-ended or wide) is paired with events
    from articles published within ``window_days`` of its own article.  Settings: ``event_link`` in
    ``data/stories/linking.json``.
    """
    cfg = settings()["event_link"]
    tol = timedelta(days=cfg["date_tolerance_days"])
    block = cfg.get("block_days", 62)
    window = cfg.get("window_days", 45)
    buckets: dict[tuple[int, int], list[int]] = {}
    loose: list[int] = []
    for i in idx:
        v = items[i]
        if v.lo and v.hi and (v.hi - v.lo).days <= block:
            day = v.lo - tol
            while day <= v.hi + tol:
                buckets.setdefault(tuple(day.isocalendar()[:2]), []).append(i)
                day += timedelta(days=7)
            end_week = tuple((v.hi + tol).isocalendar()[:2])
            if i not in buckets.get(end_week, ()):
                buckets.setdefault(end_week, []).append(i)
        else:
            loose.append(i)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                if items[i].article_id != items[j].article_id:
                    pairs.add((min(i, j), max(i, j)))
    published = {i: _day(items[i].published) for i in idx}
    by_day = sorted(idx, key=lambda i: published[i] or date.max)   # undated last
    dated = [published[i] for i in by_day if published[i] is not None]
    undated = by_day[len(dated):]
    for i in loose:
        d = published[i]
        if d is None:
            others = idx
        else:
            lo_pos = bisect.bisect_left(dated, d - timedelta(days=window))
            hi_pos = bisect.bisect_right(dated, d + timedelta(days=window))
            others = by_day[lo_pos:hi_pos] + undated
        for j in others:
            if j != i and items[i].article_id != items[j].article_id:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def link_score(a: EventView, b: EventView, text_sim: float) -> Optional[float]:
    """The score of the pair, or None where a hard constraint or too little evidence rules it out."""
    if conflict(a, b):
        return None
    cfg = settings()["event_link"]
    w = cfg["weights"]
    part = participant_score(a, b)
    if part == 0.0 and text_sim < cfg["min_text_without_participants"]:
        return None
    score = (w["participants"] * part + w["date"] * date_score(a, b) + w["text"] * text_sim
             + w["location"] * location_score(a, b))
    return score if score >= cfg["threshold"] else None


def link(analyses: Sequence[Analysis]) -> list[LinkedEvent]:
    """Every event of ``analyses`` in exactly one :class:`LinkedEvent` (most have a single report)."""
    import numpy as np

    items = views(analyses)
    matrix = _tfidf(items)
    by_type: dict[str, list[int]] = {}
    for i, v in enumerate(items):
        by_type.setdefault(v.event.type, []).append(i)
    pairs: list[tuple[float, int, int]] = []
    for idx in by_type.values():
        cand = sorted(candidate_pairs(items, idx))
        if not cand:
            continue
        left = np.array([i for i, _ in cand])
        right = np.array([j for _, j in cand])
        sims = (np.asarray(matrix[left].multiply(matrix[right]).sum(axis=1)).ravel() if matrix is not None
                else np.zeros(len(cand)))
        for (i, j), sim in zip(cand, sims):
            s = link_score(items[i], items[j], float(sim))
            if s is not None:
                pairs.append((s, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))

    group = list(range(len(items)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(items))}
    weakest: dict[int, float] = {i: 1.0 for i in range(len(items))}
    for s, i, j in pairs:
        gi, gj = group[i], group[j]
        if gi == gj:
            continue
        if any(conflict(items[x], items[y]) for x in members[gi] for y in members[gj]):
            continue
        keep, gone = (gi, gj) if len(members[gi]) >= len(members[gj]) else (gj, gi)
        for x in members[gone]:
            group[x] = keep
        members[keep].extend(members.pop(gone))
        weakest[keep] = min(weakest[keep], weakest.pop(gone), s)
    return [_linked([items[i] for i in m], weakest[g]) for g, m in sorted(members.items())]


def _report(v: EventView) -> EventReport:
    e = v.event
    sources = []
    for at in e.attributions:
        first = at.chain[0] if at.chain else at.source
        if first and first not in sources:
            sources.append(first)
    ev = e.evidence[0] if e.evidence else e.trigger
    return EventReport(event_id=v.key, article_id=v.article_id, outlet=v.outlet, published=v.published,
                       status=e.status, certainty=e.certainty, date=e.date, sources=sources,
                       evidence=Span(ev.start, ev.end, v.evidence_text) if ev is not None else None)


def _merge_actors(lists: Iterable[list[EventActor]]) -> list[EventActor]:
    out: list[EventActor] = []
    seen: set[str] = set()
    for actors in lists:
        for a in actors:
            k = f"{a.country or ''}|{_norm_name(a.name or '')}"
            if k not in seen:
                seen.add(k)
                out.append(EventActor(name=a.name, actor_id=None, country=a.country, sector=a.sector))
    return out


_BASIS_RANK = {"timex": 0, "derived": 1, "unknown": 2, "publication": 3}
_LOC_RANK = {"point": 0, "city": 1, "admin1": 2, "country": 3, "region": 4, "unknown": 5}


def _date(vs: list[EventView]) -> EventDate:
    """The most specific report's date, narrowed to what every report allows."""
    best = min(vs, key=lambda v: (_BASIS_RANK.get(v.event.date.basis, 2), _width(v), v.published or ""))
    d = EventDate.from_dict(best.event.date.to_dict())
    if all(v.event.date.basis == "publication" for v in vs):
        ends = [v.hi for v in vs if v.hi]
        if ends:
            d.end = min(ends).isoformat()
    return d


def _linked(vs: list[EventView], score: float) -> LinkedEvent:
    vs = sorted(vs, key=lambda v: (v.published or "9999", v.key))
    latest = vs[-1].event
    loc_src = min((v.event.location for v in vs if v.event.location),
                  key=lambda loc: _LOC_RANK.get(loc.precision, 5), default=None)
    deadline = next((v.event.deadline for v in vs if v.event.deadline), None)
    ident = "L" + hashlib.sha1("|".join(sorted(v.key for v in vs)).encode()).hexdigest()[:12]
    return LinkedEvent(
        id=ident, type=latest.type,
        actors=_merge_actors(v.event.actors for v in vs),
        recipients=_merge_actors(v.event.recipients for v in vs),
        location=loc_src, date=_date(vs), deadline=deadline, status=latest.status,
        first_reported=next((v.published for v in vs if v.published), None),
        reports=[_report(v) for v in vs], score=round(score, 3))
