"""Row conservation, proved on generated messy sheets (issue 13).

For every tab the app reads, each row that holds anything is either counted in what its
reader feeds or listed on Data quality with its sheet row and why: counted + listed = rows,
for every reader, whatever the sheet looks like. And the funder report and the dashboard
agree with a plain count of the truth the sheet was typed from.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organising.cells import clean_text
from organising.config import load_config
from organising.counting.metrics import compute_report, read_events, records_by_event
from organising.counting.unique import data_rows
from organising.cycle.campaigns import read_campaigns, read_power_holders
from organising.cycle.forums import read_meetings, read_signups
from organising.cycle.institutions import read_register
from organising.cycle.pledges import read_pledges
from organising.cycle.priorities import read_mentions
from organising.data_quality import READERS, all_problems, tab_counts
from organising.forms.spec import OTHER
from organising.reporting.dashboard import NOT_GIVEN, counts, listening_frame, signups_by_area
from organising.sheets import Tab
from tests.messy import (JUNK_DATES, JUNK_WORDS, Sheet, events_and_sign_ins, listening_sheet, new_rows, new_sheet,
                         signups_sheet, typed_choice, typed_date)

CONFIG = load_config()
FORMS = CONFIG.forms
PROGRAMME = CONFIG.programmes["Fishermead Citizens Alliance"]
START, END = PROGRAMME.years[0].start, PROGRAMME.years[-1].end
AS_OF = END + dt.timedelta(days=30)  # every programme year is over: every dated row is counted in one
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def alliance(draw) -> dict[str, Sheet]:
    listening = draw(listening_sheet(FORMS["listening"], START, END))
    events, sign_ins, truths = draw(events_and_sign_ins(FORMS["events"], FORMS["attendance"], START, END))
    return {"1:1s": listening, "Events": events, "Attendance": sign_ins, "CAG sign-ups": draw(
        signups_sheet(FORMS["cag_signup"])), "events": truths}


def as_tabs(sheets: dict) -> dict[str, Tab]:
    return {name: Tab(name, sheet.header, sheet.rows) for name, sheet in sheets.items() if isinstance(sheet, Sheet)}


def left_out(problems, tab: str) -> set[int]:
    return {p.row for p in problems if p.tab == tab and p.left_out}


def plain_figures(sheets: dict) -> dict[tuple[str, str], int]:
    """The funder figures counted from the truth, with no cell in sight."""
    figures = {}
    for metric in PROGRAMME.metrics:
        for year, target in zip(PROGRAMME.years, metric.targets):
            if metric.count == "rows":
                actual = sum(year.holds(t["date"]) for t in sheets["1:1s"].truth)
            else:
                held = [e for e in sheets["events"] if e.type in metric.event_types and e.date and year.holds(e.date)]
                if metric.count == "attendance":
                    actual = sum(len(e.people) or (e.headcount or 0) for e in held)
                else:
                    actual = len(set().union(*(e.people for e in held)))
            figures[(metric.id, year.label)] = actual
    return figures


@SETTINGS
@given(alliance())
def test_the_funder_report_and_the_dashboard_agree_with_a_plain_count_of_the_truth(sheets):
    tabs = as_tabs(sheets)
    report = compute_report(PROGRAMME, tabs, FORMS, AS_OF)
    actual = {(f.metric, f.year): f.actual for f in report.figures if f.year != "programme"}
    assert actual == plain_figures(sheets)

    problems = []
    frame = listening_frame(tabs["1:1s"], FORMS["listening"], problems)
    truth = sheets["1:1s"].truth
    assert sorted(frame["date"]) == sorted(t["date"] for t in truth)
    assert dict(Counter(frame["area"])) == dict(Counter(t["area"] or NOT_GIVEN for t in truth))
    assert dict(counts(frame, "issues").values.tolist()) == dict(Counter(i for t in truth for i in t["issues"]))
    assert int(frame["potential_leader"].sum()) == sum(t["leader"] for t in truth)
    signups = signups_by_area(tabs["CAG sign-ups"], FORMS["cag_signup"], problems)
    assert dict(signups.values.tolist()) == dict(Counter(t["area"] or NOT_GIVEN for t in sheets["CAG sign-ups"].truth))


@SETTINGS
@given(alliance())
def test_every_row_the_funder_figures_and_dashboard_read_is_counted_or_listed(sheets):
    tabs = as_tabs(sheets)
    report = compute_report(PROGRAMME, tabs, FORMS, AS_OF)
    one_to_ones, events, sign_ins = sheets["1:1s"], sheets["Events"], sheets["Attendance"]

    # 1:1s: counted in a year's figure, or listed (every date is inside the programme).
    counted = sum(f.actual for f in report.figures if f.metric == "one_to_ones" and f.year != "programme")
    assert counted + len(left_out(report.problems, "1:1s")) == len(one_to_ones.data_rows) == data_rows(tabs["1:1s"])
    assert left_out(report.problems, "1:1s") == set(one_to_ones.left_out)
    # Events: read with a type the targets can count, or listed.
    typed = {e.row for e in read_events(tabs, FORMS, []) if e.type}
    assert typed | left_out(report.problems, "Events") == events.data_rows
    assert not typed & left_out(report.problems, "Events")
    assert left_out(report.problems, "Events") == set(events.left_out)
    # Sign-ins: to an event, or listed.
    signed = {row for row, _, _ in records_by_event(tabs, FORMS["attendance"], read_events(tabs, FORMS, []), [], [])}
    assert signed | left_out(report.problems, "Attendance") == sign_ins.data_rows
    assert not signed & left_out(report.problems, "Attendance")
    assert report.left_out == len(one_to_ones.left_out) + len(events.left_out) + len(sign_ins.left_out)

    # Every listed cell is named where a coordinator finds it: tab, sheet row, column.
    for sheet_name in ("1:1s", "Events", "Attendance"):
        sheet = sheets[sheet_name]
        listed = {(p.row, p.column) for p in report.problems if p.tab == sheet_name}
        assert set(sheet.left_out.items()) <= listed
    noted = {(p.row, p.column) for p in report.problems if p.tab == "Events" and not p.left_out}
    assert noted == set(sheets["Events"].noted.items())

    problems = []
    frame = listening_frame(tabs["1:1s"], FORMS["listening"], problems)
    assert len(frame) + len(left_out(problems, "1:1s")) == len(one_to_ones.data_rows)
    assert {(p.row, p.column) for p in problems if not p.left_out} == set(one_to_ones.noted.items())
    signups = signups_by_area(tabs["CAG sign-ups"], FORMS["cag_signup"], problems)
    assert signups["count"].sum() + len(left_out(problems, "CAG sign-ups")) == len(sheets["CAG sign-ups"].data_rows)


@SETTINGS
@given(alliance())
def test_data_quality_shows_read_counted_and_listed_for_each_tab(sheets):
    tabs = as_tabs(sheets)
    found = all_problems(CONFIG, tabs, AS_OF)
    by_tab = {c.tab: c for c in tab_counts(CONFIG, tabs, found)}
    assert set(by_tab) == set(CONFIG.tabs)
    for count in by_tab.values():
        assert count.read == count.counted + count.listed == data_rows(tabs.get(count.tab, Tab(count.tab)))
    # The leader pipeline also leaves out a 1:1 whose leader flag is neither yes nor no.
    assert left_out(found, "1:1s") == set(sheets["1:1s"].left_out) | {
        row for row, column in sheets["1:1s"].noted.items() if column == "potential_leader"}
    for name in ("Events", "Attendance", "CAG sign-ups"):
        assert left_out(found, name) == set(sheets[name].left_out)
    for p in found:
        assert p.row == 1 or p.row in sheets[p.tab].data_rows  # never a blank row, never a row that is not there


# ---- every other tab, typed from its form ----------------------------------------------------------------------

@st.composite
def typed_form_sheet(draw, form_id: str, columns: list[str], references: dict[str, list[str]] | None = None
                     ) -> Sheet:
    """A form's tab with every choice, date and count typed every way; junk in some cells
    (recorded, with its row); blank rows and second copies."""
    form = FORMS[form_id]
    sheet = new_sheet(draw, form, [*columns, "submission_id"])
    for n in new_rows(draw, sheet, 8, 8):
        cells, junk = {"submission_id": f"{form_id}{n}"}, []
        for column in columns:
            f = form.field(column)
            spoilt = draw(st.integers(0, 9)) == 0
            if references and column in references:
                cells[column] = draw(st.sampled_from(references[column])) if references[column] and not spoilt \
                    else "nothing like it"
            elif f.is_select and f.choices:
                cells[column] = draw(st.sampled_from(JUNK_WORDS)) if spoilt else draw(
                    typed_choice(draw(st.sampled_from([c for c in f.choices if c.name != OTHER]))))
            elif f.type == "date":
                cells[column] = draw(st.sampled_from(JUNK_DATES)) if spoilt else draw(
                    typed_date(draw(st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)))))
            elif f.type == "integer":
                cells[column] = "forty-ish" if spoilt else str(draw(st.integers(1, 5)))
            else:
                cells[column] = f"{column} {n}"
                spoilt = False
            if spoilt and not (f.is_select and f.other):  # an answer in Other's place is Other
                junk.append(column)
        row = sheet.add(cells, {"id": cells["submission_id"]})
        if junk:
            sheet.noted[row] = junk[0]
            sheet.truth[-1]["junk"] = junk
    return sheet


@st.composite
def cycle_sheets(draw) -> dict[str, Sheet]:
    sheets = draw(alliance())
    register = draw(typed_form_sheet("institutions", ["name", "institution_type", "area", "joined_date",
                                                      "dues_status"]))
    campaigns = draw(typed_form_sheet("campaigns", ["title", "issue", "time_bound", "status"]))
    holders = draw(typed_form_sheet("power_holders", ["name", "campaign_id", "relationship", "meetings_held"],
                                    {"campaign_id": [t["id"] for t in campaigns.truth]}))
    pledges = draw(typed_form_sheet("pledges", ["ask", "answer", "made_on", "due_date"]))
    updates = draw(typed_form_sheet("pledge_updates", ["pledge_id", "status", "updated_on", "new_due_date"],
                                    {"pledge_id": [t["id"] for t in pledges.truth]}))
    scores = draw(typed_form_sheet("issue_scores", ["issue", "area", "lives_affected", "depth", "winnability",
                                                    "shortlisted"]))
    meetings = draw(typed_form_sheet("forum_meeting", ["area", "meeting_date", "attendance_count"]))
    roles = draw(typed_form_sheet("leader_role", ["person_name", "role", "role_date"]))
    held = [e.key for e in sheets["events"] if e.date]
    evaluations = draw(typed_form_sheet("evaluation", ["event_id", "target_turnout", "learned"], {"event_id": held}))
    merges = draw(typed_form_sheet("person_merge", ["keep_name", "merge_name"]))
    return {**sheets, "Institutions": register, "Campaigns": campaigns, "Power-holders": holders,
            "Pledges": pledges, "Pledge updates": updates, "Issue scores": scores, "Forum meetings": meetings,
            "Leader roles": roles, "Evaluations": evaluations, "Person merges": merges}


def rows_of(found) -> set[int]:
    return {thing.row for thing in found}


@SETTINGS
@given(cycle_sheets())
def test_every_reader_counts_or_lists_every_row_of_every_tab(sheets):
    tabs = as_tabs(sheets)
    # Readers whose output names the rows it counted: counted + listed = rows, nothing in both.
    for form_id, read in [
        ("institutions", lambda p: read_register(tabs, FORMS["institutions"], p)),
        ("campaigns", lambda p: read_campaigns(tabs, FORMS["campaigns"], p)),
        ("power_holders", lambda p: read_power_holders(tabs, FORMS["power_holders"],
                                                       read_campaigns(tabs, FORMS["campaigns"], []), p)),
        ("pledges", lambda p: read_pledges(tabs, FORMS, p)),
        ("forum_meeting", lambda p: read_meetings(tabs, FORMS["forum_meeting"], p)),
        ("cag_signup", lambda p: read_signups(tabs, FORMS["cag_signup"], p)),
        ("listening", lambda p: read_mentions(tabs, FORMS["listening"], p)),
    ]:
        tab = FORMS[form_id].tab
        problems = []
        counted = rows_of(read(problems))
        listed = left_out(problems, tab)
        assert counted | listed == sheets[tab].data_rows, form_id
        assert not counted & listed, form_id
    # Every reader together: each junk cell is listed with its tab, row and column (or its
    # row is, as left out for a cell read before it); every listed row is a real row; each
    # tab's rows read = counted + listed.
    found = all_problems(CONFIG, tabs, AS_OF)
    listed = {(p.tab, p.row, p.column) for p in found}
    for name, sheet in sheets.items():
        if isinstance(sheet, Sheet):
            for truth in sheet.truth:
                for column in truth.get("junk", ()):
                    assert (name, truth["row"], column) in listed or truth["row"] in left_out(found, name), \
                        (name, truth, column)
    for p in found:
        assert p.row == 1 or p.row in sheets[p.tab].data_rows
    for count in tab_counts(CONFIG, tabs, found):
        assert count.read == count.counted + count.listed == data_rows(tabs.get(count.tab, Tab(count.tab)))
    assert set(READERS) >= {"Funder figures", "Dashboard"}


def test_a_second_copy_is_listed_with_the_row_of_the_first_and_twins_without_an_id_both_count():
    tab = Tab("1:1s", ["conversation_date", "listener", "submission_id"], [
        ["8/10/2021", "Sam", "a"], ["8/10/2021", "Sam", ""], ["8/10/2021", "Sam", ""], ["8/10/2021", "Sam", "a"]])
    report = compute_report(PROGRAMME, {"1:1s": tab}, FORMS, AS_OF)
    assert next(f for f in report.figures if f.metric == "one_to_ones" and f.year == "2021-22").actual == 3
    [copy] = report.problems
    assert (copy.row, copy.column, copy.value) == (5, "submission_id", "a")
    assert copy.reason == "a second copy of submission a, first at row 2: counted once"
    assert clean_text(copy.value) == "a" and report.left_out == 1
