"""The store, on SQLite and on a real PostgreSQL (fresh database per test, from $STORYLINE_TEST_PG).

Records are built by hand from invented sentences, so these tests do not depend on the NLP stages;
one test runs the real pipeline on an example for `reprocess`.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from storyline.errors import StorylineError
from storyline.model import (PIPELINE_VERSION, Actor, Analysis, Article, Attribution, Boilerplate, Document,
                             Event, EventActor, EventDate, Mention, Span, Timex)
from storyline.store import Store, normalize_url
from storyline.store import schema as S

TEXT = ("The foreign ministers of Arvenia and Boltavia met in Lausanne on Tuesday. "
        "\u201cWe made progress,\u201d said Minister Ana Kovel. "
        "Boltavia threatened Arvenia with new tariffs.")


def make(raw_text: str = TEXT, outlet: str = "The Lake Courier", n_events: int = 2,
         date2: str = "2025-03-02") -> tuple[Analysis, Document]:
    doc = Document.from_bytes(raw_text.encode(), source="mem://lake.txt", media_type="text", encoding="utf-8",
                              published_hint="2025-03-05", published_hint_source="user", outlet_hint=outlet,
                              provenance={"via": "test"})
    art = Article(id=doc.id, document_id=doc.id, text=raw_text, title="Ministers meet", outlet=outlet,
                  language="en", published="2025-03-05", published_source="user",
                  boilerplate=[Boilerplate(text="Subscribe now", reason="widget", at=len(raw_text))])
    i = raw_text.index("Tuesday")
    tx = Timex(id="t1", start=i, end=i + 7, text="Tuesday", value="2025-03-04")
    kovel = Actor(id="a1", name="Ana Kovel", country="ARV", sector="GOV",
                  mentions=[Mention(start=raw_text.index("Ana Kovel"), end=raw_text.index("Ana Kovel") + 9,
                                    text="Ana Kovel", actor_id="a1")])
    q0 = raw_text.index("We made")
    quote = Attribution(id="q1", content=Span(q0, q0 + 16, raw_text[q0:q0 + 16]), speaker="Ana Kovel",
                        speaker_actor_id="a1", kind="direct", certainty="confirmed")
    events = [
        Event(id="e1", article_id=art.id, type="CONSULT", status="happened",
              actors=[EventActor("Arvenia", country="ARV"), EventActor("Boltavia", country="BLT")],
              date=EventDate(value="2025-03-04", start="2025-03-04", end="2025-03-04", precision="day",
                             basis="timex", timex_id="t1"),
              evidence=[Span(0, 74)], anchor="met", outlet=outlet),
        Event(id="e2", article_id=art.id, type="THREATEN", status="happened",
              actors=[EventActor("Boltavia", country="BLT")], recipients=[EventActor("Arvenia", country="ARV")],
              date=EventDate(value=date2, start=date2, end=date2, precision="day", basis="timex"),
              anchor="threatened", outlet=outlet),
    ][:n_events]
    return Analysis(article=art, timexes=[tx], actors=[kovel], attributions=[quote], events=events), doc


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        s = Store(str(tmp_path / "test.db"))
    else:
        s = Store(request.getfixturevalue("pg_url"))
    yield s
    s.close()


def test_url_normalisation(tmp_path):
    assert normalize_url("postgresql://u@h:5/db") == "postgresql+psycopg://u@h:5/db"
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert normalize_url("sqlite:///rel.db") == "sqlite:///rel.db"


def test_default_url_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("STORYLINE_DB", str(tmp_path / "env.db"))
    assert normalize_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.delenv("STORYLINE_DB")
    monkeypatch.chdir(tmp_path)
    assert normalize_url(None) == f"sqlite:///{tmp_path / 'storyline.db'}"


def test_bad_url_is_a_clear_error(tmp_path):
    with pytest.raises(StorylineError, match="folder does not exist"):
        Store(str(tmp_path / "missing" / "x.db"))
    with pytest.raises(StorylineError):
        Store("nosuchdialect://x/y")


def test_migrations_create_schema_at_head(store):
    names = set(inspect(store.engine).get_table_names())
    assert {"documents", "articles", "timexes", "actors", "attributions", "events",
            "event_participants", "stories", "story_articles", "linked_events", "linked_event_reports",
            "alembic_version"} <= names
    with store.engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar_one() == "0002"
    idx = {i["name"] for i in inspect(store.engine).get_indexes("events")}
    assert {"ix_events_date_sort", "ix_events_type", "ix_events_status", "ix_events_outlet"} <= idx
    # reopening runs `upgrade head` again without harm
    Store(store.url).close()


def test_save_round_trip_and_idempotence(store):
    analysis, doc = make()
    assert not store.has_document(doc.id)
    assert store.save(analysis, doc).status == "ingested"
    assert store.has_document(doc.id)
    assert store.save(analysis, doc).status == "already present"
    assert store.count("documents") == 1 and store.count("articles") == 1 and store.count("events") == 2
    back = store.analysis(doc.id)
    assert back.to_dict() == analysis.to_dict()
    raw = store.document(doc.id)
    assert raw.raw == TEXT.encode() and raw.published_hint == "2025-03-05" and raw.outlet_hint == "The Lake Courier"
    assert raw.provenance == {"via": "test"}
    assert store.pipeline_versions() == {PIPELINE_VERSION}


def test_article_id_prefix(store):
    analysis, doc = make()
    store.save(analysis, doc)
    assert store.resolve_article_id(doc.id[:6]) == doc.id
    with pytest.raises(StorylineError, match="no article"):
        store.resolve_article_id("zzzz")


def test_foreign_keys_enforced(store):
    with pytest.raises(IntegrityError):
        with store.engine.begin() as conn:
            conn.execute(S.events.insert().values(
                id="nope:e1", local_id="e1", article_id="nope", type="CONSULT", status="happened",
                certainty="reported", record={}, pipeline_version="x"))
    analysis, doc = make()
    store.save(analysis, doc)
    with store.engine.begin() as conn:  # deleting the document cascades to everything under it
        conn.execute(S.documents.delete())
    for table in ("articles", "events", "event_participants", "timexes", "actors", "attributions"):
        assert store.count(table) == 0, table


def test_failure_mid_article_leaves_nothing(store):
    analysis, doc = make()
    analysis.events[1].context = [object()]  # not JSON: fails after the article and first event are written
    with pytest.raises(TypeError):
        store.save(analysis, doc)
    for table in ("documents", "articles", "timexes", "actors", "attributions", "events", "event_participants"):
        assert store.count(table) == 0, table


def test_replace_swaps_annotations_atomically(store):
    analysis, doc = make()
    store.save(analysis, doc)
    fewer, _ = make(n_events=1)
    assert store.save(fewer, doc, replace=True).status == "replaced"
    assert store.count("events") == 1 and store.count("event_participants") == 2
    assert [e.type for e in store.analysis(doc.id).events] == ["CONSULT"]
    # a failing replacement keeps the previous annotations
    bad, _ = make()
    bad.events[1].context = [object()]
    with pytest.raises(TypeError):
        store.save(bad, doc, replace=True)
    assert store.count("events") == 1 and store.count("articles") == 1


def test_event_queries(store):
    a1, d1 = make()
    a2, d2 = make(TEXT + " Later talks were planned.", outlet="Harbour Times", date2="2025-02-20")
    store.save(a1, d1)
    store.save(a2, d2)
    evs = store.events()
    assert len(evs) == 4
    dates = [e.event.date.start for e in evs]
    assert dates == sorted(dates)  # ordered by event date, not publication
    assert {e.store_id for e in evs} == {f"{d1.id}:e1", f"{d1.id}:e2", f"{d2.id}:e1", f"{d2.id}:e2"}
    assert {e.event.type for e in store.events(type="threaten")} == {"THREATEN"}
    assert len(store.events(actor="boltav")) == 4
    assert len(store.events(actor="ARV")) == 4
    assert store.events(actor="Nobody") == []
    assert {e.outlet for e in store.events(outlet="harbour")} == {"Harbour Times"}
    assert [e.event.date.start for e in store.events(since="2025-03-01")] == ["2025-03-02", "2025-03-04",
                                                                              "2025-03-04"]
    assert [e.event.date.start for e in store.events(until="2025-02-28")] == ["2025-02-20"]
    assert store.events(status="planned") == []
    assert len(store.events(status="happened")) == 4
    # a third article with a participant no other event has: filters must select it alone
    a3, d3 = make(TEXT + " Corvania joined.", outlet="Corvan Post", n_events=1)
    a3.events[0].actors = [EventActor("Corvania", country="CRV")]
    a3.events[0].status = "planned"
    store.save(a3, d3)
    assert [e.store_id for e in store.events(actor="CRV")] == [f"{d3.id}:e1"]
    assert [e.store_id for e in store.events(actor="corvan")] == [f"{d3.id}:e1"]
    assert [e.store_id for e in store.events(status="planned")] == [f"{d3.id}:e1"]
    assert store.events(actor="%") == []  # LIKE wildcards in user input are literal
    # paging is done by the database, in the same order, with the same filters
    ordered = [e.store_id for e in store.events()]
    assert [e.store_id for e in store.events(limit=2)] + [e.store_id for e in store.events(limit=2, offset=2)] \
        == ordered[:4]
    assert [e.store_id for e in store.events(offset=3)] == ordered[3:]
    assert store.count_events() == len(ordered) == 5
    assert store.count_events(since="2025-03-01") == len(store.events(since="2025-03-01")) == 4
    assert store.count_events(actor="CRV") == 1 and store.count_events(status="negated") == 0
    quotes = store.attributions(speaker="kovel")
    assert len(quotes) == 3 and all(q.speaker == "Ana Kovel" for _, q, _ in quotes)
    assert store.attributions(speaker="nobody") == []
    rows = [r for r in store.articles() if r["id"] != d3.id]
    assert {r["id"] for r in rows} == {d1.id, d2.id}
    assert all(r["n_events"] == 2 and r["n_attributions"] == 1 for r in rows)


def test_reprocess_reruns_stored_documents(store, examples_dir):
    from storyline.store import reprocess

    s = store
    raw = (examples_dir / "caucasus-ledger-geneva-talks.txt").read_bytes()
    doc = Document.from_bytes(raw, source="ledger.txt", media_type="text", encoding="utf-8",
                              published_hint="2025-10-14", published_hint_source="user",
                              outlet_hint="Caucasus Ledger")
    # store a deliberately stale analysis: no annotations, an old pipeline version
    stale = Analysis(article=Article(id=doc.id, document_id=doc.id, text="stale", pipeline_version="storyline-0.0"),
                     pipeline_version="storyline-0.0")
    s.save(stale, doc)
    assert s.pipeline_versions() == {"storyline-0.0"}
    outcomes = list(reprocess(s))
    assert outcomes == [("ledger.txt", "reprocessed")]
    back = s.analysis(doc.id)
    assert back.article.text != "stale" and "Geneva" in back.article.text
    assert back.article.published_date == "2025-10-14" and back.article.outlet == "Caucasus Ledger"
    assert back.timexes and back.events
    assert s.pipeline_versions() == {PIPELINE_VERSION}
    assert s.count("documents") == 1 and s.count("articles") == 1
    # what comes back from the store is exactly what the pipeline produced
    from storyline.pipeline import run

    (fresh,) = list(run([doc]))
    assert back.to_dict() == fresh.to_dict()


def test_migrations_match_the_table_definitions(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), S.metadata) == []


def test_ids_already_naming_their_article_are_kept(tmp_path):
    s = Store(str(tmp_path / "ids.db"))
    analysis, doc = make()
    analysis.events[0].id = f"{doc.id}-e1"
    s.save(analysis, doc)
    assert {e.store_id for e in s.events()} == {f"{doc.id}-e1", f"{doc.id}:e2"}


def test_a_store_made_at_revision_0001_upgrades_with_its_articles(tmp_path):
    from alembic import command
    from alembic.config import Config

    from storyline.store.store import migrations_dir

    url = normalize_url(str(tmp_path / "old.db"))
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", url)
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    assert "stories" not in inspect(engine).get_table_names()
    analysis, doc = make()
    with engine.begin() as conn:   # what a 0001-era storyline wrote
        conn.execute(S.documents.insert().values(**Store._document_row(doc)))
        Store._insert_analysis(conn, analysis)
    engine.dispose()
    with Store(str(tmp_path / "old.db")) as store:     # opening upgrades to head
        assert store.has_article(analysis.article.id)
        assert "stories" in inspect(store.engine).get_table_names()
        from storyline.stories import refresh

        index = refresh(store)
        assert [s.article_ids for s in store.stories()] == [[analysis.article.id]]
        assert len(store.linked_events()) == len(index.linked_events) == 2
