"""Train storyline's plain-text line classifier and write src/storyline/data/clean/line_model.json.

    python scripts/train_boilerplate.py [--data ../shared/data/extraction/wcxb-dev] [--limit N] [--c 1.0]

Pages of WCXB-dev in the *train* domain split only (sha1(domain) mod 4 != 0, see
storyline.bench.extraction.domain_split) are rendered WET-style (one visible block per line); each line is
labelled body/boilerplate from the gold main content (storyline.bench.plaintext.label_lines); the features
are storyline.clean.plaintext.line_features.  A logistic regression (scikit-learn, balanced classes) is fitted
and saved as plain JSON (feature means/scales, coefficients, threshold), so no pickle is shipped.  The
threshold is chosen on a held-out quarter of the train domains.  Report on the test split with
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
            X.append(f + [f[idx[a]] * f[idx[b]] for a, b in INTERACTIONS])
            y.append(int(labels[i]))
            dom.append(domain_split((p.domain or "") + "#dev"))
    X, y = np.array(X), np.array(y)
    dev = np.array([d == "test" for d in dom])
    scaler = StandardScaler().fit(X[~dev])
    clf = LogisticRegression(C=args.c, max_iter=2000, class_weight="balanced").fit(scaler.transform(X[~dev]), y[~dev])
    probs = clf.predict_proba(scaler.transform(X[dev]))[:, 1]
    best = (0.0, 0.5)
    for t in np.arange(0.2, 0.9, 0.02):
        pred = probs >= t
        tp = (pred & (y[dev] == 1)).sum(); fp = (pred & (y[dev] == 0)).sum(); fn = (~pred & (y[dev] == 1)).sum()
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        best = max(best, (f1, float(t)))
    print(f"{len(pages)} train-domain pages, {len(y)} lines ({y.mean():.2f} boilerplate); "
          f"dev-domain line F1 {best[0]:.3f} at threshold {best[1]:.2f}")
    scaler = StandardScaler().fit(X)
    clf = LogisticRegression(C=args.c, max_iter=2000, class_weight="balanced").fit(scaler.transform(X), y)
    names = plaintext.FEATURES + [f"{a}*{b}" for a, b in INTERACTIONS]
    spec = {
        "_comment": "Fitted by scripts/train_boilerplate.py on WCXB-dev train-domain pages; logistic regression "
                    "over storyline.clean.plaintext.line_features (label 1 = boilerplate).",
        "features": names, "interactions": INTERACTIONS,
        "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
        "coef": clf.coef_[0].tolist(), "intercept": float(clf.intercept_[0]), "threshold": best[1],
        "trained_on": {"data": "WCXB-dev", "split": "train (sha1(domain) % 4 != 0)", "pages": len(pages),
                       "lines": int(len(y))},
    }
    out = ROOT / "src" / "storyline" / "data" / "clean" / "line_model.json"
    out.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
