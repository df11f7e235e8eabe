"""The cross-article stage's settings and word lists (package data, read once)."""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Optional

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def day_of(value: Optional[str]) -> Optional[date]:
    """The ISO day a date or datetime string starts with, or None."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def name_words(name: Optional[str]) -> list[str]:
    """A name's words, lower-cased (digits and punctuation dropped): the key names are compared by."""
    return [w.lower() for w in _WORD.findall(name or "")]


@lru_cache(maxsize=1)
def settings() -> dict:
    return json.loads(resources.files("storyline").joinpath("data/stories/linking.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def episode_nouns() -> frozenset[str]:
    return frozenset(settings()["episode_nouns"])


@lru_cache(maxsize=1)
def ordinal_values() -> dict[str, int]:
    """Ordinal words ("third" -> 3), shared with the time stage's data."""
    out: dict[str, int] = {}
    text = resources.files("storyline").joinpath("data/time/ordinals.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, value = line.split("\t")[:2]
        try:
            out[word.strip().lower()] = int(value)
        except ValueError:
            continue
    return out
