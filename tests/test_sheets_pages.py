"""Pages on Google Sheets through the fake API: Connect your sheet, and what
volunteers and coordinators see while Google is down."""
from __future__ import annotations

import pytest

from integrations.outbox import OUTBOX_FILE, Outbox
from organising.forms.sheet_layout import compare_layout
from tests.fakesheets import SERVICE_ACCOUNT_EMAIL

from .test_pages import COORDINATOR, VOLUNTEER, field, fill_cag, open_page, submit

PAGE = "pages/connect_sheet.py"


def texts(at) -> str:
    return "\n".join(e.value for kind in ("markdown", "caption", "code", "success", "info", "warning", "error")
                     for e in getattr(at, kind))


def test_a_volunteer_is_refused(sheets_app):
    sheets_app()
    at = open_page(PAGE, VOLUNTEER)
    assert "This page is for coordinators" in at.error[0].value
    assert SERVICE_ACCOUNT_EMAIL not in texts(at)


def test_on_the_embedded_store_the_page_says_how_to_switch(sqlite_store):
    at = open_page(PAGE, COORDINATOR)
    assert "embedded store" in at.info[0].value and "store: google_sheets" in at.info[0].value


def test_without_secrets_the_page_says_how_to_set_them(monkeypatch, tmp_path):
    monkeypatch.setenv("ORGANISING_STORE", "google_sheets")
    monkeypatch.setenv("ORGANISING_SECRETS", str(tmp_path / "none.toml"))
    at = open_page(PAGE, COORDINATOR)
    assert not at.exception
    assert "not set up yet" in at.error[0].value and "[google_sheets]" in at.error[0].value


def test_a_coordinator_connects_a_new_sheet_and_creates_the_forms_tabs(sheets_app, fake_sheets, app_config):
    key = sheets_app(fake_sheets.create_spreadsheet("Fishermead alliance", {
        "1:1s": [["Date of 1:1", "listener", "My notes"], ["", "Ann", "kept"]], "Budget": [["item"]]}))
    at = open_page(PAGE, COORDINATOR)
    assert not at.exception
    assert at.code[0].value == SERVICE_ACCOUNT_EMAIL  # the address to share the sheet with
    assert "Connected to **Fishermead alliance**" in at.success[0].value
    shown = texts(at)
    assert "**Events** (Add an event): the tab is missing" in shown
    # "Date of 1:1" is an accepted name for conversation_date, so it is not missing.
    assert "**1:1s** (Record a 1:1 listening conversation): missing columns listener_institution, participant_name" in shown
    read_as, others = (d.value.values.tolist() for d in at.dataframe)  # people's headers: in tables, not Markdown
    assert read_as == [["Date of 1:1", "Date of the conversation (conversation_date)"],
                       ["listener", "Your name (the listener) (listener)"], ["My notes", "not read: kept as it is"]]
    assert "Other tabs, left alone:" in shown and others == [["Budget"]]

    next(b for b in at.button if b.label == "Create missing tabs and columns").click().run()
    assert not at.exception
    assert "The sheet is ready" in at.info[0].value
    headers = {tab: fake_sheets.values(key, tab)[0] for tab in fake_sheets.tabs(key)}
    assert compare_layout(app_config.forms.values(), headers).complete
    # The person's columns and rows are untouched; the form's columns follow them.
    assert fake_sheets.values(key, "1:1s")[0][:3] == ["Date of 1:1", "listener", "My notes"]
    assert fake_sheets.values(key, "1:1s")[1] == ["", "Ann", "kept"]
    assert fake_sheets.values(key, "Budget") == [["item"]]


@pytest.mark.parametrize("problem, expected", [
    ("not shared", f"The sheet is not shared with the app. In Google Sheets press Share and add "
                   f"{SERVICE_ACCOUNT_EMAIL} as Editor"),
    ("wrong key", "No spreadsheet has that key"),
    ("API disabled", "The Google Sheets API is not enabled"),
    ("quota", "quota is used up"),
])
def test_an_unreachable_sheet_is_explained_in_plain_words(sheets_app, fake_sheets, problem, expected):
    key = fake_sheets.create_spreadsheet("Alliance")
    if problem == "not shared":
        fake_sheets.unshare(key, SERVICE_ACCOUNT_EMAIL)
    elif problem == "wrong key":
        key = "1" + "x" * 43
    elif problem == "API disabled":
        fake_sheets.fail_next(1, status=403, reason="SERVICE_DISABLED")
    else:
        fake_sheets.fail_next(5, status=429, path="/v4/spreadsheets/")
    sheets_app(key)
    at = open_page(PAGE, COORDINATOR)
    assert not at.exception
    assert "cannot be used right now" in at.error[0].value and expected in at.error[0].value
    assert at.code[0].value == SERVICE_ACCOUNT_EMAIL


def test_coordinators_see_submissions_waiting_to_be_sent(sheets_app, fake_sheets, data_dir):
    key = sheets_app(fake_sheets.create_spreadsheet("Alliance", {"Events": [["title", "submission_id"]]}))
    Outbox(data_dir / OUTBOX_FILE).put("Events", "e1", {"title": "Assembly"}, {})
    fake_sheets.fail_next(1, status=503, path=":append")  # the first page's own try to send it fails
    for page in ("streamlit_app.py", "pages/dashboard.py", PAGE):  # Home, Dashboard, Connect
        at = open_page(page, COORDINATOR)
        assert not at.exception
        assert "1 submission is waiting on this server to be sent to the Google Sheet" in at.warning[0].value
    assert "Last problem: Google Sheets answered with an error (503)" in at.warning[0].value
    next(b for b in at.button if b.label == "Send waiting submissions now").click().run()
    assert not any("waiting" in w.value for w in at.warning)
    assert fake_sheets.values(key, "Events") == [["title", "submission_id"], ["Assembly", "e1"]]


def test_a_volunteer_submitting_while_google_is_down_is_told_it_is_saved(sheets_app, fake_sheets, data_dir):
    key = sheets_app()
    fake_sheets.down(True)
    at = open_page("pages/cag_signup.py", VOLUNTEER)
    fill_cag(at)
    submit(at, "cag_signup")
    assert not at.exception
    assert "Saved on this device" in at.success[0].value
    assert Outbox(data_dir / OUTBOX_FILE).waiting("CAG sign-ups") == 1
    fake_sheets.down(False)
    assert not any(t.lower() == "cag sign-ups" for t in fake_sheets.tabs(key))


def test_during_an_outage_volunteers_still_sign_in_to_events_and_coordinators_are_told(sheets_app, fake_sheets,
                                                                                      data_dir):
    from ui.data import after_write
    key = sheets_app(fake_sheets.create_spreadsheet("Alliance", {"Events": [
        ["event_type", "title", "event_date", "submission_id"], ["assembly", "Spring assembly", "2026-04-20", "ev-1"]]}))
    open_page("pages/attendance.py", VOLUNTEER)  # the sheet was read while Google answered
    fake_sheets.down(True)
    after_write()  # the shared read's period is over: the next page reads again
    at = open_page("pages/attendance.py", VOLUNTEER)
    field(at, "attendance", "event_id").select("ev-1")
    field(at, "attendance", "attendee_name").input("Ann")
    field(at, "attendance", "role").set_value("delegate")
    submit(at, "attendance")
    assert not at.exception and "Saved on this device" in at.success[0].value
    at = open_page("pages/dashboard.py", COORDINATOR)
    shown = [w.value for w in at.warning]
    assert any(w.startswith("1 submission is waiting") for w in shown)
    assert any("The Google Sheet cannot be read just now" in w and "Showing it as read at" in w for w in shown)
    fake_sheets.down(False)
    assert Outbox(data_dir / OUTBOX_FILE).waiting() == 1
    assert not any(t == "Attendance" for t in fake_sheets.tabs(key))


def test_reruns_of_the_connect_page_check_the_sheet_once_per_cache_period(sheets_app, fake_sheets, app_config):
    import time
    key = sheets_app(fake_sheets.create_spreadsheet("Alliance", {"Events": [["title"]]}))
    seconds = app_config.settings.cache_seconds
    left = seconds - time.time() % seconds
    if left < 10:  # every open below falls in one cache period (a period that ended mid-test failed it once in CI)
        time.sleep(left)
    at = open_page(PAGE, COORDINATOR)
    for _ in range(4):
        at.run()
    others = [open_page(PAGE, COORDINATOR) for _ in range(2)]  # other coordinators looking at the same time
    assert not at.exception and all("Connected to **Alliance**" in o.success[0].value for o in others)
    assert fake_sheets.count("get_spreadsheet") == 1  # one check, however many reruns and viewers
    fake_sheets.set_values(key, "Events", [["title", "submission_id"]])  # someone edited the sheet
    next(b for b in at.button if b.label == "Check again").click().run()
    assert fake_sheets.count("get_spreadsheet") == 2
    assert "**Events** (Add an event): missing columns" in texts(at) and "submission_id" not in texts(at)


def test_passcodes_come_from_the_same_secrets_file_as_the_sheet(sheets_app, fake_sheets):
    import os
    sheets_app()
    with open(os.environ["ORGANISING_SECRETS"], "a", encoding="utf-8") as secrets:  # e.g. a file outside the app
        secrets.write('\n[passcodes]\nvolunteer = "v0l"\n')
    at = open_page("pages/cag_signup.py", user=None)
    assert "You are not signed in" in at.error[0].value  # the volunteer role is passcode-protected now
    at = open_page("streamlit_app.py", user=None)
    at.radio(key="sign_in_role").set_value("volunteer").run()
    at.text_input(key="sign_in_name").input("Vic")
    at.text_input(key="sign_in_code").input("guess")
    at.button[0].click().run()
    assert "not the volunteer passcode" in at.error[0].value
