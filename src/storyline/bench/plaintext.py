"""Bench: plain-text (WET-like) boilerplate removal, line by line, vs trafilatura-on-wrapped-text and C4 rules.

    storyline bench plaintext --data DIR [--json] [--limit N] [--split test|train|all]

Each page of an HTML benchmark (WCXB or AEB layout, see ``bench extraction``) is rendered the way a WET
conversion does (all visible text, one block per line: :func:`storyline.clean.render.wet_lines`).  A line
is labelled *body* when its lower-cased ``\\w+`` token sequence occurs in the gold main content (lines under
5 tokens: when they match a gold line, see :func:`label_lines`), else *boilerplate*.  Scores: line-level P/R/F1 of the boilerplate label and body word-F1 (WCXB metric on the
kept lines).  Peers in the same run: trafilatura on the text wrapped as HTML (one ``<p>`` per line) and
C4-style line rules (keep lines ending in terminal punctuation with at least 5 words, without
"javascript"/"lorem ipsum"/"{").  On WCXB-dev the default is the held-out domain split (``--split test``,
see :func:`storyline.bench.extraction.domain_split`); the line classifier was trained on ``train`` only.
AEB is out-of-domain.
"""

from __future__ import annotations

import html as htmllib
import re
import time
from pathlib import Path
from typing import Optional

import typer

_TOK = re.compile(r"\w+")


def label_lines(lines: list[str], gold: str) -> list[Optional[bool]]:
    """True = boilerplate, False = body, None = no tokens (not scored).

    A line of 5+ tokens is body when its token sequence occurs in the gold main content.  A shorter line
    (a heading, a button, a menu item) is body only when it matches a gold line on its own, or is a piece of
    a gold line at most twice its length: short strings like "Home" or "Share" occur inside body prose, and
    a plain substring test would call them body.
    """
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


def run_storyline(lines: list[str]) -> list[bool]:
    from storyline.clean.plaintext import classify_lines

    return [lab.boilerplate for lab in classify_lines(lines)]


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
) -> None:
    """Plain-text line-level boilerplate removal vs trafilatura-on-wrapped-text and C4 line rules."""
    from storyline.bench.common import emit, resolve_data, skip
    from storyline.bench.extraction import load_pages, word_prf
    from storyline.clean.render import wet_lines

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
    systems = {"storyline": run_storyline, "trafilatura": run_trafilatura, "c4_rules": run_c4}
    stats = {name: {"tp": 0, "fp": 0, "fn": 0, "f1": [], "s": 0.0} for name in systems}
    n_lines = 0
    for page in pages:
        lines = wet_lines(page.html)
        gold_labels = label_lines(lines, page.gold)
        n_lines += sum(1 for g in gold_labels if g is not None)
        for name, fn in systems.items():
            t0 = time.perf_counter()
            try:
                pred = fn(lines)
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
           "skipped_empty_gold": skipped}
    emit(out, as_json, f"plaintext ({layout}, {path.name})",
         keys=["line_f1", "line_precision", "line_recall", "body_f1", "docs_per_s"])
