"""Quote / attribution bench on PolNeAR-layout data (``text/*.txt`` + ``attributions/*.ann``, brat).

Metrics (micro over all documents), for all gold attributions and for the subset whose content
contains a double quotation mark (straight or curly; system attributions filtered the same way):

* ``exact_p/r/f1``   content span identical (one-to-one);
* ``overlap_p/r/f1`` content matched one-to-one, greedily by the number of shared ``\\w+`` tokens;
* ``pair_token_f1``  mean token F1 of the matched pairs;
* ``source_acc``     of matched pairs: system source overlaps the gold source, or both absent;
* ``cue_acc``        of matched pairs: system cue overlaps the gold cue (or both absent).

A document with several annotators is scored against the alphabetically first annotator id;
discontinuous gold content is taken as its extent (first fragment to last).
Peer: textacy's ``direct_quotations``, run per paragraph on the same parse, in the same run.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Optional

import typer

DEFAULT = "quotes/polnear/dev"
QUOTE_CHARS = '"“”„«»'
_TOK = re.compile(r"\w+")

Span3 = Optional[tuple[int, int]]


# --------------------------------------------------------------------------
# data


def load_split(data: Path, limit: Optional[int] = None) -> list[dict]:
    """[{"name", "text", "gold": [{"source", "cue", "content"}]}] for a PolNeAR-layout folder."""
    texts = sorted((data / "text").glob("*.txt"))
    anns: dict[str, list[Path]] = {}
    for p in sorted((data / "attributions").glob("*.ann")):
        stem, _, _annotator = p.stem.rpartition("_")
        anns.setdefault(stem, []).append(p)
    docs = []
    for t in texts:
        if t.stem not in anns:
            continue
        ann = sorted(anns[t.stem], key=lambda p: p.stem.rpartition("_")[2])[0]
        docs.append({"name": t.stem, "text": t.read_text(encoding="utf-8"), "gold": parse_ann(ann)})
        if limit and len(docs) >= limit:
            break
    return docs


def parse_ann(path: Path) -> list[dict]:
    spans: dict[str, tuple[int, int]] = {}
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if parts[0].startswith("T"):
            head = parts[1].split(" ", 1)
            if len(head) < 2:
                continue
            try:
                frags = [tuple(int(x) for x in f.split()) for f in head[1].split(";")]
                spans[parts[0]] = (min(f[0] for f in frags), max(f[1] for f in frags))
            except (ValueError, IndexError):
                continue
        elif parts[0].startswith("E"):
            roles = dict(r.split(":", 1) for r in parts[1].split() if ":" in r)
            events.append(roles)
    gold = []
    for roles in events:
        content = spans.get(roles.get("Content", ""))
        if content is None:
            continue
        gold.append({"content": content, "source": spans.get(roles.get("Source", "")),
                     "cue": spans.get(roles.get("Cue", ""))})
    return gold


# --------------------------------------------------------------------------
# systems


def storyline_predict(text: str, doc) -> list[dict]:
    """storyline's attributions in PolNeAR's span conventions (quoted content keeps its marks)."""
    from storyline.quotes import extract

    out: list[dict] = []
    by_cue: dict[tuple[int, int], dict] = {}
    for a in extract(text, doc):
        s, e = a.content.start, a.content.end
        cue = (a.cue.start, a.cue.end) if a.cue is not None else None
        if a.kind == "direct":
            s, e = _with_marks(text, s, e)
            # PolNeAR keeps the complementizer of "said that “…”" in the content
            if cue is not None and cue[1] <= s and re.search(r"\bthat\s+$", text[cue[1]:s]):
                s = cue[1] + re.search(r"\bthat\s+$", text[cue[1]:s]).start()
        base = None
        base = by_cue.get(cue) if cue is not None else None
        if base is not None:
            # a quote continuing the same speaker (in the same paragraph or the next one): PolNeAR
            # annotates one (discontinuous) content, scored as its extent
            base["content"] = (min(base["content"][0], s), max(base["content"][1], e))
            if base["source"] is None and a.source is not None:
                base["source"] = (a.source.start, a.source.end)
            continue
        if cue is not None:
            by_cue[cue] = None  # placeholder, set below
        rec = {"content": (s, e),
               "source": (a.source.start, a.source.end) if a.source is not None else None,
               "cue": cue}
        if cue is not None:
            by_cue[cue] = rec
        out.append(rec)
    return out


def _with_marks(text: str, s: int, e: int) -> tuple[int, int]:
    i = s
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    if i > 1 and text[i - 2:i] == "''":
        s = i - 2
    elif i > 0 and text[i - 1] in QUOTE_CHARS:
        s = i - 1
    j = e
    while j < len(text) and text[j] in " \t":
        j += 1
    if text[j:j + 2] == "''":
        e = j + 2
    elif j < len(text) and text[j] in QUOTE_CHARS:
        e = j + 1
    return s, e


def textacy_predict(text: str, doc) -> tuple[list[dict], int]:
    """textacy's direct quotations, run per paragraph (a paragraph is a line); failures counted."""
    from textacy.extract.triples import direct_quotations

    out, failures = [], 0
    start = 0
    for para in text.split("\n"):
        p_start, p_end = start, start + len(para)
        start = p_end + 1
        if not para.strip():
            continue
        span = doc.char_span(p_start, p_end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        sub = span.as_doc()
        off = span.start_char
        try:
            triples = list(direct_quotations(sub))
        except Exception:  # textacy refuses e.g. odd numbers of quotation marks
            failures += 1
            continue
        for tr in triples:
            content = (tr.content.start_char + off, tr.content.end_char + off) if len(tr.content) else None
            if content is None:
                continue
            sp = _tok_extent(tr.speaker, off)
            cue = _tok_extent(tr.cue, off)
            out.append({"content": content, "source": sp, "cue": cue})
    return out, failures


def _tok_extent(toks, off: int) -> Span3:
    toks = list(toks or [])
    if not toks:
        return None
    return min(t.idx for t in toks) + off, max(t.idx + len(t.text) for t in toks) + off


# --------------------------------------------------------------------------
# scoring


def _tokens(text: str, span: tuple[int, int]) -> set[tuple[int, int]]:
    s, e = span
    return {(m.start() + s, m.end() + s) for m in _TOK.finditer(text[s:e])}


def _overlaps(a: Span3, b: Span3) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


class Score:
    def __init__(self) -> None:
        self.n_pred = self.n_gold = self.exact = self.matched = 0
        self.pair_f1 = 0.0
        self.source_ok = self.cue_ok = 0

    def add(self, text: str, pred: list[dict], gold: list[dict]) -> None:
        self.n_pred += len(pred)
        self.n_gold += len(gold)
        gold_spans = [g["content"] for g in gold]
        remaining = list(gold_spans)
        for p in pred:
            if p["content"] in remaining:
                remaining.remove(p["content"])
                self.exact += 1
        ptoks = [_tokens(text, p["content"]) for p in pred]
        gtoks = [_tokens(text, g["content"]) for g in gold]
        pairs = []
        for i, pt in enumerate(ptoks):
            for j, gt in enumerate(gtoks):
                if not _overlaps(pred[i]["content"], gold[j]["content"]):
                    continue
                shared = len(pt & gt)
                if shared:
                    pairs.append((shared, i, j))
        pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
        used_p, used_g = set(), set()
        for shared, i, j in pairs:
            if i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
            self.matched += 1
            prec = shared / len(ptoks[i])
            rec = shared / len(gtoks[j])
            self.pair_f1 += 2 * prec * rec / (prec + rec)
            ps, gs = pred[i]["source"], gold[j]["source"]
            if (ps is None and gs is None) or _overlaps(ps, gs):
                self.source_ok += 1
            pc, gc = pred[i]["cue"], gold[j]["cue"]
            if (pc is None and gc is None) or _overlaps(pc, gc):
                self.cue_ok += 1

    def metrics(self) -> dict:
        def prf(tp, npred, ngold):
            p = tp / npred if npred else 0.0
            r = tp / ngold if ngold else 0.0
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        ep, er, ef = prf(self.exact, self.n_pred, self.n_gold)
        op, orr, of = prf(self.matched, self.n_pred, self.n_gold)
        m = self.matched
        return {"exact_p": ep, "exact_r": er, "exact_f1": ef,
                "overlap_p": op, "overlap_r": orr, "overlap_f1": of,
                "pair_token_f1": self.pair_f1 / m if m else 0.0,
                "source_acc": self.source_ok / m if m else 0.0,
                "cue_acc": self.cue_ok / m if m else 0.0,
                "n_pred": self.n_pred, "n_gold": self.n_gold}


def _is_quote(text: str, span: tuple[int, int]) -> bool:
    return any(c in text[span[0]:span[1]] for c in '"“”')


def score_all(docs: list[dict], preds: list[list[dict]]) -> dict:
    all_s, q_s = Score(), Score()
    for d, pred in zip(docs, preds):
        text = d["text"]
        all_s.add(text, pred, d["gold"])
        q_s.add(text, [p for p in pred if _is_quote(text, p["content"])],
                [g for g in d["gold"] if _is_quote(text, g["content"])])
    out = all_s.metrics()
    out["quote"] = q_s.metrics()
    return out


# --------------------------------------------------------------------------
# command


def command(
    data: Optional[Path] = typer.Option(None, "--data", help=f"PolNeAR-layout split (default: shared {DEFAULT})"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
    predictions: Optional[Path] = typer.Option(None, "--predictions", help="write storyline's predictions (JSONL)"),
    limit: Optional[int] = typer.Option(None, "--limit", help="only the first N documents"),
) -> None:
    """Attribution (quote) extraction against PolNeAR; peer: textacy direct quotations."""
    from storyline.bench.common import emit, resolve_data, skip

    path = resolve_data(data, DEFAULT)
    if path is None:
        skip(f"quote data not found ({data or 'shared ' + DEFAULT})", as_json)
        return
    if not (path / "text").is_dir() or not (path / "attributions").is_dir():
        skip(f"{path} is not in PolNeAR layout (text/ and attributions/ expected)", as_json)
        return
    docs = load_split(path, limit)
    if not docs:
        skip(f"no annotated documents under {path}", as_json)
        return
    from storyline import nlp

    t0 = time.perf_counter()
    parsed = list(nlp.parse_many([d["text"] for d in docs]))
    parse_s = time.perf_counter() - t0

    t0, c0 = time.perf_counter(), time.process_time()
    ours = [storyline_predict(d["text"], doc) for d, doc in zip(docs, parsed)]
    ours_s, ours_cpu = time.perf_counter() - t0, time.process_time() - c0

    peers: dict[str, dict] = {}
    try:
        import textacy.extract.triples  # noqa: F401
    except Exception as exc:  # pragma: no cover - depends on the environment
        peers["textacy"] = {"error": f"textacy unavailable: {exc.__class__.__name__}: {exc}"}
    else:
        t0, c0 = time.perf_counter(), time.process_time()
        theirs, fails = [], 0
        for d, doc in zip(docs, parsed):
            p, f = textacy_predict(d["text"], doc)
            theirs.append(p)
            fails += f
        peer_s, peer_cpu = time.perf_counter() - t0, time.process_time() - c0
        peers["textacy"] = score_all(docs, theirs)
        peers["textacy"]["failed_paragraphs"] = fails
        peers["textacy"]["docs_per_s"] = len(docs) / peer_s if peer_s else 0.0
        peers["textacy"]["cpu_docs_per_s"] = len(docs) / peer_cpu if peer_cpu else 0.0

    metrics = score_all(docs, ours)
    metrics["docs_per_s"] = len(docs) / ours_s if ours_s else 0.0
    metrics["cpu_docs_per_s"] = len(docs) / ours_cpu if ours_cpu else 0.0  # CPU time: steadier on a busy machine
    metrics["parse_docs_per_s"] = len(docs) / parse_s if parse_s else 0.0
    metrics["split"] = str(path)

    if predictions is not None:
        try:
            with predictions.open("w", encoding="utf-8") as fh:
                for d, pred in zip(docs, ours):
                    fh.write(json.dumps({"doc": d["name"], "attributions": [
                        {"source": list(p["source"]) if p["source"] else None,
                         "cue": list(p["cue"]) if p["cue"] else None,
                         "content": list(p["content"])} for p in pred]}) + "\n")
        except OSError as exc:
            raise SystemExit(f"cannot write predictions to {predictions}: {exc}")

    result = {"storyline": metrics, "peers": peers, "n": len(docs)}
    if as_json:
        emit(result, True, "quotes")
        return
    keys = ["exact_f1", "overlap_f1", "pair_token_f1", "source_acc", "cue_acc", "overlap_p", "overlap_r",
            "docs_per_s"]
    emit(result, False, "quotes: all attributions", keys)
    quote = {"storyline": metrics["quote"], "peers": {k: v.get("quote", {}) for k, v in peers.items()},
             "n": len(docs)}
    emit(quote, False, "quotes: content in quotation marks", keys[:-1])
