"""The leader pipeline: stages derived from 1:1s, training sign-ins and roles."""
import datetime as dt
import difflib

from organising.tools.demo import demo_rows
from organising.cycle.leaders import build_pipeline, pipeline_table, split_names
from organising.counting.metrics import compute_report
from organising.sheets import Tab

ONE_TO_ONES = Tab("1:1s", ["Date", "participant_name", "participant_institution", "Leader?", "submission_id"], [
    ["8/10/2025", "Amina Adeyemi", "St Aidan's Church", "Yes", "l1"],
    ["9 Oct 2025", "Ben Jones", "Hope Food Bank", "y", "l2"],
    ["10/10/2025", "Cara Lewis", "Masjid an-Nur", "no", "l3"],
    [""] * 5,
    ["last week", "Dev Patel", "Oakfield Youth Club", "✓", "l4"],
    ["11/10/2025", "", "Hope Food Bank", "yes", "l5"],
    ["12/10/2025", "Esther Quinn", "Hope Food Bank", "maybe", "l6"],
])
EVENTS = Tab("Events", ["event_type", "title", "event_date", "submission_id"], [
    ["one_day_training", "One-day", "18/10/2025", "e1"], ["three_day_training", "Three-day", "24/1/2026", "e2"],
    ["six_day_training", "Six-day", "12/5/2026", "e3"], ["accountability_assembly", "Assembly", "21/4/2026", "e4"],
])
ATTENDANCE = Tab("Attendance", ["event_id", "attendee_name", "institution", "submission_id"], [
    ["e1", "amina adeyemi", "St Aidan's Church", "a1"], ["e1", "Ben Jones", "Hope Food Bank", "a2"],
    ["e2", "Amina  Adeyemi", "St Aidan's Church", "a3"], ["e3", "Amina Adeyemi", "St Aidan's Church", "a4"],
    ["e1", "Fay Green", "Brookfield RA", "a5"], ["e4", "Gus Hall", "", "a6"],
])
ROLES = Tab("Leader roles", ["person_name", "institution", "role", "role_date", "submission_id"], [
    ["Ben Jones", "Hope Food Bank", "Led a team", "3/2/2026", "r1"],
    ["Ben Jones", "Hope Food Bank", "juggling", "3/2/2026", "r2"],
])
EVALUATIONS = Tab("Evaluations", ["event_id", "testimony_by", "chaired_by", "learned", "submission_id"], [
    ["e4", "Amina Adeyemi, Fay Green (Brookfield RA)", "Dev Patel (Oakfield Youth Club)", "x", "v1"],
])
MERGES_TAB = "Person merges"


def tabs(**extra):
    return {"1:1s": ONE_TO_ONES, "Events": EVENTS, "Attendance": ATTENDANCE, "Leader roles": ROLES,
            "Evaluations": EVALUATIONS, **extra}


def test_each_person_s_stage_comes_from_their_records(app_config):
    pipeline = build_pipeline(tabs(), app_config.forms)
    stages = {p.name: p.stage for p in pipeline.leaders}
    assert stages == {"Amina Adeyemi": "role", "Ben Jones": "role", "Dev Patel": "role", "Fay Green": "role"}
    amina = next(p for p in pipeline.leaders if p.name == "Amina Adeyemi")
    assert amina.steps == ["spotted", "one_day", "three_day", "six_day", "role"]
    assert amina.spotted == dt.date(2025, 10, 8) and amina.roles[0][:2] == ("testimony", dt.date(2026, 4, 21))
    assert [pipeline.reached(s) for s in ("spotted", "one_day", "three_day", "six_day", "role")] == [3, 3, 1, 1, 4]
    assert pipeline.unnamed_spotted == 1  # flagged without a name: counted, cannot be followed up


def test_messy_cells_are_reported_with_their_sheet_row_and_never_crash(app_config):
    pipeline = build_pipeline(tabs(), app_config.forms)
    found = {(p.tab, p.row, p.column) for p in pipeline.problems}
    assert found == {("1:1s", 6, "conversation_date"), ("1:1s", 8, "potential_leader"), ("Leader roles", 3, "role")}
    dev = next(p for p in pipeline.leaders if p.name == "Dev Patel")
    assert dev.flagged and dev.spotted is None  # still spotted, the date is reported


def test_the_pipeline_s_trained_count_is_the_leaders_target_figure(app_config, today):
    rows = demo_rows(app_config.forms, today)
    demo = {tab: Tab(tab, app_config.form_for_tab(tab).columns,
                     [[r.get(c, "") for c in app_config.form_for_tab(tab).columns] for _, r in items])
            for tab, items in rows.items()}
    programme = app_config.programmes["Riverside Citizens Alliance (demo)"]
    report = compute_report(programme, demo, app_config.forms, today)
    figure = next(f for f in report.figures if f.metric == "leaders_identified" and f.year == "programme")
    pipeline = build_pipeline(demo, app_config.forms)
    assert pipeline.trained(programme.years[0].start, today) == figure.actual > 20
    for stage in ("spotted", "one_day", "three_day", "six_day", "role"):
        assert pipeline.reached(stage) > 0, stage  # the demo has people at every stage
    assert {d.reason for d in pipeline.duplicates} == {"initials for the first name",
                                                       "same name, institution spelled differently"}


def test_a_merge_joins_two_records_and_they_leave_the_duplicates_list(app_config):
    extra = Tab("Leader roles", ROLES.header, ROLES.rows + [["A. Adeyemi", "St Aidan's Church", "chairing",
                                                                  "1/3/2026", "r3"]])
    before = build_pipeline(tabs(**{"Leader roles": extra}), app_config.forms)
    assert [(d.keep.name, d.merge.name) for d in before.duplicates] == [("Amina Adeyemi", "A. Adeyemi")]
    merge = Tab(MERGES_TAB, ["keep_name", "keep_institution", "merge_name", "merge_institution"],
                [["Amina Adeyemi", "St Aidan's Church", "A. Adeyemi", "St Aidan's Church"]])
    after = build_pipeline(tabs(**{"Leader roles": extra, MERGES_TAB: merge}), app_config.forms)
    assert after.duplicates == [] and len(after.leaders) == len(before.leaders) - 1
    amina = next(p for p in after.leaders if p.name == "Amina Adeyemi")
    assert ("chairing", dt.date(2026, 3, 1)) in [r[:2] for r in amina.roles]
    table = pipeline_table(after.leaders, app_config.forms["leader_role"])
    assert table.loc[table["Name"] == "Amina Adeyemi", "Also written as"].item() == \
        "A. Adeyemi (St Aidan's Church), Amina Adeyemi (St Aidan's Church)"


def test_names_typed_in_an_evaluation_split_on_commas_outside_brackets():
    assert split_names("Amina Adeyemi (St Aidan's, Fishermead); Ben Jones\n Cara").value == [
        ("Amina Adeyemi", "St Aidan's, Fishermead"), ("Ben Jones", ""), ("Cara", "")]
    assert split_names("").value == []


def test_a_bracket_left_open_keeps_every_name_and_is_reported_with_its_sheet_row(app_config):
    cell = "Amina Adeyemi (St Aidan's Church, Ben Jones"
    typed = Tab("Evaluations", EVALUATIONS.header, [["e4", cell, "", "x", "v1"]])
    pipeline = build_pipeline(tabs(Evaluations=typed), app_config.forms)
    testimony = {p.name for p in pipeline.leaders if "testimony" in [r[0] for r in p.roles]}
    assert testimony == {"Amina Adeyemi", "Ben Jones"}
    [problem] = [p for p in pipeline.problems if p.tab == "Evaluations"]
    assert (problem.row, problem.column, problem.value) == (2, "testimony_by", cell)
    assert "bracket" in problem.reason


def test_a_pipeline_of_thousands_compares_spellings_only_for_people_who_share_a_name(app_config, monkeypatch):
    """Institutions' spellings are compared (difflib, slow) only for pairs with
    the same name or initials: 3,000 trained people took minutes when every
    pair was compared."""
    firsts = ["Amina", "Ben", "Cara", "Dev", "Esther", "Fay"]
    rows = [["e1", f"{firsts[i % 6]} Surname{i // 6}", f"Church {i % 7}", f"a{i}"] for i in range(3000)]
    rows += [["e1", "Amina Surname1", "", "x1"],                 # Amina Surname1 of Church 6, institution not given
             ["e1", "A. Surname2", "Church 5", "x2"],            # Amina Surname2 of Church 5
             ["e1", "Ben Surname3", "Hope Food Bank", "x3"]]     # a namesake elsewhere: one comparison
    comparisons = []
    compare = difflib.SequenceMatcher

    def counted(*args, **kwargs):
        comparisons.append(args[1:])
        assert len(comparisons) <= 10, "spellings compared for people whose names differ"
        return compare(*args, **kwargs)

    monkeypatch.setattr(difflib, "SequenceMatcher", counted)
    pipeline = build_pipeline({"Events": EVENTS, "Attendance": Tab("Attendance", ATTENDANCE.header, rows)},
                              app_config.forms)
    assert pipeline.trained() == 3003
    assert {(d.keep.name, d.keep.institution, d.merge.name, d.reason) for d in pipeline.duplicates} == {
        ("Amina Surname1", "Church 6", "Amina Surname1", "same name, institution not given on one"),
        ("Amina Surname2", "Church 5", "A. Surname2", "initials for the first name")}
    assert comparisons == [("hope food bank", "church 5")] or comparisons == [("church 5", "hope food bank")]
