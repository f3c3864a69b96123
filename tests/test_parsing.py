"""Reading one hand-typed cell: the one date reader, the one choice reader, counts."""
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from organising.cells import CellProblem, ChoiceReader, DateReader, choice_key, clean_text, parse_count
from organising.config import load_config
from organising.forms.spec import OTHER, Choice

JUNE_8 = dt.date(2021, 6, 8)
UK = DateReader("en_GB", "Europe/London")
US = DateReader("en_US", "America/New_York")
FORMS = load_config().forms
YES_NO = FORMS["listening"].field("potential_leader").reader


@pytest.mark.parametrize("cell", ["8/6/2021", "08/06/21", "8.6.2021", "8-6-2021", "8 June 2021", "8th June 2021",
                                  "June 8, 2021", "8 Jun 21", "08-Jun-21", "2021-06-08", "2021-06-08T10:00:00Z",
                                  "2021-06-08 10:00", "Tue 8 June 2021", " 8/6/2021 ", 44355, 44355.5, "44355",
                                  dt.date(2021, 6, 8), dt.datetime(2021, 6, 8, 9, 30), "8th of June 2021",
                                  "2021/06/08", "Tuesday, 8 June 2021"])
def test_dates_people_type_are_read_day_first(cell):
    assert UK.read(cell).value == JUNE_8


@pytest.mark.parametrize("cell", [
    "08/06/2021 14:03:22",          # Google Forms' Timestamp in a UK sheet
    "8/6/2021 9:05:00",             # a Sheets date-time cell as shown
    "8/6/2021 21:05", "08.06.2021 14:03", "8-6-21 14:03:22", "8/6/2021 2:03:22 PM", "8 June 2021 14:03",
    "2021-06-08T14:03:22", "2021-06-08T14:03:22.125+01:00", "2021-06-08 14:03:22 +0100",
    "44355.585",                    # a serial number with the time as its fraction
])
def test_date_times_as_forms_sheets_and_other_tools_write_them(cell):
    assert UK.read(cell).value == JUNE_8


def test_a_time_with_an_offset_is_the_date_in_the_alliances_time_zone():
    assert UK.read("2021-06-08T23:30:00Z").value == dt.date(2021, 6, 9)          # 00:30 in London (BST)
    assert UK.read("2021-12-08T23:30:00Z").value == dt.date(2021, 12, 8)         # 23:30 in London (GMT)
    assert UK.read(dt.datetime(2021, 6, 8, 23, 30, tzinfo=dt.timezone.utc)).value == dt.date(2021, 6, 9)
    assert US.read("2021-06-08T02:00:00Z").value == dt.date(2021, 6, 7)          # 22:00 the day before in New York
    assert UK.read("2021-06-08T23:30:00").value == JUNE_8                       # no offset: already local


def test_the_day_and_month_order_comes_from_the_locale_never_from_the_row():
    assert US.read("6/8/2021").value == JUNE_8 and US.read("6/8/2021 14:03:22").value == JUNE_8
    assert "not a real date" in US.read("13/6/2021").problem   # never swapped to make it fit
    assert "not a real date" in UK.read("6/13/2021").problem
    assert US.read("8 June 2021").value == JUNE_8 and US.read("2021-06-08").value == JUNE_8  # unambiguous anyway
    canada = DateReader("en_CA", "America/Toronto")           # year first: 8/6/21 cannot be read without guessing
    assert canada.read("2021-06-08").value == JUNE_8 and "type it as 2021-06-08" in canada.read("8/6/2021").problem
    assert (UK.order, US.order, canada.order) == ("dmy", "mdy", "ymd")


def test_month_names_in_the_locales_language_as_well_as_english():
    assert DateReader("fr_FR", "Europe/Paris").read("8 juin 2021").value == JUNE_8
    assert DateReader("de_DE", "Europe/Berlin").read("8. Juni 2021").value == JUNE_8
    assert DateReader("cy_GB", "Europe/London").read("8 Mehefin 2021").value == JUNE_8
    assert "not a date" in UK.read("8 juin 2021").problem


@pytest.mark.parametrize("cell, reason", [
    ("31/02/2021", "not a real date"), ("13/13/2021", "not a real date"), ("next Tuesday", "not a date"),
    ("8/6", "not a date"), (12, "a number, not a date"), (True, "not a date"), ("Smarch 8 2021", "not a date"),
    ("8/6/2021 25:00", "not a real time"), ("8/6/2021 9:75", "not a real time"), ("June 2021", "not a date"),
    ("8/6/021", "not a date"), ("Funday 8 June 2021", "not a date"), ("2021-06-08T10:00:00+25:00", "not a real"),
    ("June 8 21", "not a date"),  # is 21 the day or the year?
])
def test_unreadable_dates_are_problems_with_reasons(cell, reason):
    parsed = UK.read(cell)
    assert parsed.value is None and reason in parsed.problem


# Invisible to a person: a zero-width space, NUL, a byte-order mark, a word
# joiner, a soft hyphen, an ideographic space, a line separator.
INVISIBLE = ["\u200b", "\x00", "\ufeff", "\u2060", "\u00ad", "\u3000", "\u2028", "\x00\u200b \ufeff\t"]


@pytest.mark.parametrize("cell", ["", "  ", None, float("nan"), *INVISIBLE])
def test_blank_cells_are_blank_not_problems(cell):
    for read in (UK.read, YES_NO.read, parse_count):
        assert read(cell) == read(None) and read(cell).ok and read(cell).value is None


@pytest.mark.parametrize("cell, value", [("Yes", "yes"), ("y", "yes"), ("TRUE", "yes"), ("✓", "yes"), ("x", "yes"),
                                         ("X", "yes"), (True, "yes"), ("No", "no"), ("n", "no"), ("FALSE", "no"),
                                         ("0", "no"), (" yes ", "yes"), ("Yes.", "yes"), ("yes please", "yes")])
def test_yes_no_as_people_tick_it_from_the_lists_aliases(cell, value):
    assert YES_NO.read(cell).value == value


def test_other_words_are_not_yes_or_no():
    assert YES_NO.read("maybe").problem == "'maybe' is not one of: Yes, No"


EVENT_TYPES = FORMS["events"].field("event_type").reader


@pytest.mark.parametrize("cell", ["one_day_training", "One-day leadership training", "one-day leadership training",
                                  "ONE DAY LEADERSHIP TRAINING", "  One-day   leadership training. ",
                                  "One-Day_Training",
                                  "One-Day Community Leadership Training", "one day training"])
def test_a_choice_is_read_by_its_name_label_or_alias_in_any_case_spacing_or_punctuation(cell):
    assert EVENT_TYPES.read(cell).value == "one_day_training"


def test_an_unknown_choice_names_the_choices_it_could_have_been():
    problem = EVENT_TYPES.read("Issues Wrokshop").problem
    assert problem.startswith("'Issues Wrokshop' is not one of: Issues Workshop, Delegates Assembly,")
    assert problem.endswith("(did you mean Issues Workshop?)")
    assert "did you mean" not in EVENT_TYPES.read("a party").problem


COMMA_LABELS = ChoiceReader([Choice("wages", "Wages, work and pay"), Choice("housing", "Housing"),
                             Choice("health", "Health; care", ("NHS",))], multiple=True)


@pytest.mark.parametrize("cell, value", [
    ("Housing, Wages, work and pay", ("wages", "housing")), ("wages, work and pay;housing", ("wages", "housing")),
    ("Health; care, NHS, housing", ("housing", "health")), ("wages", ("wages",)),
    ("Housing\nhealth", ("housing", "health")),
])
def test_select_multiple_splits_at_commas_but_a_label_with_a_comma_matches_first(cell, value):
    parsed = COMMA_LABELS.read(cell)
    assert parsed.value == value


def test_select_multiple_keeps_what_it_can_read_and_lists_the_rest():
    parsed = COMMA_LABELS.read("Housing, bins, parking")
    assert parsed.value == ("housing",)
    assert parsed.problem.startswith("'bins', 'parking' are not one of: Wages, work and pay, Housing, Health; care")


def test_with_other_an_answer_typed_in_its_place_is_other_and_a_near_miss_is_listed():
    areas = FORMS["listening"].field("participant_area").reader
    assert areas.read("Coffee Hall and Beanhill").value == "coffee_hall_beanhill"
    village = areas.read("Milton Keynes Village")
    assert (village.value, village.other, village.problem) == (OTHER, "Milton Keynes Village", None)
    typo = areas.read("Fishrmead")
    assert typo.value == OTHER and typo.problem == "'Fishrmead' is read as Other: did you mean Fishermead?"
    issues = FORMS["listening"].field("issue_categories").reader.read("Housing, ASB, bins")
    assert (issues.value, issues.other) == (("anti_social_behaviour", "housing", OTHER), "bins")


def test_choice_keys_ignore_case_spaces_and_punctuation_but_keep_a_lone_symbol():
    assert choice_key(" Coffee Hall & Beanhill ") == choice_key("coffee_hall_beanhill") == "coffee hall beanhill"
    assert choice_key("St. Aidan's") == "st aidans" and choice_key("✓") == "✓"


@pytest.mark.parametrize("cell, value, approximate", [
    ("40", 40, False), ("1,200", 1200, False), ("approx 40", 40, True), ("approx. 40", 40, True),
    ("about 40", 40, True), ("c. 40", 40, True), ("~40", 40, True), ("40+", 40, True), ("40.0", 40, False),
    (40.0, 40, False), (7, 7, False)])
def test_counts_as_people_write_them(cell, value, approximate):
    parsed = parse_count(cell)
    assert (parsed.value, parsed.approximate) == (value, approximate)


@pytest.mark.parametrize("cell, reason", [("forty", "not a number"), ("-3", "negative"), ("10-15", "a range"),
                                          ("1.5", "not a whole number"), (2.5, "not a whole number"),
                                          (float("inf"), "not a whole number")])
def test_unreadable_counts_are_problems(cell, reason):
    assert reason in parse_count(cell).problem


def test_clean_text_trims_and_unbreaks_spaces():
    assert clean_text("\u00a0 Fishermead \u00a0") == "Fishermead"


@pytest.mark.parametrize("cell", INVISIBLE)
def test_clean_text_reads_a_cell_of_invisible_characters_as_blank_and_trims_them(cell):
    assert clean_text(cell) == "" and clean_text(f"{cell}Fishermead{cell}") == "Fishermead"
    assert clean_text(f"Fisher{cell}mead") == f"Fisher{cell}mead"  # inside a word: as typed


@given(st.text())
def test_clean_text_leaves_nothing_invisible_at_either_end(text):
    import unicodedata
    cleaned = clean_text(text)
    assert all(unicodedata.category(end) not in ("Cc", "Cf", "Zs", "Zl", "Zp") for end in cleaned[:1] + cleaned[-1:])
    assert cleaned in text.replace("\u00a0", " ").replace("\u202f", " ")


def test_a_problem_names_tab_row_and_column():
    problem = CellProblem("Attendance", 17, "date", "31/02/2021", "'31/02/2021' is not a real date")
    assert str(problem) == "Attendance row 17, column 'date': '31/02/2021' is not a real date"


ANY_CELL = st.one_of(st.none(), st.text(), st.integers(), st.floats(), st.booleans(), st.dates(), st.datetimes(),
                     st.datetimes(timezones=st.just(dt.timezone.utc)), st.lists(st.text(), max_size=3),
                     st.binary(max_size=8))


@settings(max_examples=300, deadline=None)
@given(ANY_CELL)
def test_readers_never_raise(cell):
    for read in (UK.read, US.read, YES_NO.read, EVENT_TYPES.read, COMMA_LABELS.read, parse_count):
        read(cell)
    for read in (UK.read, US.read, parse_count):
        parsed = read(cell)
        assert parsed.value is None or parsed.problem is None


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)),
       st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%d-%b-%y", "%-d/%-m/%Y", "%d/%m/%Y %H:%M:%S",
                        "%d.%m.%y", "%A, %d %B %Y", "%b %d, %Y", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %I:%M:%S %p"]),
       st.times())
def test_dates_round_trip_through_the_ways_people_type_them(day, pattern, time):
    assert UK.read(dt.datetime.combine(day, time).strftime(pattern)).value == day


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FORMS["listening"].field("issue_categories").choices[:-1]), min_size=1, max_size=4,
                unique=True),
       st.sampled_from([", ", ",", "; ", "\n"]), st.sampled_from([str, str.upper, str.lower, str.title]))
def test_select_multiple_round_trips_through_labels_names_and_aliases(picked, separator, case):
    reader = FORMS["listening"].field("issue_categories").reader
    typed = separator.join(case(c.label if i % 2 else c.name) for i, c in enumerate(picked))
    assert set(reader.read(typed).value) == {c.name for c in picked}
