"""Across articles: the same event reported by several outlets linked, stories clustered, deadlines listed.

The stage after ``events``: it reads the per-article :class:`~storyline.model.Analysis` records (never the
text again) and produces :class:`~storyline.model.LinkedEvent` and :class:`~storyline.model.Story` records.

* :func:`build` — link events (:mod:`storyline.stories.link`) and cluster articles into stories
  (:mod:`storyline.stories.cluster`).
* :func:`upcoming` — deadlines and scheduled events on or after a day.
* :func:`refresh` — rebuild both for everything in a store and save them (the CLI runs it after ``ingest`` and
  ``reprocess``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

from storyline.model import OPEN_STATUSES, Analysis, LinkedEvent, Story
from storyline.stories.cluster import cluster
from storyline.stories.link import link

__all__ = ["StoryIndex", "build", "upcoming", "Upcoming", "refresh", "link", "cluster"]


@dataclass
class StoryIndex:
    stories: list[Story] = field(default_factory=list)
    linked_events: list[LinkedEvent] = field(default_factory=list)


def build(analyses: Sequence[Analysis]) -> StoryIndex:
    """Linked events and stories over ``analyses`` (English articles with events; others still cluster)."""
    analyses = list(analyses)
    linked = link(analyses)
    stories = cluster(analyses, linked)
    return StoryIndex(stories=stories, linked_events=linked)


@dataclass
class Upcoming:
    day: str              # the date that falls due (ISO day)
    kind: str             # "deadline" | "scheduled"
    event: LinkedEvent
    exact: bool           # False where the text gives only a range, a publication-date bound or alternatives

    @property
    def label(self) -> str:
        """The due day for people: "2025-03-13 or 2025-03-14" where the text gives alternatives."""
        if self.kind == "scheduled" and self.event.date.alternatives:
            from storyline.present import date_label
            return date_label(self.event.date)
        return self.day

    @property
    def approximate(self) -> bool:
        """Marked "(approx.)": not exact, and the label does not already spell out the candidate days."""
        return not self.exact and self.label == self.day


def upcoming(linked: Sequence[LinkedEvent], as_of: str | date) -> list[Upcoming]:
    """Deadlines falling on or after ``as_of`` and events still planned, possible or conditional for a day on
    or after it, soonest first."""
    day = as_of.isoformat() if isinstance(as_of, date) else str(as_of)[:10]
    out: list[Upcoming] = []
    for le in linked:
        if le.deadline is not None:
            due = le.deadline.value if le.deadline.precision == "day" else (le.deadline.end or le.deadline.value)
            if due and due[:10] >= day:
                out.append(Upcoming(due[:10], "deadline", le, le.deadline.precision == "day"))
                continue
        if le.status in OPEN_STATUSES and le.date.basis != "publication":
            when = le.date.start or le.date.value
            if when and len(when) >= 10 and when[:10] >= day:
                out.append(Upcoming(when[:10], "scheduled", le,
                                    le.date.precision in ("day", "time") and not le.date.alternatives))
    out.sort(key=lambda u: (u.day, u.kind, u.event.id))
    return out


def refresh(store) -> StoryIndex:
    """Rebuild linked events and stories for every article in ``store`` and save them in one transaction."""
    analyses = list(store.analyses())
    index = build(analyses)
    store.save_stories(index.stories, index.linked_events)
    return index
