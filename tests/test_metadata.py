"""Page metadata (clean/metadata.py): title, publication date and authors by agreement of the page's sources.

Every page head and byline here is invented for these tests (a made-up harbour town and its people)."""

from __future__ import annotations

PROSE = "".join(
    f"<p>{s}</p>" for s in (
        "The ferry company said on Tuesday that the evening crossings would resume once the new pontoon passed "
        "its load tests, which the harbour master expects to finish within a fortnight.",
        "Fishermen who moor along the east wall were told to move their boats for two nights while divers "
        "inspect the old chains and replace the ones that have worn thin.",
        "A spokeswoman for the town council said the work had been planned since the spring storms and that the "
        "cost would be shared with the regional port authority.",
    )
)
URL = "https://www.quayside.example/news/ferry-crossings-resume"


def _page(head: str, body: str = "", url: str = URL) -> dict:
    """Title, authors and date of an invented page as clean_html sets them, with how each was found."""
    from storyline.clean import metadata, render
    from storyline.model import Article

    tree = render.parse(f"<html><head>{head}</head><body>{body}</body></html>")
    a = Article(id="t", document_id="t", text="", url=url)
    metadata.fill_html(a, tree, blocks=render.render(tree), url=url, crawl_date="2025-12-31T00:00:00Z")
    return {"title": a.title, "authors": a.authors, "published": a.published, "how": a.metadata_sources,
            "date_how": a.published_source}


# --------------------------------------------------------------------------
# titles


def test_title_first_segment_when_the_rest_is_a_tagline():
    # no headline agrees with the document title: its first segment is the headline, the rest a tagline
    got = _page("<title>Ferry Timetables | Evening crossings, fares and parking</title>",
                "<h1>Plan your trip with us</h1>" + PROSE)
    assert got["title"] == "Ferry Timetables" and "first segment" in got["how"]["title"]
    # a colon joins a headline to its own subtitle: kept whole
    got = _page("<title>Ferry Timetables: evening crossings and fares</title>", "<h1>Plan your trip</h1>" + PROSE)
    assert got["title"] == "Ferry Timetables: evening crossings and fares"
    # a one-word or numeric first segment is not a headline on its own
    got = _page("<title>2025 - Evening crossings and fares explained</title>")
    assert got["title"] == "2025 - Evening crossings and fares explained"
    # a headline that agrees with the first segment still wins through agreement
    got = _page("<title>Ferry crossings resume | Pontoon tests passed</title>", "<h1>Ferry crossings resume</h1>")
    assert got["title"] == "Ferry crossings resume" and got["how"]["title"].startswith("h1")


def test_title_mojibake_soft_hyphens_and_site_name_equal_to_title():
    from storyline.clean.metadata import fix_mojibake

    # UTF-8 bytes read as Windows-1252 on the way into the page are repaired; real accents are left alone
    assert fix_mojibake("The Harbour Master\u00e2\u0080\u0099s Log") == "The Harbour Master\u2019s Log"
    assert fix_mojibake("Caf\u00c3\u00a9 on the quay") == "Caf\u00e9 on the quay"
    assert fix_mojibake("Caf\u00e9 na\u00efve") == "Caf\u00e9 na\u00efve"
    got = _page("<title>The Harbour Master\u00e2\u0080\u0099s Log</title>")
    assert got["title"] == "The Harbour Master\u2019s Log"
    # a soft hyphen inside the h1 does not split a word
    got = _page("<title>Pontoon Inspection Program | Quayside</title>", "<h1>Pontoon In\u00adspection Program</h1>")
    assert got["title"] == "Pontoon Inspection Program"
    # an app-name meta that copies the whole <title> is not a site name (it would strip the headline itself)
    head = ("<title>Replace a mooring chain | Guides | Harbour Docs</title>"
            "<meta name='application-name' content='Replace a mooring chain | Guides | Harbour Docs'>")
    assert _page(head, "<h1>Replace a mooring chain</h1>")["title"] == "Replace a mooring chain"


def test_title_h1_with_a_date_line_matches_the_document_title_without_it():
    from storyline.clean.metadata import strip_heading_date

    assert strip_heading_date("Nov 3 2025 Divers inspect the east wall") == "Divers inspect the east wall"
    assert strip_heading_date("Divers inspect the east wall Posted on November 3, 2025 by Ola Berg") \
        == "Divers inspect the east wall"
    assert strip_heading_date("What changed on March 3, 2024") == "What changed on March 3, 2024"
    got = _page("<meta property='og:title' content='Divers inspect the east wall'>",
                "<h1>Divers inspect the east wall Posted on November 3, 2025 by Ola Berg</h1>" + PROSE)
    assert got["title"] == "Divers inspect the east wall" and got["how"]["title"] == "h1=meta:og:title"
    # a title that really ends with a date keeps it when the document title does too
    got = _page("<title>Tide report 12/19/2025</title>", "<h1>Tide report 12/19/2025</h1>")
    assert got["title"] == "Tide report 12/19/2025"


# --------------------------------------------------------------------------
# publication dates


def test_date_formats_dotted_day_first_and_glued_to_a_name():
    from storyline.clean.metadata import visible_dates

    assert [d[0] for d in visible_dates("05.03.2025")] == ["2025-03-05"]
    assert [d[0] for d in visible_dates("Ola Berg3/4/2025")] == ["2025-03-04"]
    assert visible_dates("release 1.2.3.2025") == []   # part of a longer dotted number, not a date
    got = _page("", "<article><h1>Ferry crossings resume</h1><div class='when'>12.11.2025</div>" + PROSE + "</article>")
    assert got["published"] == "2025-11-12" and got["date_how"] == "byline"


def test_date_url_month_names_and_month_consistency():
    from storyline.clean.metadata import url_date

    assert url_date("https://quayside.example/blog/2023/october/03/ferries") == ("2023-10-03", "day")
    assert url_date("https://quayside.example/blog/2023/Oct/ferries") == ("2023-10", "month")
    # the URL says December 2025: a "published" date from June (another story's) is not this page's
    url = "https://quayside.example/2025/12/ferry-crossings-resume"
    body = ("<article><h1>Ferry crossings resume</h1><p>December 20, 2025</p><p>x</p><p>y</p>"
            "<p>Published June 17, 2025</p>" + PROSE + "</article>")
    got = _page("", body, url=url)
    assert got["published"] == "2025-12-20"
    # without the URL's month the labelled date wins
    assert _page("", body)["published"] == "2025-06-17"


def test_date_time_elements_marked_created_or_published_and_relative_visible_text():
    # a question page: the visible date is relative ("3 years ago"); the <time> element's itemprop says created
    body = ("<h1>Why does the tide gauge drift?</h1><div>Asked <time itemprop='dateCreated' "
            "datetime='2022-03-14T09:12:00Z'>3 years ago</time></div>" + PROSE +
            "<div>Answered <time itemprop='dateCreated' datetime='2023-01-02T10:00:00Z'>2 years ago</time></div>")
    got = _page("<title>Why does the tide gauge drift?</title>", body)
    assert got["published"].startswith("2022-03-14") and got["date_how"] == "time:dateCreated"
    # a thread: the last-activity date by the headline is the page's modified day; the opening post's <time>
    # sits in an element whose class names it created
    head = "<title>Mooring lines for winter</title><meta property='article:modified_time' content='2025-11-30'>"
    body = ("<h1>Mooring lines for winter</h1><div class='thread-info'><time datetime='2025-11-30T08:00:00-05:00'>"
            "Nov 30, 2025</time></div><div class='post'><a class='post-date-created'><time "
            "datetime='2025-02-03T20:15:00-05:00'>Feb 4, 2025</time></a></div>" + PROSE)
    got = _page(head, body)
    assert got["published"].startswith("2025-02-03") and "marked" in got["date_how"]
    # an unmarked <time> element is not read as a publication date
    body = "<h1>Mooring lines</h1><div><time datetime='2025-02-03T20:15:00-05:00'>a while back</time></div>" + PROSE
    assert _page("<title>Mooring lines</title>", body)["published"] is None


def test_date_json_ld_date_created_is_named_as_such():
    ld = ('<script type="application/ld+json">{"@type": "BlogPosting", "headline": "Pontoon tests", '
          '"dateCreated": "2025-06-02T07:45:00+01:00"}</script>')
    got = _page("<title>Pontoon tests</title>" + ld, "<h1>Pontoon tests</h1>" + PROSE)
    assert got["published"] == "2025-06-02T07:45:00+01:00" and got["date_how"] == "json-ld:dateCreated"
    both = ld.replace('"dateCreated"', '"datePublished": "2025-06-01", "dateCreated"')
    got = _page("<title>Pontoon tests</title>" + both, "<h1>Pontoon tests</h1>" + PROSE)
    assert got["published"] == "2025-06-01" and got["date_how"] == "json-ld:datePublished"


def test_date_relative_byline_resolved_against_the_crawl_date():
    from storyline.clean import metadata, render
    from storyline.model import Article

    def dated(line: str, crawl):
        tree = render.parse(f"<html><head><title>Pontoon passes its tests</title></head><body>"
                            f"<h1>Pontoon passes its tests</h1><p>{line}</p>{PROSE}</body></html>")
        a = Article(id="t", document_id="t", text="", url=URL)
        metadata.fill_html(a, tree, blocks=render.render(tree), url=URL, crawl_date=crawl)
        return a.published, a.published_source

    crawl = "2025-11-20T15:30:00Z"
    assert dated("By Ines Varga, 3 hours ago", crawl) == ("2025-11-20", "byline (relative, against the crawl date)")
    assert dated("Posted 2 days ago", crawl)[0] == "2025-11-18"
    assert dated("Published yesterday", crawl)[0] == "2025-11-19"
    # an updated line, weeks (no day), or no crawl date to count from: nothing is resolved
    assert dated("Updated 3 hours ago", crawl)[0] is None
    assert dated("Posted 2 weeks ago", crawl)[0] is None
    assert dated("By Ines Varga, 3 hours ago", None)[0] is None


def test_date_one_day_off_only_for_a_timestamp_with_an_offset():
    ld = ("<script type='application/ld+json'>{{\"@type\": \"NewsArticle\", "
          "\"datePublished\": \"{}\"}}</script>")
    body = "<article><h1>Ferry crossings resume</h1><p>November 12, 2025</p>" + PROSE + "</article>"
    # 02:30 UTC on the 13th is still the 12th in the Americas: the timestamp and its offset are kept
    got = _page(ld.format("2025-11-13T02:30:00+00:00"), body)
    assert got["published"] == "2025-11-13T02:30:00+00:00"
    # a timestamp without an offset is local already: the visible day wins
    got = _page(ld.format("2025-11-13T09:21:40"), body)
    assert got["published"] == "2025-11-12" and got["date_how"] == "byline"


def test_date_near_the_headline_prefers_the_line_under_it():
    # the date line above the headline (a ticker, today's date) and the one under it are equally near:
    # the one under the headline is the story's
    body = ("<article><p>Latest: new timetable 12/04/2025</p><h1>Ferry crossings resume</h1>"
            "<p>03/01/2017 by Ola Berg</p>" + PROSE + "</article>")
    assert _page("", body)["published"] == "2017-03-01"
    # a short date line right under the headline counts even inside a box named like a newsletter
    body = ("<article><h1>Ferry crossings resume</h1><div class='newsletter-details'><p>November 2, 2022</p></div>"
            + PROSE + "</article>")
    assert _page("", body)["published"] == "2022-11-02"


# --------------------------------------------------------------------------
# authors


def test_author_cleanup_initials_job_titles_and_written_by():
    from storyline.clean.metadata import clean_author

    assert clean_author("OB Ola Berg Last updated") == ["Ola Berg"]
    assert clean_author("Ola Berg Senior Harbour Reporter") == ["Ola Berg"]
    assert clean_author("Ines Cardoso Former Port Authority Consultant") == ["Ines Cardoso"]
    assert clean_author("This post was written by Ines Cardoso")[0] == "Ines Cardoso"
    # initials that are not the name's stay ("AP Staff" is a name of its own)
    assert clean_author("AP Staff") == ["AP Staff"]
    assert clean_author("Ola Berg") == ["Ola Berg"]


def test_author_glued_prefix_and_author_page_link():
    from storyline.clean.metadata import clean_author

    assert clean_author("Written by:Ines Cardoso", strict=False) == ["Ines Cardoso"]
    assert clean_author("Written byOla Berg and Ines Cardoso", strict=False) == ["Ola Berg", "Ines Cardoso"]
    assert clean_author("Bylines Daily") == ["Bylines Daily"]   # "by" glued to a word is not a prefix
    # nothing else names anyone: the link to an author page does (not one in the footer)
    body = ("<article><h1>Ferry crossings resume</h1><p><a href='/people/ola-berg'>Ola Berg</a></p>" + PROSE
            + "</article><footer><a href='/authors/ines-cardoso'>Ines Cardoso</a></footer>")
    got = _page("", body)
    assert got["authors"] == ["Ola Berg"] and got["how"]["authors"] == "author page link"
    # an author named by the page's own metadata is not replaced by a link to another writer's page
    head = "<meta name='author' content='Ines Cardoso'>"
    assert _page(head, body)["authors"] == ["Ines Cardoso"]
    body = "<article><h1>Ferry crossings resume</h1>" + PROSE + "<footer><a href='/authors/x'>Ola Berg</a></footer>"
    assert _page("", body + "</article>")["authors"] in (None, [])


def test_title_chooser_decides_between_an_h1_and_a_document_title_that_disagree():
    from storyline.clean import metadata, render

    assert metadata.title_chooser() is not None, "data/clean/title_chooser.json is shipped"

    def both(head, body, url):
        tree = render.parse(f"<html><head>{head}</head><body>{body}<p>Crossings resume next week.</p></body></html>")
        return metadata.page_title(tree, url), metadata.page_title(tree, url, chooser=False)

    site = "<meta property='og:site_name' content='Quayside'>"
    # the URL spells the document title; the word-overlap rule would take the shorter h1
    got, rule = both(f"<title>Winter ferry timetable and fares for the harbour | Quayside</title>{site}",
                     "<h1>Winter ferry timetable</h1>",
                     "https://quayside.example/winter-ferry-timetable-and-fares-for-the-harbour")
    assert rule[0] == "Winter ferry timetable"
    assert got[0] == "Winter ferry timetable and fares for the harbour" and "title chooser" in got[1]
    # an article whose document title is one word: the long h1 with a colon is its headline
    got, rule = both(f"<title>Ferries | Quayside</title>{site}<meta property='og:type' content='article'>",
                     "<h1>Ferries: the winter timetable, new fares and where to park by the east wall</h1>",
                     "https://quayside.example/news/2291")
    assert rule[0] == "Ferries"
    assert got[0].startswith("Ferries: the winter timetable") and "title chooser" in got[1]
    # an h1 that agrees with the document title never reaches the chooser
    got, _ = both(f"<title>Ferry crossings resume | Quayside</title>{site}", "<h1>Ferry crossings resume</h1>",
                  "https://quayside.example/news/2292")
    assert got == ("Ferry crossings resume", "h1=<title>")


# --------------------------------------------------------------------------
# outlet


def test_outlet_from_site_metas_json_ld_publisher_and_a_title_segment_naming_the_domain():
    from storyline.clean import clean
    from storyline.model import Document

    def outlet(head: str, url: str = "https://www.quaysidegazette.example/news/ferries-resume"):
        html = f"<html><head>{head}</head><body><h1>Ferries resume</h1>{PROSE}</body></html>"
        a = clean(Document.from_bytes(html.encode(), "o", media_type="html", encoding="utf-8", url=url))
        return a.outlet, a.metadata_sources.get("outlet")

    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ferries resume", '
          '"publisher": {"@type": "Organization", "name": "Quayside Gazette Group"}}</script>')
    # og:site_name first
    assert outlet("<meta property='og:site_name' content='The Quayside Gazette'>" + ld) == \
        ("The Quayside Gazette", "meta:og:site_name")
    # without it: the JSON-LD publisher
    assert outlet("<title>Ferries resume</title>" + ld) == ("Quayside Gazette Group", "json-ld:publisher")
    # without either: the document-title segment that names the domain; a twitter handle is not a name
    assert outlet("<title>Ferries resume | Quayside Gazette</title><meta name='twitter:site' content='@qgazette'>") \
        == ("Quayside Gazette", "<title> segment naming the domain")
    # a segment that does not name the domain is not taken for the outlet
    got = outlet("<title>Ferries resume | Harbour news</title>")
    assert got[0] != "Harbour news"


# --------------------------------------------------------------------------
# language


def test_language_needs_words_of_its_own_to_beat_english():
    from storyline.clean.language import detect

    # an English shop listing: one-letter sizes and "to", "by", "do" are Czech stop words too
    listing = ("Rain Jackets | 212 results | Sort: Best Match | Top Rated | Harbour Shell 2 Waterproof | $98.50 | "
               "Save 20% | Compared to $123 | Add to cart | S | M | L | XL | Ships by Friday | Go to page 2 | "
               "Back to top | Quayside Outfitters's picks | Sign in to do more")
    assert detect(listing)[0] == "en"
    # a build log: "AM" is German "am" only in lower case
    log = ("7:02:11 AM: Build started\n7:02:12 AM: Fetching cache\n7:02:14 AM: Installing packages\n"
           "7:02:40 AM: Build failed\n7:02:41 AM: Retrying in 30 s\n7:03:11 AM: Build started\n"
           "7:03:40 AM: Build failed\nIt has failed twice this morning and I am not sure why.")
    assert detect(log)[0] == "en"
    # real Czech and German prose keep their language
    assert detect("Trajekt znovu jezdí, řekl ve čtvrtek správce přístavu. Po jarních bouřích byly staré řetězy "
                  "vyměněny a rybáři musí své lodě na dvě noci přesunout k východní zdi, protože je to jediné "
                  "bezpečné místo.")[0] == "cs"
    assert detect("Die Fähre fährt wieder, sagte der Hafenmeister am Dienstag. Nach den Stürmen im Frühjahr "
                  "wurden die alten Ketten ersetzt, und die Fischer müssen ihre Boote für zwei Nächte an die "
                  "Ostmauer verlegen.")[0] == "de"
