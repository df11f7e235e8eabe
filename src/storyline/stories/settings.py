"""The cross-article stage's settings and word lists (package data, read once)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def settings() -> dict:
    return json.loads(resources.files("storyline").joinpath("data/stories/linking.json").read_text("utf-8"))


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
