"""Metadata: publication date (with time and offset where given), title, authors, outlet, canonical url.

Every value carries how it was found.  For HTML pages :func:`fill_html` sets them by agreement of the page's
sources (cue words in ``data/clean/metadata_cues.json``):

* title (:func:`page_title`): og:title, twitter:title, <title>, JSON-LD headline, <h1>; site names
  (og:site_name, JSON-LD publisher/WebSite, the domain) stripped from either end; an h1 that equals a
  document title or its first/last segment wins; where none agrees, a learned chooser
  (data/clean/title_chooser.json, scripts/train_title_chooser.py) settles the closest h1 against what the
  document titles say (without the model: the h1 when its word overlap is at least 0.3);
* publication date (:func:`page_date`): URL date path, the byline date next to the headline (labelled
  published / updated / copyright), machine dates (meta tags, JSON-LD datePublished/dateCreated,
  <time itemprop=datePublished|dateCreated>, a <time> whose class names it published/created), a relative
  byline date ("3 hours ago") against the crawl date, htmldate's original date, a dateline; never an
  updated/modified date when a published one is given, never a copyright year, a year-less date, a date from
  related links/comments/footer, or a date after the crawl;
* authors (:func:`page_authors`): JSON-LD author persons, author metas, the extractor's guess (cleaned),
  a "By …" line, byline elements; the site's own name only when nothing names a person;
* outlet (:func:`page_outlet`, called by html.py): site-name metas, the JSON-LD publisher, a <title> segment
  naming the domain, the extractor's site name.

User hints and feed entries come first (clean._finish).  Plain text: a dateline at the top; a dateline
without a year takes its year from the crawl date only (the latest such day on or before it); otherwise
there is no date: nothing is invented (no file times, no crawl dates).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any, Optional

from storyline.clean.packaged import packaged_json

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
    if not re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)|^(?:19|20)\d{6}", value):
        return None   # no year written ("Dec 23"): a parser would invent the current one
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


def machine_dates(tree, first: bool = False) -> list[tuple[str, str, str]]:
    """Every machine-readable publication date of the page, (iso, precision, source), meta tags first, then
    JSON-LD datePublished/dateCreated, then <time itemprop=datePublished|pubdate>."""
    out: list[tuple[str, str, str]] = []
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
                out.append((got[0], got[1], f"meta:{key}"))
                if first:
                    return out
    for obj in jsonld(tree):
        key = "datePublished" if obj.get("datePublished") else "dateCreated"
        v = obj.get(key)
        if isinstance(v, str):
            got = parse_iso(v)
            if got:
                out.append((got[0], got[1], f"json-ld:{key}"))
                if first:
                    return out
    marked = []   # <time> elements whose own or parent's class names them published / created / posted
    words = cues()["time_published_classes"]
    for el in tree.iter("time"):
        prop = (el.get("itemprop") or "").lower()
        if prop in ("datepublished", "datecreated") or "pubdate" in el.attrib:
            got = parse_iso(el.get("datetime") or "")
            if got:
                out.append((got[0], got[1], "time:datePublished" if prop != "datecreated" else "time:dateCreated"))
                if first:
                    return out
        elif el.get("datetime"):
            par = el.getparent()
            classes = " ".join(x.get("class") or "" for x in (el, par) if x is not None and isinstance(x.tag, str))
            toks = {t for t in re.split(r"[^a-z]+", classes.lower().replace("-", "").replace("_", "")) if t}
            toks |= {t for t in re.split(r"[^a-z]+", classes.lower()) if t}
            if toks & set(words) or any(w in t for t in toks for w in words if len(w) >= 8):
                got = parse_iso(el.get("datetime"))
                if got:
                    marked.append((got[0], got[1], "time (marked published/created)"))
    out.extend(marked[:1])
    return out[:1] if first and out else out


def jsonld(tree) -> list[dict[str, Any]]:
    """The page's JSON-LD objects of an article or web-page type, articles first."""
    out = []
    for d in _all_jsonld(tree):
        t = d.get("@type")
        types = t if isinstance(t, list) else [t]
        if any(isinstance(x, str) and ("Article" in x or x in ("BlogPosting", "Report", "WebPage", "LiveBlogPosting"))
               for x in types):
            out.append(d)
    out.sort(key=lambda d: 0 if "Article" in str(d.get("@type")) or "Posting" in str(d.get("@type")) else 1)
    return out


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


def site_from_feed_title(name: str) -> str:
    parts = re.split(r"\s+[|–—-]\s+", name.strip())
    return parts[0] if parts and len(parts[0]) >= 2 else name.strip()


# --------------------------------------------------------------------------
# page metadata by agreement of sources (title, authors, publication date)
#
# Cue words (site-name metas, date labels, byline prefixes, headings that are
# never a headline) live in data/clean/metadata_cues.json.

_CUES: Optional[dict] = None
_NTOK = re.compile(r"\w+")


def cues() -> dict:
    global _CUES
    if _CUES is None:
        from importlib import resources

        _CUES = json.loads(resources.files("storyline.data.clean").joinpath("metadata_cues.json")
                           .read_text("utf-8"))
    return _CUES


def norm(s: Optional[str]) -> str:
    """Lower-cased word tokens joined by one space (how two titles are compared)."""
    return " ".join(_NTOK.findall((s or "").lower()))


def _sep_rx() -> re.Pattern:
    seps = sorted(cues()["title_separators"], key=len, reverse=True)
    return re.compile(r"\s+(?:" + "|".join(re.escape(s) for s in seps) + r")\s+|(?<=\w)(?:" +
                      "|".join(re.escape(s) for s in seps if s in ("|", "–", "—", "·", "•", "»", ":")) + r")(?=\s)")


_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")   # soft hyphens, zero-width spaces/joiners


def element_text(el) -> str:
    """Visible text of an element with a space at <br> and between block children (text_content() glues them)."""
    parts: list[str] = []

    def walk(e):
        tag = e.tag.lower() if isinstance(e.tag, str) else ""
        if not tag or tag in ("script", "style", "noscript", "template", "svg"):   # comments, scripts
            if e.tail:
                parts.append(e.tail)
            return
        if tag == "br":
            parts.append(" ")
        if e.text:
            parts.append(e.text)
        for c in e:
            walk(c)
        if tag not in ("a", "span", "em", "strong", "b", "i", "u", "sup", "sub", "small", "mark", "abbr", "font"):
            parts.append(" ")
        if e.tail:
            parts.append(e.tail)

    tail = el.tail
    el.tail = None
    try:
        walk(el)
    finally:
        el.tail = tail
    return re.sub(r"\s+", " ", _INVISIBLE.sub("", "".join(parts))).strip()


def _host(url: Optional[str]) -> str:
    from urllib.parse import urlparse

    try:
        return (urlparse(url or "").hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""


def site_names(tree, url: Optional[str], metas: Optional[dict] = None) -> list[str]:
    """Names the page gives its site (og:site_name …, JSON-LD publisher / WebSite) and the domain's labels."""
    metas = metas if metas is not None else meta_values(tree)
    out = [metas[k] for k in cues()["site_name_meta"] if metas.get(k)]
    for obj in _all_jsonld(tree):
        t = str(obj.get("@type"))
        if any(x in t for x in ("WebSite", "Organization", "NewsMediaOrganization", "Corporation")) \
                and isinstance(obj.get("name"), str):
            out.append(obj["name"])
        pub = obj.get("publisher")
        if isinstance(pub, dict) and isinstance(pub.get("name"), str):
            out.append(pub["name"])
    # a "site name" equal to the page's own title (an app-name meta copied from <title>) names nothing
    titles = {norm(metas.get(k)) for k in ("og:title", "twitter:title")} | {norm(_doc_title(tree))}
    out = [s for s in out if norm(s) not in titles]
    host = _host(url)
    if host:
        labels = host.split(".")
        out.append(host)
        out.extend(l for l in labels[:-1] if len(l) >= 3 and l not in ("com", "org", "net", "co", "www", "blog"))
    return [s.lstrip("@").strip() for s in out if s and s.strip()]


def page_outlet(tree, url: Optional[str] = None, metas: Optional[dict] = None,
                extractor_site: Optional[str] = None) -> Optional[tuple[str, str]]:
    """(outlet name, how found): og:site_name and the other site-name metas (not a twitter handle), the JSON-LD
    publisher / WebSite / news organisation, a document-title segment naming the URL's domain ("Headline | The
    Quayside Gazette" on quaysidegazette.example), then the extractor's site name."""
    metas = metas if metas is not None else meta_values(tree)
    titles = {norm(metas.get(k)) for k in ("og:title", "twitter:title")} | {norm(_doc_title(tree))}

    def ok(v) -> bool:   # a name, not a copy of the page's title, a url or a handle
        return isinstance(v, str) and bool(norm(v)) and norm(v) not in titles and len(v) <= 80 \
            and not v.strip().startswith(("@", "http", "/"))

    for k in cues()["site_name_meta"]:
        if k != "twitter:site" and ok(metas.get(k)):
            return metas[k].strip(), f"meta:{k}"
    objs = _all_jsonld(tree)
    for obj in objs:
        pub = obj.get("publisher")
        if isinstance(pub, list) and pub:
            pub = pub[0]
        if isinstance(pub, dict) and ok(pub.get("name")):
            return pub["name"].strip(), "json-ld:publisher"
    for obj in objs:
        t = str(obj.get("@type"))
        if any(x in t for x in ("WebSite", "NewsMediaOrganization")) and ok(obj.get("name")):
            return obj["name"].strip(), "json-ld:" + ("WebSite" if "WebSite" in t else "NewsMediaOrganization")
    host = _host(url)
    if host:
        labels = [l for l in host.split(".")[:-1] if len(l) >= 3 and l not in ("com", "org", "net", "co", "www")]
        doc = fix_mojibake(re.sub(r"\s+", " ", _INVISIBLE.sub("", _doc_title(tree))).strip())
        segs = title_segments(doc)
        if len(segs) >= 2 and labels:
            for seg in (segs[-1], segs[0]):
                if len(seg.split()) <= 6 and is_site_segment(seg, labels) and norm(seg) not in cues()["site_generic_suffixes"]:
                    return seg.strip(), "<title> segment naming the domain"
    if extractor_site and extractor_site.strip():
        return extractor_site.strip(), "trafilatura:sitename"
    return None


def _doc_title(tree) -> str:
    try:
        t = tree.find(".//title")
    except Exception:
        return ""
    return (t.text_content() or "") if t is not None else ""


_MOJIBAKE = re.compile(r"[\u00c2-\u00c3\u00e2][\u0080-\u00bf\u0152-\u0178\u2013-\u203a\u20ac\u2122]")


def fix_mojibake(s: str) -> str:
    """UTF-8 text that was decoded as Latin-1/Windows-1252 on its way into the page ("Harbourâ\x80\x99s" ->
    "Harbour’s"), repaired when the whole string round-trips; otherwise unchanged."""
    if not s or not _MOJIBAKE.search(s):
        return s
    out = bytearray()
    for ch in s:
        o = ord(ch)
        if o < 256:
            out.append(o)
        else:
            try:
                out.extend(ch.encode("cp1252"))
            except UnicodeEncodeError:
                return s
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        return s


def is_site_segment(seg: str, sites: list[str]) -> bool:
    """Whether a title segment names the site (compared without spaces, so "Earth.Org" ~ earth.org)."""
    s = norm(seg).replace(" ", "")
    if not s:
        return True
    if norm(seg) in cues()["site_generic_suffixes"]:
        return True
    for name in sites:
        k = norm(name).replace(" ", "")
        if not k:
            continue
        if s == k:
            return True
        if len(s) >= 3 and len(k) >= 3 and len(seg.split()) <= 6 and (
                (s.startswith(k) and len(s) <= len(k) + 5)            # "REI Co-op" ~ rei
                or ((k.startswith(s) or k.endswith(s)) and len(s) >= max(4, len(k) // 2))):  # "DianaHR" ~ getdianahr
            return True
    return False


def title_segments(title: str) -> list[str]:
    return [p.strip() for p in _sep_rx().split(title) if p and p.strip()]


def headline_segment(title: str) -> Optional[str]:
    """The first segment of a document title that still reads "Headline | tagline" once the site name is gone
    (separators other than a colon, which usually joins a headline to its own subtitle), when that segment
    can stand alone as a headline (2+ words, not just a number); else None."""
    rx = re.compile(r"\s+(?:" + "|".join(re.escape(s) for s in cues()["tagline_separators"]) + r")\s+")
    m = rx.search(title)
    if not m:
        return None
    head = title[:m.start()].strip()
    words = norm(head).split()
    if len(words) < 2 or all(w.isdigit() for w in words):
        return None
    return head


def strip_site(title: str, sites: list[str]) -> str:
    """The title without segments at either end that name the site ("Headline | Site", "Site: Headline")."""
    title = re.sub(r"\s+", " ", title).strip()
    rx = _sep_rx()
    spans = []   # (start, end) of each segment in the title
    pos = 0
    for m in rx.finditer(title):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(title)))
    spans = [(a, b) for a, b in spans if title[a:b].strip()]
    if len(spans) < 2:
        return title
    lo, hi = 0, len(spans)
    while hi - lo > 1 and is_site_segment(title[spans[hi - 1][0]:spans[hi - 1][1]], sites):
        hi -= 1
    while hi - lo > 1 and is_site_segment(title[spans[lo][0]:spans[lo][1]], sites) \
            and not title[spans[lo][1]:spans[lo + 1][0]].strip().startswith(":"):
        lo += 1
    if hi == len(spans) and lo == 0:
        # no segment names the site: a short last segment after a long first one usually does
        last, first = title[spans[-1][0]:spans[-1][1]], title[spans[0][0]:spans[0][1]]
        if len(last.split()) <= 4 and len(first.split()) >= 4:
            hi -= 1
    return title[spans[lo][0]:spans[hi - 1][1]].strip()


_LD_CACHE: list = [None, None]   # (tree, objects) of the last page read


def _all_jsonld(tree) -> list[dict[str, Any]]:
    if _LD_CACHE[0] is tree:
        return _LD_CACHE[1]
    out = _read_jsonld(tree)
    _LD_CACHE[0], _LD_CACHE[1] = tree, out
    return out


def _read_jsonld(tree) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for s in tree.iter("script"):
        if (s.get("type") or "").lower() != "application/ld+json" or not s.text:
            continue
        try:
            data = json.loads(s.text.strip())
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack and len(out) < 80:
            d = stack.pop()
            if isinstance(d, list):
                stack.extend(d)
            elif isinstance(d, dict):
                if "@graph" in d:
                    stack.append(d["@graph"])
                out.append(d)
    return out


def _slug_words(url: Optional[str]) -> set[str]:
    """Words of the URL's last path segment ("/blog/how-to-x-y.html" -> {how, to, x, y})."""
    from urllib.parse import unquote, urlparse

    try:
        path = unquote(urlparse(url or "").path)
    except ValueError:
        return set()
    last = [p for p in path.split("/") if p]
    if not last:
        return set()
    seg = re.sub(r"\.[a-z]{2,5}$", "", last[-1].lower())
    return {w for w in re.split(r"[-_+.\s]+", seg) if w and not w.isdigit()}


def headings(tree) -> list[str]:
    """Candidate headlines: the page's <h1>s (outside navigation/footer), never generic UI headings."""
    generic = set(cues()["generic_headings"])
    out, chrome = [], []
    for h in tree.iter("h1"):
        anc = {a.tag for a in h.iterancestors() if isinstance(a.tag, str)}
        t = element_text(h)
        if not t or norm(t) in generic or not (1 <= len(t.split()) <= 60):
            continue
        (chrome if anc & {"nav", "footer"} else out).append(t)
    return out or chrome   # an <h1> inside navigation only where the page has no other


def strip_heading_date(h: str) -> str:
    """A heading without a date written before it ("3 Mar 2025 Headline") or a dateline after it ("Headline
    Published 9 May 2024 by Name"); the heading itself when nothing would be left."""
    c = cues()
    labels = sorted(c["published_labels"] + c["updated_labels"], key=len, reverse=True)
    for rx, _ in _VIS_PATTERNS:
        m = rx.search(h)
        if not m:
            continue
        if m.start() == 0 and len(h[m.end():].split()) >= 2:
            return h[m.end():].strip(" |–—-:,")
        tail = h[m.end():]
        if re.fullmatch(r"\s*(?:by\s+\S.{0,40})?", tail, re.I):
            head = h[:m.start()]
            lab = re.search(r"(?:\b(?:" + "|".join(re.escape(x) for x in labels) + r")\b\s*(?:on|at)?\s*:?\s*)$", head, re.I)
            if not (lab or tail.strip()):
                continue   # a bare date at the end may be part of the headline ("Tide report 12/19/2025")
            head = (head[:lab.start()] if lab else head).strip(" |–—-:,")
            if len(head.split()) >= 2:
                return head
    return h


def page_title(tree, url: Optional[str] = None, metas: Optional[dict] = None,
               chooser: bool = True, record: Optional[list] = None) -> Optional[tuple[str, str]]:
    """(title, how found).  Sources: og:title, twitter:title, <title>, JSON-LD headline, <h1>.  A headline (h1 or
    JSON-LD) that agrees with a document title (equal once the site name is stripped, or its first/last segment)
    wins; else the h1 closest in words to the document title; else the document title without the site name."""
    from html import unescape

    metas = metas if metas is not None else meta_values(tree)
    sites = site_names(tree, url, metas)
    docs: list[tuple[str, str]] = []
    for key in ("og:title", "twitter:title"):
        if metas.get(key):
            docs.append((unescape(metas[key]), f"meta:{key}"))
    t = tree.find(".//title")
    if t is not None and (t.text_content() or "").strip():
        docs.append((t.text_content(), "<title>"))
    docs = [(fix_mojibake(re.sub(r"\s+", " ", _INVISIBLE.sub("", d)).strip().strip("|–—·•»:- ").strip()), s) for d, s in docs]
    docs = [(d, s) for d, s in docs if d]
    stripped = [(strip_site(d, sites), s) for d, s in docs]
    doc_norms = {norm(d) for d, _ in stripped}

    def undated(h: str) -> str:   # the heading without a date line, where that is what the document title says
        h2 = strip_heading_date(h)
        return h2 if h2 != h and norm(h2) in doc_norms else h

    heads = [(fix_mojibake(undated(h)), "h1") for h in headings(tree)
             if not is_site_segment(h, sites) or len(h.split()) > 6]
    for obj in jsonld(tree):
        hl = obj.get("headline")
        if isinstance(hl, str) and hl.strip():
            heads.append((unescape(re.sub(r"\s+", " ", hl).strip()), "json-ld:headline"))
            break
    slug = _slug_words(url)
    h1s = [h for h, s in heads if s == "h1"]
    lds = [(h, s) for h, s in heads if s != "h1"]

    def agree(cands):
        # a headline equal to a document title (site name stripped), or to its first/last segment(s)
        for h, hs in cands:
            nh = norm(h)
            for d, ds in stripped:
                if nh and nh == norm(d):
                    return h, f"{hs}={ds}"
        for h, hs in cands:
            nh = norm(h)
            if slug and len(slug) >= 3 and not (set(nh.split()) & slug):
                continue   # a segment that shares no word with the URL's slug (a blog's name before the post's)
            for d, ds in stripped:
                segs = title_segments(d)
                for i in range(1, len(segs)):
                    if nh and (nh == norm(" ".join(segs[:i])) or nh == norm(" ".join(segs[i:]))):
                        return h, f"{hs}~{ds}"
        return None

    got = agree([(h, "h1") for h in h1s])
    if got:
        return got
    # the h1 closest in words to a document title or to the URL's slug
    best, score = None, 0.0
    for h in h1s:
        tw = set(norm(h).split())
        for ref in [set(norm(d).split()) for d, _ in docs] + ([slug] if len(slug) >= 3 else []):
            j = len(tw & ref) / len(tw | ref) if tw | ref else 0.0
            if j > score:
                best, score = h, j
    fallback = _doc_title_choice(stripped, docs, lds, slug, agree)
    if best and fallback and norm(best) != norm(fallback[0]):
        # neither agrees with the other: the learned chooser (data/clean/title_chooser.json) where it is shipped
        model = title_chooser() if chooser else None
        if record is not None:
            record.extend([best, fallback, title_pair_features(best, score, fallback, stripped, lds, slug, h1s,
                                                               metas, tree)])
        if model is not None:
            feats = title_pair_features(best, score, fallback, stripped, lds, slug, h1s, metas, tree)
            p = chooser_probability(model, feats)
            if p >= model["threshold"]:
                return best, f"h1 (title chooser: h1 over the document title, p={p:.2f})"
            return fallback[0], f"{fallback[1]} (title chooser: over the h1, p={1 - p:.2f})"
    if best and score >= 0.3:
        return best, "h1 (closest to the document title)"
    if fallback:
        return fallback
    if h1s:
        return h1s[0], "h1"
    if heads:
        return heads[0]
    return None


def _doc_title_choice(stripped, docs, lds, slug, agree) -> Optional[tuple[str, str]]:
    """What the page's document titles say when no h1 agrees with them: a JSON-LD headline agreeing with one,
    the segment the URL's slug spells, the first segment when the rest is a tagline, or the title without the
    site name."""
    got = agree(lds)
    if got:
        return got
    # the part of a document title that the URL's slug spells ("Blog Name: Post title" on /post-title.html)
    if len(slug) >= 3:
        for d, ds in stripped:
            segs = title_segments(d)
            if len(segs) < 2:
                continue
            parts = [" ".join(segs[i:]) for i in range(1, len(segs))] + [" ".join(segs[:i]) for i in range(1, len(segs))]

            def jac(t: str) -> float:
                w = set(norm(t).split())
                return len(w & slug) / len(w | slug) if w | slug else 0.0

            best_part = max(parts, key=jac)
            dropped = set(norm(d).split()) - set(norm(best_part).split())
            if jac(best_part) >= 0.5 and not (dropped & slug):
                return best_part, f"{ds} (the segment the URL spells)"
    if stripped:
        d, ds = stripped[0]
        head = headline_segment(d)
        if head:
            return head, f"{ds} (first segment: the rest is a tagline)"
        return d, ds + (" (site name stripped)" if d != docs[0][0] else "")
    return None


# --------------------------------------------------------------------------
# the learned title chooser: an h1 against the document title where neither agrees with the other

_CHOOSER: list = [False, None]   # (loaded, model)


def title_chooser() -> Optional[dict]:
    """The fitted chooser (data/clean/title_chooser.json, written by scripts/train_title_chooser.py), or None."""
    if not _CHOOSER[0]:
        _CHOOSER[0] = True
        _CHOOSER[1] = packaged_json("title_chooser.json")
    return _CHOOSER[1]


def _jac(a: str, b) -> float:
    x = set(norm(a).split())
    y = b if isinstance(b, set) else set(norm(b).split())
    return len(x & y) / len(x | y) if x | y else 0.0


def _contains(big: str, small: str) -> bool:
    nb, ns = norm(big), norm(small)
    return bool(ns) and nb != ns and f" {ns} " in f" {nb} "


TITLE_FEATURES = [
    "h1_score", "jac_h1_doc", "len_ratio", "h1_words", "doc_words", "doc_in_h1", "h1_in_doc", "h1_prefix_of_doc",
    "doc_prefix_of_h1", "docs_agree", "ld_eq_h1", "ld_eq_doc", "slug_h1", "slug_doc", "has_slug", "fb_segment",
    "fb_stripped", "fb_tagline", "fb_ld", "n_h1", "h1_colon", "doc_colon", "doc_segments", "article_type",
    "h1_in_header", "h1_caps", "doc_caps", "h1_digits", "doc_digits", "h1_question", "doc_question",
]


def title_pair_features(h1: str, score: float, fallback: tuple[str, str], stripped, lds, slug, h1s, metas,
                        tree) -> list[float]:
    """Features of the choice between an h1 and the document title (``fallback``), in TITLE_FEATURES order."""
    import math

    d, how = fallback
    hw, dw = len(norm(h1).split()), len(norm(d).split())
    nld = [norm(x) for x, _ in lds]
    caps = lambda t: (sum(1 for w in t.split() if w[:1].isupper()) / max(1, len(t.split())))   # noqa: E731
    in_header = 0.0
    for h in tree.iter("h1"):
        if element_text(h) == h1:
            in_header = float(any(isinstance(a.tag, str) and a.tag in ("header", "nav") for a in h.iterancestors()))
            break
    sdocs = {norm(x) for x, _ in stripped}
    return [
        score, _jac(h1, d), math.log((hw + 1) / (dw + 1)), math.log(hw + 1), math.log(dw + 1),
        float(_contains(h1, d)), float(_contains(d, h1)),
        float(norm(d).startswith(norm(h1)) and norm(d) != norm(h1)),
        float(norm(h1).startswith(norm(d)) and norm(d) != norm(h1)),
        float(len(stripped) >= 2 and len(sdocs) == 1), float(norm(h1) in nld), float(norm(d) in nld),
        _jac(h1, slug) if slug else 0.0, _jac(d, slug) if slug else 0.0, float(len(slug) >= 3),
        float("URL spells" in how), float("site name stripped" in how), float("first segment" in how),
        float(how.startswith("json-ld")), float(min(len(h1s), 5)),
        float(":" in h1), float(":" in d), float(min(len(title_segments(d)), 4)),
        float("article" in (metas.get("og:type") or "").lower()), in_header,
        caps(h1), caps(d), float(bool(re.search(r"\d", h1))), float(bool(re.search(r"\d", d))),
        float(h1.rstrip().endswith("?")), float(d.rstrip().endswith("?")),
    ]


def chooser_probability(model: dict, feats: list[float]) -> float:
    """P(the h1 is the title) under the shipped logistic regression (standardised features)."""
    import math

    z = model["intercept"]
    for x, m, s, w in zip(feats, model["mean"], model["scale"], model["coef"]):
        z += w * (x - m) / (s or 1.0)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def title_pair(tree, url: Optional[str] = None, metas: Optional[dict] = None):
    """(h1, document-title choice, features) where page_title would have to choose between them, else None
    (used by scripts/train_title_chooser.py)."""
    rec: list = []
    page_title(tree, url, metas, chooser=False, record=rec)
    return tuple(rec) if rec else None


# --------------------------------------------------------------------------
# publication date: visible byline date, URL date, and the checks that choose

_VIS_PATTERNS = [
    # March 5, 2026 / Mar. 5 2026 / March 5th, 2026
    (re.compile(rf"(?:\b|(?<=[a-z])(?=[A-Z])){_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)(?!\d)", re.I), "mdy"),
    # 5 March 2026 / 5th Mar 2026 / 05 Mar, 2026
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?\s+((?:19|20)\d\d)(?!\d)", re.I), "dmy"),
    # 2026-03-05 / 2026/03/05
    (re.compile(r"\b((?:19|20)\d\d)([-/.])(\d{1,2})\2(\d{1,2})(?!\d)"), "ymd"),
    # 03/05/2026 (month first, as most English-language sites write it; a first number > 12 is a day)
    (re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)(?!\d)"), "num"),
    # 05.03.2026 (dotted dates are written day first)
    (re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)(?![\d.])"), "dmy_dot"),
]


def _label_rx(words: list[str]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b",
                      re.I)


def visible_dates(text: str) -> list[tuple[str, str, int]]:
    """(ISO day, label, position) for each date written out in ``text``; label is "updated", "published",
    "copyright" or "" from the words just before it."""
    c = cues()
    upd, pub = _label_rx(c["updated_labels"]), _label_rx(c["published_labels"])
    out = []
    for rx, kind in _VIS_PATTERNS:
        for m in rx.finditer(text):
            g = m.groups()
            try:
                if kind == "mdy":
                    d = date(int(g[2]), MONTHS[g[0].lower().rstrip(".")], int(g[1]))
                elif kind == "dmy":
                    d = date(int(g[2]), MONTHS[g[1].lower().rstrip(".")], int(g[0]))
                elif kind == "ymd":
                    d = date(int(g[0]), int(g[2]), int(g[3]))
                elif kind == "dmy_dot":
                    d = date(int(g[2]), int(g[1]), int(g[0]))
                else:
                    a, b = int(g[0]), int(g[1])
                    d = date(int(g[2]), b, a) if a > 12 else date(int(g[2]), a, b)
            except (ValueError, KeyError):
                continue
            before = text[max(0, m.start() - 30):m.start()]
            # the nearest label before the date, not one that belongs to an earlier date
            prev_end = max((mm.end() for r2, _ in _VIS_PATTERNS for mm in r2.finditer(before)), default=0)
            before = before[prev_end:]
            label = ""
            if any(x in before.lower() for x in c["copyright_cues"]):
                label = "copyright"
            else:
                hits = [(mm.end(), "updated") for mm in upd.finditer(before)] + \
                       [(mm.end(), "published") for mm in pub.finditer(before)]
                if hits:
                    label = max(hits)[1]
            out.append((d.isoformat(), label, m.start()))
    out.sort(key=lambda x: x[2])
    return out


def byline_dates(blocks, before: int = 6, after: int = 14) -> list[tuple[str, str, int]]:
    """Dates written near the headline (the <h1> block): (ISO day, label, distance in blocks; a block before
    the headline counts half a block farther than one after it), never from related-links / comment / footer /
    sidebar blocks (except a short line right under the headline)."""
    return [(iso, label, dist) for text, dist in _byline_window(blocks, before, after)
            for iso, label, _ in visible_dates(text)]


def _byline_window(blocks, before: int = 6, after: int = 14) -> list[tuple[str, float]]:
    """(text, distance) of the blocks near the headline where a byline may sit (see byline_dates)."""
    if not blocks:
        return []
    skip = set(cues()["date_skip_context"])
    h = next((i for i, b in enumerate(blocks) if "h1" in b.tags or b.tag == "h1"), None)
    if h is None:
        return []
    out = []
    for i in range(max(0, h - before), min(len(blocks), h + after + 1)):
        b = blocks[i]
        under = i == h + 1 and len(b.text) <= 60
        if ((b.near_words & skip) and not under) or (b.tags & {"nav", "footer", "aside"}) or len(b.text) > 300:
            continue
        out.append((b.text, i - h if i > h else h - i + 0.5))
    return out


_RELATIVE = re.compile(r"\b(?:(\d{1,2}|an?|one|two|three|four|five|six)\s+(minute|min|hour|hr|day)s?\s+ago|(yesterday)|"
                       r"(today))\b", re.I)
_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def relative_dates(blocks, crawl_date: Optional[str]) -> list[tuple[str, str, float]]:
    """Relative dates near the headline ("3 hours ago", "2 days ago", "yesterday", "today") resolved against
    the crawl date (when the page was fetched, e.g. WARC-Date): (ISO day, label, distance), read in short lines
    only.  Weeks, months and years ago name no day and are not read; without a crawl date nothing is resolved.
    The day is the crawl's UTC day minus the interval, so "5 hours ago" shortly after midnight may be a day off
    the page's local day."""
    from datetime import timedelta, timezone

    if not crawl_date:
        return []
    try:
        crawl = datetime.fromisoformat(crawl_date.strip().replace("Z", "+00:00"))
    except ValueError:
        return []
    if crawl.tzinfo is not None:
        crawl = crawl.astimezone(timezone.utc)
    c = cues()
    upd, pub = _label_rx(c["updated_labels"]), _label_rx(c["published_labels"])
    out = []
    for text, dist in _byline_window(blocks):
        if len(text) > 80:
            continue   # a byline line, not prose ("what changes today for commuters")
        for m in _RELATIVE.finditer(text):
            if m.group(3):
                delta = timedelta(days=1)
            elif m.group(4):
                delta = timedelta(0)
            else:
                n = _SMALL.get(m.group(1).lower()) or int(m.group(1))
                unit = m.group(2).lower()
                delta = timedelta(days=n) if unit == "day" else timedelta(hours=n) if unit.startswith("h") \
                    else timedelta(minutes=n)
            before = text[max(0, m.start() - 30):m.start()]
            label = "updated" if upd.search(before) else "published" if pub.search(before) else ""
            out.append(((crawl - delta).date().isoformat(), label, dist))
    return out


_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(?:(\d{1,2})/)?")
_URL_DATE8 = re.compile(r"[/_-]((?:19|20)\d\d)-?(\d\d)-?(\d\d)[/_-]")
_URL_DATE_NAMED = re.compile(rf"/((?:19|20)\d\d)/{_MON}/(?:(\d{{1,2}})/)?", re.I)   # /2023/october/03/


def url_date(url: Optional[str]) -> Optional[tuple[str, str]]:
    """(ISO, precision) from a date path in the URL: /2025/12/04/ (day) or /2025/12/ (month)."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    try:
        if m and 1 <= int(m.group(2)) <= 12:
            if m.group(3):
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat(), "day"
            return f"{m.group(1)}-{int(m.group(2)):02d}", "month"
        m = _URL_DATE8.search(url)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat(), "day"
        m = _URL_DATE_NAMED.search(url)
        if m:
            month = MONTHS[m.group(2).lower().rstrip(".")]
            if m.group(3):
                return date(int(m.group(1)), month, int(m.group(3))).isoformat(), "day"
            return f"{m.group(1)}-{month:02d}", "month"
    except ValueError:
        return None
    return None


def modified_days(tree) -> set[str]:
    """Days the page gives as modified/updated (meta tags, JSON-LD dateModified, <time itemprop=dateModified>)."""
    out = set()
    mv = meta_values(tree)
    for k in ("article:modified_time", "og:updated_time", "datemodified", "dateupdated", "last-modified",
              "dcterms.modified", "modified", "revised"):
        if mv.get(k):
            got = parse_iso(mv[k])
            if got:
                out.add(got[0][:10])
    for obj in _all_jsonld(tree):
        v = obj.get("dateModified")
        if isinstance(v, str):
            got = parse_iso(v)
            if got:
                out.add(got[0][:10])
    for el in tree.iter("time"):
        if (el.get("itemprop") or "").lower() == "datemodified" and el.get("datetime"):
            got = parse_iso(el.get("datetime"))
            if got:
                out.add(got[0][:10])
    return out


def _same_moment(stamp: str, day: str) -> bool:
    """Whether a timestamp with an explicit UTC offset falls on ``day`` in some time zone (UTC-12 … UTC+14);
    a timestamp without an offset is already local and names its own day."""
    from datetime import timedelta, timezone

    try:
        dt = datetime.fromisoformat(stamp)
    except ValueError:
        return False
    if dt.tzinfo is None:
        return False
    utc = dt.astimezone(timezone.utc)
    return any((utc + timedelta(hours=h)).date().isoformat() == day for h in range(-12, 15))


def _days_apart(a: str, b: str) -> int:
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)
    except ValueError:
        return -1


def page_date(tree, blocks=None, url: Optional[str] = None, htmldate_day: Optional[str] = None,
              lines: Optional[list[str]] = None, crawl_date: Optional[str] = None,
              ) -> Optional[tuple[str, str, str]]:
    """(ISO date or datetime, precision, how found) of publication, or None.

    Candidates: a date path in the URL; the date written next to the headline (byline), with its label
    ("Published …", "Updated …", "©"); the page's machine-readable published date (meta tags, JSON-LD
    datePublished, <time itemprop=datePublished>); htmldate's original-date search; a dateline.  Checks
    against known failure modes: a date labelled updated/modified, or equal to the page's own dateModified
    while it states another published date, is not the publication date; copyright years and year-less
    dates are not dates; dates in related-links/comment/footer/sidebar blocks are not read; a date after
    the crawl date (or today) is impossible.  Where the chosen day equals the machine-readable value, that
    value is returned (it keeps the time and offset the page gives)."""
    limit = (crawl_date or datetime.now().date().isoformat())[:10]
    machine = [m for m in machine_dates(tree) if m[0][:10] <= limit]   # a date after the crawl is impossible
    meta = machine[0] if machine else None
    mod = modified_days(tree)
    vis = [v for v in byline_dates(blocks or []) if v[0] <= limit]
    vpub = sorted((v for v in vis if v[1] == "published"), key=lambda v: v[2])
    vnone = sorted((v for v in vis if v[1] == ""), key=lambda v: v[2])
    hd = htmldate_day[:10] if htmldate_day and htmldate_day[:10] <= limit else None
    u = url_date(url)
    if u and u[0] > limit:
        u = None
    if u and u[1] == "month":   # /2025/12/ in the URL: a date of another month is not this page's
        machine = [m for m in machine if m[0][:7] == u[0]]
        meta = machine[0] if machine else None
        vis = [v for v in vis if v[0][:7] == u[0]]
        vpub = [v for v in vpub if v[0][:7] == u[0]]
        vnone = [v for v in vnone if v[0][:7] == u[0]]
        hd = hd if hd and hd[:7] == u[0] else None

    def with_time(day: str, how: str) -> tuple[str, str, str]:
        for m in machine:
            if m[0][:10] == day:
                return m   # the machine-readable value, confirmed by ``how``: it keeps time and offset
        return day, "day", how

    if u and u[1] == "day":
        return with_time(u[0], "url path")
    if vpub:
        return with_time(vpub[0][0], "byline (published)")
    if vnone:
        day = vnone[0][0]
        if meta and meta[1] == "time" and _days_apart(meta[0][:10], day) == 1 and _same_moment(meta[0], day):
            return meta   # the same moment written in the page's local zone: keep the timestamp and its offset
        if not (meta and meta[0][:10] != day and day in mod):   # the page's modified day shown unlabelled
            return with_time(day, "byline")
    if meta:
        return meta
    rel = sorted((r for r in relative_dates(blocks or [], crawl_date) if r[1] != "updated"), key=lambda r: r[2])
    if rel:
        return rel[0][0], "day", "byline (relative, against the crawl date)"
    if hd:
        upd = {v[0] for v in vis if v[1] == "updated"} | mod
        # no publication date is given: say so when htmldate's day is the page's own updated/modified day
        return hd, "day", "htmldate (the page's updated date; no publication date given)" if hd in upd else "htmldate"
    got = dateline(lines or [], crawl_date)
    if got:
        return got
    if u:
        return u[0], u[1], "url path"
    return None


# --------------------------------------------------------------------------
# authors: JSON-LD author, byline elements, meta author, the extractor's guess


def _name_ok(name: str, strict: bool = True) -> bool:
    """Whether ``name`` can be a person's or an organisation's name (``strict``: a capitalised one, no digits —
    for names guessed from page text; the page's own author fields may hold user names)."""
    c = cues()
    n = norm(name)
    if not n or "http" in name or "@" in name or (strict and re.search(r"\d", name)):
        return False
    if re.search(r"\w\.\w+\.\w|\{\{|\}\}|\$\{", name):   # a template placeholder ("page.head.author")
        return False
    if n in c["author_reject"] or any(n.startswith(r + " ") for r in c["author_reject"]):
        return False
    if n.rstrip(".") in MONTHS or n in c["weekdays"]:
        return False
    words = name.split()
    if not (1 <= len(words) <= 6):
        return False
    return not strict or any(w[:1].isupper() for w in words)


def _byline_prefix_rx(prefixes: list[str]) -> str:
    """A byline prefix at the start and what separates it from the name: a space, a colon ("Author:Jo Roe"),
    or nothing before a capital after a two-word prefix ("Written byJo Roe", where markup glued them)."""
    one = "|".join(re.escape(p) for p in prefixes)
    two = "|".join(re.escape(p) for p in prefixes if " " in p)
    return r"^(?:(?:" + one + r")(?:\s*:\s*|\s+)" + (r"|(?:" + two + r")(?-i:(?=[A-Z]))" if two else "") + ")"


def clean_author(raw: str, strict: bool = True) -> list[str]:
    """Names in an author string: byline prefixes ("By", "Written by"), trailing roles ("Staff Writer") and
    credentials ("RN", "BSN"), and what follows a date or a label ("Last updated", "Reviewed by") are cut;
    several names are split."""
    c = cues()
    s = re.sub(r"\s+", " ", raw or "").strip()
    labels = "|".join(re.escape(w) for w in sorted(c["author_stop_labels"], key=len, reverse=True))
    pre = sorted(c["byline_prefixes"], key=len, reverse=True)
    s = re.sub(_byline_prefix_rx(pre), "", s, flags=re.I).strip(" :,-–—")
    # "This post was written by Name; …": what follows a "… by" inside the string
    m = re.search(r"\b(?:written|posted|authored|reported|compiled)\s+by\s+(?=\S)", s, re.I)
    if m:
        s = s[m.end():]
    # an avatar's initials before the name ("AL Ana Lind", "K kestrel77"): dropped
    w = s.split()
    if len(w) >= 2 and re.fullmatch(r"[A-Z]{1,3}", w[0]) and len(w) > len(w[0]) \
            and "".join(x[0] for x in w[1:1 + len(w[0])]).upper() == w[0]:
        s = " ".join(w[1:])
    # cut at a label or a date that follows the name(s)
    s = re.split(r"\s*(?:\||•|·|⋅|\[|\s[-–—]\s|\b(?:" + labels + r")\b|\bon\s+" + _MON + r"|\bon\s+\d|" + _MON
                 + r"\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+" + _MON + r"|(?:19|20)\d\d-\d\d-\d\d)", s, maxsplit=1, flags=re.I)[0]
    parts = [p.strip() for p in re.split(r";|\s+and\s+|\s+with\s+|\s*&\s*|,\s*(?=[A-Z][a-z]+\s+[A-Z])", s)
             if p.strip()]
    roles = sorted(c["author_roles_after"], key=len, reverse=True)
    role_rx = re.compile(r"(?:,\s*|\s+)(?:(?:senior|chief|lead|associate|contributing|managing|deputy|former|"
                         r"trending|tech|technology|health|news|digital|staff)\s+)*(?:"
                         + "|".join(re.escape(r) for r in roles) + r")s?\b.*$", re.I)
    creds = {x.lower() for x in c["credentials"]}
    out = []
    for p in parts:
        if not role_rx.sub("", " " + p).strip(" ,"):
            continue   # a role on its own ("Senior Staff Writer")
        p2 = role_rx.sub("", p).strip(" ,")
        # a job title after a two- or three-word name, from a title word on ("Ana Lind Chief Harbour Correspondent")
        ws = p2.split()
        cut = next((i for i, x in enumerate(ws) if i >= 2 and x.lower() in c["author_title_words"]), None)
        if cut is not None and all(x[:1].isupper() for x in ws[:cut]):
            p2 = " ".join(ws[:cut])
        if len(p2.split()) >= 2 or (p2 and len(p.split()) == 1):
            p = p2
        words = p.replace(",", " ").split()
        while len(words) > 2 and words[-1].lower().strip(".") in creds:   # "Jane Roe RN" -> "Jane Roe"
            words.pop()
        p = " ".join(words) if len(words) < len(p.replace(",", " ").split()) else p
        if p.lower().strip(".") in creds:
            continue
        if _name_ok(p, strict) and p not in out:
            out.append(p)
    return out


def _ld_authors(tree) -> tuple[list[str], list[str]]:
    """(person names, organisation names) of the JSON-LD article's author."""
    people, orgs = [], []
    for obj in jsonld(tree):
        a = obj.get("author")
        if a is None:
            continue
        items = a if isinstance(a, list) else [a]
        for it in items:
            if isinstance(it, str):
                people.append(it)
            elif isinstance(it, dict) and isinstance(it.get("name"), str):
                (orgs if "Organization" in str(it.get("@type")) else people).append(it["name"])
        if people or orgs:
            break
    return people, orgs


def byline_authors(tree) -> list[str]:
    """Names in the page's byline elements (itemprop=author, rel=author, class/id author/byline)."""
    ctx = set(cues()["author_context_words"])
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("meta", "link", "script", "style", "body", "html", "article"):
            continue
        cls = el.get("class") or el.get("id") or el.get("itemprop") or el.get("rel")
        if not cls:
            continue
        words = set(re.findall(r"[a-z]+", " ".join(el.get(k) or "" for k in ("class", "id")).lower()))
        hit = (el.get("itemprop") or "").lower() == "author" or (el.get("rel") or "").lower() == "author" \
            or bool(words & ctx)
        if not hit or words & {"bio", "avatar", "image", "img", "photo", "description", "box", "about"}:
            continue
        if any(isinstance(a.tag, str) and a.tag in ("footer", "nav", "aside") for a in el.iterancestors()):
            continue
        name_el = next((e for e in el.iter() if (e.get("itemprop") or "").lower() == "name"), None)
        text = element_text(name_el if name_el is not None else el)
        if not text or len(text) > 120:
            continue
        names = clean_author(text)
        if names:
            return names
    return []


def page_authors(tree, metas: Optional[dict] = None, extractor_author: Optional[str] = None,
                 sites: Optional[list[str]] = None, blocks=None) -> Optional[tuple[list[str], str]]:
    """(names, how found): the first source (:func:`author_candidates`) naming someone other than the site
    itself; the site's own name only when nothing else is given."""
    cands = author_candidates(tree, metas, extractor_author, blocks)
    if not cands:
        return None
    sites = sites or []
    for names, how in cands:
        if not all(is_site_segment(n, sites) for n in names):
            return names, how
    return cands[0]


def author_candidates(tree, metas: Optional[dict] = None, extractor_author: Optional[str] = None,
                      blocks=None) -> list[tuple[list[str], str]]:
    """Every source's names, in order of trust: JSON-LD author persons, author metas, the extractor's guess
    (cleaned), a "By …" line near the headline, byline elements (class/id/itemprop), a link to an author page (when
    nothing before names anyone), a JSON-LD organisation."""
    metas = metas if metas is not None else meta_values(tree)
    people, orgs = _ld_authors(tree)
    cands: list[tuple[list[str], str]] = []
    names = [n for p in people for n in clean_author(p, strict=False)]
    if names:
        cands.append((names, "json-ld:author"))
    for key in ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl"):
        v = metas.get(key)
        if v and not v.startswith("http"):
            names = clean_author(v, strict=False)
            if names:
                cands.append((names, f"meta:{key}"))
                break
    if extractor_author:
        names = clean_author(extractor_author.replace(";", " and "))
        if names:
            cands.append((names, "trafilatura:author"))
    names = byline_line(blocks or [])
    if names:
        cands.append((names, "byline line"))
    names = byline_authors(tree)
    if names:
        cands.append((names, "byline element"))
    names = author_link(tree) if not cands else []   # only where the page names nobody otherwise
    if names:
        cands.append((names, "author page link"))
    names = [n for o in orgs for n in clean_author(o)]
    if names:
        cands.append((names, "json-ld:author (organisation)"))
    return cands


def author_link(tree) -> list[str]:
    """The name on the page's first link to an author's page (/author/jane-roe, /people/…), outside
    navigation, footer and sidebars."""
    dirs = "|".join(re.escape(d) for d in cues()["author_link_dirs"])
    rx = re.compile(r"/(?:" + dirs + r")/[^/?#]+", re.I)
    for a in tree.iter("a"):
        if not rx.search(a.get("href") or ""):
            continue
        if any(isinstance(x.tag, str) and x.tag in ("nav", "footer", "aside") for x in a.iterancestors()):
            continue
        text = element_text(a)
        if text and len(text) <= 80:
            names = clean_author(text)
            if names:
                return names
    return []


def byline_line(blocks, before: int = 3, after: int = 15) -> list[str]:
    """Names from a short "By …" / "Written by …" / "Author: …" line near the headline."""
    h = next((i for i, b in enumerate(blocks) if "h1" in b.tags or b.tag == "h1"), None)
    if h is None:
        return []
    pre = sorted(cues()["byline_prefixes"], key=len, reverse=True)
    rx = re.compile(_byline_prefix_rx(pre) + r"\S", re.I)
    for b in blocks[max(0, h - before):h + after + 1]:
        if len(b.text) <= 100 and rx.match(b.text) and not (b.tags & {"nav", "footer", "aside"}):
            names = clean_author(b.text, strict=False)   # after "By", a lower-case user name is a name
            if names:
                return names
    return []


def fill_html(article, tree, *, blocks=None, url: Optional[str] = None, res=None, lines=None,
              crawl_date: Optional[str] = None, metas: Optional[dict] = None, date: bool = True) -> None:
    """Set an HTML page's title, authors and (when ``date``) publication date on ``article``, each with how
    it was found in ``article.metadata_sources`` (``res``: trafilatura's result, for its title, author and
    htmldate's original date)."""
    from html import unescape

    src = article.metadata_sources
    metas = metas if metas is not None else meta_values(tree)
    sites = site_names(tree, url, metas)
    got = page_title(tree, url, metas)
    if got:
        article.title, src["title"] = got
    elif res is not None and getattr(res, "title", None):
        article.title, src["title"] = unescape(res.title), "trafilatura:title"
    got = page_authors(tree, metas, getattr(res, "author", None) if res is not None else None, sites, blocks)
    if got:
        article.authors, src["authors"] = got
    if date:
        got = page_date(tree, blocks, article.url or url, getattr(res, "date", None) if res is not None else None,
                        lines, crawl_date)
        if got:
            article.published, article.published_precision, article.published_source = got
