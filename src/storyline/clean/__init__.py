"""Clean: Document -> Article.

``clean(doc)`` is the entry point.  HTML (pages and feed entries) goes through
:mod:`storyline.clean.html` (trafilatura plus our own pruning; every visible
block left out is reported with a reason); plain text through the line
classifier of :mod:`storyline.clean.plaintext`.  Metadata comes from
:mod:`storyline.clean.metadata`, the language from
:mod:`storyline.clean.language`.  Nothing is silently dropped: each removed
line or block is an ``Article.boilerplate`` record with its reason and the
offset in ``Article.text`` where it stood.
"""

from __future__ import annotations

from typing import Optional

from storyline.clean.plaintext import OutletMemory
from storyline.model import Article, Boilerplate, Document

__all__ = ["clean", "clean_text_lines", "OutletMemory"]

NO_DATE_NOTE = "relative dates unresolved: no publication date"


def clean(doc: Document, *, memory: Optional[OutletMemory] = None) -> Article:
    """Turn one raw document into an Article (text, metadata, removed boilerplate with reasons)."""
    from storyline.ingest import decode

    text = decode(doc)
    if doc.media_type in ("html", "feed-entry"):
        from storyline.clean.html import clean_html

        article = clean_html(doc, text)
    else:
        article = clean_plaintext(doc, text, memory=memory)
    _finish(doc, article)
    return article


def _new_article(doc: Document) -> Article:
    return Article(id=doc.id, document_id=doc.id, text="", url=doc.url)


def clean_text_lines(lines: list[str], **kw) -> tuple[str, list[Boilerplate]]:
    """Kept text and boilerplate records for a list of lines (plain text)."""
    from storyline.clean.plaintext import classify_lines

    labels = classify_lines(lines, **kw)
    kept: list[str] = []
    removed: list[Boilerplate] = []
    length = 0
    for line, lab in zip(lines, labels):
        s = line.strip()
        if not s:
            continue
        if lab.boilerplate:
            removed.append(Boilerplate(text=s, reason=lab.reason or "boilerplate", at=length))
        else:
            if kept:
                length += 1
            kept.append(s)
            length += len(s)
    return "\n".join(kept), removed


def clean_plaintext(doc: Document, text: str, *, memory: Optional[OutletMemory] = None) -> Article:
    from storyline.clean import metadata

    article = _new_article(doc)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines = [l.strip() for l in text.split("\n")]
    lines = [l for l in lines if l]
    article.text, article.boilerplate = clean_text_lines(lines, memory=memory, outlet=doc.outlet_hint)
    if not doc.published_hint:
        got = metadata.dateline(article.text.split("\n"), doc.crawl_date)
        if got:
            article.published, article.published_precision, article.published_source = got
    return article


def _finish(doc: Document, article: Article) -> None:
    from storyline.clean import language, metadata

    src = article.metadata_sources
    # publication date: the user's or the feed's word first
    if doc.published_hint:
        iso, precision = metadata.normalise_user_date(doc.published_hint)
        article.published, article.published_precision = iso, precision
        article.published_source = doc.published_hint_source or "user"
    if article.published:
        src["published"] = article.published_source or "unknown"
    else:
        article.published = None
        article.published_source = None
        article.published_precision = None
        if NO_DATE_NOTE not in article.notes:
            article.notes.append(NO_DATE_NOTE)
    if doc.outlet_hint:
        how = doc.provenance.get("outlet_hint_source", "hint")
        if how == "user" or not article.outlet or src.get("outlet", "").startswith("trafilatura"):
            article.outlet = doc.outlet_hint if how == "user" else metadata.site_from_feed_title(doc.outlet_hint)
            src["outlet"] = how
    if doc.title_hint and (not article.title or doc.media_type == "feed-entry"):
        article.title = doc.title_hint.strip()
        src["title"] = "feed" if doc.media_type == "feed-entry" else "hint"
    if doc.authors_hint and not article.authors:
        article.authors = list(doc.authors_hint)
        src["authors"] = "feed" if doc.media_type == "feed-entry" else "hint"
    if doc.url and not article.url:
        article.url = doc.url
    if article.url and "url" not in src:
        src["url"] = "user" if doc.provenance.get("url_hint_source") == "user" else (
            "warc" if doc.crawl_date else "input")
    lang, conf = language.detect(article.text)
    if lang:
        article.language = lang
        src["language"] = f"stop-words/script (confidence {conf:.2f})"
    elif article.language:
        src.setdefault("language", "html lang attribute")
    if article.language and article.language != "en":
        article.notes.append(f"non-English article ({article.language}): English-only stages skipped")
