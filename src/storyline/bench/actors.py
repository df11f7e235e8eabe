"""`storyline bench actors`: the NGEC actor-resolution cases (events/actors/ngec-actor-dev.jsonl).

Each record is one call of NGEC's actor resolver with its expected values. storyline answers each
call with its own API:

* ``agent_to_code(text, context, date, known_country=)`` -> :func:`storyline.actors.resolve_detail`
* ``short_text_to_agent(text)``                           -> the same, without context
* ``search_nat(text)``                                    -> :func:`storyline.actors.search_nat` (cc, rest)
* ``find_co_actors(qa, doc)``                             -> :func:`storyline.actors.find_co_actors` on the phrase
* ``query_wiki`` / ``trf_agent_match`` and the ``wiki``, ``title``, ``actor_wiki_job``, ``len(intro_para)``
  expectations need a Wikipedia index storyline does not have: they are reported apart (``wiki_only``), never as
  failures; a record's other expectations are still scored.

Which records count (the headline figures): every record pytest actually collected upstream — skip/xfail-marked
records are kept (they are real expectations upstream fails), records from functions pytest never collects
(``pytest_collected: false``) and ``shadowed`` records (replaced by a later function of the same name) are left
out, because upstream never ran them. ``all_records`` gives the same metrics over every record.

Dates: a call without a date, or with "today", is answered at ``--today``: by default the cases' vintage (the
latest date any case passes as its query date, 2022-10-20 for the shipped file), because an upstream test that asks
for "today" describes the world on the day it was written (a leader then in office is GOV, not ELI); ``--today now``
answers at the real date instead.

Scoring conventions: an expectation of ``country == ""`` or ``code_1 == ""`` (NGEC found no country / no sector)
holds when storyline returns no actor, since both answers say "none"; ``None``/``_result`` expectations are scored
as written. Country codes are compared as strings, so the PLOVER specials (IGO, UNO, EUR, XKX) must match exactly.

Metrics: ``country_acc`` over records expecting ``country``; ``sector_acc`` over records expecting ``code_1``;
``pass_rate`` = records whose every non-Wikipedia expectation holds, over records with at least one such
expectation; ``by_call`` the pass rate per call type. With ``--mentions FILE`` (the cameo-ner CoNLL file) it also
reports how many gold actor spans ``annotate`` covers (``mention_coverage``); that file is used for development
checks of ``annotate`` only, nothing is trained on it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import typer

WIKI_KEYS = {"wiki", "title", "actor_wiki_job", "len(intro_para)"}
WIKI_CALLS = {"query_wiki", "trf_agent_match"}


def _call_date(rec: dict[str, Any]) -> Any:
    args = list(rec.get("args", []))
    kw = dict(rec.get("kwargs", {}))
    return args[2] if len(args) > 2 else kw.get("query_date", kw.get("date"))


def vintage(records: list[dict[str, Any]]) -> Optional[str]:
    """The latest date any record passes as its query date: the cases were written on or after it, so it is
    the "today" their undated expectations describe (read from the calls' arguments, never the expectations)."""
    from storyline.actors.resolve import normalize_date

    days = [normalize_date(str(d)) for d in (_call_date(r) for r in records)
            if d and str(d).strip().lower() != "today"]
    return max(days) if days else None


def _answer(rec: dict[str, Any], nlp, today: Optional[str] = None) -> Any:
    from storyline.actors import find_co_actors, resolve_detail, search_nat

    call = rec["call"]
    args = list(rec.get("args", []))
    kw = dict(rec.get("kwargs", {}))
    if call in ("agent_to_code", "short_text_to_agent"):
        text = args[0] if args else kw.get("text", "")
        context = args[1] if len(args) > 1 else kw.get("context", "")
        date = _call_date(rec)
        if today and (not date or str(date).strip().lower() == "today"):
            date = today
        known = kw.get("known_country")
        res = resolve_detail(str(text or ""), str(context or ""), str(date) if date else None, known or None)
        if res.actor is None:
            return None
        a = res.actor
        return {"country": a.country or "", "code_1": a.sector or "", "code_2": a.sector_2 or "",
                "pattern": res.pattern or "", "name": a.name}
    if call == "search_nat":
        cc, rest = search_nat(str(args[0] if args else kw.get("text", "")))
        return {"cc": cc or "", "text": rest}
    if call == "find_co_actors":
        text = kw.get("text", "")
        phrase = kw.get("actor_phrase", "")
        start = text.find(phrase)
        if start < 0:
            return []
        if nlp is None:
            from storyline import nlp as nlp_stage
            nlp = nlp_stage.load()
        doc = nlp(text)
        return [{"text": t} for _, _, t in find_co_actors(text, start, start + len(phrase), doc)]
    return None


def _value(result: Any, key: str) -> Any:
    if key == "_result":
        return result
    if key.startswith("set(") and key.endswith(")"):
        inner = key[4:-1]
        return sorted({r.get(inner) for r in (result or [])})
    if key.startswith("len(") and key.endswith(")"):
        v = _value(result, key[4:-1])
        return len(v) if v is not None else 0
    if isinstance(result, dict):
        return result.get(key)
    return None


def _holds(got: Any, op: str, want: Any) -> bool:
    if op == "==":
        return got == want
    if op == "!=":
        return got != want
    if op == "is":
        return got is want or got == want
    if op == "in":
        return got in (want or [])
    if op == ">":
        return got is not None and got > want
    if op == "set==":
        return sorted(got or []) == sorted(want or [])
    if op == "falsy":
        return not got
    return False


def score(records: list[dict[str, Any]], today: Optional[str] = None) -> dict[str, Any]:
    nlp = None
    n_country = ok_country = n_sector = ok_sector = 0
    n_scored = n_pass = 0
    wiki_only = 0
    by_call: dict[str, dict[str, Any]] = {}
    failures = []
    for rec in records:
        call = rec["call"]
        bc = by_call.setdefault(call, {"n": 0, "scored": 0, "passed": 0, "wiki_only": 0})
        bc["n"] += 1
        expect = rec.get("expect", {})
        ops = rec.get("ops", {})
        keys = [k for k in expect if k not in WIKI_KEYS]
        if call in WIKI_CALLS or not keys:
            wiki_only += 1
            bc["wiki_only"] += 1
            continue
        try:
            result = _answer(rec, nlp, today)
        except Exception as exc:  # a crash on one case is a failure, not the end of the bench
            result = {"error": f"{exc.__class__.__name__}: {exc}"}
        ok_all = True
        for k in keys:
            op = ops.get(k, "==")
            want = expect[k]
            got = _value(result, k)
            if k in ("country", "code_1") and result is None and want == "":
                # NGEC returns a record with country/code_1 "" where it finds no country/sector; storyline
                # returns no actor at all. Both say "none": an expectation of "" holds for an empty answer.
                got = ""
            ok = _holds(got, op, want)
            if k == "country":
                n_country += 1
                ok_country += ok
            if k == "code_1":
                n_sector += 1
                ok_sector += ok
            ok_all &= ok
        n_scored += 1
        n_pass += ok_all
        bc["scored"] += 1
        bc["passed"] += ok_all
        if not ok_all:
            failures.append({"id": rec["id"], "call": call})
    for bc in by_call.values():
        bc["pass_rate"] = bc["passed"] / bc["scored"] if bc["scored"] else None
    return {
        "country_acc": ok_country / n_country if n_country else None,
        "sector_acc": ok_sector / n_sector if n_sector else None,
        "pass_rate": n_pass / n_scored if n_scored else None,
        "n_country": n_country, "n_sector": n_sector, "n_scored": n_scored, "wiki_only": wiki_only,
        "by_call": by_call,
        "_failures": failures,
    }


def load_records(path: Path) -> list[dict[str, Any]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                out.append(json.loads(line))
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc})") from None
    return out


def mention_coverage(path: Path, limit: Optional[int] = None) -> dict[str, Any]:
    """How many gold actor spans of a CoNLL file with S/T/R BIO tags (events/cameo-ner) ``annotate`` covers
    with some mention, and how many of its mentions fall outside every gold span (gold marks only the source
    and target of one event per sentence, so these are not all errors)."""
    from storyline import nlp as nlp_stage
    from storyline.actors import annotate
    from storyline.model import Article

    sents: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            cur.append((parts[0], parts[-1]))
    if cur:
        sents.append(cur)
    if limit:
        sents = sents[:limit]
    nlp = nlp_stage.load()
    gold = covered = n_ment = outside = 0
    for toks in sents:
        text, offs = "", []
        for w, _ in toks:
            if text:
                text += " "
            offs.append((len(text), len(text) + len(w)))
            text += w
        spans, st = [], None
        for i, (_, tag) in enumerate(toks):
            if tag.startswith("B-") or (tag.startswith("I-") and st is None):
                if st is not None:
                    spans.append((st, i))
                st = i
            elif tag == "O" and st is not None:
                spans.append((st, i))
                st = None
        if st is not None:
            spans.append((st, len(toks)))
        chars = [(offs[a][0], offs[b - 1][1]) for a, b in spans]
        actors = annotate(Article(id="x", document_id="x", text=text), nlp(text))
        ments = [(m.start, m.end) for a in actors for m in a.mentions]
        gold += len(chars)
        covered += sum(1 for cs, ce in chars if any(ms < ce and me > cs for ms, me in ments))
        n_ment += len(ments)
        outside += sum(1 for ms, me in ments if not any(cs < me and ce > ms for cs, ce in chars))
    return {"mention_coverage": covered / gold if gold else None,
            "mentions_outside_gold": outside / n_ment if n_ment else None,
            "mention_sentences": len(sents), "gold_spans": gold}


def counted(rec: dict[str, Any]) -> bool:
    return rec.get("pytest_collected", True) is not False and not rec.get("shadowed", False)


SPLITS = ("all", "analysis", "heldout")


def split_of(rec: dict[str, Any]) -> str:
    """``analysis`` or ``heldout``: a fixed half by the parity of sha256 of the record's test group.

    The group (the test function without its parametrize/loop suffix) keeps variants of one test together, so
    no held-out record is a near copy of an analysed one. sha256 of the group, not sha1 of the id: the ids' sha1
    values are almost all even (178 of the 184 counted records), which would leave no held-out half."""
    import hashlib

    h = int(hashlib.sha256(str(rec.get("group") or rec.get("id", "")).encode("utf-8")).hexdigest(), 16)
    return "analysis" if h % 2 == 0 else "heldout"


def command(
    data: Optional[Path] = typer.Option(None, "--data", help="NGEC actor cases (JSON Lines)"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
    limit: Optional[int] = typer.Option(None, "--limit", help="score only the first N records"),
    show_failures: bool = typer.Option(False, "--failures", help="list failing record ids"),
    today: str = typer.Option("vintage", "--today",
                              help="the date of undated and 'today' calls: vintage (the latest date any case "
                                   "passes, i.e. when the cases were written), now (the real date), or YYYY-MM-DD"),
    split: str = typer.Option("all", "--split",
                              help="headline records: all | analysis (the half used for error analysis) | "
                                   "heldout (the other half); the JSON carries all three under 'splits', "
                                   "except with --split analysis, which shows that half only"),
    mentions: Optional[Path] = typer.Option(None, "--mentions",
                                            help="also score mention coverage on a CoNLL S/T/R file "
                                                 "(e.g. events/cameo-ner/train.txt)"),
) -> None:
    """Actor resolution on the NGEC cases: country and sector accuracy, pass rate per call type."""
    from storyline.bench.common import emit, fail, resolve_data, skip

    path = resolve_data(data, "events/actors/ngec-actor-dev.jsonl")
    if path is None:
        skip(f"actor cases not found ({data or 'events/actors/ngec-actor-dev.jsonl under the shared data'})", as_json)
        return
    try:
        records = load_records(path)
    except (OSError, ValueError) as exc:
        fail(f"cannot read actor cases {path}: {exc}", as_json, 1)
    if limit:
        records = records[:limit]
    if split not in SPLITS:
        fail(f"--split must be one of {', '.join(SPLITS)} (got {split!r})", as_json, 2)
    if today == "vintage":
        ref_day = vintage(records)
    elif today == "now":
        ref_day = None
    else:
        import datetime as _dt
        try:
            ref_day = _dt.date.fromisoformat(today.strip()).isoformat()
        except ValueError:
            fail(f"--today must be vintage, now or a YYYY-MM-DD date (got {today!r})", as_json, 2)
    counted_recs = [r for r in records if counted(r)]
    halves = {name: [r for r in counted_recs if split_of(r) == name] for name in ("analysis", "heldout")}
    main = counted_recs if split == "all" else halves[split]
    s = score(main, ref_day)
    s["split"] = split
    s["today"] = ref_day or "now"
    s["splits"] = {}
    # --split analysis is the iterating view: it shows the analysis half only, never "all" or the record-level
    # totals beside it (held-out = all - analysis could be worked out from them)
    shown = (("analysis", halves["analysis"]),) if split == "analysis" else (("all", counted_recs), *halves.items())
    for name, recs in shown:
        part = s if recs is main else score(recs, ref_day)
        s["splits"][name] = {k: part[k] for k in ("country_acc", "sector_acc", "pass_rate", "n_country", "n_sector",
                                                 "n_scored")}
        s["splits"][name]["by_call"] = {c: {"scored": bc["scored"], "passed": bc["passed"]}
                                        for c, bc in part["by_call"].items() if bc["scored"]}
    failures = s.pop("_failures")
    if split != "analysis":
        everything = score(records, ref_day)
        everything.pop("_failures")
        s["all_records"] = {k: everything[k] for k in ("country_acc", "sector_acc", "pass_rate", "n_country",
                                                       "n_sector", "n_scored")}
        s["all_records"]["n"] = len(records)
    if mentions is not None:
        if not mentions.exists():
            skip(f"mention file not found: {mentions}", as_json)
            return
        s.update(mention_coverage(mentions, limit))
    result = {"storyline": s, "peers": {}, "n": len(main)}
    if show_failures and not as_json:
        if split != "analysis":
            print("(failures are listed for the analysis half only; pass --split analysis)")
            failures = []
        for f in failures:
            print(f"FAIL {f['call']}: {f['id']}")
    keys = ["country_acc", "sector_acc", "pass_rate", "n_country", "n_sector", "n_scored", "wiki_only", "today"]
    if mentions is not None:
        keys += ["mention_coverage", "mentions_outside_gold", "gold_spans"]
    emit(result, as_json, "NGEC actor cases", keys=keys)
    if not as_json:
        from rich.console import Console
        from rich.table import Table

        t = Table(title="by call")
        for c in ("call", "n", "scored", "passed", "pass_rate", "wiki_only"):
            t.add_column(c)
        for call, bc in sorted(s["by_call"].items()):
            pr = bc["pass_rate"]
            t.add_row(call, str(bc["n"]), str(bc["scored"]), str(bc["passed"]),
                      "—" if pr is None else f"{pr:.3f}", str(bc["wiki_only"]))
        Console().print(t)
        t = Table(title="splits (counted records; sha256(group) parity)")
        for c in ("split", "country_acc", "sector_acc", "pass_rate", "n_country", "n_sector", "n_scored"):
            t.add_column(c)
        for name, part in s["splits"].items():
            t.add_row(name, *("—" if part[k] is None else (f"{part[k]:.3f}" if isinstance(part[k], float)
                                                            else str(part[k]))
                              for k in ("country_acc", "sector_acc", "pass_rate", "n_country", "n_sector",
                                        "n_scored")))
        Console().print(t)
