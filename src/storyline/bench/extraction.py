"""Bench: HTML main-content extraction and metadata (WCXB and AEB layouts), trafilatura as peer.

    storyline bench extraction --data DIR [--json] [--limit N] [--split all|train|test]

Layouts, auto-detected:
* WCXB: ``html/<id>.html.gz`` + ``ground-truth/<id>.json`` (main_content, title, author, publish_date,
  page type) — default data: the shared ``extraction/wcxb-dev``;
* AEB: ``html/<id>.html.gz`` + ``ground-truth.json`` ({id: {articleBody, url}}).

Metrics (per page, then averaged over pages): WCXB word P/R/F1 (lower-cased ``\\w+`` bags), on all pages and
on article pages; AEB's 4-gram-shingle P/R/F1; title / author / date (exact day; month where the gold
gives only a month) accuracy where gold exists; docs/s (wall clock and CPU time).  Pages whose gold main
content is empty are skipped and counted.  ``--split`` restricts WCXB-dev to the fixed domain split
(:func:`domain_split`) on which the block scorer (``scripts/train_blocks.py``) and the plain-text line model
were trained on ``train`` only: ``--split test`` is the held-out figure.  With the default ``--split all``
the held-out (test-domain) figures are printed too (``heldout_*`` keys; JSON: ``storyline.heldout``).  AEB
is out-of-domain for both models.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import urlparse

import typer

_TOK = re.compile(r"\w+")


@dataclass
class Page:
    id: str
    html: str
    gold: str
    url: Optional[str] = None
    page_type: Optional[str] = None
    title: Optional[str] = None
    author: Optional[str] = None
    date: Optional[str] = None
    domain: Optional[str] = None


def domain_split(domain: Optional[str]) -> str:
    """The fixed split of WCXB-dev by domain: sha1(domain) mod 4 == 0 -> 'test', else 'train'."""
    d = (domain or "").lower().removeprefix("www.")
    return "test" if int(hashlib.sha1(d.encode()).hexdigest(), 16) % 4 == 0 else "train"


def detect_layout(data: Path) -> Optional[str]:
    if (data / "ground-truth.json").is_file() and (data / "html").is_dir():
        return "aeb"
    if (data / "ground-truth").is_dir() and (data / "html").is_dir():
        return "wcxb"
    return None


def _read_html(path: Path) -> str:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        from storyline.ingest import detect_encoding

        return raw.decode(detect_encoding(raw) or "utf-8", "replace")


def _html_files(data: Path) -> dict[str, Path]:
    out = {}
    for p in sorted((data / "html").iterdir()):
        stem = p.name.split(".")[0]
        out[stem] = p
    return out


def load_pages(data: Path, limit: Optional[int] = None, split: str = "all") -> tuple[list[Page], int, str]:
    """(pages, number skipped for empty gold, layout)."""
    layout = detect_layout(data)
    if layout is None:
        raise ValueError(f"{data}: neither the AEB nor the WCXB layout")
    files = _html_files(data)
    pages: list[Page] = []
    skipped = 0
    if layout == "aeb":
        gt = json.loads((data / "ground-truth.json").read_text("utf-8"))
        for pid in sorted(gt):
            if pid not in files:
                continue
            body = gt[pid].get("articleBody") or ""
            if not body.strip():
                skipped += 1
                continue
            pages.append(Page(pid, "", body, url=gt[pid].get("url"), page_type="article"))
    else:
        meta_path = data / "metadata.json"
        meta = json.loads(meta_path.read_text("utf-8")).get("files", {}) if meta_path.exists() else {}
        for gp in sorted((data / "ground-truth").glob("*.json")):
            pid = gp.stem
            if pid not in files:
                continue
            g = json.loads(gp.read_text("utf-8"))
            gt = g.get("ground_truth", {})
            body = gt.get("main_content") or ""
            url = g.get("url") or gt.get("url")
            domain = (meta.get(pid) or {}).get("domain") or (urlparse(url).hostname if url else None)
            if split != "all" and domain_split(domain) != split:
                continue
            if not body.strip():
                skipped += 1
                continue
            ptype = ((g.get("_internal") or {}).get("page_type") or {}).get("primary") \
                or (meta.get(pid) or {}).get("page_type")
            pages.append(Page(pid, "", body, url=url, page_type=ptype, title=gt.get("title"),
                              author=gt.get("author"), date=gt.get("publish_date"), domain=domain))
    if limit:
        pages = pages[:limit]
    for p in pages:
        p.html = _read_html(files[p.id])
    return pages, skipped, layout


# --------------------------------------------------------------------------
# metrics


def word_prf(pred: str, gold: str) -> tuple[float, float, float]:
    """WCXB: bag-of-words P/R/F1 over lower-cased \\w+ tokens."""
    p = Counter(_TOK.findall(pred.lower()))
    g = Counter(_TOK.findall(gold.lower()))
    if not g:
        return (1.0, 1.0, 1.0) if not p else (0.0, 0.0, 0.0)
    if not p:
        return 0.0, 0.0, 0.0
    tp = sum((p & g).values())
    prec = tp / sum(p.values())
    rec = tp / sum(g.values())
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def shingle_counts(pred: str, gold: str, n: int = 4) -> tuple[float, float, float]:
    """AEB: per-page tp/fp/fn over multisets of 4-token shingles, normalised by their sum."""
    def sh(text):
        toks = _TOK.findall(text)
        return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1))) if toks else Counter()
    p, g = sh(pred), sh(gold)
    tp = sum((p & g).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def shingle_prf(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    precs = [tp / (tp + fp) if tp + fp > 0 else 0.0 for tp, fp, fn in rows if tp + fp > 0 or fn == 0]
    recs = [tp / (tp + fn) if tp + fn > 0 else 0.0 for tp, fp, fn in rows if tp + fn > 0 or fp == 0]
    precs = [1.0 if (tp == 0 and fp == 0 and fn == 0) else v for (tp, fp, fn), v in zip(rows, precs)] \
        if len(precs) == len(rows) else precs
    p = sum(precs) / len(precs) if precs else 0.0
    r = sum(recs) / len(recs) if recs else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _norm(s: Optional[str]) -> str:
    return " ".join(_TOK.findall((s or "").lower()))


_TITLE_SEP = re.compile(r"\s+[|–—:·•\-»~/]\s+")


def _title_forms(title: str, url: Optional[str]) -> set[str]:
    """A title, normalised, and the same without a first or last segment naming the page's domain
    ("Headline | Example" on example.com): the site name is part of neither the headline nor its error."""
    forms = {_norm(title)}
    parts = _TITLE_SEP.split(title.strip())
    host = (urlparse(url or "").hostname or "").lower().removeprefix("www.") if url else ""
    labels = [lab for lab in host.split(".")[:-1] if len(lab) >= 3]
    if len(parts) > 1 and labels:
        for seg, rest in ((parts[-1], parts[:-1]), (parts[0], parts[1:])):
            s = _norm(seg).replace(" ", "")
            if any(s == lab or (s.startswith(lab) and len(s) <= len(lab) + 5) or (lab.startswith(s) and len(s) >= 4)
                   for lab in labels):
                forms.add(_norm(" ".join(rest)))
    return forms


def title_ok(pred: Optional[str], gold: Optional[str], url: Optional[str] = None) -> bool:
    """Equal as lower-cased word tokens (whitespace, punctuation, dashes, quotes and case do not count); with
    ``url``, a leading/trailing segment that names the page's domain ("… | Example") is ignored on either side,
    since the gold itself keeps it on some pages and drops it on others."""
    if not pred or not gold:
        return False
    if _norm(pred) == _norm(gold):
        return True
    return bool(url) and bool(_title_forms(pred, url) & _title_forms(gold, url))


def author_ok(pred: list[str] | str | None, gold: Optional[str]) -> bool:
    if isinstance(pred, str):
        pred = [pred]
    g = _norm(gold)
    if not pred or not g:
        return False
    ps = [_norm(x) for x in pred if x]
    joined = " ".join(ps)
    return any(p == g for p in ps) or joined == g or (all(p in g for p in ps) and len(joined) >= 0.6 * len(g))


def date_ok(pred: Optional[str], gold: Optional[str]) -> bool:
    if not pred or not gold:
        return False
    gold = gold.strip()
    if re.fullmatch(r"\d{4}-\d{2}", gold):
        return pred[:7] == gold
    return pred[:10] == gold[:10]


@dataclass
class Tally:
    f1: list[float] = field(default_factory=list)
    f1_articles: list[float] = field(default_factory=list)
    prec: list[float] = field(default_factory=list)
    rec: list[float] = field(default_factory=list)
    shingles: list[tuple[float, float, float]] = field(default_factory=list)
    date: list[bool] = field(default_factory=list)
    date_articles: list[bool] = field(default_factory=list)
    title: list[bool] = field(default_factory=list)
    author: list[bool] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    by_type: dict[str, list[float]] = field(default_factory=dict)

    def add(self, page: Page, text: str, title, authors, date) -> None:
        p, r, f = word_prf(text, page.gold)
        self.prec.append(p)
        self.rec.append(r)
        self.f1.append(f)
        self.by_type.setdefault(page.page_type or "unknown", []).append(f)
        if page.page_type == "article":
            self.f1_articles.append(f)
        self.shingles.append(shingle_counts(text, page.gold))
        if page.date:
            self.date.append(date_ok(date, page.date))
            if page.page_type == "article":
                self.date_articles.append(self.date[-1])
        if page.title:
            self.title.append(title_ok(title, page.title, page.url))
        if page.author:
            self.author.append(author_ok(authors, page.author))

    def metrics(self, n: int) -> dict:
        mean = lambda xs: (sum(xs) / len(xs)) if xs else None  # noqa: E731
        sp, sr, sf = shingle_prf(self.shingles)
        return {
            "f1": mean(self.f1), "f1_articles": mean(self.f1_articles), "precision": mean(self.prec),
            "recall": mean(self.rec), "shingle_precision": sp, "shingle_recall": sr, "shingle_f1": sf,
            "date_acc": mean(self.date), "date_acc_articles": mean(self.date_articles),
            "title_acc": mean(self.title), "author_acc": mean(self.author),
            "docs_per_s": n / self.seconds if self.seconds else None,
            "cpu_docs_per_s": n / self.cpu_seconds if self.cpu_seconds else None,
            "f1_by_type": {k: round(sum(v) / len(v), 4) for k, v in sorted(self.by_type.items())},
        }


def run_storyline(page: Page):
    from storyline.clean import clean
    from storyline.model import Document

    raw = page.html.encode("utf-8")
    doc = Document.from_bytes(raw, page.id, media_type="html", encoding="utf-8", url=page.url)
    a = clean(doc)
    return a.text, a.title, a.authors, a.published


def run_trafilatura(page: Page):
    import trafilatura

    res = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    if res is None:
        return "", None, None, None
    return res.text or "", res.title, res.author, res.date


def _warm_up(pages: list[Page], systems: dict) -> None:
    """One untimed run of every system on the first page, and trafilatura's lazily built jusText stop-list (a
    shared library state the first system to need it would otherwise pay for, about 0.6 s): one-time start-up
    costs are charged to neither system's docs/s.  Results are discarded."""
    try:
        from trafilatura.external import jt_stoplist_init

        jt_stoplist_init()
    except Exception:
        pass
    for fn in systems.values():
        try:
            fn(pages[0])
        except Exception:
            pass


def evaluate(pages: list[Page], systems: dict, heldout: bool = False) -> dict[str, dict]:
    """Metrics per system; with ``heldout``, also ``heldout`` metrics on the WCXB test-domain pages."""
    tallies = {name: Tally() for name in systems}
    held = {name: Tally() for name in systems}
    n_held = 0
    _warm_up(pages, systems)
    for page in pages:
        is_held = heldout and domain_split(page.domain) == "test"
        n_held += is_held
        for name, fn in systems.items():
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                text, title, authors, date = fn(page)
            except Exception:
                text, title, authors, date = "", None, None, None
            tallies[name].seconds += time.perf_counter() - t0
            tallies[name].cpu_seconds += time.process_time() - c0
            tallies[name].add(page, text or "", title, authors, date)
            if is_held:
                held[name].add(page, text or "", title, authors, date)
    out = {name: t.metrics(len(pages)) for name, t in tallies.items()}
    if heldout and n_held:
        for name in systems:
            m = held[name].metrics(n_held)
            out[name]["heldout"] = {k: m[k] for k in ("f1", "f1_articles", "precision", "recall", "shingle_f1",
                                                      "date_acc", "title_acc", "author_acc")}
            out[name]["heldout"]["n"] = n_held
    return out


def command(
    data: Optional[Path] = typer.Option(None, "--data", help="WCXB or AEB folder (default: shared "
                                        "extraction/wcxb-dev)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Only the first N pages."),
    split: str = typer.Option("all", "--split", help="WCXB domain split: all | train | test (test = domains "
                              "held out from training the block scorer)."),
) -> None:
    """HTML main-content extraction and metadata vs trafilatura (WCXB word-F1, AEB shingle F1)."""
    from storyline.bench.common import emit, resolve_data, skip

    path = resolve_data(data, "extraction/wcxb-dev")
    if path is None:
        skip("extraction data not found (give --data DIR or provide ../shared/data/extraction/wcxb-dev)", as_json)
    try:
        pages, skipped, layout = load_pages(path, limit, split)
    except (OSError, ValueError) as exc:
        skip(f"cannot read {path}: {exc}", as_json)
    if not pages:
        skip(f"no pages with gold content in {path}", as_json)
    import logging

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    heldout = layout == "wcxb" and split == "all"
    results = evaluate(pages, {"storyline": run_storyline, "trafilatura": run_trafilatura}, heldout)
    out = {"storyline": results["storyline"], "peers": {"trafilatura": results["trafilatura"]}, "n": len(pages),
           "layout": layout, "skipped_empty_gold": skipped, "split": split}
    keys = ["f1", "f1_articles", "precision", "recall", "shingle_f1", "date_acc", "date_acc_articles",
            "title_acc", "author_acc", "docs_per_s", "cpu_docs_per_s"]
    if heldout and "heldout" in results["storyline"]:
        for sysname in ("storyline", "trafilatura"):
            for k, v in results[sysname]["heldout"].items():
                results[sysname][f"heldout_{k}"] = v
        keys += ["heldout_n", "heldout_f1", "heldout_f1_articles", "heldout_shingle_f1"]
    emit(out, as_json, f"extraction ({layout}, {path.name}, split {split})", keys=keys)
