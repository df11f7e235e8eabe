"""Tests for the events stage (storyline.events) and its bench.

Unit tests build the earlier stages' records (Timex, Actor, Attribution) by hand over invented
sentences, so they test the events logic alone.  Tests marked "needs other stages" run the real
time/actors/quotes stages (and the full pipeline for the seed) and skip while those are absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storyline import nlp
from storyline.model import Actor, Article, Attribution, Mention, Span, Timex
from storyline.events import annotate
from storyline.events.cameo import plv_label, root_of, to_plover
from storyline.events.location import resolve_place

HERE = Path(__file__).parent


def _actor(text: str, aid: str, name: str, surfaces: list[str], country: str, sector: str = "GOV",
           kind: str = "country") -> Actor:
    mentions = []
    for s in surfaces:
        for m in re.finditer(re.escape(s), text):
            mentions.append(Mention(start=m.start(), end=m.end(), text=s, actor_id=aid))
    return Actor(id=aid, name=name, country=country, sector=sector, kind=kind, mentions=mentions)


def _timex(text: str, tid: str, surface: str, value: str, **kw) -> Timex:
    i = text.index(surface)
    return Timex(id=tid, start=i, end=i + len(surface), text=surface, value=value, **kw)


def _run(text: str, actors=(), timexes=(), attributions=(), published="2024-06-10"):
    art = Article(id="t", document_id="t", text=text, published=published, outlet="Invented Wire")
    doc = nlp.parse(text)
    return annotate(art, doc, list(timexes), list(actors), list(attributions))


CHILE = ("c1", "Chile", ["Chile", "Santiago"], "CHL")
PERU = ("c2", "Peru", ["Peru"], "PER")


def _cp(text):
    return [_actor(text, *CHILE), _actor(text, *PERU)]


def test_talks_with_date_place_and_both_actors():
    text = "Chile and Peru held talks in Lima on 4 March 2024 to settle their maritime dispute."
    evs = _run(text, _cp(text), [_timex(text, "t1", "4 March 2024", "2024-03-04")])
    consult = [e for e in evs if e.type == "CONSULT"]
    assert len(consult) == 1
    ev = consult[0]
    names = {a.country for a in ev.actors + ev.recipients}
    assert names == {"CHL", "PER"}
    assert ev.status == "happened"
    assert ev.date.value == "2024-03-04" and ev.date.basis == "timex" and ev.date.precision == "day"
    assert ev.location is not None and ev.location.country == "PER" and ev.location.precision == "city"
    assert ev.location.lat is not None
    assert ev.outlet == "Invented Wire"
    assert ev.evidence and text[ev.evidence[0].start:ev.evidence[0].end].startswith("Chile and Peru")


def test_negated_possible_conditional_planned():
    cases = {
        "Chile did not attack Peru.": ("ASSAULT", "negated"),
        "Chile could impose sanctions on Peru.": ("COERCE", "possible"),
        "Chile will expel Peru's ambassador if the dispute continues.": ("SANCTION", "conditional"),
        "Chile will meet Peru next month.": ("CONSULT", "planned"),
        "Chile accused Peru of spying.": ("ACCUSE", "happened"),
    }
    for text, (typ, status) in cases.items():
        evs = _run(text, _cp(text))
        got = [(e.type, e.status) for e in evs]
        assert (typ, status) in got, (text, got)


def test_actor_and_recipient_direction():
    text = "Peru threatened Chile with new tariffs."
    (ev,) = [e for e in _run(text, _cp(text)) if e.type == "THREATEN"]
    assert [a.country for a in ev.actors] == ["PER"]
    assert [a.country for a in ev.recipients] == ["CHL"]
    assert ev.cameo and root_of(ev.cameo) == "13"


def test_no_date_falls_back_to_publication_as_bound():
    text = "Chile condemned Peru over the border incident."
    (ev,) = [e for e in _run(text, _cp(text)) if e.type == "ACCUSE"]
    assert ev.date.basis == "publication"
    assert ev.date.precision == "unknown"
    assert ev.date.value is None and ev.date.end == "2024-06-10"


def test_reported_clause_date_is_a_bound():
    text = "Chile said on Monday that Peru had rejected the proposal."
    evs = _run(text, _cp(text), [_timex(text, "t1", "Monday", "2024-06-10")])
    (ev,) = [e for e in evs if e.type == "REJECT"]
    assert ev.date.end == "2024-06-10" and ev.date.start is None
    assert ev.date.relation == "on or before"


def test_attribution_and_certainty_from_quotes_stage():
    text = "Officials said Chile could meet Peru in Geneva later this month."
    i = text.index("Chile")
    att = Attribution(id="q1", content=Span(i, len(text) - 1, text[i:-1]), speaker="officials",
                      source_type="anonymous", chain=["officials", "Invented Wire"], certainty="speculative")
    (ev,) = [e for e in _run(text, _cp(text), attributions=[att]) if e.type == "CONSULT"]
    assert ev.status == "possible"
    assert [a.attribution_id for a in ev.attributions] == ["q1"]
    assert ev.certainty == "speculative"
    assert ev.attributions[0].chain == ["officials", "Invented Wire"]


def test_same_event_mentioned_twice_is_one_event():
    text = ("Chile and Peru could meet in Quito on Thursday. "
            "Diplomats said the possible meeting in Quito was still being prepared.")
    evs = _run(text, _cp(text), [_timex(text, "t1", "Thursday", "2024-06-13")])
    consult = [e for e in evs if e.type == "CONSULT"]
    assert len(consult) == 1
    assert len(consult[0].evidence) == 2
    assert consult[0].status == "possible"


def test_two_dated_rounds_are_two_events():
    text = "Chile and Peru held two rounds of talks, the first on May 2 and the second on May 20."
    evs = _run(text, _cp(text), [_timex(text, "t1", "May 2", "2024-05-02"), _timex(text, "t2", "May 20", "2024-05-20")])
    dates = sorted(e.date.value for e in evs if e.type == "CONSULT")
    assert dates == ["2024-05-02", "2024-05-20"]


def test_threat_reference_date_and_deadline():
    text = ("The warning came ten days after Chile issued an ultimatum to Peru, "
            "demanding that it withdraw its troops within 30 days.")
    t1 = _timex(text, "t1", "ten days", "P10D", derived_value="2024-05-31", derived_relation="reference")
    t2 = _timex(text, "t2", "30 days", "P30D", derived_value="2024-06-30", derived_relation="deadline")
    (ev,) = [e for e in _run(text, _cp(text), [t1, t2]) if e.type == "THREATEN"]
    assert ev.date.value == "2024-05-31" and ev.date.basis == "derived"
    assert ev.deadline is not None and ev.deadline.value == "2024-06-30"
    assert [a.country for a in ev.recipients] == ["PER"]
    # the demand inside the ultimatum is its content, not a second event
    assert not [e for e in _run(text, _cp(text), [t1, t2]) if e.type in ("REQUEST", "RETREAT")]


def test_no_political_actor_no_event():
    for text in ["The striker attacked the goal in the final minute.",
                 "Storms killed dozens of cattle on the plains.",
                 "The two teams will meet again in the cup final."]:
        assert _run(text) == [], text


def test_cameo_table_and_plv_labels():
    assert to_plover("163")[0] == "COERCE"
    assert to_plover("0871")[0] == "RETREAT"
    assert to_plover("1384")[0] == "THREATEN"
    assert to_plover("036")[0] == "AGREE"
    assert plv_label("RETREAT") == "YIELD" and plv_label("CONCEDE") == "YIELD"
    assert plv_label("ASSAULT") == "ASSAULT"


def test_gazetteer():
    loc = resolve_place("Geneva")
    assert loc.country == "CHE" and loc.precision == "city"
    assert resolve_place("Turkey").precision == "country"
    assert resolve_place("Nowhereville-on-Sea") is None


def test_bad_input_does_not_crash():
    art = Article(id="x", document_id="x", text="", published=None)
    assert annotate(art, None, [], [], []) == []
    text = "Chile ?? ,, -- accused."
    assert isinstance(_run(text, _cp(text), published=None), list)


# ---------------------------------------------------------------------------
# needs other stages (time, actors, quotes); skipped while they are absent


def _stages():
    try:
        from storyline import actors, quotes, time  # noqa: F401
        actors.annotate, quotes.annotate, time.annotate  # noqa: B018
    except Exception as exc:  # pragma: no cover
        pytest.skip(f"needs the time/actors/quotes stages: {exc}")
    return time, actors, quotes


def _analyze(text: str, published: str, outlet: str):
    """The full pipeline when it is importable, else the stages run directly on the parse."""
    try:
        from storyline.pipeline import analyze_text
        return analyze_text(text, published=published, outlet=outlet).events
    except ImportError:
        time, actors, quotes = _stages()
        art = Article(id="a", document_id="a", text=text, published=published, outlet=outlet)
        doc = nlp.parse(text)
        acts = actors.annotate(art, doc)
        return annotate(art, doc, time.annotate(art, doc), acts, quotes.annotate(art, doc, acts))


def test_no_event_sentences_rarely_coded():
    """needs other stages: ≤ 10 % of news sentences without a political event are coded."""
    time, actors, quotes = _stages()
    lines = [l.strip() for l in (HERE / "data" / "no_event_sentences.txt").read_text().splitlines() if l.strip()]
    assert len(lines) >= 100
    coded = 0
    for i, (line, doc) in enumerate(zip(lines, nlp.load().pipe(lines))):
        art = Article(id=f"s{i}", document_id=f"s{i}", text=line, published="2025-03-03", outlet="Test")
        acts = actors.annotate(art, doc)
        evs = annotate(art, doc, time.annotate(art, doc), acts, quotes.annotate(art, doc, acts))
        coded += bool(evs)
    assert coded / len(lines) <= 0.10, coded


def test_example_article_events():
    """needs other stages: the invented Armenia-Azerbaijan scrape."""
    path = HERE.parent / "examples" / "caucasus-ledger-geneva-talks.txt"
    if not path.exists():
        pytest.skip("examples/ not present")
    text = path.read_text(encoding="utf-8")
    evs = _analyze(text, "2025-10-14", "Caucasus Ledger")
    consult = [e for e in evs if e.type == "CONSULT" and e.status in ("possible", "planned")]
    assert consult, [(e.type, e.status, e.anchor) for e in evs]
    geneva = [e for e in consult if e.location and e.location.name == "Geneva"]
    assert geneva and {a.country for a in geneva[0].actors + geneva[0].recipients} >= {"ARM", "AZE"}
    assert any(e.type == "REJECT" and any(a.country == "AZE" for a in e.actors) for e in evs)
    # the donation appeal yields nothing
    appeal = text.index("A message from")
    assert all(sp.start < appeal for e in evs for sp in e.evidence)


@pytest.mark.shared
def test_seed_events():
    """needs the full pipeline (clean stage) and the other stages: the seed's events."""
    from storyline.bench.common import shared_data

    root = shared_data()
    if root is None or not (root / "seed" / "moscow-times-third-round.txt").exists():
        pytest.skip("shared data absent")
    try:
        from storyline.pipeline import analyze_text
    except ImportError as exc:
        pytest.skip(f"pipeline not importable yet: {exc}")
    lines = (root / "seed" / "moscow-times-third-round.txt").read_text(encoding="utf-8").split("\n")
    text = "\n".join(lines[:10])
    evs = analyze_text(text, published="2025-07-21", outlet="The Moscow Times").events

    def parties(e):
        return {a.country for a in e.actors + e.recipients}

    consult_past = [e for e in evs if e.type == "CONSULT" and e.status == "happened"]
    days = {e.date.value for e in consult_past if {"RUS", "UKR"} <= parties(e)}
    assert {"2025-05-16", "2025-06-02"} <= days
    future = [e for e in evs if e.type == "CONSULT" and e.status == "possible"]
    assert len(future) == 1
    third = future[0]
    assert {"RUS", "UKR"} <= parties(third)
    assert third.date.start >= "2025-07-21" and third.date.end <= "2025-07-27"
    assert third.location is not None and third.location.country == "TUR"
    assert len(third.attributions) >= 2
    threat = [e for e in evs if e.type == "THREATEN"]
    assert threat and threat[0].actors[0].country == "USA" and "RUS" in {a.country for a in threat[0].recipients}
    assert threat[0].date.value == "2025-07-14"
    assert threat[0].deadline is not None and threat[0].deadline.value == "2025-09-02"
    invasion = [e for e in evs if e.type == "ASSAULT"]
    assert invasion and invasion[0].date.value == "2022-02" and invasion[0].status in ("happened", "ongoing")
    proposal = [e for e in evs if e.type in ("REQUEST", "CONSULT") and e.date.end == "2025-07-19"]
    assert proposal and proposal[0].actors[0].country == "UKR" and "RUS" in parties(proposal[0])
    agreed = [e for e in evs if e.type in ("AGREE", "RETREAT") and e.status == "happened" and {"RUS", "UKR"} <= parties(e)]
    assert agreed
    assert any(e.status == "negated" for e in evs)
    listed = consult_past + future + threat + invasion + proposal
    assert all(e.date.basis != "publication" for e in listed)


# ---------------------------------------------------------------------------
# bench: readers, metrics, shipped model


def test_petrarch_xml_reader_is_tolerant():
    from storyline.bench.events import read_petrarch_xml

    sents = read_petrarch_xml(HERE / "data" / "petrarch_validation_sample.xml")
    assert [s["id"] for s in sents] == ["INV-1", "INV-2", "INV-3", "INV-4"]
    assert sents[0]["date"] == "20240304"
    assert sents[0]["codings"][0] == {"eventcode": "042", "sourcecode": "CHL", "targetcode": "PER"}
    assert sents[0]["text"].startswith("Chilean President") and "ROOT" not in sents[0]["text"]
    assert sents[2]["noevents"] and not sents[2]["codings"]
    assert len(sents[3]["codings"]) == 2


def test_bench_xml_scores_roots(tmp_path):
    """needs other stages: the full pipeline codes each <Text>."""
    _stages()
    from storyline.bench.events import _xml

    res = _xml(HERE / "data" / "petrarch_validation_sample.xml", tmp_path / "p.jsonl", None)
    assert res["n"] == 4
    assert set(res["storyline"]) >= {"accuracy", "macro_f1", "weighted_f1", "per_class"}
    assert res["peers"]["majority"]["accuracy"] <= 0.5
    lines = (tmp_path / "p.jsonl").read_text().splitlines()
    assert len(lines) == 4
    # the rain sentence is "none", the accusation "11"
    preds = {json.loads(l)["uid"]: json.loads(l)["pred"] for l in lines}
    assert preds["INV-3"] == "none"
    assert preds["INV-2"] == "11"


def test_metrics_and_plv_reader(tmp_path):
    from storyline.bench.events import metrics, read_plv

    m = metrics(["A", "A", "B", "C"], ["A", "B", "B", "C"])
    assert m["accuracy"] == 0.75 and 0 < m["macro_f1"] < 1 and set(m["per_class"]) == {"A", "B", "C"}
    p = tmp_path / "plv.tsv"
    p.write_text("uid\tsentence_id\tsentence\tmarked_sentence\tsource\ttarget\tgold_penta\tgold_root\textra\n"
                 "1\t7\tChile thanked Peru.\t<s>Chile</s> thanked <t>Peru</t>.\tChile\tPeru\t1\tSUPPORT\tx\n")
    rows = read_plv(p)
    assert rows[0]["gold_root"] == "SUPPORT" and "extra" not in rows[0]
    bad = tmp_path / "bad.tsv"
    bad.write_text("a\tb\n1\t2\n")
    with pytest.raises(ValueError):
        read_plv(bad)


def test_shipped_light_classifier_codes_marked_sentences():
    from storyline.events import classify as C

    m = C.load("light")
    assert m is not None and m.kind == "light"
    rows = [C.Row("1", "1", "<s>Chile</s> launched air strikes on rebel camps in <t>Peru</t>."),
            C.Row("2", "2", "<s>Chile</s> imposed sanctions on <t>Peru</t> over the dispute."),
            C.Row("3", "3", "<s>Chile</s> accused <t>Peru</t> of spying on its navy.")]
    assert m.predict(C.featurize(rows)) == ["ASSAULT", "COERCE", "ACCUSE"]


def test_marked_sentence_spans():
    from storyline.events.classify import between, clean_and_spans, placeholder

    text, s, t = clean_and_spans("<s>Chile</s> warned <t>Peru</t> again.")
    assert text == "Chile warned Peru again."
    assert text[s[0][0]:s[0][1]] == "Chile" and text[t[0][0]:t[0][1]] == "Peru"
    assert placeholder("<s>Chile</s> warned <t>Peru</t>.") == "SOURCE warned TARGET ."
    assert between("<s>Chile</s> warned <t>Peru</t>.") == "warned"
    assert clean_and_spans("no marks here")[1:] == ([], [])


# --------------------------------------------------------------------------
# the classifier as a second opinion in the pipeline (events/refine.py)


def test_decide_switches_only_ambiguous_triggers_to_listed_alternatives():
    from storyline.events.refine import ambiguous, decide

    amb = ambiguous()
    assert "ASSAULT" in amb[("strike", "VERB")] and ("accuse", "VERB") not in amb
    probs = {"ASSAULT": 0.9, "PROTEST": 0.05, "ACCUSE": 0.05}
    d = decide("PROTEST", ("strike", "VERB"), probs, 0.7)
    assert d.switched and d.label == "ASSAULT" and d.p_final == 0.9
    # unsure classifier: the lexicon's type stays
    assert not decide("PROTEST", ("strike", "VERB"), {"ASSAULT": 0.6, "PROTEST": 0.4}, 0.7).switched
    # not an ambiguous trigger: never switched, however confident
    assert decide("ACCUSE", ("accuse", "VERB"), {"ASSAULT": 0.99, "ACCUSE": 0.01}, 0.7).label == "ACCUSE"
    # ambiguous, confident, but not one of the word's alternatives
    assert decide("PROTEST", ("strike", "VERB"), {"AID": 0.95, "PROTEST": 0.05}, 0.7).label == "PROTEST"
    # a proposal of talks is a request, never the talks themselves
    assert decide("REQUEST", ("propose", "VERB"), {"CONSULT": 0.95, "REQUEST": 0.05}, 0.7).label == "REQUEST"
    # the lexicon's RETREAT/CONCEDE compare as PLV's YIELD
    assert decide("RETREAT", ("withdraw", "VERB"), {"YIELD": 0.8, "SANCTION": 0.2}, 0.7).label == "YIELD"


def test_pipeline_classifier_corrects_an_ambiguous_trigger():
    # "strike" as a verb is a labour strike (PROTEST) in the lexicon; jets striking posts is an ASSAULT
    text = "Chilean jets struck Peru's border posts overnight."
    evs = _run(text, _cp(text))
    (ev,) = [e for e in evs if e.trigger and e.trigger.text == "struck"]
    assert ev.type == "ASSAULT" and ev._lexicon_type == "PROTEST"
    assert ev.cameo and root_of(ev.cameo) == "19"
    assert ev._marked.startswith("<s>Chilean jets</s> struck <t>Peru's border posts</t>")
    assert 0.5 < ev.confidence <= 0.95


def test_pipeline_classifier_does_not_override_unambiguous_or_create_events(monkeypatch):
    from storyline.events import refine

    model = refine._shipped_model("light")
    # the classifier disagrees with "extradited" (COOPERATE, not listed as ambiguous): even at
    # threshold 0 the lexicon's type stays
    text = "Chile extradited two suspects to Peru."
    with refine.using(model, 0.0):
        (ev,) = [e for e in _run(text, _cp(text)) if e.trigger and e.trigger.text == "extradited"]
    assert ev.type == "COOPERATE"
    assert max(ev._probs, key=ev._probs.get) != "COOPERATE"
    # no lexicon trigger, no event, whatever the classifier would say
    text = "Chile and Peru played a football match in front of a full stadium."
    with refine.using(model, 0.0):
        assert _run(text, _cp(text)) == []
    # switched off: the lexicon's type and its parse-based confidence
    monkeypatch.setenv("STORYLINE_EVENT_CLASSIFIER", "0")
    text = "Chilean jets struck Peru's border posts overnight."
    (ev,) = [e for e in _run(text, _cp(text)) if e.trigger and e.trigger.text == "struck"]
    assert ev.type == "PROTEST" and not hasattr(ev, "_probs")


def test_marked_sentence_for_the_classifier():
    from storyline.events.refine import marked_sentence

    doc = nlp.parse("Yesterday Chile warned Peru again.")
    sent = next(iter(doc.sents))
    i, j = doc.text.index("Chile"), doc.text.index("Peru")
    assert marked_sentence(sent, (i, i + 5), (j, j + 4)) == "Yesterday <s>Chile</s> warned <t>Peru</t> again."
    assert marked_sentence(sent, (i, j + 4), (j, j + 4)) is None  # overlapping roles: no marking


# ==========================================================================
# Events pipeline recall (session 2): passive agents, prepositional recipients, nominal triggers
# with light verbs, demands and threats in reported content, status of issued ultimatums, the
# timex and place that govern a clause.  All sentences invented; actors built by hand.


def _one(evs, typ):
    got = [e for e in evs if e.type == typ]
    assert len(got) == 1, [(e.type, e.anchor) for e in evs]
    return got[0]


def _countries(eas):
    return {a.country for a in eas}


def test_passive_agent_is_the_actor():
    text = "Peru's border posts were attacked by Chilean troops on Monday."
    acts = [_actor(text, "c1", "Chile", ["Chilean troops"], "CHL", "MIL"), _actor(text, *PERU)]
    ev = _one(_run(text, acts), "ASSAULT")
    assert _countries(ev.actors) == {"CHL"} and _countries(ev.recipients) == {"PER"}


@pytest.mark.parametrize("text,typ", [
    ("Chile imposed sanctions against Peru on Friday.", {"COERCE", "SANCTION"}),
    ("Chile held talks with Peru in Quito.", {"CONSULT"}),
    ("Chile sent humanitarian aid to Peru after the floods.", {"AID"}),
    ("Chile filed a lawsuit against Peru at the regional court.", {"ACCUSE"}),
    ("Chile launched an offensive against Peru before dawn.", {"ASSAULT"}),
    ("Chile granted a full pardon to Peru's former trade envoy.", {"CONCEDE", "RETREAT"}),
])
def test_prepositional_recipients_and_nominal_triggers(text, typ):
    evs = _run(text, _cp(text))
    ev = next(e for e in evs if e.type in typ)
    assert _countries(ev.actors) == {"CHL"}, (ev.type, ev.actors)
    assert _countries(ev.recipients) == {"PER"}, (ev.type, ev.recipients)


@pytest.mark.parametrize("text,typ", [
    # PLOVER's ASSAULT is physical force: a politician "attacking" a policy, the press or a rival "over" or
    # "as" something is criticism (ACCUSE); armed attacks on the same kinds of people stay ASSAULT
    ("Chile's foreign minister attacked Peru's fishing policy in a radio interview.", "ACCUSE"),
    ("Chile's president attacked Peruvian Prime Minister Ana Quispe over the fishing quotas.", "ACCUSE"),
    ("Chile's president attacked the Peruvian media on Thursday.", "ACCUSE"),
    ("Chilean troops attacked Peru's border post at dawn.", "ASSAULT"),
    ("Chilean troops attacked Peruvian Prime Minister Ana Quispe's convoy over the ridge.", "ASSAULT"),
    ("Chilean jets attacked Peruvian positions over the border on Sunday.", "ASSAULT"),
    ("Chile's navy issued a statement attacking Peru on Monday.", "ACCUSE"),
])
def test_verbal_attack_is_criticism_not_assault(text, typ):
    evs = [e for e in _run(text, _cp(text)) if e.type in ("ACCUSE", "ASSAULT")]
    assert [e.type for e in evs] == [typ], [(e.type, e.anchor) for e in evs]


@pytest.mark.parametrize("text,protest", [
    ("Chilean shares rallied in Santiago after the Peruvian central bank cut rates.", False),
    ("Peru's stock market rally continued for a third day after Chile eased tariffs.", False),
    ("Chile's president spoke at a campaign rally in Valparaiso on Sunday.", False),
    ("Thousands of Peruvians rallied outside the Chilean embassy in Lima on Sunday.", True),
    ("Protesters held a rally against Chile's new border fence near Tacna.", True),
])
def test_market_and_campaign_rallies_are_no_protest(text, protest):
    assert bool([e for e in _run(text, _cp(text)) if e.type == "PROTEST"]) is protest


def test_seize_on_a_remark_is_no_seizure():
    text = "Chile's opposition seized on the Peruvian envoy's remark about the fishing quotas."
    assert not [e for e in _run(text, _cp(text)) if e.trigger and e.trigger.text == "seized"]
    text = "Chilean police seized two Peruvian fishing boats off Arica on Friday."
    assert [e.trigger.text for e in _run(text, _cp(text)) if e.trigger] == ["seized"]


def test_noun_trigger_through_an_effort_phrase_and_of_target():
    text = "Chile has begun a mediation effort between Peru and Bolivia over their maritime border."
    acts = _cp(text) + [_actor(text, "c3", "Bolivia", ["Bolivia"], "BOL")]
    ev = _one(_run(text, acts), "CONSULT")
    assert _countries(ev.actors) == {"CHL"} and _countries(ev.recipients) == {"PER", "BOL"}
    text = "Chile ordered the arrest of Peru's consul."
    ev = _one(_run(text, _cp(text)), "COERCE")
    assert _countries(ev.actors) == {"CHL"} and _countries(ev.recipients) == {"PER"}


def test_pronoun_subject_of_reported_clause_is_the_speaker():
    text = "Chile said it had expelled Peru's ambassador."
    ev = _one(_run(text, _cp(text)), "SANCTION")
    assert _countries(ev.actors) == {"CHL"} and _countries(ev.recipients) == {"PER"}


def test_demand_and_threat_in_reported_content():
    text = "Chile said Peru must withdraw its troops from the border."
    ev = _one(_run(text, _cp(text)), "REQUEST")
    assert _countries(ev.actors) == {"CHL"} and _countries(ev.recipients) == {"PER"}
    text = "Chile said it would impose new sanctions on Peru."
    ev = _one(_run(text, _cp(text)), "THREATEN")
    assert _countries(ev.actors) == {"CHL"} and _countries(ev.recipients) == {"PER"}
    assert root_of(ev.cameo) == "13"
    # a negated intention is no threat
    text = "Chile said it would not impose new sanctions on Peru."
    assert not [e for e in _run(text, _cp(text)) if e.type == "THREATEN"]


def test_issued_ultimatum_is_not_negated_by_its_host_clause():
    text = "Officials said an ultimatum issued by Chile on Tuesday had not featured in the preparations."
    ev = _one(_run(text, _cp(text), [_timex(text, "t1", "Tuesday", "2024-06-04")]), "THREATEN")
    assert ev.status == "happened"
    assert ev.date.start == "2024-06-04"
    # the same noun negated in its own clause still is
    text = "Chile issued no ultimatum to Peru."
    ev = _one(_run(text, _cp(text)), "THREATEN")
    assert ev.status == "negated"


def test_governing_timex_of_the_producing_event():
    text = "A second round, held in Quito last month, produced an agreement between Chile and Peru on fishing."
    evs = _run(text, _cp(text), [_timex(text, "t1", "last month", "2024-05")])
    ev = _one(evs, "AGREE")
    assert ev.date.basis == "timex" and (ev.date.start, ev.date.end) == ("2024-05-01", "2024-05-31")


def test_where_clause_and_circumstantial_phrase_take_their_date():
    text = "Chile and Peru held a third round in Quito on 9 April, where they agreed on an exchange of prisoners."
    evs = _run(text, _cp(text), [_timex(text, "t1", "9 April", "2024-04-09")])
    ev = _one(evs, "AGREE")
    assert ev.date.start == "2024-04-09" and ev.date.basis == "timex"
    text = "At the summit, in Quito on 9 April, Chile and Peru agreed to reopen the border."
    ev = _one(_run(text, _cp(text), [_timex(text, "t1", "9 April", "2024-04-09")]), "AGREE")
    assert ev.date.start == "2024-04-09"


def test_coordinated_dates_each_take_their_own_place():
    text = "Chile and Peru met in Quito on 4 March, then in Lima on 9 April and again in Quito on 2 May."
    tx = [_timex(text, "t1", "4 March", "2024-03-04"), _timex(text, "t2", "9 April", "2024-04-09"),
          _timex(text, "t3", "2 May", "2024-05-02")]
    evs = sorted((e for e in _run(text, _cp(text), tx) if e.type == "CONSULT"), key=lambda e: e.date.start)
    assert [(e.date.start, e.location.name if e.location else None) for e in evs] == [
        ("2024-03-04", "Quito"), ("2024-04-09", "Lima"), ("2024-05-02", "Quito")]


def test_one_sided_meeting_takes_the_counterpart_and_plural_pronoun():
    text = ("Chile and Peru held talks in Quito on 4 March. Later they agreed on an exchange of prisoners. "
            "Chile is ready to meet again.")
    evs = _run(text, _cp(text), [_timex(text, "t1", "4 March", "2024-03-04")])
    agree = [e for e in evs if e.type == "AGREE" and "prisoners" in e.evidence[0].text]
    assert agree and _countries(agree[0].actors) == {"CHL", "PER"}
    meet = [e for e in evs if e.anchor == "meet"]
    assert meet and _countries(meet[0].actors) == {"CHL"} and _countries(meet[0].recipients) == {"PER"}


@pytest.mark.parametrize("text", [
    "The phone maker's customer support team in Lima answers calls around the clock.",
    "Peru's football coach said the players must rest before Saturday's match.",
    "Chile's wine exports reached a record in May, the trade office said.",
    "The bakery gave 200 loaves to the local shelter in Lima on Sunday.",
    "The goalkeeper captured the attention of scouts from Santiago.",
    "The studio announced the release of the new album in Lima.",
    "Tourists sought shelter from the rain in a museum in Lima.",
    "The surgeons began a complex operation on the patient in Lima.",
    "The band ended the tour in Lima with two encores.",
])
def test_new_rules_do_not_code_ordinary_sentences(text):
    assert _run(text, _cp(text)) == []


def test_refusal_and_concluded_agreement_types():
    # a negated concession with 'will not' is a refusal (REJECT), not a non-event
    text = "Chile said it will not lift the ban on Peru's fishing fleet."
    ev = _one(_run(text, _cp(text)), "REJECT")
    assert ev.status == "happened" and root_of(ev.cameo) == "12"
    # signing or reaching a formal agreement is SUPPORT (CAMEO 057); agreeing to act is AGREE
    text = "Chile and Peru signed a fisheries agreement in Lima."
    assert _run(text, _cp(text))[0].type == "SUPPORT"
    text = "Chile agreed to release two Peruvian fishermen."
    assert any(e.type == "AGREE" for e in _run(text, _cp(text)))
