"""The data model: JSON round trips and the PLOVER export shape."""

from storyline.model import (
    Analysis, Article, Attribution, Boilerplate, Document, Event, EventActor, EventAttribution,
    EventDate, Location, Span, Timex, content_hash, EVENT_STATUSES,
)


def _event() -> Event:
    return Event(
        id="e1", article_id="abc", type="THREATEN", mode="sanction", cameo="138",
        actors=[EventActor("Ana Ruiz", "a1", "ESP", "GOV")],
        recipients=[EventActor("Portugal", "a2", "PRT", "GOV")],
        location=Location("Lisbon", "PRT", lat=38.72, lon=-9.14, precision="city"),
        date=EventDate(value="2024-03-05", start="2024-03-05", end="2024-03-05", precision="day",
                       basis="timex", timex_id="t1"),
        deadline=EventDate(value="2024-04-04", precision="day", basis="derived"),
        status="happened",
        attributions=[EventAttribution(attribution_id="q1", source="a ministry spokesman",
                                       chain=["a ministry spokesman", "Radio Iberia"], certainty="reported")],
        evidence=[Span(0, 20, "Ruiz threatened fines")], anchor="threatened",
    )


def test_round_trip_preserves_nested_records():
    ev = _event()
    again = Event.from_dict(ev.to_dict())
    assert again == ev
    assert isinstance(again.date, EventDate) and isinstance(again.actors[0], EventActor)
    assert isinstance(again.evidence[0], Span)


def test_analysis_round_trip():
    art = Article(id="abc", document_id="abc", text="Ruiz threatened fines on Tuesday.",
                  boilerplate=[Boilerplate("Subscribe now", "newsletter cue", at=33)])
    an = Analysis(article=art, timexes=[Timex("t1", 25, 32, "Tuesday", value="2024-03-05")],
                  attributions=[Attribution("q1", content=Span(0, 20, "x"))], events=[_event()])
    again = Analysis.from_dict(an.to_dict())
    assert again == an
    assert again.article.boilerplate[0].reason == "newsletter cue"


def test_plover_export_uses_plover_field_names():
    art = Article(id="abc", document_id="abc", text="Ruiz threatened fines on Tuesday.", outlet="Radio Iberia",
                  url="https://example.org/a", published="2024-03-05")
    out = _event().to_plover(art)
    for key in ("id", "date", "actor", "recipient", "event", "mode", "context", "event_loc", "event_text"):
        assert key in out
    assert out["event"] == "THREATEN"
    assert out["actor"]["country"] == "ESP" and out["recipient"]["code_1"] == "GOV"
    assert out["event_text"] == art.text[0:20]
    assert out["storyline"]["status"] in EVENT_STATUSES
    assert out["storyline"]["deadline"]["value"] == "2024-04-04"


def test_document_id_is_content_hash():
    a = Document.from_bytes(b"same bytes", source="x.txt")
    b = Document.from_bytes(b"same bytes", source="y.txt")
    c = Document.from_bytes(b"other bytes", source="x.txt")
    assert a.id == b.id == content_hash(b"same bytes")
    assert a.id != c.id
