"""The store's tables (SQLAlchemy Core).  Alembic migrations in ``migrations/`` create and change them.

Every annotation row keeps its full record as JSON (``record``, the data model's ``to_dict``) next to
the columns the CLI's queries filter and sort on, and the pipeline version that produced it.
Annotation ids are made unique across the store by prefixing the article id (``<article>:<local id>``,
unless the local id already starts with it);
``local_id`` keeps the id the pipeline gave.
"""

from __future__ import annotations

from sqlalchemy import (JSON, Column, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, MetaData,
                        String, Table, Text)

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

documents = Table(
    "documents", metadata,
    Column("id", String(64), primary_key=True),          # content hash of raw
    Column("source", Text, nullable=False),
    Column("media_type", String(32), nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("encoding", String(64)),
    Column("url", Text),
    Column("crawl_date", String(64)),
    Column("hints", JSON, nullable=False),                # published/outlet/title/authors hints
    Column("provenance", JSON, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

articles = Table(
    "articles", metadata,
    Column("id", String(64), primary_key=True),
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("title", Text),
    Column("outlet", Text),
    Column("url", Text),
    Column("language", String(16)),
    Column("published", String(40)),
    Column("published_source", String(120)),
    Column("text", Text, nullable=False),
    Column("record", JSON, nullable=False),               # Article.to_dict() (boilerplate included)
    Column("pipeline_version", String(64), nullable=False),
    Column("n_timexes", Integer, nullable=False, default=0),
    Column("n_actors", Integer, nullable=False, default=0),
    Column("n_attributions", Integer, nullable=False, default=0),
    Column("n_events", Integer, nullable=False, default=0),
    Column("stored_at", DateTime(timezone=True), nullable=False),
    Index("ix_articles_outlet", "outlet"),
    Index("ix_articles_published", "published"),
)


def _annotation_table(name: str, *columns: Column, indexes: tuple = ()) -> Table:
    return Table(
        name, metadata,
        Column("id", String(160), primary_key=True),     # "<article id>:<local id>"
        Column("local_id", String(96), nullable=False),
        Column("seq", Integer, nullable=False),            # position in the pipeline's output
        Column("article_id", String(64), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False,
               index=True),
        *columns,
        Column("record", JSON, nullable=False),
        Column("pipeline_version", String(64), nullable=False),
        *indexes,
    )


timexes = _annotation_table(
    "timexes",
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("value", String(64)),
)

actors = _annotation_table(
    "actors",
    Column("name", Text, nullable=False),
    Column("country", String(16)),
    Column("sector", String(16)),
    Column("kind", String(32)),
    indexes=(Index("ix_actors_name", "name"), Index("ix_actors_country", "country")),
)

attributions = _annotation_table(
    "attributions",
    Column("speaker", Text),
    Column("kind", String(16), nullable=False),
    Column("source_type", String(32)),
    Column("channel", Text),
    Column("certainty", String(16), nullable=False),
    Column("start", Integer, nullable=False),
    indexes=(Index("ix_attributions_speaker", "speaker"),),
)

events = _annotation_table(
    "events",
    Column("type", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("date_value", String(64)),
    Column("date_start", String(32)),
    Column("date_end", String(32)),
    Column("date_precision", String(16)),
    Column("date_basis", String(16)),
    Column("date_sort", String(32)),                     # the day to order a timeline by (start, else value)
    Column("outlet", Text),
    Column("certainty", String(16), nullable=False),
    Column("confidence", Float),
    Column("anchor", Text),
    indexes=(Index("ix_events_date_sort", "date_sort"), Index("ix_events_type", "type"),
             Index("ix_events_status", "status"), Index("ix_events_outlet", "outlet")),
)

event_participants = Table(
    "event_participants", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(160), ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("role", String(16), nullable=False),           # "actor" | "recipient"
    Column("name", Text, nullable=False),
    Column("actor_id", String(96)),
    Column("country", String(16)),
    Column("sector", String(16)),
    Index("ix_event_participants_name", "name"),
    Index("ix_event_participants_country", "country"),
)

ANNOTATION_TABLES = (event_participants, events, attributions, actors, timexes)

# --------------------------------------------------------------------------
# across articles (storyline.stories): rebuilt as a whole by stories.refresh after ingest/reprocess

stories = Table(
    "stories", metadata,
    Column("id", String(32), primary_key=True),
    Column("label", Text),
    Column("first_published", String(40)),
    Column("last_published", String(40)),
    Column("n_articles", Integer, nullable=False),
    Column("record", JSON, nullable=False),               # Story.to_dict()
    Column("pipeline_version", String(64), nullable=False),
    Column("built_at", DateTime(timezone=True), nullable=False),
    Index("ix_stories_last_published", "last_published"),
)

story_articles = Table(
    "story_articles", metadata,
    Column("story_id", String(32), ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", String(64), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)

linked_events = Table(
    "linked_events", metadata,
    Column("id", String(32), primary_key=True),
    Column("story_id", String(32), ForeignKey("stories.id", ondelete="SET NULL"), index=True),
    Column("type", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("date_sort", String(32)),
    Column("n_reports", Integer, nullable=False),
    Column("n_outlets", Integer, nullable=False),
    Column("record", JSON, nullable=False),               # LinkedEvent.to_dict()
    Column("pipeline_version", String(64), nullable=False),
    Index("ix_linked_events_date_sort", "date_sort"),
)

linked_event_reports = Table(
    "linked_event_reports", metadata,
    Column("linked_event_id", String(32), ForeignKey("linked_events.id", ondelete="CASCADE"), primary_key=True),
    Column("event_id", String(160), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True, index=True),
)

STORY_TABLES = (linked_event_reports, linked_events, story_articles, stories)
