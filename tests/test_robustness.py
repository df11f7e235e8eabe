"""Property-based robustness of ingest and clean: malformed HTML, wrong/mixed encodings, truncated gzip and
WARC, empty and very large inputs.  Nothing may raise; every bad input gives a per-input error; every good
input of a batch is kept."""

from __future__ import annotations

import gzip
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.clean import clean
from storyline.errors import InputError
from storyline.ingest import iter_documents
from storyline.model import Article, Document

GOOD = ("The regional council voted on Thursday to extend the night bus service until the end of the year, "
        "the council's transport committee said in a statement.\n")
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

tags = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<a href='x'>", "</a>",
                        "<!--", "-->", "<table><tr><td>", "<br>", "<nav>", "<article>", "<![CDATA[", "]]>",
                        "<html>", "<body", "&amp;", "&#xD800;", "&bogus;", "<?xml version='1.0'?>", "\x00"])
html_soup = st.lists(st.one_of(tags, st.text(max_size=40)), max_size=60).map("".join)


@SETTINGS
@given(html_soup)
def test_malformed_html_never_crashes(soup):
    doc = Document.from_bytes(soup.encode("utf-8", "surrogatepass"), "<soup>", media_type="html", encoding="utf-8")
    a = clean(doc)
    assert isinstance(a, Article) and isinstance(a.text, str)
    assert all(0 <= b.at <= len(a.text) for b in a.boilerplate)


@SETTINGS
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_ingest_and_clean(tmp_path_factory, data):
    p = tmp_path_factory.mktemp("bytes") / "input.bin"
    p.write_bytes(data)
    out = list(iter_documents([str(p)]))
    assert len(out) >= 1
    for item in out:
        if isinstance(item, Document):
            assert isinstance(clean(item), Article)
        else:
            assert isinstance(item, InputError) and item.reason and item.source


@SETTINGS
@given(st.text(min_size=1, max_size=300), st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16", "koi8-r",
                                                           "shift_jis"]))
def test_wrong_and_mixed_encodings(tmp_path_factory, text, enc):
    raw = text.encode(enc, "replace")
    mixed = raw + "\n— déjà vu —\n".encode("utf-8") + "Straße".encode("latin-1")
    d = tmp_path_factory.mktemp("enc")
    (d / "a.txt").write_bytes(mixed)
    (d / "b.txt").write_text(GOOD, encoding="utf-8")
    out = list(iter_documents([str(d)]))
    good = [x for x in out if isinstance(x, Document) and x.source.endswith("b.txt")]
    assert len(good) == 1
    for item in out:
        if isinstance(item, Document):
            clean(item)


@SETTINGS
@given(st.floats(min_value=0.0, max_value=0.95))
def test_truncated_gzip(tmp_path_factory, frac):
    d = tmp_path_factory.mktemp("gz")
    payload = gzip.compress((GOOD * 50).encode())
    (d / "cut.txt.gz").write_bytes(payload[: int(len(payload) * frac)])
    (d / "ok.txt").write_text(GOOD, encoding="utf-8")
    out = list(iter_documents([str(d)]))
    names = {Path(x.source).name: x for x in out}
    assert isinstance(names["ok.txt"], Document)
    assert isinstance(names["cut.txt.gz"], InputError)


def _warc(n: int) -> bytes:
    out = b""
    for i in range(n):
        body = f"<html><body><p>{GOOD}</p><p>Item {i}.</p></body></html>".encode()
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
        head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/{i}\r\n"
                f"WARC-Date: 2025-01-0{1 + i % 9}T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{i:08d}>\r\n"
                f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
        out += head + http + b"\r\n\r\n"
    return out


@SETTINGS
@given(st.floats(min_value=0.0, max_value=1.0), st.booleans())
def test_truncated_warc_keeps_whole_records(tmp_path_factory, frac, gz):
    raw = _warc(4)
    if gz:
        raw = gzip.compress(raw)
    d = tmp_path_factory.mktemp("warc")
    (d / ("x.warc.gz" if gz else "x.warc")).write_bytes(raw[: int(len(raw) * frac)])
    (d / "ok.txt").write_text(GOOD, encoding="utf-8")
    out = list(iter_documents([str(d)]))
    docs = [x for x in out if isinstance(x, Document)]
    assert any(x.source.endswith("ok.txt") for x in docs)
    for x in docs:
        if x.source.startswith("warc:"):
            assert x.url.startswith("https://example.org/") and b"night bus" in x.raw
            clean(x)


def test_empty_and_whitespace_inputs(tmp_path: Path):
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \n\t\n")
    (tmp_path / "empty.gz").write_bytes(gzip.compress(b""))
    (tmp_path / "ok.txt").write_text(GOOD, encoding="utf-8")
    out = list(iter_documents([str(tmp_path)]))
    errs = {Path(e.source).name for e in out if isinstance(e, InputError)}
    assert errs == {"empty.html", "blank.txt", "empty.gz"}
    assert [Path(d.source).name for d in out if isinstance(d, Document)] == ["ok.txt"]


def test_very_large_inputs(tmp_path: Path):
    import storyline.ingest as ingest

    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.write(b"x" * (ingest.MAX_DOCUMENT_BYTES + 10))
    (tmp_path / "ok.txt").write_text(GOOD, encoding="utf-8")
    out = list(iter_documents([str(tmp_path)]))
    errs = [e for e in out if isinstance(e, InputError)]
    assert len(errs) == 1 and "too large" in errs[0].reason
    # a long but acceptable page cleans without trouble
    page = "<html><body>" + "<div><p>" + GOOD * 3 + "</p></div>" * 2000 + "</body></html>"
    a = clean(Document.from_bytes(page.encode(), "<big>", media_type="html", encoding="utf-8"))
    assert "night bus" in a.text
    deep = "<div>" * 5000 + GOOD + "</div>" * 5000
    assert isinstance(clean(Document.from_bytes(deep.encode(), "<deep>", media_type="html")), Article)
