"""Fit the quotes stage's learned cue lexicon on PolNeAR *train* (never dev).

For every verb and noun lemma in the training texts, count how often a token with that lemma sits
inside a gold Cue span and how often it occurs at all.  Lemmas that are cues often enough become
cues of the stage (``storyline/data/quotes/cue_stats.tsv``: lemma, pos, cue count, total, rate).

    python scripts/train_quotes.py [--data ../shared/data/quotes/polnear/train] [--limit 300]

The hand-written lexicon (``cues.tsv``) stays; the fitted table only adds lemmas with
rate >= 0.35 and at least 4 cue occurrences (the thresholds live in ``storyline.quotes.cues``).
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

from storyline import nlp
from storyline.bench.common import shared_data
from storyline.bench.quotes import load_split

OUT = Path(__file__).resolve().parent.parent / "src" / "storyline" / "data" / "quotes" / "cue_stats.tsv"
OUT_PREP = OUT.with_name("cue_preps.tsv")


def cue_spans(ann_path_doc: dict) -> list[tuple[int, int]]:
    return [g["cue"] for g in ann_path_doc["gold"] if g.get("cue")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--limit", type=int, default=300)
    args = ap.parse_args()
    data = args.data
    if data is None:
        root = shared_data()
        if root is None:
            raise SystemExit("shared data not found; pass --data DIR (PolNeAR train split)")
        data = root / "quotes" / "polnear" / "train"
    if data.name != "train":
        raise SystemExit(f"{data}: fit on the train split only")
    docs = load_split(data)
    step = max(1, len(docs) // args.limit)
    docs = docs[::step][: args.limit]
    cue = collections.Counter()
    total = collections.Counter()
    pcue = collections.Counter()
    ptotal = collections.Counter()
    model = nlp.load()
    for d, doc in zip(docs, model.pipe((d["text"] for d in docs), batch_size=16)):
        spans = sorted(cue_spans(d))
        for t in doc:
            if t.dep_ == "prep" and t.head.pos_ in ("VERB", "NOUN", "ADJ") and t.i > t.head.i \
                    and any(c.dep_ in ("pobj", "pcomp") for c in t.children):
                pkey = (t.head.lemma_.lower(), t.lower_)
                ptotal[pkey] += 1
                if any(s <= t.idx < e and s <= t.head.idx < e for s, e in spans):
                    pcue[pkey] += 1
            if t.pos_ not in ("VERB", "NOUN"):
                continue
            key = (t.lemma_.lower(), t.pos_)
            total[key] += 1
            if any(s <= t.idx < e for s, e in spans):
                cue[key] += 1
    rows = []
    for key, n in total.items():
        c = cue.get(key, 0)
        if c >= 2:
            rows.append((key[0], key[1], c, n, c / n))
    rows.sort(key=lambda r: (-r[4], -r[2]))
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write(f"# fitted by scripts/train_quotes.py on {len(docs)} PolNeAR train documents\n")
        fh.write("# lemma\tpos\tcue_count\ttotal\trate\n")
        for r in rows:
            fh.write(f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4]:.3f}\n")
    prow = sorted(((k[0], k[1], c, ptotal[k], c / ptotal[k]) for k, c in pcue.items() if c >= 2),
                  key=lambda r: (-r[4], -r[2]))
    with OUT_PREP.open("w", encoding="utf-8") as fh:
        fh.write(f"# fitted by scripts/train_quotes.py on {len(docs)} PolNeAR train documents\n")
        fh.write("# head lemma\tpreposition\tcue_count\ttotal\trate\n")
        for r in prow:
            fh.write(f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4]:.3f}\n")
    print(f"wrote {len(rows)} lemmas to {OUT}, {len(prow)} head+preposition pairs to {OUT_PREP}")


if __name__ == "__main__":
    main()
