"""The pipeline: ingest -> clean -> nlp -> time, actors, quotes -> events.

Each stage is a small function over the records in :mod:`storyline.model`.
``run`` is a generator over documents, so executors can be swapped (a
process pool, a cluster) without touching the stages.
"""

from __future__ import annotations

import datetime

import logging
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

from storyline import clean as clean_stage
from storyline import nlp as nlp_stage
from storyline.errors import InputError
from storyline.model import Analysis, Article, Document

log = logging.getLogger(__name__)

ENGLISH_ONLY_STAGES = ("time", "actors", "quotes", "events")


@dataclass
class PipelineConfig:
    spacy_model: Optional[str] = None
    batch_size: int = 16


def analyze_article(article: Article, doc) -> Analysis:
    """Run the annotation stages on one cleaned article and its spaCy parse."""
    from storyline import actors as actors_stage
    from storyline import events as events_stage
    from storyline import quotes as quotes_stage
    from storyline import time as time_stage

    timexes = time_stage.annotate(article, doc)
    actors = actors_stage.annotate(article, doc)
    attributions = quotes_stage.annotate(article, doc, actors)
    events = events_stage.annotate(article, doc, timexes, actors, attributions)
    return Analysis(article=article, timexes=timexes, actors=actors,
                    attributions=attributions, events=events)


def _skip_reason(article: Article) -> Optional[str]:
    if not article.text.strip():
        return "no article text"
    if article.language and article.language != "en":
        return f"language {article.language!r}: the annotation stages read English only"
    return None


def run_pairs(documents: Iterable[Document | InputError], config: PipelineConfig | None = None
              ) -> Iterator[tuple[Optional[Document], Analysis | InputError]]:
    """Clean, parse and annotate documents; yields ``(document, result)`` per input, in order.

    Input errors pass through (with no document); a document that fails in a
    stage becomes an :class:`InputError` naming its source, and the batch goes
    on.  Texts longer than the spaCy model's ``max_length`` are refused with a
    clear reason instead of failing their batch.
    """
    config = config or PipelineConfig()
    pending: list[tuple[Optional[Document], Analysis | InputError | Article]] = []

    def failure(doc: Document, stage: str, exc: BaseException, what: str) -> InputError:
        log.exception("%s failed for %s", stage, doc.source)
        return InputError(doc.source, f"{what}: {exc.__class__.__name__}: {exc}", stage=stage,
                          document_id=doc.id)

    def parsed(articles: list[Article]) -> list:
        texts = [a.text for a in articles]
        try:
            return list(nlp_stage.parse_many(texts, config.spacy_model, batch_size=config.batch_size))
        except Exception:  # find the culprit: parse one at a time
            out = []
            for text in texts:
                try:
                    out.append(nlp_stage.parse(text, config.spacy_model))
                except Exception as exc:
                    out.append(exc)
            return out

    def flush() -> Iterator[tuple[Optional[Document], Analysis | InputError]]:
        articles = [item for _, item in pending if isinstance(item, Article)]
        docs = iter(parsed(articles)) if articles else iter(())
        for document, item in pending:
            if isinstance(item, Article):
                doc = next(docs)
                if isinstance(doc, Exception):
                    yield document, failure(document, "nlp", doc, "could not parse the text")
                    continue
                try:
                    yield document, analyze_article(item, doc)
                except Exception as exc:  # one bad article never sinks the batch
                    yield document, failure(document, "annotate", exc, "annotation failed")
            else:
                yield document, item
        pending.clear()

    max_length = None
    for item in documents:
        if isinstance(item, InputError):
            pending.append((None, item))
        else:
            try:
                article = clean_stage.clean(item)
            except Exception as exc:
                pending.append((item, failure(item, "clean", exc, "could not extract the article")))
                continue
            # NUL is not storable in PostgreSQL text; one code point for one keeps every offset.
            article.text = article.text.replace("\x00", "\ufffd")
            reason = _skip_reason(article)
            if reason:
                for stage in ENGLISH_ONLY_STAGES:
                    article.skipped_stages[stage] = reason
                pending.append((item, Analysis(article=article)))
            else:
                if max_length is None:
                    max_length = nlp_stage.load(config.spacy_model).max_length
                if len(article.text) > max_length:
                    pending.append((item, InputError(
                        item.source, f"article text has {len(article.text):,} characters, more than the "
                        f"parser's limit of {max_length:,}", stage="nlp", document_id=item.id)))
                else:
                    pending.append((item, article))
        if len(pending) >= config.batch_size:
            yield from flush()
    yield from flush()


def run(documents: Iterable[Document | InputError], config: PipelineConfig | None = None
        ) -> Iterator[Analysis | InputError]:
    """Like :func:`run_pairs`, yielding only the results."""
    for _, result in run_pairs(documents, config):
        yield result


def analyze_text(text: str, published: "str | datetime.date | None" = None, outlet: str | None = None,
                 url: str | None = None, media_type: str = "text",
                 config: PipelineConfig | None = None) -> Analysis:
    """Convenience: one text (or HTML string) in, one :class:`Analysis` out.

    ``published`` is an ISO date string or a :class:`datetime.date`/:class:`datetime.datetime`.
    """
    if isinstance(published, (datetime.date, datetime.datetime)):
        published = published.isoformat()
    doc = Document.from_bytes(text.encode("utf-8"), source="<string>", media_type=media_type,
                              encoding="utf-8", published_hint=published,
                              published_hint_source="user" if published else None,
                              outlet_hint=outlet, url=url)
    (result,) = list(run([doc], config))
    if isinstance(result, InputError):
        raise ValueError(str(result))
    return result
