"""Event dates from the time stage's timexes.

The timex governing the trigger's clause gives the date; a timex reached only across a reporting
clause ("said on Friday that the government had offered ...") bounds it ("on or before"); a
"a week after X" reference dates X; "in 50 days" is a deadline.  With none, the publication date,
basis "publication", precision "unknown" (the day only as a bound).
"""

from __future__ import annotations

import calendar
import re
from typing import Optional

from storyline.events.roles import within
from storyline.model import OPEN_STATUSES, Article, EventDate, Timex

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
REPORTING_DEPS = ("ccomp", "parataxis")
CONTENT_TYPES = {"REQUEST", "THREATEN", "REJECT", "AGREE"}


def bounds(value: Optional[str]) -> tuple[Optional[str], Optional[str], str]:
    """(start, end, precision) of a TimeML date value."""
    if not value:
        return None, None, "unknown"
    v = value[:10] if "T" not in value else value.split("T")[0]
    if _DAY.match(v):
        return v, v, "time" if "T" in value else "day"
    if _MONTH.match(v):
        y, m = int(v[:4]), int(v[5:7])
        if 1 <= m <= 12:
            return f"{v}-01", f"{v}-{calendar.monthrange(y, m)[1]:02d}", "month"
    if _YEAR.match(v):
        return f"{v}-01-01", f"{v}-12-31", "year"
    w = _WEEK.match(v)
    if w:
        import datetime as dt
        try:
            d = dt.date.fromisocalendar(int(w.group(1)), int(w.group(2)), 1)
            return d.isoformat(), (d + dt.timedelta(days=6)).isoformat(), "week"
        except ValueError:
            pass
    return None, None, "unknown"


def from_timex(tx: Timex, relation: str = "on") -> EventDate:
    start, end, prec = bounds(tx.value)
    if tx.range_start or tx.range_end:
        start = tx.range_start or start
        end = tx.range_end or end
        if prec == "unknown" or (start != end and prec == "day"):
            prec = "range"
    alts = list(tx.alternatives)
    if alts:
        days = sorted([a for a in alts if _DAY.match(a)] + ([tx.value] if tx.value and _DAY.match(tx.value) else []))
        if days:
            start, end = start and min(start, days[0]) or days[0], end and max(end, days[-1]) or days[-1]
    return EventDate(value=tx.value, start=start, end=end, precision=prec, basis="timex", timex_id=tx.id,
                     alternatives=[a for a in alts if a != tx.value], relation=relation)


def publication(article: Article, status: Optional[str] = None) -> EventDate:
    """No timex governs the event: the publication day as a bound, never as its date. An event that has
    taken place did so on or before that day; one still to come (``status`` planned, possible,
    conditional) comes on or after it."""
    day = article.published_date
    if not day:
        return EventDate(value=None, start=None, end=None, precision="unknown", basis="unknown", relation=None)
    if status in OPEN_STATUSES:
        return EventDate(value=None, start=day, end=None, precision="unknown", basis="publication",
                         relation="on or after")
    return EventDate(value=None, start=None, end=day, precision="unknown", basis="publication",
                     relation="on or before")


def _tok_at(doc, offset: int):
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _timex_root(doc, tx: Timex):
    span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span.root


def _in_phrase(tok, head) -> bool:
    """tok inside head's phrase, not inside one of its clauses."""
    return within(tok, head, ("relcl", "acl", "ccomp", "advcl", "parataxis"), limit=12)


def _attachment(root):
    """The word a timex modifies: through its preposition ("on May 16" -> the verb)."""
    t = root
    if t.head.dep_ == "prep" or t.head.pos_ == "ADP":
        t = t.head
    prep = t if t.dep_ == "prep" else None
    t = t.head
    if prep is not None and t.pos_ in ("VERB", "AUX") and prep.lower_ == "for":
        return prep
    # "the first on March 3 and the second on April 9": through adverbial noun phrases to the verb
    for _ in range(4):
        if t.pos_ in ("VERB", "AUX") or t.head == t or t.dep_ not in ("npadvmod", "conj", "appos"):
            break
        t = t.head
    return t


def _through_adjuncts(t, extra):
    """'At the second round, in Brussels on 9 September, they agreed': from a noun inside a
    circumstantial phrase up to the verb that phrase modifies (never through the trigger)."""
    start = t
    for _ in range(4):
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.dep_ == "prep" and t.lower_ in ("at", "in", "during", "on"):
            t = t.head  # "in Brussels on 9 September": the date's preposition hangs on the place's
            continue
        if any(t == e for e in extra) or t.dep_ not in ("pobj", "appos", "conj", "npadvmod"):
            return start
        h = t.head
        if t.dep_ == "pobj":
            if h.dep_ != "prep" or h.lower_ not in ("at", "in", "during", "on"):
                return start
            h = h.head
        t = h
    return t if t.pos_ in ("VERB", "AUX") else start


def _path_up(tok, limit: int = 12) -> list[tuple[object, bool]]:
    """Ancestors of tok with a flag: whether a reporting-clause boundary was crossed below them."""
    out = [(tok, False)]
    crossed = False
    t = tok
    for _ in range(limit):
        if t.head == t:
            break
        if t.dep_ in REPORTING_DEPS:
            crossed = True
        if t.dep_ == "relcl" and any(c.lower_ in ("where", "when") and c.dep_ == "advmod" for c in t.children):
            # "held a second round in Brussels on 9 September, where they agreed ...": a 'where/when'
            # clause happens at its antecedent's time
            t = t.head
            out.append((t, crossed))
            continue
        if t.dep_ == "relcl":
            crossed = True  # a relative clause does not inherit its antecedent's time
            out.append((t.head, True))
            break
        t = t.head
        out.append((t, crossed))
    return out


def _usable(tx: Timex) -> bool:
    if tx.type not in ("DATE", "TIME") or not tx.resolved:
        return False
    start, _, _ = bounds(tx.value)
    return start is not None or bool(tx.range_start)


def governing(trig, doc, timexes: list[Timex]) -> list[tuple[Timex, bool]]:
    """Timexes governing the trigger's clause, nearest first, with the 'across a report' flag.
    Several are returned when they are coordinated ("the first on X and the second on Y")."""
    anchor = trig.light or trig.token
    sent = anchor.sent
    cands = [tx for tx in timexes if sent.start_char <= tx.start < sent.end_char and _usable(tx)
             and tx.derived_relation not in ("deadline",)]
    if not cands:
        return []
    path = _path_up(anchor)
    pos = {t.i: (k, crossed) for k, (t, crossed) in enumerate(path)}
    extra = [trig.token] + ([trig.light] if trig.light is not None else [])
    if trig.entry.pos == "NOUN":
        # "the second round, held in Mombasa on 9 April, ended ...": the noun's own participle clause
        extra += [c for c in trig.token.children if c.dep_ == "acl" and c.tag_ == "VBN"]
    scored = []
    for tx in cands:
        root = _timex_root(doc, tx)
        if root is None:
            continue
        att = _attachment(root)
        # attached inside the trigger phrase ("talks on May 16"): nearest
        inside = any(att == e for e in extra) or (trig.entry.pos == "NOUN" and _in_phrase(root, trig.token))
        if att.dep_ == "prep" and att.lower_ == "for" and trig.entry.type in CONTENT_TYPES:
            continue  # "proposed talks for next week": the time of the content
        if att.i not in pos and not inside:
            att = _through_adjuncts(att, extra)
        if att.i in pos:
            k, crossed = pos[att.i]
            scored.append((0 if inside else k, tx, crossed))
        elif inside:
            scored.append((0, tx, False))
    if not scored:
        return _from_event_subject(trig, doc, cands)
    scored.sort(key=lambda x: x[0])
    best = scored[0][0]
    top = [(tx, crossed) for k, tx, crossed in scored if k == best]
    # a period containing a more specific date is context, not the date ("this year, on May 16")
    def rng(tx):
        s, e, _ = bounds(tx.value)
        return (tx.range_start or s or "0000", tx.range_end or e or "9999")
    top = [(tx, c) for tx, c in top
           if not any(o is not tx and rng(tx)[0] <= rng(o)[0] and rng(o)[1] <= rng(tx)[1] and rng(o) != rng(tx)
                      for o, _ in top)]
    top.sort(key=lambda x: x[0].start)
    return top


def _from_event_subject(trig, doc, cands: list[Timex]) -> list[tuple[Timex, bool]]:
    """'A third round, held in Geneva last month, produced agreement': an event noun produced by
    another event takes the time of that event, named in the producer's own phrase."""
    from storyline.events.triggers import light_verbs, lookup

    if trig.entry.pos != "NOUN":
        return []
    tok = trig.token
    if tok.dep_ == "appos":  # the same parse read as "A third round ..., (produced) agreement"
        subj = tok.head
    else:
        verb = trig.clause_verb if trig.light is None else trig.light
        if verb is None or tok.head != verb or tok.dep_ not in ("dobj", "obj"):
            return []
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.pos_ not in ("NOUN", "PROPN"):
        return []
    lv = light_verbs().get(subj.lemma_.lower(), set())
    if not ("quantity" in lv or lookup(subj) is not None):
        return []
    inside = {t.i for c in subj.children if c.dep_ in ("acl", "relcl") for t in c.subtree}
    for tx in cands:
        root = _timex_root(doc, tx)
        if root is not None and root.i in inside:
            return [(tx, False)]
    return []


def reference_date(trig, doc, timexes: list[Timex]) -> Optional[EventDate]:
    """'came a week after X issued ...': the date of X from the time stage's derived reference."""
    anchor = trig.light or trig.token
    sent = anchor.sent
    for tx in timexes:
        if tx.derived_relation != "reference" or not tx.derived_value:
            continue
        if not (sent.start_char <= tx.start < sent.end_char):
            continue
        nxt = _tok_at(doc, tx.end + 1) if tx.end + 1 < len(doc.text) else None
        if nxt is None or nxt.lower_ not in ("after", "before", "since"):
            continue
        # the clause introduced by after/before must contain the trigger
        region = set(t.i for t in nxt.subtree)
        if nxt.dep_ == "mark":
            region |= set(t.i for t in nxt.head.subtree)
        if anchor.i in region and anchor.i > nxt.i:
            start, end, prec = bounds(tx.derived_value)
            return EventDate(value=tx.derived_value, start=start, end=end, precision=prec, basis="derived",
                             timex_id=tx.id, relation="about" if (tx.mod or "").upper() == "APPROX"
                             or tx.text.lower().startswith(("a ", "an ", "about", "some", "around", "nearly"))
                             else "on")
    return None


def deadline(trig, doc, timexes: list[Timex]) -> Optional[EventDate]:
    """'... or face sanctions in 50 days': a deadline inside the trigger's clause."""
    anchor = trig.light or trig.token
    region = {t.i for t in anchor.subtree}
    if trig.light is not None:
        region |= {t.i for t in trig.token.subtree}
    for tx in timexes:
        if tx.derived_relation != "deadline" or not tx.derived_value:
            continue
        root = _timex_root(doc, tx)
        if root is not None and root.i in region:
            start, end, prec = bounds(tx.derived_value)
            return EventDate(value=tx.derived_value, start=None, end=end, precision=prec, basis="derived",
                             timex_id=tx.id, relation="by")
    return None


def date_for(trig, doc, timexes: list[Timex], article: Article, status: Optional[str] = None) -> list[EventDate]:
    """One date per event (several when coordinated dates split one mention into several events).
    ``status`` (the events stage's) tells whether a date reached across a reporting clause is an upper
    bound (done: "on or before") or a lower one (still to come: "after")."""
    ref = reference_date(trig, doc, timexes)
    if ref is not None:
        return [ref]
    gov = governing(trig, doc, timexes)
    if not gov:
        return [publication(article, status)]
    # "Thursday or Friday": one date with alternatives
    if len(gov) > 1:
        between = doc.text[gov[0][0].end:gov[-1][0].start].lower()
        if " or " in f" {between} ":
            first = from_timex(gov[0][0])
            for tx, _ in gov[1:]:
                s2, e2, _p = bounds(tx.value)
                if tx.value and tx.value not in first.alternatives:
                    first.alternatives.append(tx.value)
                if e2 and (first.end is None or e2 > first.end):
                    first.end = e2
            gov = [(gov[0][0], gov[0][1])]
            if not gov[0][1]:
                return [first]
    out = []
    for tx, crossed in gov:
        if crossed:
            d = from_timex(tx, relation="on or before")
            verb = trig.clause_verb
            future = status in OPEN_STATUSES or (
                verb is not None and any(c.lower_ in ("will", "would", "'ll", "could", "may", "might")
                                         for c in verb.children if c.dep_ == "aux"))
            if future:
                d = from_timex(tx, relation="after")
                d.end = None
            else:
                d.start = None
            out.append(d)
        else:
            out.append(from_timex(tx))
    # coordinated dates split the mention; alternatives ("Thursday or Friday") stay one date
    return out
