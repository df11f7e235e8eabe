"""Train storyline's title chooser and write src/storyline/data/clean/title_chooser.json.

    python scripts/train_title_chooser.py [--data ../shared/data/extraction/wcxb-dev] [--folds 5] [--dry-run]

What it decides: on a page where no <h1> agrees with the document title (og:title / twitter:title / <title>
with the site name stripped, or one of their segments), storyline.clean.metadata.page_title has two candidates,
the h1 closest in words to the document title and what the document titles say on their own.  The rule before
this model took the h1 when its word-Jaccard with a document title (or the URL slug) was at least 0.3.  The
chooser is a logistic regression over the features of metadata.title_pair_features (which sources agree,
containment and length ratios of the two, site-name and tagline segments, the URL slug, the h1's place in the
page…).

Data: only WCXB-dev pages of the *train* domain split (sha1(domain) mod 4 != 0,
storyline.bench.extraction.domain_split), and of those only the pages where exactly one of the two candidates
matches the gold title (bench.extraction.title_ok).  The script reports grouped cross-validation by domain
(GroupKFold: no domain is in both the fitting and the scoring part of a fold) for the rule and the chooser on
the same pairs, and writes the model only when the chooser beats the rule there (``--dry-run``: never writes).
The shipped model is then refitted on all those train-domain pairs.  Report on the held-out domains with
`storyline bench extraction --split test`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

OUT = ROOT / "src" / "storyline" / "data" / "clean" / "title_chooser.json"


def pairs(data: Path):
    from storyline.bench.extraction import load_pages, title_ok
    from storyline.clean import metadata, render

    pages, _, _ = load_pages(data, split="train")
    X, y, groups, rule = [], [], [], []
    for p in pages:
        if not p.title:
            continue
        try:
            tree = render.parse(p.html)
        except Exception:
            continue
        got = metadata.title_pair(tree, p.url)
        if not got:
            continue
        h1, (doc, _how), feats = got
        h_ok, d_ok = title_ok(h1, p.title, p.url), title_ok(doc, p.title, p.url)
        if h_ok == d_ok:
            continue
        X.append(feats)
        y.append(int(h_ok))
        groups.append(p.domain)
        rule.append(int(feats[0] >= 0.3))   # the rule: the h1 when its word-Jaccard score is at least 0.3
    return X, y, groups, rule


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "extraction" / "wcxb-dev")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--C", type=float, default=0.1)
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args(argv)

    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold
    from sklearn.preprocessing import StandardScaler

    from storyline.clean.metadata import TITLE_FEATURES

    X, y, groups, rule = pairs(a.data)
    X, y, rule = np.array(X, dtype=float), np.array(y), np.array(rule)
    print(f"train-domain pairs where exactly one candidate is the gold title: {len(y)} "
          f"(h1 right {int(y.sum())}, document title right {int(len(y) - y.sum())}), "
          f"{len(set(groups))} domains")
    oof = np.zeros(len(y))
    for fit, score in GroupKFold(n_splits=a.folds).split(X, y, groups):
        sc = StandardScaler().fit(X[fit])
        lr = LogisticRegression(C=a.C, max_iter=2000).fit(sc.transform(X[fit]), y[fit])
        oof[score] = lr.predict_proba(sc.transform(X[score]))[:, 1]
    rule_acc = float((rule == y).mean())
    chooser_acc = float(((oof >= 0.5) == y).mean())
    print(f"grouped {a.folds}-fold CV by domain: rule {rule_acc:.3f} ({int((rule == y).sum())}/{len(y)}), "
          f"chooser {chooser_acc:.3f} ({int(((oof >= 0.5) == y).sum())}/{len(y)})")
    if a.dry_run:
        return 0
    if chooser_acc <= rule_acc:
        print("the chooser does not beat the rule out of fold: nothing written")
        if OUT.exists():
            OUT.unlink()
        return 0
    sc = StandardScaler().fit(X)
    lr = LogisticRegression(C=a.C, max_iter=2000).fit(sc.transform(X), y)
    model = {
        "_about": "Logistic regression: P(the h1 is the title) where no h1 agrees with the document title. "
                  "Trained by scripts/train_title_chooser.py on WCXB-dev train-domain pages only "
                  f"({len(y)} pairs, {len(set(groups))} domains); grouped {a.folds}-fold CV by domain: "
                  f"rule {rule_acc:.3f}, chooser {chooser_acc:.3f}.",
        "features": TITLE_FEATURES,
        "mean": [round(float(v), 6) for v in sc.mean_],
        "scale": [round(float(v), 6) for v in sc.scale_],
        "coef": [round(float(v), 6) for v in lr.coef_[0]],
        "intercept": round(float(lr.intercept_[0]), 6),
        "threshold": 0.5,
    }
    OUT.write_text(json.dumps(model, indent=1) + "\n", "utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
