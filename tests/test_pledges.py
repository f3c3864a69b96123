import datetime as dt

from organising.cycle.pledges import read_pledges, scorecard, status_counts, tracker
from organising.sheets import Tab

PLEDGES = Tab("Pledges", ["power_holder", "power_holder_id", "event", "made_on", "ask", "answer", "Due",
                          "submission_id"], [
    ["Cllr Marsh", "p1", "Accountability Assembly (2026-04-21)", "21/4/2026", "Light the redway", "Yes",
     "1 June 2026", "k1"],
    ["Ms Blake", "p2", "Accountability Assembly (2026-04-21)", "2026-04-21", "Repairs in 28 days", "partly",
     "2026-12-31", "k2"],
    ["Mr Green", "p3", "", "2026-05-01", "Publish the figures", "no", "2026-06-01", "k3"],
    ["Cllr Marsh", "p1", "", "2026-05-02", "Walk the redway", "yes", "soon", "k4"],      # a due date nobody can read
    ["", "", "", "", "", "", "", ""],
])
UPDATES = Tab("Pledge updates", ["pledge_id", "pledge", "status", "updated_on", "follow_up_meeting", "evidence",
                                 "new_due_date", "submission_id"], [
    ["k1", "", "In progress", "1/5/2026", "Met the cabinet member", "Letter", "", "u1"],
    ["k2", "", "KEPT", "2026-11-01", "", "Repairs report", "", "u2"],
    ["k2", "", "sort of", "2026-11-02", "", "", "", "u3"],       # unknown status: reported, k2 stays kept
    ["", "Walk the redway", "partly-kept", "2026-06-01", "Walked it", "", "", "u4"],  # by hand, by the ask
    ["k9", "", "kept", "2026-06-01", "", "", "", "u5"],          # no such pledge
    ["k1", "", "in_progress", "2026-05-20", "", "", "15/7/2026", "u6"],  # renegotiated due date
])


def pledges(forms, problems=None):
    return read_pledges({"Pledges": PLEDGES, "Pledge updates": UPDATES}, forms,
                        [] if problems is None else problems)


def test_the_latest_update_is_the_status_and_the_pledge_row_is_never_needed_to_change(app_config):
    found = {p.id: p for p in pledges(app_config.forms)}
    assert found["k1"].status == "in_progress" and found["k1"].follow_ups == 1
    assert found["k1"].due == dt.date(2026, 7, 15) and found["k1"].evidence == "Letter"
    assert found["k2"].status == "kept" and found["k2"].updated_on == dt.date(2026, 11, 1)
    assert found["k4"].status == "partly_kept" and found["k3"].status == "made"


def test_messy_cells_are_reported_with_their_sheet_row(app_config):
    problems = []
    pledges(app_config.forms, problems)
    reported = {(p.tab, p.row, p.column): p.reason for p in problems}
    assert "'soon' is not a date" in reported[("Pledges", 5, "due_date")]
    assert "'sort of' is not one of" in reported[("Pledge updates", 4, "status")]
    assert reported[("Pledge updates", 6, "pledge_id")] == "matches no pledge on its tab"  # the id typed
    assert len(problems) == 3


def test_tracker_lists_overdue_first_as_of_any_day(app_config):
    found = pledges(app_config.forms)
    table = tracker(found, dt.date(2026, 8, 1))
    assert table[["Ask", "State", "Days overdue"]].values.tolist()[0] == ["Light the redway", "overdue", "17"]
    states = dict(zip(table["Ask"], table["State"]))
    assert states == {"Light the redway": "overdue", "Repairs in 28 days": "closed", "Publish the figures": "refused",
                      "Walk the redway": "closed"}
    earlier = dict(zip(*tracker(found, dt.date(2026, 7, 5))[["Ask", "State"]].T.values))
    assert earlier["Light the redway"] == "due soon"


def test_scorecard_shows_status_without_evidence_or_follow_up_notes(app_config):
    found = pledges(app_config.forms)
    card = scorecard(found, dt.date(2026, 8, 1), app_config.forms)
    assert list(card.columns) == ["Status", "Power-holder", "The ask", "Due", "Their answer", "Made at"]
    assert "Letter" not in card.to_csv() and "Met the cabinet member" not in card.to_csv()
    assert status_counts(found, dt.date(2026, 8, 1)) == {"overdue": 1, "kept": 1, "refused": 1, "partly_kept": 1}


def test_a_column_the_alliance_marks_personal_leaves_the_scorecard(app_config):
    import dataclasses
    pledge_form = app_config.forms["pledges"]
    marked = dataclasses.replace(pledge_form, fields=tuple(
        dataclasses.replace(f, personal=True) if f.name == "ask" else f for f in pledge_form.fields))
    forms = {**app_config.forms, "pledges": marked}
    card = scorecard(pledges(app_config.forms), dt.date(2026, 8, 1), forms)
    assert "The ask" not in card.columns and "Light the redway" not in card.to_csv()


def test_each_record_type_of_the_cycle_is_a_form_writing_its_own_tab(app_config):
    tabs = {f.id: f.tab for f in app_config.forms.values()}
    assert tabs.items() >= {"institutions": "Institutions", "issue_scores": "Issue scores", "campaigns": "Campaigns",
                            "power_holders": "Power-holders", "pledges": "Pledges",
                            "pledge_updates": "Pledge updates"}.items()
    statuses = [c.name for c in app_config.forms["pledge_updates"].field("status").choices]
    assert statuses == ["made", "in_progress", "kept", "partly_kept", "broken"]
