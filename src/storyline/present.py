"""How records are shown to people: date labels, source chains, participant lists, date bounds.

Shared by the CLI and the web views so both say the same thing the same way.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Optional


def _is_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def date_label(d) -> str:
    """An event date for people: exact days as is, ranges and alternatives spelled out,
    publication-based dates marked as approximate."""
    if d is None:
        return "undated"
    if d.basis == "publication":
        day = d.start or d.value or d.end
        if day and d.relation == "on or after":
            return f"after ~{day} (publication date)"
        return f"~{day} (publication date)" if day else "undated"
    if d.alternatives:
        # EventDate.alternatives are the candidates besides its value ("Thursday or Friday")
        return " or ".join(dict.fromkeys(([d.value] if d.value else []) + list(d.alternatives)))
    if d.start and d.end and d.start != d.end:
        label = f"{d.start}..{d.end}"
        if d.value and d.value not in (d.start, d.end) and not _is_day(d.value):
            # a named period ("2025-W30", "2025-SU", "PAST_REF") says what the range is
            label += f" ({d.value})"
        return label
    value = d.value or d.start or d.end
    if not value:
        return "undated"
    if d.relation and d.relation not in ("on",):
        return f"{d.relation} {value}"
    return value


def sources_label(event, outlet: Optional[str]) -> str:
    chains = []
    for att in event.attributions:
        chain = [c for c in att.chain if c]
        if not chain and att.source:
            chain = [att.source]
        if chain:
            if outlet and chain[-1] != outlet:
                chain.append(outlet)
            chains.append(" → ".join(chain))
    out = list(dict.fromkeys(chains))
    if not out and outlet:
        out = [outlet]
    return "; ".join(out)


def names(actors) -> str:
    return ", ".join(f"{a.name} ({a.country})" if a.country and a.country.lower() not in a.name.lower() else a.name
                     for a in actors)


_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def parse_bound(value: Optional[str], end: bool) -> Optional[str]:
    """A filter bound (YYYY, YYYY-MM or YYYY-MM-DD) as the first (or, with ``end``, last) ISO day it covers.

    Raises ValueError with a message for people ("is not a date: use YYYY-MM-DD ...").
    """
    if value is None or not value.strip():
        return None
    v = value.strip()
    if not _PARTIAL_DATE.match(v):
        raise ValueError("is not a date: use YYYY-MM-DD (or YYYY-MM, YYYY)")
    try:
        if len(v) == 4:
            return f"{v}-12-31" if end else f"{v}-01-01"
        if len(v) == 7:
            y, m = int(v[:4]), int(v[5:7])
            last = calendar.monthrange(y, m)[1]
            return f"{v}-{last:02d}" if end else f"{v}-01"
        return date.fromisoformat(v).isoformat()
    except ValueError:
        raise ValueError("is not a valid date") from None


def as_of_day(value: Optional[str]) -> str:
    """The day "falling due from" lists start at: ``value`` (an ISO date, a time part ignored) or today.

    Raises ValueError with a message for people.
    """
    if not value:
        return date.today().isoformat()
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        raise ValueError("is not an ISO date: use YYYY-MM-DD") from None
