"""Open evaluation: turnout from sign-ins, the typed target, overdue flags."""
import datetime as dt

from organising.config import load_config
from organising.cycle.evaluation import read_evaluations, review_events, review_table
from organising.counting.metrics import read_attendance, read_events
from organising.sheets import Tab

TODAY = dt.date(2026, 11, 22)
FORMS = load_config().forms
EVALUATIONS_TAB = FORMS["evaluation"].tab
EVENTS = Tab("Events", ["event_type", "title", "event_date", "headcount", "submission_id"], [
    ["accountability_assembly", "Accountability Assembly", "21/4/2026", "", "e1"],
    ["action", "Redway walkabout", "14 June 2026", "approx 37", "e2"],
    ["issues_workshop", "Issues Workshop", "2026-11-18", "", "e3"],
    ["delegates_assembly", "Delegates Assembly", "10-Feb-27", "", "e4"],
    ["one_day_training", "One-day training", "07/03/2026", "", "e5"],
])
ATTENDANCE = Tab("Attendance", ["event_id", "attendee_name", "institution", "submission_id"], [
    ["e1", "Amina Adeyemi", "St Aidan's", "a1"], ["e1", "amina  adeyemi", "St Aidan's", "a2"],
    ["e1", "Ben Jones", "", "a3"],
])
HEADER = ["event_id", "event", "target_turnout", "logistics", "testimony_by", "chaired_by",
          "leaders_performance", "learned", "next_steps", "submission_id"]


def tabs(*evaluations):
    return {"Events": EVENTS, "Attendance": ATTENDANCE,
            EVALUATIONS_TAB: Tab(EVALUATIONS_TAB, HEADER, [list(r) for r in evaluations])}


def reviews(all_tabs, problems):
    events = read_events(all_tabs, FORMS, problems)
    evaluations = read_evaluations(all_tabs, FORMS, events, problems)
    return {r.event.key: r for r in review_events(events, read_attendance(all_tabs, FORMS, events, problems),
                                                  evaluations, TODAY)}


def test_turnout_is_counted_from_sign_ins_against_the_typed_target():
    problems = []
    found = reviews(tabs(["e1", "", "100", "Slow sign-in", "Amina Adeyemi", "", "", "Invite personally",
                          "Follow up", "v1"]), problems)
    assert problems == []
    assert (found["e1"].turnout, found["e1"].target, found["e1"].status) == (2, 100, "evaluated")
    assert found["e1"].evaluation.answers["learned"] == "Invite personally"
    assert found["e2"].turnout == 37  # nobody signed in: the headcount


def test_events_without_an_evaluation_after_a_week_are_flagged():
    status = {key: r.status for key, r in reviews(tabs(), []).items()}
    assert status == {"e1": "overdue", "e2": "overdue", "e3": "due", "e4": "upcoming", "e5": "overdue"}


def test_an_evaluation_found_by_the_event_typed_by_hand_and_messy_cells_reported_with_their_row():
    problems = []
    found = reviews(tabs(
        ["", "Redway walkabout", "about forty", "", "", "", "", "Go at dusk", "", ""],
        [""] * 10,
        ["e9", "A party", "10", "", "", "", "", "", "", "v3"],
    ), problems)
    assert found["e2"].status == "evaluated" and found["e2"].target is None
    assert found["e2"].evaluation.answers["learned"] == "Go at dusk"
    assert [(p.tab, p.row, p.column) for p in problems] == [(EVALUATIONS_TAB, 2, "target_turnout"),
                                                           (EVALUATIONS_TAB, 4, "event")]
    assert "'about forty' is not a number" in problems[0].reason
    assert problems[1].reason == "matches no event on the Events tab"


def test_the_latest_evaluation_of_an_event_is_shown():
    found = reviews(tabs(["e1", "", "80", "", "", "", "", "first", "", "v1"],
                         ["e1", "", "90", "", "", "", "", "second", "", "v2"]), [])
    assert found["e1"].evaluation.answers["learned"] == "second" and found["e1"].target == 90


def test_review_table_has_a_line_per_event_newest_first():
    table = review_table(list(review_events(read_events(tabs(), FORMS, []), {}, {}, TODAY)))
    assert table["Event"].tolist()[:2] == ["Delegates Assembly", "Issues Workshop"]
    assert table.loc[table["Event"] == "Accountability Assembly", "Evaluation"].item() == "no evaluation after a week"
