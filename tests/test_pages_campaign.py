"""The pages from listening to pledges, driven through AppTest."""
from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from organising.tools.demo import load_demo
from ui.data import after_write
from tests.privacy import add_a_phone_and_a_merge, leaked

from .test_pages import COORDINATOR, TRUSTEE, VOLUNTEER, field, open_page, rows, submit

CAMPAIGN_PAGES = ["pages/institutions.py", "pages/priorities.py", "pages/campaigns.py", "pages/power_analysis.py",
                  "pages/pledges.py"]


def shown_text(at: AppTest) -> str:
    return " ".join([*(t.value.to_csv() for t in at.dataframe),
                     *(str(e.value) for e in [*at.markdown, *at.caption, *at.text, *at.info, *at.metric])])


@pytest.mark.parametrize("page", CAMPAIGN_PAGES)
@pytest.mark.parametrize("user", [VOLUNTEER, TRUSTEE, None], ids=["volunteer", "trustee", "nobody"])
def test_campaign_pages_refuse_everyone_but_coordinators(sqlite_store, page, user):
    sqlite_store.append_row("Pledges", {"power_holder": "Cllr Marsh", "ask": "Light the redway"}, "k1")
    sqlite_store.append_row("1:1s", {"issue_categories": "housing", "what_they_said": "Damp in my flat"}, "a")
    at = open_page(page, user, secrets={"passcodes": {"coordinator": "c0de"}})
    assert not at.exception
    assert "This page is for coordinators" in at.error[0].value
    assert not at.dataframe and not at.metric and not at.text_input
    assert "Cllr Marsh" not in shown_text(at) and "Damp in my flat" not in shown_text(at)


def test_the_scorecard_refuses_nobody_signed_in(sqlite_store):
    at = open_page("pages/scorecard.py", None, secrets={"passcodes": {"volunteer": "v", "coordinator": "c"}})
    assert "This page is for volunteers or coordinators or trustees" in at.error[0].value and not at.dataframe


@pytest.mark.parametrize("user", [VOLUNTEER, TRUSTEE, COORDINATOR], ids=["volunteer", "trustee", "coordinator"])
def test_every_role_sees_the_scorecard_and_no_residents_personal_data(sqlite_store, app_config, user):
    load_demo(sqlite_store, app_config.forms)
    add_a_phone_and_a_merge(sqlite_store)
    at = open_page("pages/scorecard.py", user)
    assert not at.exception and not at.error
    card = at.dataframe[0].value
    assert "Cllr Janet Marsh (demo)" in card["Power-holder"].iloc[0]
    assert {"Kept", "Overdue"} <= set(card["Status"])
    assert not leaked(shown_text(at), sqlite_store)


def test_institutions_register_counts_activity_and_lists_unregistered_names(sqlite_store):
    sqlite_store.append_row("1:1s", {"listener_institution": "st aidan's  CHURCH", "participant_institution":
                                     "Hope Food Bank", "potential_leader": "yes"}, "a")
    at = open_page("pages/institutions.py", COORDINATOR)
    assert "No institutions on the register yet" in at.info[0].value
    field(at, "institutions", "name").input("St Aidan's Church")
    field(at, "institutions", "institution_type").set_value("faith")
    field(at, "institutions", "area").select("fishermead")
    field(at, "institutions", "dues_status").set_value("paid")
    submit(at, "institutions")
    assert not at.error, [e.value for e in at.error]
    [row] = rows(sqlite_store, "Institutions")
    assert row["name"] == "St Aidan's Church" and row["institution_type"] == "faith"
    register, missing = (t.value for t in at.dataframe)
    assert register[["Institution", "Type", "1:1s"]].values.tolist() == [["St Aidan's Church", "Faith", 1]]
    assert missing[["Name in the records", "Potential leaders"]].values.tolist() == [["Hope Food Bank", 1]]


def test_a_coordinator_scores_an_issue_and_reads_its_stories(sqlite_store, app_config):
    load_demo(sqlite_store, app_config.forms)
    at = open_page("pages/priorities.py", COORDINATOR)
    assert not at.exception
    field(at, "issue_scores", "issue").select("health")
    for name, score in (("lives_affected", 5), ("depth", 5), ("winnability", 5)):
        field(at, "issue_scores", name).set_value(score)
    field(at, "issue_scores", "shortlisted").set_value("yes")
    submit(at, "issue_scores")
    assert not at.error, [e.value for e in at.error]
    ranked, shortlisted, *_ = (t.value for t in at.dataframe)
    assert (ranked["Issue"].iloc[0], ranked["Score"].iloc[0]) == ("Health", 15)
    assert shortlisted["Issue"].iloc[0] == "Health"
    at.selectbox[0].select("housing").run()
    stories = at.dataframe[-1].value
    assert len(stories) > 10 and "What they said" in stories.columns and "participant_name" not in stories.columns


def test_a_campaign_with_a_smart_goal_approved_at_a_delegates_assembly(sqlite_store):
    sqlite_store.append_row("Events", {"event_type": "delegates_assembly", "title": "Delegates Assembly",
                                       "event_date": "2026-02-10"}, "ev-da")
    at = open_page("pages/campaigns.py", COORDINATOR)
    field(at, "campaigns", "title").input("Light the redway")
    field(at, "campaigns", "issue").select("transport_and_cycling")
    for part in ("measurable", "achievable", "relevant"):
        field(at, "campaigns", part).input(f"the {part} part")
    field(at, "campaigns", "specific").input("=42 lamps lit +44")
    field(at, "campaigns", "time_bound").set_value(dt.date(2027, 3, 31))
    field(at, "campaigns", "approved_at_id").select("ev-da")
    field(at, "campaigns", "status").select("active")
    submit(at, "campaigns")
    assert not at.error, [e.value for e in at.error]
    [row] = rows(sqlite_store, "Campaigns")
    assert (row["approved_at"], row["time_bound"], row["specific"]) == \
        ("Delegates Assembly (2026-02-10)", "2027-03-31", "=42 lamps lit +44")  # verbatim, never a formula
    table = at.dataframe[0].value
    assert table[["Campaign", "Status", "Approved at"]].values.tolist() == [
        ["Light the redway", "Active", "Delegates Assembly (2026-02-10)"]]


def test_the_campaign_form_offers_only_delegates_assemblies(sqlite_store):
    sqlite_store.append_row("Events", {"event_type": "one_day_training", "title": "One-day training",
                                       "event_date": "2026-01-20"}, "ev-training")
    at = open_page("pages/campaigns.py", COORDINATOR)
    assert ("Delegates Assembly that approved it: there is nothing to choose yet (no row of the Events tab fits: "
            "event_type is Delegates Assembly)") in at.warning[0].value
    sqlite_store.append_row("Events", {"event_type": "delegates_assembly", "title": "Delegates Assembly",
                                       "event_date": "2026-02-10"}, "ev-da")
    sqlite_store.append_row("Events", {"event_type": " Delegates Assembly ", "title": "Spring assembly, typed by hand",
                                       "event_date": "12/03/2025"}, "ev-typed")
    sqlite_store.append_row("Events", {"event_type": "issues_workshop", "title": "Issues Workshop",
                                       "event_date": "2026-11-08"}, "ev-iw")
    after_write()  # the rows were added behind the app's back: the next read must see them
    at = open_page("pages/campaigns.py", COORDINATOR)
    assert not at.warning
    assert field(at, "campaigns", "approved_at_id").options == [
        "Spring assembly, typed by hand (12/03/2025)", "Delegates Assembly (2026-02-10)"]


def test_a_power_holder_is_linked_to_a_campaign(sqlite_store):
    sqlite_store.append_row("Campaigns", {"title": "Light the redway"}, "c1")
    at = open_page("pages/power_analysis.py", COORDINATOR)
    field(at, "power_holders", "name").input("Cllr Marsh")
    field(at, "power_holders", "role").input("Cabinet member")
    field(at, "power_holders", "organisation").input("Council")
    field(at, "power_holders", "campaign_id").select("c1")
    field(at, "power_holders", "relationship").select("ally")
    field(at, "power_holders", "meetings_held").set_value(2)
    submit(at, "power_holders")
    assert not at.error, [e.value for e in at.error]
    assert rows(sqlite_store, "Power-holders")[0]["campaign"] == "Light the redway"
    table = at.dataframe[0].value
    assert table[["Campaign", "Power-holder", "Relationship", "Meetings held"]].values.tolist() == [
        ["Light the redway", "Cllr Marsh", "Ally", 2]]


def test_a_pledge_update_is_a_new_row_and_the_tracker_follows_it(sqlite_store):
    sqlite_store.append_row("Power-holders", {"name": "Cllr Marsh", "role": "Cabinet member",
                                              "organisation": "Council"}, "p1")
    at = open_page("pages/pledges.py", COORDINATOR)
    field(at, "pledges", "power_holder_id").select("p1")
    field(at, "pledges", "made_on").set_value(dt.date(2026, 4, 21))
    field(at, "pledges", "ask").input("Light the redway")
    field(at, "pledges", "answer").set_value("yes")
    field(at, "pledges", "due_date").set_value(dt.date(2026, 6, 1))
    submit(at, "pledges")
    assert not at.error, [e.value for e in at.error]
    [pledge] = rows(sqlite_store, "Pledges")
    assert pledge["power_holder"] == "Cllr Marsh, Cabinet member (Council)"
    at.date_input(key="pledges_as_of").set_value(dt.date(2026, 7, 1)).run()
    assert at.metric[0].value == "1" and at.dataframe[0].value["State"].tolist() == ["overdue"]

    field(at, "pledge_updates", "pledge_id").select(pledge["submission_id"])
    field(at, "pledge_updates", "status").select("kept")
    field(at, "pledge_updates", "updated_on").set_value(dt.date(2026, 6, 30))
    field(at, "pledge_updates", "evidence").input("New lights, photographed")
    submit(at, "pledge_updates")
    assert not at.error, [e.value for e in at.error]
    assert rows(sqlite_store, "Pledges") == [pledge]  # the pledge row is untouched
    assert rows(sqlite_store, "Pledge updates")[0]["status"] == "kept"
    table = at.dataframe[0].value
    assert table[["State", "Status", "Evidence"]].values.tolist() == [["closed", "Kept", "New lights, photographed"]]
    assert table["Days overdue"].tolist() == [""]  # blank, not "None", once the pledge is closed


def test_a_messy_pledge_row_is_reported_with_its_sheet_row(sqlite_store):
    sqlite_store.append_row("Pledges", {"power_holder": "Cllr Marsh", "ask": "Light the redway",
                                        "due_date": "when pigs fly"}, "k1")
    at = open_page("pages/pledges.py", COORDINATOR)
    assert not at.exception
    problems = at.dataframe[-1].value
    assert problems[["Tab", "Sheet row", "Column"]].values.tolist() == [["Pledges", 2, "due_date"]]
