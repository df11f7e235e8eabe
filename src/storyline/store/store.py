"""The store: raw documents and every annotation, in SQLite (default) or PostgreSQL.

SQLAlchemy Core; the schema is created and upgraded by the Alembic migrations in
``storyline/store/migrations`` (``upgrade head`` runs on open).  One transaction per article:
:meth:`Store.save` writes the document, the article and all its annotations, or nothing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from sqlalchemy import Connection, Engine, create_engine, delete, event, func, or_, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from storyline.errors import StorylineError
from storyline.model import (PIPELINE_VERSION, Actor, Analysis, Article, Attribution, Document, Event,
                             LinkedEvent, Story, Timex, global_id)
from storyline.store import schema as S

DEFAULT_DB = "storyline.db"


def default_url() -> str:
    """``$STORYLINE_DB``, else ``./storyline.db``."""
    return os.environ.get("STORYLINE_DB") or DEFAULT_DB


def normalize_url(url: Optional[str]) -> str:
    """A SQLAlchemy URL from what the user typed: a bare path is a SQLite file; ``postgresql://`` uses psycopg 3."""
    url = (url or default_url()).strip()
    if not url:
        raise StorylineError("empty database URL")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if "://" not in url:
        if url == ":memory:":
            return "sqlite://"
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    return url


def migrations_dir() -> Path:
    return Path(__file__).resolve().parent / "migrations"


def migrate(engine: Engine) -> None:
    """Run the Alembic migrations up to head on ``engine``."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _sqlite_fk_on(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _now() -> datetime:
    return datetime.now(timezone.utc)


_global_id = global_id


def _jsonable(record: dict[str, Any]) -> dict[str, Any]:
    """Check the record serialises as JSON now (a bad value fails inside the article's transaction)."""
    json.dumps(record, allow_nan=False)
    return record


def _day(value: Optional[str]) -> Optional[str]:
    """The first ISO day a date value denotes ("2025-07" -> "2025-07-01"), for ordering."""
    if not value or not value[:4].isdigit():
        return None
    v = value[:10]
    if len(v) == 4:
        return v + "-01-01"
    if len(v) == 7 and v[4] == "-" and v[5:7].isdigit():
        return v + "-01"
    if len(v) == 10 and v[4] == "-" and v[7] == "-":
        return v
    return None


@dataclass
class SaveResult:
    article_id: str
    status: str  # "ingested" | "replaced" | "already present"


@dataclass
class StoredEvent:
    """An event with the store id and the article facts the CLI shows beside it."""

    store_id: str
    event: Event
    title: Optional[str]
    outlet: Optional[str]
    url: Optional[str]
    published: Optional[str]


class Store:
    """Open (and migrate) a store.  ``Store(url)`` accepts a SQLAlchemy URL or a bare file path."""

    def __init__(self, url: Optional[str] = None, migrate_on_open: bool = True):
        self.url = normalize_url(url)
        try:
            make_url(self.url)
        except ArgumentError as exc:
            raise StorylineError(f"not a database URL: {url!r} ({exc})") from None
        kwargs: dict[str, Any] = {}
        if self.url.startswith("sqlite"):
            path = make_url(self.url).database
            if path and path != ":memory:" and not Path(path).parent.is_dir():
                raise StorylineError(f"cannot create the database {path!r}: its folder does not exist")
        try:
            self.engine = create_engine(self.url, **kwargs)
        except (ArgumentError, SQLAlchemyError, ImportError) as exc:
            raise StorylineError(f"cannot open the database {url or self.url!r}: {exc}") from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_fk_on)
        if migrate_on_open:
            try:
                migrate(self.engine)
            except OperationalError as exc:
                raise StorylineError(f"cannot open the database {self.safe_url}: {exc.orig}") from None

    @property
    def safe_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ writing

    def has_document(self, document_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(S.documents.c.id).where(S.documents.c.id == document_id)).first() \
                is not None

    def has_article(self, article_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(S.articles.c.id).where(S.articles.c.id == article_id)).first() is not None

    def save(self, analysis: Analysis, document: Optional[Document] = None, replace: bool = False) -> SaveResult:
        """Store one analysed article (and its raw document) in one transaction.

        Content already stored is left alone ("already present") unless ``replace`` is set, in which
        case the article's annotations are replaced atomically (``reprocess``).
        """
        article = analysis.article
        with self.engine.begin() as conn:
            exists = conn.execute(select(S.articles.c.id).where(S.articles.c.id == article.id)).first()
            if exists and not replace:
                return SaveResult(article.id, "already present")
            if document is not None:
                has_doc = conn.execute(select(S.documents.c.id).where(S.documents.c.id == document.id)).first()
                if not has_doc:
                    conn.execute(S.documents.insert().values(**self._document_row(document)))
            if exists:
                self._delete_article(conn, article.id)
            self._insert_analysis(conn, analysis)
        return SaveResult(article.id, "replaced" if exists else "ingested")

    @staticmethod
    def _document_row(doc: Document) -> dict[str, Any]:
        return {
            "id": doc.id, "source": doc.source, "media_type": doc.media_type, "raw": bytes(doc.raw or b""),
            "encoding": doc.encoding, "url": doc.url, "crawl_date": doc.crawl_date,
            "hints": _jsonable({
                "published_hint": doc.published_hint, "published_hint_source": doc.published_hint_source,
                "outlet_hint": doc.outlet_hint, "title_hint": doc.title_hint,
                "authors_hint": list(doc.authors_hint),
            }),
            "provenance": _jsonable(dict(doc.provenance)), "ingested_at": _now(),
        }

    @staticmethod
    def _delete_article(conn: Connection, article_id: str) -> None:
        event_ids = select(S.events.c.id).where(S.events.c.article_id == article_id)
        conn.execute(delete(S.event_participants).where(S.event_participants.c.event_id.in_(event_ids)))
        conn.execute(delete(S.linked_event_reports).where(S.linked_event_reports.c.event_id.in_(event_ids)))
        conn.execute(delete(S.story_articles).where(S.story_articles.c.article_id == article_id))
        for table in (S.events, S.attributions, S.actors, S.timexes):
            conn.execute(delete(table).where(table.c.article_id == article_id))
        conn.execute(delete(S.articles).where(S.articles.c.id == article_id))

    @staticmethod
    def _insert_analysis(conn: Connection, analysis: Analysis) -> None:
        a = analysis.article
        aid = a.id
        version = analysis.pipeline_version or a.pipeline_version or PIPELINE_VERSION
        conn.execute(S.articles.insert().values(
            id=aid, document_id=a.document_id, title=a.title, outlet=a.outlet, url=a.url, language=a.language,
            published=a.published, published_source=a.published_source, text=a.text,
            record=_jsonable(a.to_dict()), pipeline_version=a.pipeline_version or version,
            n_timexes=len(analysis.timexes), n_actors=len(analysis.actors),
            n_attributions=len(analysis.attributions), n_events=len(analysis.events), stored_at=_now()))
        if analysis.timexes:
            conn.execute(S.timexes.insert(), [dict(
                id=_global_id(aid, t.id), local_id=t.id, seq=i, article_id=aid, start=t.start, end=t.end, text=t.text,
                type=t.type, value=t.value, record=_jsonable(t.to_dict()), pipeline_version=version)
                for i, t in enumerate(analysis.timexes)])
        if analysis.actors:
            conn.execute(S.actors.insert(), [dict(
                id=_global_id(aid, x.id), local_id=x.id, seq=i, article_id=aid, name=x.name, country=x.country,
                sector=x.sector, kind=x.kind, record=_jsonable(x.to_dict()), pipeline_version=version)
                for i, x in enumerate(analysis.actors)])
        if analysis.attributions:
            conn.execute(S.attributions.insert(), [dict(
                id=_global_id(aid, q.id), local_id=q.id, seq=i, article_id=aid, speaker=q.speaker, kind=q.kind,
                source_type=q.source_type, channel=q.channel, certainty=q.certainty, start=q.content.start,
                record=_jsonable(q.to_dict()), pipeline_version=version)
                for i, q in enumerate(analysis.attributions)])
        participants = []
        for i, e in enumerate(analysis.events):
            eid = _global_id(aid, e.id)
            d = e.date
            conn.execute(S.events.insert().values(
                id=eid, local_id=e.id, seq=i, article_id=aid, type=e.type, status=e.status, date_value=d.value,
                date_start=d.start, date_end=d.end, date_precision=d.precision, date_basis=d.basis,
                date_sort=d.start or _day(d.value) or d.end, outlet=e.outlet or a.outlet,
                certainty=e.certainty, confidence=e.confidence, anchor=e.anchor,
                record=_jsonable(e.to_dict()), pipeline_version=e.pipeline_version or version))
            for role, people in (("actor", e.actors), ("recipient", e.recipients)):
                for p in people:
                    participants.append(dict(event_id=eid, role=role, name=p.name, actor_id=p.actor_id,
                                             country=p.country, sector=p.sector))
        if participants:
            conn.execute(S.event_participants.insert(), participants)

    # ------------------------------------------------------------------ reading

    def documents(self) -> Iterator[Document]:
        """Every stored raw document, in ingestion order."""
        with self.engine.connect() as conn:
            ids = [r.id for r in conn.execute(select(S.documents.c.id).order_by(S.documents.c.ingested_at,
                                                                               S.documents.c.id))]
        for doc_id in ids:
            doc = self.document(doc_id)
            if doc is not None:
                yield doc

    def document(self, document_id: str) -> Optional[Document]:
        with self.engine.connect() as conn:
            r = conn.execute(select(S.documents).where(S.documents.c.id == document_id)).first()
        if r is None:
            return None
        hints = r.hints or {}
        return Document(id=r.id, source=r.source, media_type=r.media_type, raw=bytes(r.raw), encoding=r.encoding,
                        url=r.url, crawl_date=r.crawl_date, published_hint=hints.get("published_hint"),
                        published_hint_source=hints.get("published_hint_source"),
                        outlet_hint=hints.get("outlet_hint"), title_hint=hints.get("title_hint"),
                        authors_hint=list(hints.get("authors_hint") or []), provenance=dict(r.provenance or {}))

    def resolve_article_id(self, ref: str) -> str:
        """The full id of an article from its id or a unique prefix of it."""
        ref = ref.strip()
        with self.engine.connect() as conn:
            if conn.execute(select(S.articles.c.id).where(S.articles.c.id == ref)).first():
                return ref
            hits = [r.id for r in conn.execute(
                select(S.articles.c.id).where(S.articles.c.id.startswith(ref, autoescape=True))
                .limit(3))] if ref else []
        if len(hits) == 1:
            return hits[0]
        if not hits:
            raise StorylineError(f"no article {ref!r} in the store (see `storyline articles`)")
        raise StorylineError(f"article id {ref!r} is ambiguous: {', '.join(hits)}, …")

    def analysis(self, article_id: str) -> Analysis:
        """One stored article with all its annotations."""
        article_id = self.resolve_article_id(article_id)
        with self.engine.connect() as conn:
            row = conn.execute(select(S.articles).where(S.articles.c.id == article_id)).one()

            def records(table):
                return [r.record for r in conn.execute(
                    select(table.c.record).where(table.c.article_id == article_id).order_by(table.c.seq))]

            timexes = [Timex.from_dict(d) for d in records(S.timexes)]
            actors = [Actor.from_dict(d) for d in records(S.actors)]
            attributions = [Attribution.from_dict(d) for d in records(S.attributions)]
            events = [Event.from_dict(d) for d in records(S.events)]
        return Analysis(article=Article.from_dict(row.record), timexes=timexes, actors=actors,
                        attributions=attributions, events=events, pipeline_version=row.pipeline_version)

    def articles(self) -> list[dict[str, Any]]:
        """One summary row per article: id, title, outlet, published, counts, pipeline version."""
        a = S.articles.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(a.id, a.document_id, a.title, a.outlet, a.url, a.language, a.published,
                                       a.published_source, a.n_timexes, a.n_actors, a.n_attributions, a.n_events,
                                       a.pipeline_version)
                                .order_by(a.published.is_(None), a.published, a.id)).all()
        return [dict(r._mapping) for r in rows]

    def article(self, article_id: str) -> Article:
        with self.engine.connect() as conn:
            row = conn.execute(select(S.articles.c.record).where(S.articles.c.id == article_id)).first()
        if row is None:
            raise StorylineError(f"no article {article_id!r} in the store")
        return Article.from_dict(row.record)

    def events(self, actor: Optional[str] = None, type: Optional[str] = None, status: Optional[str] = None,
               outlet: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None,
               limit: Optional[int] = None, offset: int = 0) -> list[StoredEvent]:
        """Events matching every filter given, ordered by event date (undated last).

        ``actor`` matches a participant's name (case-insensitive substring) or country code;
        ``since``/``until`` keep events whose date range overlaps the interval (undated events drop out);
        ``limit``/``offset`` page through the ordered list (the database does the paging).
        """
        e, a = S.events.c, S.articles.c
        q = self._event_filters(select(e.id, e.record, a.title, a.outlet, a.url, a.published)
                                .join(S.articles, S.articles.c.id == e.article_id),
                                actor, type, status, outlet, since, until)
        q = q.order_by(e.date_sort.is_(None), e.date_sort, a.published, e.article_id, e.seq)
        if limit is not None:
            q = q.limit(max(0, int(limit)))
        if offset:
            q = q.offset(max(0, int(offset)))
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        return [StoredEvent(store_id=r.id, event=Event.from_dict(r.record), title=r.title, outlet=r.outlet,
                            url=r.url, published=r.published) for r in rows]

    def count_events(self, actor: Optional[str] = None, type: Optional[str] = None, status: Optional[str] = None,
                     outlet: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None) -> int:
        """How many events :meth:`events` would list with these filters and no limit."""
        q = self._event_filters(select(func.count()).select_from(S.events.join(
            S.articles, S.articles.c.id == S.events.c.article_id)), actor, type, status, outlet, since, until)
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    @staticmethod
    def _event_filters(q, actor, type, status, outlet, since, until):
        e, a, p = S.events.c, S.articles.c, S.event_participants.c
        if actor:
            needle = actor.strip().lower()
            q = q.where(e.id.in_(select(p.event_id).where(or_(
                func.lower(p.name).contains(needle, autoescape=True), func.upper(p.country) == needle.upper()))))
        if type:
            q = q.where(func.upper(e.type) == type.strip().upper())
        if status:
            q = q.where(func.lower(e.status) == status.strip().lower())
        if outlet:
            q = q.where(func.lower(func.coalesce(e.outlet, a.outlet)).contains(outlet.strip().lower(), autoescape=True))
        if since:
            q = q.where(func.coalesce(e.date_end, e.date_sort) >= since)
        if until:
            q = q.where(e.date_sort <= until)
        return q

    def attributions(self, speaker: Optional[str] = None) -> list[tuple[str, Attribution, dict[str, Any]]]:
        """(store id, attribution, article facts) for every quote, by article then position."""
        q_, a = S.attributions.c, S.articles.c
        q = (select(q_.id, q_.record, a.id.label("article_id"), a.title, a.outlet, a.published)
             .join(S.articles, a.id == q_.article_id))
        if speaker:
            q = q.where(func.lower(q_.speaker).contains(speaker.strip().lower(), autoescape=True))
        q = q.order_by(a.published.is_(None), a.published, a.id, q_.seq)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        return [(r.id, Attribution.from_dict(r.record),
                 {"article_id": r.article_id, "title": r.title, "outlet": r.outlet, "published": r.published})
                for r in rows]

    # -- across articles (storyline.stories) ----------------------------------------------------

    def save_stories(self, stories: list[Story], linked: list[LinkedEvent]) -> None:
        """Replace every story and linked event with these, in one transaction."""
        built = _now()
        with self.engine.begin() as conn:
            for table in S.STORY_TABLES:
                conn.execute(delete(table))
            known_articles = {r[0] for r in conn.execute(select(S.articles.c.id))}
            known_events = {r[0] for r in conn.execute(select(S.events.c.id))}
            for st in stories:
                conn.execute(S.stories.insert().values(
                    id=st.id, label=st.label, first_published=st.first_published,
                    last_published=st.last_published, n_articles=len(st.article_ids),
                    record=_jsonable(st.to_dict()), pipeline_version=st.pipeline_version, built_at=built))
                rows = [{"story_id": st.id, "article_id": a} for a in dict.fromkeys(st.article_ids)
                        if a in known_articles]
                if rows:
                    conn.execute(S.story_articles.insert(), rows)
            for le in linked:
                conn.execute(S.linked_events.insert().values(
                    id=le.id, story_id=le.story_id, type=le.type, status=le.status,
                    date_sort=_day(le.date.start) or _day(le.date.value) or _day(le.date.end),
                    n_reports=len(le.reports), n_outlets=len(le.outlets),
                    record=_jsonable(le.to_dict()), pipeline_version=le.pipeline_version))
                rows = [{"linked_event_id": le.id, "event_id": r.event_id}
                        for r in le.reports if r.event_id in known_events]
                if rows:
                    conn.execute(S.linked_event_reports.insert(), rows)

    def stories(self) -> list[Story]:
        """Every story, latest first."""
        c = S.stories.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.record).order_by(c.last_published.is_(None), c.last_published.desc(),
                                                          c.id)).all()
        return [Story.from_dict(r.record) for r in rows]

    def story(self, ref: str) -> Story:
        """One story by id or unique id prefix."""
        c = S.stories.c
        ref = (ref or "").strip()
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.record).where(c.id.startswith(ref, autoescape=True)).limit(2)).all()
        if not rows:
            raise StorylineError(f"no story {ref!r} in the store (run `storyline stories` to list them)")
        if len(rows) > 1:
            raise StorylineError(f"story id {ref!r} is ambiguous: give more characters")
        return Story.from_dict(rows[0].record)

    def linked_events(self, story_id: Optional[str] = None, min_reports: int = 1) -> list[LinkedEvent]:
        """Linked events (optionally of one story, or reported by at least ``min_reports`` articles), by date."""
        c = S.linked_events.c
        q = select(c.record).where(c.n_reports >= min_reports)
        if story_id:
            q = q.where(c.story_id == story_id)
        q = q.order_by(c.date_sort.is_(None), c.date_sort, c.id)
        with self.engine.connect() as conn:
            return [LinkedEvent.from_dict(r.record) for r in conn.execute(q)]

    def analyses(self) -> Iterator[Analysis]:
        """Every stored article's analysis, in publication order."""
        for row in self.articles():
            yield self.analysis(row["id"])

    def count(self, table: str) -> int:
        t = S.metadata.tables[table]
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(t)).scalar_one()

    def pipeline_versions(self) -> set[str]:
        """Every pipeline version recorded on any stored row."""
        out: set[str] = set()
        with self.engine.connect() as conn:
            for t in (S.articles, S.timexes, S.actors, S.attributions, S.events):
                out.update(r[0] for r in conn.execute(select(t.c.pipeline_version).distinct()))
        return out


def open_store(url: Optional[str] = None) -> Store:
    return Store(url)


def reprocess(store: Store, config=None, progress=None) -> Iterator[tuple[str, str]]:
    """Re-run every stored raw document through the current pipeline; yields (source, outcome)."""
    from storyline.errors import InputError
    from storyline.pipeline import run_pairs

    for doc, result in run_pairs(store.documents(), config):
        if isinstance(result, InputError):
            yield result.source, f"failed: {result.reason}"
        else:
            source = doc.source if doc else result.article.id
            try:
                store.save(result, doc, replace=True)
                yield source, "reprocessed"
            except Exception as exc:  # one document failing never stops the rest
                yield source, f"failed: {exc.__class__.__name__}: {exc}"
        if progress is not None:
            progress()
