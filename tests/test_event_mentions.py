"""Event mentions within one article: merging (events/merge.py), the status cues it relies on, and
dates reached across a reporting clause (events/dating.py), on invented sentences."""

from datetime import date

import pytest

from storyline.pipeline import analyze_text

PUB = date(2025, 4, 10)


@pytest.fixture(scope="module")
def fishing():
    text = ("Norwegian and Swedish negotiators held talks on fishing quotas in Bergen on March 3. "
            "The talks broke up without agreement on cod, according to the ministry. "
            "A separate meeting also took place, a spokeswoman added.\n"
            "Norway's fisheries minister told reporters on Tuesday that a summit of the two governments was "
            "necessary before the season opens.\n")
    return text, analyze_text(text, published=PUB, outlet="Example Wire")


def _consults(analysis):
    return [e for e in analysis.events if e.type == "CONSULT"]


def test_definite_back_reference_joins_the_dated_meeting(fishing):
    text, a = fishing
    held = [e for e in _consults(a) if e.date.start == "2025-03-03"]
    assert len(held) == 1
    both = text.index("The talks broke up")
    assert any(s.start <= both < s.end for s in held[0].evidence)


def test_indefinite_mention_is_not_folded_into_a_meeting_that_already_happened(fishing):
    text, a = fishing
    held = [e for e in _consults(a) if e.date.start == "2025-03-03"][0]
    for phrase in ("A separate meeting", "a summit of"):
        at = text.index(phrase)
        assert not any(s.start <= at < s.end for s in held.evidence), phrase


def test_a_meeting_called_necessary_has_not_happened(fishing):
    text, a = fishing
    at = text.index("a summit of")
    hits = [e for e in a.events if any(s.start <= at < s.end for s in e.evidence)]
    assert hits, "the summit called necessary should be coded"
    assert all(e.status not in ("happened", "ongoing") for e in hits)


def test_a_date_across_the_reporting_clause_bounds_a_future_event_from_below(fishing):
    # told reporters on Tuesday that a summit was necessary: the summit comes after that Tuesday
    text, a = fishing
    at = text.index("a summit of")
    (ev,) = [e for e in a.events if any(s.start <= at < s.end for s in e.evidence)]
    assert ev.date.relation == "after" and ev.date.start == "2025-04-08" and ev.date.end is None


def test_a_date_across_the_reporting_clause_bounds_a_past_event_from_above():
    text = "Chile's foreign minister said on Monday that Chile had expelled two Peruvian diplomats.\n"
    a = analyze_text(text, published=PUB, outlet="Example Wire")
    (ev,) = [e for e in a.events if e.anchor.startswith("expel")]
    assert ev.status == "happened"
    assert ev.date.relation == "on or before" and ev.date.end == "2025-04-07" and ev.date.start is None


@pytest.fixture(scope="module")
def border():
    text = ("Kenya and Tanzania agreed on Monday to reopen the Namanga border crossing, officials said. "
            "At the same meeting in Arusha on Monday, the two countries also agreed on a joint customs post.\n"
            "Asked about the trade treaty, Kenya's trade minister declined to give a date.\n")
    return text, analyze_text(text, published=date(2025, 6, 4), outlet="Example Wire")


def test_two_agreements_about_different_things_stay_two_events(border):
    text, a = border
    agreed = [e for e in a.events if e.type == "AGREE"]
    firsts = sorted(min(s.start for s in e.evidence) for e in agreed)
    assert firsts == [0, text.index("At the same meeting")]


def test_a_bare_treaty_mention_is_not_evidence_of_an_agreement(border):
    text, a = border
    at = text.index("Asked about")
    for e in a.events:
        if e.type in ("AGREE", "SUPPORT"):
            assert not any(s.start <= at < s.end for s in e.evidence)


def test_an_undated_event_still_to_come_is_bounded_from_below_by_the_publication_day():
    text = "The foreign ministers of Kenya and Tanzania will meet to discuss the border, officials said.\n"
    a = analyze_text(text, published=date(2025, 6, 4), outlet="Example Wire")
    (ev,) = [e for e in a.events if e.type == "CONSULT"]
    assert ev.status == "planned"
    assert (ev.date.basis, ev.date.relation, ev.date.start, ev.date.end) == \
        ("publication", "on or after", "2025-06-04", None)
    done = analyze_text("The foreign ministers of Kenya and Tanzania met to discuss the border.\n",
                        published=date(2025, 6, 4), outlet="Example Wire")
    (ev,) = [e for e in done.events if e.type == "CONSULT"]
    assert (ev.date.relation, ev.date.start, ev.date.end) == ("on or before", None, "2025-06-04")


def test_an_intent_is_not_dated_by_the_act_it_intends():
    text = "A Kenyan government official said on Monday that Nairobi was ready to meet Tanzania any day next week.\n"
    a = analyze_text(text, published=date(2025, 6, 4), outlet="Example Wire")
    intents = [e for e in a.events if e.type == "AGREE"]
    assert intents and all(e.status == "happened" for e in intents)
    for e in intents:
        assert e.date.start is None or e.date.start <= "2025-06-04"


def test_a_numbered_round_of_a_series_is_its_own_meeting_between_the_sides_last_named():
    text = ("Kenyan and Tanzanian officials held border talks in Arusha on 3 March. "
            "The second round, held in Mombasa on 9 April, ended without a deal.\n")
    a = analyze_text(text, published=date(2025, 4, 20), outlet="Example Wire")
    meetings = {e.date.start: e for e in a.events if e.type == "CONSULT"}
    assert {"2025-03-03", "2025-04-09"} <= set(meetings)
    second = meetings["2025-04-09"]
    assert {x.country for x in second.actors + second.recipients} == {"KEN", "TZA"}
    assert second.location is not None and second.location.name == "Mombasa"
    assert all(s.start >= text.index("The second round") for s in second.evidence)


def test_a_round_is_a_meeting_only_when_it_is_one():
    drills = analyze_text("The Kenyan and Tanzanian navies will hold a fresh round of live-fire drills off "
                          "Zanzibar next month.\n", published=date(2025, 4, 20), outlet="Example Wire")
    assert not [e for e in drills.events if e.type == "CONSULT"]
    talks = analyze_text("Kenyan and Tanzanian officials held a second round in Mombasa on Monday.\n",
                         published=date(2025, 4, 20), outlet="Example Wire")
    assert [e for e in talks.events if e.type == "CONSULT"]


def test_an_undated_plain_indefinite_joins_a_planned_meeting_only_when_it_numbers_the_same_episode():
    text = ("Kenyan and Tanzanian negotiators plan to open a fifth round of talks in Arusha on Friday. "
            "Diplomats said a presidential summit could follow.\n"
            "The shilling rallied on word that a fifth round of talks may be near.\n")
    a = analyze_text(text, published=date(2025, 6, 2), outlet="Example Wire")
    (planned,) = [e for e in a.events if e.type == "CONSULT" and e.date.start == "2025-06-06"]
    inside = lambda phrase: any(s.start <= text.index(phrase) < s.end for s in planned.evidence)  # noqa: E731
    assert inside("The shilling rallied")
    assert not inside("Diplomats said a presidential")


def test_such_a_meeting_points_back():
    text = ("Chilean and Peruvian officials will meet in Arica on Friday, the ministry said. "
            "Fishermen in Tacna hope such a meeting could ease the row over anchovy quotas.\n")
    a = analyze_text(text, published=date(2025, 6, 4), outlet="Example Wire")
    (planned,) = [e for e in a.events if e.type == "CONSULT" and e.date.start == "2025-06-06"]
    assert any(s.start <= text.index("Fishermen in Tacna") < s.end for s in planned.evidence)


def test_a_coordinated_clause_is_an_act_of_its_own():
    text = ("Kenyan and Tanzanian officials first met in Arusha on 3 March and held a second round in Mombasa "
            "on 9 April.\n")
    a = analyze_text(text, published=date(2025, 4, 20), outlet="Example Wire")
    where = {e.date.start: (e.location.name if e.location else None) for e in a.events if e.type == "CONSULT"}
    assert where == {"2025-03-03": "Arusha", "2025-04-09": "Mombasa"}
