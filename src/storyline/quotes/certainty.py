"""Certainty of attributed content and relations between attributions of the same claim.

Scale (DEVELOPERS.md), lowest first: denied < doubtful < speculative < probable < reported < confirmed.
Hedges are data (``hedges.tsv``): each pattern maps to a level and applies either to the content
("could meet", "is being discussed") or to the cue ("appeared to confirm", "denied").  The lowest level
found wins; with none, a plain report is ``reported``.
"""

from __future__ import annotations

import re

from storyline.model import CERTAINTY_LEVELS
from storyline.quotes.cues import hedge_patterns

RANK = {lvl: i for i, lvl in enumerate(CERTAINTY_LEVELS)}
_NEG = re.compile(r"\b(?:not|never|n't|no longer)\b", re.I)


def certainty(content: str, cue_context: str) -> str:
    found: list[str] = []
    for pat, level, scope in hedge_patterns():
        target = content if scope == "content" else cue_context
        if pat.search(target):
            found.append(level)
    if "confirmed" in found and _NEG.search(cue_context):
        found = [f for f in found if f != "confirmed"] + ["doubtful"]
    if not found:
        return "reported"
    return min(found, key=lambda x: RANK[x])


STOP = {"be", "have", "do", "say", "that", "this", "the", "a", "an", "of", "to", "in", "on", "for", "and",
        "or", "with", "will", "would", "could", "may", "might", "can", "it", "they", "he", "she", "we"}


def content_words(doc, span: tuple[int, int]) -> set[str]:
    s, e = span
    out = set()
    sp = doc.char_span(s, e, alignment_mode="expand")
    for t in (sp if sp is not None else ()):
        if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM") and not t.is_stop:
            lem = t.lemma_.lower()
            if lem not in STOP and len(lem) > 1:
                out.add(lem)
    return out


def link(attrs: list, doc, cue_kinds: dict[str, str]) -> None:
    """Add confirms / partially_confirms / denies / repeats relations, in place.

    ``cue_kinds`` maps attribution id -> cue kind (confirm, deny, speech...).  A confirming or
    denying attribution is linked to the earlier attribution sharing most content words with it
    (at least two); a hedged confirmation is partial.  Two attributions by different sources whose
    content words overlap strongly (Jaccard >= 0.5) are linked as repeats.
    """
    if doc is None:
        return
    words = {a.id: content_words(doc, (a.content.start, a.content.end)) for a in attrs}
    for i, a in enumerate(attrs):
        kind = cue_kinds.get(a.id)
        wa = words[a.id]
        best, best_n = None, 0
        for b in attrs[:i]:
            if b.speaker and a.speaker and b.speaker == a.speaker and kind not in ("confirm", "deny"):
                continue
            n = len(wa & words[b.id])
            if n > best_n:
                best, best_n = b, n
        if best is None:
            continue
        if kind in ("confirm", "deny") and best_n >= 2:
            if kind == "deny" or a.certainty == "denied":
                rtype = "denies"
            elif RANK[a.certainty] < RANK["confirmed"]:
                rtype = "partially_confirms"
            else:
                rtype = "confirms"
            a.relations.append({"type": rtype, "target": best.id})
            continue
        wb = words[best.id]
        union = wa | wb
        if best_n >= 3 and union and best_n / len(union) >= 0.5:
            a.relations.append({"type": "repeats", "target": best.id})
