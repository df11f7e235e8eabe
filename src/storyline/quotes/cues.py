"""Lexicons of the quotes stage (cue verbs, media, channels, anonymous sources, hedges).

All of them are data files under ``storyline/data/quotes``; this module only loads them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "quotes"


def _rows(name: str) -> list[list[str]]:
    text = (DATA / name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append([c.strip() for c in line.split("\t")])
    return rows


def _words(name: str) -> frozenset[str]:
    """The first column of a one-word-per-row table, lower-cased."""
    return frozenset(r[0].lower() for r in _rows(name))


@lru_cache(maxsize=8)
def speaker_nouns(kind: str) -> frozenset[str]:
    """Head nouns of one class (role, organization, document) for typing nominal speakers."""
    return frozenset(r[0].lower() for r in _rows("speaker_nouns.tsv") if len(r) > 1 and r[1] == kind)


@lru_cache(maxsize=1)
def cue_verbs() -> dict[str, str]:
    """lemma -> kind (speech, belief, report, confirm, deny, cite, demand)."""
    return {r[0].lower(): (r[1] if len(r) > 1 else "speech") for r in _rows("cues.tsv")}


LEARNED_MIN_RATE = 0.35
LEARNED_MIN_COUNT = 4


@lru_cache(maxsize=1)
def learned_cues() -> dict[str, frozenset[str]]:
    """pos -> lemmas fitted on PolNeAR train (scripts/train_quotes.py) that are cues often enough."""
    out: dict[str, set[str]] = {"VERB": set(), "NOUN": set()}
    try:
        rows = _rows("cue_stats.tsv")
    except OSError:
        return {k: frozenset(v) for k, v in out.items()}
    for r in rows:
        if len(r) < 5:
            continue
        lemma, pos, count, rate = r[0], r[1], int(r[2]), float(r[4])
        if pos in out and count >= LEARNED_MIN_COUNT and rate >= LEARNED_MIN_RATE:
            out[pos].add(lemma)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _rates() -> dict[tuple[str, str], float]:
    try:
        return {(r[0], r[1]): float(r[4]) for r in _rows("cue_stats.tsv") if len(r) >= 5}
    except OSError:
        return {}


def cue_rate(lemma: str, pos: str = "VERB") -> float:
    """How often the lemma is a cue in PolNeAR train (0.5 for hand-listed lemmas never seen there)."""
    r = _rates().get((lemma, pos))
    if r is None:
        return 0.5 if lemma in cue_verbs() else 0.0
    return r


PREP_MIN_RATE = 0.4
PREP_MIN_COUNT = 3


@lru_cache(maxsize=1)
def prep_cues() -> frozenset[tuple[str, str]]:
    """(head lemma, preposition) pairs that are attribution cues in PolNeAR train ("talk about")."""
    try:
        rows = _rows("cue_preps.tsv")
    except OSError:
        return frozenset()
    return frozenset((r[0], r[1]) for r in rows if len(r) >= 5 and r[0] != "accord"
                     and int(r[2]) >= PREP_MIN_COUNT and float(r[4]) >= PREP_MIN_RATE)


def is_noun_cue(tok) -> bool:
    return tok.pos_ == "NOUN" and tok.lemma_.lower() in learned_cues()["NOUN"]


@lru_cache(maxsize=1)
def document_sources() -> frozenset[str]:
    return _words("document_sources.tsv")


@lru_cache(maxsize=1)
def not_speakers() -> frozenset[str]:
    """Line labels ("Update:", "Photo:") that do not name a speaker in a transcript line."""
    return _words("not_speakers.tsv")


@lru_cache(maxsize=1)
def sourceless_cues() -> frozenset[str]:
    """Cue lemmas that never have a source ("it appears", "seemed")."""
    return _words("sourceless_cues.tsv")


@lru_cache(maxsize=1)
def source_edges() -> dict[str, str]:
    """Words at the start of a source phrase: "strip" (a conjunction) or "reject" (a preposition)."""
    return {r[0].lower(): r[1] for r in _rows("source_edges.tsv") if len(r) > 1}


@lru_cache(maxsize=1)
def media_pattern() -> re.Pattern:
    terms = sorted({r[0] for r in _rows("media.tsv")}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(t) for t in terms) + r")(?![\w-])", re.I)


@lru_cache(maxsize=1)
def channel_nouns() -> frozenset[str]:
    return _words("channels.tsv")


@lru_cache(maxsize=1)
def anonymous_patterns() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(r[0], re.I), r[1]) for r in _rows("anonymous.tsv")]


@lru_cache(maxsize=1)
def hedge_patterns() -> list[tuple[re.Pattern, str, str]]:
    return [(re.compile(r[0], re.I), r[1], r[2] if len(r) > 2 else "content") for r in _rows("hedges.tsv")]


def is_cue(tok) -> bool:
    """A verb token whose lemma is a reporting/attribution cue."""
    if tok.pos_ not in ("VERB", "AUX") and not (tok.tag_.startswith("VB")):
        return False
    if tok.dep_ == "amod" and tok.tag_ == "VBN" and tok.head.i > tok.i:
        return False  # "the reported cases", "a stated aim": a participle modifying a noun
    lemma = tok.lemma_.lower()
    if lemma not in cue_verbs() and lemma not in learned_cues()["VERB"]:
        return False
    if lemma == "point":  # "point out"
        return any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children)
    return True


def cue_kind(tok) -> str:
    return cue_verbs().get(tok.lemma_.lower(), "speech")


@lru_cache(maxsize=1)
def continuing_cues() -> frozenset[str]:
    """Speech-verb lemmas whose participle ("…, adding that …") usually continues the sentence's speaker."""
    return _words("continuing_cues.tsv")


@lru_cache(maxsize=1)
def impersonal_passives() -> frozenset[str]:
    """Cue lemmas whose agentless passive with an infinitive ("X is expected to …") is an unsourced claim."""
    return _words("impersonal_passives.tsv")


@lru_cache(maxsize=1)
def refusal_cues() -> frozenset[str]:
    """Lemmas of declining ("declined to comment"): the whole infinitive is their content."""
    return _words("refusal_cues.tsv")
