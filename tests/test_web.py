"""The web view, through FastAPI's test client, on a store holding the invented examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.model import Analysis, Article, Boilerplate, Span, Timex
from storyline.web import create_app, highlight

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from typer.testing import CliRunner

    from storyline.cli import app

    db = str(tmp_path_factory.mktemp("web") / "web.db")
    runner = CliRunner()
    for args in (["ingest", str(EXAMPLES / "caucasus-ledger-geneva-talks.txt"), "--published", "2025-10-14",
                  "--outlet", "Caucasus Ledger"],
                 ["ingest", str(EXAMPLES / "eurasia-wire-geneva-talks.html"), str(EXAMPLES / "geneva-dispatch-feed.xml")]):
        r = runner.invoke(app, args + ["--db", db])
        assert r.exit_code == 0, r.output
    return TestClient(create_app(db))


def test_index_lists_the_story_and_what_falls_due(client):
    r = client.get("/", params={"as_of": "2025-10-15"})
    assert r.status_code == 200
    assert "Caucasus Ledger, Eurasia Wire, The Geneva Dispatch" in r.text
    assert "2025-10-17" in r.text and "scheduled" in r.text
    later = client.get("/", params={"as_of": "2025-12-01"}).text
    assert "Nothing falls due on or after 2025-12-01" in later


def test_story_page_shows_each_linked_event_with_its_reports(client):
    (story,) = client.get("/api/stories").json()
    page = client.get(f"/stories/{story['id']}")
    assert page.status_code == 200
    data = client.get(f"/api/stories/{story['id'][:7]}").json()
    multi = [le for le in data["linked_events"] if len(le["reports"]) > 1]
    assert multi
    for le in multi:
        for rep in le["reports"]:
            assert f"/articles/{rep['article_id']}" in page.text
    everything = client.get(f"/stories/{story['id']}", params={"all": "true"})
    assert everything.text.count("<tr>") > page.text.count("<tr>")


def test_article_page_marks_annotations_and_removed_boilerplate(client):
    arts = client.get("/api/articles").json()
    ledger = next(a for a in arts if a["outlet"] == "Caucasus Ledger")
    page = client.get(f"/articles/{ledger['id'][:8]}")
    assert page.status_code == 200
    assert 'class="tx"' in page.text and '<del class="bp"' in page.text
    full = client.get(f"/api/articles/{ledger['id']}").json()
    assert full["article"]["id"] == ledger["id"] and full["events"]


def test_events_filters_and_errors(client):
    consult = client.get("/api/events", params={"type": "consult"}).json()
    assert consult and all(e["type"] == "CONSULT" for e in consult)
    assert all(e["date"]["end"] is None or e["date"]["end"] >= "2025-10-01"
               for e in client.get("/api/events", params={"since": "2025-10"}).json())
    bad = client.get("/api/events", params={"since": "October"})
    assert bad.status_code == 400 and "is not a date" in bad.json()["error"]
    assert client.get("/events", params={"status": "maybe"}).status_code == 400
    missing = client.get("/stories/nothing-like-this")
    assert missing.status_code == 404 and "no story" in missing.text
    assert client.get("/api/articles/zzzz").status_code == 404
    assert client.get("/api/deadlines", params={"as_of": "31/12/2025"}).status_code == 400


def test_events_are_paged_in_the_database_order(client):
    everything = client.get("/api/events")
    total = int(everything.headers["X-Total-Count"])
    ids = [e["id"] for e in everything.json()]
    assert total == len(ids) > 6
    first = client.get("/api/events", params={"limit": 4})
    second = client.get("/api/events", params={"limit": 4, "offset": 4})
    assert [e["id"] for e in first.json()] + [e["id"] for e in second.json()] == ids[:8]
    assert first.headers["X-Total-Count"] == str(total)
    consult = client.get("/api/events", params={"type": "consult", "limit": 1})
    assert len(consult.json()) == 1 and int(consult.headers["X-Total-Count"]) < total
    assert client.get("/api/events", params={"limit": 0}).status_code == 400
    assert client.get("/api/events", params={"offset": -1}).status_code == 400
    page = client.get("/events", params={"limit": 5, "offset": 5, "type": "consult"})
    n = int(consult.headers["X-Total-Count"])
    assert page.status_code == 200 and f"6–{min(10, n)} of {n}" in page.text
    assert "offset=0" in page.text and "type=consult" in page.text      # the way back keeps the filter
    past = client.get("/events", params={"limit": 5, "offset": total + 5})
    assert past.status_code == 200 and f"none after the first {total + 5} of {total}" in past.text


def test_highlight_escapes_text_and_nests_overlaps():
    text = "Talks <b>resume</b> on Friday, officials said."
    i = text.index("Friday")
    art = Article(id="x", document_id="x", text=text,
                  boilerplate=[Boilerplate(text="Donate <now>", reason="appeal cue: donate", at=len(text))])
    from storyline.model import Attribution

    an = Analysis(article=art, timexes=[Timex(id="t1", start=i, end=i + 6, text="Friday", value="2025-10-17")],
                  attributions=[Attribution(id="q1", content=Span(0, i + 6, text[:i + 6]), chain=["officials"])])
    html = highlight(an)
    assert "&lt;b&gt;resume&lt;/b&gt;" in html and "<b>" not in html
    assert '<span class="q tx"' in html                 # Friday is both quoted content and a timex
    assert '<del class="bp" title="removed: appeal cue: donate">Donate &lt;now&gt;</del>' in html
