"""Attribution frames from the dependency parse: cue verb, source phrase, reported content.

A frame is found for every cue verb (lexicon ``cues.tsv``) and every
"according to X".  Content is, in order of preference:

1. the verb's clausal complement(s) (``ccomp``; "said that …", "… is ready, he said");
2. an infinitival complement ("promised to …", "urged X to …");
3. for a cue that trails its clause ("…, officials said"; "…, media reported"),
   the governing clause to the left of the cue.

The source is the cue's subject; a participle without one ("…, saying that",
"adding that") takes the subject of the verb it hangs on; "X cited Y saying"
makes Y the source and X the channel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from storyline.quotes.cues import (cue_kind, cue_rate, document_sources, impersonal_passives, is_cue, is_noun_cue,
                                   prep_cues, refusal_cues, source_edges, sourceless_cues)

DOBJ_MIN_RATE = 0.35  # (set on the PolNeAR train halves: 0.25 / 0.3 / 0.35 / 0.4 tried)
ADDRESSEE_VERBS = {"tell", "inform", "assure", "remind", "thank", "brief"}

SUBJ = ("nsubj", "nsubjpass", "csubj", "expl")
PUNCT_EDGE = set(",.;:!?—–-()[]\"'“”‘’«»…")


@dataclass
class Frame:
    cue: tuple[int, int]             # char span of the cue
    cue_token: int                   # token index of the main cue word
    content: Optional[tuple[int, int]]
    source: Optional[tuple[int, int]] = None
    source_token: Optional[int] = None
    channel: Optional[tuple[int, int]] = None   # a relaying medium ("told TASS", "cited by X")
    medium: Optional[tuple[int, int]] = None    # "in a nightly address"
    cited: bool = False              # source reached through a citing verb/participle
    kind: str = "speech"
    according: bool = False
    extra: dict = field(default_factory=dict)


def _trim_tokens(toks: list) -> list:
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].text in PUNCT_EDGE):
        toks = toks[1:]
    while toks and (toks[-1].is_space or (toks[-1].is_punct and toks[-1].text not in "”\"»") or toks[-1].text in ",;:—–-("
                    or toks[-1].tag_ == "``"):  # an opening quotation mark never ends a span
        toks = toks[:-1]
    return toks


def _span(toks: list) -> Optional[tuple[int, int]]:
    toks = _trim_tokens(sorted(toks, key=lambda t: t.i))
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _subtree_span(tok) -> Optional[tuple[int, int]]:
    return _span(list(tok.subtree))


def _sent_bounds(tok) -> tuple[int, int]:
    s = tok.sent
    return s.start, s.end


def _source_of(verb, depth: int = 0):
    """(source token, channel token, cited) for a cue verb."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    if subjects:
        # a run-on parse can hang two subjects on one verb: the nearest one is its own
        subj = min(subjects, key=lambda c: abs(c.i - verb.i))
        if verb.tag_ == "VBG" and subj.pos_ == "NOUN" and subj.lemma_.lower() in _carriers() and depth == 0 \
                and verb.head is not verb and verb.head.pos_ in ("VERB", "AUX"):
            # "the fishermen held signs proclaiming …" parsed with the signs as subject: the holders speak
            src = _source_of(verb.head, depth + 1)
            if src[0] is not None and src[0].i != subj.i:
                return src
        if subj.lower_ in ("that", "which") and verb.dep_ == "relcl" and verb.head.pos_ == "NOUN" \
                and verb.head.dep_ in ("dobj", "pobj") and depth == 0:
            # "is releasing an ad that urges …": the one who puts the thing out speaks through it
            gov = verb.head.head if verb.head.dep_ == "dobj" else verb.head.head.head
            if gov.pos_ in ("VERB", "AUX"):
                src = _source_of(gov, depth + 1)
                if src[0] is not None and src[0].pos_ in ("PROPN", "NOUN", "PRON"):
                    return src
        return subj, None, False
    doc = verb.doc
    if verb.tag_ == "VB" and verb.i >= 2 and doc[verb.i - 1].lower_ == "to" and doc[verb.i - 2].dep_ == "pobj" \
            and doc[verb.i - 2].head.lower_ == "for" and doc[verb.i - 2].pos_ in ("NOUN", "PROPN", "PRON") \
            and doc[verb.i - 2].ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL"):
        # "the league made it easy for clubs to criticise …": the object of "for" is the infinitive's subject
        return doc[verb.i - 2], None, False
    if verb.dep_ == "acl" and verb.head.dep_ == "ROOT" and verb.head.i < verb.i \
            and verb.head.pos_ in ("NOUN", "PROPN") and verb.tag_ in ("VBN", "VBD") \
            and any(c.dep_ == "ccomp" for c in verb.children):
        # "Three auditors found that …" parsed as a noun with a participle: the sentence has
        # no other verb, so the noun is the finder
        return verb.head, None, False
    if depth == 0 and verb.tag_ == "VBN" and verb.dep_ in ("advcl", "acl") \
            and not any(c.dep_ in ("agent", "aux", "auxpass") for c in verb.children):
        # "Asked about the plan, X said …": the participle is passive; its asker goes unnamed
        return None, None, False
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        for c in verb.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g, None, False
        return None, None, False
    for c in verb.children:  # passive with an agent: "was told by X"
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g, None, False
    if depth > 3:
        return None, None, False
    head = verb.head
    if head is verb:
        return None, None, False
    if verb.dep_ == "acl" and verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) \
            and head.pos_ == "NOUN" and head.head is not head and head.head.pos_ in ("VERB", "AUX"):
        # "mounted a campaign to condemn …", "took pains to say …": the one who holds the noun speaks
        src = _source_of(head.head, depth + 1)
        if src[0] is not None:
            return src
    if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN", "PRON"):
        # "X cited sources saying …": the noun is the source, the citer the channel
        if head.dep_ in ("dobj", "pobj") and head.head.lemma_.lower() in ("cite", "quote"):
            citer, _, _ = _source_of(head.head, depth + 1)
            return head, citer, True
        if head.dep_ == "pobj" and head.pos_ == "NOUN" and head.head.dep_ == "prep" \
                and head.head.head.pos_ in ("VERB", "AUX") and head.lemma_.lower() not in _speakerish() \
                and not head.ent_type_:
            # "…, in one interview describing the chairman as …": no one speaks through "interview"
            src = _source_of(head.head.head, depth + 1)
            if src[0] is not None:
                return src
        if head.dep_ == "dobj" and head.pos_ == "NOUN" and head.head.pos_ in ("VERB", "AUX") \
                and verb.tag_ == "VBG" and verb.i > 0 and verb.doc[verb.i - 1].text == "," \
                and any(c.dep_ in ("acl", "relcl") and c.i < verb.i for c in head.children) \
                and head.lemma_.lower() not in _speakerish() and not head.ent_type_:
            # "X signed the deal it had opposed, calling it …": a participle set off by a comma after the
            # object's own clause goes with the verb, not with the idea
            src = _source_of(head.head, depth + 1)
            if src[0] is not None:
                return src
        if head.dep_ == "dobj" and head.pos_ == "NOUN" and head.head.pos_ in ("VERB", "AUX") \
                and head.lemma_.lower() in _carriers():
            # "X released a statement saying …", "protesters held signs calling …": who puts the
            # thing out speaks through it
            src = _source_of(head.head, depth + 1)
            if src[0] is not None:
                return src
        return head, None, False
    if verb.dep_ == "pcomp" and head.pos_ in ("ADP", "SCONJ") and head.head is not head:
        # "…, before insisting that …": the participle's subject is the clause's; on a parse that
        # hangs the preposition elsewhere, the cue just before it ("…,” X wrote, after promising")
        for k in range(head.i - 1, max(verb.sent.start, head.i - 6) - 1, -1):
            t = verb.doc[k]
            if is_cue(t) and t.pos_ == "VERB":
                subj = [c for c in t.children if c.dep_ == "nsubj"]
                if subj:
                    return subj[0], None, False
        gov = head.head
        if gov.pos_ == "NOUN" and gov.dep_ in ("dobj", "attr") and gov.head.pos_ in ("VERB", "AUX") \
                and gov.lemma_.lower() not in _speakerish() and not gov.ent_type_:
            gov = gov.head  # "she makes a habit of telling …": who keeps the habit speaks
        return _borrowed_subject(gov, depth + 1)
    if verb.dep_ in ("parataxis", "dep") and head.i < verb.i:
        # "X, noting …, said …": the subject sits on the clause the cue interrupts
        src = _source_of(head, depth + 1)
        return src if src[0] is not None and src[0].i < verb.i else (None, None, False)
    if verb.dep_ == "xcomp" and verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) \
            and head.pos_ == "VERB" and head.lemma_.lower() not in ("promise", "vow", "pledge"):
        # object control: "that prompted Ruiz to call …", "urged her to say …": the object speaks
        obj = next((c for c in head.children if c.dep_ == "dobj" and c.i < verb.i
                    and (c.ent_type_ == "PERSON" or c.lower_ in ("him", "her", "them", "us", "me"))), None)
        if obj is not None:
            return obj, None, False
    if verb.dep_ == "xcomp" and any(c.dep_ == "nsubjpass" for c in head.children) \
            and not any(c.dep_ == "agent" for c in head.children):
        # raising: "X is reported to have called …", "X was quoted as saying" -> X
        subj = next(c for c in head.children if c.dep_ == "nsubjpass")
        if subj.pos_ in ("PROPN", "PRON", "NOUN"):
            return subj, None, False
    if verb.dep_ == "conj" and verb.tag_ != "VBG":
        # conjoined verbs share a subject; a parse that hangs the conjunct on a subjectless
        # head ("Hastily …, X cast …, and emphasized …") still has it on an earlier conjunct
        src = _borrowed_subject(head, depth + 1)
        if src[0] is not None:
            return src
        sib = [c for c in head.children if c.dep_ == "conj" and c.i < verb.i
               and any(g.dep_ in ("nsubj",) for g in c.children)]
        if sib:
            return next(g for g in sib[-1].children if g.dep_ == "nsubj"), None, False
        j = verb.i - 1
        while j > verb.sent.start and verb.doc[j].dep_ in ("advmod", "neg"):
            j -= 1
        if verb.doc[j].pos_ == "CCONJ":
            # "…, X blamed the council, and warned …" on a broken parse: the finite verb before
            # the conjunction lends its subject
            for k in range(j - 1, max(verb.sent.start, j - 25) - 1, -1):
                t = verb.doc[k]
                if t.tag_ in ("VBD", "VBZ", "VBP"):
                    subj = [g for g in t.children if g.dep_ == "nsubj" and g.i < t.i]
                    if subj:
                        return subj[-1], None, False
        return src
    if verb.dep_ in ("advcl", "xcomp", "conj", "ccomp", "pcomp", "acl", "relcl"):
        if head.lemma_.lower() in ("cite", "quote"):
            obj = next((c for c in head.children if c.dep_ in ("dobj",)), None)
            citer, _, _ = _source_of(head, depth + 1)
            if obj is not None:
                return obj, citer, True
        if verb.dep_ == "relcl" and head.pos_ in ("NOUN", "PROPN"):
            return head, None, False
        if verb.dep_ in ("advcl", "conj") and verb.tag_ == "VBG":
            anc, found = head, []
            for _ in range(4):
                if is_cue(anc) and anc.lemma_.lower() not in ("cite", "quote") and not _walled_off(verb, anc):
                    found.append(anc)
                if anc.head is anc:
                    break
                anc = anc.head
            if len(found) >= 2 and _continues_outer(verb, found[0], found[1], depth):
                found = found[1:]
            for best in found:  # the nearest cue above the participle speaks
                src = _source_of(best, depth + 1)
                if src[0] is not None:
                    return src
            # "the coach changed his tone, calling …": no cue above speaks, the clause's subject does
            src = _borrowed_subject(head, depth + 1)
            if verb.dep_ == "advcl" and src[0] is not None and src[0].pos_ == "NOUN" and not src[0].ent_type_ \
                    and _person_like(src[0]) is False and src[0].lemma_.lower() not in _speakerish():
                # "A convoy that farmers drove in jammed the road, shouting …": a thing or an
                # event shouts nothing; the people of a clause inside it, before the participle, do
                for c in head.subtree:
                    if c.i < verb.i and c.dep_ in ("advcl", "relcl") and c.pos_ == "VERB" and c.i > src[0].i:
                        subj = next((g for g in c.children if g.dep_ == "nsubj"), None)
                        if subj is not None and (subj.ent_type_ in ("PERSON", "NORP") or subj.lower_ in (
                                "he", "she", "they") or (subj.pos_ == "NOUN" and subj.tag_ == "NNS"
                                                         and subj.lemma_.lower() not in _carriers())):
                            return subj, None, False
            return src
        return _borrowed_subject(head, depth + 1)
    return None, None, False


def _person_like(tok) -> Optional[bool]:
    """True for a person (a PERSON name, he/she, a role noun), False for a country, organisation or
    other thing (GPE/ORG/NORP names, it/they, other nouns), None when unknown."""
    if tok is None:
        return None
    low = tok.lower_
    if low in ("he", "she", "him", "her", "i", "we"):
        return True if low in ("he", "she", "him", "her") else None
    if low in ("it", "they"):
        return False
    ent = tok.ent_type_
    if ent == "PERSON":
        return True
    if ent in ("GPE", "ORG", "NORP", "LOC", "FAC"):
        return False
    from storyline.quotes.cues import speaker_nouns
    if tok.pos_ == "NOUN":
        if tok.lemma_.lower() in speaker_nouns("role"):
            return True
        return False
    return None


def _continues_outer(verb, inner, outer, depth: int) -> bool:
    """A speech participle ("…, stressing that …") the parser hangs inside the reported clause of a
    cue ("On a call, X told them the cooperative rejected …, insisting that …") continues the
    outer speaker when the inner cue is the outer cue's reported clause, the inner subject is no person (a
    country, an organisation, a thing) and the outer one is a person. Moving every participle to the
    outer speaker loses on PolNeAR train; this narrower case does not."""
    from storyline.quotes.cues import continuing_cues
    if verb.lemma_.lower() not in continuing_cues():
        return False
    if not (inner.dep_ == "ccomp" and inner.head.i == outer.i and outer.i < inner.i < verb.i):
        return False
    inner_src = _source_of(inner, depth + 1)[0]
    outer_src = _source_of(outer, depth + 1)[0]
    return _person_like(inner_src) is False and _person_like(outer_src) is True


def _borrowed_subject(head, depth: int):
    """The subject a subjectless conjunct or participle takes from the verb it hangs on: the surface
    subject, also of a passive ("X was fined by the council for claiming …" -> X, not the council)."""
    passive = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
    if passive is not None and head.pos_ in ("VERB", "AUX") and passive.pos_ in ("PROPN", "NOUN", "PRON") \
            and passive.lower_ not in ("it", "that", "which", "who"):
        return passive, None, False
    return _source_of(head, depth)


def _walled_off(verb, cue) -> bool:
    """A cue above a participle in a parse that runs sentences together is not its speaker when a
    sentence end lies between them, or when it sits after the participle inside a quotation opened
    after it ("X pitted for tyres, labelling the old set “a lottery, I would say”")."""
    doc = verb.doc
    lo, hi = sorted((verb.i, cue.i))
    between = doc[lo + 1:hi]
    if any(t.text in (".", "!", "?") for t in between):
        return True
    return cue.i > verb.i and any(t.is_quote for t in between)


def _speakerish() -> frozenset[str]:
    from storyline.quotes.cues import speaker_nouns
    return speaker_nouns("role") | speaker_nouns("organization") | _carriers()


def _carriers() -> frozenset[str]:
    from storyline.quotes.cues import speaker_nouns
    return speaker_nouns("document") | speaker_nouns("carrier")


def _content_tokens(verb):
    """Tokens of the reported content of a cue verb, or []."""
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    if comps:
        toks = []
        for c in comps:
            toks.extend(c.subtree)
        return toks
    if verb.lemma_.lower() in ("cite", "quote"):
        return _cited_thing(verb)
    x = [c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i]
    if x:
        toks = []
        obj = [c for c in verb.children if c.dep_ in ("dobj", "dative") and c.i < x[0].i]
        for c in obj + x:
            toks.extend(c.subtree)
        return toks
    # cue trailing its clause: "…, he said." / "…, media reported, citing …"
    head = verb.head
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children) \
            and head is not verb and head.pos_ in ("VERB", "AUX"):
        # "As X noted, …" / "…, as X said."
        own = {t.i for t in verb.subtree}
        toks = [t for t in head.subtree if t.i not in own and t.sent.start == verb.sent.start]
        if sum(1 for t in toks if t.is_alpha) >= 3:
            return toks
    if any(c.dep_ == "nsubjpass" for c in verb.children):
        return []
    dobj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if dobj is not None and cue_rate(verb.lemma_.lower()) >= DOBJ_MIN_RATE \
            and verb.lemma_.lower() not in ADDRESSEE_VERBS:
        # "blasted the mayor for …", "wrote what …": the object (and what follows it) is the content
        toks = list(dobj.subtree)
        for c in verb.children:
            if c.dep_ == "prep" and c.i > dobj.i and c.lower_ in ("for", "as", "over", "about", "of", "on"):
                toks.extend(c.subtree)
            elif c.dep_ in ("oprd", "xcomp") and c.i > dobj.i and c.pos_ in ("NOUN", "PROPN", "ADJ"):
                toks.extend(c.subtree)  # "calling the plan a “disgrace”": the predicate is content too
        return toks
    if verb.dep_ in ("advcl", "parataxis", "ccomp") and head.i < verb.i and head is not verb \
            and not any(c.dep_ == "mark" for c in verb.children):
        # (a subordinate clause — "…, after the operator cut …" — reports nothing before it)
        lo = min(t.i for t in verb.subtree)
        doc = verb.doc
        marks = (",", "”", '"', ":", "—", "–", ";")
        boundary = doc[lo].text in marks or (lo > 0 and doc[lo - 1].text in marks)
        if boundary and head.pos_ in ("VERB", "AUX", "ADJ", "NOUN") and verb.sent.start == head.sent.start:
            toks = [t for t in head.subtree if t.i < lo]
            if sum(1 for t in toks if t.is_alpha) >= 3 and any(t.pos_ in ("VERB", "AUX") for t in toks):
                return toks
    return []


def _cited_thing(verb) -> list:
    """"…, citing slow growth and high rents": what is cited (no one who speaks) is the content.  A cited
    speaker, medium or document ("citing officials", "citing the report saying …") is a source instead."""
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
    if obj is None or obj.pos_ not in ("NOUN",) or obj.ent_type_ or obj.lemma_.lower() in _speakerish() \
            or _is_media_tok(obj):
        return []
    if any(c.dep_ in ("acl", "relcl") and is_cue(c) for c in obj.children):
        return []
    return list(obj.subtree)


def _drop_nested(verb, toks: list) -> list:
    """Remove from content the subtree of a participial cue hanging off it ("…, adding that …")."""
    drop: set[int] = set()
    for t in toks:
        if t is verb or t.i in drop:
            continue
        if t.tag_ == "VBG" and t.dep_ in ("advcl", "conj", "xcomp") and is_cue(t) \
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) \
                and t.i > 0 and t.doc[t.i - 1].text == ",":
            drop |= {x.i for x in t.subtree}
            drop.add(t.i - 1)
    return [t for t in toks if t.i not in drop] if drop else toks


def _clip(text: str, span, anchor: int):
    """Clip a span to the paragraph (line) that holds ``anchor``."""
    if span is None:
        return None
    s, e = span
    lo = text.rfind("\n", 0, anchor) + 1
    hi = text.find("\n", anchor)
    hi = len(text) if hi == -1 else hi
    s, e = max(s, lo), min(e, hi)
    while s < e and text[s] in " \t,;:":
        s += 1
    while e > s and text[e - 1] in " \t,;:":
        e -= 1
    return (s, e) if e > s else None


def b_is_cited(a: Frame, frames: list[Frame]) -> bool:
    return any(b.cited and b.channel is not None and b.channel[0] <= a.cue[0] < b.cue[0] for b in frames)


def _outer_first(text: str, frames: list[Frame]) -> list[Frame]:
    """"X says he believes Y": the outer cue reports the inner attribution as its content (one
    attribution, as annotated in PolNeAR); the inner frame is folded into it."""
    by_src = {f.source[0]: f for f in frames if f.source is not None and f.content is not None}
    drop = set()
    for a in frames:
        if a.kind == "cite" or b_is_cited(a, frames):
            continue  # "X cited Y saying …": Y is the source, X the channel
        if a.content is not None and a.content[0] <= a.cue[1]:
            # content before the cue ("…, he said"): nothing to fold, bar a belief reported
            # through a that-clause after it
            b = _that_belief(text, a, frames, by_src)
            if b is not None and id(b) not in drop and b.source[1] - b.source[0] <= 30:
                a.content = (_that_start(text, a, b), b.content[1])
                if a.source is None and a.extra.get("subject_in_content"):
                    a.source = a.extra["subject_in_content"]
                drop.add(id(b))
            continue
        j = a.cue[1]
        while j < len(text) and text[j] in " \t":
            j += 1
        start = j
        if text[j:j + 5].lower() == "that ":
            j += 5
        b = by_src.get(j)
        if b is None:
            b = _that_belief(text, a, frames, by_src)
            if b is not None:
                start = _that_start(text, a, b)
        if b is None or b is a or b.content is None or b.content[0] < b.cue[0]:
            continue
        if b.source[1] - b.source[0] > 30:  # a short subject ("he", "the senator") only
            continue
        a.content = (start, max(b.content[1], a.content[1] if a.content else 0))
        drop.add(id(b))
    return [f for f in frames if id(f) not in drop]


def _that_belief(text: str, a: Frame, frames: list[Frame], by_src: dict) -> Optional[Frame]:
    """"telling the committee that she believes …": a belief frame whose subject
    opens a that-clause a few words after a speech cue (no sentence end, no other cue between)."""
    if a.kind in ("belief", "cite"):
        return None
    window = text[a.cue[1]:a.cue[1] + 120]
    stop = re.search(r"[.!?;\n]", window)
    window = window[:stop.start()] if stop else window
    for m in re.finditer(r"\bthat\s+", window):
        b = by_src.get(a.cue[1] + m.end())
        if b is not None and b is not a and b.kind == "belief" and b.content is not None \
                and b.content[0] >= b.cue[0] \
                and not any(f is not a and f is not b and a.cue[1] <= f.cue[0] < b.cue[0] for f in frames):
            return b
    return None


def _that_start(text: str, a: Frame, b: Frame) -> int:
    return text.rfind("that", a.cue[1], b.source[0])


def _clip_sentence(doc, f: Frame):
    """Reported content after the cue stays in the cue's sentence (a parse that runs on is cut)."""
    if f.content is None or f.content[0] < f.cue[0]:
        return f.content
    sent = doc[f.cue_token].sent
    end = sent.end_char
    if f.content[1] <= end:
        return f.content
    text = doc.text
    # keep a closing quotation mark glued to the sentence end
    while end < len(text) and text[end] in "\"”’'":
        end += 1
    e = end
    while e > f.content[0] and text[e - 1] in " \t.":
        e -= 1
    return (f.content[0], e) if e > f.content[0] else f.content


def find_frames(doc) -> list[Frame]:
    frames = _find_frames(doc)
    text = doc.text
    frames = _outer_first(text, frames)
    out = []
    for f in frames:
        f.content = _clip(text, f.content, f.cue[0])
        f.content = _clip_sentence(doc, f)
        f.source = _clip(text, f.source, f.cue[0])
        f.channel = _clip(text, f.channel, f.cue[0])
        out.append(f)
    return out


def _find_frames(doc) -> list[Frame]:
    frames: list[Frame] = []
    for tok in doc:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            f = _according(tok)
            if f:
                frames.append(f)
            continue
        if tok.lower_ == "in" and tok.dep_ == "prep" and tok.i == tok.sent.start:
            f = _in_document_frame(tok)
            if f is not None:
                frames.append(f)
                continue
        if tok.dep_ == "prep" and tok.i > tok.head.i and (tok.head.lemma_.lower(), tok.lower_) in prep_cues():
            f = _prep_frame(tok)
            if f is not None:
                frames.append(f)
            continue
        if is_noun_cue(tok):
            f = _noun_frame(tok)
            if f is not None:
                frames.append(f)
            continue
        if not is_cue(tok):
            continue
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in refusal_cues() and is_cue(tok.head):
            continue  # "declined to say whether …": part of the refusal's content
        if any(c.dep_ == "xcomp" and is_cue(c) and not _quote_between(tok, c) for c in tok.children) \
                and tok.lemma_.lower() not in refusal_cues():
            continue  # "appeared to confirm", "went on to say": the inner cue carries the frame
        if any(c.dep_ == "nsubjpass" for c in tok.children) and not any(c.dep_ == "agent" for c in tok.children):
            f = _impersonal_passive(tok)
            if f is not None:
                frames.append(f)
            continue  # "was asked to": no attribution without an agent
        if _prep_over_trailing(tok):
            continue  # its cue preposition carries the frame
        content_toks = _drop_nested(tok, _content_tokens(tok))
        src, channel_tok, cited = _source_of(tok)
        citing = next((c for c in tok.children if c.dep_ in ("advcl", "conj", "xcomp")
                       and c.lemma_.lower() in ("cite", "quote") and c.i > tok.i), None)
        if citing is not None:
            obj = next((c for c in citing.children if c.dep_ == "dobj"), None)
            relay = cue_kind(tok) == "report" or (src is not None and _is_media_tok(src))
            if obj is not None and relay:  # "X reported, citing Y": Y speaks, X relays
                src, channel_tok, cited = obj, src, True
        if not content_toks and tok.lemma_.lower() not in ("cite", "quote"):
            surf = _surface_trailing(tok)
            if surf is not None:
                content_toks, src_toks = surf
                src = max(src_toks, key=lambda t: (t.pos_ in ("NOUN", "PROPN", "PRON"), t.i))
                channel_tok, cited = None, False
                if citing is not None:
                    obj = next((c for c in citing.children if c.dep_ == "dobj"), None)
                    if obj is not None:
                        src, channel_tok, cited = obj, src, True
                if not cited:
                    f = Frame(cue=_cue_span(tok), cue_token=tok.i, content=_span(content_toks),
                              source=_span(src_toks), source_token=src.i, kind=cue_kind(tok))
                    _find_channel(tok, f)
                    frames.append(f)
                    continue
                elif channel_tok is not None:
                    channel_tok = None
                    surf_channel = _span(src_toks)
                    f = Frame(cue=_cue_span(tok), cue_token=tok.i, content=_span(content_toks),
                              source=_source_span(src), source_token=src.i, kind=cue_kind(tok),
                              channel=surf_channel, cited=True)
                    frames.append(f)
                    continue
        content = _span(content_toks) if content_toks else None
        if src is not None and src.i < tok.i and not cited \
                and any("\n" in t.text_with_ws for t in doc[src.i:tok.i]):
            # a parse that runs a headline into the paragraph: the noun phrase right before the cue,
            # not a subject across the break
            src = _preceding_np(tok) or src
        if src is None and (tok.tag_ in ("VBD", "VBZ", "VBP")
                            or any(c.dep_ == "aux" and c.text[:1].isupper() and c.i == tok.i - 1
                                   for c in tok.children)):
            src = _preceding_np(tok)
        s = _source_span(src, exclude=tok)
        lost = None
        if src is not None and src.i in {t.i for t in content_toks}:
            lost, s = s, None
        if tok.lemma_.lower() in sourceless_cues():
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < tok.i), None)
            if subj is not None and content is not None and content[0] >= tok.idx \
                    and any(c.dep_ == "xcomp" for c in tok.children):
                # "the plan seemed to stall": the impression is of the whole clause, its subject included
                first = min(t.i for t in subj.subtree)
                if not any("\n" in t.text_with_ws for t in doc[first:tok.i]):
                    content = (doc[first].idx, content[1])
            src, s = None, None  # "it appears …": an impression, no speaker
        f = Frame(cue=_cue_span(tok), cue_token=tok.i, content=content,
                  source=s, source_token=src.i if src is not None else None,
                  cited=cited, kind=cue_kind(tok))
        if src is not None and s is not None and (content is None or content[1] <= s[0]):
            # (also a clause before the cue that the parse made its complement: "A, the paper said, B")
            par = _parenthetical_content(tok, src)
            if par is not None:
                f.content = par
                f.extra["parenthetical"] = True
        if channel_tok is not None:
            f.channel = _subtree_span(channel_tok)
        if lost is not None:
            f.extra["subject_in_content"] = lost  # back as source should the content move
        _find_channel(tok, f)
        frames.append(f)
    return frames


def _impersonal_passive(verb) -> Optional[Frame]:
    """"The vote is expected to pass": an agentless passive of an expectation verb with an infinitive is
    a claim with no named source; its content is the whole clause, subject and cue included."""
    if verb.lemma_.lower() not in impersonal_passives():
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass" and c.i < verb.i), None)
    x = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i), None)
    if subj is None or x is None:
        return None
    doc = verb.doc
    first = min(t.i for t in subj.subtree)
    if any("\n" in t.text_with_ws for t in doc[first:verb.i]):
        return None
    content = _span(list(doc[first:max(t.i for t in x.subtree) + 1]))
    if content is None:
        return None
    return Frame(cue=_cue_span(verb), cue_token=verb.i, content=content, kind=cue_kind(verb))


def _parenthetical_content(verb, src) -> Optional[tuple[int, int]]:
    """"In the northern valleys, the minister said, most wells are dry": a cue set off by commas in the
    middle of its sentence reports the whole sentence (the content's extent holds source and cue)."""
    doc = verb.doc
    sent = verb.sent
    src_toks = sorted(src.subtree, key=lambda t: t.i)
    lo, hi = src_toks[0].i, verb.i
    if src_toks[-1].i > verb.i or lo <= sent.start or doc[lo - 1].text != ",":
        return None
    k = hi + 1
    while k < sent.end and (doc[k].dep_ in ("advmod", "npadvmod", "prt") or doc[k].is_space):
        k += 1
    if k >= sent.end or doc[k].text != "," or (k + 1 < sent.end and doc[k + 1].tag_ == "``"):
        return None  # "she noted, “…”" introduces a quotation
    if any(t.dep_ not in ("aux", "auxpass", "neg", "advmod") for t in doc[src_toks[-1].i + 1:verb.i]):
        return None  # the subject must sit right before its cue
    if k + 1 < sent.end and doc[k + 1].tag_ == "VBG" and doc[k + 1].dep_ in ("advcl", "conj", "xcomp", "acl") \
            and doc[k + 1].head.i == verb.i:
        return None  # "A, she said, adding …" / "…, wiping his brow": the participle is the speaker's own act
    before = [t for t in doc[sent.start:lo - 1] if t.is_alpha]
    after = [t for t in doc[k + 1:sent.end] if t.is_alpha]
    if len(before) < 1 or len(after) < 3:
        return None
    return _span(list(doc[sent.start:sent.end]))


_BOUND = (",", "”", '"', "—", "–", ";", ":")
_SUBORDINATORS = frozenset(("when", "while", "after", "before", "because", "if", "since", "until", "although",
                            "though", "whereas", "whenever", "once", "unless"))


def _surface_trailing(tok):
    """Fallback on the surface when the parse is broken: "<clause>, <short NP> <cue>" (the NP is the
    source) or "<clause>, <cue> <NP>." (inverted).  Returns (content tokens, source tokens) or None."""
    doc = tok.doc
    sent = tok.sent
    if _shares_subject(tok):
        return None  # "X toured the site, praised …, called …": a coordinated verb has its first conjunct's subject
    j = tok.i - 1
    while j > sent.start and doc[j].text not in _BOUND and tok.i - j <= 8 \
            and doc[j].pos_ not in ("VERB",) and doc[j].lower_ not in ("that", "who", "which"):
        j -= 1
    if any(t.lower_ in _SUBORDINATORS for t in doc[j:tok.i]):
        return None  # "…, after the operator cut …": a subordinate clause reports nothing before it
    src_toks = [t for t in doc[j + 1:tok.i] if t.dep_ not in ("aux", "neg", "advmod") or t.pos_ in ("NOUN", "PROPN")]
    nounish = lambda toks: any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in toks)
    if doc[j].text == "," and j > sent.start and src_toks and not nounish(src_toks):
        # "<clause>, Ramos, 58, told AFP": an appositive (age, title) between the name and its cue
        k = j - 1
        while k > sent.start and doc[k].text not in _BOUND and j - k <= 5 and doc[k].pos_ != "VERB":
            k -= 1
        name = list(doc[k + 1:j])
        if doc[k].text in _BOUND and k > sent.start and name and nounish(name) \
                and all(t.pos_ in ("PROPN", "NOUN", "PRON", "DET", "ADJ", "PUNCT") for t in name):
            j, src_toks = k, name
    if doc[j].text in _BOUND and j > sent.start and src_toks and nounish(src_toks):
        if src_toks[0].pos_ == "ADP":
            return None  # "…, in one interview describing …": a prepositional phrase names no speaker
        content = list(doc[sent.start:j])
    elif doc[tok.i - 1].text in _BOUND and tok.i - 1 > sent.start and tok.tag_ in ("VBD", "VBZ", "VBP") \
            and not any(c.dep_ == "nsubj" and c.i < tok.i for c in tok.children) \
            and tok.i + 1 < sent.end and doc[tok.i + 1].pos_ != "ADP" \
            and source_edges().get(tok.lower_) != "addressee":
        # inverted: "…, said the minister." (not when the parse has the subject before the cue
        # — "X, who …, said in a statement" —, nor for a prepositional phrase after it, nor after
        # "told", whose object is the hearer)
        k = tok.i + 1
        while k < sent.end and doc[k].text not in _BOUND + (".",) and k - tok.i <= 8:
            k += 1
        src_toks = list(doc[tok.i + 1:k])
        if not src_toks or not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in src_toks):
            return None
        content = list(doc[sent.start:tok.i - 1])
    else:
        return None
    # the reported clause stays in the cue's paragraph (a sentence the parser ran across a break)
    breaks = [t.i for t in content if "\n" in t.text_with_ws]
    if breaks:
        content = [t for t in content if t.i > max(breaks)]
    if sum(1 for t in content if t.is_alpha) < 3 or not any(t.pos_ in ("VERB", "AUX") for t in content):
        return None
    return content, src_toks


def _shares_subject(tok) -> bool:
    """A coordinated verb whose first conjunct has a subject ("X toured the site, praised …, called …"):
    the words after it are its object, never an inverted speaker."""
    h = tok
    while h.dep_ == "conj" and h.head is not h and h.head.i < h.i:
        h = h.head
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in h.children):
            return True
    return False


def _is_media_tok(tok) -> bool:
    from storyline.quotes.chains import is_media
    sp = _span(list(tok.subtree))
    return sp is not None and is_media(tok.doc.text[sp[0]:sp[1]])


def _preceding_np(verb):
    """The noun phrase right before a finite cue whose subject the parse lost ("Will described")."""
    doc = verb.doc
    j = verb.i - 1
    while j >= 0 and doc[j].dep_ in ("advmod", "neg") and doc[j].pos_ == "ADV" and not _misread_name(doc[j]):
        j -= 1
    if j >= 0 and _misread_name(doc[j]):
        return doc[j]  # "…, Marek called it …" with the surname tagged as an adverb
    toks = []
    while j >= verb.sent.start and (doc[j].pos_ in ("PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM")
                                    or (doc[j].dep_ == "aux" and doc[j].text[:1].isupper())
                                    or doc[j].tag_ == "POS"):
        toks.insert(0, doc[j])
        j -= 1
    if not toks or not any(t.pos_ in ("PROPN", "NOUN", "PRON") or t.dep_ == "aux" for t in toks):
        return None
    return toks[-1]


def _misread_name(tok) -> bool:
    """A capitalised word inside its sentence that the tagger took for an adverb ("And Lund said")."""
    if tok.pos_ != "ADV" or not tok.is_alpha or len(tok.text) < 2 or not tok.text[0].isupper() \
            or not tok.text[1:].islower() or tok.i <= tok.sent.start:
        return False
    prev = tok.doc[tok.i - 1]
    return not (prev.is_space or prev.is_quote or prev.text in (".", "!", "?", ":", ";"))


def _source_span(src, exclude=None):
    if src is None:
        return None
    toks = list(src.subtree)
    if exclude is not None and exclude.i in {t.i for t in toks}:
        drop = {t.i for t in exclude.subtree}
        toks = [t for t in toks if t.i not in drop and t.i < min(drop)]
    return _span(toks)


def _quote_between(a, b) -> bool:
    """A quotation mark between a verb and the verb it governs: "X posted, “Thank you …”", "X vowed to
    “defend …”" (the second verb is quoted words; the first is the cue)."""
    lo, hi = sorted((a.i, b.i))
    return any(t.is_quote or t.text in "\"“”«»" for t in a.doc[lo + 1:hi])


def _cue_span(tok) -> tuple[int, int]:
    parts = [tok]
    for c in tok.children:
        if c.dep_ in ("prt",) or (c.dep_ == "neg"):
            parts.append(c)
    for c in tok.children:
        if c.dep_ in ("aux", "auxpass") and c.i < tok.i and c.i >= tok.i - 3 and not c.text[:1].isupper():
            parts.append(c)
    if tok.dep_ == "xcomp" and tok.head.i < tok.i and tok.i - tok.head.i <= 4 and tok.head.pos_ in ("VERB", "AUX") \
            and not _quote_between(tok.head, tok):
        parts.append(tok.head)  # "appeared to confirm", "refused to say", "went on to say"
    s = min(p.idx for p in parts)
    last = max(parts, key=lambda p: p.i)
    return s, last.idx + len(last.text)


def _find_channel(verb, f: Frame) -> None:
    from storyline.quotes.cues import channel_nouns
    for c in verb.children:
        if c.dep_ in ("dobj", "dative") and verb.lemma_.lower() in ("tell", "inform", "assure", "remind"):
            toks = list(c.subtree)
            j = toks[-1].i + 1
            while j < len(verb.doc) and verb.doc[j].pos_ == "PROPN" and verb.doc[j].head in (verb, c):
                toks.append(verb.doc[j])
                j += 1
            f.channel = f.channel or _span(toks)
            f.extra["told"] = True
        if c.dep_ == "prep" and c.lower_ in ("in", "on", "during", "via", "through", "to"):
            for g in c.children:
                if g.dep_ == "pobj" and g.lemma_.lower() in channel_nouns():
                    f.medium = _span(list(g.subtree))
                elif g.dep_ == "pobj" and c.lower_ == "to" and verb.lemma_.lower() in ("say", "speak", "talk", "confirm", "explain"):
                    f.channel = f.channel or _span(list(g.subtree))
                    f.extra["told"] = True


def _noun_agent(noun):
    """"a suggestion by the auditors that …", "a report by the inspectors on …": the agent of a cue noun."""
    for c in noun.children:
        if c.dep_ in ("prep", "agent") and c.lower_ == "by":
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.pos_ in ("NOUN", "PROPN", "PRON"):
                return obj
    return None


def _noun_frame(noun) -> Optional[Frame]:
    """"his claim that …", "the decision to …": a cue noun with a clausal complement."""
    comp = [c for c in noun.children if c.dep_ in ("ccomp", "acl") and c.i > noun.i
            and any(x.lower_ in ("that", "to") for x in c.subtree if x.i < c.i)]
    if not comp:
        return None
    content = _span([t for c in comp for t in c.subtree])
    if content is None:
        return None
    src = next((c for c in noun.children if c.dep_ == "poss"), None) or _noun_agent(noun)
    if src is None and noun.dep_ in ("dobj",):
        src = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
    return Frame(cue=(noun.idx, noun.idx + len(noun.text)), cue_token=noun.i, content=content,
                 source=_source_span(src), source_token=src.i if src is not None else None, kind="speech")





def _in_document_frame(prep) -> Optional[Frame]:
    """"In a poll released Monday, 31% said …": the document is the source of the whole clause."""
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.lemma_.lower() not in document_sources():
        return None
    head = prep.head
    if head.pos_ not in ("VERB", "AUX"):
        return None
    own = {t.i for t in prep.subtree}
    toks = [t for t in head.subtree if t.i not in own and t.sent.start == prep.sent.start]
    content = _span(toks)
    if content is None:
        return None
    src = _span([t for t in pobj.subtree])
    return Frame(cue=(prep.idx, prep.idx + len(prep.text)), cue_token=prep.i, content=content, source=src,
                 source_token=pobj.i, kind="report")


def _prep_over_trailing(verb) -> bool:
    """"…,” she said, referring to the audit": a participle whose only content would be the clause before it,
    but which takes a cue preposition ("refer to", "talk about") with an object: the object is its content."""
    if verb.tag_ != "VBG" or any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in verb.children):
        return False
    return any(c.dep_ == "prep" and c.i > verb.i and (verb.lemma_.lower(), c.lower_) in prep_cues()
               and any(g.dep_ in ("pobj", "pcomp") for g in c.children) for c in verb.children)


def _prep_frame(prep) -> Optional[Frame]:
    """"talked about X", "critic of X", "skeptical of X": cue = head .. preposition, content = its object."""
    head = prep.head
    if is_cue(head) and _content_tokens(head) and not _prep_over_trailing(head):
        return None  # the head verb has its own content
    obj = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    if not obj:
        return None
    content = _span([t for o in obj for t in o.subtree])
    if content is None:
        return None
    src = None
    if head.pos_ in ("VERB", "AUX"):
        src, _, _ = _source_of(head)
    elif head.pos_ == "NOUN":
        src = next((c for c in head.children if c.dep_ == "poss"), None) or _noun_agent(head)
        gov = head.head
        if head.dep_ == "pobj" and gov.dep_ == "prep":
            gov = gov.head
        if src is None and head.dep_ in ("dobj", "pobj") and gov is not head and gov.pos_ == "VERB" \
                and not any(c.dep_ == "nsubjpass" for c in gov.children):
            # "the students kept up a chant of …", "X issued a call for …": who utters the noun
            src, _, _ = _source_of(gov)
    elif head.pos_ == "ADJ":
        h = head.head
        src = next((c for c in h.children if c.dep_ in ("nsubj",)), None)
    f = Frame(cue=(head.idx, prep.idx + len(prep.text)), cue_token=head.i, content=content,
              source=_source_span(src), source_token=src.i if src is not None else None, kind="speech")
    if _prep_over_trailing(head):
        f.extra["aside"] = True  # "…,” she said, referring to …. “…”: the speaker's aside, not a new speaker
    return f


def _according(tok) -> Optional[Frame]:
    to = tok.doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is None and tok.i + 2 < len(tok.doc):
            pobj = tok.doc[tok.i + 2]
            while pobj.head.i > pobj.i and pobj.head.i < tok.i + 8 and pobj.head.dep_ != "ROOT":
                pobj = pobj.head
    if pobj is None:
        return None
    src_toks = list(pobj.subtree)
    phrase = {tok.i, to.i} | {t.i for t in src_toks} | {t.i for t in tok.subtree}
    sent = tok.sent
    lo_phrase = min(phrase)
    hi_phrase = max(phrase)
    # content: the clause the phrase modifies, within the sentence, minus the phrase
    head = tok.head
    while head.dep_ not in ("ROOT",) and head.head is not head and head.pos_ not in ("VERB", "AUX"):
        head = head.head
    base = [t for t in (head.subtree if head.i != tok.i else sent) if t.i not in phrase and sent.start <= t.i < sent.end]
    if lo_phrase > sent.start + 1:
        # phrase trails or sits inside: content is what precedes the phrase, unless the phrase is initial
        before = [t for t in base if t.i < lo_phrase]
        after = [t for t in base if t.i > hi_phrase]
        has_verb = any(t.pos_ in ("VERB", "AUX") for t in before)
        toks = before if (has_verb or not after) else after
    else:
        toks = [t for t in base if t.i > hi_phrase]
    content = _span(toks)
    if content is None:
        return None
    return Frame(cue=(tok.idx, to.idx + len(to.text)), cue_token=tok.i, content=content,
                 source=_span(src_toks), source_token=pobj.i, kind="speech", according=True)
