"""Ingest: raw inputs -> :class:`~storyline.model.Document` records.

Inputs are file paths, directories (read recursively), globs, ``-`` for stdin
and http(s) URLs.  gzip is read through transparently.  Each input is sniffed:

* WARC / WET archives (gzipped or not) are streamed record by record with
  fastwarc: ``response`` records become HTML documents, ``conversion``
  records (WET) plain-text documents; ``WARC-Target-URI`` is the url and
  ``WARC-Date`` the *crawl* date (never a publication date).
* RSS / Atom / JSON feeds (feedparser) give one ``feed-entry`` document per
  entry, carrying the entry's HTML content and its title, authors, url and
  published date (``published_hint_source="feed"``).  With ``fetch_linked``
  the page each entry links to is fetched too.
* HTML and plain text otherwise.

Errors never propagate: an unreadable, empty, truncated or undecodable input
(or a failed HTTP fetch) is yielded as :class:`~storyline.errors.InputError`
and the batch goes on.
"""

from __future__ import annotations

import glob as globlib
import gzip
import io
import json
import os
import re
import sys
import zlib
from datetime import timezone
from pathlib import Path
from typing import Iterable, Iterator, Optional

from storyline import __version__
from storyline.errors import InputError
from storyline.model import Document

USER_AGENT = f"storyline/{__version__} (+https://github.com/storyline; news analysis)"
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024   # a single HTML/text/feed input; WARCs are streamed
MAX_FETCH_BYTES = 16 * 1024 * 1024
FETCH_TIMEOUT = 20.0
SNIFF = 4096

Item = Document | InputError

_GLOB_CHARS = re.compile(r"[*?\[]")
_HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<(p|div|article|h1|h2|br|span|a)[\s>/]",
                         re.I)
_FEED_SNIFF = re.compile(rb"<rss[\s>]|<feed[\s>]|<rdf:RDF[\s>]|<channel[\s>]", re.I)
_FEED_ROOT = re.compile(rb"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)[\s>]", re.I | re.S)
_WARC_MAGIC = b"WARC/"


def iter_documents(inputs: list[str] | Iterable[str], *, published: Optional[str] = None,
                   outlet: Optional[str] = None, url: Optional[str] = None,
                   fetch_linked: bool = False) -> Iterator[Item]:
    """Yield one Document (or InputError) per input document, streaming."""
    hints = _Hints(published, outlet, url, fetch_linked)
    for raw_input in inputs:
        spec = str(raw_input)
        try:
            yield from _expand(spec, hints)
        except Exception as exc:  # last line of defence: an input never sinks the batch
            yield InputError(spec, f"could not read: {exc.__class__.__name__}: {exc}")


class _Hints:
    def __init__(self, published, outlet, url, fetch_linked):
        self.published = published
        self.outlet = outlet
        self.url = url
        self.fetch_linked = fetch_linked

    def apply(self, doc: Document) -> Document:
        if self.published:
            doc.published_hint = self.published
            doc.published_hint_source = "user"
        if self.outlet:
            doc.outlet_hint = self.outlet
            doc.provenance["outlet_hint_source"] = "user"
        if self.url and not doc.url:
            doc.url = self.url
            doc.provenance["url_hint_source"] = "user"
        return doc


# --------------------------------------------------------------------------
# expanding inputs


def _expand(spec: str, hints: _Hints) -> Iterator[Item]:
    if spec == "-":
        data = sys.stdin.buffer.read()
        yield from _from_bytes(data, "<stdin>", hints)
        return
    if re.match(r"^https?://", spec, re.I):
        yield from _from_url(spec, hints)
        return
    path = Path(spec)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path))
                       and not _NOT_NEWS.match(p.name))
        if not files:
            yield InputError(spec, "directory holds no files")
        for p in files:
            yield from _from_path(p, hints)
        return
    if path.exists():
        yield from _from_path(path, hints)
        return
    if _GLOB_CHARS.search(spec):
        matches = sorted(m for m in globlib.glob(spec, recursive=True) if os.path.isfile(m))
        if not matches:
            yield InputError(spec, "no file matches this pattern")
        for m in matches:
            yield from _from_path(Path(m), hints)
        return
    yield InputError(spec, "no such file or directory")


# A folder's own documentation is not news: skipped when walking a directory (name the file to ingest it).
_NOT_NEWS = re.compile(r"^(readme|license|licence|copying|changelog|notice)(\.[a-z0-9]+)?$|.*\.(md|rst)$", re.I)


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _from_path(path: Path, hints: _Hints) -> Iterator[Item]:
    source = str(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(SNIFF)
    except OSError as exc:
        yield InputError(source, f"unreadable: {exc.strerror or exc}")
        return
    if size == 0 or not head:
        yield InputError(source, "empty file")
        return
    gz = head[:2] == b"\x1f\x8b"
    if not gz and path.name.lower().endswith(".gz"):
        yield InputError(source, "named .gz but not gzip data (truncated or corrupt)")
        return
    if gz:
        try:
            with gzip.open(path, "rb") as g:
                inner_head = g.read(SNIFF)
        except (OSError, EOFError, zlib.error) as exc:
            inner_head = None
            yield InputError(source, f"corrupt or truncated gzip: {exc}")
            return
    else:
        inner_head = head
    if inner_head.lstrip()[:5] == _WARC_MAGIC:
        yield from _from_warc(path, hints)
        return
    if size > MAX_DOCUMENT_BYTES:
        yield InputError(source, f"file too large ({size} bytes; the limit for a single document is "
                                 f"{MAX_DOCUMENT_BYTES}); WARC archives are streamed instead")
        return
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        yield InputError(source, f"unreadable: {exc.strerror or exc}")
        return
    yield from _from_bytes(data, source, hints)


def _gunzip(data: bytes, source: str) -> bytes | InputError:
    try:
        out = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        return InputError(source, f"corrupt or truncated gzip: {exc}")
    if len(out) > MAX_DOCUMENT_BYTES:
        return InputError(source, _too_large())
    return out


def _from_bytes(data: bytes, source: str, hints: _Hints, *, url: Optional[str] = None,
                content_type: Optional[str] = None) -> Iterator[Item]:
    if not data:
        yield InputError(source, "empty input")
        return
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, source)
        if isinstance(data, InputError):
            yield data
            return
        if not data:
            yield InputError(source, "empty input (after gzip)")
            return
    if data.lstrip()[:5] == _WARC_MAGIC:
        yield from _from_warc(io.BytesIO(data), hints, source=source)
        return
    if not data.strip():
        yield InputError(source, "empty input (whitespace only)")
        return
    kind = sniff_kind(data, content_type)
    if kind == "feed":
        yield from _from_feed(data, source, hints, url=url)
        return
    encoding = detect_encoding(data, content_type)
    if encoding is None:
        yield InputError(source, "undecodable: no character encoding fits these bytes (binary file?)")
        return
    sample = data[:SNIFF * 4].decode(encoding, "replace")
    if not any(c.isalnum() for c in sample) and not any(c.isalnum() for c in data.decode(encoding, "replace")):
        yield InputError(source, "no readable text (only control characters or punctuation)")
        return
    doc = Document.from_bytes(data, source, media_type=kind, encoding=encoding, url=url)
    yield hints.apply(doc)


# --------------------------------------------------------------------------
# sniffing and decoding


def sniff_kind(data: bytes, content_type: Optional[str] = None) -> str:
    """'feed', 'html' or 'text' for raw bytes (an HTTP content type helps where given)."""
    ct = (content_type or "").lower()
    bom = _bom_encoding(data)
    if bom in ("utf-16", "utf-32"):  # sniff the markup, not its interleaved NUL bytes
        data = data[:SNIFF * 8].decode(bom, "ignore").encode("utf-8")
    head = data[:SNIFF].lstrip(b"\xef\xbb\xbf \t\r\n")
    if any(k in ct for k in ("rss", "atom", "feed+json")):
        return "feed"
    if _FEED_ROOT.match(head):       # a feed without an XML declaration (or a cut-off one)
        return "feed"
    if head[:1] in (b"{", b"[") or "json" in ct:
        try:
            obj = json.loads(data.decode("utf-8", "strict"))
        except Exception:
            obj = None
        if isinstance(obj, dict) and "jsonfeed.org" in str(obj.get("version", "")):
            return "feed"
    if head[:5].lower() == b"<?xml" or "xml" in ct:
        if _FEED_SNIFF.search(data[:SNIFF * 4]):
            return "feed"
    if "html" in ct:
        return "html"
    if _HTML_SNIFF.search(head) and head.count(b"<") >= 2:
        return "html"
    return "text"


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:]+)""", re.I)


def _bom_encoding(data: bytes) -> Optional[str]:
    """The encoding a byte-order mark names ("utf-8-sig", "utf-16", "utf-32"), or None."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):   # before UTF-16: the LE marks share a prefix
        return "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return None


def detect_encoding(data: bytes, content_type: Optional[str] = None) -> Optional[str]:
    """The charset of ``data``: BOM, UTF-8 if valid, declared charset, else charset-normalizer's guess."""
    bom = _bom_encoding(data)
    if bom is not None:
        return bom
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    declared = None
    if content_type:
        m = re.search(r"charset=([\w\-:]+)", content_type, re.I)
        declared = m.group(1) if m else None
    if not declared:
        m = _META_CHARSET.search(data[:SNIFF * 2])
        declared = m.group(1).decode("ascii", "ignore") if m else None
    if declared:
        try:
            data.decode(declared)
            return declared.lower()
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None:
        return None
    enc = best.encoding
    if b"\x00" in data[:SNIFF] and not enc.startswith("utf_16") and not enc.startswith("utf_32"):
        return None
    return enc


def decode(doc: Document) -> str:
    """The text of a document's raw bytes (never raises)."""
    enc = doc.encoding or detect_encoding(doc.raw) or "utf-8"
    try:
        return doc.raw.decode(enc, "replace")
    except LookupError:
        return doc.raw.decode("utf-8", "replace")


# --------------------------------------------------------------------------
# feeds


def _from_feed(data: bytes, source: str, hints: _Hints, *, url: Optional[str] = None) -> Iterator[Item]:
    import feedparser

    jf = _json_feed(data)
    if jf is not None:
        feed_title, entries = jf
    else:
        parsed = feedparser.parse(data)
        entries = list(parsed.entries or [])
        if not entries:
            reason = "feed has no entries"
            if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
                reason = f"unreadable feed: {parsed.bozo_exception}"
            yield InputError(source, reason)
            return
        feed_title = (parsed.feed or {}).get("title")
    if not entries:
        yield InputError(source, "feed has no entries")
        return
    for i, entry in enumerate(entries):
        html = _entry_html(entry)
        esource = f"{source}#entry-{i + 1}"
        if not html.strip():
            yield InputError(esource, "feed entry has no content")
            continue
        published = _entry_date(entry)
        authors = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
        if not authors and entry.get("author"):
            authors = [entry["author"]]
        raw = html.encode("utf-8")
        doc = Document.from_bytes(
            raw, esource, media_type="feed-entry", encoding="utf-8", url=entry.get("link") or url,
            title_hint=entry.get("title"), authors_hint=authors,
            published_hint=published, published_hint_source="feed" if published else None,
            outlet_hint=feed_title,
            provenance={"feed": source, "entry": i + 1, "entry_id": entry.get("id"),
                        **({"outlet_hint_source": "feed"} if feed_title else {})},
        )
        yield hints.apply(doc)
        if hints.fetch_linked and entry.get("link"):
            for item in _from_url(entry["link"], hints):
                if isinstance(item, Document) and not item.published_hint and published:
                    item.published_hint, item.published_hint_source = published, "feed"
                if isinstance(item, Document):
                    item.provenance.setdefault("feed", source)
                    item.title_hint = item.title_hint or entry.get("title")
                    item.outlet_hint = item.outlet_hint or feed_title
                yield item


def _json_feed(data: bytes):
    """(feed title, entries as feedparser-like dicts) for a JSON Feed (jsonfeed.org), else None."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"{"):
        return None
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(obj, dict) or "jsonfeed.org" not in str(obj.get("version", "")):
        return None
    entries = []
    for item in obj.get("items") or []:
        if not isinstance(item, dict):
            continue
        content = item.get("content_html") or ""
        if not content and item.get("content_text"):
            content = str(item["content_text"])
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        entries.append({
            "id": item.get("id"), "title": item.get("title"), "link": item.get("url") or item.get("external_url"),
            "content": [{"value": str(content)}], "summary": item.get("summary"),
            "authors": [{"name": a.get("name")} for a in authors if isinstance(a, dict) and a.get("name")],
            "published": item.get("date_published"), "updated": item.get("date_modified"),
        })
    return obj.get("title"), entries


def _entry_html(entry) -> str:
    contents = entry.get("content") or []
    best = ""
    for c in contents:
        value = c.get("value") or ""
        if len(value) > len(best):
            best = value
    if not best:
        best = entry.get("summary") or entry.get("description") or ""
    if best and "<" not in best:  # plain-text content: keep paragraphs
        paras = [p.strip() for p in re.split(r"\n\s*\n|\n", best) if p.strip()]
        from html import escape

        best = "".join(f"<p>{escape(p)}</p>" for p in paras)
    title = entry.get("title")
    if best and title:
        from html import escape

        best = f"<html><head><title>{escape(title)}</title></head><body><article>{best}</article></body></html>"
    return best


def _entry_date(entry) -> Optional[str]:
    """The entry's published (else updated) date as ISO, keeping its offset."""
    from email.utils import parsedate_to_datetime

    from dateutil import parser as dparser

    for key in ("published", "updated", "created", "date_published", "date_modified"):
        value = entry.get(key)
        if not value:
            continue
        dt = None
        try:
            dt = dparser.isoparse(value)
        except (ValueError, OverflowError):
            try:
                dt = parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                try:
                    dt = dparser.parse(value)
                except (ValueError, OverflowError):
                    dt = None
        if dt is not None:
            return dt.isoformat()
    for key in ("published_parsed", "updated_parsed"):
        st = entry.get(key)
        if st:
            from datetime import datetime

            return datetime(*st[:6], tzinfo=timezone.utc).isoformat()
    return None


# --------------------------------------------------------------------------
# WARC / WET


def _from_warc(path_or_stream, hints: _Hints, *, source: Optional[str] = None) -> Iterator[Item]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    source = source or str(path_or_stream)
    kinds = WarcRecordType.response | WarcRecordType.conversion | WarcRecordType.resource
    n = 0
    try:
        if isinstance(path_or_stream, Path):
            stream = str(path_or_stream)
            it = ArchiveIterator(stream, record_types=kinds, parse_http=True, fsspec_args=False)
        else:
            it = ArchiveIterator(path_or_stream, record_types=kinds, parse_http=True)
        for record in it:
            n += 1
            item = _warc_record(record, source, hints)
            if item is not None:
                yield item
    except Exception as exc:
        yield InputError(source, f"WARC archive broken after {n} record(s) (truncated or corrupt): "
                                 f"{exc.__class__.__name__}: {exc}")
        return
    if n == 0:
        yield InputError(source, "WARC archive holds no response, resource or conversion record "
                                 "(empty, truncated or corrupt)")


def _warc_record(record, source: str, hints: _Hints) -> Optional[Item]:
    from fastwarc.warc import WarcRecordType

    headers = record.headers
    uri = headers.get("WARC-Target-URI")
    what = uri or "a record with no target URI"
    date = headers.get("WARC-Date")
    offset = record.stream_pos
    rsource = f"warc:{source}#{offset}"
    body = record.reader.read()
    if record.record_type == WarcRecordType.conversion:
        kind, ct = "text", "text/plain"
    else:
        ct = (record.http_content_type or "") if record.is_http else (headers.get("Content-Type") or "")
        if record.is_http and record.http_headers is not None:
            status = getattr(record.http_headers, "status_code", 200)
            if status and status >= 400:
                return InputError(rsource, f"HTTP status {status} in archive for {what}")
        if ct and not any(k in ct.lower() for k in ("html", "text", "xml", "json")):
            return None  # images, scripts, PDFs: not news text
        kind = None
    declared = None
    if record.is_http and record.http_headers is not None:
        declared = record.http_headers.get("Content-Length")
    elif record.record_type == WarcRecordType.conversion:
        declared = headers.get("Content-Length")
    if record.content_length and len(body) < record.content_length:
        # the archive ends inside this record: never keep half a page
        return InputError(rsource, f"truncated record for {what}: {len(body)} of {record.content_length} bytes")
    if declared and declared.strip().isdigit() and len(body) < int(declared) \
            and not (record.is_http and (record.http_headers.get("Content-Encoding")
                                         or record.http_headers.get("Transfer-Encoding"))):
        return InputError(rsource, f"truncated record for {what}: {len(body)} of {declared} bytes")
    if record.is_http and record.http_headers is not None:
        body = _http_payload(body, record.http_headers.get("Transfer-Encoding"),
                             record.http_headers.get("Content-Encoding"))
        if isinstance(body, str):
            return InputError(rsource, f"{body} in the record for {what}")
    if not body.strip():
        return InputError(rsource, f"empty record for {what}")
    if kind is None:
        kind = sniff_kind(body, ct)
        if kind == "feed":
            kind = "html"
    enc = detect_encoding(body, ct)
    if enc is None:
        return InputError(rsource, f"undecodable record for {what}")
    doc = Document.from_bytes(body, rsource, media_type=kind, encoding=enc, url=uri, crawl_date=date,
                              provenance={"warc": source, "offset": offset,
                                          "record_type": headers.get("WARC-Type")})
    return hints.apply(doc)


def _http_payload(body: bytes, transfer_encoding: Optional[str], content_encoding: Optional[str]) -> bytes | str:
    """An archived HTTP body as the page's bytes: chunked transfer coding and gzip/deflate/brotli content coding
    undone (archives keep the bytes as sent; Common Crawl has already undone the chunking).  A string says why
    it could not be done."""
    if transfer_encoding and "chunked" in transfer_encoding.lower():
        out, i = bytearray(), 0
        while True:
            j = body.find(b"\r\n", i)
            if j < 0:
                if out:
                    return "chunked body cut off before its last chunk"
                break                           # not really chunked (already decoded by the crawler)
            size = body[i:j].split(b";")[0].strip()
            try:
                n = int(size, 16)
            except ValueError:
                if out:
                    return "malformed chunked body"
                break
            if n == 0:
                body = bytes(out)
                break
            if j + 2 + n > len(body):
                return "chunked body cut off before its last chunk"
            out += body[j + 2:j + 2 + n]
            i = j + 2 + n + 2
    for coding in reversed([c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]):
        if coding in ("identity", ""):
            continue
        try:
            if coding in ("gzip", "x-gzip") or (coding == "deflate" and body[:2] == b"\x1f\x8b"):
                body = _inflate(body, 16 + zlib.MAX_WBITS, coding)
            elif coding == "deflate":
                try:
                    body = _inflate(body, zlib.MAX_WBITS, coding)
                except zlib.error:           # raw deflate without the zlib header
                    body = _inflate(body, -zlib.MAX_WBITS, coding)
            elif coding == "br":
                try:
                    import brotli
                except ImportError:
                    return "brotli-compressed body (install the 'brotli' package to read it)"
                d = brotli.Decompressor()
                out = bytearray()
                for i in range(0, len(body), 65536):      # in slices, so a tiny record cannot fill the memory
                    out += d.process(body[i:i + 65536])
                    if len(out) > MAX_DOCUMENT_BYTES:
                        return _too_large()
                if not d.is_finished():
                    return "br-compressed body cut off or corrupt"
                body = bytes(out)
            else:
                return f"unknown content coding {coding!r}"
            if isinstance(body, str):
                return body
        except Exception as exc:  # zlib.error, brotli.error
            return f"corrupt {coding}-compressed body ({exc})"
    return body


def _too_large() -> str:
    return f"decompressed content too large (> {MAX_DOCUMENT_BYTES} bytes)"


def _inflate(body: bytes, wbits: int, coding: str) -> bytes | str:
    """zlib/gzip/raw-deflate ``body`` decompressed under the document size cap, or why it was not."""
    d = zlib.decompressobj(wbits)
    out = d.decompress(body, MAX_DOCUMENT_BYTES)
    if d.unconsumed_tail:
        return _too_large()
    if not d.eof:
        return f"{coding}-compressed body cut off or corrupt"
    return out


# --------------------------------------------------------------------------
# URLs


def fetch(url: str, *, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_FETCH_BYTES):
    """GET ``url`` (following redirects) -> (final_url, content_type, bytes) or an InputError."""
    import httpx

    try:
        with httpx.Client(follow_redirects=True, timeout=httpx.Timeout(timeout), max_redirects=10,
                          headers={"User-Agent": USER_AGENT,
                                   "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,"
                                             "text/plain;q=0.8,*/*;q=0.5"}) as client:
            with client.stream("GET", url) as resp:
                if resp.status_code >= 400:
                    return InputError(url, f"HTTP {resp.status_code} {resp.reason_phrase}")
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    return InputError(url, f"response too large ({declared} bytes > {max_bytes})")
                buf = bytearray()
                for chunk in resp.iter_bytes():
                    buf.extend(chunk)
                    if len(buf) > max_bytes:
                        return InputError(url, f"response too large (> {max_bytes} bytes)")
                data = bytes(buf)
                return str(resp.url), resp.headers.get("content-type"), data
    except httpx.TimeoutException:
        return InputError(url, f"HTTP timeout after {timeout:g}s")
    except httpx.TooManyRedirects:
        return InputError(url, "too many redirects")
    except httpx.HTTPError as exc:
        return InputError(url, f"HTTP failure: {exc.__class__.__name__}: {exc}")
    except (OSError, zlib.error, ValueError) as exc:
        return InputError(url, f"HTTP failure: {exc.__class__.__name__}: {exc}")


def _from_url(url: str, hints: _Hints) -> Iterator[Item]:
    result = fetch(url)
    if isinstance(result, InputError):
        yield result
        return
    final_url, ct, data = result
    for item in _from_bytes(data, url, hints, url=final_url, content_type=ct):
        if isinstance(item, Document) and item.media_type != "feed-entry":
            item.provenance.setdefault("fetched_url", final_url)
            if ct:
                item.provenance.setdefault("content_type", ct)
        yield item
