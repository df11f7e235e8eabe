"""Direction of a bare date ("on Friday", "in May"): past or future, from the governing verb.

With a spaCy ``Doc``, the expression's syntactic head is followed up to its verb; the verb's tag and
auxiliaries decide: past tense / perfect -> past; will/shall/going to, modals, "to"-infinitives,
present progressive, and "due/scheduled/set/expected" -> future.  Without a Doc (or when the verb is
a plain present), a light heuristic weighs the cue words of ``data/time/tense_cues.tsv`` found in the
expression's clause, nearer cues counting more: the clause ends at a comma, a semicolon or a coordinated
clause ("and were ..."), a fronted adverbial ("On Friday, ...") reads the clause after its comma, and a
participle after "be"/"being" ("will be named") is passive, not a past tense.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from storyline.time.recognise import _rows

FUTURE_AUX = {"will", "shall", "'ll", "wo"}
MODALS = {"could", "may", "might", "would", "should", "can", "must", "ought"}
FUTURE_PREDICATES = {"due", "scheduled", "set", "expected", "slated", "planned", "poised", "likely"}


@lru_cache(maxsize=1)
def _cues() -> list[tuple[re.Pattern, str, int]]:
    # case-sensitive on purpose: the modal "may" is lower case, the month "May" is not
    # a cue opening with an apostrophe ("'ll") is a clitic: it follows its word with no boundary
    return [(re.compile((r"" if rx.startswith(("'", "['", "[’")) else r"(?<![\w'])") + r"(?:" + rx + r")(?!\w)"), d,
             float(w)) for rx, d, w in _rows("tense_cues.tsv")]


def from_doc(doc, start: int, end: int) -> Optional[str]:
    """'past' | 'future' | None from the parse; None when the parse does not say."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT" or tok.head is tok:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX") and tok.pos_ != "ADJ":
        return None
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & FUTURE_AUX or any(a.lower_ == "going" for a in auxes):
        return "future"
    if words & MODALS:
        return "future"
    if any(a.tag_ == "TO" or a.lower_ == "to" for a in auxes):
        return "future"
    if tok.lemma_.lower() in FUTURE_PREDICATES:
        return "future"
    if words & {"have", "has", "had", "was", "were", "did"}:
        return "past"
    tag = tok.tag_
    if tag == "VBD":
        return "past"
    if tag == "VBN":
        return "past"
    if tag == "VBG" and words & {"is", "are", "am", "'s", "'re"}:
        return "future"
    if tag == "VB":
        return "future"
    return None


DECAY = 2          # a cue's weight falls with the square of its distance in words
MARGIN = 0.02      # below this difference between the two scores, the text does not say
_PASSIVE_BE = re.compile(r"(?<![\w'])(?:be|being)\s+$", re.I)
_FRONTED = re.compile(r"[\s\"'“‘(]*(?:(?:on|by|until|till|since|from|as\s+of|before|after|late|early|later|earlier)\s+)?", re.I)
_AFTER_COMMA = re.compile(r"\s*,\s*")
_DETERMINER = re.compile(r"(?i)(?<![\w'])(?:the|a|an|his|her|its|their|our|my|your)\s+$")
_POSSESSED = re.compile(r"['’]s\s+(\w+)")
# the clause of the expression ends at a comma, a semicolon or a coordinated clause ("... on Saturday and
# were planning to ...": the second verb governs another time)
_CLAUSE_END = re.compile(r",|;|\s(?:and|but)\s+(?:(?:he|she|it|they|we|i|you)\s+)?(?:was|were|is|are|will|would|had|has|have|did|said)\b", re.I)


def from_text(text: str, start: int, end: int, sent_start: int, sent_end: int) -> Optional[str]:
    """Heuristic direction from cue words in the sentence around [start, end); nearer cues weigh more."""
    score = {"past": 0.0, "future": 0.0}
    before = text[sent_start:start]
    after = text[end:sent_end]
    if _FRONTED.fullmatch(before) and _AFTER_COMMA.match(after):
        # a fronted adverbial ("On Tuesday, the league plans to ..."): its clause follows the comma
        after = after[_AFTER_COMMA.match(after).end():]
    after = _CLAUSE_END.split(after, 1)[0]
    poss = _POSSESSED.match(after)
    if poss:
        # "Tuesday's vote was postponed": the word the date possesses is a noun, not a verb cue
        after = after[:poss.start(1)] + " " * len(poss.group(1)) + after[poss.end(1):]
    for rx, direction, weight in _cues():
        for m in rx.finditer(before):
            if direction == "past" and _PASSIVE_BE.search(before, 0, m.start()):
                continue  # "will be named", "would be paid": a passive participle, not a past tense
            if _DETERMINER.search(before, max(0, m.start() - 8), m.start()):
                continue  # "his plan", "the vote", "a visit": a noun, not a verb
            dist = len(before[m.end():].split())
            score[direction] += weight / (1.0 + dist) ** DECAY
        for m in rx.finditer(after):
            if direction == "past" and _PASSIVE_BE.search(after, 0, m.start()):
                continue
            if _DETERMINER.search(after, max(0, m.start() - 8), m.start()):
                continue
            dist = len(after[:m.start()].split())
            score[direction] += 0.7 * weight / (1.0 + dist) ** DECAY
    if abs(score["past"] - score["future"]) < MARGIN:
        return None
    return "past" if score["past"] > score["future"] else "future"


def direction(text: str, start: int, end: int, sent_start: int, sent_end: int, doc=None) -> Optional[str]:
    if doc is not None:
        try:
            d = from_doc(doc, start, end)
        except Exception:  # a Doc that does not belong to this text
            d = None
        if d is not None:
            return d
    return from_text(text, start, end, sent_start, sent_end)


_WILL = re.compile(r"(?:(?<![\w'])(?:will|shall|(?:is|are)\s+to)|['’]ll|(?:(?<![\w'])(?:is|are)|['’]s|['’]re)\s+going\s+to)\s+(?:not\s+|also\s+|then\s+)?[a-z]+\b(?![\w'])")


def explicit_future(text: str, start: int, end: int, sent_start: int, sent_end: int) -> bool:
    """An explicit future auxiliary governs the expression: the nearest verb group of its clause (before it
    in the clause, or after the comma of a fronted "On Monday, ...") is "will/'ll/shall/is to/going to"."""
    before = text[sent_start:start]
    after = text[end:sent_end]
    if _FRONTED.fullmatch(before) and _AFTER_COMMA.match(after):
        clause = after[_AFTER_COMMA.match(after).end():]
        clause = _CLAUSE_END.split(clause, 1)[0]
        return bool(_WILL.search(" ".join(clause.split()[:6])))
    tail = _CLAUSE_END.split(before[::-1], 1)[0][::-1] if "," in before or ";" in before else before
    return bool(_WILL.search(" ".join(tail.split()[-8:])))


_SAID = r"(?:said|told|announced|reported|declared|confirmed|denied|wrote|tweeted|added|insisted|stated)"
_SAID_BEFORE = re.compile(r"(?<![\w'])" + _SAID + r"(?:\s+(?:on|late|early|in))?\s+$")
_SAID_AFTER = re.compile(r"\s+" + _SAID + r"\b")
_SUBJECT_OF = re.compile(r"(?:['’]s)?\s+(?:was|is|were|are|would|will|could|might|may|had|has|seemed|seems|remains|"
                         r"remained|looked|looks|appeared|appears)\b")


def explicit_past(text: str, start: int, end: int, sent_start: int, sent_end: int) -> bool:
    """A past reporting verb governs the expression directly: "said on Thursday", "on Thursday said",
    "On Thursday, the speaker said ..."."""
    before = text[sent_start:start]
    after = text[end:sent_end]
    if _FRONTED.fullmatch(before) and _AFTER_COMMA.match(after):
        clause = after[_AFTER_COMMA.match(after).end():]
        return bool(re.search(r"(?<![\w'])" + _SAID + r"\b", " ".join(clause.split()[:5])))
    if _SAID_BEFORE.search(before[-30:]):
        # "said Friday that ...", not "said Friday was the likely date" (the day is the reported clause's subject)
        return not _SUBJECT_OF.match(after)
    return bool(_SAID_AFTER.match(after))
