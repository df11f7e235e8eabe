"""JSON Schemas of storyline's exported records, generated from the data model.

``python -m storyline.schemas`` (re)writes one ``<name>.schema.json`` per record type in
:data:`storyline.model.EXPORTED_RECORDS`, plus ``plover_event.schema.json`` for the PLOVER export
(:meth:`storyline.model.Event.to_plover`).  Each file carries ``schema_version``
(:data:`storyline.model.SCHEMA_VERSION`).  The generated files are committed; a test checks that they
are up to date and that real exported records validate against them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

from typing_extensions import TypedDict

from storyline.model import (EXPORTED_RECORDS, SCHEMA_VERSION, Certainty, EventActor, EventAttribution,
                             EventDate, EventStatus, Location, Span)

SCHEMA_DIR = Path(__file__).resolve().parent
ID_BASE = "https://storyline.invalid/schemas/"


class PloverActor(TypedDict):
    actor: str
    country: Optional[str]
    code_1: Optional[str]
    all: list[EventActor]


class StorylineFields(TypedDict):
    schema_version: str
    pipeline_version: str
    article_id: str
    status: EventStatus
    certainty: Certainty
    date: EventDate
    deadline: Optional[EventDate]
    attributions: list[EventAttribution]
    evidence: list[Span]
    anchor: str
    confidence: float
    related: list[dict[str, str]]
    linked_event_id: Optional[str]
    story_id: Optional[str]


class PloverEvent(TypedDict):
    """One event as exported by ``storyline export --format plover-jsonl``: PLOVER's field names
    (id, date, event, mode, context, actor, recipient, event_loc, event_text, …) plus ``storyline``."""

    id: str
    date: Optional[str]
    event: str
    mode: Optional[str]
    context: list[str]
    actor: Optional[PloverActor]
    recipient: Optional[PloverActor]
    event_loc: Optional[Location]
    event_text: str
    cameo: Optional[str]
    source: Optional[str]
    url: Optional[str]
    publication_date: Optional[str]
    storyline: StorylineFields


def record_types() -> dict[str, Any]:
    """Name -> type for every schema written: the exported records and the PLOVER event."""
    return {**EXPORTED_RECORDS, "plover_event": PloverEvent}


def build(name: str, tp: Any) -> dict[str, Any]:
    from pydantic import TypeAdapter

    schema = TypeAdapter(tp).json_schema()
    head = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{ID_BASE}{SCHEMA_VERSION}/{name}.schema.json",
        "schema_version": SCHEMA_VERSION,
    }
    return {**head, **schema}


def render(name: str, tp: Any) -> str:
    return json.dumps(build(name, tp), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def path_for(name: str, directory: Path = SCHEMA_DIR) -> Path:
    return directory / f"{name}.schema.json"


def write_all(directory: Path = SCHEMA_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name, tp in record_types().items():
        path = path_for(name, directory)
        path.write_text(render(name, tp), encoding="utf-8")
        out.append(path)
    return out


def load(name: str) -> dict[str, Any]:
    """A committed schema by record name (``event``, ``analysis``, ``plover_event``, …)."""
    return json.loads(path_for(name).read_text(encoding="utf-8"))


def validate(record: Any, name: str) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``record`` (a JSON-ready dict) fits schema ``name``."""
    import jsonschema

    jsonschema.Draft202012Validator(load(name)).validate(record)
