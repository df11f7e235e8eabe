"""Normalisation: one function per grammar ``norm`` name, from a regex match to a TIMEX3 value.

Every function takes the match and a :class:`Context` (the DCT, the reference time of the text so far,
the sentence's own anchor, and a callback giving the tense direction of the expression) and returns a
:class:`Norm` or ``None`` (reject the match).  Values follow TimeML: 2025-07-21, 2025-W30, 2025-07,
2025-Q3, 2025-SU, 2025-H2, 2025, 202 (decade), 20 (century), P50D, PT2H, PRESENT_REF, ...
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Optional

from storyline.time.calendar import UNIT_GRAN, Point, add_months, duration_value, shift
from storyline.time.recognise import Lexicon, Rule, _rows, lexicon

FINE = {"day": 0, "week": 1, "weekend": 1, "month": 2, "quarter": 3, "half": 4, "season": 3, "year": 5,
        "decade": 6, "century": 7}


@dataclass
class Norm:
    type: str
    value: Optional[str]
    point: Optional[Point] = None
    mod: Optional[str] = None
    quant: Optional[str] = None
    freq: Optional[str] = None
    range: Optional[tuple[dt.date, dt.date]] = None
    anchor: Optional[str] = None
    direction: Optional[str] = None
    resolved: bool = True
    duration: Optional[tuple[Optional[float], str]] = None  # (amount, unit code) for DURATIONs
    sets_reference: bool = False


@dataclass
class Context:
    dct: Optional[dt.date]
    dct_time: Optional[dt.datetime] = None
    ref: Optional[Point] = None             # the last explicitly mentioned time (reference time)
    ref_quarter: Optional[Point] = None     # the last mentioned quarter (financial reporting)
    sent_anchor: Optional[dt.date] = None   # a past day named earlier in the same sentence
    direction: Callable[[], Optional[str]] = lambda: None
    will: Callable[[], bool] = lambda: False  # an explicit future ("will", "'ll", "is to") governs the expression
    said: Callable[[], bool] = lambda: False  # a past reporting verb governs it ("said on Thursday")
    text: str = ""
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------- helpers

_SPELLED_RX = re.compile(r"[\s-]+")


def number(word: Optional[str], lex: Lexicon) -> Optional[float]:
    """'3', '2,000', 'twenty-four', 'twenty four', 'a dozen', 'a couple of' -> number; vague -> None."""
    if word is None:
        return None
    w = re.sub(r"\s+", " ", word.lower()).strip()
    if re.fullmatch(r"\d+(?:,\d{3})*", w):
        return float(w.replace(",", ""))
    if re.fullmatch(r"\d+\.\d+", w):
        return float(w)
    if w in ("a couple of", "couple of", "a couple"):
        return 2.0
    if w in ("a few", "few", "several", "some", "many"):
        return None
    total, current = 0.0, 0.0
    for part in _SPELLED_RX.split(w):
        if part in ("and",):
            continue
        n = lex.numbers.get(part)
        if n is None:
            return None
        if n == 100:
            current = (current or 1) * 100
        elif n == 1000:
            total += (current or 1) * 1000
            current = 0
        elif n == 12 and part == "dozen":
            current = (current or 1) * 12
        else:
            current += n
    return total + current


def _cap(m: re.Match, group: str) -> bool:
    s = m.start(group)
    return s >= 0 and m.string[s].isupper()


def year_of_two(y: int, dct: Optional[dt.date]) -> int:
    if y >= 100:
        return y
    base = (dct.year if dct else 2000)
    century = base // 100 * 100
    cand = century + y
    if cand > base + 20:
        cand -= 100
    return cand


def pick_year(month: int, day: Optional[int], ctx: Context, direction: Optional[str]) -> int:
    """The year for a month (and day) given without one.

    A day within 100 days of the DCT is read as the nearest such day whatever the tense (news dates
    cluster around the DCT); otherwise, and for a bare month, the tense direction decides; without one,
    the nearest reading."""
    """The year for a month (and day) given without one: by direction, else the closest to the DCT."""
    d0 = ctx.dct
    assert d0 is not None
    cands = []
    for y in (d0.year - 1, d0.year, d0.year + 1):
        try:
            day_ = day or 1
            cands.append((y, dt.date(y, month, min(day_, 28) if day is None else day_)))
        except ValueError:
            continue
    if not cands:
        return d0.year
    if day is None:
        ref = d0.replace(day=1)
    else:
        ref = d0
    closest = min(cands, key=lambda c: abs((c[1] - ref).days))
    if day is not None and abs((closest[1] - ref).days) <= 100:
        return closest[0]  # near the DCT the nearest reading wins whatever the tense
    if direction is None and day is None:
        # a bare month without a tense cue: the next month or the one after reads forward, any other
        # looks back (news mostly narrates what happened: about 3:1 in tuning data)
        soon = [c for c in cands if 0 < (c[1] - ref).days <= 62]
        direction = "future" if soon else "past"
    if direction == "past":
        past = [c for c in cands if c[1] <= ref]
        if past:
            return max(past, key=lambda c: c[1])[0]
    if direction == "future":
        fut = [c for c in cands if c[1] >= ref]
        if fut:
            return min(fut, key=lambda c: c[1])[0]
    return min(cands, key=lambda c: abs((c[1] - ref).days))[0]


def _point_norm(point: Point, typ: str = "DATE", mod: Optional[str] = None, **kw) -> Norm:
    return Norm(type=typ, value=point.value(), point=point, mod=mod, range=mod_range(point, mod), **kw)


def mod_range(point: Point, mod: Optional[str]) -> tuple[dt.date, dt.date]:
    a, b = point.bounds()
    n = (b - a).days + 1
    if mod == "START":
        return a, a + dt.timedelta(days=max(n // 3 - 1, 0))
    if mod == "END":
        return b - dt.timedelta(days=max(n // 3 - 1, 0)), b
    if mod == "MID":
        return a + dt.timedelta(days=n // 3), b - dt.timedelta(days=n // 3)
    return a, b


def _unresolved(typ: str, value: Optional[str], **kw) -> Norm:
    return Norm(type=typ, value=value, resolved=False, **kw)


REL_OFFSET = {"this": 0, "current": 0, "the current": 0, "last": -1, "past": -1, "previous": -1,
              "the previous": -1, "the past": -1, "the last": -1, "the preceding": -1, "the prior": -1,
              "next": 1, "coming": 1, "upcoming": 1, "following": 1, "the following": 1, "the next": 1,
              "the coming": 1, "the upcoming": 1, "that": 0, "the same": 0, "this coming": 1,
              "this past": -1}
REF_RELATIVE = {"following", "the following", "previous", "the previous", "the preceding", "the prior",
                "that", "the same"}
SPEECH_RELATIVE = {"next", "coming", "upcoming", "the next", "the coming", "the upcoming"}


def _rel(word: Optional[str]) -> Optional[str]:
    return re.sub(r"\s+", " ", word.lower()).strip() if word else None


def anchor_day(ctx: Context, rel: Optional[str]) -> tuple[Optional[dt.date], str]:
    """The day a relative expression counts from, and its description."""
    if rel in REF_RELATIVE and ctx.ref is not None:
        return ctx.ref.day, "reference"
    if rel in SPEECH_RELATIVE and ctx.sent_anchor is not None:
        return ctx.sent_anchor, "sentence"
    return ctx.dct, "DCT"


# ---------------------------------------------------------------- normalisers


def n_iso(m, ctx, lex):
    try:
        d = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    if m["h"]:
        return Norm("TIME", f"{d.isoformat()}T{m['h']}:{m['mi']}", point=Point("day", d),
                    range=(d, d), sets_reference=True)
    return _point_norm(Point("day", d), sets_reference=True)


def n_numeric(m, ctx, lex):
    y = year_of_two(int(m["y"]), ctx.dct)
    try:
        d = dt.date(y, int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    return _point_norm(Point("day", d), sets_reference=True)


def n_calendar(m, ctx, lex):
    mon = lex.month(m["mon"])
    if mon is None:
        return None
    day = None
    if "d" in m.re.groupindex and m["d"]:
        day = int(re.match(r"\d+", m["d"]).group())
    mod = lex.mod(m["pm"]) if "pm" in m.re.groupindex else None
    if "apx" in m.re.groupindex and m["apx"] and not mod:
        mod = "APPROX"
    y = _year_group(m, lex)
    if y:
        year = int(y)
    elif ctx.dct is None:
        if day is None:
            return None
        return _unresolved("DATE", f"XXXX-{mon:02d}-{day:02d}", direction=ctx.direction())
    else:
        direction = ctx.direction()
        year = pick_year(mon, day, ctx, direction)
    try:
        d = dt.date(year, mon, day or 1)
    except ValueError:
        return None
    point = Point("day" if day else "month", d)
    n = _point_norm(point, mod=mod, sets_reference=True)
    if not y:
        n.anchor = "DCT"
        n.direction = direction
    return n


def n_coord_day(m, ctx, lex):
    """The second day of "April 24 and 25" / "May 3 or 4": the month (and year) of the first."""
    before = m.string[max(0, m.start() - 40):m.start()]
    b = re.search(r"(?i)(?<![\w])(?P<mon>" + lex.macros["MONTH"] + r")\s+(?P<d0>\d{1,2})(?:st|nd|rd|th)?,?\s+"
                  r"(?:and|or|to|through|until)\s+$", before)
    if not b:
        return None
    mon = lex.month(b["mon"])
    day = int(re.match(r"\d+", m["d"]).group())
    if mon is None or day <= int(b["d0"]):
        return None
    if m["y"]:
        year = int(m["y"])
    elif ctx.dct is None:
        return _unresolved("DATE", f"XXXX-{mon:02d}-{day:02d}")
    else:
        year = pick_year(mon, int(b["d0"]), ctx, ctx.direction())
    try:
        d = dt.date(year, mon, day)
    except ValueError:
        return None
    return _point_norm(Point("day", d), anchor="DCT")


_HAD_DONE = re.compile(r"(?i)\b(?:had|hadn['’]t)\s+(?:not\s+|already\s+|only\s+|just\s+)?"
                       r"(?!to\b|(?:hoped|planned|expected|intended|wanted|promised|agreed|vowed|pledged|aimed|"
                       r"been\s+(?:expected|scheduled|due|set|supposed|planned))\b)[a-z]+")


def _had_done(m) -> bool:
    """A past perfect ("had spent", "had not met") in the expression's sentence, near it."""
    s = m.string
    a = max(0, m.start() - 80, s.rfind(".", 0, m.start()) + 1)
    b = s.find(".", m.end())
    b = min(len(s) if b < 0 else b, m.end() + 80)
    return bool(_HAD_DONE.search(s, a, m.start()) or _HAD_DONE.search(s, m.end(), b))


def n_month(m, ctx, lex):
    if not _cap(m, "mon"):
        return None
    mon = lex.month(m["mon"])
    if mon is None:
        return None
    mod = lex.mod(m["pm"])
    rel = _rel(m["rel"])
    rely = _rel(m["rely"])
    word = m["mon"].lower()
    if word in ("may", "march") and not (rel or rely or m["pm"]):
        # "May" the modal / "march" the verb: only as a month when a preposition points at it
        before = m.string[max(0, m.start() - 12):m.start()].lower()
        if not re.search(r"\b(?:in|since|until|till|by|from|of|through|early|late|mid|last|next|this|before|after|during)\s+$", before) \
                and not (m["mon"][0].isupper() and re.search(r"\bthe\s+$", before)
                         and re.match(r"\s+[a-z]", m.string[m.end():m.end() + 3])):
            # ("the May elections": a capitalised month between "the" and a lower-case noun)
            return None
    if ctx.dct is None:
        return _unresolved("DATE", f"XXXX-{mon:02d}", mod=mod)
    d0 = ctx.dct
    direction = None
    if rely:
        year = d0.year + REL_OFFSET[rely]
    elif rel in ("this", "current"):
        year = d0.year
    elif rel in ("last", "past", "previous", "the past", "the last", "the previous", "this past"):
        year = d0.year if mon < d0.month else d0.year - 1
        if rel == "last" and (d0.month - mon) % 12 == 1:
            year = d0.year - 1 if mon < d0.month else d0.year - 2  # the month just ended is "last month";
            # "last February" written in March is the February a year before
    elif rel in ("next", "coming", "upcoming", "the next", "the coming"):
        year = d0.year if mon > d0.month else d0.year + 1
    else:
        before = m.string[max(0, m.start() - 8):m.start()].lower()
        if re.search(r"\b(?:by|until|till|through)\s+$", before):
            # a deadline or the end of a span still running, unless a past perfect closes it ("Through the
            # end of September, the fund had spent ...")
            direction = "past" if _had_done(m) else "future"
        elif re.search(r"\bsince\s+$", before):
            direction = "past"
        else:
            direction = ctx.direction()
        year = pick_year(mon, None, ctx, direction)
    n = _point_norm(Point("month", dt.date(year, mon, 1)), mod=mod, sets_reference=True, anchor="DCT")
    n.direction = direction
    return n


_TARGET_YEAR_BEFORE = re.compile(r"\b(?:by|until|till|through|before|after|in)\s+$", re.I)


def n_year(m, ctx, lex):
    y = int(m["y"])
    if m.group(0).lower().startswith("the ") and ctx.ref_quarter is not None and re.search(r"(?:period|quarter)$", m.group(0).lower()):
        # "the 1988 period" in a report on a quarter: that quarter of 1988
        return _point_norm(Point("quarter", ctx.ref_quarter.day.replace(year=y)))
    if not (1000 <= y <= 2200):
        return None
    # a bare number that is not plausibly a year: far future, or a count ("2000 troops" is in the grammar)
    if ctx.dct and y > ctx.dct.year + 30 and not (m["fiscal"] if "fiscal" in m.re.groupindex else None) and not (
            y <= ctx.dct.year + 100 and _TARGET_YEAR_BEFORE.search(m.string, max(0, m.start() - 12), m.start())):
        return None  # ("by 2050", "until 2070": a target year after a preposition of time may lie far ahead)
    mod = lex.mod(m["pm"]) if "pm" in m.re.groupindex else None
    return _point_norm(Point("year", dt.date(y, 1, 1)), mod=mod, sets_reference=True)


_SHORT_YEAR_BEFORE = re.compile(r"(?:\b(?:in|since|of|by|until|till|from|before|after|during|through|to|and|or|"
                                r"the|spring|summer|autumn|fall|winter)\s+)$", re.I)


def n_short_year(m, ctx, lex):
    """"in '98", "the '98 election": a year written with two digits, in the century nearest the DCT."""
    if not _SHORT_YEAR_BEFORE.search(m.string, max(0, m.start() - 12), m.start()):
        return None  # a quoted number, a list item: only after a preposition or "the" is it a year
    y = year_of_two(int(m["yy"]), ctx.dct)
    return _point_norm(Point("year", dt.date(y, 1, 1)), sets_reference=True)


def n_decade(m, ctx, lex):
    mod = lex.mod(m["pm"]) or lex.mod(m["pm2"])
    if m["c"]:
        y = int(m["c"] + m["dd"] + "0")
    elif m["dw"]:
        # "the nineties": the latest such decade begun by the DCT ("the nineteen-sixties": that century)
        dd = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties",
              "nineties"].index(m["dw"].lower()) + 2
        if m["cw"]:
            y = (19 if m["cw"].lower() == "nineteen" else 18) * 100 + dd * 10
        else:
            base = ctx.dct.year if ctx.dct else 2000
            y = (base // 100) * 100 + dd * 10
            if y > base:
                y -= 100
    else:
        dd = int(m["dd2"])
        base = ctx.dct.year if ctx.dct else 2000
        y = (base // 100) * 100 + dd * 10
        if y > base:
            y -= 100
    return _point_norm(Point("decade", dt.date(y, 1, 1)), mod=mod)


def n_century(m, ctx, lex):
    o = m["ord"].lower()
    n = lex.ordinals.get(o)
    if n is None:
        mm = re.match(r"\d+", o)
        n = int(mm.group()) if mm else None
    if not n or n > 30:
        return None
    if m.group(0).endswith("Century") and re.match(r"\s+[A-Z][a-z]", m.string[m.end():m.end() + 3]):
        return None  # "21st Century Fox", "20th Century Studios": a name
    mod = lex.mod(m["pm"])
    return Norm("DATE", f"{n - 1:02d}", mod=mod,
                point=Point("century", dt.date(max((n - 1) * 100, 1), 1, 1)))


def spelled_year(phrase: str, lex: Lexicon) -> Optional[int]:
    """'nineteen ninety-four' -> 1994, 'two thousand and one' -> 2001."""
    words = [w for w in _SPELLED_RX.split(phrase.lower()) if w != "and"]
    if words[0] == "nineteen":
        rest = number(" ".join(words[1:]), lex)
        return None if rest is None else 1900 + int(rest)
    rest = number(" ".join(words[2:]), lex) if len(words) > 2 else 0
    return 2000 + int(rest or 0)


def _year_group(m: re.Match, lex: Lexicon) -> Optional[str]:
    """The year of a match as digits, from its ``y`` group or its spelled ``sy`` group."""
    gi = m.re.groupindex
    if "y" in gi and m["y"]:
        return m["y"]
    if "sy" in gi and m["sy"]:
        y = spelled_year(m["sy"], lex)
        return str(y) if y else None
    return None


def n_spelled_year(m, ctx, lex):
    y = spelled_year(m["sy"], lex)
    if y is None:
        return None
    return _point_norm(Point("year", dt.date(y, 1, 1)), sets_reference=True)


def holiday_date(rule: str, year: int) -> Optional[dt.date]:
    if rule.startswith("easter"):
        a = year % 19
        b, c = divmod(year, 100)
        d, e = divmod(b, 4)
        f = (b + 8) // 25
        g = (b - f + 1) // 3
        h = (19 * a + b - d - g + 15) % 30
        i, k = divmod(c, 4)
        ll = (32 + 2 * e + 2 * i - h - k) % 7
        mm = (a + 11 * h + 22 * ll) // 451
        month = (h + ll - 7 * mm + 114) // 31
        day = (h + ll - 7 * mm + 114) % 31 + 1
        off = int(rule[6:] or 0)
        return dt.date(year, month, day) + dt.timedelta(days=off)
    if rule.startswith("nth:"):
        _, mon, wd, n = rule.split(":")
        mon, wd, n = int(mon), int(wd), int(n)
        if n > 0:
            d = dt.date(year, mon, 1)
            d += dt.timedelta(days=(wd - d.isoweekday()) % 7)
            return d + dt.timedelta(weeks=n - 1)
        d = add_months(dt.date(year, mon, 1), 1) - dt.timedelta(days=1)
        return d - dt.timedelta(days=(d.isoweekday() - wd) % 7)
    if rule.startswith("on:"):
        # the first <weekday> on or after <month>-<day> (US Election Day: the Tuesday from November 2)
        _, mon, wd, first = rule.split(":")
        d = dt.date(year, int(mon), int(first))
        return d + dt.timedelta(days=(int(wd) - d.isoweekday()) % 7)
    mon, day = rule.split("-")
    return dt.date(year, int(mon), int(day))


def n_holiday(m, ctx, lex):
    name = m["hol"].lower()
    rule = next((r for rx, r in lex.holidays if rx.fullmatch(name)), None)
    if rule is None:
        return None
    rel = _rel(m["rel"])
    if m["y"]:
        year = int(m["y"])
    elif ctx.dct is None:
        if "-" in rule and rule[0].isdigit():
            return _unresolved("DATE", f"XXXX-{rule}")
        return _unresolved("DATE", None)
    else:
        d0 = ctx.dct
        this = holiday_date(rule, d0.year)
        off = REL_OFFSET.get(rel, None) if rel else None
        if rel in ("last", "past", "previous", "the past", "the last", "the previous"):
            year = d0.year if this < d0 else d0.year - 1
        elif rel in ("next", "coming", "upcoming", "the next", "the coming"):
            year = d0.year if this > d0 else d0.year + 1
        elif off == 0:
            year = d0.year
        else:
            near = min((holiday_date(rule, y) for y in (d0.year - 1, d0.year, d0.year + 1)),
                       key=lambda h: abs((h - d0).days))
            direction = ctx.direction()
            if abs((near - d0).days) <= 30:
                year = near.year  # a holiday within a month of the DCT is the nearest one, as for dates
            elif direction == "past":
                year = d0.year if this <= d0 else d0.year - 1
            elif direction == "future":
                year = d0.year if this >= d0 else d0.year + 1
            else:
                year = d0.year
    d = holiday_date(rule, year)
    if m["wk"]:
        # "Easter week", "Thanksgiving week": the ISO week holding the holiday
        return _point_norm(Point("week", d), sets_reference=True)
    return _point_norm(Point("day", d), sets_reference=True)


def _ordinal(word: str, lex: Lexicon) -> Optional[int]:
    w = word.lower()
    if w in ("last", "final"):
        return -1
    if w[:1].isdigit():
        return int(re.match(r"\d+", w).group())
    return lex.ordinals.get(w)


def n_month_part(m, ctx, lex):
    """A day or week named inside a month: "the first Tuesday in November", "the last day of February",
    "the first week of March" (the month with mod START/END, its range the seven days)."""
    n = _ordinal(m["ord"], lex)
    if n is None or n == 0:
        return None
    gi = m.re.groupindex
    mrel = _rel(m["mrel"])
    if m["mon"]:
        if not _cap(m, "mon"):
            return None
        mon = lex.month(m["mon"])
        if mon is None:
            return None
        if m["y"]:
            year = int(m["y"])
        elif ctx.dct is None:
            return _unresolved("DATE", None)
        else:
            year = pick_year(mon, None, ctx, ctx.direction())
        first = dt.date(year, mon, 1)
    else:
        if ctx.dct is None:
            return _unresolved("DATE", None)
        base = ctx.ref.day if mrel == "the" and ctx.ref is not None and \
            ctx.ref.gran in ("day", "week", "month") else ctx.dct
        first = add_months(base.replace(day=1), {"last": -1, "next": 1}.get(mrel, 0))
    last = add_months(first, 1) - dt.timedelta(days=1)
    if "wd" in gi and m["wd"]:
        wd = lex.weekday(m["wd"])
        if wd is None:
            return None
        if n > 0:
            d = first + dt.timedelta(days=(wd - first.isoweekday()) % 7) + dt.timedelta(weeks=n - 1)
        else:
            d = last - dt.timedelta(days=(last.isoweekday() - wd) % 7)
        if d.month != first.month:
            return None  # "the fifth Monday" of a month that has four
        return _point_norm(Point("day", d), sets_reference=True)
    part = m["part"].lower()
    if part == "day":
        d = first + dt.timedelta(days=n - 1) if n > 0 else last
        if d > last:
            return None
        return _point_norm(Point("day", d), sets_reference=True)
    if n not in (1, -1):
        return None  # "the second week of May": no TimeML value short of guessing a week
    norm = _point_norm(Point("month", first), mod="START" if n == 1 else "END", sets_reference=True)
    norm.range = (first, first + dt.timedelta(days=6)) if n == 1 else (last - dt.timedelta(days=6), last)
    return norm


def _season_point(code: str, year: int) -> Point:
    first = next(a for c, a, b in lexicon().seasons.values() if c == code)
    return Point("season", dt.date(year, first, 1), code)


def _current_season(d: dt.date) -> tuple[str, int]:
    for code, a, b in lexicon().seasons.values():
        months = list(range(a, b + 1)) if a <= b else list(range(a, 13)) + list(range(1, b + 1))
        if d.month in months:
            year = d.year - 1 if (a > b and d.month <= b) else d.year
            return code, year
    return "SU", d.year


def n_season(m, ctx, lex):
    word = m["season"].lower()
    code = lex.seasons[word][0]
    rel = _rel(m["rel"])
    mod = lex.mod(m["pm"]) or lex.mod(m["pm2"])
    y = _year_group(m, lex)
    yrel = _rel(m["yrel"])
    if yrel and ctx.dct is not None:
        y = str(ctx.dct.year + REL_OFFSET[yrel])  # "the spring of last year", "summer next year"
    elif yrel:
        return _unresolved("DATE", f"XXXX-{code}", mod=mod)
    if not (rel or mod or y):
        return None
    after = m.string[m.end():m.end() + 6].lower()
    if rel == "the" and not mod and not y and re.match(r"\s+(?:of|in)\b", after):
        return None  # "the fall of the regime", "the fall in prices"
    if word == "fall" and rel == "the" and not y and not mod:
        return None
    if y:
        year = int(y)
    elif ctx.dct is None:
        return _unresolved("DATE", f"XXXX-{code}", mod=mod)
    else:
        cur_code, cur_year = _current_season(ctx.dct)
        first = lex.seasons[word][1]
        # the season's occurrence in the DCT's year, by start month
        this_year = ctx.dct.year if not (code == "WI" and ctx.dct.month <= 2) else ctx.dct.year - 1
        start = dt.date(this_year, first, 1)
        off = REL_OFFSET.get(rel) if rel and rel != "the" else None
        if off == 0 or (code == cur_code and off is None):
            year = cur_year if code == cur_code else this_year
        elif off == -1:
            year = this_year if start < dt.date(cur_year, lex.seasons[next(w for w, v in lex.seasons.items() if v[0] == cur_code)][1], 1) else this_year - 1
        elif off == 1:
            year = this_year if start > ctx.dct else this_year + 1
        else:
            direction = ctx.direction()
            if direction == "past" and start > ctx.dct:
                year = this_year - 1
            elif direction == "future" and start < ctx.dct:
                year = this_year + 1
            else:
                year = this_year
    return _point_norm(_season_point(code, year), mod=mod, sets_reference=True)


QORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def n_quarter(m, ctx, lex):
    qo = _rel(m["qo"]) or ""
    qo = qo.replace("fiscal ", "")
    kind = m["q"].lower()
    rel = _rel(m["rel"])
    the = (m["the"] or "").lower()
    has_year = bool(m["y"] or m["y2"] or m["rel2"] or (rel and "year's" in rel))
    if rel in ("last", "the last", "past") and not qo and (m["y"] or m["y2"]):
        qo, rel = "last", None  # "the last half of 1989"
    if not (qo or rel or m["y"] or m["y2"] or the == "the" or the in ("its", "their")):
        return None
    if the == "a" and not (qo in QORD):
        return None
    after = m.string[m.end():m.end() + 12].lower()
    if kind == "half" and not qo:
        return None
    if not has_year and re.match(r"\s+of\s+(?:the|a|an|its|their|his|her|all|this|that|these|those|[a-z]+s)\b(?!\s+(?:fiscal\s+)?year)", after):
        return None  # "a quarter of the votes", "the first half of the match"
    if re.match(r"[-\s]+(?:century|mile|point|inch)", after):
        return None
    mod = lex.mod(m["pm"])
    gran = "quarter" if kind == "quarter" else "half"
    span = 3 if gran == "quarter" else 6
    nq = 4 if gran == "quarter" else 2
    if qo in ("final", "last"):
        if has_year or qo == "final" or the != "the":
            qo = "4th" if gran == "quarter" else "second"
        else:  # "the last quarter": the previous one
            qo, rel = "", "last"
    if gran == "half" and qo in ("first", "1st", "second", "2nd"):
        idx = 1 if qo in ("first", "1st") else 2
    else:
        idx = QORD.get(qo)
    # the year
    year = None
    if m["y"]:
        year = int(m["y"])
    elif m["y2"]:
        year = int(m["y2"])
    elif m["rel2"]:
        if ctx.dct is None:
            return _unresolved("DATE", None)
        year = ctx.dct.year + REL_OFFSET[_rel(m["rel2"])]
    elif rel and "year's" in rel:
        if ctx.dct is None:
            return _unresolved("DATE", None)
        year = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[rel.split()[0]]
        rel = None
    if idx is not None:
        if idx > nq:
            return None
        if year is None:
            if ctx.dct is None:
                code = "Q" if gran == "quarter" else "H"
                return _unresolved("DATE", f"XXXX-{code}{idx}", mod=mod)
            year = ctx.dct.year
            start = dt.date(year, (idx - 1) * span + 1, 1)
            d_cur = ctx.dct.replace(day=1)
            if start > d_cur:
                if rel in ("last", "past", "previous", "the last", "the past", "the previous"):
                    year -= 1
                elif rel in ("next", "coming", "the next", "the coming"):
                    pass
                elif ctx.direction() != "future" and (ctx.ref_quarter is None or ctx.ref_quarter.day.year != year):
                    year -= 1
            elif rel in ("next", "coming", "the next", "the coming"):
                year += 1
        p = Point(gran, dt.date(year, (idx - 1) * span + 1, 1))
        return _point_norm(p, mod=mod, sets_reference=True)
    # no ordinal: the current / last / reference quarter
    if ctx.dct is None:
        return _unresolved("DATE", None)
    if gran == "half":
        return None
    cur = Point("quarter", ctx.dct.replace(day=1))
    if qo in ("year-earlier", "year-ago", "comparable"):
        base = ctx.ref_quarter or cur.shift(-1)
        p = Point("quarter", shift(base.day, -1, "year"))
    elif rel in ("this", "current", "the current") or qo == "current":
        p = cur
    elif rel in ("last", "past", "previous", "the last", "the past", "the previous") or qo in ("previous", "past"):
        p = cur.shift(-1)
    elif rel in ("next", "coming", "the next", "the coming", "following", "the following") or qo == "next":
        p = cur.shift(1)
    elif qo == "latest":
        p = cur.shift(-1)  # the latest completed quarter
    else:  # "the quarter", "the same quarter": the one being reported on
        p = ctx.ref_quarter or cur.shift(-1)
    if year is not None:
        p = Point("quarter", p.day.replace(year=year))
    derived = qo in ("year-earlier", "year-ago", "comparable")
    return _point_norm(p, mod=mod, sets_reference=not derived)


def n_period_ref(m, ctx, lex):
    pk = m["pk"].lower()
    pu = m["pu"].lower()
    if ctx.dct is None:
        return _unresolved("DATE", None)
    if m["qo"]:
        idx = QORD.get(m["qo"].lower())
        if idx is None:
            return None
        base = Point("quarter", dt.date((ctx.ref_quarter or Point("quarter", ctx.dct)).day.year, 3 * idx - 2, 1))
    elif pu in ("period", "quarter"):
        base = ctx.ref_quarter or (ctx.ref if ctx.ref and ctx.ref.gran in ("quarter", "half", "month", "year") else None) \
            or Point("quarter", ctx.dct.replace(day=1)).shift(-1)
    elif pu == "year":
        base = Point("year", (ctx.ref.day if ctx.ref else ctx.dct))
    elif pu == "month":
        base = Point("month", (ctx.ref.day if ctx.ref else ctx.dct))
    else:
        base = Point("week", (ctx.ref.day if ctx.ref else ctx.dct))
    if pk in ("year-earlier", "year-ago", "year-before", "prior-year", "previous-year"):
        base = Point(base.gran, shift(base.day, -1, "year"), base.season)
    elif pk == "comparable":
        base = Point(base.gran, shift(base.day, -1, "year"), base.season)
    return _point_norm(base)


def n_year_earlier(m, ctx, lex):
    if ctx.dct is None:
        return _unresolved("DATE", None)
    base = ctx.ref_quarter or ctx.ref or Point("year", ctx.dct)
    if base.gran == "day":
        base = Point("year", base.day)
    return _point_norm(Point(base.gran, shift(base.day, -1, "year"), base.season))


UNIT_WORD_GRAN = {"day": "day", "week": "week", "weekend": "weekend", "month": "month", "year": "year",
                  "quarter": "quarter", "decade": "decade", "century": "century", "fiscal year": "year",
                  "season": "season", "half": "half", "millennium": "century"}


def _title_case_mid_sentence(m, group: str) -> bool:
    """The match's words from ``group`` on are all capitalised and a closing quote or another capitalised
    word follows: a title (ABC's "This Week," / "This Week With ...")."""
    words = m.string[m.start(group):m.end()].split()
    return len(words) > 1 and all(w[0].isupper() for w in words) and \
        bool(re.match(r",?[\"”'’]|\s+[A-Z][a-z]", m.string[m.end():m.end() + 3]))


def n_rel_unit(m, ctx, lex):
    if m["rel"] and not m["pm"] and _title_case_mid_sentence(m, "rel") and \
            not re.match(r"(?i)(?:the\s+)?(?:last|next|past|previous)\b", m["rel"]):
        return None  # ABC's "This Week": a programme's name
    rel = _rel(m["rel"])
    unit = re.sub(r"\s+", " ", m["unit"].lower())
    gran = UNIT_WORD_GRAN[unit]
    pm = _rel(m["pm"])
    mod = lex.mod(pm)
    if False:
        # "the past year": a stretch of time, not a calendar unit
        code = {"day": "D", "week": "W", "month": "M", "year": "Y", "quarter": "Q", "decade": "DE",
                "century": "CE", "fiscal year": "Y", "season": "SE", "half": "M", "millennium": "ML"}[unit]
        n = 6 if unit == "half" else 1
        return Norm("DURATION", duration_value(n, code), duration=(n, code),
                    direction="past" if rel != "the next" else "future")
    base, how = anchor_day(ctx, rel)
    if unit == "day" and rel == "the next" and ctx.ref is not None and ctx.ref.gran == "day":
        # "the next day" narrates: the day after the last day named (said of the DCT, it is "tomorrow")
        base, how = ctx.ref.day, "reference"
    if base is None:
        return _unresolved("DATE", None, mod=mod)
    off = REL_OFFSET.get(rel, 0)
    if unit == "day" and how == "reference" and ctx.ref.gran in ("year", "month"):
        # "the same day" after "in 2008": a day of that year, which one unsaid (not its January 1)
        y = ctx.ref.day.year
        v = f"{y}-XX-XX" if ctx.ref.gran == "year" else f"{y}-{ctx.ref.day.month:02d}-XX"
        return Norm("DATE", v, mod=mod, anchor="reference")
    if unit == "day":
        d = base + dt.timedelta(days=off)
        # a day counted from the reference time moves the narrative on ("the next day ... the following day")
        return _point_norm(Point("day", d), mod=mod, anchor=how, sets_reference=how == "reference")
    if gran == "season":
        code, y = _current_season(base)
        p = _season_point(code, y + off)
    elif gran == "century":
        p = Point("century", shift(base, off, "century"))
    else:
        p = Point(gran, shift(base, off, gran))
    n = _point_norm(p, mod=mod, anchor=how, sets_reference=False)
    # "later this week" / "earlier this month": after / before the anchor day within the unit
    if pm in ("later", "late") and off == 0 and how != "reference":
        a, b = p.bounds()
        n.range = (min(max(a, base + dt.timedelta(days=1)), b), b)
    elif pm in ("earlier", "early") and off == 0 and how != "reference":
        a, b = p.bounds()
        n.range = (a, max(min(b, base - dt.timedelta(days=1)), a))
    return n


def n_the_unit(m, ctx, lex):
    unit = m["unit"].lower()
    mod = lex.mod(m["pm"])
    full = (m["full"] or "").lower()
    if unit in ("decade", "century") and (not mod or full):
        return None  # only "the end of the decade", "the turn of the century": a bare "the decade" is a stretch
    if unit != "weekend" and not mod and full in ("", "fiscal") and (
            full or re.match(r"\s+(?:ended|ending|to\s+date|before|after|earlier|later|ago)\b",
                             m.string[m.end():m.end() + 12])):
        # "the year ended June 30", "the fiscal year": a stretch of time; a plain "the year" ("for
        # the year", "the week's trading") is the current one
        code = {"year": "Y", "month": "M", "week": "W"}[unit]
        return Norm("DURATION", duration_value(1, code), duration=(1, code))
    if ctx.dct is None:
        return _unresolved("DATE", None, mod=mod)
    if unit == "weekend":
        base = ctx.dct
        direction = ctx.direction() or "past"
        wd = base.isoweekday()
        if wd >= 6:
            d = base
        elif direction == "future":
            d = base + dt.timedelta(days=6 - wd)
        else:
            d = base - dt.timedelta(days=wd + 1)
        return _point_norm(Point("weekend", d), mod=mod, anchor="DCT", direction=direction)
    gran = UNIT_WORD_GRAN[unit]
    use_ref = ctx.ref is not None and ctx.ref.gran == "day" and mod is not None
    base = ctx.ref.day if use_ref else ctx.dct
    return _point_norm(Point(gran, base), mod=mod, anchor="reference" if use_ref else "DCT")


def _unit_code(word: str, lex: Lexicon) -> Optional[str]:
    return lex.unit(word)


def n_offset(m, ctx, lex):
    code = _unit_code(m["unit"], lex)
    if code is None:
        return None
    n = number(m["n"], lex)
    mod = lex.mod(m["am"], "amount")
    direction = _rel(m["dir"])
    sign = -1 if direction in ("ago", "earlier", "back", "previously") else 1
    if n is None:
        return Norm("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", mod=mod)
    if direction in ("earlier", "later", "on") and ctx.ref is not None:
        base_pt, how = ctx.ref, "reference"
    else:
        if ctx.dct is None:
            return _unresolved("DATE", None, mod=mod)
        base_pt, how = Point("day", ctx.dct), "DCT"
    if code in ("H", "MIN", "S"):
        if ctx.dct_time is None or how != "DCT":
            return Norm("DATE", base_pt.value(), point=base_pt, mod=mod, anchor=how)
        delta = {"H": dt.timedelta(hours=n), "MIN": dt.timedelta(minutes=n), "S": dt.timedelta(seconds=n)}[code]
        t = ctx.dct_time + sign * delta
        return Norm("TIME", t.strftime("%Y-%m-%dT%H:%M"), point=Point("day", t.date()), mod=mod, anchor=how)
    gran = UNIT_GRAN.get(code, "day")
    if code == "2W":
        n, gran = n * 2, "week"
    if how == "DCT" and gran == "year" and ctx.ref_quarter is not None and sign < 0:
        # "a year ago" in a report on a quarter: the same quarter of that year
        base_pt, how = ctx.ref_quarter, "reference"
    # keep the reference's granularity when it is finer than the unit ("a year earlier" than a quarter)
    if how == "reference" and FINE.get(base_pt.gran, 9) < FINE.get(gran, 9) and base_pt.gran != "day":
        out_gran = base_pt.gran  # "a year earlier" than a quarter: that quarter a year before
    else:
        out_gran = gran
    day = shift(base_pt.day, sign * n, gran)
    p = Point(out_gran, day, base_pt.season if out_gran == "season" else None)
    if out_gran == "season" and p.season is None:
        p = Point("month", day)
    return _point_norm(p, mod=mod, anchor=how, direction="past" if sign < 0 else "future")


def n_duration(m, ctx, lex):
    code = _unit_code(m["unit"], lex)
    if code is None:
        return None
    nword = m["n"].lower()
    unit_word = m["unit"].lower()
    if code == "S" and not re.fullmatch(r"[\d.,]+", nword) and unit_word == "second":
        return None  # "a second round"
    if code == "WE":
        return None
    if m["old"] and "old" in m["old"].lower():
        return None  # an age ("52 years old"), not a time
    if m["old"] and nword in ("a", "an"):
        return None  # "a week-long strike": the article is the noun's ("week-long" alone is the time)
    if re.match(r"[\s-]+old\b", m.string[m.end():m.end() + 6]):
        return None
    if code == "Q" and re.match(r"\s+of\b", m.string[m.end():m.end() + 4]) and (
            "-" in m.group(0) or re.match(r"\s+of\s+(?:the|its|his|her|their|our|a|an|all|this|that|these|those|"
                                          r"\d|[A-Z])", m.string[m.end():m.end() + 12])) and \
            nword not in ("several", "many", "few", "a few", "some"):
        return None  # a counted or hyphenated quarter before "of" + a determiner or name is a share, not time
        # (a vague count -- "several", "many", "a few" -- of quarters before "of" stays a stretch of time)
    if nword == "one" and unit_word == "day" and not (m["the"] or m["am"]) and re.search(
            r"(?i)\b(?:will|would|could|may|might|can|shall|to|'ll|’ll)\s+$", m.string[max(0, m.start() - 8):m.start()]):
        return Norm("DATE", "FUTURE_REF", anchor="DCT", direction="future")  # "will one day lead": someday
    n = number(m["n"], lex)
    if nword in ("a", "an", "one") and m["the"] and (m["the"].lower() in ("a", "an")):
        return None
    if nword in ("a", "an") and not m["the"] and not m["am"] and _RATE_BEFORE.search(
            m.string[max(0, m.start() - 24):m.start()]):
        return None  # "9 percent a year": a rate, see n_set_a_unit
    if n is not None and (m["half"] or m["half0"]):
        n += 0.5
    mod = lex.mod(m["am"], "amount")
    if m["n0"]:
        n = None  # a range ("two to three weeks"): an unspecified amount of the unit
    tail = (m["orso"] or "").split()
    if tail and tail[-1].lower() in ("more", "longer"):
        mod = mod or "EQUAL_OR_MORE"
    elif tail and tail[-1].lower() == "less":
        mod = mod or "EQUAL_OR_LESS"
    elif tail and tail[-1].lower() == "so":
        mod = mod or "APPROX"
    if n is not None and not float(n).is_integer():
        # TimeML values are integers: 1.5 years -> P18M
        finer = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("MIN", 60),
                 "DE": ("Y", 10), "CE": ("Y", 100), "MIN": ("S", 60)}
        if code in finer:
            c2, k = finer[code]
            whole, rest = int(n), round((n - int(n)) * k)
            if whole and rest and code in ("Y", "D", "H", "MIN"):
                # "two and a half years" -> P2Y6M, "a minute and a half" -> PT1M30S (ISO 8601 mixed units)
                big, small = duration_value(whole, code), duration_value(rest, c2)
                value = big + (small[2:] if small.startswith("PT") and "T" in big else small[1:])
                return Norm("DURATION", value, mod=mod, duration=(round(n * k), c2))
            n, code = round(n * k), c2
    value = duration_value(n, code)
    tr = _rel(m["tr"])
    return Norm("DURATION", value, mod=mod, duration=(n, code),
                direction={"past": "past", "last": "past", "previous": "past", "next": "future",
                           "coming": "future", "upcoming": "future"}.get(tr or ""))


_UNITS_THEN = re.compile(r"\s+(?:later|earlier|afterwards?|after|before)\b", re.I)


def n_frac_century(m, ctx, lex):
    """"a quarter-century" (P25Y), "half a century" (P50Y); with "ago", the year that long before the DCT."""
    years = 25 if (m["frac"] or "").lower() == "quarter" else 50
    mod = lex.mod(m["am"] or m["am2"], "amount")
    if m["ago"] or m["ago2"]:
        if ctx.dct is None:
            return _unresolved("DATE", None, mod=mod)
        return _point_norm(Point("year", dt.date(ctx.dct.year - years, 1, 1)), mod=mod, anchor="DCT",
                           direction="past")
    return Norm("DURATION", f"P{years}Y", mod=mod, duration=(float(years), "Y"))


def n_unit_long(m, ctx, lex):
    """"a week-long strike", "their year-long inquiry": one unit of time."""
    code = _unit_code(m["unit"], lex)
    if code is None:
        return None
    return Norm("DURATION", duration_value(1, code), duration=(1, code))


def n_units_ago(m, ctx, lex):
    """"years ago", "months ago": a past time, how far back unsaid."""
    if re.search(r"(?i)\b(?:the|those|these|of)\s+$", m.string[max(0, m.start() - 8):m.start()]):
        return None
    return Norm("DATE", "PAST_REF", anchor="DCT", direction="past")


def n_units_bare(m, ctx, lex):
    unit = m["unit"].lower()
    code = _unit_code(unit, lex)
    if code is None:
        return None
    tr = _rel(m["tr"])
    before = m.string[max(0, m.start() - 10):m.start()].lower()
    if code == "Q" and not tr and (re.search(r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten))[\s-]+$", before)
                                   or re.match(r"\s+of\s+(?:the|its|his|her|their|our|all|this|that)\b",
                                               m.string[m.end():m.end() + 12])):
        return None  # "three quarters of the vote": a fraction
    of_after = re.match(r"\s+of\s+(?!(?:the|a|an|this|that|his|her|its|their|our)\s+(?:year|month|week|day)s?\b)"
                        r"[a-z]", m.string[m.end():m.end() + 24])
    then = _UNITS_THEN.match(m.string, m.end())
    if not tr and not of_after and not then and not re.search(
            r"\b(?:for|over|in|within|than|of|after|before|and|or|take|takes|took)\s+$", before):
        return None  # ("months of talks", "after years of war": a stretch; a bare plural otherwise is not)
    # ("Hours later", "months after the vote": the stretch between two events, its length unsaid)
    if m["the"] and not tr:
        return None
    if tr == "early" and code in ("H",) and re.match(r"\s+of\b", m.string[m.end():m.end() + 4]):
        return None  # "the early hours of Thursday": a part of that day, not a stretch of time
    if tr in ("past", "last", "previous"):
        return Norm("DATE", "PAST_REF", anchor="DCT", direction="past")
    return Norm("DURATION", duration_value(None, code), duration=(None, code),
                direction="past" if tr == "recent" else None)


WEEKDAY_NAMES = {1: "Monday"}


def resolve_weekday(wd: int, base: dt.date, direction: Optional[str], rel: Optional[str]) -> dt.date:
    cur = base.isoweekday()
    if rel in ("last", "past", "previous", "the previous", "the preceding", "this past"):
        back = (cur - wd) % 7 or 7
        return base - dt.timedelta(days=back)
    if rel in ("next", "coming", "the next", "the following", "this coming"):
        fwd = (wd - cur) % 7 or 7
        return base + dt.timedelta(days=fwd)
    if rel == "this":
        return base + dt.timedelta(days=wd - cur)
    if wd == cur:
        return base
    if direction == "future":
        return base + dt.timedelta(days=(wd - cur) % 7)
    return base - dt.timedelta(days=(cur - wd) % 7)


@lru_cache(maxsize=1)
def _named_weekday_before() -> re.Pattern:
    words = sorted((r[0].strip() for r in _rows("named_weekdays.tsv")), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w).replace("\\ ", r"\s+") for w in words) + r")\s+$")


def n_weekday(m, ctx, lex):
    wd = lex.weekday(m["wd"])
    if wd is None:
        return None
    word = m["wd"]
    if word[0].islower() and word.lower() not in ("monday", "tuesday", "wednesday", "thursday", "friday",
                                                    "saturday", "sunday"):
        return None
    rel = _rel(m["rel"])
    mod = lex.mod(m["pm"])
    pod = m["pod"]
    if not (rel or m["pm"]) and _named_weekday_before().search(m.string, max(0, m.start() - 20), m.start()):
        return None  # "Super Tuesday", "Black Friday": an occasion's name
    if pod and pod[0].isupper() and _NAME_AFTER.match(m.string, m.end()):
        return None  # "Saturday Night Live", "Monday Night Football": a title, not a time
    if ctx.dct is None:
        v = f"XXXX-WXX-{wd}"
        return _unresolved("TIME" if pod else "DATE", v + (f"T{lex.parts_of_day[pod.lower()]}" if pod else ""),
                           mod=mod, direction=ctx.direction())
    base = ctx.ref.day if rel in ("the following", "the previous", "the preceding", "the next") and ctx.ref else ctx.dct
    seen = ctx.extra.setdefault("weekdays", {})
    if not rel and wd in seen and wd != ctx.dct.isoweekday() and not (seen[wd] < ctx.dct and ctx.will()) \
            and not (seen[wd] > ctx.dct and ctx.said()):
        # the same weekday named again in one article is the same day ("Thursday or Friday" ... "Friday was
        # the most likely option"), whatever the tense of the reported speech; but under an explicit future a
        # weekday first met in the past is the next one ("said on Monday ... On Monday, he will meet ..."), and
        # one first met ahead is the last one when a reporting verb governs it ("will meet on Thursday ...
        # On Thursday, the speaker said ...")
        d, direction = seen[wd], None
    else:
        direction = None if rel else ctx.direction()
        d = resolve_weekday(wd, base, direction, rel)
    if not rel:
        seen.setdefault(wd, d)
    if pod:
        code = lex.parts_of_day[pod.lower()]
        return Norm("TIME", f"{d.isoformat()}T{code}", point=Point("day", d), mod=mod, range=(d, d),
                    anchor="DCT", direction=direction, sets_reference=True)
    n = _point_norm(Point("day", d), mod=mod, anchor="DCT", sets_reference=True)
    n.direction = "past" if d < ctx.dct else "future" if d > ctx.dct else "present"
    return n


def n_weekday_set(m, ctx, lex):
    word = m["wd"] or m["wd2"] or m["wd3"] or m["wd4"]
    wd = lex.weekday(word)
    if wd is None:
        return None
    v = f"XXXX-WXX-{wd}"
    pod = m["pod"] or m["pod2"]
    if pod:
        v += "T" + lex.parts_of_day[pod.lower().rstrip("s")]
    return Norm("SET", v, quant="EVERY" if m["every"] and m["every"].lower() in ("every", "each") else None)


def _tail_day(tail: Optional[str], ctx: Context, lex: Lexicon) -> Optional[dt.date]:
    if not tail:
        return ctx.dct
    t = tail.lower()
    if ctx.dct is None:
        return None
    if t == "today":
        return ctx.dct
    if t == "yesterday":
        return ctx.dct - dt.timedelta(days=1)
    if t == "tomorrow":
        return ctx.dct + dt.timedelta(days=1)
    wd = lex.weekday(t)
    if wd:
        return resolve_weekday(wd, ctx.dct, ctx.direction(), None)
    mm = re.match(r"([a-z]+\.?)\s+(\d+)(?:\w*)(?:,?\s+(\d{4}))?", t)
    if mm:
        mon = lex.month(mm.group(1))
        if mon:
            day = int(mm.group(2))
            year = int(mm.group(3)) if mm.group(3) else pick_year(mon, day, ctx, None)
            try:
                return dt.date(year, mon, day)
            except ValueError:
                return None
    return ctx.dct


def n_clock(m, ctx, lex):
    gi = m.re.groupindex
    mod = lex.mod(m["am"], "amount") if "am" in gi and m["am"] and m["am"].lower() in ("about", "around",
                                                                                       "approximately",
                                                                                       "roughly") else None
    if mod:
        mod = "APPROX"
    if "nm" in gi and m["nm"]:
        if m["nm"][0].isupper() and _NAME_AFTER.match(m.string, m.end()) and \
                not _SENT_START.search(m.string[max(0, m.start() - 4):m.start()]):
            return None  # "the Midnight Express": a name, not a time
        nm = m["nm"].lower()
        hh, mi = (24, 0) if nm == "midnight" else (12, 0)
    elif "hw" in gi and m["hw"]:
        n = number(m["hw"], lex)
        if n is None or not (1 <= n <= 12):
            return None
        hh, mi = int(n), 0
        pod = (m["pod"] or "").lower()
        if any(p in pod for p in ("afternoon", "evening", "night")) and hh < 12:
            hh += 12
    else:
        hh = int(m["h"])
        mi = int(m["mi"] or 0)
        ap = (m["ap"] or "").lower().replace(".", "") if "ap" in gi else ""
        if ap:
            if not (1 <= hh <= 12):
                return None
            if ap == "pm" and hh < 12:
                hh += 12
            if ap == "am" and hh == 12:
                hh = 0
        elif not m["tz"] and "tail" in gi and not m["tail"]:
            # a bare 14:30 needs a colon and a plausible context; scores like 2:1 are not matched (two digits)
            pass
    day = _tail_day(m["tail"] if "tail" in gi else None, ctx, lex)
    hm = f"T{hh:02d}:{mi:02d}"
    if day is None:
        return _unresolved("TIME", "XXXX-XX-XX" + hm, mod=mod)
    return Norm("TIME", day.isoformat() + hm, point=Point("day", day), mod=mod, range=(day, day),
                anchor="DCT")


_POD_OF = re.compile(r"\s+(?:of\s|the\s|when\s|that\s|before\s+(?:the|he|she|they|it)\b|he\s|she\s|they\s|it\s|[A-Z][a-z]+\s+(?:was|were|had|did)\b)")


_NAME_AFTER = re.compile(r"\s+[A-Z][a-z]")


def n_pod(m, ctx, lex):
    gi = m.re.groupindex
    if m["pod"][0].isupper() and _NAME_AFTER.match(m.string, m.end()) and m.start("pod") > m.start():
        return None  # "Saturday Night Live", "Monday Night Football": a title, not a time
    if "base" in gi and m["base"] and _title_case_mid_sentence(m, "base"):
        return None  # CBS's "This Morning,": a programme's name
    pod = m["pod"].lower()
    code = lex.parts_of_day.get(pod, "NI" if pod in ("tonight",) else None)
    if pod == "tonight":
        code = "NI"
    if code is None:
        return None
    mod = lex.mod(m["pm"]) if "pm" in gi else None
    base = (m["base"] if "base" in gi else None) or (m["base2"] if "base2" in gi else None) or ""
    b = base.lower()
    if b == "the" and _POD_OF.match(m.string, m.end()):
        return None  # "the night of May 2", "the night the plane fell": that night, not the DCT's
    if b in ("early", "late", "mid"):
        mod = {"early": "START", "late": "END", "mid": "MID"}[b]
    if ctx.dct is None:
        return _unresolved("TIME", None, mod=mod)
    if b in ("yesterday",):
        d = ctx.dct - dt.timedelta(days=1)
    elif b == "tomorrow":
        d = ctx.dct + dt.timedelta(days=1)
    elif b == "last":
        d = ctx.dct - dt.timedelta(days=1) if code == "NI" or code == "EV" else ctx.dct - dt.timedelta(days=1)
    elif lex.weekday(b):
        d = resolve_weekday(lex.weekday(b), ctx.dct, ctx.direction(), None)
    elif b.startswith(("the ", "that")):
        # "the next morning", "the previous night", "that evening": next to or on the last day named (else
        # the DCT)
        ref = ctx.ref.day if ctx.ref is not None and ctx.ref.gran == "day" else ctx.dct
        last = b.split()[-1]
        d = ref + dt.timedelta(days=-1 if last in ("previous", "preceding") else 0 if last in ("that", "same") else 1)
        return Norm("TIME", f"{d.isoformat()}T{code}", point=Point("day", d), mod=mod, range=(d, d),
                    anchor="reference" if ref != ctx.dct else "DCT", sets_reference=True)
    else:
        d = ctx.dct
    return Norm("TIME", f"{d.isoformat()}T{code}", point=Point("day", d), mod=mod, range=(d, d), anchor="DCT")


@lru_cache(maxsize=1)
def _generic_nouns() -> frozenset:
    return frozenset(r[0].strip().lower() for r in _rows("generic_nouns.tsv"))


_POSSESSIVE_NEXT = re.compile(r"['’]s((?:\s+[A-Za-z-]+){1,3})")


def n_deictic(m, ctx, lex):
    if m["sw"] == "Today" and not m["pm"] and re.search(r"(?:^|\s)[A-Z][\w.&'’]*\s+$|[\"“'‘]$",
                                                         m.string[max(0, m.start() - 20):m.start()]) and \
            not _SENT_START.search(m.string[max(0, m.start() - 4):m.start()]):
        return None  # "USA Today", "the 'Today' show": a name
    sw = re.sub(r"\s+", " ", m["sw"].lower())
    poss = _POSSESSIVE_NEXT.match(m.string, m.end())
    if poss and sw in ("today", "tomorrow", "yesterday") and \
            any(w.lower() in _generic_nouns() for w in poss.group(1).split()):
        return None  # "today's youth", "in today's world": the present era, not the calendar day
    off = {"today": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
           "the day after tomorrow": 2}[sw]
    mod = lex.mod(m["pm"])
    if ctx.dct is None:
        return _unresolved("DATE", None, mod=mod)
    d = ctx.dct + dt.timedelta(days=off)
    return _point_norm(Point("day", d), mod=mod, anchor="DCT", sets_reference=True,
                       direction="present" if off == 0 else ("past" if off < 0 else "future"))


_SENT_START = re.compile(r"(?:^|[.!?][\"'”’]?\s+|\n\s*|[\"“]\s*)$")


def n_reference(m, ctx, lex):
    phrase = re.sub(r"\s+", " ", m["ref"].lower())
    for rx, val, typ in lex.references:
        if rx.fullmatch(phrase):
            if phrase == "soon":
                before = m.string[max(0, m.start() - 4):m.start()].lower()
                after = m.string[m.end():m.end() + 8].lower()
                if before.endswith("as ") or re.match(r"\s+(?:after|before|as|thereafter)\b", after):
                    return None  # "as soon as", "soon after X": a conjunction, not a time
            if phrase == "now" and re.match(r"\s*,", m.string[m.end():m.end() + 3]) and _SENT_START.search(
                    m.string[max(0, m.start() - 4):m.start()]):
                return None  # "Now, he says, ...": the discourse marker opening a sentence, not a time
            if phrase == "the future" and re.match(r"\s+of\b", m.string[m.end():m.end() + 4]):
                return None  # "the future of the alliance": the fate of a thing, not a time
            if phrase == "future":
                after = m.string[m.end():m.end() + 3]
                if re.match(r"\s+[a-z]", after):
                    return None  # "future plans": an adjective
            if phrase == "current":
                after = m.string[m.end():m.end() + 12].lower()
                if re.match(r"\s+(?:account|affairs|events|density|flow|source|price|prices|rate)\b", after):
                    return None
            n = Norm(typ, val, anchor="DCT")
            if ctx.dct is not None:
                if val == "PRESENT_REF":
                    n.range = (ctx.dct, ctx.dct)
            n.direction = {"PRESENT_REF": "present", "PAST_REF": "past", "FUTURE_REF": "future"}.get(val)
            if phrase == "a while" and re.search(r"(?i)\bonce\s+in\s+$", m.string[max(0, m.start() - 8):m.start()]):
                return None  # "once in a while": now and then, not a stretch
            return n
    return None


def n_coming_units(m, ctx, lex):
    unit = m["unit"].lower()
    tr = _rel(m["tr"])
    code = _unit_code(unit, lex)
    if tr in ("past few", "last few", "recent", "past"):
        return Norm("DATE", "PAST_REF", anchor="DCT", direction="past")
    if tr == "future":
        return Norm("DATE", "FUTURE_REF", anchor="DCT", direction="future")  # "future" + plural unit: time ahead
    if tr == "few":
        return Norm("DURATION", duration_value(None, code), duration=(None, code))
    n = Norm("DURATION", duration_value(None, code), duration=(None, code), anchor="DCT", direction="future")
    if ctx.dct is not None:
        span = {"days": 7, "weeks": 28, "months": 183, "quarters": 365, "years": 5 * 365, "decades": 30 * 365}[unit]
        n.range = (ctx.dct + dt.timedelta(days=1), ctx.dct + dt.timedelta(days=span))
    return n


_ADVERB_NEXT = {"and", "or", "to", "in", "on", "at", "for", "by", "from", "since", "until", "through", "during",
                "with", "the", "a", "an", "over", "after", "before", "but", "as", "than", "while", "when", "is", "are",
                "was", "were", "basis", "across", "into", "throughout", "this", "that", "since", "if", "because"}


_DETERMINER_BEFORE = re.compile(r"(?i)\b(?:his|her|its|their|our|my|your|the)\s+$")


def n_set_adverb(m, ctx, lex):
    if re.match(r"\s+[A-Z][a-z]", m.string[m.end():m.end() + 3]):
        return None  # "the party daily Pravda": a newspaper named after it, not a recurrence
    if m["sa"][0].isupper() and re.search(r"(?:^|\s)[A-Z][\w&'’]*\s+$", m.string[max(0, m.start() - 30):m.start()]):
        return None  # "Publishers Weekly", "News Daily": a capitalised word inside a name, not a recurrence
    nxt = re.match(r"\s+([a-z]+)", m.string[m.end():m.end() + 20])
    adjective = m["sa"].lower() in ("daily", "weekly", "monthly", "nightly", "hourly", "yearly") and \
        _DETERMINER_BEFORE.search(m.string[max(0, m.start() - 8):m.start()])
    if nxt and nxt.group(1) not in _ADVERB_NEXT and not adjective:
        return None  # "a daily newspaper", "quarterly results": an adjective, not a recurrence
    # ("his weekly address", "their daily lives": the possessor does the thing every day / week)
    if _AMOUNT_BEFORE.search(m.string[max(0, m.start() - 30):m.start()]):
        return None  # "rise 8% annually": a rate (TimeBank does not mark rates)
    val, quant = lex.sets[m["sa"].lower()]
    return Norm("SET", val, quant=quant)


def n_year_end(m, ctx, lex):
    if ctx.dct is None:
        return _unresolved("DATE", None, mod="END")
    return _point_norm(Point("year", ctx.dct), mod="END", anchor="DCT")


def n_set_every(m, ctx, lex):
    if m.group(0).lower().startswith("per") and _AMOUNT_BEFORE.search(m.string[max(0, m.start() - 30):m.start()]):
        return None  # "15 million instructions per second": a rate
    if m["mon"]:
        mon = lex.month(m["mon"])
        return Norm("SET", f"XXXX-{mon:02d}", quant="EVERY")
    if m["season"]:
        return Norm("SET", f"XXXX-{lex.seasons[m['season'].lower()][0]}", quant="EVERY")
    code = _unit_code(m["unit"], lex)
    if code is None:
        return None
    n = number(m["n"], lex) if m["n"] else 1
    if m["other"]:
        n = 2
    if n is None:
        return None
    return Norm("SET", duration_value(n, code), quant="EVERY")


def n_set_freq(m, ctx, lex):
    f = m["f"].lower()
    k = {"once": 1, "twice": 2, "thrice": 3}.get(f)
    if k is None:
        k = number(re.sub(r"\s+times$", "", f), lex)
    code = _unit_code(m["unit"], lex)
    if code is None or k is None:
        return None
    return Norm("SET", duration_value(1, code), freq=f"{int(k)}X")


_RATE_BEFORE = re.compile(r"(?:\d|%|percent|million|billion|trillion|dollars|cents|euros|pounds|rubles|barrels|"
                          r"tons|times|once|twice|miles|people|cases|hours|visits|shares)\s*$", re.I)


_AMOUNT_BEFORE = re.compile(r"(?:\d|%|percent|million|billion|trillion|dollars|cents|euros|pounds|rubles|barrels|"
                            r"tons|units|shares|people)\s*$", re.I)


def n_set_a_unit(m, ctx, lex):
    before = m.string[max(0, m.start() - 24):m.start()]
    if not _RATE_BEFORE.search(before) or _AMOUNT_BEFORE.search(before):
        return None  # "visits twice a year" is a SET; "$5 million a year" is a rate, not a time
    code = _unit_code(m["unit"], lex)
    return Norm("SET", duration_value(1, code), quant=None)


NORMALISERS: dict[str, Callable] = {
    name[2:]: fn for name, fn in globals().items() if name.startswith("n_") and callable(fn)
}


def normalise(rule: Rule, m: re.Match, ctx: Context) -> Optional[Norm]:
    fn = NORMALISERS[rule.norm]
    return fn(m, ctx, lexicon())
