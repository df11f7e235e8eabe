"""Speaker resolution within one article: names, titles, pronouns and nominals.

Order of evidence:

1. an actor mention (from the actors stage) overlapping the source phrase;
2. a PERSON/ORG entity inside the source phrase, expanded to the fullest form
   of that name used in the article ("Zelensky" -> "Volodymyr Zelensky");
3. a pronoun: the nearest preceding compatible antecedent — a subject entity
   (``he``/``she`` -> a person; ``it`` -> an organisation or place; ``they``
   -> either, or a plural source), preferring earlier speakers;
4. a definite nominal ("the diplomat", "the Ukrainian leader"): an earlier
   source with the same head noun, else the nearest earlier person whose
   nationality or role matches the modifier.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from storyline.quotes.cues import speaker_nouns

PERSON_PRON = {"he", "she", "him", "her", "i", "me"}
THING_PRON = {"it"}
PLURAL_PRON = {"they", "them", "we", "us"}
ROLE_NOUNS = speaker_nouns("role")            # data/quotes/speaker_nouns.tsv
ORG_NOUNS = speaker_nouns("organization")
DOC_NOUNS = speaker_nouns("document")


@dataclass
class Resolved:
    speaker: Optional[str]
    actor_id: Optional[str] = None
    kind: str = "unknown"          # person | organization | media | document | anonymous | unknown
    antecedent: Optional[int] = None  # index of the earlier attribution it was resolved through


def head_token(doc, span: tuple[int, int]):
    """The syntactic head of the tokens inside a char span."""
    s, e = span
    sp = doc.char_span(s, e, alignment_mode="contract")
    toks = list(sp) if sp is not None else []
    if not toks:
        return None
    ids = {t.i for t in toks}
    heads = [t for t in toks if t.head.i not in ids or t.head is t]
    return heads[0] if heads else toks[0]


class Resolver:
    def __init__(self, text: str, doc, actors: list) -> None:
        self.text = text
        self.doc = doc
        self.actors = actors or []
        self.mentions = sorted(((m.start, m.end, a) for a in self.actors for m in a.mentions),
                               key=lambda x: x[0])
        ents = list(doc.ents) if doc is not None else []
        self.persons = [e for e in ents if e.label_ == "PERSON"]
        self.orgs = [e for e in ents if e.label_ in ("ORG", "GPE", "NORP", "FAC")]
        self._full: dict[str, str] = {}
        for e in self.persons:
            last = _clean_name(e.text).split()[-1:] if _clean_name(e.text) else []
            if not last:
                continue
            key = last[0].lower()
            cur = self._full.get(key)
            name = _clean_name(e.text)
            if cur is None or len(name.split()) > len(cur.split()):
                self._full[key] = name

    # -- helpers -----------------------------------------------------------
    def actor_at(self, span: tuple[int, int]):
        s, e = span
        best = None
        for ms, me, a in self.mentions:
            if ms < e and s < me:
                if best is None or (me - ms) > (best[1] - best[0]):
                    best = (ms, me, a)
        return best[2] if best else None

    def actor_label(self, actor) -> str:
        """The actor's name; an institution the article writes with "the" keeps it ("the Kremlin")."""
        name = actor.name
        if _actor_kind(actor) == "person" or name.lower().startswith("the "):
            return name
        for m in actor.mentions:
            if (m.text == name and self.text[max(0, m.start - 4):m.start].lower() == "the ") \
                    or m.text.lower() == "the " + name.lower():
                return "the " + name
        return name

    def full_name(self, name: str) -> str:
        name = _clean_name(name)
        parts = name.split()
        if not parts:
            return name
        full = self._full.get(parts[-1].lower())
        if full and len(full.split()) >= len(parts) and full.lower().endswith(parts[-1].lower()):
            return full
        return name

    def _ents_in(self, ents, span):
        s, e = span
        return [x for x in ents if x.start_char >= s and x.end_char <= e]

    def resolve(self, span: tuple[int, int], earlier: list[tuple[tuple[int, int], "Resolved"]]) -> Resolved:
        """Resolve the source phrase at ``span``; ``earlier`` = (source span, resolution) of earlier attributions."""
        text = self.text[span[0]:span[1]]
        head = head_token(self.doc, span) if self.doc is not None else None
        hl = head.lower_ if head is not None else text.lower()
        actor = self.actor_at(span)
        if actor is not None and not (head is not None and head.pos_ == "PRON"):
            return Resolved(self.actor_label(actor), actor.id, _actor_kind(actor))
        if head is not None and head.pos_ == "PRON" or hl in PERSON_PRON | THING_PRON | PLURAL_PRON:
            return self._pronoun(span, hl, earlier)
        # the entity the phrase is headed by ("Harbour Master Olga Brenn", "the ministry")
        persons = self._ents_in(self.persons, span)
        if persons and (head is None or any(p.start <= head.i < p.end for p in persons) or len(persons) == 1):
            p = persons[0] if head is None else next((p for p in persons if p.start <= head.i < p.end), persons[0])
            return Resolved(self.full_name(p.text), None, "person")
        orgs = self._ents_in(self.orgs, span)
        if orgs and head is not None and any(o.start <= head.i < o.end for o in orgs):
            return Resolved(_phrase(text), None, "organization")
        if head is not None and head.pos_ == "PROPN" and head.lower_ in self._full and not orgs:
            return Resolved(self.full_name(head.text), None, "person")
        if head is not None and head.lemma_.lower() in ROLE_NOUNS and _definite(head):
            r = self._nominal(span, head, earlier)
            if r is not None:
                return r
        kind = "unknown"
        if head is not None:
            lem = head.lemma_.lower()
            if lem in ORG_NOUNS or (head.pos_ == "PROPN" and head.ent_type_ in ("ORG", "GPE", "NORP")):
                kind = "organization"
            elif lem in DOC_NOUNS:
                kind = "document"
            elif head.ent_type_ == "PERSON":
                kind = "person"
            elif lem in ROLE_NOUNS:
                kind = "person"
        return Resolved(_phrase(text), None, kind)

    def _pronoun(self, span, pron: str, earlier) -> Resolved:
        want = "person" if pron in PERSON_PRON else ("thing" if pron in THING_PRON else "any")
        if pron in ("i", "me", "we", "us"):
            # first person inside a quote: the nearest earlier speaker
            for _, r in reversed(earlier):
                if r.speaker:
                    return Resolved(r.speaker, r.actor_id, r.kind)
        cands: list[tuple[int, Resolved]] = []
        # earlier attributions' speakers, when recent, win over bare entities
        for (ss, se), r in reversed(earlier):
            if se <= span[0] and r.speaker and _compatible(r.kind, want):
                if span[0] - se < 700:
                    return Resolved(r.speaker, r.actor_id, r.kind)
                cands.append((ss, r))
                break
        # subject entities / actor mentions before the pronoun
        for ms, me, a in self.mentions:
            if me <= span[0] and _compatible(_actor_kind(a), want):
                cands.append((ms, Resolved(self.actor_label(a), a.id, _actor_kind(a))))
        if self.doc is not None:
            for e in self.persons + self.orgs:
                if e.end_char > span[0] or self._in_quote(e.start_char):
                    continue
                root = e.root
                if root.dep_ not in ("nsubj", "nsubjpass") and e.label_ != "PERSON":
                    continue
                if e.label_ == "NORP" or (e.label_ == "GPE" and root.dep_ != "nsubj"):
                    continue
                kind = "person" if e.label_ == "PERSON" else "organization"
                if not _compatible(kind, want):
                    continue
                name = self.full_name(e.text) if kind == "person" else _phrase(_with_det(self.doc, e))
                # subjects weigh more: push them slightly later so they win ties with objects
                cands.append((e.start_char + (1 if root.dep_.startswith("nsubj") else 0), Resolved(name, None, kind)))
        if not cands:
            return Resolved(self.text[span[0]:span[1]], None, "unknown")
        cands.sort(key=lambda x: x[0])
        return cands[-1][1]

    def _in_quote(self, pos: int) -> bool:
        if not hasattr(self, "_quotes"):
            from storyline.quotes.direct import find_quotes
            self._quotes = [(q.start, q.end) for q in find_quotes(self.text)]
        return any(s <= pos < e for s, e in self._quotes)

    def _nominal(self, span, head, earlier) -> Optional[Resolved]:
        lem = head.lemma_.lower()
        for (ss, se), r in reversed(earlier):
            if se <= span[0]:
                h = head_token(self.doc, (ss, se))
                if h is not None and h.lemma_.lower() == lem and r.speaker:
                    return Resolved(r.speaker, r.actor_id, r.kind)
        mods = {c.lower_ for c in head.children if c.dep_ in ("amod", "compound")}
        best = None
        for e in self.persons:
            if e.end_char > span[0]:
                continue
            ctx = {t.lower_ for t in self.doc[max(0, e.start - 4):e.start]}
            if mods and mods & ctx:
                best = e
            elif best is None and not mods:
                best = e
        if best is None and self.persons:
            prev = [e for e in self.persons if e.end_char <= span[0]]
            best = prev[-1] if prev and lem in ("leader", "president", "premier", "chancellor", "minister") else None
        if best is not None:
            return Resolved(self.full_name(best.text), None, "person")
        return None


def _compatible(kind: str, want: str) -> bool:
    if want == "any":
        return kind != "document"
    if want == "person":
        return kind in ("person", "anonymous")
    return kind in ("organization", "media", "document", "country")


def _actor_kind(actor) -> str:
    if getattr(actor, "sector", None) == "JRN":
        return "media"
    k = getattr(actor, "kind", "person")
    return {"person": "person", "anonymous": "anonymous"}.get(k, "organization")


def _definite(head) -> bool:
    return any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "his", "her", "their", "its")
               for c in head.children)


def _clean_name(name: str) -> str:
    name = name.strip().strip(",.;:")
    if name.endswith("’s") or name.endswith("'s"):
        name = name[:-2]
    return name.strip()


def _with_det(doc, ent) -> str:
    if ent.start > 0 and doc[ent.start - 1].lower_ == "the":
        return "the " + ent.text
    return ent.text


def _phrase(text: str) -> str:
    """A source phrase as a label: one line, leading article lower-cased."""
    text = " ".join(text.split())
    for det in ("The ", "A ", "An "):
        if text.startswith(det):
            return det.lower() + text[len(det):]
    return text
