"""The one data model of storyline.

Every stage reads and writes these records and nothing else.  Later stages
read earlier records; they never re-parse raw input.

Conventions (see DEVELOPERS.md):

* Offsets are Python ``str`` indices (code points) into ``Article.text``,
  end exclusive.
* ``Event.status`` is one of :data:`EVENT_STATUSES`; the event *type* says
  what happened, the status whether it took place.  Who asserts it and how
  hedged that is lives in ``Event.attributions`` / ``Event.certainty``.
* An event's date comes from the timex that governs it; with none, the
  publication date with ``date.basis == "publication"``.

All records are plain dataclasses; ``to_dict``/``from_dict`` give the JSON
form used by the store, the CLI's ``--format json`` and the exports.  JSON
Schemas for the exported records are generated from these classes into
``storyline/schemas`` (``python -m storyline.schemas``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, Optional, TypeVar, get_args, get_origin, get_type_hints

from storyline import __version__

SCHEMA_VERSION = "1.0"
PIPELINE_VERSION = f"storyline-{__version__}"

EVENT_STATUSES = ("happened", "ongoing", "planned", "possible", "conditional", "negated")
EventStatus = Literal["happened", "ongoing", "planned", "possible", "conditional", "negated"]
# statuses of an event still to come (what deadlines list, what a publication day bounds from below)
OPEN_STATUSES = frozenset({"planned", "possible", "conditional"})

# Ordinal certainty scale for attributed content (see DEVELOPERS.md).
CERTAINTY_LEVELS = ("denied", "doubtful", "speculative", "probable", "reported", "confirmed")
Certainty = Literal["denied", "doubtful", "speculative", "probable", "reported", "confirmed"]

DateBasis = Literal["timex", "derived", "publication", "unknown"]
DatePrecision = Literal["year", "quarter", "season", "month", "week", "day", "time", "range", "unknown"]

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)


def content_hash(data: bytes | str) -> str:
    """Stable id for raw content: the first 16 hex digits of its SHA-256."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:16]


T = TypeVar("T")


class Record:
    """Mixin: JSON-ready dict conversion for the dataclasses below."""

    def to_dict(self) -> dict[str, Any]:
        return _to_jsonable(self)

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        return _from_jsonable(cls, data)


def _to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.metadata.get("export", True)}
    if isinstance(value, (list, tuple)):
        return [_to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_jsonable(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls)
    return _HINTS[cls]


def _from_jsonable(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return _from_jsonable(args[0], data) if len(args) == 1 else data
    if origin is list:
        (inner,) = get_args(tp)
        return [_from_jsonable(inner, v) for v in data]
    if origin is dict:
        return dict(data)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {}
        for f in dataclasses.fields(tp):
            if f.name in data:
                kwargs[f.name] = _from_jsonable(hints[f.name], data[f.name])
        return tp(**kwargs)
    if tp is bytes and isinstance(data, str):
        return data.encode("utf-8")
    return data


# --------------------------------------------------------------------------
# ingest


@dataclass
class Document(Record):
    """One raw input as it arrived, with its provenance.

    ``raw`` is exactly the bytes read (decompressed if the container was
    gzip); ``id`` is the content hash of ``raw`` so re-ingesting the same
    content is idempotent.
    """

    id: str
    source: str                      # path, URL, "<stdin>", or "warc:path#offset"
    media_type: Literal["html", "text", "feed-entry"] = "text"
    raw: bytes = field(default=b"", repr=False)
    encoding: Optional[str] = None   # declared or detected charset of raw
    url: Optional[str] = None
    crawl_date: Optional[str] = None  # e.g. WARC-Date; never a publication date
    published_hint: Optional[str] = None  # from the user (--published) or a feed entry
    published_hint_source: Optional[str] = None  # "user", "feed", ...
    outlet_hint: Optional[str] = None
    title_hint: Optional[str] = None
    authors_hint: list[str] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_bytes(cls, raw: bytes, source: str, **kw: Any) -> "Document":
        return cls(id=content_hash(raw), source=source, raw=raw, **kw)


# --------------------------------------------------------------------------
# clean


@dataclass
class Boilerplate(Record):
    """A removed line or block, kept with the reason it was removed.

    ``at`` is the offset in ``Article.text`` where the block stood (an
    insertion point), so the original order can be shown again.
    """

    text: str
    reason: str
    at: int = 0


@dataclass
class Article(Record):
    id: str                          # == Document.id of its source
    document_id: str
    text: str
    title: Optional[str] = None
    authors: list[str] = field(default_factory=list)
    outlet: Optional[str] = None
    url: Optional[str] = None
    language: Optional[str] = None
    published: Optional[str] = None  # ISO date or datetime (with offset where known)
    published_source: Optional[str] = None  # "user", "meta:article:published_time", "dateline", ...
    published_precision: Optional[DatePrecision] = None
    metadata_sources: dict[str, str] = field(default_factory=dict)  # field -> how it was found
    boilerplate: list[Boilerplate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "relative dates unresolved: no publication date"
    skipped_stages: dict[str, str] = field(default_factory=dict)  # stage -> reason
    pipeline_version: str = PIPELINE_VERSION

    @property
    def published_date(self) -> Optional[str]:
        """The publication day (YYYY-MM-DD) if known to the day."""
        if self.published and len(self.published) >= 10:
            return self.published[:10]
        return None


def global_id(article_id: str, local_id: str) -> str:
    """An annotation id unique across articles (the store's id): ``<article id>:<local id>``, or the local
    id unchanged if it already starts with the article id."""
    return local_id if local_id.startswith(article_id) else f"{article_id}:{local_id}"


# --------------------------------------------------------------------------
# shared small records


@dataclass
class Span(Record):
    start: int
    end: int
    text: str = ""


# --------------------------------------------------------------------------
# time


@dataclass
class Timex(Record):
    """A TIMEX3-style temporal expression, resolved where possible."""

    id: str
    start: int
    end: int
    text: str
    type: Literal["DATE", "TIME", "DURATION", "SET"] = "DATE"
    value: Optional[str] = None      # TimeML value: 2025-07-21, 2025-W30, P50D, PRESENT_REF, ...
    mod: Optional[str] = None        # BEFORE, AFTER, START, MID, END, APPROX, ...
    quant: Optional[str] = None
    freq: Optional[str] = None
    alternatives: list[str] = field(default_factory=list)  # "Thursday or Friday" -> both values
    range_start: Optional[str] = None  # ISO date: earliest day meant
    range_end: Optional[str] = None    # ISO date: latest day meant (inclusive)
    anchor: Optional[str] = None       # "DCT", a timex id, or an event/reference description
    direction: Optional[Literal["past", "future", "present"]] = None
    derived_from: Optional[str] = None  # id of the timex this one is computed from ("50 days" after X)
    resolved: bool = True              # False where no anchor was available
    # A date computed from this expression and its anchor (see storyline.time):
    # "in/within 50 days" -> the deadline (anchor + P50D), relation "deadline";
    # "a week after X" -> the date of X (anchor - P1W), relation "reference".
    derived_value: Optional[str] = None
    derived_relation: Optional[Literal["deadline", "reference", "after", "before"]] = None


# --------------------------------------------------------------------------
# actors


@dataclass
class Mention(Record):
    start: int
    end: int
    text: str
    actor_id: str
    kind: Literal["name", "title", "pronoun", "nominal", "metonym", "demonym"] = "name"


@dataclass
class Actor(Record):
    """An actor resolved to PLOVER agent codes, within one article."""

    id: str
    name: str
    country: Optional[str] = None    # ISO 3166 alpha-3 or PLOVER special (IGO, ...)
    sector: Optional[str] = None     # PLOVER agent code: GOV, MIL, JRN, ...
    sector_2: Optional[str] = None
    role: Optional[str] = None       # "President", "state news agency", ...
    kind: Literal["person", "organization", "country", "group", "anonymous"] = "person"
    wikidata: Optional[str] = None
    mentions: list[Mention] = field(default_factory=list)


# --------------------------------------------------------------------------
# quotes


@dataclass
class Attribution(Record):
    """Who asserts a piece of content, through which channel.

    ``chain`` lists the sources from the original speaker to the article's
    outlet, e.g. ["an anonymous source", "TASS", "The Moscow Times"].
    """

    id: str
    content: Span
    cue: Optional[Span] = None
    source: Optional[Span] = None
    speaker: Optional[str] = None       # resolved speaker name
    speaker_actor_id: Optional[str] = None
    source_type: Literal["named", "anonymous", "organization", "media", "document", "unknown"] = "named"
    anonymous_kind: Optional[str] = None  # "anonymous official", "diplomatic sources", ...
    channel: Optional[str] = None        # medium or relaying outlet: "TASS", "a nightly address"
    channel_actor_id: Optional[str] = None
    chain: list[str] = field(default_factory=list)
    kind: Literal["direct", "indirect", "mixed"] = "indirect"
    certainty: Certainty = "reported"
    relations: list[dict[str, str]] = field(default_factory=list)  # {"type": "confirms", "target": id}


Quote = Attribution  # a quote is an attribution whose content is quoted


# --------------------------------------------------------------------------
# events


@dataclass
class EventActor(Record):
    name: str
    actor_id: Optional[str] = None
    country: Optional[str] = None
    sector: Optional[str] = None


@dataclass
class Location(Record):
    name: str
    country: Optional[str] = None
    admin1: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    precision: Literal["point", "city", "admin1", "country", "region", "unknown"] = "unknown"
    geonameid: Optional[int] = None
    certainty: Certainty = "reported"


@dataclass
class EventDate(Record):
    value: Optional[str] = None       # TimeML-style value at the precision the text supports
    start: Optional[str] = None       # earliest ISO day
    end: Optional[str] = None         # latest ISO day
    precision: DatePrecision = "unknown"
    basis: DateBasis = "unknown"
    timex_id: Optional[str] = None
    alternatives: list[str] = field(default_factory=list)  # candidates besides `value` ("or Friday")
    relation: Optional[str] = None    # "on", "before", "after", "by" (deadline) ...


@dataclass
class EventAttribution(Record):
    attribution_id: Optional[str] = None
    source: Optional[str] = None
    chain: list[str] = field(default_factory=list)
    certainty: Certainty = "reported"
    evidence: Optional[Span] = None


@dataclass
class Event(Record):
    id: str
    article_id: str
    type: str                          # PLOVER root (THREATEN, CONSULT, ...)
    mode: Optional[str] = None
    context: list[str] = field(default_factory=list)
    cameo: Optional[str] = None
    actors: list[EventActor] = field(default_factory=list)
    recipients: list[EventActor] = field(default_factory=list)
    location: Optional[Location] = None
    date: EventDate = field(default_factory=EventDate)
    deadline: Optional[EventDate] = None
    status: EventStatus = "happened"
    attributions: list[EventAttribution] = field(default_factory=list)
    certainty: Certainty = "reported"
    evidence: list[Span] = field(default_factory=list)
    anchor: str = ""                   # the trigger words quoted from the text
    trigger: Optional[Span] = None
    confidence: float = 0.5
    outlet: Optional[str] = None
    related: list[dict[str, str]] = field(default_factory=list)  # e.g. {"type": "result_of", "target": id}
    pipeline_version: str = PIPELINE_VERSION

    def to_plover(self, article: Optional[Article] = None) -> dict[str, Any]:
        """PLOVER JSON (field names as in the PLOVER spec) plus storyline's own fields."""

        def plover_actor(actors: list[EventActor]) -> Optional[dict[str, Any]]:
            if not actors:
                return None
            first = actors[0]
            return {
                "actor": first.name,
                "country": first.country,
                "code_1": first.sector,
                "all": [a.to_dict() for a in actors],
            }

        loc = self.location
        text = article.text if article is not None else None
        sentence = None
        if text is not None and self.evidence:
            ev = self.evidence[0]
            sentence = text[ev.start:ev.end]
        return {
            "id": self.id,
            "date": self.date.value,
            "event": self.type,
            "mode": self.mode,
            "context": list(self.context),
            "actor": plover_actor(self.actors),
            "recipient": plover_actor(self.recipients),
            "event_loc": loc.to_dict() if loc else None,
            "event_text": sentence or self.anchor,
            "cameo": self.cameo,
            "source": (article.outlet if article is not None else None) or self.outlet,
            "url": article.url if article is not None else None,
            "publication_date": article.published if article is not None else None,
            "storyline": {
                "schema_version": SCHEMA_VERSION,
                "pipeline_version": self.pipeline_version,
                "article_id": self.article_id,
                "status": self.status,
                "certainty": self.certainty,
                "date": self.date.to_dict(),
                "deadline": self.deadline.to_dict() if self.deadline else None,
                "attributions": [a.to_dict() for a in self.attributions],
                "evidence": [e.to_dict() for e in self.evidence],
                "anchor": self.anchor,
                "confidence": self.confidence,
                "related": list(self.related),
                "linked_event_id": None,   # filled by the store's export (storyline.stories)
                "story_id": None,
            },
        }


# --------------------------------------------------------------------------
# one analysed article: what the pipeline produces per document


@dataclass
class Analysis(Record):
    article: Article
    timexes: list[Timex] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION
    pipeline_version: str = PIPELINE_VERSION

    @property
    def quotes(self) -> list[Attribution]:
        return self.attributions


# --------------------------------------------------------------------------
# across articles: one real-world event reported by several articles, and stories


@dataclass
class EventReport(Record):
    """One article's account of a linked event: what that article says, through whom."""

    event_id: str                      # store id of the article's event
    article_id: str
    outlet: Optional[str] = None
    published: Optional[str] = None
    status: EventStatus = "happened"
    certainty: Certainty = "reported"
    date: EventDate = field(default_factory=EventDate)
    sources: list[str] = field(default_factory=list)   # first link of each attribution chain
    evidence: Optional[Span] = None


@dataclass
class LinkedEvent(Record):
    """The same real-world event as reported by one or more articles (cross-article event coreference).

    ``date`` is the narrowest date every report allows; ``status`` is the status in the latest report
    (a meeting first reported as possible and later as held ends as ``happened``); ``reports`` keep what each
    article said, so nothing an outlet asserted is lost.
    """

    id: str
    type: str
    actors: list[EventActor] = field(default_factory=list)
    recipients: list[EventActor] = field(default_factory=list)
    location: Optional[Location] = None
    date: EventDate = field(default_factory=EventDate)
    deadline: Optional[EventDate] = None
    status: EventStatus = "happened"
    first_reported: Optional[str] = None
    story_id: Optional[str] = None
    reports: list[EventReport] = field(default_factory=list)
    score: float = 1.0                 # weakest link that joined the reports (1.0 for a single report)
    pipeline_version: str = PIPELINE_VERSION

    @property
    def outlets(self) -> list[str]:
        return sorted({r.outlet for r in self.reports if r.outlet})


@dataclass
class Story(Record):
    """Articles about one developing news story, with the linked events they report."""

    id: str
    label: str = ""
    article_ids: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    first_published: Optional[str] = None
    last_published: Optional[str] = None
    keywords: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)      # most mentioned actors (name, with country)
    linked_event_ids: list[str] = field(default_factory=list)
    pipeline_version: str = PIPELINE_VERSION


EXPORTED_RECORDS = {
    "document": Document,
    "article": Article,
    "timex": Timex,
    "actor": Actor,
    "attribution": Attribution,
    "event": Event,
    "analysis": Analysis,
    "linked_event": LinkedEvent,
    "story": Story,
}
