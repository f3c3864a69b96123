"""Every page, driven as a person would through Streamlit's AppTest."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from organising.privacy.audit import AUDIT_TAB, read_audit
from organising.tools.demo import load_demo
from organising.sheets import Tab
from tests.privacy import add_a_phone_and_a_merge, leaked
from ui.session import User

REPO = Path(__file__).resolve().parent.parent

VOLUNTEER = User("Vic Volunteer", "volunteer")
COORDINATOR = User("Cora Coordinator", "coordinator")
TRUSTEE = User("Tom Trustee", "trustee")


def open_page(path: str, user: User | None = VOLUNTEER, secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / path), default_timeout=30)
    if user is not None:
        at.session_state["user"] = user
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    return at.run()


def field(at: AppTest, form: str, name: str):
    """The widget asking `name` on the form as shown now."""
    round_key = f"form:{form}:round"
    key = f"form:{form}:{at.session_state[round_key] if round_key in at.session_state else 0}:{name}"
    for kind in ("text_input", "text_area", "selectbox", "multiselect", "radio", "checkbox", "date_input",
                 "number_input", "button_group"):
        found = [w for w in getattr(at, kind) if w.key == key]
        if found:
            return found[0]
    raise AssertionError(f"no widget for {name} on the page")


def submit(at: AppTest, form: str) -> AppTest:
    return at.button(key=f"form:{form}:submit").click().run()


def next_one(at: AppTest, form: str) -> AppTest:
    """After a save, the one button that brings a fresh form."""
    return at.button(key=f"form:{form}:next").click().run()


def problems(at: AppTest) -> list[str]:
    """What the form says is wrong: the summary at the top (one line per
    problem, the question named), as a person reads it."""
    from tests.hostile import as_read
    return [line.removeprefix("- ").split("](#")[0].lstrip("[") for e in at.error
            for line in as_read(e.value).splitlines() if line.startswith("- [")]


def beside_questions(at: AppTest) -> list[str]:
    """The problems shown beside their questions."""
    import html
    import re
    return [html.unescape(re.sub(r"<[^>]+>", "", e.proto.body)) for e in at.get("html")
            if "organising-field-error" in e.proto.body]


def rows(store, tab: str) -> list[dict]:
    return [record for _, record in store.read_tabs([tab])[tab].records()]


def fill_cag(at: AppTest) -> None:
    field(at, "cag_signup", "organisation").input('=IMPORTXML("http://x")')
    field(at, "cag_signup", "contact_name").input("Ann Adeyemi")
    field(at, "cag_signup", "email").input("ann@example.org")
    field(at, "cag_signup", "area").select("fishermead")
    field(at, "cag_signup", "what_we_do").input("Food parcels")
    field(at, "cag_signup", "consent_to_contact").check()


def test_cag_signup_valid_submit_stores_one_row(sqlite_store):
    at = open_page("pages/cag_signup.py")
    fill_cag(at)
    submit(at, "cag_signup")
    assert not at.exception
    assert "Your group is signed up" in at.success[0].value
    [row] = rows(sqlite_store, "CAG sign-ups")
    assert row["organisation"] == '=IMPORTXML("http://x")'
    assert row["area"] == "fishermead" and row["consent_to_contact"] == "yes"
    assert row["submitted_by"] == "Vic Volunteer" and len(row["submission_id"]) == 32
    assert dt.datetime.strptime(row["submitted_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert not [w for w in at.text_input if w.key.endswith(":organisation")]  # only the confirmation: no second press
    next_one(at, "cag_signup")
    assert field(at, "cag_signup", "organisation").value == ""  # a fresh form for the next group


def test_cag_signup_invalid_shows_inline_errors_keeps_answers_and_stores_nothing(sqlite_store):
    at = open_page("pages/cag_signup.py")
    field(at, "cag_signup", "organisation").input("Olney Food Bank")
    field(at, "cag_signup", "email").input("not-an-email")
    submit(at, "cag_signup")
    expected = ["Contact name: please write an answer.", "Email: please enter an email address like name@example.org.",
                "Area (your forum): please choose one of the options.",
                "What does your group do?: please write an answer.",
                "We agree that the organisers may contact us about the forum using the details above.: please tick "
                "to confirm."]
    # Each problem names its question, in a summary at the top (one alert) and beside its question.
    assert problems(at) == expected and len(at.error) == 1
    assert "There are problems with 5 answers. Nothing has been saved yet." in at.error[0].value
    assert beside_questions(at) == expected
    assert field(at, "cag_signup", "organisation").value == "Olney Food Bank"
    assert rows(sqlite_store, "CAG sign-ups") == []


def test_the_same_submission_twice_is_stored_once(sqlite_store):
    at = open_page("pages/cag_signup.py")
    fill_cag(at)
    submission_id = at.session_state["form:cag_signup:submission_id"]
    # The first press landed but its answer never reached the browser (a dropped connection)…
    sqlite_store.append_row("CAG sign-ups", {"organisation": "first press"}, submission_id)
    submit(at, "cag_signup")  # …so the volunteer presses again.
    assert "already saved" in at.success[0].value
    assert len(rows(sqlite_store, "CAG sign-ups")) == 1


def test_listening_shows_follow_up_questions_only_when_relevant(sqlite_store):
    at = open_page("pages/listening.py")
    keys = lambda: {w.key.rsplit(":", 1)[1] for w in [*at.text_input, *at.text_area]}
    assert "leader_notes" not in keys()
    field(at, "listening", "potential_leader").set_value("yes").run()
    assert "leader_notes" in keys()
    field(at, "listening", "potential_leader").set_value("no").run()
    assert "leader_notes" not in keys()
    assert "contact" not in keys()
    field(at, "listening", "consent_follow_up").check().run()
    assert "contact" in keys()
    field(at, "listening", "issue_categories").select("other").run()
    assert "issue_categories_other" in keys()


def test_listening_valid_submit_stores_the_conversation(sqlite_store):
    at = open_page("pages/listening.py")
    field(at, "listening", "conversation_date").set_value(dt.date(2026, 10, 3))
    field(at, "listening", "listener").input("Sam")
    field(at, "listening", "listener_institution").input("St Aidan's Church")
    field(at, "listening", "participant_area").select("fishermead")
    field(at, "listening", "issue_categories").select("housing").select("health")
    field(at, "listening", "what_they_said").input("-1 repairs done in two years")
    field(at, "listening", "people_affected").set_value(40)
    field(at, "listening", "potential_leader").set_value("yes").run()
    field(at, "listening", "leader_notes").input("Knows the whole block")
    submit(at, "listening")
    assert not at.error, [e.value for e in at.error]
    [row] = rows(sqlite_store, "1:1s")
    assert row["conversation_date"] == "2026-10-03"
    assert row["issue_categories"] == "housing, health"
    assert row["what_they_said"] == "-1 repairs done in two years"
    assert row["people_affected"] == "40" and row["leader_notes"] == "Knows the whole block"


def test_the_next_1_1_starts_with_today_and_the_volunteers_own_name_and_institution(sqlite_store):
    at = open_page("pages/listening.py")  # signed in as Vic Volunteer
    assert field(at, "listening", "conversation_date").value == dt.date.today()
    assert field(at, "listening", "listener").value == "Vic Volunteer"
    assert field(at, "listening", "listener_institution").value == ""
    field(at, "listening", "listener").input("Vic V.")
    field(at, "listening", "listener_institution").input("St Aidan's Church")
    field(at, "listening", "participant_area").select("fishermead")
    field(at, "listening", "issue_categories").select("housing")
    field(at, "listening", "what_they_said").input("Damp")
    field(at, "listening", "potential_leader").set_value("no").run()
    submit(at, "listening")
    assert "Your conversation is recorded" in at.success[0].value
    next_one(at, "listening")  # "Record another 1:1"
    assert (field(at, "listening", "listener").value, field(at, "listening", "listener_institution").value,
            field(at, "listening", "what_they_said").value) == ("Vic V.", "St Aidan's Church", "")


def test_the_cag_form_remembers_no_one_for_the_next_group(sqlite_store):
    at = open_page("pages/cag_signup.py")  # each group is someone else
    fill_cag(at)
    submit(at, "cag_signup")
    next_one(at, "cag_signup")
    assert field(at, "cag_signup", "contact_name").value == ""


def test_attendance_without_events_says_a_coordinator_adds_them(sqlite_store):
    at = open_page("pages/attendance.py")
    assert any("nothing to choose yet" in w.value for w in at.warning)


def test_attendance_signs_in_to_an_event_from_the_events_tab(sqlite_store):
    sqlite_store.append_row("Events", {"event_type": "issues_workshop", "title": "Issues Workshop",
                                       "event_date": "2026-11-08"}, "ev-1")
    at = open_page("pages/attendance.py")
    field(at, "attendance", "event_id").select("ev-1")
    field(at, "attendance", "attendee_name").input("@home")
    field(at, "attendance", "role").set_value("delegate")
    submit(at, "attendance")
    [row] = rows(sqlite_store, "Attendance")
    assert (row["event_id"], row["event"], row["attendee_name"]) == ("ev-1", "Issues Workshop (2026-11-08)", "@home")


def test_coordinator_adds_an_event_and_sees_it_listed(sqlite_store):
    at = open_page("pages/events.py", COORDINATOR)
    field(at, "events", "event_type").select("cag_meeting").run()
    field(at, "events", "area").select("bletchley")  # asked only for a CAG meeting
    field(at, "events", "title").input("Bletchley forum")
    field(at, "events", "event_date").set_value(dt.date(2026, 12, 1))
    submit(at, "events")
    assert not at.error
    [row] = rows(sqlite_store, "Events")
    assert row["area"] == "bletchley" and row["event_date"] == "2026-12-01"
    assert at.dataframe[0].value["title"].tolist() == ["Bletchley forum"]


def test_records_page_shows_rows_with_their_sheet_row_numbers(sqlite_store):
    sqlite_store.append_row("CAG sign-ups", {"organisation": "A"}, "a")
    sqlite_store.append_row("CAG sign-ups", {"organisation": "B"}, "b")
    at = open_page("pages/records.py", COORDINATOR)
    at.selectbox[0].select("CAG sign-ups").run()
    table = at.dataframe[0].value
    assert table["Sheet row"].tolist() == [3, 2] and table["organisation"].tolist() == ["B", "A"]


def test_a_long_tab_is_shown_a_thousand_rows_at_a_time_newest_first_and_downloaded_whole(sqlite_store):
    sqlite_store.append_rows("CAG sign-ups", [(f"s{n}", {"organisation": f"Group {n}"}) for n in range(2500)])
    at = open_page("pages/records.py", COORDINATOR)
    at.selectbox[0].select("CAG sign-ups").run()
    table = at.dataframe[0].value
    assert len(table) == 1000 and table["organisation"].iloc[0] == "Group 2499"
    assert "Rows 1 to 1,000 of 2,500, newest first" in at.caption[0].value
    at.number_input[0].set_value(3).run()
    table = at.dataframe[0].value
    assert table["organisation"].tolist() == [f"Group {n}" for n in range(499, -1, -1)]
    assert table["Sheet row"].iloc[-1] == 2  # the first row below the header
    assert "Rows 2,001 to 2,500 of 2,500" in at.caption[0].value
    [download] = at.get("download_button")
    download.click().run()  # the file is made when asked; the audit log says how many rows it held
    [entry] = [e for e in read_audit(sqlite_store.read_tabs([AUDIT_TAB])[AUDIT_TAB]) if e.action == "download"]
    assert entry.detail == "Records, the CAG sign-ups tab: 2500 rows as CSV"


COORDINATOR_PAGES = ["pages/dashboard.py", "pages/events.py", "pages/records.py", "pages/data_quality.py"]


@pytest.mark.parametrize("page", COORDINATOR_PAGES)
@pytest.mark.parametrize("user", [VOLUNTEER, TRUSTEE, None], ids=["volunteer", "trustee", "nobody"])
def test_coordinator_pages_refuse_others_and_show_no_data(sqlite_store, app_config, page, user):
    load_demo(sqlite_store, app_config.forms, dt.date(2026, 11, 22))
    at = AppTest.from_file(str(REPO / page), default_timeout=30)
    if user:
        at.session_state["user"] = user
    at.secrets["passcodes"] = {"coordinator": "c0de"}  # so nobody is a coordinator by default
    at.run()
    assert not at.exception
    assert "This page is for coordinators" in at.error[0].value
    assert not at.dataframe and not at.table and not at.metric
    shown = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.text])
    assert "Riverside" not in shown and "@example.org" not in shown


@pytest.mark.parametrize("page", ["pages/cag_signup.py", "pages/listening.py", "pages/attendance.py"])
def test_trustees_cannot_open_volunteer_forms(sqlite_store, page):
    at = open_page(page, TRUSTEE)
    assert not at.exception
    assert "This page is for volunteers or coordinators" in at.error[0].value
    assert not at.text_input


def test_a_visitor_is_a_volunteer_by_default(sqlite_store):
    at = open_page("pages/cag_signup.py", user=None)
    assert not at.error and field(at, "cag_signup", "organisation")


def test_sign_in_needs_the_role_passcode_from_secrets(sqlite_store):
    at = open_page("streamlit_app.py", user=None, secrets={"passcodes": {"coordinator": "c0de"}})
    at.radio(key="sign_in_role").set_value("coordinator").run()
    at.text_input(key="sign_in_name").input("Cora")
    at.text_input(key="sign_in_code").input("guess")
    at.button[0].click().run()
    assert "not the coordinator passcode" in at.error[0].value
    at.text_input(key="sign_in_code").input("c0de")
    at.button[0].click().run()
    assert at.session_state["user"] == User("Cora", "coordinator")
    assert "Signed in as **Cora**, coordinator" in at.success[0].value


def test_coordinator_is_offered_demo_data_on_an_empty_store(sqlite_store):
    at = open_page("streamlit_app.py", COORDINATOR)
    assert "Nothing recorded yet" in [h.value for h in at.subheader]
    [load] = [b for b in at.button if b.label == "Load demo data"]
    load.click().run()
    assert at.success[-1].value.startswith("Loaded ")
    assert len(rows(sqlite_store, "1:1s")) > 300
    at = open_page("streamlit_app.py", COORDINATOR)
    assert "contains demo data" in at.warning[0].value


@pytest.mark.parametrize("user, expected", [
    (VOLUNTEER, {"sign_in", "listening", "attendance", "cag_signup", "scorecard"}),
    (TRUSTEE, {"sign_in", "funder_report", "scorecard"}),
    (COORDINATOR, {"sign_in", "listening", "attendance", "cag_signup", "dashboard", "events", "records",
                   "data_quality", "connect_sheet", "workflows", "privacy", "funder_report", "institutions",
                   "priorities", "campaigns", "power_analysis", "pledges", "scorecard", "evaluation", "forums",
                   "forum_issues", "leaders", "leader_role", "kiosk_links", "team", "audit_log"}),
], ids=["volunteer", "trustee", "coordinator"])
def test_router_offers_each_role_its_pages(sqlite_store, user, expected):
    at = open_page("streamlit_app.py", user)
    assert not at.exception
    # AppTest has no public view of st.navigation yet; its page registry is the menu.
    offered = {Path(p["script_path"]).stem for p in at._registered_pages.values()}
    assert offered == expected


def test_a_broken_form_spec_stops_the_app_with_file_field_and_problem(tmp_path, monkeypatch, app_config):
    import shutil
    shutil.copytree(app_config.config_dir, tmp_path / "config")
    path = tmp_path / "config" / "forms" / "listening.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("type: long_text", "type: essay", 1), encoding="utf-8")
    monkeypatch.setenv("ORGANISING_CONFIG_DIR", str(tmp_path / "config"))
    at = open_page("streamlit_app.py", VOLUNTEER)
    assert not at.exception
    message = at.error[0].value
    assert "listening.yaml" in message and "field 'what_they_said'" in message and "unknown type 'essay'" in message


def test_a_failed_save_keeps_every_answer_for_another_try(sqlite_store, monkeypatch):
    at = open_page("pages/cag_signup.py")
    fill_cag(at)

    def unavailable(*args, **kwargs):
        raise OSError("disk full")

    with monkeypatch.context() as broken:
        broken.setattr(type(sqlite_store), "append_rows", unavailable)
        submit(at, "cag_signup")
    assert "could not be saved just now" in at.error[-1].value
    assert field(at, "cag_signup", "contact_name").value == "Ann Adeyemi"
    submit(at, "cag_signup")
    assert "Your group is signed up" in at.success[0].value
    assert len(rows(sqlite_store, "CAG sign-ups")) == 1


def test_trustee_sees_the_funder_report_and_no_personal_data(sqlite_store, app_config):
    load_demo(sqlite_store, app_config.forms)
    add_a_phone_and_a_merge(sqlite_store)
    at = open_page("pages/funder_report.py", TRUSTEE)
    at.selectbox[0].select("Riverside Citizens Alliance (demo)").run()
    assert not at.exception
    tables = [t.value for t in at.dataframe]
    assert len(tables) == 4  # three programme years and the whole programme
    assert "1:1 listening conversations" in tables[0]["Target"].tolist()
    shown = " ".join(t.to_csv() for t in tables) + " ".join(str(e.value) for e in [*at.markdown, *at.caption])
    assert not leaked(shown, sqlite_store)
    downloads = [d.proto.label for d in at.get("download_button")]
    assert "Download PDF (with charts)" in downloads


def test_volunteers_cannot_open_the_funder_report(sqlite_store):
    at = open_page("pages/funder_report.py", VOLUNTEER)
    assert "This page is for coordinators or trustees" in at.error[0].value and not at.dataframe


def test_data_quality_lists_each_unreadable_row_with_its_sheet_row(sqlite_store):
    sqlite_store.put_tab(Tab("1:1s", ["Date", "listener", "submission_id"],
                             [["8/10/2025", "Sam", "a"], ["sometime in May", "Bo", "b"]]))
    at = open_page("pages/data_quality.py", COORDINATOR)
    table = at.dataframe[1].value  # after the tabs' read / counted / listed
    # Row 1: the columns other pages need (issues, potential leader) are not in this header.
    assert table[["Sheet row", "Column"]].values.tolist()[-1] == [3, "conversation_date"]
    assert set(table["Sheet row"]) == {1, 3}
    assert "'sometime in May' is not a date" in table["Reason"].iloc[-1]


def test_dashboard_shows_a_card_per_metric_with_pace(sqlite_store, app_config):
    load_demo(sqlite_store, app_config.forms)
    at = AppTest.from_file(str(REPO / "pages/dashboard.py"), default_timeout=60)
    at.session_state["user"] = COORDINATOR
    at.run()
    assert not at.exception
    cards = {m.label: (m.value, m.delta) for m in at.metric}
    demo = app_config.programmes["Riverside Citizens Alliance (demo)"]
    assert {m.label for m in demo.metrics} <= set(cards)
    value, delta = cards["1:1 listening conversations"]
    assert value.endswith(" / 250") and "pace" in delta
    # The demo is dated relative to today: whichever events are still to come show as scheduled.
    assert all(value.startswith("0 / ") for value, delta in cards.values() if delta == "scheduled")
    # Last programme year has ended: each card says met or missed, by how much, never a pace.
    at.radio[0].set_value(1).run()
    cards = {m.label: (m.value, m.delta) for m in at.metric if m.label in {x.label for x in demo.metrics}}
    value, delta = cards["1:1 listening conversations"]
    actual, target = map(int, value.split(" / "))
    assert target == 150 and delta == f"{actual - target:+d}: {'met' if actual >= target else 'missed'}"
    assert all(delta.endswith((": met", ": missed")) for value, delta in cards.values() if " / " in value)
    # The charts' numbers, as tables only when asked for (and then still asked for on the next visit).
    assert not at.dataframe and len(at.get("vega_lite_chart")) == 7
    next(t for t in at.toggle if t.label == "Show the numbers as tables").set_value(True).run()
    tables = {c.value: t.value for c, t in zip(at.caption, at.dataframe)}
    assert len(at.dataframe) == 7 and tables["The numbers: Top listeners"].columns.tolist()[0] == "Listener"
    again = AppTest.from_file(str(REPO / "pages/dashboard.py"), default_timeout=60)
    again.session_state["user"] = COORDINATOR
    again.session_state["charts:numbers as tables"] = True
    assert len(again.run().dataframe) == 7

