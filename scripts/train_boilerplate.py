"""Train storyline's plain-text line classifier and write src/storyline/data/clean/line_model.json.

    python scripts/train_boilerplate.py [--data ../shared/data/extraction/wcxb-dev] [--model trees|logistic]
                                        [--limit N] [--c 1.0] [--iters 200]
                                        [--min-leaf 200] [--l2 1.0]

The shipped model: `python scripts/train_boilerplate.py` (all train-domain pages, gradient-boosted trees).

Pages of WCXB-dev in the *train* domain split only (sha1(domain) mod 4 != 0, see
storyline.bench.extraction.domain_split) are rendered WET-style (one visible block per line); each line is
labelled body/boilerplate from the gold main content (storyline.bench.plaintext.label_lines); the features
are storyline.clean.plaintext.line_features.  `--model trees` (default) fits scikit-learn's
HistGradientBoostingClassifier and exports every tree node (feature, threshold, children, leaf value) to plain
JSON, evaluated at run time with numpy (storyline.clean.plaintext.LineModel), so no pickle is shipped and no
scikit-learn version pin is needed; `--model logistic` fits a logistic regression (balanced classes) saved as
feature means/scales and coefficients.  The threshold is chosen on a held-out quarter of the train domains
(sha1(domain + "#dev") mod 4 == 0) with a model fitted on the other three quarters; the shipped model is then
refitted on all train-domain pages.  Report on the test split with
`storyline bench plaintext --split test`, and on AEB as out-of-domain.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

INTERACTIONS = [("short8", "prose_after"), ("short8", "prose_before"), ("sent_end", "log_words"),
                ("pos", "short8"), ("stop_ratio", "log_words"), ("upper_init_ratio", "short8")]


def main() -> None:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from storyline.bench.common import shared_data
    from storyline.bench.extraction import domain_split, load_pages
    from storyline.bench.plaintext import label_lines
    from storyline.clean import plaintext
    from storyline.clean.render import wet_lines

    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--c", type=float, default=1.0)
    ap.add_argument("--model", choices=["trees", "logistic"], default="trees")
    ap.add_argument("--iters", type=int, default=200)
    ap.add_argument("--min-leaf", type=int, default=200)
    ap.add_argument("--l2", type=float, default=1.0)
    args = ap.parse_args()
    data = args.data or (shared_data() / "extraction" / "wcxb-dev")
    pages, _, layout = load_pages(data, None, "train")
    if args.limit:
        pages = pages[: args.limit]
    random.Random(7).shuffle(pages)
    idx = {k: i for i, k in enumerate(plaintext.FEATURES)}
    X, y, dom = [], [], []
    for p in pages:
        lines = wet_lines(p.html)
        labels = label_lines(lines, p.gold)
        keep = [i for i, g in enumerate(labels) if g is not None]
        if not keep:
            continue
        lines2 = [lines[i] for i in keep]
        feats = plaintext.line_features(lines2)
        for f, i in zip(feats, keep):
            X.append(f + ([f[idx[a]] * f[idx[b]] for a, b in INTERACTIONS] if args.model == "logistic" else []))
            y.append(int(labels[i]))
            dom.append(domain_split((p.domain or "") + "#dev"))
    X, y = np.array(X), np.array(y)
    dev = np.array([d == "test" for d in dom])

    def fit(Xf, yf):
        if args.model == "trees":
            from sklearn.ensemble import HistGradientBoostingClassifier

            clf = HistGradientBoostingClassifier(max_iter=args.iters, learning_rate=0.1, max_leaf_nodes=31,
                                                 min_samples_leaf=args.min_leaf, l2_regularization=args.l2,
                                                 early_stopping=False, random_state=0).fit(Xf, yf)
            return None, clf
        scaler = StandardScaler().fit(Xf)
        clf = LogisticRegression(C=args.c, max_iter=2000, class_weight="balanced").fit(scaler.transform(Xf), yf)
        return scaler, clf

    def proba(scaler, clf, Xf):
        return clf.predict_proba(scaler.transform(Xf) if scaler is not None else Xf)[:, 1]

    scaler, clf = fit(X[~dev], y[~dev])
    probs = proba(scaler, clf, X[dev])
    best = (0.0, 0.5)
    for t in np.arange(0.2, 0.9, 0.02):
        pred = probs >= t
        tp = (pred & (y[dev] == 1)).sum(); fp = (pred & (y[dev] == 0)).sum(); fn = (~pred & (y[dev] == 1)).sum()
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        best = max(best, (f1, round(float(t), 2)))
    print(f"{len(pages)} train-domain pages, {len(y)} lines ({y.mean():.2f} boilerplate); "
          f"dev-domain line F1 {best[0]:.3f} at threshold {best[1]:.2f} ({args.model})")
    scaler, clf = fit(X, y)
    trained_on = {"data": "WCXB-dev", "split": "train (sha1(domain) % 4 != 0)", "pages": len(pages),
                  "lines": int(len(y)), "dev_quarter_line_f1": round(best[0], 4)}
    if args.model == "trees":
        import sklearn

        tree = {"feature": [], "threshold": [], "left": [], "right": [], "value": [], "leaf": [], "roots": []}
        max_depth = 0
        for (pred,) in clf._predictors:
            off = len(tree["feature"])
            tree["roots"].append(off)
            for nd in pred.nodes:
                leaf = bool(nd["is_leaf"])
                tree["feature"].append(0 if leaf else int(nd["feature_idx"]))
                tree["threshold"].append(0.0 if leaf else float(nd["num_threshold"]))
                tree["left"].append(off + int(nd["left"]) if not leaf else 0)
                tree["right"].append(off + int(nd["right"]) if not leaf else 0)
                tree["value"].append(float(nd["value"]) if leaf else 0.0)
                tree["leaf"].append(int(leaf))
                max_depth = max(max_depth, int(nd["depth"]))
        tree["max_depth"] = max_depth
        spec = {
            "_comment": "Fitted by scripts/train_boilerplate.py on WCXB-dev train-domain pages; gradient-boosted "
                        "trees (sklearn HistGradientBoostingClassifier, exported node by node) over "
                        "storyline.clean.plaintext.line_features (label 1 = boilerplate).",
            "kind": "trees", "features": list(plaintext.FEATURES), "threshold": best[1],
            "baseline": float(np.ravel(clf._baseline_prediction)[0]), "trees": tree,
            "fitted_with": f"scikit-learn {sklearn.__version__}", "trained_on": trained_on,
        }
        # the exported trees must give scikit-learn's own probabilities
        check = plaintext.LineModel(spec).predict_many(X[:2000].tolist())
        assert np.allclose(check, clf.predict_proba(X[:2000])[:, 1], atol=1e-6), "tree export mismatch"
        text = json.dumps(spec, separators=(",", ":"))
    else:
        names = plaintext.FEATURES + [f"{a}*{b}" for a, b in INTERACTIONS]
        spec = {
            "_comment": "Fitted by scripts/train_boilerplate.py on WCXB-dev train-domain pages; logistic regression "
                        "over storyline.clean.plaintext.line_features (label 1 = boilerplate).",
            "kind": "logistic", "features": names, "interactions": INTERACTIONS,
            "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
            "coef": clf.coef_[0].tolist(), "intercept": float(clf.intercept_[0]), "threshold": best[1],
            "trained_on": trained_on,
        }
        text = json.dumps(spec, indent=1)
    out = ROOT / "src" / "storyline" / "data" / "clean" / "line_model.json"
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
