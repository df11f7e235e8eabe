"""Metadata: publication date (with time and offset where given), title, authors, outlet, canonical url.

Every value carries how it was found.  Publication date, in order:
user hint -> feed entry -> page meta tags (``article:published_time`` …,
never ``modified``/``updated``) -> JSON-LD ``datePublished`` -> the
``<time itemprop=datePublished>`` element -> htmldate (original date) -> a
dateline at the top of the text.  A dateline without a year takes its year
from the crawl date only (the latest such day on or before it); otherwise
there is no date: nothing is invented (no file times, no crawl dates).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any, Optional

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MON = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DASH = r"(?:-|–|—|--|:|\|)"
# "KYIV, July 21 (Reuters) -", "Oct 14, 2025 —", "14 October 2025 –", "WASHINGTON, Oct. 14, 2025 /PRNewswire/ --"
DATELINE_PATTERNS = [
    re.compile(rf"^(?:[A-Z][A-Za-z .'\-]{{1,40}},\s*)?(?:[A-Z][a-z]+day,?\s+)?{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?"
               rf"(?:,?\s+(\d{{4}}))?\s*(?:\([^)]{{1,40}}\)|/[^/]{{1,40}}/)?\s*{_DASH}"),
    re.compile(rf"^(?:[A-Z][A-Za-z .'\-]{{1,40}},\s*)?(?:[A-Z][a-z]+day,?\s+)?(\d{{1,2}})\s+{_MON}"
               rf"(?:,?\s+(\d{{4}}))?\s*(?:\([^)]{{1,40}}\))?\s*{_DASH}"),
    re.compile(rf"^(?:Published|Posted|Updated)?:?\s*{_MON}\s+(\d{{1,2}}),\s+(\d{{4}})\b"),
    re.compile(rf"^(?:Published|Posted)?:?\s*(\d{{1,2}})\s+{_MON}\s+(\d{{4}})\b"),
]
ISO_PUBLISHED_KEYS = [
    ("property", "article:published_time"), ("property", "og:article:published_time"),
    ("property", "og:published_time"), ("name", "article:published_time"), ("itemprop", "datePublished"),
    ("name", "pubdate"), ("name", "publishdate"), ("name", "publish-date"), ("name", "publish_date"),
    ("name", "date"), ("name", "dc.date.issued"), ("name", "dc.date"), ("name", "dcterms.date"),
    ("name", "dcterms.created"), ("name", "sailthru.date"), ("name", "parsely-pub-date"),
    ("name", "article.published"), ("name", "original-publish-date"), ("property", "dc:date"),
    ("name", "citation_publication_date"), ("name", "citation_date"), ("name", "dc.created"),
]


def parse_iso(value: str) -> Optional[tuple[str, str]]:
    """(ISO string, precision) for a machine date string; keeps a time and its offset where given."""
    from dateutil import parser as dparser

    value = (value or "").strip()
    if not value or len(value) > 64:
        return None
    if re.fullmatch(r"\d{4}", value):
        return None
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return value, "month"
    try:
        dt = dparser.isoparse(value)
    except (ValueError, OverflowError):
        import warnings

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")   # unknown zone names ("EST"): the day still counts
                dt = dparser.parse(value, fuzzy=False)
        except (ValueError, OverflowError, TypeError):
            return None
    if not (1990 <= dt.year <= datetime.now().year + 1):
        return None
    has_time = bool(re.search(r"\d{1,2}:\d{2}", value))
    if has_time and (dt.hour or dt.minute or dt.second or dt.tzinfo):
        return dt.isoformat(), "time"
    return dt.date().isoformat(), "day"


def meta_date(tree) -> Optional[tuple[str, str, str]]:
    """(iso, precision, source) from the page's meta tags / JSON-LD / time element."""
    metas = {}
    for m in tree.iter("meta"):
        for attr in ("property", "name", "itemprop"):
            k = m.get(attr)
            if k:
                metas.setdefault((attr, k.strip().lower()), m.get("content") or "")
    for attr, key in ISO_PUBLISHED_KEYS:
        v = metas.get((attr, key))
        if v:
            got = parse_iso(v)
            if got:
                return got[0], got[1], f"meta:{key}"
    for obj in jsonld(tree):
        v = obj.get("datePublished") or obj.get("dateCreated")
        if isinstance(v, str):
            got = parse_iso(v)
            if got:
                return got[0], got[1], "json-ld:datePublished"
    for el in tree.iter("time"):
        if (el.get("itemprop") or "").lower() == "datepublished" or "pubdate" in el.attrib:
            got = parse_iso(el.get("datetime") or "")
            if got:
                return got[0], got[1], "time:datePublished"
    return None


def jsonld(tree) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for s in tree.iter("script"):
        if (s.get("type") or "").lower() != "application/ld+json" or not s.text:
            continue
        try:
            data = json.loads(s.text.strip())
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack and len(out) < 50:
            d = stack.pop()
            if isinstance(d, list):
                stack.extend(d)
            elif isinstance(d, dict):
                if "@graph" in d:
                    stack.append(d["@graph"])
                t = d.get("@type")
                types = t if isinstance(t, list) else [t]
                if any(isinstance(x, str) and ("Article" in x or x in ("BlogPosting", "Report", "WebPage",
                                                                       "LiveBlogPosting")) for x in types):
                    out.append(d)
    # articles first
    out.sort(key=lambda d: 0 if "Article" in str(d.get("@type")) or "Posting" in str(d.get("@type")) else 1)
    return out


def htmldate_date(tree_or_html) -> Optional[tuple[str, str, str]]:
    try:
        from htmldate import find_date

        v = find_date(tree_or_html, extensive_search=False, original_date=True)
    except Exception:
        return None
    if v:
        return v, "day", "htmldate"
    return None


def dateline(lines: list[str], crawl_date: Optional[str] = None) -> Optional[tuple[str, str, str]]:
    """A publication date from a dateline in the first lines of the text."""
    for line in lines[:4]:
        s = line.strip()
        for rx in DATELINE_PATTERNS:
            m = rx.search(s)
            if not m:
                continue
            g = m.groups()
            if g[0].isdigit():
                day, mon, year = g[0], g[1], g[2]
            else:
                mon, day, year = g[0], g[1], g[2]
            month = MONTHS.get(mon.lower().rstrip("."))
            if not month:
                continue
            try:
                if year:
                    return date(int(year), month, int(day)).isoformat(), "day", "dateline"
                if crawl_date:
                    crawl = datetime.fromisoformat(crawl_date.replace("Z", "+00:00")).date()
                    for y in (crawl.year, crawl.year - 1):
                        d = date(y, month, int(day))
                        if d <= crawl:
                            return d.isoformat(), "day", "dateline+crawl-year"
            except ValueError:
                continue
    return None


def normalise_user_date(value: str) -> tuple[str, str]:
    got = parse_iso(value)
    if got:
        return got
    if re.fullmatch(r"\d{4}", value.strip()):
        return value.strip(), "year"
    return value.strip(), "unknown"


# --------------------------------------------------------------------------
# other fields


def meta_values(tree) -> dict[str, str]:
    out = {}
    for m in tree.iter("meta"):
        for attr in ("property", "name", "itemprop"):
            k = m.get(attr)
            if k and m.get("content"):
                out.setdefault(k.strip().lower(), m.get("content").strip())
    return out


def canonical(tree) -> Optional[str]:
    for l in tree.iter("link"):
        if (l.get("rel") or "").lower() == "canonical" and l.get("href", "").startswith("http"):
            return l.get("href").strip()
    return None


_TITLE_SEP = re.compile(r"\s+[|–—:·•-]\s+")


def clean_title(title: str, site: Optional[str]) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    parts = _TITLE_SEP.split(title)
    if len(parts) > 1:
        if site and parts[-1].strip().lower() == site.lower():
            return _TITLE_SEP.split(title, maxsplit=len(parts) - 2)[0].strip() if len(parts) > 2 else parts[0]
        if site and parts[0].strip().lower() == site.lower():
            return title[len(parts[0]):].lstrip(" |–—:·•-")
        # a short tail is usually the site name
        if len(parts[-1].split()) <= 4 and len(parts[0].split()) >= 4:
            return title[: title.rfind(parts[-1])].rstrip(" |–—:·•-")
    return title


def site_from_feed_title(name: str) -> str:
    parts = re.split(r"\s+[|–—-]\s+", name.strip())
    return parts[0] if parts and len(parts[0]) >= 2 else name.strip()
