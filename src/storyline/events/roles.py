"""Actor and recipient of an event, read from the dependency parse and mapped onto the actors
stage's records (``Actor.mentions``)."""

from __future__ import annotations

from typing import Iterable, Optional

from storyline.events.triggers import PERSONAL_PRONOUNS
from storyline.model import Actor, EventActor

SOURCE_DEPS = ("nsubj", "csubj")
RECIPIENT_PREPS = {"with", "to", "against", "on", "from", "toward", "towards", "for", "into", "over"}
WEAK_PREPS = {"on", "over", "for", "into"}
# noun triggers whose "of" phrase names the doers ("a meeting of ministers"), not the target
FROM_IS_SOURCE = {"ACCUSE", "REQUEST", "THREATEN", "SUPPORT", "AID"}
OF_IS_ACTOR = {"CONSULT", "AGREE", "PROTEST", "MOBILIZE", "REQUEST", "THREATEN", "SUPPORT", "COOPERATE"}
GROUP_HEADS = {"side", "commission", "party", "country", "nation", "neighbour", "neighbor", "government", "delegation",
               "rival", "foe", "adversary", "capital", "state", "army", "leader"}
PRONOUN_SKIP = {"which", "that", "who", "whom", "what"}
# phrases to leave out of a role phrase: clauses and most prepositional modifiers
PHRASE_CUT = {"relcl", "acl", "advcl", "appos", "ccomp", "xcomp", "punct", "cc", "conj", "parataxis"}


def phrase_bounds(tok) -> tuple[int, int]:
    """Character span of a noun phrase headed by tok, without clauses or trailing modifiers."""
    toks = [tok]
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ in PHRASE_CUT:
                continue
            if c.dep_ == "prep" and not (c.lower_ == "of" and t == tok):
                continue
            toks.append(c)
            stack.append(c)
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    return start, end


def actors_in(actors: list[Actor], start: int, end: int, head_idx: Optional[int] = None) -> list[Actor]:
    """Actors with a mention inside [start, end), those covering the head first."""
    try:  # the actors stage's own helper, when it exists
        from storyline.actors import actor_for_span  # type: ignore
    except Exception:  # pragma: no cover - actors stage not there
        actor_for_span = None
    hits: list[tuple[int, Actor]] = []
    for a in actors:
        best = None
        for m in a.mentions:
            if m.start >= start and m.end <= end:
                covers = head_idx is not None and m.start <= head_idx < m.end
                rank = 0 if covers else 1
                best = rank if best is None else min(best, rank)
            elif head_idx is not None and m.start <= head_idx < m.end:
                best = 0 if best is None else min(best, 0)
        if best is not None:
            hits.append((best, a))
    if not hits and actor_for_span is not None:
        try:
            found = actor_for_span(actors, start, end)
        except Exception:
            found = None
        if isinstance(found, Actor):
            return [found]
        if isinstance(found, list):
            return [a for a in found if isinstance(a, Actor)]
    hits.sort(key=lambda x: x[0])
    out: list[Actor] = []
    for _, a in hits:
        if a not in out:
            out.append(a)
    # a person named inside a country's phrase ("Russia's Putin"): keep the most specific first
    return out


def to_event_actor(a: Actor) -> EventActor:
    return EventActor(name=a.name, actor_id=a.id, country=a.country, sector=a.sector)


def _heads_with_conj(tok) -> list:
    out = [tok]
    for c in tok.conjuncts:
        if c not in out:
            out.append(c)
    return out


def resolve_phrase(tok, actors: list[Actor], previous_pair: Optional[list[EventActor]] = None
                   ) -> list[EventActor]:
    """EventActors for the noun phrase headed by tok (and its conjuncts)."""
    if tok.lower_ in PRONOUN_SKIP and tok.head.dep_ == "relcl":
        tok = tok.head.head
    out: list[EventActor] = []
    for head in _heads_with_conj(tok):
        # "the two sides", "both countries": the pair of the article's last two-sided event
        if previous_pair and head.lemma_.lower() in GROUP_HEADS and any(
                c.lower_ in ("both", "two") for c in head.children):
            for ea in previous_pair:
                if ea not in out:
                    out.append(ea)
            continue
        if previous_pair and head.lower_ in ("both", "they") and head.dep_ in SOURCE_DEPS:
            # "both", or "they" with no antecedent in its sentence: the article's last two sides
            out.extend(ea for ea in previous_pair if ea not in out)
            continue
        start, end = phrase_bounds(head)
        found = actors_in(actors, start, end, head.idx)
        # a person's phrase that also names their country ("Russian President X"): the person
        persons = [a for a in found if a.kind == "person"]
        if persons and head.ent_type_ == "PERSON":
            found = persons[:1]
        elif found and found[0].kind != "person":
            # "Serbian and Kosovar negotiators": several actors in one phrase are co-actors
            found = [a for a in found if a.kind != "person"] or found
        for a in found:
            ea = to_event_actor(a)
            if all(x.actor_id != ea.actor_id for x in out):
                out.append(ea)
        if not found and head.ent_type_ in ("GPE", "NORP", "ORG", "PERSON") and not head.is_stop:
            ea = _fallback(head, actors)
            if ea is not None:
                out.append(ea)
    return out


def _fallback(head, actors: list[Actor]) -> Optional[EventActor]:
    """A named phrase the actors stage did not resolve: ask its resolver, else keep the name."""
    ent = next((e for e in head.doc.ents if e.start <= head.i < e.end), None)
    text = ent.text if ent is not None else head.text
    try:
        from storyline.actors import resolve  # type: ignore
        a = resolve(text, head.sent.text, None, None)
        if isinstance(a, Actor):
            return to_event_actor(a)
    except Exception:
        pass
    return EventActor(name=text)


def _antecedent(pron, verb):
    """'X said it had launched ...': a personal pronoun subject of a content or subordinate clause
    stands for the subject of the clause above it (the speaker), when that one is a noun phrase."""
    t = verb
    for _ in range(4):
        if t.dep_ == "relcl" and any(c.lower_ in ("where", "when") for c in t.children if c.dep_ == "advmod"):
            # "X held a round in Quito, where they agreed": up to the clause the place/time belongs to
            while t.head != t and t.head.pos_ not in ("VERB", "AUX"):
                t = t.head
            t = t.head
        elif t.dep_ not in ("ccomp", "advcl", "conj", "xcomp") or t.head == t:
            return None
        else:
            t = t.head
        subj = next((c for c in t.children if c.dep_ in SOURCE_DEPS), None)
        if subj is not None and subj.lower_ not in PERSONAL_PRONOUNS | PRONOUN_SKIP:
            return subj
        if subj is not None:
            continue
    return None


def subject_of(verb):
    """The syntactic subject of a verb, climbing through xcomp/conj/advcl participles; a personal
    pronoun subject of a content clause is replaced by the speaker it stands for."""
    subj = _subject_of(verb)
    if subj is not None and subj.lower_ in PERSONAL_PRONOUNS:
        ante = _antecedent(subj, subj.head)
        if ante is not None:
            return ante
    return subj


def _dateline(tok) -> bool:
    """'GENEVA — Armenian delegations will meet': a capitalised place opening the sentence before a dash."""
    return tok.i == tok.sent.start and tok.is_upper and any(c.text in ("—", "–", "-", "--") for c in tok.children)


def _subject_of(verb):
    v = verb
    for _ in range(6):
        subs = [c for c in v.children if c.dep_ in SOURCE_DEPS and not _dateline(c)]
        if subs:  # several (a misparse): the one nearest before the verb
            before = [c for c in subs if c.i < v.i]
            return before[-1] if before else subs[0]
        for c in v.children:
            if c.dep_ in SOURCE_DEPS:
                return c
        for c in v.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        if v.dep_ == "relcl" and v.head.pos_ in ("NOUN", "PROPN"):
            if any(c.dep_ == "nsubj" for c in v.children):
                break
            return v.head
        if v.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acl", "acomp") and v.head != v:
            v = v.head
            # "willing to meet": ADJ -> its verb
            while v.head != v and v.pos_ not in ("VERB", "AUX") and v.dep_ in ("acomp", "amod", "attr", "prep", "pobj"):
                v = v.head
            continue
        break
    return None


def roles(trig, actors: list[Actor], previous_pair: Optional[list[EventActor]] = None
          ) -> tuple[list[EventActor], list[EventActor]]:
    """(actors, recipients) of a trigger."""
    src: list[EventActor] = []
    tgt: list[EventActor] = []
    verb = trig.clause_verb
    tok = trig.token
    passive = verb is not None and any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)

    demand = getattr(trig, "demand_of", None)
    if demand is not None:  # "X said Y must ...": X asks Y
        subj = subject_of(verb)
        if subj is not None:
            src += resolve_phrase(subj, actors, previous_pair)
        asked = next((c for c in demand.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if asked is not None:
            tgt += resolve_phrase(asked, actors, previous_pair)
        if not (src and tgt):  # a demand needs its speaker and the party asked
            return [], []
        src = _dedupe(src)
        return src, [t for t in _dedupe(tgt) if not _same(t, src)]
    mediator = trig.entry.pos == "NOUN" and trig.light is not None and trig.entry.mode != "visit" and \
        (trig.entry.cameo or "").startswith("045") and subject_of(trig.light) is not None
    if trig.entry.pos == "NOUN":
        from storyline.events.triggers import carrier
        head = carrier(tok)
        kids = list(tok.children) + ([c for c in head.children if c.dep_ == "prep"] if head != tok else [])
        # "the suspension of aid to Pakistan": the recipient hangs on the noun after "of"
        for c in list(kids):
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj" and trig.entry.lemma not in ("talks",):
                        kids += [x for x in g.children if x.dep_ == "prep" and x.lower_ in RECIPIENT_PREPS]
        for c in kids:
            if c.dep_ == "prep" and c.lower_ == "of" and trig.entry.type not in OF_IS_ACTOR and c.head == tok:
                for g in c.children:
                    if g.dep_ == "pobj":
                        got = resolve_phrase(g, actors, previous_pair)
                        tgt += [a for a in got if a.country or a.sector or a.actor_id]
                continue
            if c.dep_ == "poss":
                src += resolve_phrase(c, actors, previous_pair)
            elif c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE", "ORG"):
                if c.ent_type_ == "GPE" and _is_city(c):
                    continue  # "the Geneva meeting": the venue, not a party
                src += resolve_phrase(c, actors, previous_pair)
            elif c.dep_ == "prep":
                for g in c.children:
                    if g.dep_ != "pobj":
                        continue
                    if c.lower_ == "by":
                        src += resolve_phrase(g, actors, previous_pair)
                    elif c.lower_ == "between":
                        if mediator:  # "X began a mediation effort ... between Y and Z"
                            tgt += resolve_phrase(g, actors, previous_pair)
                        else:
                            src += resolve_phrase(g, actors, previous_pair)
                    elif c.lower_ in RECIPIENT_PREPS:
                        tgt += resolve_phrase(g, actors, previous_pair)
    if trig.entry.pos == "NOUN" and trig.light is None and getattr(trig, "intent", False) and verb is not None:
        subj = subject_of(verb)
        if subj is not None:
            src += resolve_phrase(subj, actors, previous_pair)
    if verb is not None and (trig.entry.pos == "VERB" or trig.light is not None):
        if passive:
            for c in verb.children:
                if c.dep_ == "agent":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            src += resolve_phrase(g, actors, previous_pair)
                if c.dep_ == "nsubjpass" and trig.entry.pos == "VERB":
                    tgt += resolve_phrase(c, actors, previous_pair)
        else:
            subj = subject_of(verb)
            if subj is not None:
                src += resolve_phrase(subj, actors, previous_pair)
        for c in verb.children:
            if c.dep_ in ("dobj", "obj", "dative") and trig.entry.pos == "VERB":
                got = resolve_phrase(c, actors, previous_pair)
                if got:
                    tgt += got
                else:  # "proposed a round of talks with Moscow": the recipient inside the object
                    for p in c.subtree:
                        if p.dep_ == "prep" and p.lower_ in RECIPIENT_PREPS | {"between"} and _in_np(p, c):
                            for g in p.children:
                                if g.dep_ == "pobj":
                                    tgt += resolve_phrase(g, actors, previous_pair)
            elif c.dep_ in ("dobj", "obj") and trig.light is not None and c != tok:
                tgt += resolve_phrase(c, actors, previous_pair)
            elif c.dep_ == "dative" and c.pos_ == "ADP":  # "granted a pardon to X"
                for g in c.children:
                    if g.dep_ == "pobj" and g != tok:
                        tgt += resolve_phrase(g, actors, previous_pair)
            elif c.dep_ == "prep" and c.lower_ in RECIPIENT_PREPS:
                for g in c.children:
                    if g.dep_ == "pobj" and g != tok:
                        got = resolve_phrase(g, actors, previous_pair)
                        if c.lower_ in WEAK_PREPS:  # "agreed on a release": a topic unless a political actor
                            got = [a for a in got if a.country or a.sector]
                        if c.lower_ in WEAK_PREPS | {"to"}:
                            from storyline.events.triggers import lookup
                            if lookup(g) is not None or any(  # "agreed on a release of detainees",
                                    lookup(x) is not None for x in g.subtree  # "for a round of talks"
                                    if x.dep_ == "pobj" and x.head.head == g):
                                got = []
                        if not got and c.lower_ in ("for", "on") and trig.entry.pos == "VERB":
                            # "called for sanctions against China": the recipient inside the object
                            for p in g.subtree:
                                if p.dep_ == "prep" and p.lower_ in ("against", "on", "with", "to") and _in_np(p, g):
                                    for q in p.children:
                                        if q.dep_ == "pobj":
                                            got += resolve_phrase(q, actors, previous_pair)
                        tgt += got
    elif verb is None or trig.light is None:
        # bare noun: no verb roles ("the possible meeting")
        pass
    if not tgt and verb is not None and trig.entry.pos == "VERB" and not passive:
        # "found X guilty", "declared X the winner": the subject of the small clause
        for c in verb.children:
            if c.dep_ in ("ccomp", "oprd") and c.pos_ in ("ADJ", "NOUN"):
                for g in c.children:
                    if g.dep_ == "nsubj":
                        tgt += resolve_phrase(g, actors, previous_pair)
    if trig.entry.pos == "NOUN" and trig.entry.type in FROM_IS_SOURCE:
        # "criticism from X", "demands from X": the doer
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "from":
                for g in c.children:
                    if g.dep_ == "pobj":
                        got = resolve_phrase(g, actors, previous_pair)
                        src += got
                        tgt = [t for t in tgt if not _same(t, got)]
    src = _dedupe(src)
    tgt = [t for t in _dedupe(tgt) if not _same(t, src)]
    # places named as recipients of "in Istanbul"-type adjuncts are not recipients: handled by the
    # prepositions list (in/at are not recipient prepositions)
    return src, tgt


def within(tok, head, stop_deps: tuple[str, ...], limit: int = 10) -> bool:
    """Whether tok lies in head's phrase: walking up from tok reaches head before leaving through
    an arc in ``stop_deps`` (a clause boundary) or the root, within ``limit`` steps."""
    t = tok
    for _ in range(limit):
        if t == head:
            return True
        if t.dep_ in stop_deps or t.head == t:
            return False
        t = t.head
    return False


def _in_np(tok, head) -> bool:
    return within(tok, head, ("relcl", "acl", "ccomp", "advcl", "xcomp"))


def _same(a: EventActor, group: Iterable[EventActor]) -> bool:
    return any((a.actor_id and a.actor_id == b.actor_id) or (a.name == b.name) for b in group)


def _dedupe(items: list[EventActor]) -> list[EventActor]:
    out: list[EventActor] = []
    for a in items:
        if not _same(a, out):
            out.append(a)
    return out


def _is_city(tok) -> bool:
    from storyline.events.location import resolve_place
    loc = resolve_place(tok.text)
    return loc is not None and loc.precision == "city"
