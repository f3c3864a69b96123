"""The Google Sheets store's own promises (the shared ones are in
test_store_contract.py): settings, and the requests it spends."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from integrations.google_sheets import SheetsNotConfigured, sheets_settings, spreadsheet_key
from tests.fakesheets import SERVICE_ACCOUNT_EMAIL, service_account_info

from .conftest import REPO

KEY = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms"


def test_the_sheet_is_found_from_its_address_or_its_key():
    assert spreadsheet_key(f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0") == KEY
    assert spreadsheet_key(f"  {KEY} ") == KEY
    with pytest.raises(SheetsNotConfigured, match="neither a Google Sheets address"):
        spreadsheet_key("my alliance sheet")


@pytest.mark.parametrize("secrets, problem", [
    ({}, "No Google Sheet is configured"),
    ({"google_sheets": {"spreadsheet": KEY}}, "google_sheets.service_account is missing"),
    ({"google_sheets": {"spreadsheet": KEY, "service_account": {"client_email": "a@b"}}},
     "lacks private_key, token_uri"),
    ({"google_sheets": {"spreadsheet": KEY, "timeout_seconds": 0,
                        "service_account": service_account_info("http://127.0.0.1:9")}},
     "google_sheets.timeout_seconds: must be a number from 1 to 170"),
])
def test_missing_or_wrong_settings_say_what_to_fix(secrets, problem):
    with pytest.raises(SheetsNotConfigured, match=problem):
        sheets_settings(secrets)


@pytest.mark.parametrize("endpoint", ["https://sheets.example.org", "http://10.0.0.5:8080", "http://127.0.0.1.evil.io"])
def test_an_api_endpoint_off_this_machine_is_refused_so_the_key_is_never_sent_there(endpoint):
    secrets = {"google_sheets": {"spreadsheet": KEY, "api_endpoint": endpoint,
                                 "service_account": service_account_info("http://127.0.0.1:9")}}
    with pytest.raises(SheetsNotConfigured, match="google_sheets.api_endpoint: only for tests.*this machine"):
        sheets_settings(secrets)


def test_an_api_endpoint_on_this_machine_is_accepted_for_tests():
    for endpoint in ("http://127.0.0.1:8123", "http://localhost:8123/", "http://[::1]:8123"):
        secrets = {"google_sheets": {"spreadsheet": KEY, "api_endpoint": endpoint,
                                     "service_account": service_account_info("http://127.0.0.1:9")}}
        assert sheets_settings(secrets).api_endpoint == endpoint


def test_reading_many_tabs_is_one_batch_get_and_the_tab_list_is_fetched_once(fake_sheets, open_sheets):
    key = fake_sheets.create_spreadsheet("Alliance", {"Events": [["title"], ["A"]], "1:1s": [["listener"]]})
    store = open_sheets(key)
    fake_sheets.clear_log()
    for _ in range(3):
        tabs = store.read_tabs(["Events", "1:1s", "Attendance", "CAG sign-ups"])
    assert tabs["Events"].rows == [["A"]] and not tabs["Attendance"].exists
    assert fake_sheets.count("values_batch_get") == 3 and fake_sheets.count("get_spreadsheet") == 1
    assert len([e for e in fake_sheets.log if e.kind != "token"]) == 4


def test_a_submission_is_one_raw_insert_rows_append_at_a1_and_nothing_is_ever_cleared(fake_sheets, open_sheets):
    key = fake_sheets.create_spreadsheet("Alliance", {"Events": [["title", "submission_id"], ["A", "e0"]]})
    store = open_sheets(key)
    store.read_tabs(["Events"])
    fake_sheets.clear_log()
    store.append_row("Events", {"title": "=1+1"}, "e1")
    [append] = [e for e in fake_sheets.log if e.kind == "values_append"]
    assert append.path.endswith("/values/'Events'!A1:append")
    assert append.query["valueInputOption"] == "RAW" and append.query["insertDataOption"] == "INSERT_ROWS"
    assert [e.kind for e in fake_sheets.log] == ["values_batch_get", "values_append"]  # id check, then append
    assert fake_sheets.values(key, "Events")[-1] == ["=1+1", "e1"]


def report(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=REPO, env=dict(os.environ), capture_output=True, text=True,
                          timeout=120)


REPORT = ["-m", "organising", "report", "--programme", "Fishermead Citizens Alliance", "--year", "2021-22",
          "--as-of", "2022-03-31", "--format", "json"]


def test_the_report_command_reads_the_sheet_without_streamlit(sheets_app, fake_sheets):
    key = fake_sheets.create_spreadsheet("Alliance", {"1:1s": [
        ["conversation_date", "listener", "submission_id"], ["2021-10-05", "Ann", "s1"], ["2021-10-06", "Bo", "s2"]]})
    sheets_app(key)
    done = report("-X", "importtime", *REPORT)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = json.loads(done.stdout)["rows"]
    assert next(r for r in rows if r["metric"] == "one_to_ones")["actual"] == 2
    assert "streamlit" not in [line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines()]


def test_the_report_command_says_why_the_sheet_cannot_be_read(sheets_app, fake_sheets):
    key = fake_sheets.create_spreadsheet("Alliance")
    fake_sheets.unshare(key, SERVICE_ACCOUNT_EMAIL)
    sheets_app(key)
    done = report(*REPORT)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip() == ("The data store cannot be reached: The sheet is not shared with the app. In Google "
                                   f"Sheets press Share and add {SERVICE_ACCOUNT_EMAIL} as Editor.")


def test_settings_and_the_secrets_file_alone_choose_the_sheet(sheets_app):
    from integrations.stores import open_store
    from organising.config import load_config
    key = sheets_app()  # ORGANISING_STORE=google_sheets, ORGANISING_SECRETS=a file naming the sheet
    store = open_store(load_config().settings)
    try:
        assert store.key == key and store.tab_names() == ["Sheet1"]
    finally:
        store.close()


def test_the_shipped_secrets_example_is_a_complete_template(data_dir):
    import tomllib

    from integrations.google_sheets import GoogleSheetsStore
    with open(REPO / ".streamlit" / "secrets.toml.example", "rb") as file:
        example = tomllib.load(file)
    settings = sheets_settings(example)  # every field is there, in the right shape
    assert settings.service_account_email.endswith(".iam.gserviceaccount.com")
    with pytest.raises(SheetsNotConfigured, match="the key cannot be read"):  # the placeholder is not a key
        GoogleSheetsStore(settings, start_drainer=False)


def test_the_report_command_leaves_the_apps_waiting_submissions_to_the_app(sheets_app, fake_sheets, data_dir):
    from integrations.outbox import OUTBOX_FILE, Outbox
    key = sheets_app(fake_sheets.create_spreadsheet("Alliance", {"1:1s": [["listener", "submission_id"]]}))
    Outbox(data_dir / OUTBOX_FILE).put("1:1s", "s1", {"listener": "Ann"}, {})
    done = report(*REPORT)
    assert done.returncode == 0, done.stderr[-2000:]
    # Only the app sends what waits, so a cron job and the app never both send it.
    assert Outbox(data_dir / OUTBOX_FILE).waiting() == 1
    assert fake_sheets.values(key, "1:1s") == [["listener", "submission_id"]]


def test_cells_of_several_tabs_are_edited_with_one_read_and_one_raw_batch_update(fake_sheets, open_sheets):
    from organising.sheets import CellEdit
    key = fake_sheets.create_spreadsheet("Alliance", {
        "Attendance": [["attendee_name", "submission_id"], ["Amina", "a1"]],
        "1:1s": [["listener", "contact", "submission_id"], ["Ann", "07700 900123", "s1"]]})
    store = open_sheets(key)
    store.read_tabs(["Attendance"])
    fake_sheets.clear_log()
    results = store.edit_cells([CellEdit("Attendance", 2, "attendee_name", "Amina", "", "a1"),
                                CellEdit("1:1s", 2, "contact", "07700 900123", "=2+2", "s1")])
    assert all(r.done for r in results)
    [update] = [e for e in fake_sheets.log if e.kind == "values_batch_update"]
    assert update.body["valueInputOption"] == "RAW"
    assert [e.kind for e in fake_sheets.log] == ["values_batch_get", "values_batch_update"]
    assert fake_sheets.values(key, "Attendance") == [["attendee_name", "submission_id"], ["", "a1"]]
    assert fake_sheets.values(key, "1:1s")[1] == ["Ann", "=2+2", "s1"]


def test_a_submission_still_waiting_in_the_outbox_is_edited_where_it_waits(fake_sheets, open_sheets):
    from organising.sheets import WAITING, CellEdit
    key = fake_sheets.create_spreadsheet("Alliance", {"CAG sign-ups": [["contact_name", "email", "submission_id"]]})
    store = open_sheets(key)
    store.outbox.put("CAG sign-ups", "c1", {"contact_name": "Grace Obi", "email": "grace@example.org"}, {})
    assert store.waiting_rows() == {"CAG sign-ups": [
        {"contact_name": "Grace Obi", "email": "grace@example.org", "submission_id": "c1"}]}
    results = store.edit_cells([CellEdit("CAG sign-ups", WAITING, "email", "grace@example.org", "", "c1"),
                                CellEdit("CAG sign-ups", WAITING, "contact_name", "Someone else", "", "c1")])
    assert [(r.row, r.problem) for r in results] == [(WAITING, ""), (None, "the cell was changed since it was read")]
    assert store.drain() == 1
    assert fake_sheets.values(key, "CAG sign-ups")[1] == ["Grace Obi", "", "c1"]


def test_an_edit_while_the_outbox_is_being_sent_waits_for_the_send_and_both_finish(fake_sheets, open_sheets):
    import threading
    import time

    from organising.sheets import WAITING, CellEdit
    key = fake_sheets.create_spreadsheet("Alliance", {"Attendance": [["attendee_name", "submission_id"]]})
    store = open_sheets(key)
    store.outbox.put("Attendance", "a1", {"attendee_name": "Grace Obi"}, {})
    results = []
    sender = threading.Thread(target=store.drain, daemon=True)
    editor = threading.Thread(daemon=True, target=lambda: results.extend(store.edit_cells(
        [CellEdit("Attendance", WAITING, "attendee_name", "Grace Obi", "", "a1")])))
    with store._write_lock:  # a submission is being appended: both wait, the erasure first
        editor.start()
        time.sleep(0.3)
        sender.start()
        time.sleep(0.3)
    sender.join(timeout=30)
    editor.join(timeout=30)
    assert not sender.is_alive() and not editor.is_alive()  # neither waits on the other for ever
    [result] = results
    assert result.done and result.problem == ""
    store.drain()
    assert fake_sheets.values(key, "Attendance") == [["attendee_name", "submission_id"], ["", "a1"]]
