"""Calendar arithmetic on TimeML granularities: points (a day, week, month, quarter, half, season,
year, decade, century), shifting them, formatting TimeML values and the days they cover."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

GRANS = ("day", "week", "weekend", "month", "quarter", "half", "season", "year", "decade", "century")


@dataclass(frozen=True)
class Point:
    """A calendar unit containing ``day`` at granularity ``gran`` (season carries its code)."""

    gran: str
    day: dt.date
    season: Optional[str] = None

    # ---- TimeML value
    def value(self) -> str:
        d = self.day
        if self.gran == "day":
            return d.isoformat()
        if self.gran in ("week", "weekend"):
            y, w, _ = d.isocalendar()
            return f"{y:04d}-W{w:02d}" + ("-WE" if self.gran == "weekend" else "")
        if self.gran == "month":
            return f"{d.year:04d}-{d.month:02d}"
        if self.gran == "quarter":
            return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
        if self.gran == "half":
            return f"{d.year:04d}-H{1 if d.month <= 6 else 2}"
        if self.gran == "season":
            return f"{self.season_year():04d}-{self.season}"
        if self.gran == "year":
            return f"{d.year:04d}"
        if self.gran == "decade":
            return f"{d.year // 10:03d}"
        if self.gran == "century":
            return f"{d.year // 100:02d}"
        raise ValueError(self.gran)

    def season_year(self) -> int:
        # winter of Y runs December Y .. February Y+1; a day in Jan/Feb belongs to the previous winter
        if self.season == "WI" and self.day.month <= 2:
            return self.day.year - 1
        return self.day.year

    # ---- the days covered, inclusive
    def bounds(self) -> tuple[dt.date, dt.date]:
        d = self.day
        if self.gran == "day":
            return d, d
        if self.gran == "week":
            s = d - dt.timedelta(days=d.weekday())
            return s, s + dt.timedelta(days=6)
        if self.gran == "weekend":
            s = d - dt.timedelta(days=d.weekday()) + dt.timedelta(days=5)
            return s, s + dt.timedelta(days=1)
        if self.gran == "month":
            return d.replace(day=1), _month_end(d.year, d.month)
        if self.gran == "quarter":
            m = (d.month - 1) // 3 * 3 + 1
            return dt.date(d.year, m, 1), _month_end(d.year, m + 2)
        if self.gran == "half":
            m = 1 if d.month <= 6 else 7
            return dt.date(d.year, m, 1), _month_end(d.year, m + 5)
        if self.gran == "season":
            from storyline.time.recognise import lexicon
            first, last = next((a, b) for code, a, b in lexicon().seasons.values() if code == self.season)
            y = self.season_year()
            if first > last:
                return dt.date(y, first, 1), _month_end(y + 1, last)
            return dt.date(y, first, 1), _month_end(y, last)
        if self.gran == "year":
            return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
        if self.gran == "decade":
            y = d.year // 10 * 10
            return dt.date(y, 1, 1), dt.date(y + 9, 12, 31)
        if self.gran == "century":
            y = d.year // 100 * 100
            return dt.date(max(y, 1), 1, 1), dt.date(y + 99, 12, 31)
        raise ValueError(self.gran)

    def shift(self, n: int) -> "Point":
        return Point(self.gran, shift(self.day, n, self.gran), self.season)


def _month_end(y: int, m: int) -> dt.date:
    if m > 12:
        y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    nxt = dt.date(y + (m == 12), 1 if m == 12 else m + 1, 1)
    return nxt - dt.timedelta(days=1)


def add_months(d: dt.date, n: int) -> dt.date:
    idx = d.year * 12 + d.month - 1 + n
    y, m = divmod(idx, 12)
    m += 1
    y = min(max(y, 1), 9999)
    return dt.date(y, m, min(d.day, _month_end(y, m).day))


def shift(d: dt.date, n: float, gran: str) -> dt.date:
    """``d`` moved by ``n`` units of ``gran`` (fractions allowed for days/weeks)."""
    if gran == "day":
        return d + dt.timedelta(days=round(n))
    if gran in ("week", "weekend"):
        return d + dt.timedelta(days=round(7 * n))
    if gran == "month":
        return add_months(d, round(n))
    if gran == "quarter":
        return add_months(d, round(3 * n))
    if gran in ("half",):
        return add_months(d, round(6 * n))
    if gran == "season":
        return add_months(d, round(12 * n))  # the same season, n years on
    if gran == "year":
        return add_months(d, round(12 * n))
    if gran == "decade":
        return add_months(d, round(120 * n))
    if gran == "century":
        return add_months(d, round(1200 * n))
    raise ValueError(gran)


UNIT_GRAN = {"D": "day", "W": "week", "WE": "weekend", "M": "month", "Q": "quarter", "Y": "year",
             "DE": "decade", "CE": "century", "SE": "season", "2W": "week"}


def duration_value(n: Optional[float], code: str) -> str:
    """TimeML duration: P3D, P2W, PT5H, P1DE, PXY for an unknown amount ('several years')."""
    time_units = {"H": "H", "MIN": "M", "S": "S"}
    if code == "2W":
        n, code = (None if n is None else n * 2), "W"
    if code == "DE" and n is not None:
        n, code = n * 10, "Y"
    if code == "WE":
        code = "WE"
    if code == "ML":
        n, code = (None if n is None else n * 1000), "Y"
    if code == "SE":
        n, code = (None if n is None else n * 3), "M"
    amount = "X" if n is None else _num(n)
    if code in time_units:
        return f"PT{amount}{time_units[code]}"
    if code == "CE":
        return f"P{amount}CE"
    return f"P{amount}{code}"


def _num(n: float) -> str:
    if float(n).is_integer():
        return str(int(n))
    return f"{n:g}"


def parse_iso(value: str) -> Optional[dt.datetime]:
    try:
        if len(value) == 10:
            return dt.datetime.fromisoformat(value)
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
