"""HTML main content: trafilatura's text plus the blocks our scorer adds, the recall-oriented run, and the
HTML-side pruning (invented pages only)."""

from __future__ import annotations

from storyline.clean import clean, render
from storyline.clean.html import add_blocks, prune, recall_text
from storyline.model import Document

PARAS = [
    "The river authority opened the northern floodgates on Thursday morning after three days of heavy rain "
    "upstream, officials said.",
    "Farmers along the lower valley were told to move livestock to higher ground before the water reached "
    "the old stone bridge.",
    "A spokesman for the authority said the gates would stay open until the level at the upper weir fell "
    "below the spring mark.",
    "Residents of two villages spent the night in the school hall, where volunteers served soup and "
    "blankets were handed out.",
]


def _doc(html: str) -> Document:
    return Document.from_bytes(html.encode(), "<test.html>", media_type="html", encoding="utf-8")


def test_add_blocks_inserts_after_the_preceding_block_and_never_from_a_newsletter_box():
    html = ("<html><body><article>"
            f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p><p>{PARAS[2]}</p>"
            "<div class='newsletter-signup'><p>Get the valley bulletin in your inbox every Friday morning, "
            "free of charge.</p></div>"
            f"<p>{PARAS[3]}</p></article></body></html>")
    blocks = render.render(render.parse(html))
    texts = [b.text for b in blocks]
    text = "\n".join([PARAS[0], PARAS[2], PARAS[3]])
    probs = [0.95 for _ in blocks]
    out, n = add_blocks(text, blocks, probs, 0.5)
    lines = out.split("\n")
    assert n == 1, out
    assert lines == [PARAS[0], PARAS[1], PARAS[2], PARAS[3]]
    assert not any("bulletin" in line for line in lines)
    # a line of the text that is a block in its own newsletter box is taken out
    boxed = "Get the valley bulletin in your inbox every Friday morning, free of charge."
    out3, _ = add_blocks("\n".join(PARAS[:3] + [boxed, PARAS[3]]), blocks, [0.2] * len(texts), 0.5)
    assert out3.split("\n") == PARAS
    # below the threshold nothing is added and the text is unchanged
    out2, n2 = add_blocks(text, blocks, [0.2] * len(texts), 0.5)
    assert (out2, n2) == (text, 0)


def test_html_pruning_keeps_the_article_after_an_appeal_opener_but_drops_cue_lines():
    lines = [PARAS[0], PARAS[1], "Before you go, one more thing about the weir.", PARAS[2], PARAS[3],
             "Sign up for our newsletter to get the valley bulletin."]
    kept, removed = prune(lines)
    assert PARAS[2] in kept and PARAS[3] in kept     # not removed just for following "before you go"
    assert lines[-1] not in kept
    assert any("newsletter" in reason for _, line, reason in removed if line == lines[-1])


def test_recall_run_is_not_paid_for_when_no_prose_is_left_out():
    html = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</article></body></html>"
    tree = render.parse(html)
    blocks = render.render(tree)
    assert recall_text(tree, blocks, "\n".join(PARAS)) is None
    assert recall_text(tree, blocks, "") is None


def test_article_page_keeps_headings_lists_and_prose_and_drops_furniture_with_reasons():
    html = ("<html><head><title>Floodgates opened on the lower valley</title>"
            "<meta property='og:type' content='article'></head><body>"
            "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
            "<li><a href='/sport'>Sport</a></li></ul></nav>"
            "<main><article><h1>Floodgates opened on the lower valley</h1>"
            f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p><h2>What residents should do</h2>"
            "<ul><li>Move vehicles away from the riverbank before nightfall.</li>"
            "<li>Keep drinking water in sealed containers for two days.</li></ul>"
            f"<p>{PARAS[2]}</p><p>{PARAS[3]}</p></article></main>"
            "<footer><p>Copyright 2031 Valley Courier. All rights reserved.</p>"
            "<a href='/privacy'>Privacy policy</a></footer></body></html>")
    a = clean(_doc(html))
    for p in PARAS:
        assert p in a.text
    assert "Move vehicles away from the riverbank before nightfall." in a.text
    assert "Home" not in a.text.split("\n")
    assert "All rights reserved" not in a.text
    reasons = {b.text: b.reason for b in a.boilerplate}
    assert reasons.get("Privacy policy") or any("Privacy policy" in t for t in reasons)
    assert all(r for r in reasons.values())
    assert a.metadata_sources["text"].startswith("trafilatura")


def test_readability_text_only_when_prose_is_left_out_and_it_is_a_longer_superset():
    from storyline.clean.html import readability_text

    html = ("<html><body><div class='story'>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</div>"
            "<div class='menu'><a href='/a'>Home</a> <a href='/b'>Weather</a></div></body></html>")
    blocks = render.render(render.parse(html))
    # the base text already holds every prose block: readability is not run
    assert readability_text(html, blocks, "\n".join(PARAS)) is None
    # the base text lost half the story: readability's text holds it and more
    got = readability_text(html, blocks, "\n".join(PARAS[:2]))
    assert got is not None and all(p in got for p in PARAS)
    assert readability_text(None, blocks, PARAS[0]) is None


TEASERS = [
    "Council approves a second pumping station for the eastern meadows",
    "Why the spring mark at the upper weir matters more than ever this year",
]


def test_article_prune_drops_headline_teaser_links_and_related_lead_ins_with_reasons():
    from storyline.clean.html import article_prune, headline_forms

    headline = "Floodgates opened as the lower valley braces for high water"
    lead_in = "Read more: what the weir keepers saw as the water rose through the night"
    long_related = ("Related questions about insurance were raised by several farmers at the evening meeting "
                    "in the school hall.")
    html = ("<html><head><title>" + headline + " | Valley Courier</title></head><body><article>"
            f"<h1>{headline}</h1><p>{PARAS[0]}</p>"
            f"<p>{PARAS[1].replace('old stone bridge', '<a href=/bridge>old stone bridge</a>')}</p>"
            "<p>Read more: what the <a href='/p1'>weir keepers</a> saw as the water rose through the night</p>"
            f"<p>{long_related}</p><p>{PARAS[2]}</p>"
            "<h3>Most read</h3><ul>" + "".join(f"<li><a href='/t{i}'>{t}</a></li>" for i, t in enumerate(TEASERS))
            + "</ul></article></body></html>")
    tree = render.parse(html)
    blocks = render.render(tree)
    lines = [headline, PARAS[0], PARAS[1], lead_in, long_related, PARAS[2], "Most read"] + [f"- {t}" for t in TEASERS]
    kept, removed = article_prune(lines, blocks, headline_forms(tree))
    assert kept == [PARAS[0], PARAS[1], long_related, PARAS[2]]
    why = {line: reason for _, line, reason in removed}
    assert "headline" in why[headline]
    assert why[lead_in] == "related links: 'Read more'"
    assert why["Most read"] == "related links: 'Most read'"
    assert all(why[f"- {t}"].startswith("teaser link") for t in TEASERS)
    # the headline is only taken out as the text's first line
    kept2, _ = article_prune([PARAS[0], headline], blocks, headline_forms(tree))
    assert kept2 == [PARAS[0], headline]


def test_a_tag_cloud_is_never_added_to_the_extractors_text():
    tags = ["harvest", "rainfall", "bridges", "schools", "volunteers", "livestock", "weather", "roads", "council",
            "farming", "rivers", "floods", "shelters", "transport", "budget", "health", "police", "markets",
            "festivals", "libraries", "parks", "housing"]
    html = ("<html><body><article>" f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p></article>"
            "<div class='tags'>" + " ".join(f"<a href='/tag/{t}'>{t}</a>" for t in tags) + "</div>"
            f"<div class='more'><p>{PARAS[2]}</p></div></body></html>")
    blocks = render.render(render.parse(html))
    out, n = add_blocks(PARAS[0], blocks, [0.9] * len(blocks), 0.5)
    assert n == 2 and out.split("\n") == [PARAS[0], PARAS[1], PARAS[2]]


def test_declared_article_keeps_paragraphs_after_an_appeal_opener():
    opener = ("Before you go: the shelter volunteers say they still rely on your support to keep the school hall "
              "open at night.")
    html = ("<html><head><title>Valley shelters stay open</title>"
            "<meta property='og:type' content='article'></head><body><article><h1>Valley shelters stay open</h1>"
            f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p><p>{opener}</p><p>{PARAS[2]}</p><p>{PARAS[3]}</p>"
            "</article></body></html>")
    a = clean(_doc(html))
    assert a.metadata_sources["text"] == "trafilatura (article page)"
    assert PARAS[2] in a.text and PARAS[3] in a.text
    assert "Valley shelters stay open" not in a.text.split("\n")


def test_article_prune_drops_a_closing_credit_line_only_at_the_end():
    from storyline.clean.html import article_prune

    credit = "Reporting by Mira Holt in the valley; editing by Jonas Weir"
    kept, removed = article_prune([PARAS[0], PARAS[1], credit], [], set())
    assert kept == [PARAS[0], PARAS[1]]
    assert removed and removed[0][1] == credit and removed[0][2] == "credit/contact line: 'reporting by'"
    # the same cue inside the article's prose stays
    kept2, removed2 = article_prune([credit, PARAS[0]], [], set())
    assert kept2 == [credit, PARAS[0]] and not removed2


def test_double_encoded_body_text_is_repaired_and_kept_blocks_are_not_reported_as_removed():
    broken = [p.replace("stone", "stoneâ€™s").replace("the authority", "the authorityâ€™s") for p in PARAS[:2]]
    html = ("<html><head><meta property='og:type' content='article'></head><body><article>"
            + "".join(f"<p>{p}</p>" for p in broken) + "</article><footer><p>Contact the river office</p>"
            "</footer></body></html>")
    a = clean(_doc(html))
    assert "â€" not in a.text
    assert "stone’s" in a.text
    assert [b.text for b in a.boilerplate] == ["Contact the river office"]


def test_declared_article_takes_a_longer_run_only_when_much_prose_is_left_out(monkeypatch):
    from storyline.clean import html as H

    page = ("<html><head><title>Shelters</title><meta property='og:type' content='article'></head><body><article>"
            + "".join(f"<p>{p}</p>" for p in PARAS) + "</article></body></html>")
    original = H.extract_main

    def short_extract(keep):
        def run(tree, url=None, **kw):
            res = original(tree, url, **kw)
            res.text = "\n".join(PARAS[:keep])   # as if the extractor had stopped early
            return res
        return run

    monkeypatch.setattr(H, "extract_main", short_extract(1))
    a = clean(_doc(page))
    assert a.metadata_sources["text"].endswith("(article page)")
    assert a.metadata_sources["text"] != "trafilatura (article page)"
    assert all(p in a.text for p in PARAS)
    # one paragraph of four left out is less than half the text's length: the default text stays
    monkeypatch.setattr(H, "extract_main", short_extract(3))
    b = clean(_doc(page))
    assert b.metadata_sources["text"] == "trafilatura (article page)"
    assert PARAS[3] not in b.text
