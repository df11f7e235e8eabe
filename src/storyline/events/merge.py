"""One real-world event mentioned several times = one event with several evidence spans.

Two mentions are the same event when they have the same type, the same kind of status (done vs.
still to come), compatible actors (shared or one side unnamed), compatible dates (overlapping, or
one undated) and compatible places.
"""

from __future__ import annotations

from typing import Optional

from storyline.model import CERTAINTY_LEVELS, OPEN_STATUSES, Event, EventDate, Location
from storyline.events.location import contains
from storyline.events.status import word_kinds

FUTURE = OPEN_STATUSES
PAST = {"happened", "ongoing"}
STATUS_ORDER = ("possible", "conditional", "planned", "ongoing", "happened", "negated")


INTENT_CODES = {"030", "031", "033", "035", "036"}


def _cues() -> dict[str, set[str]]:
    return word_kinds("merge_cues.tsv")


def _episode_head(tok):
    """The noun that numbers or introduces an event noun: "round" in "a fourth round of talks"."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN":
        return tok.head.head
    return None


def episode_number(tok) -> Optional[str]:
    """The ordinal numbering an event as an episode of a series ("the fifth round of talks", "agreed to
    sit down for a fifth round" -> "fifth"), or None."""
    if tok is None:
        return None
    if tok.pos_ in ("VERB", "AUX"):
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("for", "in", "at"):
                for g in c.children:
                    if g.dep_ == "pobj" and g.pos_ == "NOUN":
                        found = episode_number(g)
                        if found:
                            return found
        return None
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    for t in (tok, _episode_head(tok)):
        if t is None:
            continue
        if any(c.dep_ == "nummod" for c in t.children):
            return None  # "the first two rounds" counts rounds, it numbers none
        for c in t.children:
            if c.dep_ == "amod" and c.ent_type_ == "ORDINAL":
                return c.lower_
    return None


def introduces_new(tok) -> Optional[str]:
    """Whether an event noun opens a new discourse referent, as opposed to one that points back ("the
    talks", "those sessions", "their meeting"): "series" for one more of a series the article follows
    ("another exchange", "a fresh round"), "new" for a plain indefinite ("a meeting"), else None."""
    if tok is None or tok.pos_ not in ("NOUN", "PROPN"):
        return None
    cues = _cues()
    head = _episode_head(tok)
    kids = list(tok.children) + (list(head.children) if head is not None else [])
    if any(c.lower_ in cues.get("anaphoric", ()) for c in kids):
        return None  # "such a meeting", "the same kind of talks" point back
    if any((c.dep_ == "det" and c.lower_ in cues.get("series_det", ())) or
           (c.dep_ == "amod" and c.lower_ in cues.get("amod", ())) for c in kids):
        return "series"
    if any(c.dep_ == "det" and c.lower_ in cues.get("det", ()) for c in kids):
        return "new"
    return None


def _kind(status: str, cameo: str | None = None) -> str:
    if cameo in INTENT_CODES and cameo != "030":
        return "intent"
    return "future" if status in FUTURE else ("past" if status in PAST else status)


def bare_result(trig) -> bool:
    """A result noun ("the treaty", "the deal") mentioned with no act: no light verb, no verb trigger folded
    into it."""
    tok = trig.token
    if tok is None or tok.pos_ != "NOUN" or trig.light is not None:
        return False
    if any(getattr(a.token, "pos_", "") == "VERB" for a in trig.absorbed):
        return False
    return tok.lemma_.lower() in _cues().get("result_noun", set())


_NOT_THEMES = {"DATE", "TIME", "GPE", "LOC", "FAC", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"}


def theme(tok) -> Optional[str]:
    """What an act is about, as a lemma: its direct object ("signed the accord"), the object of a theme
    preposition ("agreed on the maps", "agreement on a release"), or an infinitive it governs ("agreed to
    withdraw").  None where the clause names none."""
    if tok is None:
        return None
    preps = _cues().get("theme_prep", set())

    def thing(t) -> bool:
        # "on 12 August", "to Geneva", "for two days" say when, where or how long, not what about
        return t.pos_ in ("NOUN", "PROPN") and t.ent_type_ not in _NOT_THEMES

    for c in tok.children:
        if c.dep_ == "dobj" and thing(c):
            return c.lemma_.lower()
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            for g in c.children:
                if g.dep_ == "pobj" and thing(g):
                    return g.lemma_.lower()
    for c in tok.children:
        if c.dep_ == "xcomp" and c.pos_ == "VERB":
            return c.lemma_.lower()
    return None


def _countries(ev: Event) -> set[str]:
    out = set()
    for a in ev.actors + ev.recipients:
        out.add(a.country or a.name)
    return out


def _ids(ev: Event) -> set[str]:
    return {a.actor_id or a.name for a in ev.actors + ev.recipients}


def _dated(d: EventDate) -> bool:
    return d.basis in ("timex", "derived") and bool(d.start or d.end)


def _shift(day: str, n: int) -> str:
    import datetime as dt
    try:
        return (dt.date.fromisoformat(day) + dt.timedelta(days=n)).isoformat()
    except ValueError:
        return day


def _overlap(a: EventDate, b: EventDate, slack: int = 0) -> bool:
    """Date ranges overlap; `slack` days of tolerance for plans ("end of the week" vs "Friday")."""
    if not (_dated(a) and _dated(b)):
        return True
    a0, a1 = a.start or "0000-01-01", a.end or "9999-12-31"
    b0, b1 = b.start or "0000-01-01", b.end or "9999-12-31"
    if slack:
        a0, a1 = _shift(a0, -slack), _shift(a1, slack)
    return a0 <= b1 and b0 <= a1


def _width(d: EventDate) -> int:
    if not _dated(d):
        return 10 ** 6
    import datetime as dt
    try:
        s = dt.date.fromisoformat(d.start or "0001-01-01")
        e = dt.date.fromisoformat(d.end or "9999-12-31")
        return (e - s).days
    except ValueError:
        return 10 ** 5


def _date_rank(d: EventDate) -> tuple:
    """Narrower first; at equal width, explicit days (with alternatives) before named periods."""
    return (_width(d), 0 if d.precision == "day" else 1)


def _loc_ok(a: Optional[Location], b: Optional[Location]) -> bool:
    if a is None or b is None:
        return True
    return contains(a, b) or contains(b, a) or (a.country is not None and a.country == b.country)


def _subevent(cameo: Optional[str]) -> Optional[str]:
    """The CAMEO event at 3 digits."""
    c = (cameo or "")[:3]
    return c if len(c) == 3 and c.isdigit() else None


def compatible(a: Event, b: Event) -> bool:
    if a.type != b.type or _kind(a.status, a.cameo) != _kind(b.status, b.cameo):
        return False
    sa, sb = _subevent(a.cameo), _subevent(b.cameo)
    if a.type != "CONSULT" and sa and sb and sa != sb:
        # signing an agreement (057) and voicing support (050) are two events; only meetings are
        # named by several words of one category ("met", "talks", "visit")
        return False
    na, nb = getattr(a, "_episode", None), getattr(b, "_episode", None)
    if na and nb and na != nb:
        # "the fifth round" and "a sixth round" are two meetings
        return False
    ta, tb = getattr(a, "_theme", None), getattr(b, "_theme", None)
    if a.type != "CONSULT" and ta and tb and ta != tb:
        # "agreed on a release" and "agreed on the maps": two agreements (one meeting, though, is
        # discussed under many topics)
        return False
    ia, ib = _ids(a), _ids(b)
    if ia and ib and not (ia & ib):
        return False
    future = _kind(a.status) == "future"
    if not _overlap(a.date, b.date, slack=2 if future else 0):
        return False
    if not future and _dated(a.date) and _dated(b.date) and not (ia & ib) \
            and (_width(a.date) > 40) != (_width(b.date) > 40):
        # "agreed earlier this year" vs "agreement produced last month": a vague period and a
        # narrower date with no party in common are two events, not one
        return False
    if not future and _dated(a.date) and _dated(b.date) and a.date.start == a.date.end \
            and b.date.start == b.date.end and a.date.start != b.date.start:
        return False
    return _loc_ok(a.location, b.location)


def absorb(into: Event, other: Event) -> None:
    """Fold other's information into `into`."""
    for ea in other.actors:
        if not any(x.name == ea.name or (x.actor_id and x.actor_id == ea.actor_id) for x in into.actors + into.recipients):
            into.actors.append(ea)
    for ea in other.recipients:
        if not any(x.name == ea.name or (x.actor_id and x.actor_id == ea.actor_id) for x in into.actors + into.recipients):
            into.recipients.append(ea)
    if _date_rank(other.date) < _date_rank(into.date):
        into.date = other.date
    mine = getattr(into, "_mentions", None)
    if mine is not None:
        for m in getattr(other, "_mentions", []):
            if m not in mine:
                mine.append(m)
    if getattr(into, "_episode", None) is None and getattr(other, "_episode", None):
        into._episode = other._episode
    if getattr(into, "_theme", None) is None and getattr(other, "_theme", None):
        into._theme = other._theme
    if other.deadline is not None and into.deadline is None:
        into.deadline = other.deadline
    if other.location is not None:
        if into.location is None or (contains(into.location, other.location)
                                     and into.location.precision != other.location.precision):
            into.location = other.location
    # status: the least settled wins among future statuses; a done event stays done
    if _kind(into.status) == "future":
        into.status = min(into.status, other.status, key=STATUS_ORDER.index)
    for at in other.attributions:
        if not any(x.attribution_id == at.attribution_id for x in into.attributions):
            into.attributions.append(at)
    for sp in other.evidence:
        if not any(x.start == sp.start and x.end == sp.end for x in into.evidence):
            into.evidence.append(sp)
    into.evidence.sort(key=lambda s: s.start)
    if into.attributions:
        into.certainty = max((a.certainty for a in into.attributions), key=CERTAINTY_LEVELS.index)
    into.confidence = max(into.confidence, other.confidence)
    if not into.mode and other.mode:
        into.mode = other.mode
    for c in other.context:
        if c not in into.context:
            into.context.append(c)


def _same_day(a: EventDate, b: EventDate) -> bool:
    return bool(a.start) and a.start == a.end == b.start == b.end


def _new_past(ev: Event, host: Event) -> bool:
    """An indefinite mention ("a fourth round of talks") is not an earlier-reported event that already
    happened, unless both give the same day."""
    return bool(getattr(ev, "_new", False)) and _kind(host.status, host.cameo) == "past" \
        and not _same_day(ev.date, host.date)


def merge(events: list[Event]) -> list[Event]:
    dated = [e for e in events if _dated(e.date)]
    undated = [e for e in events if not _dated(e.date)]
    out: list[Event] = []
    for ev in dated:
        target = next((o for o in out if compatible(o, ev) and not _new_past(ev, o)), None)
        if target is None:
            out.append(ev)
        else:
            absorb(target, ev)
    # an undated mention compatible with dated ones informs all of them ("those sessions were productive")
    rest: list[Event] = []
    for ev in undated:
        if getattr(ev, "_bare", False):
            # "asked about the peace treaty": a bare result noun is no report of an act
            hosts = []
        else:
            # "a separate meeting took place as well": an indefinite mention is not one of the
            # meetings already reported
            hosts = [o for o in out if compatible(o, ev) and not _new_past(ev, o)]
            if getattr(ev, "_new", None) == "new":
                # an undated "a meeting of the heads of state" is not the dated meeting of delegates
                # either, unless both number the same episode ("hopes of a fifth round")
                episode = getattr(ev, "_episode", None)
                hosts = [o for o in hosts if episode and episode == getattr(o, "_episode", None)]
        if hosts:
            for h in hosts:
                absorb(h, ev)
            continue
        target = next((o for o in rest if compatible(o, ev)), None)
        if target is None:
            rest.append(ev)
        else:
            absorb(target, ev)
    final = out + rest
    final.sort(key=lambda e: e.evidence[0].start if e.evidence else 0)
    return final
