"""Display helpers shared by the CLI and the web view (present.py)."""

from storyline import present
from storyline.model import EventDate


def test_alternative_days_are_both_shown():
    d = EventDate(value="2025-03-13", start="2025-03-13", end="2025-03-14", precision="day", basis="timex",
                  alternatives=["2025-03-14"], relation="on")
    assert present.date_label(d) == "2025-03-13 or 2025-03-14"


def test_publication_based_date_is_marked_approximate():
    d = EventDate(value=None, start=None, end="2025-03-10", precision="unknown", basis="publication",
                  relation="on or before")
    assert present.date_label(d) == "~2025-03-10 (publication date)"
    coming = EventDate(start="2025-03-10", precision="unknown", basis="publication", relation="on or after")
    assert present.date_label(coming) == "after ~2025-03-10 (publication date)"


def test_range_and_relation_labels():
    rng = EventDate(value="2025-W11", start="2025-03-10", end="2025-03-16", precision="week", basis="timex")
    assert present.date_label(rng) == "2025-03-10..2025-03-16 (2025-W11)"
    before = EventDate(value="2025-03-09", start=None, end="2025-03-09", precision="day", basis="timex",
                       relation="on or before")
    assert present.date_label(before) == "on or before 2025-03-09"
    assert present.date_label(None) == "undated"
