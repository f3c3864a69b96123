from organising.cycle.institutions import activity, not_on_register, read_register, register_table
from organising.counting.metrics import read_attendance, read_events
from organising.sheets import Tab

REGISTER = Tab("Institutions", ["name", "institution_type", "area", "Date joined", "dues_status", "submission_id"], [
    ["St Aidan's Church", "Faith", "fishermead", "8/9/2025", "PAID", "i1"],
    ["", "", "", "", "", ""],                                             # a blank row
    ["Masjid an-Nur", "faith", "Fishermead", "last spring", "due", "i2"],  # a date nobody can read
    ["  st aidan's   CHURCH", "faith", "fishermead", "", "paid", "i3"],   # the same name again
    ["", "school", "olney", "", "paid", "i4"],                            # no name
    ["Riverside Trades Council", "trade union", "central_mk", "", "paid", "i5"],  # a type not on the list
])
ONE_TO_ONES = Tab("1:1s", ["listener_institution", "participant_institution", "potential_leader", "submission_id"], [
    ["St Aidan's Church", "st aidans church", "yes", "a"],     # an apostrophe missing: a different name
    ["ST AIDAN'S  CHURCH", "Masjid an-Nur", "Yes", "b"],
    ["Masjid an-Nur", "Masjid an-Nur", "maybe", "c"],         # unreadable: not counted as a leader
    ["Masjid an-Nur", "masjid an-nur ", "✓", "d"],
    ["Masjid an-Nur", "", "no", "d"],                          # the same submission pasted twice
])
ATTENDANCE = Tab("Attendance", ["event_id", "attendee_name", "institution", "submission_id"], [
    ["ev1", "Ann", "St Aidan's Church", "t1"],
    ["ev1", "ann ", "st aidan's church", "t2"],                # the same person signing in twice
    ["ev2", "Ann", "St Aidan's Church", "t3"],
    ["ev1", "Bo", "Hope Food Bank", "t4"],
    ["ev1", "Cy", "", "t5"],
])
EVENTS = Tab("Events", ["event_type", "title", "event_date", "submission_id"],
             [["action", "Assembly", "7/3/2026", "ev1"], ["action", "Walkabout", "8/3/2026", "ev2"]])


def read(config):
    problems = []
    tabs = {"Institutions": REGISTER, "1:1s": ONE_TO_ONES, "Attendance": ATTENDANCE, "Events": EVENTS}
    register = read_register(tabs, config.forms["institutions"], problems)
    return register, activity(tabs, config.forms, problems), problems


def test_register_reads_messy_rows_and_reports_each_with_its_sheet_row(app_config):
    register, _, problems = read(app_config)
    assert [(i.name, i.type, i.area, i.dues) for i in register] == [
        ("St Aidan's Church", "faith", "fishermead", "paid"), ("Masjid an-Nur", "faith", "fishermead", "due"),
        ("Riverside Trades Council", "", "central_mk", "paid")]
    assert register[0].joined.isoformat() == "2025-09-08" and register[1].joined is None
    reported = {(p.row, p.column): p.reason for p in problems}
    assert "is not a date" in reported[(4, "joined_date")]
    assert reported[(5, "name")] == "'st aidan's   CHURCH' is already on the register (row 2)"
    assert reported[(6, "name")] == "the institution has no name"
    assert "'trade union' is not one of" in reported[(7, "institution_type")]
    assert reported[(4, "potential_leader")] == "'maybe' is not one of: Yes, No"
    assert reported[(6, "submission_id")] == "a second copy of submission d, first at row 5: counted once"


def test_activity_per_institution_matches_names_whatever_their_case_and_spacing(app_config):
    register, found, _ = read(app_config)
    table = register_table(register, found).set_index("Institution")
    assert table.loc["St Aidan's Church", ["1:1s", "Potential leaders", "Turnout"]].tolist() == [2, 0, 2]
    assert table.loc["Masjid an-Nur", ["1:1s", "Potential leaders", "Turnout"]].tolist() == [3, 2, 0]
    assert table.loc["Riverside Trades Council", ["1:1s", "Turnout"]].tolist() == [0, 0]
    assert table.loc["Masjid an-Nur", "Sheet row"] == 4


def test_names_in_the_records_that_the_register_lacks_are_listed(app_config):
    register, found, _ = read(app_config)
    missing = not_on_register(register, found)
    assert missing.values.tolist() == [["st aidans church", 1, 1, 0], ["Hope Food Bank", 0, 0, 1]]


def test_an_empty_sheet_gives_empty_tables(app_config):
    problems = []
    register = read_register({}, app_config.forms["institutions"], problems)
    found = activity({}, app_config.forms, problems)
    assert register_table(register, found).empty and not_on_register(register, found).empty and not problems


def test_turnout_counts_the_people_the_funder_figures_count(app_config):
    events = Tab("Events", ["event_type", "title", "event_date", "submission_id"],
                 [["action", "Assembly", "7/3/2026", "e1"], ["action", "Walkabout", "8/3/2026", "e2"]])
    header = ["event_id", "event", "attendee_name", "person_id", "institution", "submission_id"]
    attendance = Tab("Attendance", header, [
        ["e1", "", "Ann", "", "St Aidan's Church", "t1"],
        ["", "assembly", "ann ", "", "St Aidan's Church", "t2"],       # the same event, typed by its title
        ["e1", "", "Amina Adeyemi", "", "St Aidan's Church", "t3"],
        ["e1", "", "A. Adeyemi", "", "St Aidan's Church", "t4"],       # merged into Amina below
        ["e1", "", "Bo", "M-1", "St Aidan's Church", "t5"],
        ["e1", "", "Bob", "m-1", "St Aidan's Church", "t6"],           # the same person id
        ["ev9", "", "Cy", "", "St Aidan's Church", "t7"],              # matches no event
        ["e2", "", "Ann", "", "St Aidan's Church", "t8"],
    ])
    merges = Tab("Person merges", ["keep_name", "keep_institution", "merge_name", "merge_institution"],
                 [["Amina Adeyemi", "St Aidan's Church", "A. Adeyemi", "St Aidan's Church"]])
    tabs = {"Institutions": REGISTER, "Events": events, "Attendance": attendance, "Person merges": merges}
    problems = []
    table = register_table(read_register(tabs, app_config.forms["institutions"], []),
                           activity(tabs, app_config.forms, problems)).set_index("Institution")
    funder = read_attendance(tabs, app_config.forms, read_events(tabs, app_config.forms, []), [])
    assert table.loc["St Aidan's Church", "Turnout"] == sum(map(len, funder.values())) == 4
    assert [(p.tab, p.row, p.column) for p in problems] == [("Attendance", 8, "event_id")]
