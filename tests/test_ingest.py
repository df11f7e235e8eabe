"""Ingest: files, directories, globs, stdin, gzip, feeds, WARC/WET and URLs (local HTTP server)."""

from __future__ import annotations

import gzip
import http.server
import io
import sys
import threading
from pathlib import Path

import pytest

from storyline.errors import InputError
from storyline.ingest import USER_AGENT, iter_documents, sniff_kind
from storyline.model import Document, content_hash

ARTICLE = ("The harbour authority said on Tuesday that the new ferry line would open in March. "
           "Officials expect the service to carry about two thousand passengers a day.\n"
           "The mayor welcomed the decision and said the city had waited a decade for it.\n")
PAGE = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Ferry line to open | Harbour News</title>"
        "</head><body><nav><a href='/'>Home</a></nav><article><h1>Ferry line to open</h1>"
        "<p>The harbour authority said on Tuesday that the new ferry line would open in March.</p>"
        "<p>Officials expect the service to carry about two thousand passengers a day, a spokesman said.</p>"
        "</article></body></html>")


def docs(items):
    return [x for x in items if isinstance(x, Document)]


def errors(items):
    return [x for x in items if isinstance(x, InputError)]


def test_text_html_and_hints(tmp_path: Path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.html").write_text(PAGE, encoding="utf-8")
    out = list(iter_documents([str(tmp_path)], published="2025-03-04", outlet="Harbour News",
                              url="https://example.org/x"))
    assert not errors(out)
    by_name = {Path(d.source).name: d for d in docs(out)}
    assert by_name["a.txt"].media_type == "text"
    assert by_name["b.html"].media_type == "html"
    for d in by_name.values():
        assert d.published_hint == "2025-03-04" and d.published_hint_source == "user"
        assert d.outlet_hint == "Harbour News" and d.url == "https://example.org/x"
        assert d.id == content_hash(d.raw)


def test_gzip_glob_and_missing(tmp_path: Path):
    (tmp_path / "one.txt.gz").write_bytes(gzip.compress(ARTICLE.encode()))
    (tmp_path / "two.txt").write_text(ARTICLE + "More.\n", encoding="utf-8")
    out = list(iter_documents([str(tmp_path / "*.txt*"), str(tmp_path / "missing.txt")]))
    assert len(docs(out)) == 2
    gz = [d for d in docs(out) if d.source.endswith(".gz")][0]
    assert gz.raw == ARTICLE.encode()          # raw is the decompressed content
    (err,) = errors(out)
    assert "missing.txt" in err.source and "no such file" in err.reason


def test_bad_inputs_become_errors_and_batch_goes_on(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    good = gzip.compress(ARTICLE.encode() * 20)
    (tmp_path / "trunc.txt.gz").write_bytes(good[: len(good) // 2])
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 8 + b"\x00\x00\xff\xfe\x00")
    (tmp_path / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    out = list(iter_documents([str(tmp_path)]))
    reasons = {Path(e.source).name: e.reason for e in errors(out)}
    assert "empty" in reasons["empty.txt"]
    assert "gzip" in reasons["trunc.txt.gz"]
    assert [Path(d.source).name for d in docs(out)] == ["ok.txt"] or "binary.bin" in reasons


def test_legacy_encoding_is_detected(tmp_path: Path):
    text = "Le ministre a déclaré mardi que les négociations reprendraient à Genève après l'été. " * 3
    (tmp_path / "fr.txt").write_bytes(text.encode("cp1252"))
    (d,) = docs(iter_documents([str(tmp_path / "fr.txt")]))
    assert d.encoding and d.encoding.lower().replace("_", "-") != "utf-8"
    from storyline.ingest import decode

    assert "négociations" in decode(d)


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode())))
    (d,) = docs(iter_documents(["-"]))
    assert d.source == "<stdin>" and d.raw == ARTICLE.encode()


def test_feed_entries(examples_dir: Path):
    out = list(iter_documents([str(examples_dir / "geneva-dispatch-feed.xml")]))
    entries = docs(out)
    assert len(entries) == 2 and all(d.media_type == "feed-entry" for d in entries)
    first = entries[0]
    assert first.title_hint and first.authors_hint and first.url.startswith("https://")
    assert first.published_hint_source == "feed"
    assert first.published_hint.startswith("2025-10-16T18:45:00") and first.published_hint.endswith("+02:00")
    assert b"<p" in first.raw


def test_json_feed(tmp_path: Path):
    import json

    feed = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Harbour News", "items": [
        {"id": "1", "url": "https://example.org/a", "title": "Ferry", "content_html": f"<p>{ARTICLE}</p>",
         "date_published": "2025-03-04T10:00:00+01:00"}]})
    (tmp_path / "feed.json").write_text(feed, encoding="utf-8")
    assert sniff_kind(feed.encode()) == "feed"
    (d,) = docs(iter_documents([str(tmp_path / "feed.json")]))
    assert d.media_type == "feed-entry" and d.url == "https://example.org/a"
    assert d.published_hint == "2025-03-04T10:00:00+01:00"


def _warc_record(rtype: str, uri: str, payload: bytes, date: str = "2025-03-05T08:00:00Z") -> bytes:
    headers = (f"WARC/1.0\r\nWARC-Type: {rtype}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n"
               f"WARC-Record-ID: <urn:uuid:{content_hash(uri + rtype)}>\r\n"
               f"Content-Type: {'application/http; msgtype=response' if rtype == 'response' else 'text/plain'}\r\n"
               f"Content-Length: {len(payload)}\r\n\r\n").encode()
    return headers + payload + b"\r\n\r\n"


def make_warc(n: int = 3) -> bytes:
    out = b""
    for i in range(n):
        body = PAGE.replace("Ferry line", f"Ferry line {i}").encode()
        http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        out += _warc_record("response", f"https://example.org/{i}", http)
        out += _warc_record("conversion", f"https://example.org/{i}", ARTICLE.encode())
    return out


def test_warc_and_wet(tmp_path: Path):
    raw = make_warc(3)
    (tmp_path / "a.warc").write_bytes(raw)
    gz = b"".join(gzip.compress(r) for r in [raw])
    (tmp_path / "b.warc.gz").write_bytes(gz)
    for name in ("a.warc", "b.warc.gz"):
        out = list(iter_documents([str(tmp_path / name)]))
        assert not errors(out), errors(out)
        ds = docs(out)
        assert [d.media_type for d in ds] == ["html", "text"] * 3
        assert ds[0].url == "https://example.org/0" and ds[0].crawl_date.startswith("2025-03-05")
        assert ds[0].published_hint is None            # a crawl date is not a publication date
        assert b"Ferry line 0" in ds[0].raw and not ds[0].raw.startswith(b"HTTP/")


def test_truncated_warc_keeps_good_records(tmp_path: Path):
    raw = make_warc(3)
    (tmp_path / "t.warc").write_bytes(raw[: int(len(raw) * 0.7)])
    out = list(iter_documents([str(tmp_path / "t.warc")]))
    assert len(docs(out)) >= 2
    assert all(d.url for d in docs(out))


def test_record_cut_by_the_archive_end_is_refused_not_half_kept(tmp_path: Path):
    # no HTTP Content-Length here: only the WARC record's own length shows that the page was cut
    body = PAGE.encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    whole = _warc_record("response", "https://example.org/whole", http)
    cut = _warc_record("response", "https://example.org/cut", http)
    (tmp_path / "c.warc").write_bytes(whole + cut[: len(cut) - len(body) // 2])
    out = list(iter_documents([str(tmp_path / "c.warc")]))
    assert [d.url for d in docs(out)] == ["https://example.org/whole"]
    (err,) = errors(out)
    assert "https://example.org/cut" in err.reason and "truncated" in err.reason


def _chunked(data: bytes, size: int = 97) -> bytes:
    parts = [data[i:i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x\r\n" % len(p) + p + b"\r\n" for p in parts) + b"0\r\n\r\n"


def test_archived_http_codings_are_undone(tmp_path: Path):
    body = PAGE.encode()
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
    records = {
        "chunked": head + b"Transfer-Encoding: chunked\r\n\r\n" + _chunked(body),
        "gzip": head + b"Content-Encoding: gzip\r\n\r\n" + gzip.compress(body),
        "both": head + b"Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" + _chunked(gzip.compress(body)),
        "cutgzip": head + b"Content-Encoding: gzip\r\n\r\n" + gzip.compress(body)[:-40],
        "cutchunks": head + b"Transfer-Encoding: chunked\r\n\r\n" + _chunked(body)[:-200],
    }
    raw = b"".join(_warc_record("response", f"https://example.org/{k}", v) for k, v in records.items())
    (tmp_path / "codings.warc").write_bytes(raw)
    out = list(iter_documents([str(tmp_path / "codings.warc")]))
    got = {d.url.rsplit("/", 1)[1]: d.raw for d in docs(out)}
    assert got == {"chunked": body, "gzip": body, "both": body}
    reasons = {e.reason for e in errors(out)}
    assert any("cutgzip" in r and "cut off or corrupt" in r for r in reasons), reasons
    assert any("cutchunks" in r and "chunked body cut off" in r for r in reasons), reasons


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_compressed_body_is_capped_while_it_is_decompressed(coding, monkeypatch):
    import storyline.ingest as ingest

    big = PAGE.encode() * 400
    if coding == "br":
        brotli = pytest.importorskip("brotli")
        packed = brotli.compress(big)
    else:
        packed = gzip.compress(big)
    assert ingest._http_payload(packed, None, coding) == big
    monkeypatch.setattr(ingest, "MAX_DOCUMENT_BYTES", len(big) // 10)
    assert "too large" in ingest._http_payload(packed, None, coding)


def test_feed_without_declaration_and_utf16_page_are_sniffed():
    rss = (b"<rss version='2.0'><channel><title>Harbour News</title><item><title>Ferry</title>"
           b"<description>The ferry line opens in March.</description></item></channel></rss>")
    assert sniff_kind(rss) == "feed"
    assert sniff_kind(b"<!-- generated --><feed xmlns='http://www.w3.org/2005/Atom'></feed>") == "feed"
    assert sniff_kind(PAGE.encode("utf-16")) == "html"       # BOM + NUL-interleaved markup
    assert sniff_kind(PAGE.encode("utf-32")) == "html"
    assert sniff_kind(ARTICLE.encode("utf-16")) == "text"
    assert sniff_kind(b"The <rss> tag names a feed format; this line is prose.") == "text"


class _Handler(http.server.BaseHTTPRequestHandler):
    seen_agents: list[str] = []

    def do_GET(self):  # noqa: N802
        _Handler.seen_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/page":
            body = PAGE.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        elif self.path == "/latin1":
            body = ("<html><body><p>" + "Les négociations reprendront à Genève. " * 5 + "</p></body></html>"
                    ).encode("latin-1")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=iso-8859-1")
        elif self.path == "/feed.xml":
            host = self.headers.get("Host")
            body = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Harbour News</title><item>"
                    f"<title>Ferry line to open</title><link>http://{host}/page</link>"
                    f"<pubDate>Tue, 04 Mar 2025 10:00:00 +0100</pubDate>"
                    f"<description>The harbour authority said the new ferry line would open in March.</description>"
                    f"</item></channel></rss>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/page")
            self.end_headers()
            return
        elif self.path == "/big":
            body = b"<p>" + b"x" * (20 * 1024 * 1024) + b"</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
        else:
            body = b"not here"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *a):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_urls(server):
    out = list(iter_documents([f"{server}/moved", f"{server}/missing", f"{server}/latin1", f"{server}/big"]))
    ds, es = docs(out), errors(out)
    assert ds[0].media_type == "html" and ds[0].url == f"{server}/page"   # redirect followed
    assert ds[1].encoding in ("iso-8859-1", "latin-1", "latin_1")
    from storyline.ingest import decode

    assert "négociations" in decode(ds[1])
    reasons = {e.source.rsplit("/", 1)[-1]: e.reason for e in es}
    assert "404" in reasons["missing"]
    assert "too large" in reasons["big"]
    assert any(a.startswith("storyline/") for a in _Handler.seen_agents) and USER_AGENT.startswith("storyline/")


def test_unreachable_url_is_an_error():
    (e,) = list(iter_documents(["http://127.0.0.1:9/nothing"]))
    assert isinstance(e, InputError) and "HTTP" in e.reason


def test_feed_url_with_linked_pages(server):
    out = list(iter_documents([f"{server}/feed.xml"], fetch_linked=True))
    ds = docs(out)
    assert [d.media_type for d in ds] == ["feed-entry", "html"]
    entry, page = ds
    assert entry.published_hint == "2025-03-04T10:00:00+01:00" and entry.published_hint_source == "feed"
    assert page.url == f"{server}/page" and b"two thousand passengers" in page.raw
    assert page.published_hint == entry.published_hint and page.title_hint == "Ferry line to open"


def test_directory_walk_skips_the_folders_own_documentation(tmp_path):
    (tmp_path / "story.txt").write_text("Ministers met in Vienna on Monday to discuss grain exports.", encoding="utf-8")
    (tmp_path / "README.md").write_text("These files were collected for a class.", encoding="utf-8")
    (tmp_path / "LICENSE").write_text("Permission is granted to copy.", encoding="utf-8")
    items = list(iter_documents([str(tmp_path)]))
    assert [Path(i.source).name for i in items] == ["story.txt"]
    named = list(iter_documents([str(tmp_path / "README.md")]))
    assert len(named) == 1 and not isinstance(named[0], InputError)


def test_byte_order_marks_name_the_encoding():
    from storyline.ingest import detect_encoding

    for enc, name in (("utf-32", "utf-32"), ("utf-16", "utf-16"), ("utf-8-sig", "utf-8-sig")):
        data = ARTICLE.encode(enc)
        assert detect_encoding(data) == name
        assert data.decode(detect_encoding(data)) == ARTICLE
