"""Weekly CAG forums: meetings read from a hand-kept tab, next week's start."""
import datetime as dt

from organising.cycle.forums import forums, key_issues, next_meeting, parse_actions, read_meetings, read_signups, roster
from organising.sheets import Tab

HEADER = ["area", "area_other", "meeting_date", "agenda", "attendance_count", "attendees", "minutes",
          "key_issues", "actions", "submission_id"]
AREAS = {"fishermead", "bletchley"}


def meetings_tab(*rows):
    return {"Forum meetings": Tab("Forum meetings", HEADER, [list(r) for r in rows]),
            "CAG sign-ups": Tab("CAG sign-ups", ["organisation", "contact_name", "area", "area_other", "what_we_do"], [
                ["Food Bank", "Ann", "fishermead", "", "Parcels"], ["Men's Shed", "Bo", "other", "Tinkers Bridge", "Repairs"],
                ["Youth Club", "Cy", "bletchley", "", "Fridays"]])}


def test_actions_keep_their_owner_and_done_mark():
    actions = parse_actions("- Write to the housing officer — Ann Adeyemi\n\n[x] Book the hall - Bo\n"
                            "done: call the library\n2. Ask the ward councillors about buses")
    assert [(a.text, a.what, a.owner, a.done) for a in actions] == [
        ("Write to the housing officer — Ann Adeyemi", "Write to the housing officer", "Ann Adeyemi", False),
        ("Book the hall - Bo", "Book the hall", "Bo", True), ("call the library", "call the library", "", True),
        ("Ask the ward councillors about buses", "Ask the ward councillors about buses", "", False)]


def test_meetings_with_hand_typed_dates_blank_rows_and_unreadable_cells(app_config):
    problems = []
    tabs = meetings_tab(
        ["fishermead", "", "8/10/2026", "News\nIssues", "", "Food Bank, Youth Club; Men's Shed", "", "Damp\nBuses", "",
         "m1"],
        [""] * 10,
        ["fishermead", "", "sometime soon", "x", "", "", "", "", "", "m2"],
        ["other", "Tinkers Bridge", "15 Oct 2026", "News", "9", "", "", "", "", "m3"],
        ["", "", "22/10/2026", "News", "", "", "", "", "", "m4"],
    )
    meetings = read_meetings(tabs, app_config.forms["forum_meeting"], problems)
    assert [(m.forum, m.date, m.attendance) for m in meetings] == [
        ("fishermead", dt.date(2026, 10, 8), 3), ("Tinkers Bridge", dt.date(2026, 10, 15), 9)]
    assert meetings[0].key_issues == ("Damp", "Buses")
    assert [(p.row, p.column) for p in problems] == [(4, "meeting_date"), (6, "area")]
    assert "'sometime soon' is not a date" in problems[0].reason


def test_each_forum_has_its_roster_from_the_sign_ups(app_config):
    problems = []
    signups = read_signups(meetings_tab(), app_config.forms["cag_signup"], problems)
    assert forums(signups, []) == ["Tinkers Bridge", "bletchley", "fishermead"]
    assert [g["Group"] for g in roster(signups, "Tinkers Bridge")] == ["Men's Shed"]
    assert roster(signups, "fishermead")[0]["Sheet row"] == 2 and problems == []


def test_next_meeting_starts_from_the_last_one(app_config):
    tabs = meetings_tab(["bletchley", "", "2026-11-12", "Welcome\nNews", "8", "", "", "Buses",
                         "[x] Book the hall — Bo\nWrite to the council — Ann", "m1"],
                        ["other", "Tinkers Bridge", "2026-11-13", "News", "", "", "", "", "", "m2"])
    bletchley, tinkers = read_meetings(tabs, app_config.forms["forum_meeting"], [])
    assert next_meeting(bletchley, AREAS) == {"area": "bletchley", "meeting_date": dt.date(2026, 11, 19),
                                              "agenda": "Welcome\nNews", "actions": "Write to the council — Ann"}
    assert next_meeting(tinkers, AREAS)["area_other"] == "Tinkers Bridge"


def test_key_issues_across_forums_newest_first(app_config):
    tabs = meetings_tab(["bletchley", "", "2026-11-05", "a", "", "", "", "Buses", "", "m1"],
                        ["fishermead", "", "2026-11-12", "a", "", "", "", "Damp\n\nFood prices", "", "m2"])
    assert [(i["Forum"], i["Key issue"]) for i in key_issues(read_meetings(tabs, app_config.forms["forum_meeting"], []))] == [
        ("fishermead", "Damp"), ("fishermead", "Food prices"), ("bletchley", "Buses")]


def test_a_forum_typed_by_hand_is_the_app_s_forum_and_next_week_starts_from_its_latest_meeting(app_config):
    tabs = meetings_tab(["bletchley", "", "2026-11-05", "Old", "", "", "", "", "", "m1"],
                        [" BLETCHLEY ", "", "2026-11-12", "Typed", "", "", "", "", "", "m2"],
                        ["Other", "bletchley", "2026-11-01", "Older", "", "", "", "", "", "m3"],
                        ["Tinkers Bridge", "", "2026-11-02", "Not on the list", "", "", "", "", "", "m4"])
    meetings = read_meetings(tabs, app_config.forms["forum_meeting"], [])
    signups = read_signups(tabs, app_config.forms["cag_signup"], [])
    assert forums(signups, meetings) == ["Tinkers Bridge", "bletchley", "fishermead"]
    bletchley = [m for m in meetings if m.forum == "bletchley"]
    assert [m.agenda for m in bletchley] == ["Older", "Old", "Typed"]
    assert next_meeting(bletchley[-1], AREAS)["meeting_date"] == dt.date(2026, 11, 19)
