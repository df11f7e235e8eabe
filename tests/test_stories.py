"""Across articles: linked events, story clusters, deadlines, their storage and the CLI.

Unit tests build events by hand (invented countries and places); the end-to-end tests run the real pipeline on
the invented articles in examples/ (one Armenia–Azerbaijan story told by three outlets) and tests/data/stories/
(a Chilean port strike told by two outlets, and an unrelated Azerbaijani gas deal).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.model import (Analysis, Article, Event, EventActor, EventDate, LinkedEvent, Location, Span,
                             Story)
from storyline.stories import build, upcoming
from storyline.stories.link import conflict, link, views

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
STORIES = Path(__file__).resolve().parent / "data" / "stories"


# ----------------------------------------------------------------------------------------------------------
# hand-built events


def _article(aid: str, text: str, published: str, outlet: str) -> Article:
    return Article(id=aid, document_id=aid, text=text, title=None, outlet=outlet, language="en",
                   published=published)


def _event(aid: str, eid: str, text: str, type_: str = "CONSULT", day: str | None = "2025-03-04",
           place: str | None = None, actors=("Arvenia", "Boltavia"), status: str = "happened",
           deadline: EventDate | None = None) -> Event:
    date = (EventDate(value=day, start=day, end=day, precision="day", basis="timex") if day
            else EventDate(end="2025-03-10", precision="unknown", basis="publication", relation="on or before"))
    loc = Location(name=place, country="ARV", precision="city") if place else None
    codes = {"Arvenia": "ARV", "Boltavia": "BLT", "Corland": "COR"}
    return Event(id=eid, article_id=aid, type=type_, status=status,
                 actors=[EventActor(a, country=codes.get(a)) for a in actors], location=loc, date=date,
                 deadline=deadline, evidence=[Span(0, len(text), text)], anchor="met")


def _analysis(aid: str, text: str, published: str, outlet: str, *events: Event) -> Analysis:
    return Analysis(article=_article(aid, text, published, outlet), events=list(events))


S1 = "Arvenian and Boltavian negotiators held a third round of talks in Velmar on Tuesday."
S2 = "Negotiators from Arvenia and Boltavia met in Velmar on Tuesday for a third round of talks."
S3 = "Negotiators from Arvenia and Boltavia met in Ostrava on Tuesday for a fourth round of talks."


def test_two_outlets_reporting_one_meeting_become_one_linked_event():
    a = _analysis("a1", S1, "2025-03-05", "The Lake Courier", _event("a1", "e1", S1, place="Velmar"))
    b = _analysis("b1", S2, "2025-03-06", "Northern Wire", _event("b1", "e1", S2, place="Velmar"))
    linked = link([a, b])
    assert len(linked) == 1
    (le,) = linked
    assert le.outlets == ["Northern Wire", "The Lake Courier"]
    assert [r.event_id for r in le.reports] == ["a1:e1", "b1:e1"]   # ordered by publication
    assert le.date.value == "2025-03-04" and le.first_reported == "2025-03-05"


def test_different_places_dates_or_episodes_are_never_linked():
    a = _analysis("a1", S1, "2025-03-05", "The Lake Courier", _event("a1", "e1", S1, place="Velmar"))
    other_place = _analysis("b1", S3, "2025-03-06", "Northern Wire", _event("b1", "e1", S3, place="Ostrava"))
    other_day = _analysis("c1", S2, "2025-03-06", "Delta Post", _event("c1", "e1", S2, day="2025-02-11"))
    other_round = _analysis("d1", S3, "2025-03-06", "Delta Post", _event("d1", "e1", S3))
    va, vb, vc, vd = views([a, other_place, other_day, other_round])
    assert conflict(va, vb) == "different places"
    assert conflict(va, vc) == "dates do not overlap"
    assert conflict(va, vd) == "different episodes"
    linked = link([a, other_place, other_day, other_round])
    assert [len(le.reports) for le in linked if "a1:e1" in {r.event_id for r in le.reports}] == [1]
    # the other two (fourth round, same day, same wording) may be one event; never with the third round
    assert len(linked) in (3, 4)


def test_other_type_and_same_article_are_never_linked():
    threat = "Boltavia threatened Arvenia with tariffs on Tuesday."
    a = _analysis("a1", S1 + " " + S2, "2025-03-05", "The Lake Courier",
                  _event("a1", "e1", S1), _event("a1", "e2", S2))
    b = _analysis("b1", threat, "2025-03-06", "Northern Wire", _event("b1", "e1", threat, type_="THREATEN"))
    va1, va2, vb = views([a, b])
    assert conflict(va1, va2) == "same article"
    assert conflict(va1, vb) == "different type"
    assert len(link([a, b])) == 3


def test_publication_dated_report_joins_a_dated_one_but_keeps_the_exact_date():
    vague = "Arvenia and Boltavia held a third round of talks in Velmar, officials said."
    a = _analysis("a1", S1, "2025-03-05", "The Lake Courier", _event("a1", "e1", S1, place="Velmar"))
    b = _analysis("b1", vague, "2025-03-10", "Northern Wire", _event("b1", "e1", vague, day=None, place="Velmar"))
    (le,) = link([a, b])
    assert le.date.value == "2025-03-04" and le.date.basis == "timex"
    # a publication-dated report cannot join an event dated after its own publication
    late = _analysis("c1", S2, "2025-03-14", "Delta Post", _event("c1", "e1", S2, day="2025-03-13", place="Velmar"))
    vb, vc = views([b, late])
    assert conflict(vb, vc) == "dates do not overlap"


def test_chains_of_weak_links_do_not_glue_two_rounds_together():
    # b is vague (publication-dated) and could match either round; the two rounds must stay apart
    vague = "Arvenia and Boltavia held talks, officials said."
    r3 = _analysis("a1", S1, "2025-03-05", "The Lake Courier", _event("a1", "e1", S1, day="2025-03-04"))
    r4 = _analysis("c1", S3, "2025-03-20", "Delta Post", _event("c1", "e1", S3, day="2025-03-18"))
    b = _analysis("b1", vague, "2025-03-21", "Northern Wire", _event("b1", "e1", vague, day=None))
    for le in link([r3, r4, b]):
        days = {r.date.value for r in le.reports if r.date.value}
        assert len(days) <= 1, days


def test_latest_report_sets_status_and_each_report_keeps_its_own():
    planned = "Arvenia and Boltavia will hold a third round of talks in Velmar on Tuesday."
    a = _analysis("a1", planned, "2025-03-01", "The Lake Courier",
                  _event("a1", "e1", planned, place="Velmar", status="planned"))
    b = _analysis("b1", S2, "2025-03-05", "Northern Wire", _event("b1", "e1", S2, place="Velmar"))
    (le,) = link([a, b])
    assert le.status == "happened"
    assert [r.status for r in le.reports] == ["planned", "happened"]


def test_upcoming_lists_deadlines_and_open_events_after_the_day():
    due = EventDate(value="2025-04-15", start="2025-04-15", end="2025-04-15", precision="day", basis="derived")
    threat = "Boltavia gave Arvenia 30 days to withdraw."
    a = _analysis("a1", threat, "2025-03-16", "The Lake Courier",
                  _event("a1", "e1", threat, type_="THREATEN", day="2025-03-16", deadline=due,
                         actors=("Boltavia",)),
                  _event("a1", "e2", S1, day="2025-03-20", status="planned"),
                  _event("a1", "e3", S2, day="2025-03-18", status="happened"))
    linked = link([a])
    items = upcoming(linked, "2025-03-17")
    assert [(u.day, u.kind) for u in items] == [("2025-03-20", "scheduled"), ("2025-04-15", "deadline")]
    assert [u.day for u in upcoming(linked, "2025-03-21")] == ["2025-04-15"]
    assert upcoming(linked, "2025-04-16") == []


def test_upcoming_meeting_on_one_of_two_days_shows_both_and_is_not_exact():
    ev = _event("a1", "e1", S1, day="2025-03-20", status="possible")
    ev.date.end, ev.date.alternatives = "2025-03-21", ["2025-03-21"]
    linked = link([_analysis("a1", S1, "2025-03-17", "The Lake Courier", ev)])
    (u,) = upcoming(linked, "2025-03-17")
    assert (u.day, u.exact, u.label) == ("2025-03-20", False, "2025-03-20 or 2025-03-21")


def test_a_meeting_still_to_come_is_not_linked_to_one_held_weeks_before_the_article():
    held = _event("a1", "e1", S1, day="2025-02-10", place="Velmar")
    coming = _event("b1", "e1", S2, day=None, status="planned")
    coming.date = EventDate(start="2025-03-10", precision="unknown", basis="publication", relation="on or after")
    a = _analysis("a1", S1, "2025-02-11", "The Lake Courier", held)
    b = _analysis("b1", S2, "2025-03-10", "Northern Wire", coming)
    (va,), (vb,) = views([a]), views([b])
    assert conflict(va, vb) == "dates do not overlap"
    assert len(link([a, b])) == 2


def test_episode_ordinals_are_read_from_the_trigger_clause_only():
    text = "The commissions first met in Velmar on 3 March and held a second round in Ostrava on 9 April."
    met = _event("a1", "e1", text, day="2025-03-03")
    met.trigger = Span(text.index("met"), text.index("met") + 3, "met")
    second = _event("a1", "e2", text, day="2025-04-09")
    second.trigger = Span(text.index("round"), text.index("round") + 5, "round")
    by_id = {v.event.id: v for v in views([_analysis("a1", text, "2025-04-10", "The Lake Courier", met, second)])}
    assert by_id["e1"].ordinals == frozenset()
    assert by_id["e2"].ordinals == frozenset({2})


# ----------------------------------------------------------------------------------------------------------
# the real pipeline on invented articles


@pytest.fixture(scope="module")
def corpus():
    from storyline.ingest import iter_documents
    from storyline.pipeline import run_pairs

    docs = list(iter_documents([str(EXAMPLES / "caucasus-ledger-geneva-talks.txt")], published="2025-10-14",
                               outlet="Caucasus Ledger"))
    docs += list(iter_documents([str(EXAMPLES / "eurasia-wire-geneva-talks.html"),
                                 str(EXAMPLES / "geneva-dispatch-feed.xml")]))
    docs += list(iter_documents([str(STORIES / "pacific-freight-port-strike.txt")], published="2025-10-14",
                                outlet="Pacific Freight Journal"))
    docs += list(iter_documents([str(STORIES / "andes-business-port-strike.txt")], published="2025-10-17",
                                outlet="Andes Business Daily"))
    docs += list(iter_documents([str(STORIES / "energy-corridor-gas-deal.txt")], published="2025-10-16",
                                outlet="Energy Corridor Review"))
    pairs = list(run_pairs(docs))
    assert all(isinstance(a, Analysis) for _, a in pairs), pairs
    _DOCS.update({a.article.id: d for d, a in pairs})
    return [a for _, a in pairs]


_DOCS: dict = {}


def _story_of(index, analyses, outlet: str) -> Story:
    aid = next(a.article.id for a in analyses if a.article.outlet == outlet)
    return next(s for s in index.stories if aid in s.article_ids)


def test_articles_cluster_into_their_stories(corpus):
    index = build(corpus)
    geneva = _story_of(index, corpus, "Caucasus Ledger")
    strike = _story_of(index, corpus, "Pacific Freight Journal")
    gas = _story_of(index, corpus, "Energy Corridor Review")
    assert set(geneva.outlets) == {"Caucasus Ledger", "Eurasia Wire", "The Geneva Dispatch"}
    assert len(geneva.article_ids) == 4          # the feed holds two Geneva Dispatch entries
    assert set(strike.outlets) == {"Pacific Freight Journal", "Andes Business Daily"}
    assert gas.article_ids == [a.article.id for a in corpus if a.article.outlet == "Energy Corridor Review"]
    assert len({geneva.id, strike.id, gas.id}) == 3
    assert "Armenia" in geneva.actors and "Azerbaijan" in geneva.actors


def test_rounds_of_talks_are_linked_across_outlets_and_kept_apart(corpus):
    index = build(corpus)
    shared = [le for le in index.linked_events if len(le.outlets) > 1]
    first_round = [le for le in shared if le.type == "CONSULT" and le.date.value == "2025-08-12"]
    assert first_round, [(le.type, le.date.value, le.outlets) for le in shared]
    assert {"Caucasus Ledger", "The Geneva Dispatch"} <= set(first_round[0].outlets)
    fourth = [le for le in shared if le.type == "CONSULT" and le.date.value == "2025-10-17"]
    assert fourth and len(fourth[0].outlets) >= 2
    for le in index.linked_events:
        # never two incompatible days in one linked event ("Thursday or Friday" allows either)
        days = [{r.date.value, *r.date.alternatives} for r in le.reports
                if r.date.precision == "day" and r.date.basis != "publication"]
        assert not days or set.intersection(*days), (le.type, days)
        assert len({r.article_id for r in le.reports}) == len(le.reports)
    story_ids = {s.id for s in index.stories}
    assert all(le.story_id in story_ids for le in index.linked_events if le.reports)


# ----------------------------------------------------------------------------------------------------------
# storage and the CLI


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "stories.db")
    return request.getfixturevalue("pg_url")


def test_store_round_trip_and_replacement(corpus, db_url):
    from storyline.stories import refresh
    from storyline.store import Store

    with Store(db_url) as store:
        for an in corpus:
            store.save(an, _DOCS[an.article.id])
        index = refresh(store)
        stored = store.stories()
        assert {s.id for s in stored} == {s.id for s in index.stories}
        assert len(store.linked_events()) == len(index.linked_events)
        multi = store.linked_events(min_reports=2)
        assert multi and all(len(le.reports) >= 2 for le in multi)
        geneva = next(s for s in stored if "Caucasus Ledger" in s.outlets)
        assert store.story(geneva.id[:6]).id == geneva.id
        assert all(le.story_id == geneva.id for le in store.linked_events(story_id=geneva.id))
        # replacing an article drops its rows from the cross-article tables until the next refresh
        store.save(corpus[0], _DOCS[corpus[0].article.id], replace=True)
        assert store.count("story_articles") == sum(len(s.article_ids) for s in index.stories) - 1
        refresh(store)
        assert store.count("story_articles") == sum(len(s.article_ids) for s in index.stories)


def test_cli_stories_story_and_deadlines(tmp_path):
    from storyline.cli import app

    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    r = runner.invoke(app, ["ingest", str(EXAMPLES / "caucasus-ledger-geneva-talks.txt"), "--published",
                            "2025-10-14", "--outlet", "Caucasus Ledger", "--db", db])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["ingest", str(EXAMPLES / "eurasia-wire-geneva-talks.html"),
                            str(EXAMPLES / "geneva-dispatch-feed.xml"), "--db", db])
    assert r.exit_code == 0 and "stories: 1;" in r.output, r.output
    r = runner.invoke(app, ["stories", "--format", "json", "--db", db])
    assert r.exit_code == 0, r.output
    import json

    (story,) = json.loads(r.output)
    r = runner.invoke(app, ["story", story["id"], "--format", "json", "--db", db])
    (payload,) = json.loads(r.output)
    assert payload["story"]["id"] == story["id"]
    assert all(len(le["reports"]) > 1 for le in payload["linked_events"]) and payload["linked_events"]
    r = runner.invoke(app, ["deadlines", "--as-of", "2025-10-15", "--format", "json", "--db", db])
    due = json.loads(r.output)
    assert any(d["due"] == "2025-10-17" and d["linked_event"]["type"] == "CONSULT" for d in due), due
    r = runner.invoke(app, ["deadlines", "--as-of", "2025-10-18", "--format", "json", "--db", db])
    assert all(d["due"] >= "2025-10-18" for d in json.loads(r.output))
    r = runner.invoke(app, ["deadlines", "--db", db])      # today: long after these 2025 reports
    assert r.exit_code == 0 and "try --as-of 2025-10-16" in r.output, r.output
    r = runner.invoke(app, ["deadlines", "--as-of", "someday", "--db", db])
    assert r.exit_code == 2 and "not an ISO date" in r.output
    r = runner.invoke(app, ["story", "Znope", "--db", db])
    assert r.exit_code == 2 and "no story" in r.output


def test_export_carries_the_cross_article_keys(tmp_path):
    import json

    from storyline.cli import app

    db = str(tmp_path / "export.db")
    runner = CliRunner()
    for args in (["ingest", str(EXAMPLES / "caucasus-ledger-geneva-talks.txt"), "--published", "2025-10-14",
                  "--outlet", "Caucasus Ledger"],
                 ["ingest", str(EXAMPLES / "geneva-dispatch-feed.xml")]):
        r = runner.invoke(app, args + ["--db", db])
        assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["export", "--format", "plover-jsonl", "--db", db])
    records = [json.loads(line) for line in r.output.splitlines() if line.strip()]
    keys = [rec["storyline"]["linked_event_id"] for rec in records]
    assert all(keys) and all(rec["storyline"]["story_id"] for rec in records)
    # some real-world event is reported by both outlets: its reports share one key, one per article
    shared = [k for k in set(keys) if keys.count(k) > 1]
    assert any(len({rec["source"] for rec in records if rec["storyline"]["linked_event_id"] == k}) == 2
               for k in shared)
    for k in shared:
        articles = [rec["storyline"]["article_id"] for rec in records if rec["storyline"]["linked_event_id"] == k]
        assert len(set(articles)) == len(articles)


def test_candidate_pairs_are_blocked_by_date():
    from storyline.stories.link import candidate_pairs

    march = _analysis("a1", S1, "2025-03-05", "The Lake Courier", _event("a1", "e1", S1, day="2025-03-04"))
    march2 = _analysis("b1", S2, "2025-03-06", "Northern Wire", _event("b1", "e1", S2, day="2025-03-04"))
    june = _analysis("c1", S2, "2025-06-10", "Delta Post", _event("c1", "e1", S2, day="2025-06-09"))
    vague_march = _analysis("d1", S2, "2025-03-10", "Delta Post", _event("d1", "e1", S2, day=None))
    vague_dec = _analysis("e1", S2, "2025-12-10", "Delta Post", _event("e1", "e1", S2, day=None))
    items = views([march, march2, june, vague_march, vague_dec])
    pairs = candidate_pairs(items, list(range(len(items))))
    assert (0, 1) in pairs                          # same week
    assert (0, 2) not in pairs and (1, 2) not in pairs   # three months apart
    assert (0, 3) in pairs and (1, 3) in pairs      # publication-dated, published within the window
    assert not any(4 in p for p in pairs)           # published nine months later: never compared
