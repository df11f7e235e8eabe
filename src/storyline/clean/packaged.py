"""Fitted models shipped as package data (``storyline/data/clean/*.json``), read once each."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Optional


def packaged_json(name: str) -> Optional[Any]:
    """The parsed ``data/clean/<name>``, or None when it is not shipped or not valid JSON (the caller falls back)."""
    try:
        return json.loads(resources.files("storyline").joinpath(f"data/clean/{name}").read_text("utf-8"))
    except (FileNotFoundError, OSError, ValueError):
        return None
