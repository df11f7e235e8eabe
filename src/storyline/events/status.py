"""Event status from the clause: negation, modality, tense, conditionals.

happened | ongoing | planned | possible | conditional | negated (DEVELOPERS.md).  The status says
whether the event took place; how hedged the *attribution* stays in certainty.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def word_kinds(name: str) -> dict[str, set[str]]:
    """A ``word<TAB>kind`` cue table under ``data/events`` (``#`` comments) as {kind: {words}}."""
    out: dict[str, set[str]] = {}
    with (resources.files("storyline") / "data" / "events" / name).open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            word, kind = line.rstrip("\n").split("\t")[:2]
            out.setdefault(kind.strip(), set()).add(word.strip().lower())
    return out


def cues() -> dict[str, set[str]]:
    return word_kinds("status_cues.tsv")


def _neg(tok) -> bool:
    c = cues()
    for ch in tok.children:
        if ch.dep_ == "neg":
            return True
        if ch.dep_ == "det" and ch.lower_ in c.get("negdet", ()):
            return True
    return False


def _let_alone(tok) -> bool:
    """"no X, let alone an end to Y": the negation of X covers the 'let alone' item."""
    h = tok.head
    if h.lower_ != "let" or not any(c.lower_ == "alone" for c in h.children):
        return False
    clause = h.head
    return _neg(clause) or any(_neg(c) for c in clause.children if c.dep_ in ("attr", "dobj", "nsubj"))


def _chain(tok, limit: int = 8) -> list:
    """tok and its heads up to (and including) the first finite clause head."""
    out = [tok]
    t = tok
    for _ in range(limit):
        if t.head == t:
            break
        if t.dep_ in ("ccomp", "parataxis") or (t.dep_ == "advcl" and t.tag_ != "VBG"):
            break
        if t.dep_ in ("relcl", "acl"):
            break
        t = t.head
        out.append(t)
    return out


def status(trig) -> str:
    c = cues()
    tok = trig.token
    verb = trig.clause_verb
    chain = _chain(tok)
    for extra in (trig.light, verb):
        if extra is not None:
            chain += [t for t in _chain(extra) if t not in chain]
    # modality and tense come from the clause of an own-clause light verb ("the agreements reached")
    mchain = _chain(trig.light) if trig.light is not None and trig.light.dep_ in ("acl", "relcl") else chain
    words = set()
    for t in mchain:
        if t != tok and t != trig.light:
            words.add(t.lower_)
        for ch in t.children:
            if ch.dep_ in ("aux", "auxpass", "advmod", "amod", "mark", "neg", "det", "acomp", "prt"):
                words.add(ch.lower_)
    # "no end to the invasion": the invasion goes on
    for t in chain[1:]:
        if t.lemma_.lower() in c.get("end", ()) and (_neg(t) or _let_alone(t)):
            return "ongoing"
    # negation: a negated verb or noun on the way up, or a negating governor ("failed to").  A noun
    # carried by a light verb in its own clause ("an ultimatum issued on Tuesday had not featured")
    # takes negation from that clause only, not from the clause it sits in.
    own = trig.light is not None and trig.light.dep_ in ("acl", "relcl")
    nchain = ([tok] + [t for t in mchain if t != tok]) if own else chain
    for t in nchain:
        if _neg(t):
            return "negated"
        if t != tok and t.lemma_.lower() in c.get("negverb", ()) and t.pos_ == "VERB":
            return "negated"
    if words & c.get("conditional", set()):
        return "conditional"
    # "X will happen if Y": a conditional clause hanging on the event's verb
    for t in mchain[:3]:
        for ch in t.children:
            if ch.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in c.get("conditional", ()) for m in ch.children):
                return "conditional"
    amods = {ch.lower_ for ch in tok.children if ch.dep_ in ("amod", "compound")}
    if amods & c.get("possible", set()) or words & c.get("possible", set()):
        return "possible"
    for t in mchain:
        if t != tok and t.lemma_.lower() in c.get("possibleverb", ()):
            return "possible"
    if amods & c.get("planned", set()) or words & c.get("planned", set()):
        return "planned"
    for t in mchain:
        if t != tok and t.lemma_.lower() in c.get("planverb", ()):
            return "planned"
    if amods & c.get("ongoing", set()) or words & c.get("ongoing", set()):
        return "ongoing"
    if verb is not None:
        auxes = [ch for ch in verb.children if ch.dep_ in ("aux", "auxpass")]
        if verb.tag_ == "VBG" and any(a.lemma_ == "be" and a.tag_ in ("VBZ", "VBP") for a in auxes):
            return "ongoing"
        if verb.tag_ in ("VBZ", "VBP") and verb.lemma_.lower() in c.get("stative", ()):
            return "ongoing"
        if verb.tag_ == "VB" and not auxes and verb.dep_ in ("xcomp", "ccomp") :
            # bare infinitive under a non-trigger governor ("to end the war"): not (yet) real
            return "planned"
        if verb.tag_ == "VB" and any(a.lower_ == "to" for a in auxes):
            return "planned"
    return "happened"


def refusal(trig) -> bool:
    """A negated act that is a refusal rather than a non-event: a negated future/volitional modal
    ("will not lift", "would not release") or a refusing governor ("refused to", "declined to")."""
    c = cues()
    verb = trig.clause_verb
    if verb is None:
        return False
    if any(a.dep_ == "aux" and a.lower_ in c.get("intentmodal", ()) for a in verb.children) and \
            any(a.dep_ == "neg" for a in verb.children):
        return True
    t = verb
    for _ in range(3):
        if t.dep_ != "xcomp" or t.head == t:
            break
        t = t.head
        if t.lemma_.lower() in c.get("refuseverb", ()):
            return True
    return False
