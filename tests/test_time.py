"""Tests of the time stage: each rule family on invented sentences, and the seed read at run time."""

from __future__ import annotations

import pytest

from storyline.bench.common import shared_data
from storyline.model import Article
from storyline.time import NO_DCT_NOTE, annotate, tag

SEED = "seed/moscow-times-third-round.txt"


def one(text: str, dct: str | None = "2024-03-13", doc=None, which: str | None = None):
    found = tag(text, dct, doc)
    if which is not None:
        found = [t for t in found if t.text == which]
    assert len(found) == 1, [(t.text, t.value) for t in tag(text, dct, doc)]
    t = found[0]
    assert text[t.start:t.end] == t.text
    return t


# -------------------------------------------------------------- weekdays, both directions (DCT: Wed 2024-03-13)

def test_weekday_past_from_past_tense():
    assert one("The minister said on Tuesday that talks had stalled.").value == "2024-03-12"
    assert one("The envoy arrived in the capital on Friday.").value == "2024-03-08"


def test_weekday_future_from_future_tense():
    assert one("The two leaders will meet on Friday in Vienna.").value == "2024-03-15"
    assert one("Negotiators are expected to resume work on Monday.").value == "2024-03-18"


def test_weekday_same_as_dct_is_the_dct():
    t = one("Officials confirmed the deal on Wednesday.")
    assert t.value == "2024-03-13" and t.direction == "present"


def test_weekday_last_and_next():
    assert one("The vote was held last Thursday.").value == "2024-03-07"
    assert one("A decision is due next Monday.").value == "2024-03-18"


def test_weekday_direction_from_spacy_doc():
    from storyline.nlp import load
    try:
        nlp = load()
    except Exception as exc:  # the model is a declared dependency; say so if it is missing
        pytest.skip(f"spaCy model unavailable: {exc}")
    past = "The committee approved the budget on Thursday."
    fut = "The committee will approve the budget on Thursday."
    assert one(past, doc=nlp(past)).value == "2024-03-07"
    assert one(fut, doc=nlp(fut)).value == "2024-03-14"


def test_weekday_named_again_is_the_same_day():
    text = ("The envoys will meet on Friday. An aide said Friday was the only date both sides accepted.")
    found = tag(text, "2024-03-13")
    assert [t.value for t in found] == ["2024-03-15", "2024-03-15"]


def test_weekday_with_part_of_day_is_a_time():
    t = one("Protesters gathered on Saturday night outside the embassy.")
    assert t.type == "TIME" and t.value == "2024-03-09TNI"


# -------------------------------------------------------------- month/day without a year, across a year boundary

def test_month_day_past_across_new_year():
    # published early January: a December date narrated in the past is last year's
    t = one("The ceasefire collapsed on December 28 after heavy shelling.", dct="2025-01-06")
    assert t.value == "2024-12-28"


def test_month_day_future_across_new_year():
    t = one("The summit will open on January 9 in Oslo.", dct="2024-12-20")
    assert t.value == "2025-01-09"


def test_month_day_year_and_month_year():
    assert one("The accord was signed on Oct. 3, 2019, in Minsk.").value == "2019-10-03"
    assert one("The pipeline opened in September 2011.").value == "2011-09"
    assert one("Parliament met on 4 November 2020.").value == "2020-11-04"


def test_bare_month_and_modal_may():
    assert one("The talks collapsed in February.").value == "2024-02"
    assert tag("Officials may decide to extend the mandate.", "2024-03-13") == []


# -------------------------------------------------------------- last / next / this

def test_bare_month_without_tense_cue_looks_back_unless_it_is_next():
    # DCT 2024-03-13; no tense cue near the month
    assert one("Shares of the chain traded at $12 in January against $9 in October.", which="October").value == "2023-10"
    assert one("Results for the period are out in mid-April.").value == "2024-04"
    # irregular past-tense verbs count as past cues
    assert one("The group bought the refinery in April.").value == "2023-04"


def test_month_after_by_until_since():
    # DCT 2024-03-13
    assert one("The lenders extended the credit line until January.").value == "2025-01"
    assert one("The firm must repay the loan by February, its bankers said.").value == "2025-02"
    assert one("Output has doubled since May.").value == "2023-05"


def test_last_month_name_just_ended_is_a_year_back():
    # "last February" written in March: not the month just ended ("last month") but the one before
    assert one("Two ferries sank last February.").value == "2023-02"
    assert one("Two ferries sank last January.").value == "2024-01"
    assert one("Two ferries sank last March.").value == "2023-03"


def test_present_tense_schedule_verbs_and_is_to_read_forward():
    # DCT Wed 2024-03-13
    assert one("The two foreign ministers meet separately Monday in Geneva.").value == "2024-03-18"
    assert one("The exchange is to reopen Tuesday.").value == "2024-03-19"


def test_the_future_of_a_thing_is_not_a_time():
    assert tag("Delegates argued about the future of the alliance.", "2024-03-13") == []
    assert one("Prices will rise in the future.").value == "FUTURE_REF"


def test_intent_verbs_and_as_soon_as_read_forward():
    # DCT Wed 2024-03-13: "planned" ends in -ed but points ahead
    assert one("Farmers said they were planning to march on the capital on Saturday.").value == "2024-03-16"
    assert one("Officials said they did not plan to close the border on Saturday.").value == "2024-03-16"
    assert one("Unions announced they intended to strike on Monday.").value == "2024-03-18"
    assert one("The crew said it was ready to sail as soon as Monday.").value == "2024-03-18"


def test_clock_time_ending_a_sentence_leaves_the_full_stop_out():
    t = one("The blast came at 10 p.m. Nobody was hurt.")
    assert (t.text, t.value) == ("10 p.m", "2024-03-13T22:00")
    assert one("They met at 9 a.m. on the pier.", which="9 a.m.").text == "9 a.m."


def test_second_day_of_a_coordinated_pair():
    found = [(t.text, t.value) for t in tag("Leaders meet in Geneva on April 24 and 25.", "2024-03-13")]
    assert found == [("April 24", "2024-04-24"), ("25", "2024-04-25")]
    assert [t.text for t in tag("April 24 and 25 delegates came.", "2024-03-13")] == ["April 24"]


def test_capitalised_month_after_the_and_election_day():
    assert one("The March accession will follow.").value == "2024-03"
    assert tag("Protesters joined the march downtown.", "2024-03-13") == []
    assert one("Polls close on Election Day, officials said.").value == "2024-11-05"


def test_last_before_a_month_and_day_keeps_the_day():
    t = one("The doctor was shot last Oct. 23 at his home.")
    assert (t.text, t.value) == ("Oct. 23", "2023-10-23")


def test_the_year_is_the_current_one_unless_it_ended_on_a_date():
    t = one("For the year, shipments were flat.")
    assert (t.type, t.value) == ("DATE", "2024")
    t = one("Revenue for the year ended June 30 rose 4%.", which="the year")
    assert (t.type, t.value) == ("DURATION", "P1Y")
    assert one("The index lost 2% over the week's trading.").value == "2024-W11"


def test_last_next_this_units():
    assert one("Exports fell sharply last year.").value == "2023"
    assert one("Elections are planned for next year.").value == "2025"
    assert one("Prices rose this month.").value == "2024-03"
    assert one("The envoy travelled to Baku last week.").value == "2024-W10"
    assert one("The report is due next week.").value == "2024-W12"


def test_later_this_week_is_a_range_after_the_dct():
    t = one("The delegations could meet later this week.")
    assert t.value == "2024-W11"
    assert t.range_start == "2024-03-14" and t.range_end == "2024-03-17"


def test_deictic_words():
    assert one("The strike began yesterday.").value == "2024-03-12"
    assert one("A vote is planned for tomorrow.").value == "2024-03-14"
    assert one("Shops are shut now.").value == "PRESENT_REF"


def test_ago_and_earlier():
    assert one("The treaty expired three years ago.").value == "2021"
    assert one("The border was closed two weeks ago.").value == "2024-W09"
    t = tag("Sales rose in the third quarter, compared with a loss a year earlier.", "1999-10-20")
    assert [x.value for x in t] == ["1999-Q3", "1998-Q3"]


# -------------------------------------------------------------- quarters and seasons

def test_quarters():
    assert one("Profit rose in the third quarter.", dct="2019-10-25").value == "2019-Q3"
    assert one("Fourth-quarter revenue will be lower.", dct="2019-10-25").value == "2019-Q4"
    assert one("The first quarter of 2017 was weak.").value == "2017-Q1"
    assert one("Output fell in the second half of 2022.").value == "2022-H2"


def test_seasons():
    assert one("Fighting intensified last summer.", dct="2024-10-02").value == "2024-SU"
    assert one("The dam will be finished next spring.", dct="2024-10-02").value == "2025-SP"
    assert one("The offensive began in the winter of 1942.").value == "1942-WI"
    assert one("Talks resume in early autumn 2026.").mod == "START"


def test_decades_and_centuries():
    assert one("The dispute dates back to the 1990s.").value == "199"
    assert one("The fortress was built in the 11th century.").value == "10"


# -------------------------------------------------------------- durations

def test_spelled_decades():
    assert one("Membership fell through the nineties.", dct="1998-05-01").value == "199"
    assert one("Songs of the nineteen-sixties filled the hall.", dct="1998-05-01").value == "196"
    assert tag("She is in her forties.", "1998-05-01") == []


def test_durations():
    assert one("The siege lasted 18 months.").value == "P18M"
    assert one("He served for nearly three years.").value == "P3Y"
    assert one("He served for nearly three years.").mod == "LESS_THAN"
    assert one("The talks ran for two and a half hours.", which="two and a half hours").value == "PT2H30M"
    assert one("The drought has lasted several years.").value == "PXY"
    assert one("It was a five-year plan.").value == "P5Y"
    assert one("Traffic stopped for twenty-four hours.").value == "P24H".replace("P", "PT")


def test_duration_ranges_fractions_and_or_so():
    t = one("Repairs will take two to three weeks, the ministry said.")
    assert (t.text, t.type, t.value) == ("two to three weeks", "DURATION", "PXW")
    assert one("The strike lasted 4 1/2 years.").value == "P4Y6M"
    assert one("The vote took a minute and a half.").value == "PT1M30S"
    assert one("The talks went on for an hour and a half.").value == "PT1H30M"
    t = one("Prices should hold over the next three years or so.")
    assert (t.text, t.value, t.mod) == ("the next three years or so", "P3Y", "APPROX")
    t = one("The plant may stay shut for six months or more.")
    assert (t.text, t.mod) == ("six months or more", "EQUAL_OR_MORE")
    assert one("The fighting could drag on for weeks or months.").text == "weeks or months"
    assert one("The envoy arrived a week or so ago.").text == "a week or so ago"


def test_bare_plural_units_before_of_and_the_first_hours():
    t = one("The accord follows months of bargaining.")
    assert (t.text, t.type, t.value) == ("months", "DURATION", "PXM")
    t = one("Dozens were detained in the first hours of the protest.")
    assert (t.text, t.value) == ("the first hours", "PTXH")


def test_article_before_hyphenated_adjective_is_left_out():
    t = one("The army began the eight-year program.")
    assert (t.text, t.value) == ("eight-year", "P8Y")
    assert one("They discussed the third-quarter results.", dct="2019-10-25").text == "third-quarter"


def test_this_past_and_approximate_dates():
    assert one("It began this past spring.", dct="2024-10-13").value == "2024-SP"
    t = one("The vote is due around Nov. 1.", dct="2024-10-13")
    assert (t.text, t.value, t.mod) == ("around Nov. 1", "2024-11-01", "APPROX")


def test_ages_are_not_times():
    assert tag("The 52 years old minister resigned.", "2024-03-13") == []


def test_a_second_round_is_not_a_duration():
    assert tag("A second round of talks began.", "2024-03-13") == []


# -------------------------------------------------------------- sets

def test_sets():
    t = one("The council meets every week.")
    assert (t.type, t.value, t.quant) == ("SET", "P1W", "EVERY")
    t = one("The ferry sails twice a day.")
    assert (t.type, t.value, t.freq) == ("SET", "P1D", "2X")
    assert one("The envoy visits three times a year.").freq == "3X"
    # a rate is not a time (TimeBank marks neither "$5 million a year" nor "8% annually")
    assert tag("Inflation reached 9 percent a year.", "2024-03-13") == []
    assert one("Markets open daily.").value == "P1D"
    assert one("The clinic is closed on Sundays.").value == "XXXX-WXX-7"


# -------------------------------------------------------------- alternatives and intervals

def test_alternatives_two_timexes_each_listing_both():
    found = tag("The envoys may meet on Tuesday or Wednesday next week.", "2024-03-11")
    days = [t for t in found if t.text in ("Tuesday", "Wednesday")]
    assert [t.value for t in days] == ["2024-03-12", "2024-03-13"]
    assert days[0].alternatives == ["2024-03-12", "2024-03-13"]
    assert days[1].alternatives == ["2024-03-13", "2024-03-12"]


def test_between_interval():
    found = tag("Rounds were held between April 3 and May 20.", "2024-06-01")
    assert [t.value for t in found] == ["2024-04-03", "2024-05-20"]
    assert all((t.range_start, t.range_end) == ("2024-04-03", "2024-05-20") for t in found)


def test_in_the_coming_days_is_a_future_range():
    t = one("A decision is expected in the coming days.")
    assert (t.type, t.value, t.direction) == ("DURATION", "PXD", "future")
    assert t.range_start == "2024-03-14" and t.range_end > t.range_start


# -------------------------------------------------------------- derived dates

def test_deadline_from_the_dct():
    t = one("The rebels must withdraw within 30 days, the council said.")
    assert t.value == "P30D"
    assert (t.derived_relation, t.derived_value) == ("deadline", "2024-04-12")


def test_reference_and_deadline_chain():
    text = ("The strike began ten days after the union issued an ultimatum demanding a raise in 20 days.")
    found = tag(text, "2024-03-13")
    ten, twenty = found
    assert (ten.value, ten.derived_relation, ten.derived_value) == ("P10D", "reference", "2024-03-03")
    assert (twenty.derived_relation, twenty.derived_value, twenty.derived_from) == ("deadline", "2024-03-23",
                                                                                   ten.id)


def test_n_days_later_is_a_duration_with_a_derived_date():
    found = tag("The truce was signed on May 2. Three days later it collapsed.", "2024-06-01")
    later = found[1]
    assert (later.text, later.type, later.value) == ("Three days", "DURATION", "P3D")
    assert (later.derived_relation, later.derived_value, later.derived_from) == ("after", "2024-05-05", found[0].id)


def test_after_anchored_on_a_date_in_the_sentence():
    t = tag("On March 1 the army moved in, two days after the vote.", "2024-03-13")
    assert t[1].derived_value == "2024-02-28" and t[1].derived_from == t[0].id


def test_next_week_counted_from_a_past_day_in_the_sentence():
    t = tag("The president said on Friday that talks would resume in the coming week.", "2024-03-13")
    assert [x.value for x in t] == ["2024-03-08", "2024-W11"]


# -------------------------------------------------------------- no DCT, offsets, bad input

def test_without_dct_values_are_underspecified():
    found = tag("The talks ended on July 21 and resume next week.", None)
    assert found[0].value == "XXXX-07-21" and not found[0].resolved
    assert found[1].resolved is False


def test_annotate_without_publication_date_adds_note():
    art = Article(id="a", document_id="a", text="The meeting was held yesterday.")
    found = annotate(art, None)
    assert NO_DCT_NOTE in art.notes and len(found) == 1 and not found[0].resolved
    annotate(art, None)
    assert art.notes.count(NO_DCT_NOTE) == 1


def test_annotate_with_datetime_publication():
    art = Article(id="a", document_id="a", text="Shelling resumed this morning.",
                  published="2024-03-13T08:30:00+02:00")
    (t,) = annotate(art, None)
    assert (t.type, t.value) == ("TIME", "2024-03-13TMO")


def test_offsets_and_ids():
    text = "On Monday, and again in June 2023, the envoy visited."
    found = tag(text, "2024-03-13")
    assert [t.id for t in found] == ["t1", "t2"]
    for t in found:
        assert text[t.start:t.end] == t.text


# -------------------------------------------------------------- session 2: span and sense conventions

def test_set_adjective_after_a_possessive_is_a_set():
    t = one("The mayor spoke about it in her weekly podcast.")
    assert (t.text, t.type, t.value) == ("weekly", "SET", "P1W")
    assert one("Farmers describe the hardship of their daily routine.").value == "P1D"
    assert one("Inflation figures are now released monthly.", which="monthly").value == "P1M"


def test_set_word_naming_a_newspaper_is_not_a_set():
    assert [t.text for t in tag("The party daily Pravda printed the speech.", "2024-03-13")] == []
    assert [t.text for t in tag("Shares rose on average daily volume.", "2024-03-13")] == []


def test_today_possessive_with_generic_noun_is_the_era():
    assert tag("Parents worry about the pressures of today's teenagers.", "2024-03-13") == []
    assert tag("That rule makes no sense in today's economy.", "2024-03-13") == []
    t = one("The offer appears in today's edition of the paper.")
    assert t.value == "2024-03-13"


def test_sentence_initial_now_comma_is_a_discourse_marker():
    assert tag("Sales collapsed. Now, the chairman says, a recovery is near.", "2024-03-13") == []
    t = one("Sales collapsed. Now the chairman expects a recovery.")
    assert t.value == "PRESENT_REF"
    assert one("The company now owns a third of the shares.").value == "PRESENT_REF"


def test_the_night_of_a_date_is_not_tonight():
    found = tag("He came home on the night of Friday, March 8.", "2024-03-13")
    assert [t.text for t in found] == ["Friday, March 8"]
    assert found[0].value == "2024-03-08"
    assert tag("They recalled the night the bridge collapsed.", "2024-03-13") == []
    assert one("Rain fell in the morning.").value == "2024-03-13TMO"


def test_early_hours_of_a_day_is_not_a_duration():
    found = tag("Police raided the flat in the early hours of Thursday.", "2024-03-13")
    assert [(t.text, t.type) for t in found] == [("Thursday", "DATE")]


def test_holiday_week_and_nearest_holiday():
    # DCT Monday 2024-03-25; Easter Sunday 2024 fell on March 31
    t = one("Pilgrims filled the city during Easter week.", dct="2024-03-25")
    assert (t.text, t.value) == ("Easter week", "2024-W13")
    assert one("Shops stayed closed for Easter.", dct="2024-03-25").value == "2024-03-31"
    # far from the DCT, the tense still decides
    assert one("The shop was closed at Christmas.", dct="2024-06-10").value == "2023-12-25"


def test_the_weeks_ahead_is_a_future_stretch():
    t = one("Traders expect more volatility in the weeks ahead.")
    assert (t.text, t.type, t.value, t.direction) == ("the weeks ahead", "DURATION", "PXW", "future")
    assert t.range_start == "2024-03-14"


def test_fronted_weekday_takes_the_tense_of_the_clause_after_the_comma():
    # DCT Wed 2024-03-13: "On Friday, X plans to ..." is the coming Friday; "On Friday, X said" the last one
    assert one("On Friday, the union plans to hold a rally downtown.").value == "2024-03-15"
    assert one("On Friday, the union said it would hold a rally.").value == "2024-03-08"


def test_coordinated_clause_does_not_decide_the_direction():
    # the second verb ("were") governs its own clause, not "on Monday" in the first one
    t = one("Farmers will block the highway on Monday and were joined by drivers last year.", which="Monday")
    assert t.value == "2024-03-18"


def test_passive_participle_after_be_is_not_a_past_tense():
    # DCT 2024-03-13: "will be appointed ... in November" and "would be hired in January" look forward
    assert one("The new harbour master will be appointed by the council in November.").value == "2024-11"
    t = one("Officials said an unnamed contractor would be hired in January to repair the pier.")
    assert t.value == "2025-01"
    # an adjective in un-...-ed is no past tense either; a real past participle after "been" still is
    assert one("The prize was awarded in November.").value == "2023-11"


def test_spelled_years_with_a_month_or_a_season():
    # broadcast transcripts spell years out; the month or season joins them as one expression
    t = one("Floods hit the valley in the winter of nineteen eighty-two.")
    assert (t.text, t.value) == ("the winter of nineteen eighty-two", "1982-WI")
    t = one("The museum reopened in October two thousand and three.")
    assert (t.text, t.value) == ("October two thousand and three", "2003-10")


def test_bad_dct_is_a_clear_error():
    with pytest.raises(ValueError, match="not an ISO date"):
        tag("On Monday.", "next tuesday-ish")


# -------------------------------------------------------------- the seed, read at run time

@pytest.fixture(scope="module")
def seed_text():
    root = shared_data()
    if root is None or not (root / SEED).exists():
        pytest.skip("../shared/data/seed is absent: seed time checks not run")
    lines = (root / SEED).read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[:10]), "\n".join(lines[10:])


def _find(found, text, phrase):
    hits = [t for t in found if phrase.lower() in text[max(0, t.start - 12):t.end].lower()]
    assert hits, (phrase, [(t.text, t.value) for t in found])
    return hits[0]


@pytest.mark.parametrize("use_doc", [False, True])
def test_seed(seed_text, use_doc):
    text, appeal = seed_text
    doc = None
    if use_doc:
        from storyline.nlp import load
        doc = load()(text)
    found = tag(text, "2025-07-21", doc)
    values = {t.text.lower(): t for t in found}
    mondays = [t for t in found if t.text == "Monday"]
    assert mondays and all(t.value == "2025-07-21" for t in mondays)
    thu, fri = values["thursday"], values["friday"]
    assert (thu.value, fri.value) == ("2025-07-24", "2025-07-25")
    assert set(thu.alternatives) == set(fri.alternatives) == {"2025-07-24", "2025-07-25"}
    assert values["saturday"].value == "2025-07-19"
    assert values["may 16"].value == "2025-05-16"
    assert values["june 2"].value == "2025-06-02"
    assert values["february 2022"].value == "2022-02"
    assert values["this year"].value == "2025"
    later = values["later this week"]
    assert "2025-07-21" <= later.range_start <= later.range_end <= "2025-07-27"
    assert values["the upcoming week"].value == "2025-W30"
    week = _find(found, text, "a week")
    assert week.value == "P1W" and week.derived_value == "2025-07-14"
    fifty = values["50 days"]
    assert fifty.value == "P50D" and fifty.derived_value == "2025-09-02" and fifty.derived_relation == "deadline"
    # the tagger runs on the article text only; nothing it would find in the appeal is in the article
    assert all(t.end <= len(text) for t in found)


def test_extreme_dcts_do_not_crash():
    text = ("Talks resume next year, a week after the vote, within 30 days of last month's accord; "
            "two years ago the 1990s ended in the fourth quarter.")
    for dct in ("0001-01-01", "9999-12-31", "2024-02-29T23:59:00Z"):
        for t in tag(text, dct):
            assert text[t.start:t.end] == t.text


# -------------------------------------------------------------- session 4 rules (DCT: Wed 2024-03-13)

def test_longer_holiday_name_wins_over_its_prefix():
    assert one("The shops closed early on Christmas Eve.").value == "2023-12-24"
    assert one("The ferry does not sail on Easter Monday.", dct="2024-03-20").value == "2024-04-01"


def test_possessed_noun_after_a_weekday_is_not_a_verb_cue():
    # "vote" and "meets" are future cues as verbs; after "Friday's" they are nouns
    assert one("Friday's vote was called off by the speaker.").value == "2024-03-08"
    assert one("Friday's meet had been cancelled.").value == "2024-03-08"


def test_the_next_day_and_morning_follow_the_last_named_day():
    text = "The jury retired on Feb. 6. The next day it asked for a transcript."
    found = tag(text, "2024-03-13")
    assert [(t.text, t.value) for t in found] == [("Feb. 6", "2024-02-06"), ("The next day", "2024-02-07")]
    assert found[1].anchor == "reference"
    text = "Floods reached the town on Oct. 30, 2023. By the following morning the bridge had gone."
    assert tag(text, "2024-03-13")[-1].value == "2023-10-31TMO"
    # with no day named before, "the next day" is the day after publication
    assert one("Crews will return the next day.").value == "2024-03-14"


def test_the_next_day_moves_the_reference_on():
    text = "The strike began on Jan. 8. The next day ports closed. The following day the army was called in."
    assert [t.value for t in tag(text, "2024-03-13")] == ["2024-01-08", "2024-01-09", "2024-01-10"]


def test_ordinal_weekday_of_a_month():
    assert one("Members will choose a new chair on the second Sunday in June.").value == "2024-06-09"
    assert one("Rents are collected on the last Friday of the month.").value == "2024-03-29"
    assert one("The club reopens on the first Monday of next month.").value == "2024-04-01"


def test_day_and_week_inside_a_month():
    t = one("The contract ran out on the last day of February.")
    assert t.text == "the last day of February" and t.value == "2024-02-29"
    t = one("Engineers plan to finish during the first week of July.")
    assert (t.value, t.mod, t.range_start, t.range_end) == ("2024-07", "START", "2024-07-01", "2024-07-07")
    t = one("Ballots were counted in the last week of January.")
    assert (t.value, t.mod, t.range_start, t.range_end) == ("2024-01", "END", "2024-01-25", "2024-01-31")


def test_season_of_a_relative_year():
    t = one("The dam was finished in the autumn of last year.")
    assert (t.text, t.value) == ("the autumn of last year", "2023-FA")
    assert one("Trials resume in the summer of next year.").value == "2025-SU"


def test_end_of_the_decade_and_start_of_the_century():
    t = one("The end of the decade is the deadline for shutting the mine.")
    assert (t.value, t.mod) == ("202", "END")
    t = one("Steam trams ran here at the start of the century.")
    assert (t.value, t.mod) == ("20", "START")
    assert tag("Across the decade, output doubled.", "2024-03-13") == []


def test_two_digit_year_after_a_preposition():
    assert one("The orchard was planted in '87 by her father.").value == "1987"
    assert one("Tickets for the '26 final sold out.").value == "2026"
    assert tag("He shouted '87' at the referee.", "2024-03-13") == []


def test_until_alone_reads_forward_but_a_past_verb_outweighs_it():
    assert one("The road stays shut until Monday.").value == "2024-03-18"
    assert one("Troops held the bridge until Monday.").value == "2024-03-11"


def test_present_tense_of_a_scheduled_end_reads_forward():
    assert one("The exhibition, opened by the mayor, ends Saturday.").value == "2024-03-16"


def test_bare_plural_unit_before_later_or_ago():
    t = one("Hours later, the ferry was found.")
    assert (t.text, t.type, t.value) == ("Hours", "DURATION", "PTXH")
    t = one("The well ran dry decades ago.")
    assert (t.text, t.type, t.value) == ("decades ago", "DATE", "PAST_REF")


def test_coming_decades_is_a_future_stretch():
    t = one("Sea levels will keep rising in the coming decades.")
    assert (t.type, t.value, t.direction) == ("DURATION", "PXDE", "future")


def test_far_target_year_after_a_preposition():
    assert one("The port is to be rebuilt by 2075.").value == "2075"
    assert tag("The depot stores 2075 crates.", "2024-03-13") == []


def test_that_night_is_the_night_of_the_last_named_day():
    text = "The ferry sank on Feb. 2. That night divers searched the bay."
    assert tag(text, "2024-03-13")[-1].value == "2024-02-02TNI"


def test_explicit_future_reads_a_weekday_met_before_in_the_past_forward():
    text = "The envoy landed on Monday in Oslo. On Monday, he will also meet the king."
    assert [t.value for t in tag(text, "2024-03-13")] == ["2024-03-11", "2024-03-18"]
    # without an explicit future the second mention stays the same day
    text = "The envoy landed on Monday in Oslo. Aides could not say what he did Monday."
    assert [t.value for t in tag(text, "2024-03-13")] == ["2024-03-11", "2024-03-11"]


def test_a_short_place_name_ends_its_sentence_but_an_abbreviation_does_not():
    # "Peru." ends the first sentence, so "will" in the second does not decide for "Friday"
    text = "Crowds stood outside on Friday in Peru. Many will return."
    assert tag(text, "2024-03-13")[0].value == "2024-03-08"
    # "Gen." does not end a sentence: "will" still governs "Friday"
    assert one("Aides to Gen. Ortiz will meet on Friday.").value == "2024-03-15"


def test_weekday_naming_an_occasion_is_not_a_date():
    assert tag("Turnout surged on Super Tuesday across the south.", "2024-03-13") == []
    assert one("Stores opened early on Black Friday and on Sunday.", which="Sunday").value == "2024-03-10"


def test_a_cue_word_after_a_determiner_is_a_noun():
    # "plan" is a future cue as a verb; "his plan" is a noun and leaves the past verb to decide
    assert one("She mailed a memo to the board in June outlining her plan.").value == "2023-06"


def test_can_and_come_before_a_month_read_forward():
    assert one("Only a moderate can carry the state in November.").value == "2024-11"
    assert one("The fund runs dry come October, officials say.").value == "2024-10"
    # the participle "have come" well before the month is no cue (only "come" right before it is)
    assert one("Fewer tourists have come to the island in October.").value == "2023-10"


def test_negated_auxiliaries_are_cues():
    assert one("Relief funds wouldn't reach the region before September.").value == "2024-09"
    assert one("The mill wasn't running in May, workers recall.").value == "2023-05"


def test_through_a_month_with_a_past_perfect_looks_back():
    t = one("Through the end of October, the fund had spent half its budget.")
    assert (t.value, t.mod) == ("2023-10", "END")
    assert one("The fund will last through October.").value == "2024-10"


def test_capitalised_time_words_inside_names():
    assert tag("She edits a column for Farmers Weekly.", "2024-03-13") == []
    assert [t.text for t in tag("He joined 20th Century Studios in 1999.", "2024-03-13")] == ["1999"]


def test_the_same_day_after_a_year_is_a_day_of_that_year():
    text = "The dam burst in 1976. Rescuers arrived the same day."
    assert tag(text, "2024-03-13")[-1].value == "1976-XX-XX"


def test_titles_with_a_capitalised_part_of_day_are_not_times():
    assert tag("He hosted Sunday Night Baseball for years.", "2024-03-13")[0].text == "years"
    assert tag("The band Midnight Express toured Ohio.", "2024-03-13") == []
    assert one("Voting closed at midnight in Ohio.").value == "2024-03-13T24:00"


def test_mid_before_a_part_of_day():
    t = one("The rain set in at mid morning and did not stop.")
    assert (t.text, t.value, t.mod) == ("mid morning", "2024-03-13TMO", "MID")


def test_quarters_as_a_vague_stretch_and_fractions():
    t = one("Several quarters of weak demand left the mill short of cash.")
    assert (t.text, t.type, t.value) == ("Several quarters", "DURATION", "PXQ")
    assert one("Exports grew in recent quarters.").value == "PXQ"
    assert one("Future quarters should bring lower fuel bills, the airline says.").value == "FUTURE_REF"
    assert tag("Three quarters of the vote went to the mayor.", "2024-03-13") == []


def test_near_term_later_date_and_a_while():
    assert one("Prices should stay firm in the near term.").value == "FUTURE_REF"
    assert one("The second phase will be decided at a later date.").value == "FUTURE_REF"
    t = one("The valley will be cut off for a while.")
    assert (t.type, t.value) == ("DURATION", "PXX")
    assert tag("They meet once in a while for lunch.", "2024-03-13") == []


def test_additional_year_and_unit_long_adjectives():
    t = one("She stayed on as coach for an extra year.")
    assert (t.text, t.value) == ("an extra year", "P1Y")
    t = one("Dockers staged a week-long walkout.")
    assert (t.text, t.type, t.value) == ("week-long", "DURATION", "P1W")


def test_one_day_after_a_modal_is_someday():
    t = one("The valley could one day feed the whole province.")
    assert (t.type, t.value) == ("DATE", "FUTURE_REF")
    assert one("The repair took one day.").value == "P1D"


def test_programme_and_paper_names_are_not_dates():
    assert tag('The minister told NBC\'s "This Morning," that aid was coming.', "2024-03-13") == []
    assert tag("The poll ran in USA Today.", "2024-03-13") == []
    assert one("This morning, the minister spoke.").value == "2024-03-13TMO"


def test_year_ago_period_refers_to_the_quarter_reported_not_one_ahead():
    text = ("Bakery sales picked up over the third quarter, and the chain warned that the fourth quarter will be "
            "slower. The year-ago period had seen a small fall.")
    found = tag(text, "2024-11-05")
    assert [t.value for t in found] == ["2024-Q3", "2024-Q4", "2023-Q3"]


def test_modal_perfect_looks_back():
    assert one("The opening of Friday's gala could not have gone worse.").value == "2024-03-08"
    assert one("Without the storm, the race would have ended on Sunday.").value == "2024-03-10"
    assert one("The race could end on Sunday.").value == "2024-03-17"


def test_reporting_verb_reads_a_weekday_first_met_ahead_as_past():
    text = "The two leaders will meet on Friday. On Friday, the senator said talks were pointless."
    assert [t.value for t in tag(text, "2024-03-13")] == ["2024-03-15", "2024-03-08"]
    text = "The two leaders will meet on Friday. The senator said on Friday that talks were pointless."
    assert [t.value for t in tag(text, "2024-03-13")] == ["2024-03-15", "2024-03-08"]


def test_contracted_will_is_a_future_cue():
    assert one("We'll talk again on Friday in Lyon.").value == "2024-03-15"
    assert one("They’ll vote on the plan on Friday.").value == "2024-03-15"


def test_quarter_and_half_century():
    t = one("The judge served a quarter-century on the bench.")
    assert (t.type, t.value) == ("DURATION", "P25Y")
    t = one("The mill closed nearly half a century ago.")
    assert (t.type, t.value, t.mod) == ("DATE", "1974", "LESS_THAN")
