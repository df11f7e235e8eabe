"""Sentences that never run across a line break, for the quotes stage.

spaCy's parser sometimes runs a headline, or a paragraph that ends with a closing quotation mark, into
the next paragraph: one "sentence" then spans a blank line, and its tree hangs the second paragraph's
verb on the first's ("X says …”\\n\\nY, who …, says …" with the second "says" as a clausal complement of
the first).  Attribution rules read subjects, complements and sentence extents off that tree, so such a
parse gives the second paragraph's words to the first paragraph's speaker.

:func:`split_at_breaks` returns a doc with the same text and tokens in which every sentence stays inside
one line: sentences that already do keep their parse (copied, not re-run), and so does the line that holds
a run-on sentence's root; only the lines whose words hung on a head across the break are parsed again,
each on its own (by the parser alone: tags, lemmas and entities are kept).  The stage's other rules then see paragraph-sized
sentences.  The re-parse is done by the configured spaCy model (``storyline.nlp.load``); when that is not
possible (a doc made by another vocabulary, no model) the original doc is returned unchanged.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


_KEEP = ("TAG", "POS", "MORPH", "LEMMA")  # token-level: copied from the original doc
_REPARSED = ("DEP", "HEAD")               # the tree: from the line's own parse


def crossing_sentences(doc, text: str | None = None) -> list[tuple[int, int]]:
    """Token ranges of the sentences of ``doc`` that hold a line break before their last non-space token."""
    from spacy.attrs import IDX, SENT_START

    if len(doc) == 0:
        return []
    if not doc.has_annotation("SENT_START"):
        raise ValueError("no sentence boundaries")
    arr = doc.to_array([SENT_START, IDX])
    starts = [0] + [int(i) for i in (arr[1:, 0] == 1).nonzero()[0] + 1]
    text = doc.text if text is None else text
    out = []
    for k, a in enumerate(starts):
        b = starts[k + 1] if k + 1 < len(starts) else len(doc)
        lo = int(arr[a, 1])
        hi = int(arr[b, 1]) if b < len(doc) else len(text)
        if "\n" in text[lo:hi].strip():
            out.append((a, b))
    return out


def _pieces(doc, sent: tuple[int, int]) -> list[tuple[int, int]]:
    """Token ranges of the sentence ``sent`` cut after every whitespace token that holds a line break."""
    out = []
    a, end = sent
    for i in range(sent[0], end - 1):
        t = doc[i]
        if t.is_space and "\n" in t.text:
            out.append((a, i + 1))
            a = i + 1
    out.append((a, end))
    return [(x, y) for x, y in out if y > x]


def split_at_breaks(doc, nlp=None, text: str | None = None):
    """``doc`` with every sentence that runs across a line break cut into its lines (see the module)."""
    try:
        bad = crossing_sentences(doc, text)
    except ValueError:  # no sentence boundaries (an unparsed doc)
        return doc
    if not bad:
        return doc
    try:
        import numpy
        from spacy.attrs import IDS, ORTH, SPACY
        from spacy.tokens import Doc, Span

        if nlp is None:
            from storyline import nlp as nlp_stage
            nlp = nlp_stage.load()
        if nlp.vocab is not doc.vocab:
            return doc
        attrs = [IDS[a] for a in _KEEP + _REPARSED]
        arr = doc.to_array(attrs).astype(numpy.int64)
        k = len(_KEEP)
        ranges = []
        for a, b in (r for s in bad for r in _pieces(doc, s)):
            # a line none of whose words hangs on a head outside it (the line holding the run-on
            # sentence's root) keeps its tree; the lines that hung on it are parsed again
            if any(not a <= i + int(arr[i, k + 1]) < b and not doc[i].is_space for i in range(a, b)):
                ranges.append((a, b))
        if not ranges:
            return doc
        texts = [doc[a:b].text_with_ws for a, b in ranges]
        # only the parser (and the embedding it listens to) runs again: tags, lemmas and entities are
        # token-level and stay as they were
        enable = {"tok2vec", "parser"}
        disable = [p for p in nlp.pipe_names if p not in enable]
        tree = [IDS[a] for a in _REPARSED]
        for (a, b), sub in zip(ranges, nlp.pipe(texts, batch_size=max(1, len(texts)), disable=disable)):
            if len(sub) != b - a or sub[0].text != doc[a].text or sub[-1].text != doc[b - 1].text:
                return doc  # the line tokenizes differently on its own: keep the original parse
            arr[a:b, k:] = sub.to_array(tree).astype(numpy.int64)
        toks = doc.to_array([ORTH, SPACY])
        strings = doc.vocab.strings
        new = Doc(doc.vocab, words=[strings[int(o)] for o in toks[:, 0]], spaces=[bool(x) for x in toks[:, 1]])
        new.from_array(attrs, arr.astype(numpy.uint64))  # (relative heads wrap as in to_array)
        new.ents = [Span(new, e.start, e.end, label=e.label) for e in doc.ents]
    except Exception as exc:  # a safety net: the original parse is still usable
        log.debug("quotes: line-break re-parse failed (%s); original parse kept", exc.__class__.__name__)
        return doc
    return new
