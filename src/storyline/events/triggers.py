"""Trigger finding: the verb/noun lexicon (written from the PLOVER codebook) matched over the parse.

A verb trigger ("accused", "met") is its own event.  A noun trigger ("talks", "invasion",
"ultimatum") is carried by a light verb ("held talks", "launched the invasion", "issued an
ultimatum") that gives it tense and subject, or stands alone ("the possible meeting").  Triggers
inside the content of another trigger ("demanded that X end the war") are that trigger's object,
not events of their own.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Optional

# Prepositions that attach circumstances (time, place, cause) rather than an object.
CIRCUMSTANTIAL = {"during", "in", "at", "after", "before", "since", "amid", "following", "despite",
                  "ahead", "near", "until", "throughout", "within", "by", "while", "as", "because"}
OBJECT_DEPS = {"dobj", "obj", "nsubjpass", "attr", "oprd", "xcomp", "ccomp", "pobj", "prep", "conj",
               "compound", "amod", "acomp", "advcl", "nmod", "appos", "pcomp", "dative"}
CONTENT_TYPES = {"REQUEST", "THREATEN", "REJECT", "AGREE", "ACCUSE", "SUPPORT"}
INTENT_HEADS = {"willing", "ready", "prepared", "eager", "open", "keen"}


@dataclass(frozen=True)
class Entry:
    lemma: str
    pos: str
    type: str
    mode: Optional[str]
    cameo: Optional[str]
    context: tuple[str, ...]
    need: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def needs(self, key: str) -> Optional[tuple[str, ...]]:
        for k, v in self.need:
            if k == key:
                return v
        return None


PERSONAL_PRONOUNS = frozenset({"it", "they", "he", "she"})  # third-person subjects that stand for a named party


@dataclass
class Trigger:
    token: object                    # the trigger word (verb or noun head)
    entry: Entry
    light: object = None             # light verb carrying a noun trigger
    intent: bool = False             # "willing to meet": an expressed intent (AGREE)
    demand_of: object = None         # "X said Y must ...": the content verb whose subject is asked
    absorbed: list = field(default_factory=list)  # triggers folded into this one

    @property
    def clause_verb(self):
        """The verb whose tense, modality and subject the event takes."""
        if self.entry.pos == "VERB":
            return self.token
        if self.light is not None:
            return self.light
        return nearest_verb(self.token)

    @property
    def tokens(self) -> list:
        toks = [self.token]
        if self.light is not None:
            toks.append(self.light)
        return sorted(toks, key=lambda t: t.i)


DEMAND = Entry(lemma="must", pos="VERB", type="REQUEST", mode=None, cameo="100", context=())


def _status_cues() -> dict[str, set[str]]:
    from storyline.events.status import cues
    return cues()


def _data_path(name: str):
    return resources.files("storyline") / "data" / "events" / name


def _read_tsv(name: str) -> list[list[str]]:
    rows = []
    with _data_path(name).open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            rows.append(line.rstrip("\n").split("\t"))
    return rows


@lru_cache(maxsize=1)
def lexicon() -> dict[tuple[str, str], list[Entry]]:
    lex: dict[tuple[str, str], list[Entry]] = {}
    for row in _read_tsv("triggers.tsv"):
        row += [""] * (7 - len(row))
        lemma, pos, typ, mode, cameo, context, need = row[:7]
        needs = []
        for part in filter(None, (p.strip() for p in need.split(","))):
            k, _, v = part.partition("=")
            needs.append((k.strip(), tuple(x.strip().lower() for x in v.split("|") if x.strip())))
        entry = Entry(lemma=lemma.lower(), pos=pos, type=typ, mode=mode or None, cameo=cameo or None,
                      context=tuple(c for c in context.split(";") if c), need=tuple(needs))
        head = lemma.lower().split()[-1]
        lex.setdefault((head, pos), []).append(entry)
    return lex


@lru_cache(maxsize=1)
def light_verbs() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in _read_tsv("light_verbs.tsv"):
        out.setdefault(row[0].lower(), set()).add(row[1] if len(row) > 1 else "obj")
    return out


def nearest_verb(tok):
    t = tok
    seen = 0
    while t.head != t and seen < 20:
        t = t.head
        seen += 1
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None


def objects(verb) -> list:
    """Object-like dependents of a verb: direct objects, passive subjects, prepositional objects,
    the antecedent of a relative clause whose object is the relative pronoun."""
    out = []
    for c in verb.children:
        if c.dep_ in ("dobj", "obj", "nsubjpass", "attr", "oprd", "dative"):
            out.append(c)
            out.extend(c.conjuncts)
        elif c.dep_ == "prep" and c.lower_ not in CIRCUMSTANTIAL:
            for g in c.children:
                if g.dep_ == "pobj":
                    out.append(g)
                    out.extend(g.conjuncts)
    if verb.dep_ == "relcl":
        rel = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass") and c.tag_ in ("WDT", "WP")]
        if rel:
            out.append(verb.head)
    return out


def _modifiers(noun) -> set[str]:
    mods = set()
    for c in noun.children:
        if c.dep_ in ("compound", "amod", "nmod", "nummod", "poss"):
            mods.add(c.lemma_.lower())
            mods.add(c.lower_)
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj":
                    mods.add(g.lemma_.lower())
                    mods.add(g.lower_)
    # "prisoner exchanges" may be parsed with the modifier as a sibling compound
    if noun.i > 0:
        prev = noun.doc[noun.i - 1]
        mods.add(prev.lemma_.lower())
        mods.add(prev.lower_)
    return mods


def _matches(entry: Entry, tok) -> bool:
    words = entry.lemma.split()
    if len(words) > 1:  # multi-word noun: preceding words as compound modifiers
        i = tok.i - len(words) + 1
        if i < 0 or [t.lower_ for t in tok.doc[i:tok.i]] != words[:-1] and \
                [t.lemma_.lower() for t in tok.doc[i:tok.i]] != words[:-1]:
            return False
    if entry.pos == "VERB":
        objs = objects(tok)
        obj_words = _object_words(objs)
        want = entry.needs("obj")
        if want is not None and not (obj_words & set(want) or
                                     ("@person" in want and any(_is_person(o) for o in objs))):
            return False
        if entry.needs("hasobj") is not None and not any(
                c.dep_ in ("dobj", "obj", "nsubjpass", "dative") for c in tok.children):
            return False
        child = entry.needs("child")
        if child is not None and not any(c.lower_ in child or c.lemma_.lower() in child for c in tok.children):
            return False
        if entry.needs("xcomp") is not None and not any(c.dep_ in ("xcomp", "ccomp") for c in tok.children):
            return False
        bad = entry.needs("notobj")
        if bad is not None and obj_words & set(bad):
            return False
        prt = entry.needs("prt")
        if prt is not None and not any(c.dep_ == "prt" and c.lower_ in prt for c in tok.children):
            return False
        notprep = entry.needs("notprep")   # "seized on a remark": the phrasal verb, not the act
        if notprep is not None and any(c.dep_ in ("prep", "prt") and c.lower_ in notprep and c.i == tok.i + 1
                                       and not _time_phrase(c) for c in tok.children):
            return False
        subj = entry.needs("subj")         # "a tweet attacking X": what does the act
        if subj is not None and not _subject_words(tok) & set(subj):
            return False
        notsubj = entry.needs("notsubj")   # "shares rallied": no demonstration
        if notsubj is not None and _subject_words(tok) & set(notsubj):
            return False
        prep = entry.needs("prep")
        if prep is not None and not any(c.dep_ in ("prep", "agent", "dative") and c.lower_ in prep
                                        and not _time_phrase(c) for c in tok.children):
            return False
        return True
    mods = _modifiers(tok)
    want = entry.needs("mod")
    if want is not None and not mods & set(want):
        return False
    bad = entry.needs("notobj")
    if bad is not None and mods & set(bad):
        return False
    prep = entry.needs("prep")
    if prep is not None:
        lv = _light_verb_of(tok)  # "filed charges against X": the phrase may hang on the light verb
        kids = list(carrier(tok).children) + (list(lv.children) if lv is not None else [])
        if not any(c.dep_ == "prep" and c.lower_ in prep for c in kids):
            return False
    gov = entry.needs("gov")
    if gov is not None and _governor(tok) not in gov:
        return False
    light = entry.needs("light")
    if light is not None:
        lv = _light_verb_of(tok)
        if lv is None or (light and lv.lemma_.lower() not in light):
            return False
    return True


def _governor(noun) -> str:
    """Lemma of the verb governing a noun phrase directly or through a preposition
    ("went on strike" -> go, "placed on alert" -> place)."""
    t = carrier(noun)
    h = t.head
    if t.dep_ == "pobj" and h.dep_ == "prep":
        h = h.head
    return h.lemma_.lower() if h.pos_ in ("VERB", "AUX") else ""


def _time_phrase(prep) -> bool:
    """'on Tuesday', 'for two weeks': a preposition introducing a time, never the verb's argument."""
    return any(g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME") for g in prep.children)


def _subject_words(verb) -> set[str]:
    """Lemmas of an active verb's subject, or of the noun an -ing participle modifies ("a tweet attacking")."""
    subs = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subs and verb.dep_ == "acl" and verb.tag_ == "VBG":
        subs = [verb.head]
    return {w for t in subs for w in (t.lemma_.lower(), t.lower_)}


def _is_person(tok) -> bool:
    return tok.ent_type_ in ("PERSON", "NORP") or any(c.ent_type_ == "PERSON" for c in tok.children
                                                      if c.dep_ in ("compound", "appos"))


def _object_words(objs) -> set[str]:
    """Lemmas and forms of objects, their compound/adjective modifiers ("martial law", "mediation
    efforts") and the noun after "of" ("some of its troops", "a state of emergency")."""
    words = set()
    for o in objs:
        words |= {o.lemma_.lower(), o.lower_}
        for c in o.children:
            if c.dep_ in ("compound", "amod"):
                words |= {c.lemma_.lower(), c.lower_}
            elif c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj":
                        words |= {g.lemma_.lower(), g.lower_}
                        words |= {x.lemma_.lower() for x in g.children if x.dep_ in ("compound", "amod")}
    return words


def lookup(tok) -> Optional[Entry]:
    pos = "VERB" if tok.pos_ == "VERB" else ("NOUN" if tok.pos_ in ("NOUN", "PROPN") else None)
    if pos is None:
        return None
    lex = lexicon()
    keys = [tok.lemma_.lower(), tok.lower_]
    if pos == "NOUN" and tok.pos_ == "PROPN" and tok.ent_type_:
        return None  # a name ("Peace Treaty Hotel") is not an event
    for k in keys:
        for entry in lex.get((k, pos), []):
            if _matches(entry, tok):
                return entry
    return None


def carrier(noun):
    """The phrase head standing for a noun trigger: "two rounds of talks" -> rounds."""
    lv = light_verbs()
    t = noun
    for _ in range(3):
        h = t.head
        if t.dep_ == "pobj" and h.lower_ == "of" and h.head.pos_ in ("NOUN", "PROPN") \
                and "quantity" in lv.get(h.head.lemma_.lower(), ()):
            t = h.head
        elif t.dep_ in ("compound", "amod", "nmod") and h.pos_ == "NOUN" and "head" in lv.get(h.lemma_.lower(), ()):
            t = h  # "a mediation effort", "a peace initiative"
        else:
            break
    return t


def _light_verb_of(noun):
    lv = light_verbs()
    noun = carrier(noun)
    head = noun.head
    if noun.dep_ in ("dobj", "obj") and "obj" in lv.get(head.lemma_.lower(), ()):
        return head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ == "on" and head.head.pos_ in ("VERB", "AUX") \
            and "on" in lv.get(head.head.lemma_.lower(), ()):
        return head.head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ == "VERB" \
            and "obj" in lv.get(head.head.lemma_.lower(), ()) and head.lower_ in ("to", "on", "in", "into"):
        # "agreed to talks" is handled by the verb trigger; "embark on an offensive"
        return None
    if noun.dep_ in ("nsubj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
        roles = lv.get(head.lemma_.lower(), set())
        if "subj" in roles:
            return head
        if head.lemma_.lower() == "take" and any(c.lower_ == "place" for c in head.children):
            return head
        if noun.dep_ == "nsubjpass" and "obj" in roles:  # "talks were held"
            return head
    for c in noun.children:  # "the agreements reached in May"
        if c.dep_ == "acl" and c.tag_ == "VBN" and "obj" in lv.get(c.lemma_.lower(), ()):
            return c
    for c in noun.children:  # "the invasion, which Putin launched"
        if c.dep_ == "relcl" and "obj" in lv.get(c.lemma_.lower(), ()) and \
                any(g.dep_ in ("dobj", "obj") and g.tag_ in ("WDT", "WP") for g in c.children):
            return c
    if noun.dep_ == "conj":
        first = noun
        while first.dep_ == "conj":
            first = first.head
        if first != noun and first.pos_ in ("NOUN", "PROPN"):
            return _light_verb_of(first)
    return None


def _is_under(tok, anc, stop_at_circumstantial: bool = True) -> bool:
    """Whether tok is in anc's subtree through object-like links (not time/place adjuncts)."""
    t = tok
    steps = 0
    while t != anc and t.head != t and steps < 30:
        if t.dep_ == "relcl":
            return False
        if t.dep_ == "advcl" and (t.tag_ != "VBG" or lookup(t) is None):
            return False
        if stop_at_circumstantial and t.dep_ == "prep" and t.lower_ in CIRCUMSTANTIAL:
            return False
        if t.dep_ in ("npadvmod", "advmod", "parataxis", "mark"):
            return False
        t = t.head
        steps += 1
    return t == anc


def find(doc, span=None) -> list[Trigger]:
    """Triggers in a doc (or a span of it), with noun triggers attached to their light verbs and
    triggers inside another trigger's content folded into it."""
    toks = span if span is not None else doc
    found: list[Trigger] = []
    for tok in toks:
        entry = lookup(tok)
        if entry is None:
            continue
        trig = Trigger(token=tok, entry=entry)
        if entry.pos == "NOUN":
            trig.light = _light_verb_of(tok)
            # a light verb that is itself a lexicon verb with its object satisfied wins
            if trig.light is not None and lookup(trig.light) is not None:
                trig.light = None
        found.append(trig)
    # intent: "willing to meet", "ready for talks"
    for trig in found:
        v = trig.clause_verb if trig.entry.pos == "VERB" else (trig.light or trig.token)
        h = v.head if v is not None else None
        if h is not None and h.lemma_.lower() in INTENT_HEADS and v.dep_ in ("xcomp", "pobj", "prep", "acomp"):
            trig.intent = True
        if trig.entry.pos == "NOUN" and trig.token.dep_ == "pobj" and trig.token.head.head.lemma_.lower() in INTENT_HEADS:
            trig.intent = True
    # "X said it will release Y": a speaker's own future act in its content is an expressed intent
    c = _status_cues()
    for trig in found:
        v = trig.clause_verb
        if v is None or trig.intent or v.dep_ != "ccomp" or v.head.lemma_.lower() not in c.get("sayverb", ()):
            continue
        if not (trig.entry.pos == "VERB" or trig.light is not None) or any(a.dep_ == "neg" for a in v.children):
            continue
        if not any(a.dep_ == "aux" and a.lower_ in c.get("intentmodal", ()) for a in v.children):
            continue
        subj = next((x for x in v.children if x.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.dep_ == "nsubj" and subj.lower_ in PERSONAL_PRONOUNS | {"we"}:
            trig.intent = True
    # "X said Y must stop ...": a demand on Y (REQUEST), whatever the content's own triggers
    for tok in toks:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in c.get("sayverb", ()) or lookup(tok) is not None:
            continue
        for v in tok.children:
            if v.dep_ != "ccomp" or not any(a.dep_ == "aux" and a.lower_ in c.get("obligation", ())
                                            for a in v.children):
                continue
            if any(a.dep_ == "neg" for a in v.children):
                continue
            if not any(x.dep_ in ("nsubj", "nsubjpass") and x.lower_ not in PERSONAL_PRONOUNS | {"we", "i", "you"}
                       for x in v.children):
                continue
            found.append(Trigger(token=tok, entry=DEMAND, demand_of=v))
            break
    # fold triggers inside another trigger's content
    keep = []
    verb_triggers = [t for t in found if t.entry.pos == "VERB"]
    for trig in found:
        host = None
        for other in found:
            if other is trig:
                continue
            anchor = other.token if other.entry.pos == "VERB" else (other.light or other.token)
            if trig.token == anchor or (trig.light is not None and trig.light == other.token):
                # noun carried by a trigger verb: "condemned the attack"
                if trig.entry.pos == "NOUN" and other.entry.pos == "VERB":
                    host = other
                    break
                continue
            if other.entry.pos == "VERB" and trig.token in objects(other.token):
                host = other
                break
            carrier_tok = trig.light or trig.token
            if carrier_tok.dep_ == "conj" and carrier_tok.head == anchor:
                # "met in Geneva on 12 August and held a second round in Brussels on 9 September": a
                # coordinated clause is an act of its own, with its own date and place
                continue
            if _is_under(carrier_tok, anchor) and (
                    other.entry.pos == "VERB" or trig.entry.pos == "NOUN"
                    or (other.light is not None and other.entry.type in CONTENT_TYPES)):
                if other.entry.pos == "NOUN" and other.entry.type not in CONTENT_TYPES \
                        and trig.token.dep_ not in ("compound", "amod", "nmod"):
                    continue
                host = other
                break
        if host is not None:
            host.absorbed.append(trig)
        else:
            keep.append(trig)
    del verb_triggers
    return keep
