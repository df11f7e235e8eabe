#!/usr/bin/env python
"""Fit the event-type classifiers shipped as package data (src/storyline/data/events/classifier_*.pkl).

Trains on the shared PLV_train (../shared/data/events/plv/PLV_train.tsv, or --data FILE), using only
the columns uid, sentence_id, marked_sentence, gold_root.  Writes the light model (TF-IDF + parse
path + lexicon features, no torch) and, when torch + the packaged MiniLM are installed, the MiniLM
one as well.  Figures: ``storyline bench events --cv 5`` (held-out), not this script.

    python scripts/train_events.py [--data FILE] [--light-only]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from storyline.bench.common import resolve_data
from storyline.bench.events import DEFAULT, _plv_label, read_plv
from storyline.events import classify as C


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--light-only", action="store_true")
    args = ap.parse_args(argv)
    path = resolve_data(args.data, DEFAULT)
    if path is None:
        print(f"training data not found ({args.data or DEFAULT})", file=sys.stderr)
        return 2
    rows = read_plv(path)
    crow = [C.Row(r["uid"], r["sentence_id"], r["marked_sentence"] or r["sentence"], _plv_label(r["gold_root"]))
            for r in rows]
    feats = C.featurize(crow)
    labels = [r.label for r in crow]
    out_dir = Path(C.model_path("light")).parent
    out_dir.mkdir(parents=True, exist_ok=True)
    light = C.train(feats, labels, use_embeddings=False)
    C.save(light, out_dir / "classifier_light.pkl")
    print(f"wrote {out_dir / 'classifier_light.pkl'} ({len(rows)} rows)")
    if not args.light_only:
        if C.embedder() is None:
            print("MiniLM not installed: only the light model written", file=sys.stderr)
        else:
            emb = C.embed_feats(feats)
            m = C.train(feats, labels, use_embeddings=True, emb=emb)
            C.save(m, out_dir / "classifier_minilm.pkl")
            print(f"wrote {out_dir / 'classifier_minilm.pkl'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
