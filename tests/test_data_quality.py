"""One place for every row the app could not use: the domain gathering, and
the Data quality page a coordinator reads."""
from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from organising.data_quality import FUNDER_FIGURES, all_problems, funder_rows_left_out, quality_table, rows_by_tab
from organising.counting.metrics import compute_report
from organising.sheets import Tab
from tests.test_pages import COORDINATOR, REPO, TRUSTEE, VOLUNTEER, open_page

TODAY = dt.date(2026, 11, 22)
# Messy rows across several tabs; each comment says the one cell nobody can read.
MESSY = [
    Tab("Events", ["submission_id", "title", "event_type", "event_date", "headcount"], [
        ["e1", "Accountability Assembly", "accountability_assembly", "21/4/2026", ""]]),
    Tab("Attendance", ["submission_id", "event_id", "event", "attendee_name", "institution"], [
        ["a1", "e1", "", "Ann Adeyemi", "St Aidan's"],
        ["a2", "", "Picnic in the park", "Bo Brown", ""]]),                     # row 3: matches no event
    Tab("1:1s", ["submission_id", "Date", "listener", "participant_name", "participant_institution",
                 "issue_categories", "potential_leader"], [
        ["c1", "8/10/2025", "Sam", "Di Dane", "St Aidan's", "housing", "yes"],
        ["c2", "sometime in May", "Sam", "Ed Eze", "St Aidan's", "housing", "yes"]]),  # row 3: the date
    Tab("Pledges", ["submission_id", "power_holder", "ask", "answer", "made_on", "due_date"], [
        ["k1", "Cllr Marsh", "Light the redway", "yes", "21/4/2026", "1 June 2026"],
        [""] * 6,
        ["k2", "Ms Blake", "Repairs in 28 days", "partly", "21/4/2026", "soon"]]),  # row 4: the due date
    Tab("Forum meetings", ["submission_id", "area", "meeting_date", "agenda"], [
        ["m1", "fishermead", "8/10/2026", "News"],
        ["m2", "fishermead", "next Tuesdy", "Buses"]]),                         # row 3: the date
]


def test_every_unreadable_row_of_every_tab_once_with_its_sheet_row(app_config):
    found = all_problems(app_config, {tab.name: tab for tab in MESSY}, TODAY)
    assert [(p.tab, p.row, p.column) for p in found] == [
        ("1:1s", 3, "conversation_date"), ("Attendance", 3, "event"), ("Forum meetings", 3, "meeting_date"),
        ("Pledges", 4, "due_date")]
    by_tab = {p.tab: p for p in found}
    assert "'sometime in May' is not a date" in by_tab["1:1s"].reason
    assert by_tab["Attendance"].value == "Picnic in the park"
    assert by_tab["Attendance"].reason == "matches no event on the Events tab"
    assert "'next Tuesdy' is not a date" in by_tab["Forum meetings"].reason
    assert "'soon' is not a date" in by_tab["Pledges"].reason
    # Read by four readers, listed once, with every page it is missing from: priorities and the
    # leader pipeline still count the 1:1, without its date.
    assert by_tab["1:1s"].left_out_of == (FUNDER_FIGURES, "Dashboard")
    assert by_tab["Attendance"].left_out_of == (FUNDER_FIGURES, "Member institutions", "Events",
                                                "Leader pipeline")  # turnout counts sign-ins to events
    assert by_tab["Pledges"].left_out_of == () and not by_tab["Pledges"].left_out  # tracked without a due date
    assert rows_by_tab(found) == {"1:1s": 1, "Attendance": 1, "Forum meetings": 1, "Pledges": 1}
    assert quality_table(found)["Left out of"].tolist()[-1] == "nothing: the row counts without this cell"


def test_the_funder_count_is_the_one_the_dashboard_and_report_give(app_config):
    tabs = {tab.name: tab for tab in MESSY}
    found = all_problems(app_config, tabs, TODAY)
    for programme in app_config.programmes.values():
        assert compute_report(programme, tabs, app_config.forms, TODAY).left_out == funder_rows_left_out(found) == 2


def test_a_missing_header_column_is_listed_on_its_tab(app_config):
    tabs = {"Forum meetings": Tab("Forum meetings", ["area", "agenda"], [["fishermead", "News"]])}
    [problem] = all_problems(app_config, tabs, TODAY)
    assert (problem.tab, problem.row, problem.column) == ("Forum meetings", 1, "meeting_date")
    assert "missing from the header" in problem.reason


@pytest.fixture
def messy_store(sqlite_store):
    for tab in MESSY:
        sqlite_store.put_tab(tab)
    return sqlite_store


def test_coordinator_sees_every_row_grouped_by_tab_and_can_filter_and_download(messy_store):
    at = open_page("pages/data_quality.py", COORDINATOR)
    assert not at.exception
    assert [h.value for h in at.subheader] == ["1:1s: 1 row", "Attendance: 1 row", "Forum meetings: 1 row",
                                               "Pledges: 1 row"]
    counts = at.dataframe[0].value.set_index("Tab")
    assert counts.loc["Pledges"].tolist() == [2, 2, 0, 1]  # read, counted, left out, counted with a cell ignored
    assert counts.loc["Attendance"].tolist() == [2, 1, 1, 0] and counts.loc["1:1s"].tolist() == [2, 1, 1, 0]
    assert (counts["Rows read"] == counts["Counted"] + counts["Left out (listed below)"]).all()
    pledges = at.dataframe[4].value
    assert pledges[["Sheet row", "Column", "Cell", "Left out of"]].values.tolist() == [
        [4, "due_date", "soon", "nothing: the row counts without this cell"]]
    assert "**4 rows** on 4 tabs have a cell the app could not use." in [m.value for m in at.markdown]
    assert any("rows left out of the funder figures (**2 rows** now)" in c.value for c in at.caption)
    at.multiselect[0].select("Forum meetings").run()
    assert [h.value for h in at.subheader] == ["Forum meetings: 1 row"]
    assert at.dataframe[1].value["Cell"].tolist() == ["next Tuesdy"]
    [download] = at.get("download_button")
    assert download.proto.label == "Download as CSV"


def test_the_dashboard_still_counts_only_the_funder_figures_rows(messy_store):
    at = AppTest.from_file(str(REPO / "pages/dashboard.py"), default_timeout=60)
    at.session_state["user"] = COORDINATOR
    at.run()
    assert not at.exception
    assert at.warning[0].value.startswith("2 rows could not be read")  # not the pledge or the forum meeting


def test_an_empty_state_says_every_row_could_be_read(sqlite_store):
    at = open_page("pages/data_quality.py", COORDINATOR)
    assert not at.exception and "Every row could be read" in at.success[0].value
    [counts] = at.dataframe  # the tabs, each with nothing read yet
    assert counts.value["Rows read"].sum() == 0 and len(counts.value) == 14


@pytest.mark.parametrize("user", [VOLUNTEER, TRUSTEE], ids=["volunteer", "trustee"])
def test_volunteers_and_trustees_are_refused_and_see_no_cells(messy_store, user):
    at = AppTest.from_file(str(REPO / "pages/data_quality.py"), default_timeout=30)
    at.session_state["user"] = user
    at.secrets["passcodes"] = {"coordinator": "c0de"}
    at.run()
    assert "This page is for coordinators" in at.error[0].value
    assert not at.dataframe and not at.subheader and not at.get("download_button")
    shown = " ".join(str(e.value) for e in [*at.markdown, *at.caption])
    assert "soon" not in shown and "Picnic" not in shown
