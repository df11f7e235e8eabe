"""Acceptance on the seed document, end to end (issue: the spine).

Reads ../shared/data/seed at run time; skipped with a message where it is absent.
Nothing of the seed's text is copied here: the checks name dates, actors and
codes, and find the spans they talk about by searching the text at run time.
"""

from __future__ import annotations

import re

import pytest

from storyline.bench.common import shared_data
from storyline.ingest import iter_documents
from storyline.pipeline import run
from storyline.model import Analysis

SEED = "seed/moscow-times-third-round.txt"


@pytest.fixture(scope="module")
def seed():
    root = shared_data()
    if root is None or not (root / SEED).exists():
        pytest.skip("../shared/data/seed is absent: seed acceptance not run")
    path = root / SEED
    lines = path.read_text(encoding="utf-8").splitlines()
    docs = list(iter_documents([str(path)], published="2025-07-21", outlet="The Moscow Times"))
    (result,) = list(run(docs))
    assert isinstance(result, Analysis), result
    return lines, result


def _sentence_of(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos))
    ends = [e for e in (text.find(". ", pos), text.find("\n", pos)) if e != -1]
    return start + 1, (min(ends) if ends else len(text))


def test_article_text_is_the_first_ten_lines(seed):
    lines, an = seed
    assert an.article.text == "\n".join(lines[:10])
    assert [b.text.strip() for b in an.article.boilerplate] == [l.strip() for l in lines[10:23]]
    assert all(b.reason for b in an.article.boilerplate)
    assert an.article.published.startswith("2025-07-21")
    assert an.article.outlet == "The Moscow Times"


def test_nothing_comes_from_the_appeal(seed):
    _, an = seed
    n = len(an.article.text)
    spans = [(t.start, t.end) for t in an.timexes]
    spans += [(m.start, m.end) for a in an.actors for m in a.mentions]
    spans += [(q.content.start, q.content.end) for q in an.attributions]
    spans += [(e.start, e.end) for ev in an.events for e in ev.evidence]
    assert all(0 <= s < e <= n for s, e in spans)
    for ev in an.events:
        assert "undesirable" not in " ".join(x.text for x in ev.evidence).lower()


def _timex_values(an, phrase):
    text = an.article.text
    i = text.find(phrase)
    assert i != -1, phrase
    hits = [t for t in an.timexes if t.start <= i + len(phrase) - 1 and t.end > i]
    assert hits, f"no timex over {phrase!r}"
    return hits


@pytest.mark.parametrize("phrase,value", [
    ("on Monday", "2025-07-21"),
    ("on Saturday", "2025-07-19"),
    ("May 16", "2025-05-16"),
    ("June 2", "2025-06-02"),
    ("February 2022", "2022-02"),
    ("this year", "2025"),
    ("50 days", "P50D"),
])
def test_timex_values(seed, phrase, value):
    _, an = seed
    assert value in [t.value for t in _timex_values(an, phrase)]


def test_alternative_weekdays_and_later_this_week(seed):
    _, an = seed
    alts = set()
    for t in _timex_values(an, "Thursday or Friday"):
        alts.update(t.alternatives or [t.value])
    assert {"2025-07-24", "2025-07-25"} <= alts
    (later,) = _timex_values(an, "later this week")[:1]
    assert later.range_start and later.range_end
    assert "2025-07-21" <= later.range_start <= later.range_end <= "2025-07-27"


QUOTED = re.compile(r"\u201c([^\u201d]+)\u201d")


def _quoted_on_line(lines, number):
    """The passages inside curly quotation marks on a (1-based) line of the seed, found at run time."""
    return [m.group(1) for m in QUOTED.finditer(lines[number - 1])]


def _quotes_covering(an, passage):
    text = an.article.text
    start = text.index(passage)
    end = start + len(passage)
    return [q for q in an.attributions if q.content.start <= start + 1 and q.content.end >= end - 1]


def test_zelensky_quotes(seed):
    lines, an = seed
    passages = _quoted_on_line(lines, 6) + _quoted_on_line(lines, 7)
    assert len(passages) == 4
    for passage in passages:
        qs = _quotes_covering(an, passage)
        assert any(q.speaker and "Zelensky" in q.speaker for q in qs), passage


def test_kremlin_quote_through_it(seed):
    lines, an = seed
    (passage,) = _quoted_on_line(lines, 4)
    qs = _quotes_covering(an, passage)
    assert any(q.speaker and "Kremlin" in q.speaker for q in qs)


def test_tass_anonymous_source(seed):
    lines, an = seed
    passage = _quoted_on_line(lines, 2)[0]
    qs = _quotes_covering(an, passage)
    assert any(q.source_type == "anonymous" and q.channel and "TASS" in q.channel for q in qs)


def _actor(an, name):
    for a in an.actors:
        if name in a.name or any(name in m.text for m in a.mentions):
            return a
    raise AssertionError(f"no actor {name}")


@pytest.mark.parametrize("name,country,sector", [
    ("Zelensky", "UKR", "GOV"), ("Putin", "RUS", "GOV"), ("Trump", "USA", "GOV"),
    ("Kremlin", "RUS", "GOV"), ("TASS", "RUS", "JRN"),
])
def test_actors(seed, name, country, sector):
    _, an = seed
    a = _actor(an, name)
    assert (a.country, a.sector) == (country, sector)


def _countries(parts):
    return {p.country for p in parts}


def test_earlier_rounds_happened_on_their_own_dates(seed):
    _, an = seed
    consult = [e for e in an.events if e.type == "CONSULT" and e.status == "happened"]
    dates = {e.date.value for e in consult}
    assert {"2025-05-16", "2025-06-02"} <= dates
    for e in consult:
        if e.date.value in ("2025-05-16", "2025-06-02"):
            assert {"RUS", "UKR"} <= _countries(e.actors) | _countries(e.recipients)
            assert e.date.basis != "publication"


def test_possible_third_round_is_one_attributed_event(seed):
    _, an = seed
    possible = [e for e in an.events if e.type == "CONSULT" and e.status == "possible"]
    assert len(possible) == 1, [(e.anchor, e.date.value) for e in possible]
    ev = possible[0]
    assert ev.date.start and "2025-07-21" <= ev.date.start <= ev.date.end <= "2025-07-27"
    assert len(ev.evidence) >= 2
    assert len(ev.attributions) >= 2
    assert ev.location is not None and ev.location.country == "TUR"


def test_trump_threat_with_deadline(seed):
    _, an = seed
    threats = [e for e in an.events if e.type == "THREATEN"]
    assert threats
    ev = threats[0]
    assert "USA" in _countries(ev.actors)
    assert "RUS" in _countries(ev.recipients)
    assert ev.date.value == "2025-07-14" or (ev.date.start and ev.date.start <= "2025-07-14" <= ev.date.end)
    assert ev.deadline is not None and "2025-09-02" in (ev.deadline.value, ev.deadline.end)


def test_invasion_dated_february_2022(seed):
    _, an = seed
    assaults = [e for e in an.events if e.type == "ASSAULT"]
    assert any(e.date.value == "2022-02" for e in assaults)


def test_no_event_dated_by_publication(seed):
    _, an = seed
    for e in an.events:
        if e.date.basis == "publication":
            assert e.date.precision == "unknown"
