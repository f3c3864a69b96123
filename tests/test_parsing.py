import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from organising.cells import CellProblem, clean_text, parse_count, parse_date, parse_yes_no

JUNE_8 = dt.date(2021, 6, 8)


@pytest.mark.parametrize("cell", ["8/6/2021", "08/06/21", "8.6.2021", "8-6-2021", "8 June 2021", "8th June 2021",
                                  "June 8, 2021", "8 Jun 21", "08-Jun-21", "2021-06-08", "2021-06-08T10:00:00Z",
                                  "2021-06-08 10:00", "Tue 8 June 2021", " 8/6/2021 ", 44355, 44355.5, "44355",
                                  dt.date(2021, 6, 8), dt.datetime(2021, 6, 8, 9, 30)])
def test_dates_people_type_are_read_day_first(cell):
    assert parse_date(cell).value == JUNE_8


@pytest.mark.parametrize("cell, reason", [
    ("31/02/2021", "not a real date"), ("13/13/2021", "not a real date"), ("next Tuesday", "not a date"),
    ("8/6", "not a date"), (12, "a number, not a date"), (True, "not a date"), ("Smarch 8 2021", "not a date"),
])
def test_unreadable_dates_are_problems_with_reasons(cell, reason):
    parsed = parse_date(cell)
    assert parsed.value is None and reason in parsed.problem


# Invisible to a person: a zero-width space, NUL, a byte-order mark, a word
# joiner, a soft hyphen, an ideographic space, a line separator.
INVISIBLE = ["\u200b", "\x00", "\ufeff", "\u2060", "\u00ad", "\u3000", "\u2028", "\x00\u200b \ufeff\t"]


@pytest.mark.parametrize("cell", ["", "  ", None, float("nan"), *INVISIBLE])
def test_blank_cells_are_blank_not_problems(cell):
    for parse in (parse_date, parse_yes_no, parse_count):
        assert parse(cell) == parse(None) and parse(cell).ok and parse(cell).value is None


@pytest.mark.parametrize("cell, value", [("Yes", True), ("y", True), ("TRUE", True), ("✓", True), ("x", True),
                                         ("X", True), (True, True), ("No", False), ("n", False), ("FALSE", False),
                                         ("0", False), (" yes ", True)])
def test_yes_no_as_people_tick_it(cell, value):
    assert parse_yes_no(cell).value is value


def test_other_words_are_not_yes_or_no():
    assert parse_yes_no("maybe").problem == "'maybe' is not yes or no"


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


ANY_CELL = st.one_of(st.none(), st.text(), st.integers(), st.floats(), st.booleans(), st.dates(),
                     st.lists(st.text(), max_size=3), st.binary(max_size=8))


@settings(max_examples=300, deadline=None)
@given(ANY_CELL)
def test_parsers_never_raise(cell):
    for parse in (parse_date, parse_yes_no, parse_count):
        parsed = parse(cell)
        assert parsed.value is None or parsed.problem is None


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)),
       st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%d-%b-%y", "%-d/%-m/%Y"]))
def test_dates_round_trip_through_the_ways_people_type_them(day, pattern):
    assert parse_date(day.strftime(pattern)).value == day
