"""Weekly CAG forums: meetings read from a hand-kept tab, next week's start."""
import datetime as dt

from organising.forums import (MEETINGS_TAB, SIGNUPS_TAB, forums, key_issues, next_meeting, parse_actions,
                               read_meetings, roster)
from organising.sheets import Tab

HEADER = ["area", "area_other", "meeting_date", "agenda", "attendance_count", "attendees", "minutes",
          "key_issues", "actions", "submission_id"]
AREAS = {"fishermead", "bletchley"}


def meetings_tab(*rows):
    return {MEETINGS_TAB: Tab(MEETINGS_TAB, HEADER, [list(r) for r in rows]),
            SIGNUPS_TAB: Tab(SIGNUPS_TAB, ["organisation", "contact_name", "area", "area_other", "what_we_do"], [
                ["Food Bank", "Ann", "fishermead", "", "Parcels"], ["Men's Shed", "Bo", "other", "Tinkers Bridge", "Repairs"],
                ["Youth Club", "Cy", "bletchley", "", "Fridays"]])}


def test_actions_keep_their_owner_and_done_mark():
    actions = parse_actions("- Write to the housing officer — Ann Adeyemi\n\n[x] Book the hall - Bo\n"
                            "done: call the library\n2. Ask the ward councillors about buses")
    assert [(a.text, a.what, a.owner, a.done) for a in actions] == [
        ("Write to the housing officer — Ann Adeyemi", "Write to the housing officer", "Ann Adeyemi", False),
        ("Book the hall - Bo", "Book the hall", "Bo", True), ("call the library", "call the library", "", True),
        ("Ask the ward councillors about buses", "Ask the ward councillors about buses", "", False)]


def test_meetings_with_hand_typed_dates_blank_rows_and_unreadable_cells():
    problems = []
    tabs = meetings_tab(
        ["fishermead", "", "8/10/2026", "News\nIssues", "", "Food Bank, Youth Club; Men's Shed", "", "Damp\nBuses", "",
         "m1"],
        [""] * 10,
        ["fishermead", "", "sometime soon", "x", "", "", "", "", "", "m2"],
        ["other", "Tinkers Bridge", "15 Oct 2026", "News", "9", "", "", "", "", "m3"],
        ["", "", "22/10/2026", "News", "", "", "", "", "", "m4"],
    )
    meetings = read_meetings(tabs, {}, problems)
    assert [(m.forum, m.date, m.attendance) for m in meetings] == [
        ("fishermead", dt.date(2026, 10, 8), 3), ("Tinkers Bridge", dt.date(2026, 10, 15), 9)]
    assert meetings[0].key_issues == ("Damp", "Buses")
    assert [(p.row, p.column) for p in problems] == [(4, "meeting_date"), (6, "area")]
    assert "'sometime soon' is not a date" in problems[0].reason


def test_each_forum_has_its_roster_from_the_sign_ups():
    tabs = meetings_tab()
    assert forums(tabs, {}, []) == ["Tinkers Bridge", "bletchley", "fishermead"]
    assert [g["Group"] for g in roster(tabs, {}, "Tinkers Bridge")] == ["Men's Shed"]
    assert roster(tabs, {}, "fishermead")[0]["Sheet row"] == 2


def test_next_meeting_starts_from_the_last_one():
    tabs = meetings_tab(["bletchley", "", "2026-11-12", "Welcome\nNews", "8", "", "", "Buses",
                         "[x] Book the hall — Bo\nWrite to the council — Ann", "m1"],
                        ["other", "Tinkers Bridge", "2026-11-13", "News", "", "", "", "", "", "m2"])
    bletchley, tinkers = read_meetings(tabs, {}, [])
    assert next_meeting(bletchley, AREAS) == {"area": "bletchley", "meeting_date": dt.date(2026, 11, 19),
                                              "agenda": "Welcome\nNews", "actions": "Write to the council — Ann"}
    assert next_meeting(tinkers, AREAS)["area_other"] == "Tinkers Bridge"


def test_key_issues_across_forums_newest_first():
    tabs = meetings_tab(["bletchley", "", "2026-11-05", "a", "", "", "", "Buses", "", "m1"],
                        ["fishermead", "", "2026-11-12", "a", "", "", "", "Damp\n\nFood prices", "", "m2"])
    assert [(i["Forum"], i["Key issue"]) for i in key_issues(read_meetings(tabs, {}, []))] == [
        ("fishermead", "Damp"), ("fishermead", "Food prices"), ("bletchley", "Buses")]
