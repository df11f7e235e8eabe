"""The learned classifier as a second opinion on the lexicon's event type.

For an event mention whose actor and recipient phrases are both found in its sentence, the
sentence is marked exactly as the classifier was trained (``<s>actor</s>``, ``<t>recipient</t>``,
see :mod:`.classify`) and the shipped light model (no torch) gives class probabilities.  Then
(:func:`decide`):

* the lexicon's type is kept when the classifier agrees with it or is unsure;
* it is replaced by the classifier's type only when the trigger word is listed as ambiguous
  (data/events/ambiguous_triggers.tsv), the classifier's type is one of that word's listed
  alternatives, and its probability reaches the threshold of data/events/classifier_policy.json
  (chosen by cross-validation on PLV train folds: ``scripts/train_events.py --tune``);
* the event's confidence combines the lexicon's parse-based confidence with the classifier's
  probability for the final type.

The classifier never creates or removes an event.  Off with ``STORYLINE_EVENT_CLASSIFIER=0``;
``STORYLINE_EVENT_CLASSIFIER=minilm`` uses the MiniLM model (needs torch) instead of the light one;
``STORYLINE_EVENT_CLASSIFIER=minilm-ft`` the ensemble of the fine-tuned MiniLM (trained into the user cache by
``scripts/train_events.py --model minilm-ft``) and the light model, falling back to the light one when absent.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional

from storyline.events.cameo import plv_label

# PLV label -> PLOVER type and a CAMEO code for a type set by the classifier
TYPE_FOR_LABEL = {"YIELD": "CONCEDE"}
CAMEO_FOR_TYPE = {"AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "COOPERATE": "060", "AID": "070",
                  "CONCEDE": "080", "RETREAT": "080", "REQUEST": "100", "ACCUSE": "110", "REJECT": "120",
                  "THREATEN": "130", "PROTEST": "140", "MOBILIZE": "150", "SANCTION": "160", "COERCE": "170",
                  "ASSAULT": "190"}
DEFAULT_POLICY = {"threshold": 0.7, "lexicon_weight": 0.6}
ROLE_CLIMB = {"compound", "poss", "amod", "nmod"}


def _data(name: str):
    return resources.files("storyline") / "data" / "events" / name


@lru_cache(maxsize=1)
def ambiguous() -> dict[tuple[str, str], frozenset[str]]:
    """(lemma, pos) -> the PLV labels the classifier may switch that trigger to."""
    out: dict[tuple[str, str], frozenset[str]] = {}
    with _data("ambiguous_triggers.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t") + ["", "", "", ""]
            lemma, pos, _typ, alts = parts[:4]
            out[(lemma.lower(), pos)] = frozenset(plv_label(a.strip()) for a in alts.split("|") if a.strip())
    return out


@lru_cache(maxsize=1)
def shipped_policy() -> dict:
    pol = dict(DEFAULT_POLICY)
    p = _data("classifier_policy.json")
    if p.is_file():
        with p.open(encoding="utf-8") as fh:
            pol.update(json.load(fh))
    return pol


@lru_cache(maxsize=2)
def _shipped_model(kind: str):
    from storyline.events import classify

    try:
        if kind == "minilm-ft":
            ft = classify.load_finetuned()
            light = classify.load("light")
            return classify.Ensemble(light, ft) if ft is not None and light is not None else light
        return classify.load(kind)
    except Exception:
        return None


# an injected model/threshold (the bench codes each CV fold with that fold's model)
_OVERRIDE: dict = {}


@contextlib.contextmanager
def using(model=None, threshold: Optional[float] = None):
    """Code with this model (and threshold) instead of the shipped ones."""
    old = dict(_OVERRIDE)
    _OVERRIDE.clear()
    _OVERRIDE.update({"model": model, "threshold": threshold, "set": True})
    try:
        yield
    finally:
        _OVERRIDE.clear()
        _OVERRIDE.update(old)


def current_model():
    if _OVERRIDE.get("set"):
        return _OVERRIDE.get("model")
    flag = os.environ.get("STORYLINE_EVENT_CLASSIFIER", "light").strip().lower()
    if flag in ("0", "off", "no", "false", "none"):
        return None
    return _shipped_model(flag if flag in ("minilm", "minilm-ft") else "light")


def current_threshold() -> float:
    if _OVERRIDE.get("set") and _OVERRIDE.get("threshold") is not None:
        return float(_OVERRIDE["threshold"])
    return float(shipped_policy()["threshold"])


# --------------------------------------------------------------------------
# the decision (one function, used by the pipeline and by the bench's threshold search)


@dataclass
class Decision:
    label: str            # PLV label of the final type
    switched: bool
    p_final: float        # classifier probability of the final type
    p_lexicon: float      # classifier probability of the lexicon's type


def decide(lexicon_type: str, trigger_key: tuple[str, str], probs: dict[str, float], threshold: float
           ) -> Decision:
    lex = plv_label(lexicon_type)
    p_lex = float(probs.get(lex, 0.0))
    best, p_best = max(probs.items(), key=lambda kv: kv[1]) if probs else (lex, 0.0)
    alts = ambiguous().get(trigger_key)
    if best != lex and alts is not None and best in alts and p_best >= threshold:
        return Decision(best, True, float(p_best), p_lex)
    return Decision(lex, False, p_lex, p_lex)


def combine_confidence(lexicon_conf: float, p_final: float) -> float:
    w = float(shipped_policy().get("lexicon_weight", 0.6))
    return round(min(0.95, max(0.05, w * lexicon_conf + (1 - w) * p_final)), 2)


# --------------------------------------------------------------------------
# marking the sentence


def _np_bounds(doc, start: int, end: int) -> Optional[tuple[int, int]]:
    from storyline.events.roles import phrase_bounds

    sp = doc.char_span(start, end, alignment_mode="expand")
    if sp is None or not len(sp):
        return None
    tok = sp.root
    # "Peru's ambassador", "Chilean troops": the phrase the name belongs to
    for _ in range(2):
        if tok.dep_ in ROLE_CLIMB and tok.head.pos_ in ("NOUN", "PROPN") and tok.head != tok:
            tok = tok.head
        else:
            break
    a, b = phrase_bounds(tok)
    return min(a, start), max(b, end)


def role_span(ea, sent, actors, trigger_idx: int) -> Optional[tuple[int, int]]:
    """Character span (document offsets) of an event actor's phrase in the sentence, nearest the trigger."""
    cands: list[tuple[int, int]] = []
    if ea.actor_id:
        for a in actors:
            if a.id == ea.actor_id:
                cands += [(m.start, m.end) for m in a.mentions
                          if sent.start_char <= m.start and m.end <= sent.end_char]
    if not cands and ea.name:
        i = sent.text.find(ea.name)
        if i >= 0:
            cands.append((sent.start_char + i, sent.start_char + i + len(ea.name)))
    if not cands:
        return None
    s, e = min(cands, key=lambda c: abs(c[0] - trigger_idx))
    return _np_bounds(sent.doc, s, e) or (s, e)


def marked_sentence(sent, src: tuple[int, int], tgt: tuple[int, int]) -> Optional[str]:
    """The sentence with <s>..</s> and <t>..</t> around the two phrases (None if they overlap)."""
    if not (src[1] <= tgt[0] or tgt[1] <= src[0]):
        return None
    text = sent.text
    base = sent.start_char
    marks = sorted([(src[0] - base, "<s>"), (src[1] - base, "</s>"), (tgt[0] - base, "<t>"), (tgt[1] - base, "</t>")],
                   key=lambda x: (x[0], 0 if x[1].startswith("</") else 1))
    out, i = [], 0
    for pos, tag in marks:
        out.append(text[i:pos])
        out.append(tag)
        i = pos
    out.append(text[i:])
    return "".join(out)


def probabilities(model, marked: str, sent) -> dict[str, float]:
    """Class probabilities for one marked sentence; the sentence's own parse is reused."""
    from storyline.events import classify as C

    row = C.Row("", "", marked)
    feats = C.featurize([row], docs=[sent.as_doc()])
    if isinstance(model, C.Ensemble):
        proba = model.predict_proba(feats, [marked])[0]
        return {str(c): float(p) for c, p in zip(model.ft.classes, proba)}
    X = model.matrix(feats)
    proba = model.clf.predict_proba(X)[0]
    return {str(c): float(p) for c, p in zip(model.clf.classes_, proba)}


def refine(ev, trig, sent, actors) -> None:
    """Apply the classifier to one event mention (in place)."""
    model = current_model()
    if model is None or not ev.actors or not ev.recipients:
        return
    tidx = trig.token.idx
    src = role_span(ev.actors[0], sent, actors, tidx)
    tgt = role_span(ev.recipients[0], sent, actors, tidx)
    if src is None or tgt is None:
        return
    marked = marked_sentence(sent, src, tgt)
    if marked is None:
        return
    try:
        probs = probabilities(model, marked, sent)
    except Exception:  # a classifier problem never loses the lexicon's event
        return
    key = (trig.entry.lemma, trig.entry.pos)
    d = decide(ev.type, key, probs, current_threshold())
    ev._lexicon_type = ev.type
    ev._trigger_key = key
    ev._probs = probs
    ev._marked = marked
    if d.switched:
        new = TYPE_FOR_LABEL.get(d.label, d.label)
        ev.type = new
        ev.mode = None
        ev.cameo = CAMEO_FOR_TYPE.get(new)
    ev.confidence = combine_confidence(ev.confidence, d.p_final)
