"""Errors that name the input they concern.  The CLI prints them; it never shows a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


class StorylineError(Exception):
    """A user-facing error: its message is printed as is."""


@dataclass
class InputError:
    """One input that could not be turned into a record, and why.  A batch keeps going."""

    source: str
    reason: str
    stage: str = "ingest"
    document_id: Optional[str] = None  # set when the input had been read as a Document

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"
