import csv
import datetime as dt
import json
from io import BytesIO, StringIO

import pytest
from openpyxl import load_workbook

from organising.__main__ import main
from organising.config import load_config
from organising.tools.demo import demo_rows, load_demo
from organising.forms.spec import ConfigError
from organising.counting.metrics import compute_report, elapsed_fraction
from organising.reporting.dashboard import card_delta
from organising.reporting.reports import as_csv, as_json, as_markdown, as_xlsx, report_rows
from organising.sheets import Tab
from organising.counting.targets import ProgrammeYear, load_programmes
from tests.privacy import add_a_phone_and_a_merge, leaked

ONE_YEAR = """
programmes:
  - name: Test
    years: [2021-22]
    metrics:
      - {id: one_to_ones, label: 1:1s, count: rows, source: "1:1s", date_column: conversation_date, targets: [100]}
      - {id: workshop, label: Workshop, count: attendance, event_types: [issues_workshop], targets: [20]}
      - {id: trained, label: Trained, count: distinct_people, event_types: [one_day_training], targets: [10]}
"""
YEAR = ProgrammeYear("2021-22", dt.date(2021, 9, 1), dt.date(2022, 8, 31))
FORMS = load_config().forms  # the shipped forms: "Date" is a conversation_date, "Name" an attendee_name


def programme(tmp_path, text=ONE_YEAR):
    path = tmp_path / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    return next(iter(load_programmes(path).values()))


def figure(report, metric, year="2021-22"):
    return next(f for f in report.figures if f.metric == metric and f.year == year)


def test_shipped_targets_are_the_fishermead_grant(app_config):
    fishermead = app_config.programmes["Fishermead Citizens Alliance"]
    assert [y.label for y in fishermead.years] == ["2020-21", "2021-22", "2022-23"]
    targets = {m.id: (m.targets, m.total) for m in fishermead.metrics}
    assert targets == {
        "one_to_ones": ((100, 150, 250), 500), "issues_workshop_attendance": ((20, 30, 40), None),
        "delegates_assembly_attendance": ((40, 60, 80), None),
        "accountability_assembly_attendance": ((80, 100, 120), None),
        "one_day_training": ((30, 20, 10), None), "three_day_training": ((5, 5, 5), None),
        "six_day_training": ((2, 2, 2), None), "leaders_identified": ((None, None, None), 60)}


def test_the_demo_programme_includes_today(app_config):
    demo = app_config.programmes["Riverside Citizens Alliance (demo)"]
    assert any(y.holds(dt.date.today()) for y in demo.years)


@pytest.mark.parametrize("change, key", [
    (("targets: [100]", "targets: [100, 200]"), "programmes[0].metrics[0].targets: 1 programme years but 2"),
    (("count: rows", "count: rowz"), "programmes[0].metrics[0].count: 'rowz' is not one of"),
    (("years: [2021-22]", "years: [2021-23]"), "programmes[0].years[0]: '2021-23' is not a programme year"),
    (("targets: [20]", "targets: [-5]"), "programmes[0].metrics[1].targets[0]: must be a whole number"),
    (("event_types: [issues_workshop], ", ""), "programmes[0].metrics[1].event_types: a count of attendance"),
])
def test_a_wrong_targets_file_names_the_key(tmp_path, change, key):
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        programme(tmp_path, ONE_YEAR.replace(*change))


def one_to_ones(*dates, ids=None):
    ids = ids or [f"s{i}" for i in range(len(dates))]
    return Tab("1:1s", ["Date", "listener", "submission_id"], [[d, "Sam", i] for d, i in zip(dates, ids)])


def test_a_1to1_belongs_to_the_year_of_its_conversation_date(tmp_path):
    tabs = {"1:1s": one_to_ones("31/08/2021", "1/9/2021", "2022-08-31", "01-Sep-22")}
    report = compute_report(programme(tmp_path), tabs, FORMS, dt.date(2023, 1, 1))
    assert figure(report, "one_to_ones").actual == 2


def test_rows_with_the_same_submission_id_count_once(tmp_path):
    tabs = {"1:1s": one_to_ones("8/10/2021", "8/10/2021", "9/10/2021", ids=["a", "a", "b"])}
    assert figure(compute_report(programme(tmp_path), tabs, FORMS, dt.date(2022, 9, 1)), "one_to_ones").actual == 2


def test_unreadable_rows_are_left_out_and_listed_with_their_sheet_row(tmp_path):
    tabs = {"1:1s": Tab("1:1s", ["Date", "submission_id"], [["8/10/2021", "a"], [], ["31/02/2022", "b"], ["", "c"]])}
    report = compute_report(programme(tmp_path), tabs, FORMS, dt.date(2022, 9, 1))
    assert figure(report, "one_to_ones").actual == 1
    assert [(p.tab, p.row, p.column) for p in report.problems] == [("1:1s", 4, "conversation_date"),
                                                                   ("1:1s", 5, "conversation_date")]
    assert "not a real date" in report.problems[0].reason and report.left_out == 2


def test_a_missing_column_is_reported_not_a_crash(tmp_path):
    tabs = {"1:1s": Tab("1:1s", ["When", "submission_id"], [["8/10/2021", "a"]])}
    report = compute_report(programme(tmp_path), tabs, FORMS, dt.date(2022, 9, 1))
    assert figure(report, "one_to_ones").actual == 0
    assert report.problems[0].row == 1 and "missing from the header" in report.problems[0].reason


def events_and_attendance(headcount=""):
    events = Tab("Events", ["event_type", "title", "event_date", "headcount", "submission_id"], [
        ["issues_workshop", "Workshop", "6/11/2021", "", "w1"],
        ["issues_workshop", "Walkabout", "13/11/2021", headcount, "w2"],
        ["One day training", "Training", "15/1/2022", "", "t1"]])
    attendance = Tab("Attendance", ["event_id", "event", "Name", "institution", "submission_id"], [
        ["w1", "", "Ann Lee", "St Aidan's", "a1"],
        ["w1", "", " ann  LEE ", "st aidan's", "a2"],     # the same person signing in twice
        ["w1", "", "Bo", "", "a3"],
        ["", "Training (2022-01-15)", "Ann Lee", "St Aidan's", "a4"],   # hand-typed: matched by label
        ["", "A party", "Cy", "", "a5"]])                                # matches no event
    return {"Events": events, "Attendance": attendance}


def test_attendance_counts_distinct_people_per_event(tmp_path):
    report = compute_report(programme(tmp_path), events_and_attendance(), FORMS, dt.date(2022, 9, 1))
    assert figure(report, "workshop").actual == 2
    assert figure(report, "trained").actual == 1
    assert [(p.row, p.reason) for p in report.problems] == [(6, "matches no event on the Events tab")]


def test_an_event_without_sign_ins_uses_its_headcount_and_says_so(tmp_path):
    report = compute_report(programme(tmp_path), events_and_attendance("approx 40"), FORMS, dt.date(2022, 9, 1))
    workshop = figure(report, "workshop")
    assert workshop.actual == 42 and "Walkabout: headcount 40 used (no sign-ins)" in workshop.note


def test_an_assembly_before_its_date_is_scheduled_not_red(tmp_path):
    report = compute_report(programme(tmp_path), events_and_attendance(), FORMS, dt.date(2021, 10, 1))
    workshop = figure(report, "workshop")
    assert workshop.status == "scheduled" and "next: Workshop on 06 Nov 2021" in workshop.note


def test_an_event_type_typed_as_its_label_name_or_alias_counts_and_any_other_is_listed(tmp_path):
    """Class 1 of issue 13: people type what the form shows them, in any case or spacing."""
    events = Tab("Events", ["Type", "Event", "Date", "submission_id"], [
        ["One-day leadership training", "Training A", "15/1/2022", "t1"],
        ["  ONE-DAY   leadership TRAINING. ", "Training B", "16/1/2022", "t2"],
        ["One-Day Community Leadership Training", "Training C", "17/1/2022", "t3"],   # an alias
        ["one_day_training", "Training D", "18/1/2022", "t4"],
        ["Leadership day", "Training E", "19/1/2022", "t5"],                          # no such type
    ])
    attendance = Tab("Attendance", ["event_id", "Name", "submission_id"],
                     [[f"t{n}", f"Person {n}", f"a{n}"] for n in range(1, 6)])
    report = compute_report(programme(tmp_path), {"Events": events, "Attendance": attendance}, FORMS,
                            dt.date(2022, 3, 1))
    assert figure(report, "trained").actual == 4
    [problem] = report.problems
    assert (problem.tab, problem.row, problem.column, problem.value) == ("Events", 6, "event_type", "Leadership day")
    assert problem.reason.startswith("'Leadership day' is not one of: Issues Workshop, Delegates Assembly")
    assert problem.reason.endswith(": the event counts towards no target") and report.left_out == 1


def test_rows_dated_with_a_time_of_day_count_in_the_year_of_their_local_date(tmp_path):
    """Class 2 of issue 13: date-times as Google Forms, Sheets and other tools write them."""
    tabs = {"1:1s": one_to_ones("08/10/2021 14:03:22", "8/10/2021 9:05", "2021-10-08T14:03:22+01:00",
                                "44477.6", "Fri 8 Oct 2021 14:03", "2022-08-31T23:30:00Z", "8-10-21 14:03")}
    report = compute_report(programme(tmp_path), tabs, FORMS, dt.date(2023, 1, 1))
    # 23:30 UTC on 31 August is 00:30 on 1 September in London: the next programme year.
    assert figure(report, "one_to_ones").actual == 6 and report.problems == []


def test_a_finished_year_is_met_or_missed_by_how_much_a_running_one_paced_and_one_to_come_not_started(tmp_path):
    tabs = {"1:1s": one_to_ones(*[f"{d}/10/2021" for d in range(1, 31)], ids=[f"s{d}" for d in range(30)]),
            **events_and_attendance()}
    text = ONE_YEAR.replace("targets: [100]", "targets: [30]")
    ended = compute_report(programme(tmp_path, text), tabs, FORMS, dt.date(2022, 9, 1))
    assert (figure(ended, "one_to_ones").status, figure(ended, "workshop").status) == ("met", "missed")
    assert figure(ended, "one_to_ones").projection is None
    rows = {r["metric"]: r for r in report_rows(ended)}
    assert (rows["one_to_ones"]["note"], rows["workshop"]["note"]) == ("met exactly", "missed by 18")
    assert card_delta(figure(ended, "workshop")) == ("-18: missed", "normal")
    running = compute_report(programme(tmp_path, text), tabs, FORMS, dt.date(2022, 1, 15))
    assert figure(running, "one_to_ones").status == "green" and "ahead of pace" in card_delta(
        figure(running, "one_to_ones"))[0]
    to_come = compute_report(programme(tmp_path, text), tabs, FORMS, dt.date(2021, 8, 1))
    assert {f.status for f in to_come.figures} == {"not started"}
    assert figure(to_come, "one_to_ones").note == "starts 01 Sep 2021"
    assert "| 2021-22 | 1:1s | 30 | 0 | 0% | not started | starts 01 Sep 2021 |" in as_markdown(to_come)


@pytest.mark.parametrize("as_of, fraction", [(dt.date(2021, 8, 31), 0.0), (dt.date(2021, 9, 1), 1 / 365),
                                             (dt.date(2022, 2, 28), 181 / 365), (dt.date(2022, 8, 31), 1.0),
                                             (dt.date(2030, 1, 1), 1.0)])
def test_linear_pace_through_the_year(as_of, fraction):
    assert elapsed_fraction(YEAR, as_of) == pytest.approx(fraction)


def test_a_seasonal_profile_expects_most_listening_in_autumn():
    autumn_heavy = (3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)
    assert elapsed_fraction(YEAR, dt.date(2021, 11, 30), autumn_heavy) == pytest.approx(9 / 18)
    assert elapsed_fraction(YEAR, dt.date(2021, 11, 30)) == pytest.approx(91 / 365)


def test_pace_projection_and_status(tmp_path):
    tabs = {"1:1s": one_to_ones(*[f"{d}/10/2021" for d in range(1, 31)],
                                ids=[f"s{d}" for d in range(30)])}
    as_of = dt.date(2022, 1, 15)  # 137 of 365 days: 37.5 expected
    result = figure(compute_report(programme(tmp_path), tabs, FORMS, as_of), "one_to_ones")
    assert result.expected == pytest.approx(37.5, abs=0.1)
    assert result.projection == 80 and result.percent == 30
    assert result.status == "amber"  # 30 / 37.5 = 0.8: between amber 0.7 and green 0.9


def test_as_of_a_past_date_counts_only_what_had_happened(tmp_path):
    tabs = {"1:1s": one_to_ones("1/10/2021", "1/12/2021", "1/3/2022")}
    assert figure(compute_report(programme(tmp_path), tabs, FORMS, dt.date(2021, 12, 31)), "one_to_ones").actual == 2


def test_report_formats_hold_the_same_figures(tmp_path):
    report = compute_report(programme(tmp_path), events_and_attendance(), FORMS, dt.date(2022, 9, 1))
    data = json.loads(as_json(report))
    assert set(data) == {"programme", "as_of", "rows", "left_out"} and data["left_out"] == 1
    assert set(data["rows"][0]) == {"metric", "label", "year", "target", "actual", "percent", "status"}
    assert as_csv(report).splitlines()[0] == "metric,label,year,target,actual,percent,status,note"
    assert "| 2021-22 | Workshop | 20 | 2 | 10% | missed | missed by 18 |" in as_markdown(report)  # the year is over
    sheet = load_workbook(BytesIO(as_xlsx(report))).active
    assert [c.value for c in sheet[3]] == ["Year", "Measure", "Target", "Actual", "Percent", "Status", "Note"]
    assert [c.value for c in sheet[5]] == ["2021-22", "Workshop", 20, 2, 10, "missed", "missed by 18"]
    assert next(r for r in csv.DictReader(StringIO(as_csv(report))) if r["metric"] == "workshop")["status"] == "missed"


def test_an_event_title_typed_as_a_formula_downloads_as_text(tmp_path):
    tabs = events_and_attendance("40")
    tabs["Events"].rows[1][1] = "=HYPERLINK(\"http://x.test\",\"Walkabout\")"
    report = compute_report(programme(tmp_path), tabs, FORMS, dt.date(2022, 6, 1))
    note = figure(report, "workshop").note
    assert note.startswith("=HYPERLINK(")
    sheet = load_workbook(BytesIO(as_xlsx(report))).active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value and str(c.value).startswith("=HYPERLINK"))
    assert cell.value == note and cell.data_type == "s"  # text exactly as typed, never a formula
    csv_notes = [row["note"] for row in csv.DictReader(StringIO(as_csv(report)))]
    assert f"'{note}" in csv_notes  # the CSV shows it as Sheets and Excel show typed text: leading apostrophe


def test_an_event_title_with_a_carriage_return_stays_in_its_own_cell_of_the_funder_csv(tmp_path):
    tabs = events_and_attendance("40")
    tabs["Events"].rows[1][1] = "Walkabout\r=1+1"
    report = compute_report(programme(tmp_path), tabs, FORMS, dt.date(2022, 6, 1))
    rows = list(csv.reader(StringIO(as_csv(report), newline="")))
    assert len(rows) == 1 + len(report_rows(report))
    assert all(len(row) == len(rows[0]) and not any(cell.startswith(("=", "@")) for cell in row) for row in rows)
    assert any(cell.startswith("Walkabout\r=1+1") for row in rows for cell in row)


def test_report_command_prints_the_demo_figures_without_personal_data(sqlite_store, app_config, capsys):
    rows = demo_rows(app_config.forms)
    load_demo(sqlite_store, app_config.forms)
    add_a_phone_and_a_merge(sqlite_store)
    assert main(["report", "--programme", "Riverside Citizens Alliance (demo)", "--format", "json"]) == 0
    printed = capsys.readouterr().out
    report = json.loads(printed)
    one_to_ones = [r for r in report["rows"] if r["metric"] == "one_to_ones" and r["year"] != "programme"]
    assert sum(r["actual"] for r in one_to_ones) == len(rows["1:1s"])
    assert not leaked(printed, sqlite_store)


def test_report_command_explains_a_wrong_programme_or_date(sqlite_store, capsys):
    assert main(["report", "--programme", "Nowhere"]) == 2
    assert "configured: Fishermead Citizens Alliance" in capsys.readouterr().err
    assert main(["report", "--programme", "Fishermead Citizens Alliance", "--as-of", "soon"]) == 2
    assert "is not a date" in capsys.readouterr().err


def test_the_report_reads_every_tab_a_form_writes_once(app_config):
    assert sorted(app_config.tabs) == sorted({f.tab for f in app_config.forms.values()})
    assert {"1:1s", "Events", "Attendance"} <= set(app_config.tabs)
