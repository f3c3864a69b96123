"""Evaluation, forum and leader pages, driven through AppTest as a coordinator would."""
from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from organising.tools.demo import load_demo
from ui.navigation import DEVELOP

from .test_pages import COORDINATOR, REPO, TRUSTEE, VOLUNTEER, field, next_one, open_page, problems, rows, submit

TODAY = dt.date.today()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def selectbox(at: AppTest, label: str):
    return next(s for s in at.selectbox if s.label == label)


@pytest.mark.parametrize("page", [p.path for p in DEVELOP])
@pytest.mark.parametrize("user", [VOLUNTEER, TRUSTEE, None], ids=["volunteer", "trustee", "nobody"])
def test_develop_pages_refuse_everyone_but_coordinators(sqlite_store, app_config, page, user):
    load_demo(sqlite_store, app_config.forms)
    at = AppTest.from_file(str(REPO / page), default_timeout=30)
    if user:
        at.session_state["user"] = user
    at.secrets["passcodes"] = {"coordinator": "c0de"}
    at.run()
    assert not at.exception
    assert "This page is for coordinators" in at.error[0].value
    assert not at.dataframe and not at.metric and not at.text_input and not at.text_area
    shown = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.text])
    assert "Riverside" not in shown and "demo" not in shown


@pytest.mark.parametrize("page", [p.path for p in DEVELOP] + ["pages/events.py"])
def test_develop_pages_work_on_the_demo_alliance(sqlite_store, app_config, page):
    load_demo(sqlite_store, app_config.forms)
    at = open_page(page, COORDINATOR)
    assert not at.exception, [e.value for e in at.exception]


def test_an_evaluation_is_saved_verbatim_and_the_events_page_shows_it(sqlite_store):
    old = (TODAY - dt.timedelta(days=10)).isoformat()
    sqlite_store.append_row("Events", {"event_type": "action", "title": "Redway walkabout", "event_date": old,
                                       "headcount": "37"}, "ev-1")
    sqlite_store.append_row("Events", {"event_type": "issues_workshop", "title": "Issues Workshop",
                                       "event_date": old}, "ev-2")
    at = open_page("pages/events.py", COORDINATOR)
    assert "2 events held more than a week ago have no evaluation" in at.warning[0].value

    at = open_page("pages/evaluation.py", COORDINATOR)
    field(at, "evaluation", "event_id").select("ev-1")
    field(at, "evaluation", "target_turnout").set_value(40)
    field(at, "evaluation", "learned").input("=SUM(A1) people came when *we* knocked")
    submit(at, "evaluation")
    assert problems(at) == ["Next steps: please write an answer."]
    field(at, "evaluation", "next_steps").input("Walk it again in the dark")
    submit(at, "evaluation")
    assert "The evaluation is saved" in at.success[0].value
    [row] = rows(sqlite_store, "Evaluations")
    assert (row["event"], row["learned"]) == (f"Redway walkabout ({old})", "=SUM(A1) people came when *we* knocked")

    at = open_page("pages/events.py", COORDINATOR)
    assert "1 event held more than a week ago has no evaluation: Issues Workshop" in at.warning[0].value
    reviews = at.dataframe[1].value.set_index("Event")
    assert reviews.loc["Redway walkabout", ["Turnout", "Target", "Evaluation"]].tolist() == [37, 40, "evaluated"]
    selectbox(at, "Read an evaluation").select(0).run()
    assert "=SUM(A1) people came when *we* knocked" in [t.value for t in at.text]
    assert "against a target of 40" in " ".join(m.value for m in at.markdown)


def test_a_forum_meeting_starts_from_last_week(sqlite_store):
    sqlite_store.append_row("CAG sign-ups", {"organisation": "Bletchley Food Bank", "contact_name": "Ann",
                                             "area": "bletchley", "what_we_do": "Parcels"}, "s1")
    sqlite_store.append_row("Forum meetings", {
        "area": "bletchley", "meeting_date": "12/11/2026", "agenda": "Welcome\nNews from groups",
        "attendance_count": "9", "key_issues": "Buses cut", "actions": "[x] Book the hall — Bo\nWrite to the council — Ann",
    }, "m1")
    at = open_page("pages/forums.py", COORDINATOR)
    assert {m.label: m.value for m in at.metric} == {"Groups on the roster": "1", "Meetings recorded": "1",
                                                     "Open actions from the last meeting": "1"}
    assert at.dataframe[0].value["Group"].tolist() == ["Bletchley Food Bank"]
    button(at, "Start from last week").click().run()
    assert not at.exception
    assert field(at, "forum_meeting", "area").value == "bletchley"
    assert field(at, "forum_meeting", "meeting_date").value == dt.date(2026, 11, 19)
    assert field(at, "forum_meeting", "agenda").value == "Welcome\nNews from groups"
    assert field(at, "forum_meeting", "actions").value == "Write to the council — Ann"
    field(at, "forum_meeting", "key_issues").input("Damp in the flats")
    submit(at, "forum_meeting")
    assert "The meeting is recorded" in at.success[0].value
    latest = rows(sqlite_store, "Forum meetings")[-1]
    assert (latest["meeting_date"], latest["actions"], latest["key_issues"]) == (
        "2026-11-19", "Write to the council — Ann", "Damp in the flats")
    next_one(at, "forum_meeting")
    assert field(at, "forum_meeting", "agenda").value == ""  # a fresh form afterwards


def test_a_forum_typed_by_hand_is_the_app_s_forum_and_starts_from_its_latest_meeting(sqlite_store):
    sqlite_store.append_row("CAG sign-ups", {"organisation": "Bletchley Food Bank", "area": "Bletchley"}, "s1")
    sqlite_store.append_row("Forum meetings", {"area": "bletchley", "meeting_date": "5/11/2026", "agenda": "Old"}, "m1")
    sqlite_store.append_row("Forum meetings", {"area": "Bletchley", "meeting_date": "12/11/2026", "agenda": "Typed",
                                               "actions": "Write to the council — Ann"}, "m2")
    sqlite_store.append_row("Forum meetings", {"area": "other", "area_other": " BLETCHLEY", "meeting_date": "1/11/2026",
                                               "agenda": "Older"}, "m3")
    at = open_page("pages/forums.py", COORDINATOR)
    assert selectbox(at, "Forum").options == ["Bletchley"]
    assert {m.label: m.value for m in at.metric} == {"Groups on the roster": "1", "Meetings recorded": "3",
                                                     "Open actions from the last meeting": "1"}
    button(at, "Start from last week").click().run()
    assert (field(at, "forum_meeting", "area").value, field(at, "forum_meeting", "meeting_date").value,
            field(at, "forum_meeting", "agenda").value) == ("bletchley", dt.date(2026, 11, 19), "Typed")


def test_start_from_last_week_waits_for_a_first_meeting(sqlite_store):
    sqlite_store.append_row("CAG sign-ups", {"organisation": "Olney Walkers", "area": "olney"}, "s1")
    at = open_page("pages/forums.py", COORDINATOR)
    assert button(at, "Start from last week").disabled
    assert "No meeting recorded for this forum yet." in [i.value for i in at.info]


def test_key_issues_across_forums_download_as_csv(sqlite_store):
    recent = (TODAY - dt.timedelta(days=3)).isoformat()
    sqlite_store.append_row("Forum meetings", {"area": "bletchley", "meeting_date": recent, "agenda": "a",
                                               "key_issues": "Buses cut\nDamp"}, "m1")
    sqlite_store.append_row("Forum meetings", {"area": "wolverton", "meeting_date": "2020-01-01", "agenda": "a",
                                               "key_issues": "Old news"}, "m2")
    at = open_page("pages/forum_issues.py", COORDINATOR)
    table = at.dataframe[0].value
    assert table[["Forum", "Key issue"]].values.tolist() == [["Bletchley", "Buses cut"], ["Bletchley", "Damp"]]
    assert at.get("download_button")  # the CSV for decision makers


def test_a_coordinator_merges_a_likely_duplicate_and_the_pipeline_counts_one(sqlite_store):
    sqlite_store.append_row("1:1s", {"conversation_date": "2026-10-03", "participant_name": "Amina Adeyemi",
                                     "participant_institution": "St Aidan's Church", "potential_leader": "yes"}, "l1")
    sqlite_store.append_row("Leader roles", {"person_name": "A. Adeyemi", "institution": "St Aidan's Church",
                                             "role": "chairing", "role_date": "2026-11-01"}, "r1")
    at = open_page("pages/leaders.py", COORDINATOR)
    assert at.dataframe[0].value["Name"].tolist() == ["A. Adeyemi", "Amina Adeyemi"]  # not merged silently
    selectbox(at, "Merge which?").select(0).run()
    button(at, "Prepare this merge").click().run()
    assert field(at, "person_merge", "merge_name").value == "A. Adeyemi"
    assert field(at, "person_merge", "keep_name").value == "Amina Adeyemi"
    field(at, "person_merge", "reason").input("Asked her at the assembly")
    submit(at, "person_merge")
    assert any("The merge is recorded" in s.value for s in at.success)
    assert rows(sqlite_store, "Person merges")[0]["merge_institution"] == "St Aidan's Church"
    at = open_page("pages/leaders.py", COORDINATOR)
    [amina] = at.dataframe[0].value.to_dict("records")
    assert (amina["Name"], amina["Stage"]) == ("Amina Adeyemi", "Taking roles")
    assert "No likely duplicates among these people." in [s.value for s in at.success]


def test_a_recorded_role_moves_a_leader_along(sqlite_store):
    at = open_page("pages/leader_role.py", COORDINATOR)
    field(at, "leader_role", "person_name").input("Ben Jones")
    field(at, "leader_role", "role").set_value("leading_team")
    field(at, "leader_role", "role_date").set_value(TODAY + dt.timedelta(days=3))
    submit(at, "leader_role")
    assert problems(at) == ["When: the date cannot be in the future."]
    field(at, "leader_role", "role_date").set_value(TODAY)
    submit(at, "leader_role")
    assert "The role is recorded" in at.success[0].value
    at = open_page("pages/leaders.py", COORDINATOR)
    [ben] = at.dataframe[0].value.to_dict("records")
    assert (ben["Name"], ben["Stage"], ben["Roles"]) == ("Ben Jones", "Taking roles", f"Led a team {TODAY}")


def test_prefill_refuses_a_question_the_form_does_not_have(app_config):
    # Called directly: in a page the app shows no error's text (client.showErrorDetails = "none").
    from ui.formview import prefill_form
    with pytest.raises(KeyError, match="form 'forum_meeting' has no field venue"):
        prefill_form(app_config.forms["forum_meeting"], {"agenda": "x", "venue": "y"})
