"""Relations between time expressions: alternatives, explicit intervals and derived dates.

* **Alternatives** — dates joined by "or" ("Thursday or Friday", "May 3, 4 or 5") stay separate timexes
  (TimeML spans), and each lists the values of the whole group in ``alternatives``, its own first.
* **Intervals** — "between A and B", "from A to/until/through B", "A-B": both timexes get
  ``range_start`` = A's first day and ``range_end`` = B's last day.
* **Derived dates** — on a DURATION with a known amount:
  - "N units later": the last day-precise date named before + N (``derived_relation = "after"``);
  - "N units after X" / "N units before X": X's date is computed from the governing clause's date (the
    last day-precise date earlier in the same sentence, else the publication date): anchor - N for
    "after", anchor + N for "before".  It is stored in ``derived_value`` with ``derived_relation =
    "reference"``; ``derived_from`` names the timex the anchor came from (None: the DCT), ``anchor``
    says "DCT" or that id.
  - "in N units" / "within N units": a deadline, anchor + N, with ``derived_relation = "deadline"``;
    the anchor is the latest event date established earlier in the same sentence (a day-precise DATE,
    or the ``derived_value`` of a "reference" duration), else the DCT.  ``range_start``/``range_end``
    give the window from the anchor to the deadline.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from storyline.model import Timex
from storyline.time.calendar import UNIT_GRAN, shift

_OR = re.compile(r"\s*(?:,\s*(?:or\s+)?|\s+or\s+)(?:on\s+|in\s+)?$", re.I)
_OR_WORD = re.compile(r"\bor\b", re.I)
_AND_TO = re.compile(r"\s*(?:and|to|until|till|through|thru|-|–|—)\s*(?:on\s+|in\s+)?$", re.I)
_BETWEEN = re.compile(r"\b(?:between|from)\s+(?:on\s+)?$", re.I)
_DASH = re.compile(r"^\s*[-–—]\s*$")
_AFTER = re.compile(r"^\s+(after|before)\b", re.I)
_LATER = re.compile(r"^\s+(?:later|afterwards?|on)\b", re.I)
_IN = re.compile(r"\b(in|within)\s+(?:the\s+next\s+)?$", re.I)


def _day(value: Optional[str]) -> Optional[dt.date]:
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[:10]) and (len(value) == 10 or value[10] == "T"):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _latest_day(earlier: list[Timex], dct: Optional[dt.date], through_references: bool
                ) -> tuple[Optional[dt.date], Optional[str]]:
    """The day of the nearest earlier dated timex (with its id), else the DCT (id None).

    With ``through_references``, a timex that dates a referenced event ("a week after X") counts by
    the date it derives rather than its own value.
    """
    for x in reversed(earlier):
        if through_references and x.derived_relation == "reference":
            d = _day(x.derived_value)
        else:
            d = _day(x.value) if x.type in ("DATE", "TIME") else None
        if d:
            return d, x.id
    return dct, None


def link(text: str, timexes: list[Timex], sentences: list[tuple[int, int]], dct: Optional[dt.date],
         durations: dict[str, tuple[Optional[float], str]]) -> None:
    """Fill alternatives, intervals and derived dates in place (``timexes`` sorted by start)."""
    _alternatives(text, timexes)
    _intervals(text, timexes)
    _derived(text, timexes, sentences, dct, durations)


def _alternatives(text: str, timexes: list[Timex]) -> None:
    i = 0
    while i < len(timexes):
        group = [timexes[i]]
        j = i
        while j + 1 < len(timexes):
            a, b = timexes[j], timexes[j + 1]
            between = text[a.end:b.start]
            if a.type == b.type and a.value and b.value and len(between) < 12 and _OR.fullmatch(between + ""):
                group.append(b)
                j += 1
            else:
                break
        if len(group) > 1 and any(_OR_WORD.search(text[x.end:y.start]) for x, y in zip(group, group[1:])):
            values = [t.value for t in group]
            for t in group:
                t.alternatives = [t.value] + [v for v in values if v != t.value]
        i = j + 1


def _intervals(text: str, timexes: list[Timex]) -> None:
    for a, b in zip(timexes, timexes[1:]):
        if a.type not in ("DATE", "TIME") or b.type not in ("DATE", "TIME"):
            continue
        if not (a.range_start and b.range_end):
            continue
        between = text[a.end:b.start]
        if len(between) > 14:
            continue
        explicit = _AND_TO.fullmatch(between) and _BETWEEN.search(text[max(0, a.start - 14):a.start])
        if explicit or _DASH.fullmatch(between):
            if a.range_start <= b.range_end:
                start, end = a.range_start, b.range_end
                for t in (a, b):
                    t.range_start, t.range_end = start, end


def _sentence_of(pos: int, sentences: list[tuple[int, int]]) -> tuple[int, int]:
    for s, e in sentences:
        if s <= pos < e:
            return s, e
    return 0, 0


def _derived(text: str, timexes: list[Timex], sentences, dct: Optional[dt.date], durations) -> None:
    for i, t in enumerate(timexes):
        if t.type != "DURATION" or t.id not in durations:
            continue
        try:
            _derive_one(text, timexes, i, t, sentences, dct, durations)
        except (ValueError, OverflowError):  # a date beyond the calendar (year 10000): no derived date
            t.derived_value = t.derived_relation = t.derived_from = None


def _derive_one(text: str, timexes: list[Timex], i: int, t: Timex, sentences, dct, durations) -> None:
    n, code = durations[t.id]
    gran = UNIT_GRAN.get(code)
    if n is None or gran is None or gran in ("weekend", "season"):
        return
    s, _e = _sentence_of(t.start, sentences)
    earlier = [x for x in timexes[:i] if x.start >= s]
    m_after = _AFTER.match(text[t.end:t.end + 10])
    if _LATER.match(text[t.end:t.end + 8]):
        # "three days later": the reference time (the last day named before) + the duration
        prior = [x for x in timexes[:i] if x.type in ("DATE", "TIME") and _day(x.value)]
        if prior:
            t.derived_value = shift(_day(prior[-1].value), n, gran).isoformat()
            t.derived_relation = "after"
            t.derived_from = prior[-1].id
            t.anchor = prior[-1].id
        return
    m_in = _IN.search(text[max(0, t.start - 20):t.start])
    if m_after:
        base, src = _latest_day(earlier, dct, through_references=False)
        if base is None:
            return
        sign = -1 if m_after.group(1).lower() == "after" else 1
        t.derived_value = shift(base, sign * n, gran).isoformat()
        t.derived_relation = "reference"
        t.derived_from = src
        t.anchor = src or "DCT"
    elif m_in and not t.text.lower().startswith(("the ", "its ")):
        base, src = _latest_day(earlier, dct, through_references=True)
        if base is None:
            return
        deadline = shift(base, n, gran)
        t.derived_value = deadline.isoformat()
        t.derived_relation = "deadline"
        t.derived_from = src
        t.anchor = src or "DCT"
        t.range_start, t.range_end = base.isoformat(), deadline.isoformat()
        t.direction = "future"
