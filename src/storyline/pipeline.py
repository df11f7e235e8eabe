"""The pipeline: ingest -> clean -> nlp -> time, actors, quotes -> events.

Each stage is a small function over the records in :mod:`storyline.model`.
``run`` is a generator over documents, so executors can be swapped (a
process pool, a cluster) without touching the stages.
"""

from __future__ import annotations

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


def run(documents: Iterable[Document | InputError], config: PipelineConfig | None = None
        ) -> Iterator[Analysis | InputError]:
    """Clean, parse and annotate documents; yields one result per input, in order.

    Input errors pass through; a document that fails in a stage becomes an
    :class:`InputError` naming it, and the batch goes on.
    """
    config = config or PipelineConfig()
    batch: list[Article] = []
    pending: list[Analysis | InputError | Article] = []

    def flush() -> Iterator[Analysis | InputError]:
        to_parse = [a for a in pending if isinstance(a, Article)]
        docs = iter(nlp_stage.parse_many([a.text for a in to_parse], config.spacy_model,
                                         batch_size=config.batch_size)) if to_parse else iter(())
        for item in pending:
            if isinstance(item, Article):
                doc = next(docs)
                try:
                    yield analyze_article(item, doc)
                except Exception as exc:  # one bad article never sinks the batch
                    log.exception("annotation failed for %s", item.document_id)
                    yield InputError(item.document_id, f"annotation failed: {exc.__class__.__name__}: {exc}",
                                     stage="annotate")
            else:
                yield item
        pending.clear()

    for item in documents:
        if isinstance(item, InputError):
            pending.append(item)
        else:
            try:
                article = clean_stage.clean(item)
            except Exception as exc:
                log.exception("cleaning failed for %s", item.source)
                pending.append(InputError(item.source, f"could not extract the article: {exc}", stage="clean"))
                continue
            reason = _skip_reason(article)
            if reason:
                for stage in ENGLISH_ONLY_STAGES:
                    article.skipped_stages[stage] = reason
                pending.append(Analysis(article=article))
            else:
                pending.append(article)
                batch.append(article)
        if len(batch) >= config.batch_size:
            batch.clear()
            yield from flush()
    yield from flush()


def analyze_text(text: str, published: str | None = None, outlet: str | None = None,
                 url: str | None = None, media_type: str = "text",
                 config: PipelineConfig | None = None) -> Analysis:
    """Convenience: one text (or HTML string) in, one :class:`Analysis` out."""
    doc = Document.from_bytes(text.encode("utf-8"), source="<string>", media_type=media_type,
                              encoding="utf-8", published_hint=published,
                              published_hint_source="user" if published else None,
                              outlet_hint=outlet, url=url)
    (result,) = list(run([doc], config))
    if isinstance(result, InputError):
        raise ValueError(str(result))
    return result
