"""The CLI: every command on a store built from invented records, and ingest on the examples/ files."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.model import Analysis, Article, Attribution, Event, Timex
from storyline.schemas import validate
from storyline.store import Store
from test_store import TEXT, make

runner = CliRunner()


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    # CliRunner swallows tracebacks: an escaped exception shows up here instead
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def ok(*args: str):
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result


def as_json(*args: str):
    return json.loads(ok(*args, "--format", "json").stdout)


def field_names(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


@pytest.fixture
def db(tmp_path):
    """Two invented articles; the later-published one reports the earlier event."""
    path = str(tmp_path / "cli.db")
    s = Store(path)
    a1, d1 = make()  # published 2025-03-05: events on 03-04 (CONSULT) and 03-02 (THREATEN)
    a2, d2 = make(TEXT + " Talks resume.", outlet="Harbour Times", date2="2025-01-10")
    a2.article.published = "2025-03-09"
    a2.events[0].date.basis = "publication"  # undated in the text: shown as such
    s.save(a1, d1)
    s.save(a2, d2)
    s.close()
    return path, d1.id, d2.id


def test_events_json_uses_model_field_names_and_filters(db):
    path, id1, id2 = db
    records = as_json("events", "--db", path)
    assert len(records) == 4
    assert all(set(r) == field_names(Event) for r in records)
    for r in records:
        validate(r, "event")
    assert {r["type"] for r in as_json("events", "--db", path, "--type", "THREATEN")} == {"THREATEN"}
    assert {r["outlet"] for r in as_json("events", "--db", path, "--outlet", "harbour")} == {"Harbour Times"}
    assert as_json("events", "--db", path, "--actor", "Nobody") == []
    assert len(as_json("events", "--db", path, "--actor", "boltavia")) == 4
    since = as_json("events", "--db", path, "--since", "2025-03")
    assert [r["date"]["start"] for r in since] == ["2025-03-02", "2025-03-04", "2025-03-04"]
    assert [r["date"]["start"] for r in as_json("events", "--db", path, "--until", "2025-01")] == ["2025-01-10"]
    assert as_json("events", "--db", path, "--status", "planned") == []
    page = as_json("events", "--db", path, "--since", "2025-03", "--limit", "2", "--offset", "1")
    assert [r["date"]["start"] for r in page] == ["2025-03-04", "2025-03-04"]
    assert [r["id"] for r in as_json("events", "--db", path, "--limit", "3")] == [r["id"] for r in records[:3]]
    assert "events 2–3 of 4" in ok("events", "--db", path, "--limit", "2", "--offset", "1").stdout
    assert "events (4)" in ok("events", "--db", path, "--limit", "10").stdout     # all shown: no paging note


def test_events_csv_and_table(db):
    path, id1, _ = db
    rows = list(csv.DictReader(io.StringIO(ok("events", "--db", path, "--format", "csv").stdout)))
    assert len(rows) == 4 and {r["id"] for r in rows} >= {f"{id1}:e1", f"{id1}:e2"}
    assert {"date", "type", "status", "certainty", "actors", "recipients", "sources"} <= set(rows[0])
    table = ok("events", "--db", path).stdout
    assert "THREATEN" in table and "~2025-03-04 (publication date)" in table


def test_timeline_is_ordered_by_event_date(db):
    path, id1, id2 = db
    records = as_json("timeline", "--db", path)
    starts = [r["date"]["start"] for r in records]
    assert starts == sorted(starts) == ["2025-01-10", "2025-03-02", "2025-03-04", "2025-03-04"]
    # the first event comes from the article published later: ordering is by event, not publication
    assert records[0]["article_id"] == id2
    out = ok("timeline", "--db", path).stdout
    assert out.index("2025-01-10") < out.index("2025-03-02") < out.index("(publication date)")
    assert "happened" in out and "reported" in out and "Harbour Times" in out
    hits = as_json("timeline", "--db", path, "--query", "threatened")
    assert {r["type"] for r in hits} == {"THREATEN"}
    hits = as_json("timeline", "--db", path, "--query", "Lausanne ministers")  # words of the evidence
    assert {r["type"] for r in hits} == {"CONSULT"} and len(hits) == 2
    assert as_json("timeline", "--db", path, "--query", "volcano") == []
    assert len(as_json("timeline", "--db", path, "--actor", "ARV")) == 4
    late = as_json("timeline", "--db", path, "--since", "2025-03-03")
    assert [r["date"]["start"] for r in late] == ["2025-03-04", "2025-03-04"]


def test_quotes(db):
    path, id1, id2 = db
    records = as_json("quotes", "--db", path, "--speaker", "kovel")
    assert len(records) == 2
    assert all(set(r) == field_names(Attribution) | {"article_id"} for r in records)
    assert {r["article_id"] for r in records} == {id1, id2}
    assert as_json("quotes", "--db", path, "--speaker", "nobody") == []
    assert "Ana Kovel" in ok("quotes", "--db", path).stdout


def test_articles(db):
    path, id1, id2 = db
    records = as_json("articles", "--db", path)
    assert [r["id"] for r in records] == [id1, id2]  # by publication date
    assert {"id", "title", "outlet", "published", "counts"} <= set(records[0])
    assert records[0]["counts"] == {"timexes": 1, "actors": 1, "attributions": 1, "events": 2}
    assert id1 in ok("articles", "--db", path).stdout


def test_show_text_and_json(db):
    path, id1, _ = db
    records = as_json("show", id1[:7], "--db", path)
    assert len(records) == 1
    rec = records[0]
    assert set(rec) == field_names(Analysis)
    assert set(rec["article"]) == field_names(Article) and rec["article"]["id"] == id1
    assert set(rec["timexes"][0]) == field_names(Timex)
    validate(rec, "analysis")
    text = ok("show", id1, "--db", path).stdout
    assert "removed: widget" in text and "Subscribe now" in text
    assert "Tuesday" in text and "2025-03-04" in text and "THREATEN" in text and "Ana Kovel" in text


def test_export_plover_validates(db, tmp_path):
    path, id1, id2 = db
    lines = ok("export", "--db", path, "--format", "plover-jsonl").stdout.splitlines()
    assert len(lines) == 4
    ids = set()
    for line in lines:
        rec = json.loads(line)
        validate(rec, "plover_event")
        ids.add(rec["id"])
        assert {"id", "date", "actor", "recipient", "event", "mode", "context", "event_loc",
                "event_text"} <= set(rec)
    assert ids == {f"{id1}:e1", f"{id1}:e2", f"{id2}:e1", f"{id2}:e2"}
    out = tmp_path / "events.csv"
    ok("export", "--db", path, "--format", "csv", "--output", str(out))
    assert len(list(csv.DictReader(out.open()))) == 4


def test_bad_arguments_give_a_message_and_nonzero_exit(db, tmp_path):
    path, _, _ = db
    for args, needle in [
        (["events", "--db", path, "--since", "last week"], "--since"),
        (["events", "--db", path, "--until", "2025-02-30"], "--until"),
        (["events", "--db", path, "--status", "rumoured"], "--status"),
        (["show", "feedface", "--db", path], "no article"),
        (["events", "--db", str(tmp_path / "no" / "such" / "dir.db")], "does not exist"),
        (["export", "--db", path, "--output", str(tmp_path / "missing" / "x.jsonl")], "cannot write"),
        (["ingest", str(tmp_path), "--db", path, "--published", "yesterday"], "--published"),
    ]:
        result = invoke(*args)
        assert result.exit_code != 0, args
        assert needle in result.output, (args, result.output)
    assert invoke("events", "--db", path, "--format", "xml").exit_code != 0


def test_empty_store_lists_nothing(tmp_path):
    path = str(tmp_path / "empty.db")
    assert as_json("events", "--db", path) == []
    assert as_json("articles", "--db", path) == []
    assert ok("export", "--db", path).stdout == ""


def test_db_from_environment(db, monkeypatch):
    path, id1, _ = db
    monkeypatch.setenv("STORYLINE_DB", path)
    assert len(as_json("articles")) == 2


# --------------------------------------------------------------------------
# ingest on the examples (needs the ingest and clean stages)


@pytest.fixture
def stages():
    return None


def test_ingest_twice_then_already_present(stages, examples_dir, tmp_path):
    path = str(tmp_path / "ing.db")
    txt = str(examples_dir / "caucasus-ledger-geneva-talks.txt")
    first = ok("ingest", txt, "--published", "2025-10-14", "--outlet", "Caucasus Ledger", "--db", path)
    assert "ingested 1" in first.stdout
    second = ok("ingest", txt, "--published", "2025-10-14", "--outlet", "Caucasus Ledger", "--db", path)
    assert "ingested 0" in second.stdout and "already present 1" in second.stdout
    arts = as_json("articles", "--db", path)
    assert len(arts) == 1 and arts[0]["outlet"] == "Caucasus Ledger" and arts[0]["published"].startswith("2025-10-14")
    assert arts[0]["counts"]["events"] > 0
    shown = as_json("show", arts[0]["id"], "--db", path)[0]
    assert shown["article"]["boilerplate"], "the donation appeal is stored as removed boilerplate"
    validate(shown, "analysis")
    for line in ok("export", "--db", path).stdout.splitlines():
        validate(json.loads(line), "plover_event")
    timeline = as_json("timeline", "--db", path)
    days = [r["date"]["start"] or r["date"]["value"] for r in timeline]
    dated = [d for d in days if d]
    assert dated == sorted(dated)


def test_ingest_bad_file_in_batch_keeps_the_good_ones(stages, examples_dir, tmp_path):
    path = str(tmp_path / "batch.db")
    bad = tmp_path / "broken.txt.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00this is not gzip data at all")
    result = invoke("ingest", str(examples_dir / "eurasia-wire-geneva-talks.html"), str(bad),
                    str(examples_dir / "geneva-dispatch-feed.xml"), "--db", path)
    assert result.exit_code != 0
    assert "broken.txt.gz" in result.stdout and "failed 1" in result.stdout
    arts = as_json("articles", "--db", path)
    assert len(arts) >= 3  # the page and the feed's two entries
    outlets = " | ".join(a["outlet"] or "" for a in arts)
    assert "Eurasia Wire" in outlets and "Geneva Dispatch" in outlets


def test_ingest_names_pages_stored_without_article_text(stages, tmp_path):
    page = tmp_path / "shell.html"
    page.write_text("<html><head><title>Loading</title></head><body><div id='app'></div>"
                    "<script>start()</script></body></html>", encoding="utf-8")
    result = ok("ingest", str(page), "--db", str(tmp_path / "shell.db"))
    assert "ingested 1" in result.stdout
    assert "not annotated" in result.stdout and "shell.html" in result.stdout and "no article text" in result.stdout
    assert "discarding data" not in result.stdout + (result.stderr or "")


def test_reprocess_command(stages, examples_dir, tmp_path):
    path = str(tmp_path / "re.db")
    ok("ingest", str(examples_dir / "eurasia-wire-geneva-talks.html"), "--db", path)
    before = as_json("events", "--db", path)
    result = ok("reprocess", "--db", path)
    assert "reprocessed 1" in result.stdout and "failed 0" in result.stdout
    assert as_json("events", "--db", path) == before


def test_bench_throughput_json(tmp_path):
    data = tmp_path / "texts"
    data.mkdir()
    (data / "a_2025-03-05.txt").write_text(TEXT, encoding="utf-8")
    (data / "b.txt").write_text("Officials in Lausanne said on Monday that talks would resume next week.",
                                encoding="utf-8")
    (data / "skip.md").write_text("not a txt file", encoding="utf-8")
    out = json.loads(ok("bench", "throughput", "--data", str(data), "--json").stdout)
    assert out["n"] == 2 and out["peers"] == {}
    m = out["storyline"]
    assert m["pipeline_docs_per_s"] > 0 and m["parse_docs_per_s"] > 0 and m["failed"] == 0
    assert m["ratio"] == pytest.approx(m["pipeline_docs_per_s"] / m["parse_docs_per_s"], rel=0.01)
    missing = invoke("bench", "throughput", "--data", str(tmp_path / "absent"), "--json")
    assert missing.exit_code == 2 and "no such file" in missing.output
