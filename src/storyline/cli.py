"""The storyline command line: a thin layer over the library."""

from __future__ import annotations

import csv
import functools
import importlib
import io
import json
import logging
import os
import pkgutil
import sys
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

import typer

import storyline.bench as bench_pkg
from storyline import present

app = typer.Typer(help="Raw news in; a sourced, dated record of who did what to whom out.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
bench_app = typer.Typer(help="Score each stage on ../shared/data, with its peer tool in the same run.",
                        no_args_is_help=True)
app.add_typer(bench_app, name="bench")




class _BriefFormatter:
    """Log lines without tracebacks (the CLI reports failures itself; --verbose shows them)."""

    def __init__(self, verbose: bool):
        import logging

        self.verbose = verbose
        self.inner = logging.Formatter("%(levelname)s %(name)s: %(message)s")

    def format(self, record) -> str:
        import logging

        if not self.verbose and (record.exc_info or record.exc_text):
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        return self.inner.format(record)


def _configure_logging(verbose: bool) -> None:
    import logging

    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_storyline", False):
            root.removeHandler(h)
    handler = logging.StreamHandler(sys.stderr)
    handler._storyline = True  # type: ignore[attr-defined]
    handler.setFormatter(_BriefFormatter(verbose))  # type: ignore[arg-type]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    # the extractors' own warnings ("discarding data: None") repeat what the summary reports; -v shows them
    for name in _CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.NOTSET if verbose else logging.ERROR)


_CHATTY_LIBRARIES = ("trafilatura", "htmldate", "readability", "charset_normalizer", "courlan")


@app.callback()
def _main_options(verbose: bool = typer.Option(False, "--verbose", "-v",
                                               help="Log details, with tracebacks, to stderr.")) -> None:
    """Raw news in; a sourced, dated record of who did what to whom out."""
    _configure_logging(verbose)


# --------------------------------------------------------------------------
# shared options and helpers


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ShowFormat(str, Enum):
    text = "text"
    json = "json"


class ExportFormat(str, Enum):
    plover_jsonl = "plover-jsonl"
    csv = "csv"


DB_HELP = "Database: a SQLAlchemy URL (sqlite:///file.db, postgresql://user@host/db) or a file path. " \
          "Default: $STORYLINE_DB, else ./storyline.db."


def DbOption() -> Any:  # noqa: N802 - reads like a type in signatures
    return typer.Option(None, "--db", help=DB_HELP, show_default=False)


def FormatOption(default: Enum) -> Any:  # noqa: N802
    return typer.Option(default, "--format", "-f", help="Output format.")


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def command_boundary(func: Callable) -> Callable:
    """Turn every error into a one-line message and a non-zero exit; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from sqlalchemy.exc import SQLAlchemyError

        from storyline.errors import StorylineError

        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except BrokenPipeError:  # output piped into `head` and the like: stop quietly
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except OSError:
                pass
            raise typer.Exit(0)
        except StorylineError as exc:
            _fail(str(exc))
        except SQLAlchemyError as exc:
            _fail(f"database error: {exc.__class__.__name__}: {getattr(exc, 'orig', None) or exc}")
        except (OSError, ValueError) as exc:
            _fail(f"{exc.__class__.__name__}: {exc}")
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except Exception as exc:  # the last line of defence: still no traceback
            _fail(f"unexpected {exc.__class__.__name__}: {exc}", 1)

    return wrapper


def _register_benches() -> None:
    for info in pkgutil.iter_modules(bench_pkg.__path__):
        if info.name.startswith("_") or info.name == "common":
            continue
        try:
            module = importlib.import_module(f"storyline.bench.{info.name}")
        except Exception as exc:  # one broken bench must not take the whole CLI down
            import logging

            logging.getLogger(__name__).warning("bench %s unavailable: %s: %s", info.name,
                                                exc.__class__.__name__, exc)
            continue
        command = getattr(module, "command", None)
        if command is not None:
            doc = (module.__doc__ or "").strip().splitlines()
            bench_app.command(info.name, help=doc[0] if doc else None)(command_boundary(command))


_register_benches()


def _open(db: Optional[str]):
    from storyline.store import Store

    return Store(db)


def _console(stderr: bool = False):
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 160  # piped or captured output: do not squeeze tables into 80 columns
    return console


def _print_json(records: list[Any]) -> None:
    sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")


def _print_csv(rows: list[dict[str, Any]], columns: list[str], out=None) -> None:
    writer = csv.DictWriter(out or sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in columns})


def _parse_bound(value: Optional[str], option: str, end: bool) -> Optional[str]:
    """A --since/--until value (YYYY, YYYY-MM or YYYY-MM-DD) as the first or last ISO day it covers."""
    try:
        return present.parse_bound(value, end)
    except ValueError as exc:
        _fail(f"{option} {value!r} {exc}")
    return None


def _validate_published(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    v = value.strip()
    try:
        if len(v) == 10:
            return date.fromisoformat(v).isoformat()
        return datetime.fromisoformat(v).isoformat()
    except ValueError:
        _fail(f"--published {value!r} is not an ISO date: use YYYY-MM-DD (or YYYY-MM-DDTHH:MM[+HH:MM])")
    return None


# --------------------------------------------------------------------------
# how events are shown


def event_row(se) -> dict[str, Any]:
    """One flat row per stored event (CSV and tables)."""
    e = se.event
    return {
        "id": se.store_id,
        "article_id": e.article_id,
        "date": present.date_label(e.date),
        "date_value": e.date.value,
        "date_start": e.date.start,
        "date_end": e.date.end,
        "date_precision": e.date.precision,
        "date_basis": e.date.basis,
        "deadline": e.deadline.value or e.deadline.end if e.deadline else None,
        "type": e.type,
        "mode": e.mode,
        "cameo": e.cameo,
        "status": e.status,
        "certainty": e.certainty,
        "actors": "; ".join(a.name for a in e.actors),
        "actor_countries": "; ".join(a.country or "" for a in e.actors),
        "recipients": "; ".join(a.name for a in e.recipients),
        "recipient_countries": "; ".join(a.country or "" for a in e.recipients),
        "location": e.location.name if e.location else None,
        "anchor": e.anchor,
        "outlet": e.outlet or se.outlet,
        "sources": present.sources_label(e, e.outlet or se.outlet),
        "published": se.published,
        "url": se.url,
        "pipeline_version": e.pipeline_version,
    }


EVENT_CSV_COLUMNS = ["id", "article_id", "date", "date_value", "date_start", "date_end", "date_precision",
                     "date_basis", "deadline", "type", "mode", "cameo", "status", "certainty", "actors",
                     "actor_countries", "recipients", "recipient_countries", "location", "anchor", "outlet",
                     "sources", "published", "url", "pipeline_version"]


def _event_table(stored, title: str, timeline: bool = False) -> None:
    from rich.table import Table

    table = Table(title=title, show_lines=True)
    table.add_column("date", no_wrap=True)
    table.add_column("event", ratio=3)
    table.add_column("status · certainty")
    table.add_column("who → whom", ratio=2)
    table.add_column("sources", ratio=2)
    table.add_column("article" if timeline else "id", no_wrap=True)
    for se in stored:
        e = se.event
        who = present.names(e.actors) or "?"
        if e.recipients:
            who += " → " + present.names(e.recipients)
        what = e.type + (f": {e.anchor}" if e.anchor else "")
        if e.location is not None:
            what += f" @ {e.location.name}"
        if e.deadline is not None:
            what += f" (deadline {present.date_label(e.deadline)})"
        row = [present.date_label(e.date), what, f"{e.status} · {e.certainty}", who,
               present.sources_label(e, e.outlet or se.outlet), se.store_id if not timeline else e.article_id[:8]]
        table.add_row(*[_escape(x) for x in row])
    _console().print(table)


def _escape(s: str) -> str:
    from rich.markup import escape

    return escape(s or "")


# --------------------------------------------------------------------------
# ingest


@app.command()
@command_boundary
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, directories, globs, '-' for stdin; .gz is read through.",
                                      show_default=False),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date (ISO, YYYY-MM-DD) "
                                            "for inputs that carry none (plain text)."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Outlet name for inputs that carry none."),
    url: Optional[str] = typer.Option(None, "--url", help="Source URL for inputs that carry none."),
    no_stories: bool = typer.Option(False, "--no-stories", help="Do not rebuild stories and linked events "
                                    "afterwards (for a series of large ingests; run `storyline stories --rebuild` "
                                    "at the end)."),
    db: Optional[str] = DbOption(),
) -> None:
    """Read raw news, run the pipeline and store documents, articles and annotations."""
    published = _validate_published(published)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from storyline.errors import InputError
    from storyline.ingest import iter_documents
    from storyline.model import Document
    from storyline.pipeline import run_pairs

    store = _open(db)
    ingested: list[str] = []
    unannotated: list[tuple[str, str]] = []
    present: list[str] = []
    failed: list[tuple[str, str]] = []
    seen: set[str] = set()
    err = _console(stderr=True)

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as progress:
        task = progress.add_task("reading inputs", total=None)

        def fresh() -> Iterable[Document | InputError]:
            for item in iter_documents(paths, published=published, outlet=outlet, url=url):
                if isinstance(item, Document):
                    if item.id in seen or store.has_document(item.id):
                        present.append(item.source)
                        progress.advance(task)
                        continue
                    seen.add(item.id)
                progress.update(task, description=f"analysing {_short(getattr(item, 'source', ''))}")
                yield item

        for doc, result in run_pairs(fresh()):
            if isinstance(result, InputError):
                failed.append((result.source, result.reason))
            else:
                source = doc.source if doc else result.article.id
                try:
                    outcome = store.save(result, doc)
                except Exception as exc:  # one article failing to store never sinks the batch
                    failed.append((source, f"could not store: {exc.__class__.__name__}: {exc}"))
                else:
                    (present if outcome.status == "already present" else ingested).append(source)
                    skipped = result.article.skipped_stages
                    if outcome.status != "already present" and skipped:
                        unannotated.append((source, next(iter(skipped.values()))))
            progress.advance(task)

    out = _console()
    out.print(f"[bold]ingested {len(ingested)}[/], already present {len(present)}, failed {len(failed)} "
              f"[dim]({store.safe_url})[/]")
    if ingested and not no_stories:
        _refresh_stories(store, out)
    for source in present:
        out.print(f"  already present: {_escape(source)}")
    for source, reason in unannotated:
        out.print(f"  [yellow]stored, not annotated[/]: {_escape(source)}: {_escape(reason)}")
    for source, reason in failed:
        out.print(f"  [red]failed[/]: {_escape(source)}: {_escape(reason)}")
    if failed:
        raise typer.Exit(1)


def _short(s: str, n: int = 40) -> str:
    return s if len(s) <= n else "…" + s[-(n - 1):]


# --------------------------------------------------------------------------
# listings


@app.command()
@command_boundary
def events(
    actor: Optional[str] = typer.Option(None, "--actor", help="Actor or recipient name (substring) or country code."),
    type: Optional[str] = typer.Option(None, "--type", help="PLOVER event type, e.g. CONSULT, THREATEN."),
    status: Optional[str] = typer.Option(None, "--status", help="happened|ongoing|planned|possible|conditional|"
                                         "negated"),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Outlet name (substring)."),
    since: Optional[str] = typer.Option(None, "--since", help="Events dated on or after (YYYY[-MM[-DD]])."),
    until: Optional[str] = typer.Option(None, "--until", help="Events dated on or before (YYYY[-MM[-DD]])."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most this many events."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many events first (with --limit: paging)."),
    format: ListFormat = FormatOption(ListFormat.table),
    db: Optional[str] = DbOption(),
) -> None:
    """List events, ordered by event date."""
    from storyline.model import EVENT_STATUSES

    if status and status.strip().lower() not in EVENT_STATUSES:
        _fail(f"--status {status!r} is not one of {', '.join(EVENT_STATUSES)}")
    store = _open(db)
    filters = dict(actor=actor, type=type, status=status, outlet=outlet,
                   since=_parse_bound(since, "--since", end=False), until=_parse_bound(until, "--until", end=True))
    stored = store.events(**filters, limit=limit, offset=offset)
    title, paged = "events", False
    if limit is not None or offset:
        total = store.count_events(**filters)
        if len(stored) < total:
            paged = True
            title = (f"events {offset + 1}–{offset + len(stored)} of {total}" if stored
                     else f"events: none after the first {offset} of {total}")
            if format != ListFormat.table:   # JSON/CSV stay machine-readable: the count goes to stderr
                _console(stderr=True).print(title)
    _emit_events(stored, format, title, counted=paged)


def _emit_events(stored, format: ListFormat, title: str, timeline: bool = False, counted: bool = False) -> None:
    """Events as JSON, CSV or a table titled ``title`` (followed by the count unless ``counted`` says the title
    already gives it)."""
    if format == ListFormat.json:
        _print_json([se.event.to_dict() for se in stored])
    elif format == ListFormat.csv:
        _print_csv([event_row(se) for se in stored], EVENT_CSV_COLUMNS)
    else:
        if not stored:
            _console(stderr=True).print("no events match")
            return
        _event_table(stored, title if counted else f"{title} ({len(stored)})", timeline=timeline)


@app.command()
@command_boundary
def timeline(
    actor: Optional[str] = typer.Option(None, "--actor", help="Actor or recipient name (substring) or country code."),
    query: Optional[str] = typer.Option(None, "--query", "-q", help="Words that must occur in the event's "
                                        "evidence, trigger, type, participants, place or article title."),
    since: Optional[str] = typer.Option(None, "--since", help="Events dated on or after (YYYY[-MM[-DD]])."),
    until: Optional[str] = typer.Option(None, "--until", help="Events dated on or before (YYYY[-MM[-DD]])."),
    format: ListFormat = FormatOption(ListFormat.table),
    db: Optional[str] = DbOption(),
) -> None:
    """Events in the order they happened (event date, not publication date), with status, certainty and sources."""
    store = _open(db)
    stored = store.events(actor=actor, since=_parse_bound(since, "--since", end=False),
                          until=_parse_bound(until, "--until", end=True))
    if query:
        stored = _filter_query(store, stored, query)
    _emit_events(stored, format, "timeline", timeline=True)


def _filter_query(store, stored, query: str):
    words = [w for w in query.lower().split() if w]
    texts: dict[str, str] = {}
    out = []
    for se in stored:
        e = se.event
        if e.article_id not in texts:
            texts[e.article_id] = store.article(e.article_id).text
        text = texts[e.article_id]
        parts = [e.type, e.anchor or "", se.title or "", e.location.name if e.location else ""]
        parts += [a.name for a in e.actors + e.recipients]
        parts += [text[s.start:s.end] for s in e.evidence]
        parts += [s.text for s in e.evidence]
        hay = " ".join(parts).lower()
        if all(w in hay for w in words):
            out.append(se)
    return out


@app.command()
@command_boundary
def quotes(
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Speaker name (substring)."),
    format: ListFormat = FormatOption(ListFormat.table),
    db: Optional[str] = DbOption(),
) -> None:
    """List quotes and attributed statements: who said what, through which channel, how certain."""
    rows = _open(db).attributions(speaker=speaker)
    if format == ListFormat.json:
        _print_json([{**q.to_dict(), "article_id": meta["article_id"]} for _, q, meta in rows])
        return
    flat = [{
        "id": sid, "article_id": meta["article_id"], "speaker": q.speaker, "source_type": q.source_type,
        "kind": q.kind, "certainty": q.certainty, "content": q.content.text, "cue": q.cue.text if q.cue else None,
        "channel": q.channel, "chain": " → ".join(q.chain), "outlet": meta["outlet"], "published": meta["published"],
    } for sid, q, meta in rows]
    if format == ListFormat.csv:
        _print_csv(flat, ["id", "article_id", "speaker", "source_type", "kind", "certainty", "content", "cue",
                          "channel", "chain", "outlet", "published"])
        return
    if not flat:
        _console(stderr=True).print("no quotes match")
        return
    from rich.table import Table

    table = Table(title=f"quotes ({len(flat)})", show_lines=True)
    for col in ("speaker", "content", "kind", "certainty", "chain", "published"):
        table.add_column(col)
    for r in flat:
        table.add_row(*[_escape(str(r[c] or "")) for c in ("speaker", "content", "kind", "certainty")],
                      _escape(r["chain"] or r["channel"] or r["outlet"] or ""), _escape(r["published"] or ""))
    _console().print(table)


@app.command()
@command_boundary
def articles(
    format: ListFormat = FormatOption(ListFormat.table),
    db: Optional[str] = DbOption(),
) -> None:
    """List stored articles: id, title, outlet, publication date and annotation counts."""
    rows = [_article_record(r) for r in _open(db).articles()]
    if format == ListFormat.json:
        _print_json(rows)
        return
    flat = [{**{k: v for k, v in r.items() if k != "counts"}, **r["counts"]} for r in rows]
    cols = ["id", "title", "outlet", "published", "published_source", "language", "timexes", "actors",
            "attributions", "events", "url", "pipeline_version"]
    if format == ListFormat.csv:
        _print_csv(flat, cols)
        return
    if not flat:
        _console(stderr=True).print("no articles stored")
        return
    from rich.table import Table

    table = Table(title=f"articles ({len(flat)})")
    for col in ("id", "title", "outlet", "published", "timexes", "actors", "attributions", "events"):
        table.add_column(col, no_wrap=col == "id")
    for r in flat:
        table.add_row(*[_escape(str(r[c]) if r[c] is not None else "") for c in
                        ("id", "title", "outlet", "published", "timexes", "actors", "attributions", "events")])
    _console().print(table)


def _article_record(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": r["id"], "document_id": r["document_id"], "title": r["title"], "outlet": r["outlet"],
        "url": r["url"], "language": r["language"], "published": r["published"],
        "published_source": r["published_source"],
        "counts": {"timexes": r["n_timexes"], "actors": r["n_actors"], "attributions": r["n_attributions"],
                   "events": r["n_events"]},
        "pipeline_version": r["pipeline_version"],
    }


# --------------------------------------------------------------------------
# show


@app.command()
@command_boundary
def show(
    article: str = typer.Argument(..., help="Article id (or a unique prefix of it; see `storyline articles`)."),
    format: ShowFormat = FormatOption(ShowFormat.text),
    db: Optional[str] = DbOption(),
) -> None:
    """One article: its text with removed boilerplate marked, and its timexes, actors, quotes and events."""
    analysis = _open(db).analysis(article)
    if format == ShowFormat.json:
        _print_json([analysis.to_dict()])
        return
    _show_text(analysis)


def _show_text(analysis) -> None:
    from rich.rule import Rule

    con = _console()
    a = analysis.article
    con.print(f"[bold]{_escape(a.title or '(no title)')}[/]")
    meta = [f"id {a.id}", f"outlet {a.outlet or '?'}",
            f"published {a.published or 'unknown'}" + (f" ({a.published_source})" if a.published_source else "")]
    if a.url:
        meta.append(a.url)
    if a.authors:
        meta.append("by " + ", ".join(a.authors))
    con.print(_escape(" · ".join(meta)), style="dim")
    for note in a.notes:
        con.print(f"note: {_escape(note)}", style="yellow")
    for stage, reason in a.skipped_stages.items():
        con.print(f"skipped {stage}: {_escape(reason)}", style="yellow")
    con.print(Rule("text"))
    text, pos = a.text, 0
    for bp in sorted(a.boilerplate, key=lambda b: b.at):
        at = max(0, min(bp.at, len(text)))
        if at > pos:
            con.print(_escape(text[pos:at]), end="")
            if not text[:at].endswith("\n"):
                con.print()
            pos = at
        con.print(f"[red]⟦removed: {_escape(bp.reason)}⟧[/] [strike dim]{_escape(bp.text.strip())}[/]")
    con.print(_escape(text[pos:]))
    con.print(Rule(f"timexes ({len(analysis.timexes)})"))
    for t in analysis.timexes:
        # a timex's alternatives list the whole group, its own value first
        alts = f" or {' or '.join(v for v in t.alternatives if v != t.value)}" if len(t.alternatives) > 1 else ""
        rng = f" [{t.range_start}..{t.range_end}]" if t.range_start or t.range_end else ""
        extra = f" ({t.derived_relation} {t.derived_value})" if t.derived_value else ""
        unresolved = " (unresolved)" if not t.resolved else ""
        con.print(_escape(f"  {t.start}-{t.end} “{t.text}” {t.type} → {t.value}{alts}{rng}{extra}{unresolved}"))
    con.print(Rule(f"actors ({len(analysis.actors)})"))
    for x in analysis.actors:
        code = "/".join(c for c in (x.country, x.sector) if c)
        con.print(_escape(f"  {x.name} [{code or '?'}] {x.kind}" + (f", {x.role}" if x.role else "")
                          + f" — {len(x.mentions)} mention(s)"))
    con.print(Rule(f"quotes ({len(analysis.attributions)})"))
    for q in analysis.attributions:
        via = f" via {' → '.join(q.chain)}" if q.chain else (f" via {q.channel}" if q.channel else "")
        con.print(_escape(f"  {q.speaker or q.anonymous_kind or '?'}: “{q.content.text}” "
                          f"[{q.kind}, {q.certainty}]{via}"))
    con.print(Rule(f"events ({len(analysis.events)})"))
    for e in analysis.events:
        who = present.names(e.actors) or "?"
        if e.recipients:
            who += " → " + present.names(e.recipients)
        where = f" in {e.location.name}" if e.location else ""
        dl = f", deadline {present.date_label(e.deadline)}" if e.deadline else ""
        con.print(_escape(f"  {present.date_label(e.date)}  {e.type} ({e.status}, {e.certainty}): {who}{where}"
                          f" — “{e.anchor}”{dl}"))


# --------------------------------------------------------------------------
# export and reprocess


@app.command()
@command_boundary
def export(
    format: ExportFormat = typer.Option(ExportFormat.plover_jsonl, "--format", "-f", help="Export format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (default: stdout)."),
    db: Optional[str] = DbOption(),
) -> None:
    """Export every event: PLOVER JSON lines (PLOVER field names plus storyline's own) or CSV."""
    store = _open(db)
    stored = store.events()
    # the cross-article keys: events with the same linked_event_id report one real-world event
    linked = {r.event_id: (le.id, le.story_id) for le in store.linked_events() for r in le.reports}
    buf = io.StringIO()
    if format == ExportFormat.csv:
        rows = []
        for se in stored:
            le_id, story_id = linked.get(se.store_id, (None, None))
            rows.append({**event_row(se), "linked_event_id": le_id, "story_id": story_id})
        _print_csv(rows, EVENT_CSV_COLUMNS + ["linked_event_id", "story_id"], out=buf)
    else:
        articles: dict[str, Any] = {}
        for se in stored:
            aid = se.event.article_id
            if aid not in articles:
                articles[aid] = store.article(aid)
            record = se.event.to_plover(articles[aid])
            record["id"] = se.store_id  # unique across the store: "<article id>:<event id>"
            le_id, story_id = linked.get(se.store_id, (None, None))
            record["storyline"]["linked_event_id"] = le_id
            record["storyline"]["story_id"] = story_id
            buf.write(json.dumps(record, ensure_ascii=False) + "\n")
    if output is None:
        sys.stdout.write(buf.getvalue())
    else:
        try:
            output.write_text(buf.getvalue(), encoding="utf-8")
        except OSError as exc:
            _fail(f"cannot write {output}: {exc.strerror or exc}")
        _console(stderr=True).print(f"wrote {len(stored)} events to {_escape(str(output))}")


@app.command()
@command_boundary
def reprocess(db: Optional[str] = DbOption()) -> None:
    """Re-run every stored raw document through the current pipeline, replacing its annotations."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    from storyline.store import reprocess as run_reprocess

    store = _open(db)
    total = store.count("documents")
    done: list[str] = []
    failed: list[tuple[str, str]] = []
    with Progress(SpinnerColumn(), TextColumn("reprocessing"), BarColumn(), MofNCompleteColumn(),
                  console=_console(stderr=True), transient=True) as progress:
        task = progress.add_task("reprocess", total=total)
        for source, outcome in run_reprocess(store, progress=lambda: progress.advance(task)):
            if outcome.startswith("failed"):
                failed.append((source, outcome[len("failed: "):]))
            else:
                done.append(source)
    out = _console()
    out.print(f"[bold]reprocessed {len(done)}[/], failed {len(failed)} [dim]({store.safe_url})[/]")
    _refresh_stories(store, out)
    for source, reason in failed:
        out.print(f"  [red]failed[/]: {_escape(source)}: {_escape(reason)}")
    if failed:
        raise typer.Exit(1)


# --------------------------------------------------------------------------
# across articles: stories, linked events, deadlines


def _refresh_stories(store, out) -> None:
    from storyline import stories

    try:
        index = stories.refresh(store)
    except Exception as exc:  # the articles are stored; linking can be re-run with `storyline stories --rebuild`
        logging.getLogger("storyline.stories").debug("stories refresh failed", exc_info=True)
        out.print(f"  [yellow]stories not updated[/]: {_escape(exc.__class__.__name__)}: {_escape(str(exc))} "
                  "(run `storyline stories --rebuild`)")
        return
    shared = sum(1 for le in index.linked_events if len({r.article_id for r in le.reports}) > 1)
    out.print(f"  stories: {len(index.stories)}; events reported by more than one article: {shared}")


def _linked_row(le) -> dict[str, Any]:
    return {
        "id": le.id,
        "story_id": le.story_id,
        "date": present.date_label(le.date),
        "type": le.type,
        "status": le.status,
        "actors": "; ".join(a.name for a in le.actors),
        "recipients": "; ".join(a.name for a in le.recipients),
        "location": le.location.name if le.location else None,
        "deadline": present.date_label(le.deadline) if le.deadline else None,
        "first_reported": le.first_reported,
        "outlets": "; ".join(le.outlets),
        "reports": len(le.reports),
        "events": "; ".join(r.event_id for r in le.reports),
    }


LINKED_CSV_COLUMNS = ["id", "story_id", "date", "type", "status", "actors", "recipients", "location", "deadline",
                      "first_reported", "outlets", "reports", "events"]


def _reports_label(le) -> str:
    parts = []
    for r in le.reports:
        src = ", ".join(r.sources)
        day = (r.published or "?")[:10]
        parts.append(f"{r.outlet or r.article_id[:8]} {day}: {r.status}" + (f" (per {src})" if src else ""))
    return "\n".join(parts)


@app.command()
@command_boundary
def stories(
    rebuild: bool = typer.Option(False, "--rebuild", help="Re-link events and re-cluster every stored article first."),
    format: ListFormat = FormatOption(ListFormat.table),
    db: Optional[str] = DbOption(),
) -> None:
    """Stories: articles about one developing story, clustered across outlets, latest first."""
    store = _open(db)
    if rebuild:
        _refresh_stories(store, _console(stderr=True))
    found = store.stories()
    if format == ListFormat.json:
        _print_json([s.to_dict() for s in found])
        return
    if format == ListFormat.csv:
        _print_csv([{"id": s.id, "label": s.label, "articles": len(s.article_ids), "outlets": "; ".join(s.outlets),
                     "first_published": s.first_published, "last_published": s.last_published,
                     "linked_events": len(s.linked_event_ids), "actors": "; ".join(s.actors),
                     "keywords": "; ".join(s.keywords)} for s in found],
                   ["id", "label", "articles", "outlets", "first_published", "last_published", "linked_events",
                    "actors", "keywords"])
        return
    if not found:
        _console(stderr=True).print("no stories (ingest articles first, or run `storyline stories --rebuild`)")
        return
    from rich.table import Table

    table = Table(title=f"stories ({len(found)})", show_lines=True)
    for col in ("id", "story", "articles", "outlets", "published", "actors"):
        table.add_column(col)
    for s in found:
        span = s.first_published[:10] if s.first_published else "?"
        if s.last_published and s.last_published[:10] != span:
            span += f"..{s.last_published[:10]}"
        table.add_row(s.id, _escape(s.label), str(len(s.article_ids)), _escape(", ".join(s.outlets)), span,
                      _escape(", ".join(s.actors)))
    _console().print(table)


@app.command()
@command_boundary
def story(
    story_id: str = typer.Argument(..., help="Story id (or a unique prefix), from `storyline stories`."),
    all_events: bool = typer.Option(False, "--all", help="Also events only one article reports."),
    format: ListFormat = FormatOption(ListFormat.table),
    db: Optional[str] = DbOption(),
) -> None:
    """One story's timeline: each real-world event once, with every outlet that reported it and what each said."""
    store = _open(db)
    st = store.story(story_id)
    linked = [le for le in store.linked_events(story_id=st.id) if all_events or len(le.reports) > 1]
    if format == ListFormat.json:
        _print_json([{"story": st.to_dict(), "linked_events": [le.to_dict() for le in linked]}])
        return
    if format == ListFormat.csv:
        _print_csv([_linked_row(le) for le in linked], LINKED_CSV_COLUMNS)
        return
    from rich.table import Table

    out = _console()
    out.print(f"[bold]{_escape(st.label)}[/] [dim]{st.id}[/]")
    out.print(f"{len(st.article_ids)} articles from {_escape(', '.join(st.outlets) or 'unknown outlets')}; "
              f"actors: {_escape(', '.join(st.actors))}")
    if not linked:
        out.print("no event is reported by more than one article (use --all to list every event)")
        return
    table = Table(title=f"events ({len(linked)})", show_lines=True)
    for col in ("date", "event", "status", "who → whom", "reported by"):
        table.add_column(col)
    for le in linked:
        who = present.names(le.actors) or "?"
        if le.recipients:
            who += " → " + present.names(le.recipients)
        what = le.type + (f" @ {le.location.name}" if le.location else "")
        if le.deadline is not None:
            what += f" (deadline {present.date_label(le.deadline)})"
        table.add_row(_escape(present.date_label(le.date)), _escape(what), le.status, _escape(who),
                      _escape(_reports_label(le)))
    out.print(table)


@app.command()
@command_boundary
def deadlines(
    as_of: Optional[str] = typer.Option(None, "--as-of", help="List what falls due on or after this day "
                                        "(YYYY-MM-DD; default today)."),
    format: ListFormat = FormatOption(ListFormat.table),
    db: Optional[str] = DbOption(),
) -> None:
    """Upcoming deadlines and scheduled events (planned, possible or conditional), soonest first."""
    from storyline.stories import upcoming

    try:
        day = present.as_of_day(as_of)
    except ValueError as exc:
        _fail(f"--as-of {as_of!r} {exc}")
    linked = _open(db).linked_events()
    items = upcoming(linked, day)
    rows = [{"due": u.day, "kind": u.kind, "exact": u.exact, **_linked_row(u.event)} for u in items]
    if format == ListFormat.json:
        _print_json([{"due": u.day, "kind": u.kind, "exact": u.exact, "linked_event": u.event.to_dict()}
                     for u in items])
        return
    if format == ListFormat.csv:
        _print_csv(rows, ["due", "kind", "exact"] + LINKED_CSV_COLUMNS)
        return
    if not items:
        latest = max((r.published or "" for le in linked for r in le.reports), default="")[:10]
        hint = (f"; the latest report in the store is from {latest}: try --as-of {latest}"
                if latest and latest < str(day) else "")
        _console(stderr=True).print(f"nothing falls due on or after {day}{hint}")
        return
    from rich.table import Table

    table = Table(title=f"upcoming from {day} ({len(items)})", show_lines=True)
    for col in ("due", "kind", "event", "status", "who → whom", "reported by"):
        table.add_column(col)
    for u in items:
        le = u.event
        who = present.names(le.actors) or "?"
        if le.recipients:
            who += " → " + present.names(le.recipients)
        table.add_row(u.label + (" (approx.)" if u.approximate else ""), u.kind,
                      _escape(le.type + (f" @ {le.location.name}" if le.location else "")), le.status, _escape(who),
                      _escape(_reports_label(le)))
    _console().print(table)


@app.command()
@command_boundary
def web(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    db: Optional[str] = DbOption(),
) -> None:
    """Serve a read-only web view of the store: stories, timelines, articles, events, deadlines (and a JSON API)."""
    import uvicorn

    from storyline.web import create_app

    application = create_app(db)
    _console(stderr=True).print(f"storyline web on http://{host}:{port}/ [dim]({application.state.store.safe_url})[/]")
    uvicorn.run(application, host=host, port=port, log_level="warning")


def main() -> None:
    from storyline.errors import StorylineError

    try:
        app()
    except StorylineError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
