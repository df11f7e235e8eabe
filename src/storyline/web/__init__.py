"""A read-only web view of a store: stories, story timelines, articles with their annotations, events, deadlines.

``create_app(db)`` returns a FastAPI application (route signatures are resolved from this module's globals, so
FastAPI's ``Request`` is imported at module level); ``storyline web`` serves it with uvicorn. Every HTML page has
a JSON twin under ``/api/`` that returns the data model's records (``to_dict``). The views only read the store;
presentation helpers are shared with the CLI (:mod:`storyline.present`).
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode
from importlib import resources
from typing import Any, Optional

import jinja2
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from storyline import present
from storyline.errors import StorylineError
from storyline.model import EVENT_STATUSES, Analysis

__all__ = ["create_app", "highlight"]

HTML_PAGE = 200      # events per HTML page
API_PAGE = 1000      # events per API response unless ?limit= says otherwise
MAX_PAGE = 10000


def highlight(analysis: Analysis) -> str:
    """The article's kept text as HTML: timexes, quote contents and event triggers marked (overlaps allowed),
    removed boilerplate shown struck through at the place it stood, with its reason."""
    text = analysis.article.text
    n = len(text)
    marks: list[set[str]] = [set() for _ in range(n)]
    titles: dict[int, list[str]] = {}

    def mark(start: int, end: int, cls: str, title: str) -> None:
        start, end = max(0, start), min(n, end)
        if start >= end:
            return
        for i in range(start, end):
            marks[i].add(cls)
        titles.setdefault(start, []).append(title)

    for t in analysis.timexes:
        mark(t.start, t.end, "tx", f"{t.type} {t.value or '?'}")
    for q in analysis.attributions:
        who = " → ".join(q.chain) or q.speaker or "unknown source"
        mark(q.content.start, q.content.end, "q", f"{q.kind} quote, {q.certainty}: {who}")
    for e in analysis.events:
        if e.trigger is not None:
            mark(e.trigger.start, e.trigger.end, "ev",
                 f"{e.type} · {e.status} · {present.date_label(e.date)}")
    inserts: dict[int, list[str]] = {}
    for b in analysis.article.boilerplate:
        inserts.setdefault(min(max(b.at, 0), n), []).append(
            f'<del class="bp" title="removed: {escape(b.reason)}">{escape(b.text)}</del>')

    out: list[str] = []
    i = 0
    while i <= n:
        for html in inserts.get(i, ()):
            out.append(html)
        if i == n:
            break
        j = i + 1
        while j < n and marks[j] == marks[i] and j not in titles and j not in inserts:
            j += 1
        chunk = escape(text[i:j]).replace("\n", "<br>\n")
        if marks[i]:
            title = "; ".join(titles.get(i, []))
            attr = f' title="{escape(title)}"' if title else ""
            out.append(f'<span class="{" ".join(sorted(marks[i]))}"{attr}>{chunk}</span>')
        else:
            out.append(chunk)
        i = j
    return "".join(out)


def create_app(db: Optional[str] = None):
    """The web application over the store at ``db`` (a SQLAlchemy URL or SQLite path; default $STORYLINE_DB)."""
    from storyline.stories import upcoming
    from storyline.store import Store

    store = Store(db)
    base = resources.files("storyline").joinpath("web")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(base.joinpath("templates"))),
                             autoescape=jinja2.select_autoescape(["html"]))
    env.globals.update(date_label=present.date_label, names=present.names, sources_label=present.sources_label)
    templates = Jinja2Templates(env=env)
    app = FastAPI(title="storyline", docs_url="/api/docs", openapi_url="/api/openapi.json")
    app.mount("/static", StaticFiles(directory=str(base.joinpath("static"))), name="static")
    app.state.store = store

    def page(request: Request, name: str, status_code: int = 200, **context: Any):
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    def bound(value: Optional[str], name: str, end: bool) -> Optional[str]:
        try:
            return present.parse_bound(value, end)
        except ValueError as exc:
            raise HTTPException(400, f"{name} {value!r} {exc}") from None

    def day_param(value: Optional[str]) -> str:
        try:
            return present.as_of_day(value)
        except ValueError as exc:
            raise HTTPException(400, f"as_of {value!r} {exc}") from None

    def find(getter, ref: str):
        try:
            return getter(ref)
        except StorylineError as exc:
            raise HTTPException(404, str(exc)) from None

    def event_filters(actor, type, status, outlet, since, until) -> dict:
        if status and status.strip().lower() not in EVENT_STATUSES:
            raise HTTPException(400, f"status {status!r} is not one of {', '.join(EVENT_STATUSES)}")
        return dict(actor=actor or None, type=type or None, status=status or None, outlet=outlet or None,
                    since=bound(since, "since", False), until=bound(until, "until", True))

    def paging(limit: Optional[int], offset: int, default: int) -> tuple[int, int]:
        if limit is not None and not 1 <= limit <= MAX_PAGE:
            raise HTTPException(400, f"limit must be between 1 and {MAX_PAGE}")
        if offset < 0:
            raise HTTPException(400, "offset must be 0 or more")
        return (default if limit is None else limit), offset

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        return page(request, "error.html", status_code=exc.status_code, message=exc.detail,
                    status=exc.status_code)

    # ---- HTML ----------------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request, as_of: Optional[str] = None):
        day = day_param(as_of)
        return page(request, "index.html", stories=store.stories(), upcoming=upcoming(store.linked_events(), day),
                    as_of=day, n_articles=store.count("articles"))

    @app.get("/stories/{story_id}", response_class=HTMLResponse)
    def story(request: Request, story_id: str, all: bool = False):
        st = find(store.story, story_id)
        linked = [le for le in store.linked_events(story_id=st.id) if all or len(le.reports) > 1]
        members = set(st.article_ids)
        articles = {r["id"]: r for r in store.articles() if r["id"] in members}
        return page(request, "story.html", story=st, linked=linked, show_all=all,
                    articles=[articles[a] for a in st.article_ids if a in articles])

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article(request: Request, article_id: str):
        an = find(store.analysis, article_id)
        return page(request, "article.html", a=an, art=an.article, body=highlight(an))

    @app.get("/events", response_class=HTMLResponse)
    def events(request: Request, actor: Optional[str] = None, type: Optional[str] = None,
               status: Optional[str] = None, outlet: Optional[str] = None, since: Optional[str] = None,
               until: Optional[str] = None, offset: int = 0, limit: Optional[int] = None):
        filters = event_filters(actor, type, status, outlet, since, until)
        limit, offset = paging(limit, offset, HTML_PAGE)
        found = store.events(**filters, limit=limit, offset=offset)
        q = {"actor": actor or "", "type": type or "", "status": status or "", "outlet": outlet or "",
             "since": since or "", "until": until or ""}
        total = store.count_events(**filters)
        here = {k: v for k, v in q.items() if v}
        prev_url = (request.url.path + "?" + urlencode({**here, "offset": max(0, offset - limit), "limit": limit})
                    if offset > 0 else None)
        next_url = (request.url.path + "?" + urlencode({**here, "offset": offset + limit, "limit": limit})
                    if offset + len(found) < total else None)
        return page(request, "events.html", events=found, statuses=EVENT_STATUSES, q=q, total=total,
                    first=offset + 1 if found else 0, last=offset + len(found), prev_url=prev_url, next_url=next_url)

    @app.get("/deadlines", response_class=HTMLResponse)
    def deadlines(request: Request, as_of: Optional[str] = None):
        day = day_param(as_of)
        return page(request, "deadlines.html", upcoming=upcoming(store.linked_events(), day), as_of=day)

    # ---- JSON ----------------------------------------------------------------------------------------

    @app.get("/api/stories")
    def api_stories():
        return [s.to_dict() for s in store.stories()]

    @app.get("/api/stories/{story_id}")
    def api_story(story_id: str):
        st = find(store.story, story_id)
        return {"story": st.to_dict(), "linked_events": [le.to_dict() for le in store.linked_events(story_id=st.id)]}

    @app.get("/api/articles")
    def api_articles():
        return store.articles()

    @app.get("/api/articles/{article_id}")
    def api_article(article_id: str):
        return find(store.analysis, article_id).to_dict()

    @app.get("/api/events")
    def api_events(actor: Optional[str] = None, type: Optional[str] = None, status: Optional[str] = None,
                   outlet: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None,
                   offset: int = 0, limit: Optional[int] = None):
        """A page of events (``limit``, default 1000; ``offset``); the header X-Total-Count gives the total."""
        filters = event_filters(actor, type, status, outlet, since, until)
        limit, offset = paging(limit, offset, API_PAGE)
        rows = [{"id": se.store_id, **se.event.to_dict()}
                for se in store.events(**filters, limit=limit, offset=offset)]
        return JSONResponse(rows, headers={"X-Total-Count": str(store.count_events(**filters))})

    @app.get("/api/deadlines")
    def api_deadlines(as_of: Optional[str] = None):
        return [{"due": u.day, "kind": u.kind, "exact": u.exact, "linked_event": u.event.to_dict()}
                for u in upcoming(store.linked_events(), day_param(as_of))]

    return app
