"""The committed JSON Schemas are current, and exported records validate against them."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from storyline.model import EXPORTED_RECORDS, SCHEMA_VERSION
from storyline.schemas import SCHEMA_DIR, load, path_for, record_types, render, validate
from test_store import make


def test_every_exported_record_has_a_committed_current_schema():
    names = set(record_types())
    assert set(EXPORTED_RECORDS) | {"plover_event"} == names
    for name, tp in record_types().items():
        path = path_for(name)
        assert path.is_file(), f"{path} missing: run `python -m storyline.schemas`"
        assert json.loads(path.read_text(encoding="utf-8")) == json.loads(render(name, tp)), \
            f"{path.name} is out of date with storyline.model: run `python -m storyline.schemas`"
        schema = json.loads(path.read_text())
        assert schema["schema_version"] == SCHEMA_VERSION
        jsonschema.Draft202012Validator.check_schema(schema)
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.schema.json")) == sorted(f"{n}.schema.json" for n in names)


def test_records_validate_and_wrong_ones_do_not():
    analysis, doc = make()
    validate(analysis.to_dict(), "analysis")
    validate(doc.to_dict(), "document")
    validate(analysis.article.to_dict(), "article")
    for t in analysis.timexes:
        validate(t.to_dict(), "timex")
    for a in analysis.actors:
        validate(a.to_dict(), "actor")
    for q in analysis.attributions:
        validate(q.to_dict(), "attribution")
    for e in analysis.events:
        validate(e.to_dict(), "event")
        validate(e.to_plover(analysis.article), "plover_event")
        validate(e.to_plover(None), "plover_event")

    bad = analysis.events[0].to_dict()
    bad["status"] = "rumoured"  # not an event status
    with pytest.raises(jsonschema.ValidationError):
        validate(bad, "event")
    bad = analysis.events[0].to_plover(analysis.article)
    del bad["event_text"]
    with pytest.raises(jsonschema.ValidationError):
        validate(bad, "plover_event")
    bad = copy.deepcopy(analysis.events[0].to_plover(analysis.article))
    bad["storyline"]["certainty"] = "sure"
    with pytest.raises(jsonschema.ValidationError):
        validate(bad, "plover_event")
    with pytest.raises(jsonschema.ValidationError):
        validate({"id": "t1", "start": "zero", "end": 3, "text": "x"}, "timex")


def test_pipeline_output_validates(examples_dir):
    from storyline.pipeline import analyze_text

    text = (examples_dir / "caucasus-ledger-geneva-talks.txt").read_text(encoding="utf-8")
    analysis = analyze_text(text, published="2025-10-14", outlet="Caucasus Ledger")
    validate(analysis.to_dict(), "analysis")
    assert analysis.events, "the example should yield events"
    for e in analysis.events:
        validate(e.to_plover(analysis.article), "plover_event")


def test_schema_files_are_loadable_by_name():
    assert load("event")["title"] == "Event"
