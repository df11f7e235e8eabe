"""Bench: plain-text (WET-like) boilerplate removal, line by line, vs trafilatura-on-wrapped-text and C4 rules.

    storyline bench plaintext --data DIR [--json] [--limit N] [--split test|train|all] [--labels align|substring]
                              [--outlet-memory] [--no-smoothing] [--no-sequence]

Each page of an HTML benchmark (WCXB or AEB layout, see ``bench extraction``) is rendered the way a WET
conversion does (all visible text, one block per line: :func:`storyline.clean.render.wet_lines`).  A line
is labelled *body* when more than half of its tokens align to the gold main content (a token alignment of the
page against the gold, see :func:`label_lines`; ``--labels substring`` gives the first version's labels), else
*boilerplate*.  Scores: line-level P/R/F1 of the boilerplate label and body word-F1 (WCXB metric on the
kept lines).  Peers in the same run: trafilatura on the text wrapped as HTML (one ``<p>`` per line) and
C4-style line rules (keep lines ending in terminal punctuation with at least 5 words, without
"javascript"/"lorem ipsum"/"{").  On WCXB-dev the default is the held-out domain split (``--split test``,
see :func:`storyline.bench.extraction.domain_split`); the line classifier was trained on ``train`` only.
AEB is out-of-domain.  ``--no-smoothing`` decides each line on its own (no sequence smoothing of the
model's probabilities, :func:`storyline.clean.plaintext.smooth_labels`); ``--no-sequence`` uses the line
trees without the line-sequence model (:class:`storyline.clean.plaintext.LineSequenceModel`).  ``--outlet-memory`` adds the
cross-document repetition signal (:class:`storyline.clean.plaintext.OutletMemory`, pages of one domain in id
order, as an ingest batch of one outlet would give it); most WCXB domains have a single page, so it changes
little there.
"""

from __future__ import annotations

import html as htmllib
import re
import time
from pathlib import Path
from typing import Optional

import typer

_TOK = re.compile(r"\w+")


_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
MIN_ALIGNED_RUN = 3


def _tokens(text: str) -> list[str]:
    return _TOK.findall(_INVISIBLE.sub("", text).lower())


def label_lines(lines: list[str], gold: str) -> list[Optional[bool]]:
    """True = boilerplate, False = body, None = no ``\\w+`` tokens (not scored).

    The gold main content is *aligned* to the rendered page, token by token, and a line is body when more
    than half of its tokens are aligned to gold tokens:

    1. both texts become lower-cased ``\\w+`` token streams (the gold after HTML-entity decoding — some gold
       texts keep ``&#39;`` and the like — and soft hyphens / zero-width characters are dropped on both
       sides, so "frag\\u00adment" is one word as the reader sees it);
    2. a monotone alignment of the page's token stream (all lines in order) against the gold's
       (``difflib.SequenceMatcher``, no junk heuristic); a matched run counts when it has at least
       ``MIN_ALIGNED_RUN`` tokens or is a whole line, so a stray "home" or "share" does not align with a word
       of the gold by chance.  Runs cross line boundaries, so a one-word heading inside the article aligns
       with its neighbours;
    3. a line still without any aligned token whose whole token sequence occurs in gold text that no line has
       claimed yet (5+ tokens, or exactly a gold line) is body too: it was out of the alignment's order
       (a table read by rows where the gold reads it by columns).

    Each gold token is claimed once, so a line that the page repeats (a table of contents, a teaser
    repeating a heading) is body only where it stands in the gold's order.  A line that differs from the
    gold by a footnote marker or an entity is still body; a line merging a gold sentence with a byline is
    body when the gold part is the larger.

    :func:`label_lines_substring` is the first version (a line of 5+ tokens is body when its token sequence
    occurs anywhere in the gold; a shorter one when it matches a gold line); it is kept for comparison
    (``--labels substring``).
    """
    import difflib
    import html as htmllib
    from collections import Counter

    gold = htmllib.unescape(gold)
    g = _tokens(gold)
    lt = [_tokens(l) for l in lines]
    a: list[str] = []
    owner: list[int] = []
    for i, t in enumerate(lt):
        a += t
        owner += [i] * len(t)
    matched = [False] * len(a)
    claimed = [False] * len(g)
    for blk in difflib.SequenceMatcher(None, a, g, autojunk=False).get_matching_blocks():
        if not blk.size:
            continue
        whole = owner[blk.a] == owner[blk.a + blk.size - 1] and blk.size == len(lt[owner[blk.a]])
        if blk.size >= MIN_ALIGNED_RUN or whole:
            for k in range(blk.size):
                matched[blk.a + k] = True
                claimed[blk.b + k] = True
    aligned = Counter(o for o, m in zip(owner, matched) if m)
    body = [bool(t) and 2 * aligned[i] > len(t) for i, t in enumerate(lt)]
    gold_lines = {tuple(_tokens(l)) for l in gold.split("\n")}
    # token index of each character offset where a token starts in the joined gold string
    joined = " " + " ".join(g) + " "
    starts = {}
    off = 1
    for k, tok in enumerate(g):
        starts[off - 1] = k
        off += len(tok) + 1
    for i, t in enumerate(lt):
        if not t or body[i] or aligned[i] or (len(t) < 5 and tuple(t) not in gold_lines):
            continue
        seq = " " + " ".join(t) + " "
        at = joined.find(seq)
        while at >= 0:
            k = starts[at]
            if not any(claimed[k:k + len(t)]):
                for q in range(k, k + len(t)):
                    claimed[q] = True
                body[i] = True
                break
            at = joined.find(seq, at + 1)
    return [None if not t else not body[i] for i, t in enumerate(lt)]


def label_lines_substring(lines: list[str], gold: str) -> list[Optional[bool]]:
    """The first labelling (kept for comparison): a line of 5+ tokens is body when its token sequence occurs
    in the gold main content; a shorter line when it matches a gold line on its own, or is a piece of a gold
    line at most twice its length."""
    g = " " + " ".join(_TOK.findall(gold.lower())) + " "
    gold_lines = [" " + " ".join(_TOK.findall(l.lower())) + " " for l in gold.split("\n")]
    gold_lines = [x for x in gold_lines if x.strip()]
    out: list[Optional[bool]] = []
    for line in lines:
        toks = _TOK.findall(line.lower())
        if not toks:
            out.append(None)
            continue
        seq = " " + " ".join(toks) + " "
        if len(toks) >= 5:
            out.append(seq not in g)
        else:
            body = any(seq in gl and len(gl.split()) <= 2 * len(toks) for gl in gold_lines)
            out.append(not body)
    return out


def c4_keep(line: str) -> bool:
    s = line.strip()
    low = s.lower()
    if "javascript" in low or "lorem ipsum" in low or "{" in s:
        return False
    return len(s.split()) >= 5 and bool(re.search(r"[.!?][\"'”’)]*$", s))


def run_storyline(lines: list[str], memory=None, outlet: Optional[str] = None,
                  smoothing: Optional[bool] = None, sequence: Optional[bool] = None) -> list[bool]:
    from storyline.clean.plaintext import classify_lines

    return [lab.boilerplate for lab in classify_lines(lines, memory=memory, outlet=outlet, smoothing=smoothing,
                                                      sequence=sequence)]


def run_c4(lines: list[str]) -> list[bool]:
    return [not c4_keep(l) for l in lines]


def run_trafilatura(lines: list[str]) -> list[bool]:
    import trafilatura

    wrapped = "<html><body>" + "".join(f"<p>{htmllib.escape(l)}</p>" for l in lines) + "</body></html>"
    text = trafilatura.extract(wrapped) or ""
    kept = {l.strip() for l in text.split("\n") if l.strip()}
    return [l.strip() not in kept for l in lines]


def command(
    data: Optional[Path] = typer.Option(None, "--data", help="WCXB or AEB folder (default: shared "
                                        "extraction/wcxb-dev)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Only the first N pages."),
    split: str = typer.Option("test", "--split", help="WCXB domain split: test (held out) | train | all."),
    labels: str = typer.Option("align", "--labels", help="Gold line labels: align (token alignment, default) | "
                               "substring (the first version, for comparison)."),
    outlet_memory: bool = typer.Option(False, "--outlet-memory", help="Also remove lines repeated in earlier "
                                       "pages of the same domain (pages in id order), as an ingest batch can."),
    no_smoothing: bool = typer.Option(False, "--no-smoothing", help="Decide each line on its own (no sequence "
                                      "smoothing of the model's probabilities), for comparison."),
    no_sequence: bool = typer.Option(False, "--no-sequence", help="Use the line trees alone (no line-sequence "
                                     "model re-reading their probabilities), for comparison."),
) -> None:
    """Plain-text line-level boilerplate removal vs trafilatura-on-wrapped-text and C4 line rules."""
    from storyline.bench.common import emit, fail, resolve_data, skip
    from storyline.bench.extraction import load_pages, word_prf
    from storyline.clean.render import wet_lines

    if labels not in ("align", "substring"):
        fail(f"unknown --labels {labels!r} (align | substring)", as_json)
    path = resolve_data(data, "extraction/wcxb-dev")
    if path is None:
        skip("extraction data not found (give --data DIR or provide ../shared/data/extraction/wcxb-dev)", as_json)
    try:
        pages, skipped, layout = load_pages(path, limit, split if split else "all")
    except (OSError, ValueError) as exc:
        skip(f"cannot read {path}: {exc}", as_json)
    if not pages:
        skip(f"no pages with gold content in {path}", as_json)
    import logging

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    labeller = label_lines if labels == "align" else label_lines_substring
    memory = None
    if outlet_memory:
        from storyline.clean.plaintext import OutletMemory

        memory = OutletMemory()
    smoothing = False if no_smoothing else None
    sequence = False if no_sequence else None
    from storyline.clean.plaintext import line_sequence_model

    def ours(lines: list[str]) -> list[bool]:
        return run_storyline(lines, smoothing=smoothing, sequence=sequence)

    systems = {"storyline": ours, "trafilatura": run_trafilatura, "c4_rules": run_c4}
    stats = {name: {"tp": 0, "fp": 0, "fn": 0, "f1": [], "s": 0.0} for name in systems}
    n_lines = 0
    for page in pages:
        lines = wet_lines(page.html)
        gold_labels = labeller(lines, page.gold)
        n_lines += sum(1 for g in gold_labels if g is not None)
        for name, fn in systems.items():
            t0 = time.perf_counter()
            try:
                pred = (run_storyline(lines, memory, page.domain, smoothing, sequence)
                        if name == "storyline" and memory is not None else fn(lines))
            except Exception:
                pred = [False] * len(lines)
            st = stats[name]
            st["s"] += time.perf_counter() - t0
            for p, g in zip(pred, gold_labels):
                if g is None:
                    continue
                st["tp"] += p and g
                st["fp"] += p and not g
                st["fn"] += (not p) and g
            kept = "\n".join(l for l, p in zip(lines, pred) if not p)
            st["f1"].append(word_prf(kept, page.gold)[2])

    def metrics(st):
        p = st["tp"] / (st["tp"] + st["fp"]) if st["tp"] + st["fp"] else 0.0
        r = st["tp"] / (st["tp"] + st["fn"]) if st["tp"] + st["fn"] else 0.0
        return {"line_precision": p, "line_recall": r, "line_f1": 2 * p * r / (p + r) if p + r else 0.0,
                "body_f1": sum(st["f1"]) / len(st["f1"]), "docs_per_s": len(pages) / st["s"] if st["s"] else None}

    out = {"storyline": metrics(stats["storyline"]),
           "peers": {k: metrics(stats[k]) for k in ("trafilatura", "c4_rules")},
           "n": len(pages), "lines": n_lines, "layout": layout, "split": split if layout == "wcxb" else "all",
           "labels": labels, "outlet_memory": outlet_memory, "smoothing": not no_smoothing,
           "sequence_model": not no_sequence and line_sequence_model() is not None, "skipped_empty_gold": skipped}
    emit(out, as_json, f"plaintext ({layout}, {path.name})",
         keys=["line_f1", "line_precision", "line_recall", "body_f1", "docs_per_s"])
